//! Stored types of the Meta-Accounts pallet.

use crate::{BalanceOf, Config};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, BoundedVec};
use scale_info::TypeInfo;

/// One account that authenticates for a Meta-Account, with the deposit it holds for its entry.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Authenticator<AccountId, Balance> {
	/// The account whose signature acts for the Meta-Account; it paid `deposit`.
	pub account: AccountId,
	/// The amount held from `account` for this entry.
	pub deposit: Balance,
}

/// A Meta-Account: its authenticators, pending invitees and when it was created.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxAuthenticators, MaxInvitations))]
pub struct MetaAccount<AccountId, Balance, BlockNumber, MaxAuthenticators, MaxInvitations>
where
	MaxAuthenticators: Get<u32>,
	MaxInvitations: Get<u32>,
{
	/// The accounts that can act for this Meta-Account (never empty).
	pub authenticators: BoundedVec<Authenticator<AccountId, Balance>, MaxAuthenticators>,
	/// Accounts with a pending invitation from it.
	pub invitees: BoundedVec<AccountId, MaxInvitations>,
	/// The account that created it.
	pub creator: AccountId,
	/// Block in which it was created.
	pub created_at: BlockNumber,
}

/// The stored Meta-Account type of a runtime.
pub type MetaAccountOf<T> = MetaAccount<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxAuthenticators,
	<T as Config>::MaxPendingInvitations,
>;

/// A pending invitation to authenticate for a Meta-Account.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Invitation<AccountId, Balance, BlockNumber> {
	/// The authenticator that invited; it paid `deposit`.
	pub inviter: AccountId,
	/// The amount held from `inviter` until the invitation is accepted or cancelled.
	pub deposit: Balance,
	/// Last block in which it can be accepted.
	pub expires_at: BlockNumber,
}

/// The stored invitation type of a runtime.
pub type InvitationOf<T> = Invitation<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;
