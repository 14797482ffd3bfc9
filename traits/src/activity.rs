//! The activity log of a Meta-Account: the chain's own record of its security events, kept as
//! an RFC 6962 tree by the audit-anchors pallet so that a wallet can show its user a history
//! it can check (each entry with an inclusion proof against the root in the chain's state).

use crate::{
	AddressIndex, AuthenticatorKey, KeyId, MetaAccountId, RequestId, Role, SignatureOutcome,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	dispatch::DispatchResult, pallet_prelude::ConstU32, weights::Weight, BoundedVec,
};
use scale_info::TypeInfo;
use waas_primitives::{CompressedPublicKey, MAX_CHAIN_ID_LEN};

/// A CAIP-2 chain id, as an address records it (e.g. `eip155:1`).
pub type ChainIdText = BoundedVec<u8, ConstU32<MAX_CHAIN_ID_LEN>>;

/// One security event of a Meta-Account.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum Activity<AccountId> {
	/// The Meta-Account was created; `creator` is its first Owner.
	Created {
		/// The first authenticator.
		creator: AuthenticatorKey<AccountId>,
	},
	/// An authenticator joined with `role`.
	AuthenticatorAdded {
		/// Who joined.
		authenticator: AuthenticatorKey<AccountId>,
		/// With what role.
		role: Role,
	},
	/// An authenticator was removed.
	AuthenticatorRemoved {
		/// Who left.
		authenticator: AuthenticatorKey<AccountId>,
	},
	/// An authenticator's role changed.
	RoleChanged {
		/// Whose role.
		authenticator: AuthenticatorKey<AccountId>,
		/// The new role.
		role: Role,
	},
	/// A change behind the veto delay (a removal or role change) was proposed.
	ChangeProposed {
		/// The change's id in the Meta-Account.
		change: u32,
		/// Who proposed it.
		proposer: AuthenticatorKey<AccountId>,
	},
	/// A pending change was vetoed.
	ChangeVetoed {
		/// The change's id.
		change: u32,
		/// Who vetoed it.
		by: AuthenticatorKey<AccountId>,
	},
	/// An ephemeral address was provisioned.
	AddressProvisioned {
		/// Its index in the Meta-Account.
		index: AddressIndex,
		/// The committee key it derives from.
		key: KeyId,
		/// The chain it is for (CAIP-2).
		chain: ChainIdText,
		/// Its derived public key.
		public_key: CompressedPublicKey,
	},
	/// An address was revoked.
	AddressRevoked {
		/// Its index.
		index: AddressIndex,
	},
	/// A signature was requested with an address.
	SignatureRequested {
		/// The address's index.
		index: AddressIndex,
		/// The request.
		request: RequestId,
	},
	/// A signature request of an address ended (signed, failed or cancelled).
	SignatureEnded {
		/// The address's index.
		index: AddressIndex,
		/// The request.
		request: RequestId,
		/// How it ended.
		outcome: SignatureOutcome,
	},
	/// The Meta-Account was closed: the log's last entry.
	Closed {
		/// The Owner who closed it.
		closed_by: AuthenticatorKey<AccountId>,
	},
}

impl<AccountId> Activity<AccountId> {
	/// The variant's name, e.g. `AuthenticatorAdded` (for logs and JSON).
	pub fn kind(&self) -> &'static str {
		match self {
			Activity::Created { .. } => "Created",
			Activity::AuthenticatorAdded { .. } => "AuthenticatorAdded",
			Activity::AuthenticatorRemoved { .. } => "AuthenticatorRemoved",
			Activity::RoleChanged { .. } => "RoleChanged",
			Activity::ChangeProposed { .. } => "ChangeProposed",
			Activity::ChangeVetoed { .. } => "ChangeVetoed",
			Activity::AddressProvisioned { .. } => "AddressProvisioned",
			Activity::AddressRevoked { .. } => "AddressRevoked",
			Activity::SignatureRequested { .. } => "SignatureRequested",
			Activity::SignatureEnded { .. } => "SignatureEnded",
			Activity::Closed { .. } => "Closed",
		}
	}
}

/// Where Meta-Account pallets record security events ([`Activity`]). `()` records nothing.
pub trait AccountActivity<AccountId> {
	/// Starts the log of a new Meta-Account with its `Created` entry, holding the log's deposit
	/// from `payer` (the one who pays for the Meta-Account).
	fn open(
		meta_account: MetaAccountId,
		payer: &AccountId,
		creator: AuthenticatorKey<AccountId>,
	) -> DispatchResult;

	/// Appends `activity` to the log of `meta_account` (nothing if it has none).
	fn record(meta_account: MetaAccountId, activity: Activity<AccountId>);

	/// Appends the `Closed` entry, ends the log's on-chain state and returns its deposit (the
	/// entries stay readable in the nodes' index).
	fn close(meta_account: MetaAccountId, closed_by: AuthenticatorKey<AccountId>);

	/// Worst-case weight of [`Self::open`].
	fn open_weight() -> Weight;

	/// Worst-case weight of [`Self::record`].
	fn record_weight() -> Weight;

	/// Worst-case weight of [`Self::close`].
	fn close_weight() -> Weight;
}

impl<AccountId> AccountActivity<AccountId> for () {
	fn open(_: MetaAccountId, _: &AccountId, _: AuthenticatorKey<AccountId>) -> DispatchResult {
		Ok(())
	}

	fn record(_: MetaAccountId, _: Activity<AccountId>) {}

	fn close(_: MetaAccountId, _: AuthenticatorKey<AccountId>) {}

	fn open_weight() -> Weight {
		Weight::zero()
	}

	fn record_weight() -> Weight {
		Weight::zero()
	}

	fn close_weight() -> Weight {
		Weight::zero()
	}
}
