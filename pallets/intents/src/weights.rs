//! Weight functions of `pallet_intents`.
//!
//! Not measured yet: the pallet is not part of the runtime until its benchmarks have run (see
//! the README's status table). `()` weighs every call as zero and is for the unit tests only.

#![allow(missing_docs)]

use frame_support::weights::Weight;

/// Weight functions of `pallet_intents`.
pub trait WeightInfo {
	fn create_intent() -> Weight;
	fn cancel_intent() -> Weight;
	fn bond_solver() -> Weight;
	fn unbond_solver() -> Weight;
	fn claim_intent() -> Weight;
	fn report_fill() -> Weight;
	fn attest() -> Weight;
	fn propose_payout() -> Weight;
	fn expire_intent() -> Weight;
	fn set_chain() -> Weight;
	fn on_signature_outcome() -> Weight;
	fn ensure_can_close() -> Weight;
}

/// Zero weights, for unit tests only.
impl WeightInfo for () {
	fn create_intent() -> Weight {
		Weight::zero()
	}
	fn cancel_intent() -> Weight {
		Weight::zero()
	}
	fn bond_solver() -> Weight {
		Weight::zero()
	}
	fn unbond_solver() -> Weight {
		Weight::zero()
	}
	fn claim_intent() -> Weight {
		Weight::zero()
	}
	fn report_fill() -> Weight {
		Weight::zero()
	}
	fn attest() -> Weight {
		Weight::zero()
	}
	fn propose_payout() -> Weight {
		Weight::zero()
	}
	fn expire_intent() -> Weight {
		Weight::zero()
	}
	fn set_chain() -> Weight {
		Weight::zero()
	}
	fn on_signature_outcome() -> Weight {
		Weight::zero()
	}
	fn ensure_can_close() -> Weight {
		Weight::zero()
	}
}
