//! `try_state` invariants: checked by try-runtime and at the end of every unit test.

use crate::{pallet::*, BalanceOf};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{traits::Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut entry_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut invitation_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, meta) in MetaAccounts::<T>::iter() {
			ensure!(!meta.authenticators.is_empty(), "a Meta-Account without authenticators");
			for a in meta.authenticators.iter() {
				ensure!(
					AuthenticatorOf::<T>::get(&a.account) == Some(id),
					"an authenticator does not point back to its Meta-Account"
				);
				let d = entry_deposits.entry(a.account.clone()).or_default();
				*d = d.saturating_add(a.deposit);
			}
			for invitee in meta.invitees.iter() {
				ensure!(
					Invitations::<T>::contains_key(invitee, id),
					"a listed invitee has no invitation"
				);
			}
		}
		for (account, id) in AuthenticatorOf::<T>::iter() {
			ensure!(
				MetaAccounts::<T>::get(id)
					.is_some_and(|m| m.authenticators.iter().any(|a| a.account == account)),
				"AuthenticatorOf points to a Meta-Account that does not list the account"
			);
		}
		for (invitee, id, invitation) in Invitations::<T>::iter() {
			ensure!(
				MetaAccounts::<T>::get(id).is_some_and(|m| m.invitees.contains(&invitee)),
				"an invitation is not listed by its Meta-Account"
			);
			let d = invitation_deposits.entry(invitation.inviter).or_default();
			*d = d.saturating_add(invitation.deposit);
		}
		for (account, deposit) in entry_deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Authenticator.into(), &account)
					== deposit,
				"held authenticator deposits differ from the recorded ones"
			);
		}
		for (account, deposit) in invitation_deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Invitation.into(), &account) == deposit,
				"held invitation deposits differ from the recorded ones"
			);
		}
		Ok(())
	}
}
