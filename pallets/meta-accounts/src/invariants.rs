//! `try_state` invariants: checked by try-runtime and at the end of every unit test.

use crate::{pallet::*, types::*, BalanceOf};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::{traits::Saturating, TryRuntimeError};

/// Deposits recorded per account, to compare with what the currency holds.
type Ledger<T> = BTreeMap<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

fn add<T: Config>(ledger: &mut Ledger<T>, who: &T::AccountId, amount: BalanceOf<T>) {
	let entry = ledger.entry(who.clone()).or_default();
	*entry = entry.saturating_add(amount);
}

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut entries = Ledger::<T>::new();
		let mut invitations = Ledger::<T>::new();
		let mut changes = Ledger::<T>::new();
		let mut sponsorships = Ledger::<T>::new();
		for (id, meta) in MetaAccounts::<T>::iter() {
			let mut count = 0u32;
			let mut owners = 0u32;
			for (key, info) in Authenticators::<T>::iter_prefix(id) {
				count += 1;
				owners += u32::from(info.role == Role::Owner);
				ensure!(
					AuthenticatorOf::<T>::get(&key) == Some(id),
					"an authenticator does not point back to its Meta-Account"
				);
				ensure!(
					matches!(key, AuthenticatorKey::Passkey(_)) == info.passkey.is_some(),
					"a passkey credential on a non-passkey (or none on a passkey)"
				);
				add::<T>(&mut entries, &info.deposit_payer, info.deposit);
			}
			ensure!(count >= 1 && count == meta.authenticators, "authenticator count is wrong");
			ensure!(owners >= 1 && owners == meta.owners, "owner count is wrong");
			ensure!(count <= T::MaxAuthenticators::get(), "too many authenticators");
			for invitee in meta.invitees.iter() {
				ensure!(
					Invitations::<T>::contains_key(invitee, id),
					"a listed invitee has no invitation"
				);
			}
			let mut pending = 0u32;
			for (_, change) in PendingChanges::<T>::iter_prefix(id) {
				pending += 1;
				ensure!(
					Authenticators::<T>::contains_key(id, &change.proposer),
					"a pending change's proposer is gone"
				);
				ensure!(
					Authenticators::<T>::contains_key(id, change.change.target()),
					"a pending change's target is gone"
				);
				add::<T>(&mut changes, &change.deposit_payer, change.deposit);
			}
			ensure!(pending == meta.pending_changes, "pending change count is wrong");
		}
		for (key, id) in AuthenticatorOf::<T>::iter() {
			ensure!(
				Authenticators::<T>::contains_key(id, &key),
				"AuthenticatorOf points to a Meta-Account without the authenticator"
			);
		}
		for (id, _, _) in PendingChanges::<T>::iter() {
			ensure!(MetaAccounts::<T>::contains_key(id), "a pending change of no Meta-Account");
		}
		for (invitee, id, invitation) in Invitations::<T>::iter() {
			ensure!(
				MetaAccounts::<T>::get(id).is_some_and(|m| m.invitees.contains(&invitee)),
				"an invitation is not listed by its Meta-Account"
			);
			add::<T>(&mut invitations, &invitation.deposit_payer, invitation.deposit);
		}
		for (sponsor, _, (_, deposit)) in Sponsorships::<T>::iter() {
			add::<T>(&mut sponsorships, &sponsor, deposit);
		}
		for (reason, ledger) in [
			(HoldReason::Authenticator, entries),
			(HoldReason::Invitation, invitations),
			(HoldReason::Change, changes),
			(HoldReason::Sponsorship, sponsorships),
		] {
			for (account, deposit) in ledger {
				ensure!(
					T::Currency::balance_on_hold(&reason.into(), &account) == deposit,
					"held deposits differ from the recorded ones"
				);
			}
		}
		Ok(())
	}
}
