//! Managing authenticators: creation, invitations, additions with proof, removals and role
//! changes behind a vetoable delay, closing, sponsorships.

use crate::{pallet::*, types::*, Acting, BalanceOf};
use frame_support::{ensure, pallet_prelude::*, traits::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult,
};
use waas_traits::{AccountActivity, Activity, MetaAccountDependents};

impl<T: Config> Pallet<T> {
	/// Creates a Meta-Account with `creator` as its first Owner, holding the entry deposit
	/// from `payer`.
	pub(crate) fn do_create(
		creator: AuthenticatorKeyOf<T>,
		passkey: Option<PasskeyCredential>,
		payer: T::AccountId,
	) -> Result<MetaAccountId, DispatchError> {
		let deposit = Self::authenticator_deposit();
		Self::hold(HoldReason::Authenticator, &payer, deposit)?;
		let id = Self::insert_meta_account(&creator, Role::Owner, passkey, payer.clone(), deposit)?;
		T::Activity::open(id, &payer, creator.clone())?;
		Self::deposit_event(Event::MetaAccountCreated { meta_account: id, creator });
		Ok(id)
	}

	/// Writes a new Meta-Account and its first authenticator (whose deposit is already held).
	pub(crate) fn insert_meta_account(
		creator: &AuthenticatorKeyOf<T>,
		role: Role,
		passkey: Option<PasskeyCredential>,
		payer: T::AccountId,
		deposit: BalanceOf<T>,
	) -> Result<MetaAccountId, DispatchError> {
		ensure!(!AuthenticatorOf::<T>::contains_key(creator), Error::<T>::AlreadyAuthenticator);
		let nonce = CreationNonce::<T>::get(creator);
		let next_nonce = nonce.checked_add(1).ok_or(Error::<T>::NonceOverflow)?;
		let id = Self::meta_account_id(creator, nonce);
		ensure!(!MetaAccounts::<T>::contains_key(id), Error::<T>::IdCollision);
		let now = frame_system::Pallet::<T>::block_number();
		MetaAccounts::<T>::insert(
			id,
			MetaAccount {
				creator: creator.clone(),
				created_at: now,
				authenticators: 1,
				owners: u32::from(role == Role::Owner),
				epoch: 0,
				nonce: 0,
				invitees: BoundedVec::new(),
				pending_changes: 0,
				next_change: 0,
			},
		);
		Authenticators::<T>::insert(
			id,
			creator,
			AuthenticatorInfo { role, passkey, deposit, deposit_payer: payer, added_at: now },
		);
		AuthenticatorOf::<T>::insert(creator, id);
		CreationNonce::<T>::insert(creator, next_nonce);
		Ok(id)
	}

	/// Adds `key` to `meta_account` with `role`, holding the entry deposit from `payer`.
	fn insert_authenticator(
		meta_account: MetaAccountId,
		key: AuthenticatorKeyOf<T>,
		role: Role,
		passkey: Option<PasskeyCredential>,
		payer: T::AccountId,
	) -> DispatchResult {
		ensure!(!AuthenticatorOf::<T>::contains_key(&key), Error::<T>::AlreadyAuthenticator);
		MetaAccounts::<T>::try_mutate(meta_account, |maybe| -> DispatchResult {
			let meta = maybe.as_mut().ok_or(Error::<T>::UnknownMetaAccount)?;
			ensure!(
				meta.authenticators < T::MaxAuthenticators::get(),
				Error::<T>::TooManyAuthenticators
			);
			meta.authenticators.saturating_inc();
			if role == Role::Owner {
				meta.owners.saturating_inc();
			}
			meta.epoch = meta.epoch.wrapping_add(1);
			Ok(())
		})?;
		let deposit = Self::authenticator_deposit();
		Self::hold(HoldReason::Authenticator, &payer, deposit)?;
		Authenticators::<T>::insert(
			meta_account,
			&key,
			AuthenticatorInfo {
				role,
				passkey,
				deposit,
				deposit_payer: payer,
				added_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		AuthenticatorOf::<T>::insert(&key, meta_account);
		T::Activity::record(
			meta_account,
			Activity::AuthenticatorAdded { authenticator: key.clone(), role },
		);
		Self::deposit_event(Event::AuthenticatorAdded { meta_account, authenticator: key, role });
		Ok(())
	}

	/// Adds a passkey or EVM wallet that proved possession for the acting Owner's
	/// Meta-Account.
	pub(crate) fn do_add(
		acting: Acting<T::AccountId>,
		new: NewAuthenticator,
		role: Role,
	) -> DispatchResult {
		let meta =
			MetaAccounts::<T>::get(acting.meta_account).ok_or(Error::<T>::UnknownMetaAccount)?;
		let target =
			PossessionTarget::Existing { meta_account: acting.meta_account, epoch: meta.epoch };
		let (key, passkey) = Self::verify_possession(&new, &target, role)?;
		Self::insert_authenticator(acting.meta_account, key, role, passkey, acting.payer)
	}

	/// Invites a Substrate account on behalf of the acting Owner.
	pub(crate) fn do_invite(
		acting: Acting<T::AccountId>,
		invitee: T::AccountId,
		role: Role,
	) -> DispatchResult {
		let id = acting.meta_account;
		ensure!(
			AuthenticatorOf::<T>::get(AuthenticatorKey::Substrate(invitee.clone())) != Some(id),
			Error::<T>::AlreadyAuthenticator
		);
		ensure!(!Invitations::<T>::contains_key(&invitee, id), Error::<T>::AlreadyInvited);
		let expires_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::InvitationLifetime::get());
		MetaAccounts::<T>::try_mutate(id, |maybe| -> DispatchResult {
			let meta = maybe.as_mut().ok_or(Error::<T>::UnknownMetaAccount)?;
			meta.invitees.try_push(invitee.clone()).map_err(|_| Error::<T>::TooManyInvitations)?;
			Ok(())
		})?;
		let deposit = Self::invitation_deposit();
		Self::hold(HoldReason::Invitation, &acting.payer, deposit)?;
		Invitations::<T>::insert(
			&invitee,
			id,
			Invitation {
				invited_by: acting.key.clone(),
				role,
				deposit_payer: acting.payer,
				deposit,
				expires_at,
			},
		);
		Self::deposit_event(Event::AuthenticatorInvited {
			meta_account: id,
			invitee,
			invited_by: acting.key,
			role,
			expires_at,
		});
		Ok(())
	}

	/// The invitee accepts: it joins with the invited role and pays its own entry deposit.
	pub(crate) fn do_accept(who: T::AccountId, meta_account: MetaAccountId) -> DispatchResult {
		let invitation =
			Invitations::<T>::get(&who, meta_account).ok_or(Error::<T>::NoInvitation)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() <= invitation.expires_at,
			Error::<T>::InvitationExpired
		);
		Self::drop_invitation(&who, meta_account, &invitation);
		Self::insert_authenticator(
			meta_account,
			AuthenticatorKey::Substrate(who.clone()),
			invitation.role,
			None,
			who,
		)
	}

	/// Cancels an invitation: its invitee declines, an Owner withdraws, or anyone clears it
	/// after expiry.
	pub(crate) fn do_cancel_invitation(
		origin: <T as frame_system::Config>::RuntimeOrigin,
		meta_account: MetaAccountId,
		invitee: T::AccountId,
	) -> DispatchResult {
		let invitation =
			Invitations::<T>::get(&invitee, meta_account).ok_or(Error::<T>::NoInvitation)?;
		let expired = frame_system::Pallet::<T>::block_number() > invitation.expires_at;
		let declined = frame_system::ensure_signed(origin.clone()).is_ok_and(|w| w == invitee);
		let withdrawn = Self::acting(origin.clone())
			.is_ok_and(|a| a.meta_account == meta_account && a.role == Role::Owner);
		let anyone = Self::meta_account_origin(&origin).is_some()
			|| frame_system::ensure_signed(origin).is_ok();
		ensure!(declined || withdrawn || (expired && anyone), Error::<T>::NotAllowedToCancel);
		Self::drop_invitation(&invitee, meta_account, &invitation);
		Self::deposit_event(Event::InvitationCancelled { meta_account, invitee });
		Ok(())
	}

	/// Removes an invitation, its listing in the Meta-Account and its deposit.
	fn drop_invitation(
		invitee: &T::AccountId,
		meta_account: MetaAccountId,
		invitation: &InvitationOf<T>,
	) {
		Invitations::<T>::remove(invitee, meta_account);
		MetaAccounts::<T>::mutate(meta_account, |maybe| {
			if let Some(meta) = maybe {
				meta.invitees.retain(|a| a != invitee);
			}
		});
		Self::release(HoldReason::Invitation, &invitation.deposit_payer, invitation.deposit);
	}

	/// The acting authenticator leaves its Meta-Account at once.
	pub(crate) fn do_leave(acting: Acting<T::AccountId>) -> DispatchResult {
		let meta =
			MetaAccounts::<T>::get(acting.meta_account).ok_or(Error::<T>::UnknownMetaAccount)?;
		ensure!(meta.authenticators > 1, Error::<T>::LastAuthenticator);
		ensure!(!(acting.role == Role::Owner && meta.owners <= 1), Error::<T>::LastOwner);
		Self::remove_entry(acting.meta_account, &acting.key)
	}

	/// Removes an authenticator's entry, returns its deposit and drops the pending changes it
	/// proposed or that are about it.
	fn remove_entry(meta_account: MetaAccountId, key: &AuthenticatorKeyOf<T>) -> DispatchResult {
		let info = Authenticators::<T>::take(meta_account, key)
			.ok_or(Error::<T>::AuthenticatorNotFound)?;
		AuthenticatorOf::<T>::remove(key);
		Self::release(HoldReason::Authenticator, &info.deposit_payer, info.deposit);
		MetaAccounts::<T>::mutate(meta_account, |maybe| {
			if let Some(meta) = maybe {
				meta.authenticators.saturating_dec();
				if info.role == Role::Owner {
					meta.owners.saturating_dec();
				}
				meta.epoch = meta.epoch.wrapping_add(1);
			}
		});
		let related: alloc::vec::Vec<ChangeId> = PendingChanges::<T>::iter_prefix(meta_account)
			.filter(|(_, p)| p.proposer == *key || p.change.target() == key)
			.map(|(id, _)| id)
			.collect();
		for change_id in related {
			Self::drop_change(meta_account, change_id);
			Self::deposit_event(Event::ChangeDropped { meta_account, change_id });
		}
		T::Activity::record(
			meta_account,
			Activity::AuthenticatorRemoved { authenticator: key.clone() },
		);
		Self::deposit_event(Event::AuthenticatorRemoved {
			meta_account,
			authenticator: key.clone(),
		});
		Ok(())
	}

	/// Checks that `change` may happen now in `meta` (it keeps an Owner and an authenticator).
	fn ensure_change_keeps_owner(
		meta_account: MetaAccountId,
		change: &Change<T::AccountId>,
	) -> DispatchResult {
		let meta = MetaAccounts::<T>::get(meta_account).ok_or(Error::<T>::UnknownMetaAccount)?;
		let target = Authenticators::<T>::get(meta_account, change.target())
			.ok_or(Error::<T>::AuthenticatorNotFound)?;
		let loses_owner = match change {
			Change::Remove(_) => {
				ensure!(meta.authenticators > 1, Error::<T>::LastAuthenticator);
				target.role == Role::Owner
			},
			Change::SetRole(_, role) => {
				ensure!(*role != target.role, Error::<T>::RoleUnchanged);
				target.role == Role::Owner
			},
		};
		ensure!(!(loses_owner && meta.owners <= 1), Error::<T>::LastOwner);
		Ok(())
	}

	/// Records a change proposed by the acting Owner, enactable after the delay.
	pub(crate) fn propose(
		acting: Acting<T::AccountId>,
		change: Change<T::AccountId>,
	) -> DispatchResult {
		ensure!(acting.role == Role::Owner, Error::<T>::NotOwner);
		let id = acting.meta_account;
		Self::ensure_change_keeps_owner(id, &change)?;
		let change_id = MetaAccounts::<T>::try_mutate(id, |maybe| {
			let meta = maybe.as_mut().ok_or(Error::<T>::UnknownMetaAccount)?;
			ensure!(
				meta.pending_changes < T::MaxPendingChanges::get(),
				Error::<T>::TooManyPendingChanges
			);
			let change_id = meta.next_change;
			meta.next_change = meta.next_change.wrapping_add(1);
			meta.pending_changes.saturating_inc();
			Ok::<_, Error<T>>(change_id)
		})?;
		let deposit = Self::change_deposit();
		Self::hold(HoldReason::Change, &acting.payer, deposit)?;
		let enact_at: BlockNumberFor<T> =
			frame_system::Pallet::<T>::block_number().saturating_add(T::ChangeDelay::get());
		PendingChanges::<T>::insert(
			id,
			change_id,
			PendingChange {
				change: change.clone(),
				proposer: acting.key.clone(),
				enact_at,
				deposit_payer: acting.payer,
				deposit,
			},
		);
		T::Activity::record(
			id,
			Activity::ChangeProposed { change: change_id, proposer: acting.key.clone() },
		);
		Self::deposit_event(Event::ChangeProposed {
			meta_account: id,
			change_id,
			change,
			proposer: acting.key,
			enact_at,
		});
		Ok(())
	}

	/// Removes a pending change and returns its deposit.
	fn drop_change(meta_account: MetaAccountId, change_id: ChangeId) -> Option<PendingChangeOf<T>> {
		let pending = PendingChanges::<T>::take(meta_account, change_id)?;
		Self::release(HoldReason::Change, &pending.deposit_payer, pending.deposit);
		MetaAccounts::<T>::mutate(meta_account, |maybe| {
			if let Some(meta) = maybe {
				meta.pending_changes.saturating_dec();
			}
		});
		Some(pending)
	}

	/// An Owner vetoes a pending change of its Meta-Account.
	pub(crate) fn do_veto(acting: Acting<T::AccountId>, change_id: ChangeId) -> DispatchResult {
		Self::drop_change(acting.meta_account, change_id).ok_or(Error::<T>::UnknownChange)?;
		T::Activity::record(
			acting.meta_account,
			Activity::ChangeVetoed { change: change_id, by: acting.key.clone() },
		);
		Self::deposit_event(Event::ChangeVetoed {
			meta_account: acting.meta_account,
			change_id,
			by: acting.key,
		});
		Ok(())
	}

	/// Enacts a pending change whose delay has passed.
	pub(crate) fn do_enact(meta_account: MetaAccountId, change_id: ChangeId) -> DispatchResult {
		let pending =
			PendingChanges::<T>::get(meta_account, change_id).ok_or(Error::<T>::UnknownChange)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() >= pending.enact_at,
			Error::<T>::ChangeNotDue
		);
		Self::ensure_change_keeps_owner(meta_account, &pending.change)?;
		Self::drop_change(meta_account, change_id);
		Self::deposit_event(Event::ChangeEnacted { meta_account, change_id });
		match pending.change {
			Change::Remove(key) => Self::remove_entry(meta_account, &key),
			Change::SetRole(key, role) => {
				let old = Authenticators::<T>::try_mutate(meta_account, &key, |maybe| {
					let info = maybe.as_mut().ok_or(Error::<T>::AuthenticatorNotFound)?;
					Ok::<_, Error<T>>(core::mem::replace(&mut info.role, role))
				})?;
				MetaAccounts::<T>::mutate(meta_account, |maybe| {
					if let Some(meta) = maybe {
						if old == Role::Owner {
							meta.owners.saturating_dec();
						}
						if role == Role::Owner {
							meta.owners.saturating_inc();
						}
						meta.epoch = meta.epoch.wrapping_add(1);
					}
				});
				T::Activity::record(
					meta_account,
					Activity::RoleChanged { authenticator: key.clone(), role },
				);
				Self::deposit_event(Event::RoleChanged { meta_account, authenticator: key, role });
				Ok(())
			},
		}
	}

	/// Closes the acting Owner's Meta-Account; returns how many invitations and pending
	/// changes it dropped.
	pub(crate) fn do_close(
		acting: Acting<T::AccountId>,
		beneficiary: T::AccountId,
	) -> Result<(u32, u32), DispatchError> {
		let id = acting.meta_account;
		let meta = MetaAccounts::<T>::get(id).ok_or(Error::<T>::UnknownMetaAccount)?;
		ensure!(meta.authenticators == 1, Error::<T>::NotLastAuthenticator);
		T::Dependents::ensure_can_close(&id)?;
		let invitations = meta.invitees.len() as u32;
		for invitee in meta.invitees.iter() {
			if let Some(invitation) = Invitations::<T>::get(invitee, id) {
				Self::drop_invitation(invitee, id, &invitation);
				Self::deposit_event(Event::InvitationCancelled {
					meta_account: id,
					invitee: invitee.clone(),
				});
			}
		}
		let changes: alloc::vec::Vec<ChangeId> =
			PendingChanges::<T>::iter_prefix(id).map(|(change_id, _)| change_id).collect();
		for change_id in changes.iter() {
			Self::drop_change(id, *change_id);
			Self::deposit_event(Event::ChangeDropped { meta_account: id, change_id: *change_id });
		}
		let info =
			Authenticators::<T>::take(id, &acting.key).ok_or(Error::<T>::NotAuthenticator)?;
		AuthenticatorOf::<T>::remove(&acting.key);
		Self::release(HoldReason::Authenticator, &info.deposit_payer, info.deposit);
		MetaAccounts::<T>::remove(id);
		// Before the sweep: the log's deposit may be held on the sovereign account.
		T::Activity::close(id, acting.key.clone());
		Self::sweep(&Self::sovereign_account(&id), &beneficiary)?;
		Self::deposit_event(Event::MetaAccountClosed {
			meta_account: id,
			closed_by: acting.key,
			beneficiary,
		});
		Ok((invitations, changes.len() as u32))
	}

	/// Sets (or with 0 ends) `sponsor`'s fee allowance for `meta_account`.
	pub(crate) fn do_set_sponsorship(
		sponsor: T::AccountId,
		meta_account: MetaAccountId,
		allowance: BalanceOf<T>,
	) -> DispatchResult {
		match (Sponsorships::<T>::get(&sponsor, meta_account), allowance.is_zero()) {
			(None, true) => {},
			(Some((_, deposit)), true) => {
				Sponsorships::<T>::remove(&sponsor, meta_account);
				Self::release(HoldReason::Sponsorship, &sponsor, deposit);
			},
			(Some((_, deposit)), false) => {
				Sponsorships::<T>::insert(&sponsor, meta_account, (allowance, deposit))
			},
			(None, false) => {
				let deposit = Self::sponsorship_deposit();
				Self::hold(HoldReason::Sponsorship, &sponsor, deposit)?;
				Sponsorships::<T>::insert(&sponsor, meta_account, (allowance, deposit));
			},
		}
		Self::deposit_event(Event::SponsorshipSet { sponsor, meta_account, allowance });
		Ok(())
	}

	/// Takes `fee` from `sponsor`'s allowance for `meta_account`, ending the sponsorship when
	/// it is used up.
	pub(crate) fn spend_allowance(
		sponsor: &T::AccountId,
		meta_account: MetaAccountId,
		fee: BalanceOf<T>,
	) {
		let Some((allowance, deposit)) = Sponsorships::<T>::get(sponsor, meta_account) else {
			return;
		};
		let left = allowance.saturating_sub(fee);
		if left.is_zero() {
			Sponsorships::<T>::remove(sponsor, meta_account);
			Self::release(HoldReason::Sponsorship, sponsor, deposit);
		} else {
			Sponsorships::<T>::insert(sponsor, meta_account, (left, deposit));
		}
	}
}
