//! Who controls a Meta-Account: authenticator identities, their roles, and who pays for an
//! envelope. Shared by the Meta-Accounts pallet, the runtime API and clients.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// Longest WebAuthn credential id an authenticator may have (bytes).
pub const MAX_CREDENTIAL_ID_LEN: u32 = 255;

/// A WebAuthn credential id (the `rawId` of a passkey).
pub type CredentialId = BoundedVec<u8, ConstU32<MAX_CREDENTIAL_ID_LEN>>;

/// What identifies an authenticator, whatever its kind. An authenticator acts for at most one
/// Meta-Account at a time.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
pub enum AuthenticatorKey<AccountId> {
	/// A Substrate account, which signs extrinsics itself.
	Substrate(AccountId),
	/// A passkey (WebAuthn ES256 credential), by its credential id.
	Passkey(CredentialId),
	/// An EVM wallet, by its address.
	Evm(sp_core::H160),
}

/// What an authenticator may do for its Meta-Account. Each role includes the ones below it:
/// `Owner` ⊇ `Signer` ⊇ `Viewer`.
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
	PartialOrd,
	Ord,
	Debug,
)]
pub enum Role {
	/// Manages authenticators (adds, removes, changes roles, vetoes) and does what a `Signer`
	/// does.
	Owner,
	/// Provisions addresses and asks for signatures.
	Signer,
	/// Is listed and can leave; changes nothing else.
	Viewer,
}

impl Role {
	/// Whether this role may do everything `other` may.
	pub fn includes(self, other: Role) -> bool {
		self.rank() <= other.rank()
	}

	/// The role's name as the EIP-191 and EIP-712 messages show it.
	pub fn name(self) -> &'static str {
		match self {
			Role::Owner => "Owner",
			Role::Signer => "Signer",
			Role::Viewer => "Viewer",
		}
	}

	fn rank(self) -> u8 {
		match self {
			Role::Owner => 0,
			Role::Signer => 1,
			Role::Viewer => 2,
		}
	}
}

/// Who pays the fee of an envelope or of a Meta-Account created without a Substrate key.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum FeePayer<AccountId> {
	/// The Meta-Account's own sovereign account.
	MetaAccount,
	/// A sponsor that has opted in for this Meta-Account, within its allowance.
	Sponsor(AccountId),
}

#[cfg(test)]
mod tests {
	use super::Role::*;

	#[test]
	fn roles_include_the_ones_below() {
		assert!(Owner.includes(Owner) && Owner.includes(Signer) && Owner.includes(Viewer));
		assert!(!Signer.includes(Owner) && Signer.includes(Signer) && Signer.includes(Viewer));
		assert!(!Viewer.includes(Owner) && !Viewer.includes(Signer) && Viewer.includes(Viewer));
	}
}
