//! # Ephemeral-addresses pallet
//!
//! Addresses on other chains owned by a Meta-Account, derived on-chain from a committee key
//! with **non-hardened BIP32** — no MPC round is needed to create one.
//!
//! Address number `index` of Meta-Account `m` uses the path
//! [`meta_account_path(m, index)`](waas_primitives::meta_account_path): three indices taken
//! from the Meta-Account id and the address index. The runtime derives the child public key
//! from the key's public key and chain code along that path and encodes it for the chain
//! (CAIP-2 id, e.g. `eip155:1` → EIP-55 address). Signers derive the same path when they
//! sign, so chain and signers always agree.
//!
//! Lifecycle: `Active` → `Used` → `Revoked`. A one-time address becomes `Used` when its first
//! signature is produced; while that signature is in flight further requests are refused, and
//! if it fails the address stays `Active`.
//!
//! [`sign_with_address`](Pallet::sign_with_address) is how a Meta-Account gets a signature:
//! only an authenticator of the Meta-Account that owns the address can ask, and the request
//! goes to the threshold-signers pallet with the address's path.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*, traits::fungible, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use pallet_meta_accounts::MetaAccountId;
use pallet_threshold_signers::{KeyId, OnSignatureOutcome, RequestId, ThresholdSigner};
use scale_info::TypeInfo;
use waas_primitives::{ChainFamily, CompressedPublicKey, HashScheme};

/// Index of an address within its Meta-Account.
pub type AddressIndex = u32;
/// A CAIP-2 chain id (ASCII).
pub type ChainIdOf = BoundedVec<u8, ConstU32<{ waas_primitives::MAX_CHAIN_ID_LEN }>>;
/// An encoded address (ASCII, e.g. EIP-55).
pub type AddressText = BoundedVec<u8, ConstU32<{ waas_primitives::MAX_ADDRESS_LEN }>>;

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Lifecycle of an address.
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
	/// Revoked by its owner; never signs again.
	Revoked,
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
	pub chain: ChainIdOf,
	/// The address as text for that chain.
	pub address: AddressText,
	/// The derived compressed public key.
	pub public_key: CompressedPublicKey,
	/// Where it is in its lifecycle.
	pub status: AddressStatus,
	/// Whether it becomes `Used` after one signature.
	pub one_time: bool,
	/// The signature request in flight for a one-time address.
	pub pending_request: Option<RequestId>,
	/// Who paid its deposit.
	pub deposit_payer: T::AccountId,
	/// The deposit held while the record exists.
	pub deposit: BalanceOf<T>,
	/// Block of provisioning.
	pub created_at: frame_system::pallet_prelude::BlockNumberFor<T>,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::traits::fungible::MutateHold;
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Currency for address deposits.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Origin of a Meta-Account: yields its id and the signing authenticator.
		type MetaAccountOrigin: EnsureOrigin<
			Self::RuntimeOrigin,
			Success = (MetaAccountId, Self::AccountId),
		>;
		/// The threshold signature service.
		type Signer: ThresholdSigner<Self::AccountId>;
		/// Deposit held per address record.
		#[pallet::constant]
		type AddressDeposit: Get<BalanceOf<Self>>;
		/// Maximum addresses one Meta-Account can provision.
		#[pallet::constant]
		type MaxAddressesPerMetaAccount: Get<u32>;
		/// Maximum payload of a signature request.
		#[pallet::constant]
		type MaxPayloadLen: Get<u32>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for an address record.
		Address,
	}

	/// Addresses by Meta-Account and index.
	#[pallet::storage]
	pub type Addresses<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		MetaAccountId,
		Twox64Concat,
		AddressIndex,
		AddressInfo<T>,
		OptionQuery,
	>;

	/// The next address index of each Meta-Account (= how many it has provisioned).
	#[pallet::storage]
	pub type NextAddressIndex<T: Config> =
		StorageMap<_, Blake2_128Concat, MetaAccountId, AddressIndex, ValueQuery>;

	/// One-time addresses with a signature in flight, by request.
	#[pallet::storage]
	pub type PendingSignatures<T: Config> =
		StorageMap<_, Twox64Concat, RequestId, (MetaAccountId, AddressIndex), OptionQuery>;

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A new address was derived for `meta_account`.
		AddressProvisioned {
			meta_account: MetaAccountId,
			index: AddressIndex,
			key: KeyId,
			chain: ChainIdOf,
			address: AddressText,
			one_time: bool,
		},
		/// A signature with the address was requested (see the threshold-signers events).
		AddressSignatureRequested {
			meta_account: MetaAccountId,
			index: AddressIndex,
			request: RequestId,
		},
		/// A one-time address produced its signature and is now `Used`.
		AddressUsed { meta_account: MetaAccountId, index: AddressIndex },
		/// The address was revoked.
		AddressRevoked { meta_account: MetaAccountId, index: AddressIndex },
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The chain id is not a valid CAIP-2 id.
		InvalidChainId,
		/// The chain's namespace is not supported yet (only `eip155` now).
		UnsupportedChain,
		/// The Meta-Account has provisioned the maximum number of addresses.
		TooManyAddresses,
		/// The Meta-Account has no address with this index.
		UnknownAddress,
		/// The address is revoked.
		AddressRevoked,
		/// The one-time address has already been used.
		AddressUsed,
		/// The address is already revoked.
		AlreadyRevoked,
		/// The one-time address already has a signature in flight.
		SignatureInFlight,
		/// This hash scheme is not the one the address's chain uses.
		SchemeNotAllowed,
		/// The payload is empty.
		EmptyPayload,
		/// Derivation failed for this index (probability ~2^-127).
		DerivationFailed,
		/// The derived key could not be encoded as an address.
		EncodingFailed,
		/// The deposit could not be held: free balance too low.
		InsufficientBalanceForDeposit,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Provision the caller's Meta-Account's next address on `chain` (CAIP-2), derived from
		/// committee key `key`. Holds [`Config::AddressDeposit`] from the signing authenticator.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::provision_address())]
		pub fn provision_address(
			origin: OriginFor<T>,
			key: KeyId,
			chain: ChainIdOf,
			one_time: bool,
		) -> DispatchResult {
			let (meta_account, who) = T::MetaAccountOrigin::ensure_origin(origin)?;
			let family = Self::chain_family(&chain)?;
			let index = NextAddressIndex::<T>::get(meta_account);
			ensure!(index < T::MaxAddressesPerMetaAccount::get(), Error::<T>::TooManyAddresses);
			let path = waas_primitives::meta_account_path(meta_account.as_fixed_bytes(), index)
				.map_err(|_| Error::<T>::TooManyAddresses)?;
			let (public_key, address) = Self::derive(key, &path, &family)?;
			let deposit = T::AddressDeposit::get();
			T::Currency::hold(&HoldReason::Address.into(), &who, deposit)
				.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;
			NextAddressIndex::<T>::insert(meta_account, index.saturating_add(1));
			Addresses::<T>::insert(
				meta_account,
				index,
				AddressInfo {
					key,
					chain: chain.clone(),
					address: address.clone(),
					public_key,
					status: AddressStatus::Active,
					one_time,
					pending_request: None,
					deposit_payer: who,
					deposit,
					created_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::AddressProvisioned {
				meta_account,
				index,
				key,
				chain,
				address,
				one_time,
			});
			Ok(())
		}

		/// Ask the committee to sign `payload` with address `index` of the caller's
		/// Meta-Account. The payload is hashed with `scheme`, which must be the address chain's
		/// (keccak-256 for EVM). The request deposit is held from the signing authenticator.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::sign_with_address()
				.saturating_add(T::Signer::request_signature_weight(4, payload.len() as u32))
		)]
		pub fn sign_with_address(
			origin: OriginFor<T>,
			index: AddressIndex,
			payload: BoundedVec<u8, T::MaxPayloadLen>,
			scheme: HashScheme,
		) -> DispatchResult {
			let (meta_account, who) = T::MetaAccountOrigin::ensure_origin(origin)?;
			let mut info =
				Addresses::<T>::get(meta_account, index).ok_or(Error::<T>::UnknownAddress)?;
			match info.status {
				AddressStatus::Active => {},
				AddressStatus::Used => return Err(Error::<T>::AddressUsed.into()),
				AddressStatus::Revoked => return Err(Error::<T>::AddressRevoked.into()),
			}
			ensure!(info.pending_request.is_none(), Error::<T>::SignatureInFlight);
			ensure!(!payload.is_empty(), Error::<T>::EmptyPayload);
			let family = Self::chain_family(&info.chain)?;
			ensure!(Self::scheme_allowed(&family, scheme), Error::<T>::SchemeNotAllowed);
			let path = waas_primitives::meta_account_path(meta_account.as_fixed_bytes(), index)
				.map_err(|_| Error::<T>::UnknownAddress)?;
			let request = T::Signer::request_signature(&who, info.key, &path, &payload, scheme)?;
			if info.one_time {
				info.pending_request = Some(request);
				PendingSignatures::<T>::insert(request, (meta_account, index));
				Addresses::<T>::insert(meta_account, index, info);
			}
			Self::deposit_event(Event::AddressSignatureRequested { meta_account, index, request });
			Ok(())
		}

		/// Revoke address `index` of the caller's Meta-Account: it never signs again. The
		/// record (and its deposit) stays, so the index is never reused.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::revoke_address())]
		pub fn revoke_address(origin: OriginFor<T>, index: AddressIndex) -> DispatchResult {
			let (meta_account, _) = T::MetaAccountOrigin::ensure_origin(origin)?;
			Addresses::<T>::try_mutate(meta_account, index, |maybe| -> DispatchResult {
				let info = maybe.as_mut().ok_or(Error::<T>::UnknownAddress)?;
				ensure!(info.status != AddressStatus::Revoked, Error::<T>::AlreadyRevoked);
				info.status = AddressStatus::Revoked;
				Ok(())
			})?;
			Self::deposit_event(Event::AddressRevoked { meta_account, index });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Parses a CAIP-2 id into a supported chain family.
		pub fn chain_family(chain: &[u8]) -> Result<ChainFamily, DispatchError> {
			use waas_primitives::CaipError;
			ChainFamily::from_caip2(chain).map_err(|e| {
				match e {
					CaipError::UnsupportedNamespace => Error::<T>::UnsupportedChain,
					_ => Error::<T>::InvalidChainId,
				}
				.into()
			})
		}

		/// Whether `scheme` is how signatures on `family` hash their message.
		pub fn scheme_allowed(family: &ChainFamily, scheme: HashScheme) -> bool {
			match family {
				ChainFamily::Evm { .. } => scheme == HashScheme::Keccak256,
			}
		}

		/// Derives the public key and address text for `path` under an Active `key`.
		pub fn derive(
			key: KeyId,
			path: &[u32],
			family: &ChainFamily,
		) -> Result<(CompressedPublicKey, AddressText), DispatchError> {
			let (public_key, chain_code) = T::Signer::active_key(key)?;
			let (child, _) = waas_primitives::derive_public_key(&public_key, &chain_code, path)
				.map_err(|_| Error::<T>::DerivationFailed)?;
			let text: Vec<u8> = waas_primitives::encode_address(family, &child)
				.map_err(|_| Error::<T>::EncodingFailed)?;
			let address = AddressText::try_from(text).map_err(|_| Error::<T>::EncodingFailed)?;
			Ok((child, address))
		}

		/// The address text for (`key`, `path`, `chain`), as the runtime API exposes it.
		pub fn derive_address(
			key: KeyId,
			path: &[u32],
			chain: &[u8],
		) -> Result<AddressText, DispatchError> {
			let family = Self::chain_family(chain)?;
			Self::derive(key, path, &family).map(|(_, address)| address)
		}

		/// All addresses of a Meta-Account, by index.
		pub fn addresses_of(meta_account: &MetaAccountId) -> Vec<(AddressIndex, AddressInfo<T>)> {
			Addresses::<T>::iter_prefix(meta_account).collect()
		}
	}
}

impl<T: Config> OnSignatureOutcome for Pallet<T> {
	fn on_signed(request: RequestId) {
		let Some((meta_account, index)) = PendingSignatures::<T>::take(request) else { return };
		let mut used = false;
		Addresses::<T>::mutate(meta_account, index, |maybe| {
			if let Some(info) = maybe {
				info.pending_request = None;
				if info.status == AddressStatus::Active {
					info.status = AddressStatus::Used;
					used = true;
				}
			}
		});
		if used {
			Self::deposit_event(Event::AddressUsed { meta_account, index });
		}
	}

	fn on_failed(request: RequestId) {
		let Some((meta_account, index)) = PendingSignatures::<T>::take(request) else { return };
		Addresses::<T>::mutate(meta_account, index, |maybe| {
			if let Some(info) = maybe {
				info.pending_request = None;
			}
		});
	}
}
