//! Stored types of the ephemeral-addresses pallet.

use crate::{BalanceOf, Config};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use frame_support::{pallet_prelude::*, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
pub use waas_primitives::CompressedPublicKey;
use waas_traits::ThresholdSigner;
pub use waas_traits::{AddressIndex, KeyId};

/// A CAIP-2 chain id (ASCII).
pub type Caip2Id = BoundedVec<u8, ConstU32<{ waas_primitives::MAX_CHAIN_ID_LEN }>>;
/// An encoded address (ASCII, e.g. EIP-55).
pub type AddressText = BoundedVec<u8, ConstU32<{ waas_primitives::MAX_ADDRESS_LEN }>>;

/// The longest payload the threshold signer accepts, as a bound for call parameters.
pub struct MaxPayloadOf<T>(PhantomData<T>);
impl<T: Config> Get<u32> for MaxPayloadOf<T> {
	fn get() -> u32 {
		<T::ThresholdSigner as ThresholdSigner<T::AccountId>>::max_payload_len()
	}
}

/// Lifecycle of an address (a revoked address has no record).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum AddressStatus {
	/// Can be used to sign.
	Active,
	/// A one-time address whose signature was produced.
	Used,
}

/// An address owned by a Meta-Account.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct AddressInfo<T: Config> {
	/// Committee key it is derived from.
	pub key: KeyId,
	/// CAIP-2 id of its chain.
	pub chain: Caip2Id,
	/// The address as text for that chain.
	pub address: AddressText,
	/// The derived compressed public key.
	pub public_key: CompressedPublicKey,
	/// Where it is in its lifecycle.
	pub status: AddressStatus,
	/// Whether it becomes `Used` after one signature.
	pub one_time: bool,
	/// Its unfinished signature requests.
	pub in_flight: u32,
	/// Who paid its deposit.
	pub deposit_payer: T::AccountId,
	/// The deposit held while the record exists.
	pub deposit: BalanceOf<T>,
	/// Block of provisioning.
	pub created_at: frame_system::pallet_prelude::BlockNumberFor<T>,
}
