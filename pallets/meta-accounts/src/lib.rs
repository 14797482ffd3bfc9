//! # Meta-Accounts pallet
//!
//! A **Meta-Account** is one identity controlled by several **authenticators** of three kinds,
//! each verified by the runtime itself:
//!
//! - a **passkey** (WebAuthn, ES256 / P-256): its assertions are verified on-chain — type,
//!   challenge, origin and rpIdHash against the runtime's allow-list
//!   ([`Config::RelyingParties`]), user presence (and verification, by policy), the signature
//!   counter;
//! - an **EVM wallet**: EIP-191 `personal_sign` or EIP-712 typed data, recovered with the
//!   secp256k1 host function;
//! - a **Substrate account**, which signs extrinsics itself.
//!
//! Nobody becomes an authenticator without proving it: a passkey or wallet signs a
//! *possession statement* naming the Meta-Account, its current epoch and the role; a Substrate
//! account accepts an invitation with its own extrinsic. A proof is good for one Meta-Account
//! in one state, so it can neither be moved to another Meta-Account nor replayed later.
//!
//! ## Roles, and why one stolen device is not a takeover
//!
//! Every authenticator has a [`Role`]: `Owner` (manages authenticators), `Signer` (provisions
//! addresses and asks for signatures), `Viewer`. Adding an authenticator takes an Owner and the
//! new authenticator's proof. Removing *another* authenticator or changing a role is only a
//! proposal ([`Pallet::remove_authenticator`], [`Pallet::set_role`]): it takes effect after
//! [`Config::ChangeDelay`] blocks ([`Pallet::enact_change`]), and until then any Owner can
//! [`veto_change`](Pallet::veto_change) it. A Meta-Account always keeps at least one Owner,
//! and holds at most [`Config::MaxAuthenticators`] authenticators, each with a deposit.
//!
//! ## Without a Substrate key
//!
//! A passkey or EVM wallet acts through an [`Envelope`]: genesis hash, Meta-Account,
//! authenticator, nonce, last valid block, fee payer and a call, signed by the authenticator.
//! [`Pallet::dispatch_envelope`] and [`Pallet::create_with_authenticator`] are **unsigned
//! transactions**, validated in the pool before they cost a block anything: proof verified,
//! nonce, validity window, the call allowed for the role ([`Config::RoleFilter`]), and a fee
//! that the payer can pay — the Meta-Account's **sovereign account**
//! ([`Pallet::sovereign_account`]) or a sponsor that opted in with an allowance
//! ([`Pallet::set_sponsorship`]). The fee is priced like a signed transaction's
//! ([`Config::UnsignedFee`]) and burnt, so unsigned spam cannot fill blocks. The call is
//! dispatched with this pallet's [`MetaAccountOrigin`]; what it holds or charges comes from the
//! sovereign account.
//!
//! The exact bytes of envelopes and statements are in the README ("Envelope format").
//!
//! ## Identity and deposits
//!
//! A Meta-Account id is `blake2_256("waas/meta-account" ‖ SCALE(creator key) ‖ nonce LE u32)`
//! ([`Pallet::meta_account_id`]), where the creator key is an [`AuthenticatorKey`] and `nonce`
//! counts the Meta-Accounts that key created before. An authenticator acts for at most one
//! Meta-Account. Every stored item holds a deposit (base + per byte) from whoever added it,
//! returned when it goes; [`close_meta_account`](Pallet::close_meta_account) by the last
//! authenticator returns them all once the other pallets hold nothing for it
//! ([`Config::Dependents`]).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use origin::{Acting, EnsureMetaAccount, MetaAccountOrigin};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod envelope;
/// Storage invariants (`try_state`), public so that tests of dependent pallets and
/// try-runtime can check them.
mod invariants;
mod management;
#[cfg(test)]
mod mock;
pub mod origin;
pub mod proofs;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use frame_support::{
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	pallet_prelude::*,
	traits::{fungible, IsSubType},
};
use sp_runtime::traits::Dispatchable;
use waas_traits::{AccountActivity, MetaAccountDependents, MetaAccountInspect};

/// Domain tag hashed into every Meta-Account id (17 bytes, no length prefix).
pub const META_ACCOUNT_ID_DOMAIN: [u8; 17] = *b"waas/meta-account";
/// Domain tag hashed into every sovereign account (14 bytes, no length prefix).
pub const SOVEREIGN_DOMAIN: [u8; 14] = *b"waas/sovereign";

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// The pallet's storage layout version: 1 since authenticators have kinds and roles (no
/// migration: no chain ran version 0 beyond development).
const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::traits::{
		fungible::{Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{Saturating, StaticLookup, Zero};

	type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The overarching call type: what an envelope carries.
		type RuntimeCall: Parameter
			+ Dispatchable<
				RuntimeOrigin = <Self as frame_system::Config>::RuntimeOrigin,
				PostInfo = PostDispatchInfo,
			> + GetDispatchInfo
			+ From<Call<Self>>
			+ IsSubType<Call<Self>>
			+ IsType<<Self as frame_system::Config>::RuntimeCall>;
		/// The overarching origin, which includes this pallet's [`MetaAccountOrigin`].
		type RuntimeOrigin: From<Origin<Self>>
			+ Into<Result<Origin<Self>, <Self as Config>::RuntimeOrigin>>
			+ IsType<<Self as frame_system::Config>::RuntimeOrigin>
			+ Clone;
		/// The currency in which deposits are held and unsigned fees burnt.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Which calls each role may dispatch through an envelope.
		type RoleFilter: RoleFilter<<Self as Config>::RuntimeCall>;
		/// The price and pool priority of an unsigned transaction of this pallet.
		type UnsignedFee: UnsignedFee<BalanceOf<Self>>;
		/// The WebAuthn relying parties (rp id and origin) whose passkeys are accepted.
		type RelyingParties: Get<&'static [waas_primitives::webauthn::RelyingParty]>;
		/// Whether passkey signatures must carry the user-verified (UV) flag.
		#[pallet::constant]
		type RequireUserVerification: Get<bool>;
		/// Deposit per stored item.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;
		/// Deposit per byte of a stored item.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;
		/// Maximum number of authenticators of one Meta-Account.
		#[pallet::constant]
		type MaxAuthenticators: Get<u32>;
		/// Maximum number of pending invitations of one Meta-Account.
		#[pallet::constant]
		type MaxPendingInvitations: Get<u32>;
		/// Maximum number of pending changes of one Meta-Account.
		#[pallet::constant]
		type MaxPendingChanges: Get<u32>;
		/// Blocks an invitation can be accepted in.
		#[pallet::constant]
		type InvitationLifetime: Get<BlockNumberFor<Self>>;
		/// Blocks between proposing a change to another authenticator and enacting it; the
		/// window in which an Owner can veto it.
		#[pallet::constant]
		type ChangeDelay: Get<BlockNumberFor<Self>>;
		/// How far ahead an envelope's last valid block may be.
		#[pallet::constant]
		type MaxEnvelopeLifetime: Get<BlockNumberFor<Self>>;
		/// Pallets that hold something for a Meta-Account; it closes only when they all agree.
		type Dependents: MetaAccountDependents;
		/// Where the Meta-Accounts' security events are recorded (`()`: nowhere).
		type Activity: AccountActivity<Self::AccountId>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// The origin of calls dispatched from envelopes.
	#[pallet::origin]
	pub type Origin<T> = MetaAccountOrigin<<T as frame_system::Config>::AccountId>;

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for an authenticator's entry.
		Authenticator,
		/// Deposit for a pending invitation.
		Invitation,
		/// Deposit for a pending change.
		Change,
		/// Deposit for a sponsorship.
		Sponsorship,
		/// The fee of an unsigned transaction while its call runs (then burnt).
		UnsignedFee,
	}

	/// Meta-Accounts by id.
	#[pallet::storage]
	pub type MetaAccounts<T: Config> =
		StorageMap<_, Blake2_128Concat, MetaAccountId, MetaAccountOf<T>, OptionQuery>;

	/// The authenticators of each Meta-Account.
	#[pallet::storage]
	pub type Authenticators<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		MetaAccountId,
		Blake2_128Concat,
		AuthenticatorKeyOf<T>,
		AuthenticatorInfoOf<T>,
		OptionQuery,
	>;

	/// The Meta-Account each authenticator acts for.
	#[pallet::storage]
	pub type AuthenticatorOf<T: Config> =
		StorageMap<_, Blake2_128Concat, AuthenticatorKeyOf<T>, MetaAccountId, OptionQuery>;

	/// How many Meta-Accounts each authenticator has created; part of the next id.
	#[pallet::storage]
	pub type CreationNonce<T: Config> =
		StorageMap<_, Blake2_128Concat, AuthenticatorKeyOf<T>, u32, ValueQuery>;

	/// Pending invitations of Substrate accounts: by invitee, then by inviting Meta-Account.
	#[pallet::storage]
	pub type Invitations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		MetaAccountId,
		InvitationOf<T>,
		OptionQuery,
	>;

	/// Pending changes of each Meta-Account.
	#[pallet::storage]
	pub type PendingChanges<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		MetaAccountId,
		Twox64Concat,
		ChangeId,
		PendingChangeOf<T>,
		OptionQuery,
	>;

	/// Fee allowances: by sponsor, then by the Meta-Account whose unsigned fees it pays;
	/// `(remaining allowance, deposit)`.
	#[pallet::storage]
	pub type Sponsorships<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		MetaAccountId,
		(BalanceOf<T>, BalanceOf<T>),
		OptionQuery,
	>;

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A Meta-Account was created; `creator` is its first Owner.
		MetaAccountCreated { meta_account: MetaAccountId, creator: AuthenticatorKeyOf<T> },
		/// `authenticator` now acts for `meta_account` with `role`.
		AuthenticatorAdded {
			meta_account: MetaAccountId,
			authenticator: AuthenticatorKeyOf<T>,
			role: Role,
		},
		/// `authenticator` no longer acts for `meta_account`.
		AuthenticatorRemoved { meta_account: MetaAccountId, authenticator: AuthenticatorKeyOf<T> },
		/// `authenticator` of `meta_account` now has `role`.
		RoleChanged {
			meta_account: MetaAccountId,
			authenticator: AuthenticatorKeyOf<T>,
			role: Role,
		},
		/// `invitee` was invited to authenticate for `meta_account` with `role` until
		/// `expires_at`.
		AuthenticatorInvited {
			meta_account: MetaAccountId,
			invitee: T::AccountId,
			invited_by: AuthenticatorKeyOf<T>,
			role: Role,
			expires_at: BlockNumberFor<T>,
		},
		/// An invitation was withdrawn, declined or cleared after expiry.
		InvitationCancelled { meta_account: MetaAccountId, invitee: T::AccountId },
		/// `proposer` proposed `change`; it can be enacted from block `enact_at` unless an
		/// Owner vetoes it first.
		ChangeProposed {
			meta_account: MetaAccountId,
			change_id: ChangeId,
			change: Change<T::AccountId>,
			proposer: AuthenticatorKeyOf<T>,
			enact_at: BlockNumberFor<T>,
		},
		/// An Owner vetoed (or its proposer withdrew) a pending change.
		ChangeVetoed { meta_account: MetaAccountId, change_id: ChangeId, by: AuthenticatorKeyOf<T> },
		/// A pending change took effect.
		ChangeEnacted { meta_account: MetaAccountId, change_id: ChangeId },
		/// A pending change was dropped because its proposer or its target left.
		ChangeDropped { meta_account: MetaAccountId, change_id: ChangeId },
		/// The Meta-Account was closed by its last authenticator; every deposit was returned
		/// and its sovereign account's balance sent to `beneficiary`.
		MetaAccountClosed {
			meta_account: MetaAccountId,
			closed_by: AuthenticatorKeyOf<T>,
			beneficiary: T::AccountId,
		},
		/// An envelope of `authenticator` with `nonce` was dispatched; `result` is its call's.
		EnvelopeDispatched {
			meta_account: MetaAccountId,
			authenticator: AuthenticatorKeyOf<T>,
			nonce: u64,
			fee: BalanceOf<T>,
			result: DispatchResult,
		},
		/// `sponsor` pays unsigned fees of `meta_account` up to `allowance` (0: no longer).
		SponsorshipSet {
			sponsor: T::AccountId,
			meta_account: MetaAccountId,
			allowance: BalanceOf<T>,
		},
	}

	/// Errors of the pallet. In the transaction pool an unsigned transaction that would fail
	/// with one of these is refused with `InvalidTransaction::Custom(index of the error)`.
	#[pallet::error]
	pub enum Error<T> {
		/// The authenticator already acts for a Meta-Account.
		AlreadyAuthenticator,
		/// The origin is not an authenticator of any Meta-Account.
		NotAuthenticator,
		/// No such authenticator in the caller's Meta-Account.
		AuthenticatorNotFound,
		/// The Meta-Account already has the maximum number of authenticators.
		TooManyAuthenticators,
		/// The last authenticator cannot leave; close the Meta-Account instead.
		LastAuthenticator,
		/// Only the last authenticator can close a Meta-Account.
		NotLastAuthenticator,
		/// The creation nonce of this authenticator is exhausted.
		NonceOverflow,
		/// No Meta-Account with this id.
		UnknownMetaAccount,
		/// A Meta-Account with the derived id already exists (a blake2-256 collision).
		IdCollision,
		/// The account already has a pending invitation from this Meta-Account.
		AlreadyInvited,
		/// The Meta-Account has the maximum number of pending invitations.
		TooManyInvitations,
		/// No pending invitation from this Meta-Account to this account.
		NoInvitation,
		/// The invitation has expired.
		InvitationExpired,
		/// Only an Owner of the inviting Meta-Account or the invitee may cancel an invitation
		/// that has not expired.
		NotAllowedToCancel,
		/// Only an Owner may do this.
		NotOwner,
		/// The change would leave the Meta-Account without an Owner.
		LastOwner,
		/// The authenticator already has this role.
		RoleUnchanged,
		/// The Meta-Account has the maximum number of pending changes.
		TooManyPendingChanges,
		/// No pending change with this id in this Meta-Account.
		UnknownChange,
		/// The change's delay has not passed yet.
		ChangeNotDue,
		/// Passkeys are new authenticators only through their registration; Substrate accounts
		/// join by invitation.
		UnsupportedAuthenticator,
		/// The proof's kind does not match the authenticator's kind.
		ProofKindMismatch,
		/// A passkey registered with attestation `none` needs an assertion that proves
		/// possession.
		PossessionNotProven,
		/// The passkey's credential id is longer than the pallet stores.
		CredentialIdTooLong,
		/// `clientDataJSON` is longer than accepted (1024 bytes).
		PasskeyClientDataTooLong,
		/// `authenticatorData` is longer than accepted (1024 bytes).
		PasskeyAuthenticatorDataTooLong,
		/// The attestation object is longer than accepted (2048 bytes).
		PasskeyAttestationTooLong,
		/// The signature is longer than a DER ES256 signature (72 bytes).
		PasskeySignatureTooLong,
		/// `clientDataJSON` is not a JSON object with string `type`, `challenge` and `origin`.
		PasskeyMalformedClientData,
		/// `clientDataJSON` has the wrong `type` for this ceremony.
		PasskeyWrongType,
		/// The `challenge` is not base64url without padding.
		PasskeyMalformedChallenge,
		/// The `challenge` is not the statement's or envelope's digest.
		PasskeyChallengeMismatch,
		/// The `origin` is not one of the runtime's relying parties.
		PasskeyOriginNotAllowed,
		/// The ceremony ran in a cross-origin frame (`crossOrigin: true`).
		PasskeyCrossOrigin,
		/// The ceremony ran in a cross-origin frame (`topOrigin` present).
		PasskeyTopOrigin,
		/// `authenticatorData` is malformed.
		PasskeyMalformedAuthenticatorData,
		/// The rpIdHash is not the relying party's.
		PasskeyRpIdMismatch,
		/// The user-present (UP) flag is not set.
		PasskeyUserNotPresent,
		/// The user-verified (UV) flag is not set and the runtime requires it.
		PasskeyUserNotVerified,
		/// The backed-up (BS) flag is set without the backup-eligible (BE) flag.
		PasskeyInconsistentBackupFlags,
		/// An assertion carries attested credential data.
		PasskeyUnexpectedAttestedCredential,
		/// The registration has no attested credential data.
		PasskeyMissingCredential,
		/// The extensions in `authenticatorData` are malformed.
		PasskeyMalformedExtensions,
		/// A WebAuthn structure has bytes after its end.
		PasskeyTrailingBytes,
		/// The credential public key is malformed or not on the curve.
		PasskeyMalformedPublicKey,
		/// The credential is not ES256 on P-256.
		PasskeyUnsupportedAlgorithm,
		/// The signature is not DER or 64-byte `r ‖ s`.
		PasskeyMalformedSignature,
		/// The signature does not verify.
		PasskeyBadSignature,
		/// The attestation object is malformed.
		PasskeyMalformedAttestation,
		/// Only attestation `none` and `packed` self-attestation (no `x5c`) are accepted.
		PasskeyUnsupportedAttestation,
		/// The `packed` self-attestation signature does not verify.
		PasskeyBadAttestationSignature,
		/// The passkey's signature counter did not increase (a cloned authenticator?).
		SignCountNotIncreasing,
		/// The EVM signature's recovery id is not 0, 1, 27 or 28, or its `s` is malformed.
		EvmMalformedSignature,
		/// No public key recovers from the EVM signature.
		EvmRecoveryFailed,
		/// The EVM signature recovers to another address.
		EvmSignerMismatch,
		/// The envelope's last valid block has passed.
		EnvelopeExpired,
		/// The envelope's last valid block is further ahead than the runtime allows.
		EnvelopeTooLongLived,
		/// The envelope's nonce was used already.
		StaleNonce,
		/// The envelope's nonce is ahead of the Meta-Account's next nonce.
		FutureNonce,
		/// The authenticator's role may not dispatch this call through an envelope.
		CallNotAllowed,
		/// The fee payer cannot pay the fee (and, for a creation, the sovereign account the
		/// deposit).
		CannotPayFee,
		/// The sponsor has no allowance for this Meta-Account, or too little.
		NoSponsorship,
		/// Unsigned transactions of this pallet need a `None` origin, and others a signed one.
		WrongOrigin,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxAuthenticators::get() >= 2, "MaxAuthenticators must be >= 2");
			assert!(T::MaxPendingChanges::get() > 0, "MaxPendingChanges must be > 0");
			assert!(
				!T::RelyingParties::get().is_empty(),
				"RelyingParties must name at least one relying party"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a Meta-Account whose first Owner is the caller's Substrate account, which must
		/// not already authenticate for one. Holds the caller's entry deposit.
		///
		/// The dispatch origin must be signed.
		///
		/// Emits [`Event::MetaAccountCreated`]. Errors: `AlreadyAuthenticator`,
		/// `NonceOverflow`, `IdCollision`, and the currency's error if the deposit cannot be
		/// held.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create().saturating_add(T::Activity::open_weight()))]
		pub fn create(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create(AuthenticatorKey::Substrate(who.clone()), None, who).map(|_| ())
		}

		/// Invite the Substrate account `account` to authenticate for the caller's Meta-Account
		/// with `role`. Nothing changes for `account` until it accepts. Holds the invitation
		/// deposit from the caller's payer.
		///
		/// The dispatch origin must be an Owner (signed or from an envelope).
		///
		/// Emits [`Event::AuthenticatorInvited`]. Errors: `NotAuthenticator`, `NotOwner`,
		/// `AlreadyAuthenticator` (already one of this Meta-Account's), `AlreadyInvited`,
		/// `TooManyInvitations`, and the currency's error if the deposit cannot be held.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::invite_authenticator())]
		pub fn invite_authenticator(
			origin: OriginFor<T>,
			account: AccountIdLookupOf<T>,
			role: Role,
		) -> DispatchResult {
			let acting = Self::acting_owner(origin)?;
			let invitee = T::Lookup::lookup(account)?;
			Self::do_invite(acting, invitee, role)
		}

		/// Accept an invitation of `meta_account`: the caller becomes its authenticator with the
		/// invited role. Holds the caller's entry deposit and returns the inviter's.
		///
		/// The dispatch origin must be signed by the invitee.
		///
		/// Emits [`Event::AuthenticatorAdded`]. Errors: `NoInvitation`, `InvitationExpired`,
		/// `AlreadyAuthenticator`, `UnknownMetaAccount`, `TooManyAuthenticators`, and the
		/// currency's error if the deposit cannot be held.
		///
		/// ## Complexity
		/// O(i) for i pending invitations.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::accept_invitation().saturating_add(T::Activity::record_weight()))]
		pub fn accept_invitation(
			origin: OriginFor<T>,
			meta_account: MetaAccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept(who, meta_account)
		}

		/// Cancel the invitation of `invitee` to `meta_account` and return its deposit: an
		/// Owner of `meta_account` withdraws it, the invitee declines it, or anyone clears it
		/// once it has expired.
		///
		/// The dispatch origin must be signed or from an envelope.
		///
		/// Emits [`Event::InvitationCancelled`]. Errors: `NoInvitation`, `NotAllowedToCancel`.
		///
		/// ## Complexity
		/// O(i) for i pending invitations of the Meta-Account.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel_invitation())]
		pub fn cancel_invitation(
			origin: OriginFor<T>,
			meta_account: MetaAccountId,
			invitee: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let invitee = T::Lookup::lookup(invitee)?;
			Self::do_cancel_invitation(origin, meta_account, invitee)
		}

		/// Remove `authenticator` from the caller's Meta-Account. The caller removing itself
		/// takes effect at once (the last Owner cannot). Removing another authenticator takes an
		/// Owner and is only proposed: it can be enacted after [`Config::ChangeDelay`] blocks,
		/// and any Owner can veto it until then. The entry's deposit goes back to its payer.
		///
		/// The dispatch origin must be an authenticator (signed or from an envelope).
		///
		/// Emits [`Event::AuthenticatorRemoved`] or [`Event::ChangeProposed`]. Errors:
		/// `NotAuthenticator`, `NotOwner`, `AuthenticatorNotFound`, `LastAuthenticator`,
		/// `LastOwner`, `TooManyPendingChanges`.
		///
		/// ## Complexity
		/// O(c) for c pending changes of the Meta-Account.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::remove_authenticator()
			.max(T::WeightInfo::propose_change())
			.saturating_add(T::Activity::record_weight()))]
		pub fn remove_authenticator(
			origin: OriginFor<T>,
			authenticator: AuthenticatorKeyOf<T>,
		) -> DispatchResult {
			let acting = Self::acting(origin)?;
			if acting.key == authenticator {
				Self::do_leave(acting)
			} else {
				Self::propose(acting, Change::Remove(authenticator))
			}
		}

		/// Close the caller's Meta-Account: cancels its invitations and pending changes,
		/// returns every deposit and sends what its sovereign account holds to `beneficiary`.
		/// Only its last authenticator, an Owner, can, and only once the other pallets hold
		/// nothing for it (every address revoked).
		///
		/// The dispatch origin must be the Meta-Account's only authenticator (signed or from
		/// an envelope).
		///
		/// Emits [`Event::InvitationCancelled`] per invitation, [`Event::ChangeDropped`] per
		/// pending change, then [`Event::MetaAccountClosed`]. Errors: `NotAuthenticator`,
		/// `NotOwner`, `NotLastAuthenticator`, and the dependents' errors.
		///
		/// ## Complexity
		/// O(i + c) for i invitations and c pending changes.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::close_meta_account(
				T::MaxPendingInvitations::get(),
				T::MaxPendingChanges::get(),
			)
			.saturating_add(T::Dependents::ensure_can_close_weight())
			.saturating_add(T::Activity::close_weight()))]
		pub fn close_meta_account(
			origin: OriginFor<T>,
			beneficiary: AccountIdLookupOf<T>,
		) -> DispatchResultWithPostInfo {
			let acting = Self::acting_owner(origin)?;
			let beneficiary = T::Lookup::lookup(beneficiary)?;
			let (invitations, changes) = Self::do_close(acting, beneficiary)?;
			Ok(Some(
				T::WeightInfo::close_meta_account(invitations, changes)
					.saturating_add(T::Dependents::ensure_can_close_weight())
					.saturating_add(T::Activity::close_weight()),
			)
			.into())
		}

		/// Add a passkey or EVM wallet to the caller's Meta-Account with `role`. `new` carries
		/// the new authenticator's proof of possession: its signature of the statement
		/// `(Existing { meta_account, epoch }, role)` (see [`proofs`]). Holds the entry's
		/// deposit from the caller's payer.
		///
		/// The dispatch origin must be an Owner (signed or from an envelope).
		///
		/// Emits [`Event::AuthenticatorAdded`]. Errors: `NotOwner`, `AlreadyAuthenticator`,
		/// `TooManyAuthenticators`, `CredentialIdTooLong`, every `Passkey…` and `Evm…` error,
		/// `PossessionNotProven`, and the currency's error if the deposit cannot be held.
		///
		/// ## Complexity
		/// O(1); at most two P-256 verifications or one secp256k1 recovery.
		#[pallet::call_index(6)]
		#[pallet::weight(Pallet::<T>::new_authenticator_weight(new))]
		pub fn add_authenticator(
			origin: OriginFor<T>,
			new: NewAuthenticator,
			role: Role,
		) -> DispatchResult {
			let acting = Self::acting_owner(origin)?;
			Self::do_add(acting, new, role)
		}

		/// Propose to give `authenticator` of the caller's Meta-Account another `role`. It can
		/// be enacted after [`Config::ChangeDelay`] blocks; any Owner can veto it until then.
		///
		/// The dispatch origin must be an Owner (signed or from an envelope).
		///
		/// Emits [`Event::ChangeProposed`]. Errors: `NotOwner`, `AuthenticatorNotFound`,
		/// `RoleUnchanged`, `LastOwner`, `TooManyPendingChanges`, and the currency's error if
		/// the deposit cannot be held.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::propose_change().saturating_add(T::Activity::record_weight()))]
		pub fn set_role(
			origin: OriginFor<T>,
			authenticator: AuthenticatorKeyOf<T>,
			role: Role,
		) -> DispatchResult {
			let acting = Self::acting_owner(origin)?;
			Self::propose(acting, Change::SetRole(authenticator, role))
		}

		/// Veto (or, for its proposer, withdraw) pending change `change_id` of the caller's
		/// Meta-Account; its deposit goes back.
		///
		/// The dispatch origin must be an Owner (signed or from an envelope).
		///
		/// Emits [`Event::ChangeVetoed`]. Errors: `NotOwner`, `UnknownChange`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::veto_change().saturating_add(T::Activity::record_weight()))]
		pub fn veto_change(origin: OriginFor<T>, change_id: ChangeId) -> DispatchResult {
			let acting = Self::acting_owner(origin)?;
			Self::do_veto(acting, change_id)
		}

		/// Enact pending change `change_id` of `meta_account` once its delay has passed. Anyone
		/// may: the change was decided when the delay passed without a veto.
		///
		/// The dispatch origin must be signed or from an envelope.
		///
		/// Emits [`Event::ChangeEnacted`], and [`Event::AuthenticatorRemoved`] or
		/// [`Event::RoleChanged`]. Errors: `UnknownChange`, `ChangeNotDue`, `LastOwner`,
		/// `LastAuthenticator`.
		///
		/// ## Complexity
		/// O(c) for c pending changes of the Meta-Account.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::enact_change().saturating_add(T::Activity::record_weight()))]
		pub fn enact_change(
			origin: OriginFor<T>,
			meta_account: MetaAccountId,
			change_id: ChangeId,
		) -> DispatchResult {
			ensure!(
				Self::meta_account_origin(&origin).is_some()
					|| frame_system::ensure_signed(origin).is_ok(),
				Error::<T>::WrongOrigin
			);
			Self::do_enact(meta_account, change_id)
		}

		/// Create a Meta-Account whose first Owner is a passkey or EVM wallet, without a
		/// Substrate key: an **unsigned** transaction. `new` proves possession with the
		/// statement `(NewMetaAccount { creation_nonce }, Owner)`. The fee is paid by
		/// `fee_payer`; the entry's deposit is held from the new Meta-Account's sovereign
		/// account, which must be funded beforehand ([`Pallet::meta_account_id`] and
		/// [`Pallet::sovereign_account`] tell its address before it exists).
		///
		/// The dispatch origin must be none (an unsigned transaction).
		///
		/// Emits [`Event::MetaAccountCreated`]. Errors: those of
		/// [`add_authenticator`](Pallet::add_authenticator), `CannotPayFee`, `NoSponsorship`,
		/// `NonceOverflow`, `IdCollision`.
		///
		/// ## Complexity
		/// O(1); at most two P-256 verifications or one secp256k1 recovery.
		#[pallet::call_index(10)]
		#[pallet::weight(Pallet::<T>::creation_weight(new))]
		pub fn create_with_authenticator(
			origin: OriginFor<T>,
			new: NewAuthenticator,
			fee_payer: FeePayer<T::AccountId>,
		) -> DispatchResultWithPostInfo {
			ensure_none(origin).map_err(|_| Error::<T>::WrongOrigin)?;
			Self::do_create_unsigned(new, fee_payer)
		}

		/// Dispatch `envelope.call` as `envelope.meta_account`, authorised by `proof` from the
		/// envelope's passkey or EVM wallet instead of a Substrate key: an **unsigned**
		/// transaction. The fee is paid by `envelope.fee_payer` and burnt, whether the call
		/// succeeds or not; the nonce is used either way. The call runs with this pallet's
		/// [`MetaAccountOrigin`] and only if the authenticator's role allows it
		/// ([`Config::RoleFilter`]).
		///
		/// The dispatch origin must be none (an unsigned transaction).
		///
		/// Emits [`Event::EnvelopeDispatched`] with the call's result. Errors (the envelope is
		/// refused and nothing changes): `UnknownMetaAccount`, `NotAuthenticator`,
		/// `ProofKindMismatch`, `EnvelopeExpired`, `EnvelopeTooLongLived`, `StaleNonce`,
		/// `FutureNonce`, `CallNotAllowed`, `CannotPayFee`, `NoSponsorship`,
		/// `SignCountNotIncreasing`, every `Passkey…` and `Evm…` error.
		///
		/// ## Complexity
		/// The call's own, plus one P-256 verification or one secp256k1 recovery.
		#[pallet::call_index(11)]
		#[pallet::weight(Pallet::<T>::envelope_weight(envelope, proof))]
		pub fn dispatch_envelope(
			origin: OriginFor<T>,
			envelope: EnvelopeOf<T>,
			proof: EnvelopeProof,
		) -> DispatchResultWithPostInfo {
			ensure_none(origin).map_err(|_| Error::<T>::WrongOrigin)?;
			Self::do_dispatch_envelope(envelope, proof)
		}

		/// Pay the unsigned fees of `meta_account` (which need not exist yet) up to
		/// `allowance`; 0 ends the sponsorship. Holds a deposit from the caller while it lasts.
		///
		/// The dispatch origin must be signed.
		///
		/// Emits [`Event::SponsorshipSet`]. Errors: the currency's error if the deposit
		/// cannot be held.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::set_sponsorship())]
		pub fn set_sponsorship(
			origin: OriginFor<T>,
			meta_account: MetaAccountId,
			allowance: BalanceOf<T>,
		) -> DispatchResult {
			let sponsor = ensure_signed(origin)?;
			Self::do_set_sponsorship(sponsor, meta_account, allowance)
		}
	}

	// `ValidateUnsigned` is deprecated in favour of `#[pallet::authorize]`, whose transactions
	// are "general" (extrinsic v5); polkadot.js 16.5 cannot build those, and the envelope must
	// be submittable from a browser page with it. Bare unsigned transactions work with every
	// client; the README notes the migration.
	#[allow(deprecated)]
	#[pallet::validate_unsigned]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		/// Full validation, signatures included, before an unsigned transaction enters the pool.
		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			match call {
				Call::dispatch_envelope { envelope, proof } => {
					Self::validate_envelope(envelope, proof)
				},
				Call::create_with_authenticator { new, fee_payer } => {
					Self::validate_creation(new, fee_payer)
				},
				_ => InvalidTransaction::Call.into(),
			}
		}

		/// The state checks again, right before inclusion (signatures are verified again when
		/// the call runs, within its weight): a transaction that became stale or unpaid in the
		/// pool never reaches a block.
		fn pre_dispatch(call: &Self::Call) -> Result<(), TransactionValidityError> {
			match call {
				Call::dispatch_envelope { envelope, proof } => {
					Self::pre_dispatch_envelope(envelope, proof)
				},
				Call::create_with_authenticator { new, fee_payer } => {
					Self::pre_dispatch_creation(new, fee_payer)
				},
				_ => Err(InvalidTransaction::Call.into()),
			}
		}
	}

	impl<T: Config> Pallet<T> {
		/// The id that `creator`'s Meta-Account number `nonce` gets:
		/// `blake2_256(META_ACCOUNT_ID_DOMAIN ‖ SCALE(creator) ‖ nonce as u32 little-endian)`.
		pub fn meta_account_id(creator: &AuthenticatorKeyOf<T>, nonce: u32) -> MetaAccountId {
			let mut bytes = alloc::vec::Vec::with_capacity(17 + 1 + 32 + 4);
			bytes.extend_from_slice(&META_ACCOUNT_ID_DOMAIN);
			creator.encode_to(&mut bytes);
			bytes.extend_from_slice(&nonce.to_le_bytes());
			sp_io::hashing::blake2_256(&bytes).into()
		}

		/// The id of the next Meta-Account `creator` would create.
		pub fn next_meta_account_id(creator: &AuthenticatorKeyOf<T>) -> MetaAccountId {
			Self::meta_account_id(creator, CreationNonce::<T>::get(creator))
		}

		/// The sovereign account of a Meta-Account: `blake2_256(SOVEREIGN_DOMAIN ‖ id)` as an
		/// account id. No key exists for it; only this pallet acts with it.
		pub fn sovereign_account(meta_account: &MetaAccountId) -> T::AccountId {
			let mut bytes = [0u8; 14 + 32];
			bytes[..14].copy_from_slice(&SOVEREIGN_DOMAIN);
			bytes[14..].copy_from_slice(meta_account.as_bytes());
			let hash = sp_io::hashing::blake2_256(&bytes);
			T::AccountId::decode(&mut sp_runtime::traits::TrailingZeroInput::new(&hash))
				.expect("infinite length input; no invalid inputs for type; qed")
		}

		/// The Meta-Account with this id, if it exists.
		pub fn meta_account(id: &MetaAccountId) -> Option<MetaAccountOf<T>> {
			MetaAccounts::<T>::get(id)
		}

		/// The authenticators of a Meta-Account.
		pub fn authenticators_of(
			id: &MetaAccountId,
		) -> alloc::vec::Vec<(AuthenticatorKeyOf<T>, AuthenticatorInfoOf<T>)> {
			Authenticators::<T>::iter_prefix(id).collect()
		}

		/// The pending changes of a Meta-Account.
		pub fn pending_changes_of(
			id: &MetaAccountId,
		) -> alloc::vec::Vec<(ChangeId, PendingChangeOf<T>)> {
			PendingChanges::<T>::iter_prefix(id).collect()
		}

		/// Pending invitations to `invitee`: `(meta_account, invitation)`.
		pub fn invitations_of(
			invitee: &T::AccountId,
		) -> alloc::vec::Vec<(MetaAccountId, InvitationOf<T>)> {
			Invitations::<T>::iter_prefix(invitee).collect()
		}

		/// The deposit for an item of `bytes` stored bytes.
		pub(crate) fn deposit_for(bytes: usize) -> BalanceOf<T> {
			let bytes = u32::try_from(bytes).unwrap_or(u32::MAX);
			T::DepositBase::get()
				.saturating_add(T::DepositPerByte::get().saturating_mul(bytes.into()))
		}

		/// The deposit an authenticator entry holds: base + per byte of its entry and of its
		/// `AuthenticatorOf` record, keys included.
		pub fn authenticator_deposit() -> BalanceOf<T> {
			let key = AuthenticatorKeyOf::<T>::max_encoded_len();
			let id = MetaAccountId::max_encoded_len();
			Self::deposit_for(
				AuthenticatorInfoOf::<T>::max_encoded_len()
					+ (16 + id) + (16 + key)
					+ (16 + key) + id,
			)
		}

		/// The deposit an invitation holds: base + per byte of the invitation, its two-part
		/// key and the invitee in the Meta-Account record.
		pub fn invitation_deposit() -> BalanceOf<T> {
			let account = T::AccountId::max_encoded_len();
			Self::deposit_for(
				InvitationOf::<T>::max_encoded_len()
					+ (16 + account)
					+ (16 + MetaAccountId::max_encoded_len())
					+ account,
			)
		}

		/// The deposit a pending change holds.
		pub fn change_deposit() -> BalanceOf<T> {
			Self::deposit_for(
				PendingChangeOf::<T>::max_encoded_len()
					+ (16 + MetaAccountId::max_encoded_len())
					+ (8 + ChangeId::max_encoded_len()),
			)
		}

		/// The deposit a sponsorship holds.
		pub fn sponsorship_deposit() -> BalanceOf<T> {
			Self::deposit_for(
				2 * BalanceOf::<T>::max_encoded_len()
					+ (16 + T::AccountId::max_encoded_len())
					+ (16 + MetaAccountId::max_encoded_len()),
			)
		}

		/// Holds `amount` for `reason` from `who`.
		pub(crate) fn hold(
			reason: HoldReason,
			who: &T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			T::Currency::hold(&reason.into(), who, amount)
		}

		/// Returns `amount` held for `reason` to `who`.
		pub(crate) fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
			let _ = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort);
		}

		/// Burns `amount` of what is held from `who` as an unsigned fee and releases the rest
		/// of `held`.
		pub(crate) fn settle_fee(who: &T::AccountId, held: BalanceOf<T>, amount: BalanceOf<T>) {
			let amount = amount.min(held);
			let _ = T::Currency::burn_held(
				&HoldReason::UnsignedFee.into(),
				who,
				amount,
				Precision::BestEffort,
				Fortitude::Force,
			);
			Self::release(HoldReason::UnsignedFee, who, held.saturating_sub(amount));
		}

		/// What `who` can spend and still keep its account.
		pub(crate) fn spendable(who: &T::AccountId) -> BalanceOf<T> {
			<T::Currency as fungible::Inspect<_>>::reducible_balance(
				who,
				Preservation::Preserve,
				Fortitude::Polite,
			)
		}

		/// Sends everything `from` holds freely to `to` (closing a sovereign account).
		pub(crate) fn sweep(from: &T::AccountId, to: &T::AccountId) -> DispatchResult {
			let all = <T::Currency as fungible::Inspect<_>>::reducible_balance(
				from,
				Preservation::Expendable,
				Fortitude::Polite,
			);
			if all.is_zero() {
				return Ok(());
			}
			T::Currency::transfer(from, to, all, Preservation::Expendable).map(|_| ())
		}
	}
}

impl<T: Config> MetaAccountInspect<T::AccountId> for Pallet<T> {
	fn meta_account_of(who: &T::AccountId) -> Option<MetaAccountId> {
		AuthenticatorOf::<T>::get(AuthenticatorKey::Substrate(who.clone()))
	}

	fn pays_for(who: &T::AccountId, meta_account: &MetaAccountId) -> bool {
		*who == Self::sovereign_account(meta_account)
			|| Self::meta_account_of(who).as_ref() == Some(meta_account)
	}
}
