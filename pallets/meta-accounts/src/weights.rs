//! Weights for `pallet_meta_accounts`. PROVISIONAL: hand estimates, to be replaced by the
//! output of `scripts/benchmarks/run.sh` (the benchmarks in `benchmarking.rs`).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of `pallet_meta_accounts`.
pub trait WeightInfo {
	fn create() -> Weight;
	fn invite_authenticator() -> Weight;
	fn accept_invitation() -> Weight;
	fn cancel_invitation() -> Weight;
	fn remove_authenticator() -> Weight;
	fn propose_change() -> Weight;
	fn veto_change() -> Weight;
	fn enact_change() -> Weight;
	fn close_meta_account(i: u32, c: u32, ) -> Weight;
	fn add_passkey() -> Weight;
	fn add_evm_wallet() -> Weight;
	fn create_with_passkey() -> Weight;
	fn create_with_evm_wallet() -> Weight;
	fn dispatch_envelope_passkey() -> Weight;
	fn dispatch_envelope_evm() -> Weight;
	fn set_sponsorship() -> Weight;
}

/// Estimated weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create() -> Weight {
		Weight::from_parts(70_000_000, 4575)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn invite_authenticator() -> Weight {
		Weight::from_parts(95_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn accept_invitation() -> Weight {
		Weight::from_parts(115_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn cancel_invitation() -> Weight {
		Weight::from_parts(75_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn remove_authenticator() -> Weight {
		Weight::from_parts(120_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn propose_change() -> Weight {
		Weight::from_parts(90_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn veto_change() -> Weight {
		Weight::from_parts(70_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn enact_change() -> Weight {
		Weight::from_parts(130_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(7))
	}
	fn close_meta_account(i: u32, c: u32, ) -> Weight {
		Weight::from_parts(160_000_000, 6100)
			.saturating_add(Weight::from_parts(30_000_000, 0).saturating_mul(i.into()))
			.saturating_add(Weight::from_parts(30_000_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn add_passkey() -> Weight {
		Weight::from_parts(3_500_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn add_evm_wallet() -> Weight {
		Weight::from_parts(400_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn create_with_passkey() -> Weight {
		Weight::from_parts(3_600_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn create_with_evm_wallet() -> Weight {
		Weight::from_parts(500_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn dispatch_envelope_passkey() -> Weight {
		Weight::from_parts(1_900_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn dispatch_envelope_evm() -> Weight {
		Weight::from_parts(350_000_000, 6100)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn set_sponsorship() -> Weight {
		Weight::from_parts(65_000_000, 3600)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
}

/// The same estimates with RocksDB's database weights, for tests.
impl WeightInfo for () {
	fn create() -> Weight {
		Weight::from_parts(70_000_000, 4575)
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn invite_authenticator() -> Weight {
		Weight::from_parts(95_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn accept_invitation() -> Weight {
		Weight::from_parts(115_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn cancel_invitation() -> Weight {
		Weight::from_parts(75_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn remove_authenticator() -> Weight {
		Weight::from_parts(120_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn propose_change() -> Weight {
		Weight::from_parts(90_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn veto_change() -> Weight {
		Weight::from_parts(70_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn enact_change() -> Weight {
		Weight::from_parts(130_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(7))
	}
	fn close_meta_account(i: u32, c: u32, ) -> Weight {
		Weight::from_parts(160_000_000, 6100)
			.saturating_add(Weight::from_parts(30_000_000, 0).saturating_mul(i.into()))
			.saturating_add(Weight::from_parts(30_000_000, 0).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn add_passkey() -> Weight {
		Weight::from_parts(3_500_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn add_evm_wallet() -> Weight {
		Weight::from_parts(400_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn create_with_passkey() -> Weight {
		Weight::from_parts(3_600_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn create_with_evm_wallet() -> Weight {
		Weight::from_parts(500_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn dispatch_envelope_passkey() -> Weight {
		Weight::from_parts(1_900_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn dispatch_envelope_evm() -> Weight {
		Weight::from_parts(350_000_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn set_sponsorship() -> Weight {
		Weight::from_parts(65_000_000, 3600)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
}
