//! Signers and committees: who may take part, and in which groups.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, BoundedVec};

impl<T: Config> Pallet<T> {
	/// Checks a p2p key and an endpoint a signer registers.
	fn validate_identity(p2p_key: &P2pPublicKey, endpoint: &[u8]) -> DispatchResult {
		ensure!(*p2p_key != [0u8; 32], Error::<T>::InvalidP2pKey);
		ensure!(
			!endpoint.is_empty() && core::str::from_utf8(endpoint).is_ok(),
			Error::<T>::InvalidEndpoint
		);
		Ok(())
	}

	pub(crate) fn do_register_signer(
		signer: T::AccountId,
		p2p_key: P2pPublicKey,
		endpoint: Endpoint<T>,
	) -> DispatchResult {
		ensure!(!Signers::<T>::contains_key(&signer), Error::<T>::SignerAlreadyRegistered);
		Self::validate_identity(&p2p_key, &endpoint)?;
		ensure!(!P2pKeyOwners::<T>::contains_key(p2p_key), Error::<T>::P2pKeyInUse);
		P2pKeyOwners::<T>::insert(p2p_key, &signer);
		Signers::<T>::insert(
			&signer,
			SignerInfo { p2p_key, endpoint: endpoint.clone(), committees: 0, expired_attempts: 0 },
		);
		// Keeps the account alive without a balance: signers' submissions are free.
		frame_system::Pallet::<T>::inc_providers(&signer);
		Self::deposit_event(Event::SignerRegistered { signer, p2p_key, endpoint });
		Ok(())
	}

	pub(crate) fn do_update_signer(
		signer: T::AccountId,
		p2p_key: Option<P2pPublicKey>,
		endpoint: Option<Endpoint<T>>,
	) -> DispatchResult {
		let mut info = Signers::<T>::get(&signer).ok_or(Error::<T>::UnknownSigner)?;
		let new_key = p2p_key.unwrap_or(info.p2p_key);
		let new_endpoint = endpoint.unwrap_or_else(|| info.endpoint.clone());
		Self::validate_identity(&new_key, &new_endpoint)?;
		if new_key != info.p2p_key {
			ensure!(!P2pKeyOwners::<T>::contains_key(new_key), Error::<T>::P2pKeyInUse);
			P2pKeyOwners::<T>::remove(info.p2p_key);
			P2pKeyOwners::<T>::insert(new_key, &signer);
		}
		info.p2p_key = new_key;
		info.endpoint = new_endpoint.clone();
		Signers::<T>::insert(&signer, info);
		Self::deposit_event(Event::SignerUpdated {
			signer,
			p2p_key: new_key,
			endpoint: new_endpoint,
		});
		Ok(())
	}

	pub(crate) fn do_deregister_signer(signer: T::AccountId) -> DispatchResult {
		let info = Signers::<T>::get(&signer).ok_or(Error::<T>::UnknownSigner)?;
		ensure!(info.committees == 0, Error::<T>::SignerInCommittee);
		Signers::<T>::remove(&signer);
		SignerRecords::<T>::remove(&signer);
		P2pKeyOwners::<T>::remove(info.p2p_key);
		// The provider added at registration; fails only if other pallets still need the
		// account (consumers), in which case it stays.
		if let Err(e) = frame_system::Pallet::<T>::dec_providers(&signer) {
			log::warn!(target: "runtime::threshold-signers", "deregistered signer keeps its provider: {e:?}");
		}
		Self::deposit_event(Event::SignerDeregistered { signer });
		Ok(())
	}

	pub(crate) fn do_create_committee(
		members: Members<T>,
		threshold: u16,
	) -> Result<CommitteeId, DispatchError> {
		let n = members.len();
		ensure!(threshold >= 2 && (threshold as usize) <= n, Error::<T>::InvalidThreshold);
		for (i, member) in members.iter().enumerate() {
			ensure!(!members[..i].contains(member), Error::<T>::DuplicateMember);
			ensure!(Signers::<T>::contains_key(member), Error::<T>::UnknownSigner);
		}
		let id = NextCommitteeId::<T>::get();
		NextCommitteeId::<T>::put(id.checked_add(1).ok_or(Error::<T>::IdOverflow)?);
		for member in members.iter() {
			Signers::<T>::mutate(member, |info| {
				if let Some(info) = info {
					info.committees = info.committees.saturating_add(1);
				}
			});
		}
		Committees::<T>::insert(
			id,
			Committee { members: members.clone(), threshold, live_keys: 0, aux_key: None },
		);
		Self::deposit_event(Event::CommitteeCreated { committee: id, members, threshold });
		Ok(id)
	}

	/// Dissolves a committee without live keys; returns its size.
	pub(crate) fn do_dissolve_committee(committee: CommitteeId) -> Result<u32, DispatchError> {
		let c = Committees::<T>::get(committee).ok_or(Error::<T>::UnknownCommittee)?;
		ensure!(c.live_keys == 0, Error::<T>::CommitteeHasLiveKeys);
		for member in c.members.iter() {
			Signers::<T>::mutate(member, |info| {
				if let Some(info) = info {
					info.committees = info.committees.saturating_sub(1);
				}
			});
		}
		Committees::<T>::remove(committee);
		// At most one entry per member.
		let _ = FaultReports::<T>::clear_prefix(committee, c.members.len() as u32, None);
		Exclusions::<T>::remove(committee);
		Self::deposit_event(Event::CommitteeDissolved { committee });
		Ok(c.members.len() as u32)
	}

	/// Builds the genesis registry, committees and keys; panics on an invalid config (a
	/// chain must not start from one).
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		for (signer, p2p_key, endpoint) in &config.signers {
			let endpoint: Endpoint<T> =
				endpoint.clone().try_into().expect("genesis: signer endpoint too long");
			Self::do_register_signer(signer.clone(), *p2p_key, endpoint)
				.expect("genesis: invalid or duplicate signer");
		}
		for (members, threshold) in &config.committees {
			let members: Members<T> =
				BoundedVec::try_from(members.clone()).expect("genesis: committee too large");
			Self::do_create_committee(members, *threshold).expect("genesis: invalid committee");
		}
		for (committee, active) in &config.keys {
			match active {
				None => {
					Self::do_request_keygen(*committee).expect("genesis: invalid keygen committee");
				},
				Some((public_key, chain_code)) => {
					let public_key: waas_primitives::CompressedPublicKey = public_key
						.as_slice()
						.try_into()
						.expect("genesis: a public key has 33 bytes");
					Self::genesis_active_key(*committee, public_key, *chain_code)
						.expect("genesis: invalid active key");
				},
			}
		}
	}

	/// The registered members of `members`, for events and views.
	pub fn member_accounts(committee: &Committee<T>, indices: &[MemberIndex]) -> Vec<T::AccountId> {
		indices.iter().filter_map(|i| committee.members.get(*i as usize).cloned()).collect()
	}
}
