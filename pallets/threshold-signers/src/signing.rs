//! Signature requests: path ownership, validation, the per-key FIFO, assignment of signer
//! subsets, acceptance of signatures, and the one way every request ends ([`Pallet::finish`]).

use crate::{pallet::*, types::*, BalanceOf};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};
use waas_primitives::{namespace, ChainCode, CompressedPublicKey, HashScheme};
use waas_traits::OnSignatureOutcome;

impl<T: Config> Pallet<T> {
	/// Checks that `path` lies in `owner`'s namespace and that its prefix belongs to `owner`,
	/// recording the prefix's owner on first use.
	pub(crate) fn check_and_claim_path(owner: &RequestOwner, path: &[u32]) -> DispatchResult {
		ensure!(path.len() as u32 <= T::MaxPathDepth::get(), Error::<T>::PathTooDeep);
		ensure!(path.first() == Some(&owner.namespace), Error::<T>::PathNotInNamespace);
		ensure!(
			path.iter().all(|i| *i < waas_primitives::HARDENED_OFFSET),
			Error::<T>::HardenedIndex
		);
		let prefix: PathOf<T> = namespace::path_prefix(path)
			.to_vec()
			.try_into()
			.map_err(|_| Error::<T>::PathTooDeep)?;
		match PathOwners::<T>::get(&prefix) {
			Some(recorded) => {
				ensure!(recorded == (owner.namespace, owner.id), Error::<T>::PathOwnedByAnother)
			},
			None => PathOwners::<T>::insert(&prefix, (owner.namespace, owner.id)),
		}
		Ok(())
	}

	/// The public key derived along `path` from a key's public key and chain code.
	pub fn derive(
		public_key: &CompressedPublicKey,
		chain_code: &ChainCode,
		path: &[u32],
	) -> Result<CompressedPublicKey, DispatchError> {
		waas_primitives::derive_public_key(public_key, chain_code, path)
			.map(|(child, _)| child)
			.map_err(|e| {
				use waas_primitives::DerivationError as D;
				match e {
					D::HardenedIndex => Error::<T>::HardenedIndex,
					D::PathTooDeep => Error::<T>::PathTooDeep,
					D::InvalidPublicKey => Error::<T>::InvalidPublicKey,
					D::InvalidChild => Error::<T>::DerivationFailed,
				}
				.into()
			})
	}

	/// The deposit a request with a payload of `payload_len` bytes holds.
	pub fn request_deposit(payload_len: u32) -> BalanceOf<T> {
		T::RequestDepositBase::get()
			.saturating_add(T::RequestDepositPerByte::get().saturating_mul(payload_len.into()))
	}

	/// The signing fee a new request for `key` pays now: [`Config::SigningFeePerSigner`] per
	/// signer of an attempt, times one plus the number of full rounds of queued requests ahead
	/// of it (a round is [`Config::MaxAssignedPerKey`] requests). `None` for a key that is not
	/// Active.
	pub fn signing_fee(key: KeyId) -> Option<BalanceOf<T>> {
		let info = Keys::<T>::get(key)?;
		if !matches!(info.status, KeyStatus::Active { .. }) {
			return None;
		}
		let threshold = Committees::<T>::get(info.committee)?.threshold;
		let rounds = (Queue::<T>::decode_len(key).unwrap_or(0) as u32)
			.saturating_div(T::MaxAssignedPerKey::get().max(1));
		Some(
			T::SigningFeePerSigner::get()
				.saturating_mul(u32::from(threshold).into())
				.saturating_mul(rounds.saturating_add(1).into()),
		)
	}

	/// Validates, derives, hashes, charges, stores and queues (or assigns) a new request.
	pub(crate) fn do_request_signature(
		owner: RequestOwner,
		payer: Option<&T::AccountId>,
		key: KeyId,
		path: &[u32],
		payload: &[u8],
		scheme: HashScheme,
	) -> Result<RequestId, DispatchError> {
		ensure!(!payload.is_empty(), Error::<T>::EmptyPayload);
		let payload: BoundedVec<u8, T::MaxPayloadLen> =
			payload.to_vec().try_into().map_err(|_| Error::<T>::PayloadTooLarge)?;
		let (key_public, chain_code) = Self::active_key(key)?;
		Self::check_and_claim_path(&owner, path)?;
		let path: PathOf<T> = path.to_vec().try_into().map_err(|_| Error::<T>::PathTooDeep)?;
		let public_key = Self::derive(&key_public, &chain_code, &path)?;
		let queued = Queue::<T>::decode_len(key).unwrap_or(0) as u32;
		let assigned = Assigned::<T>::decode_len(key).unwrap_or(0) as u32;
		let assign_now = queued == 0 && assigned < T::MaxAssignedPerKey::get();
		ensure!(assign_now || queued < T::MaxQueuedPerKey::get(), Error::<T>::QueueFull);

		let request = NextRequestId::<T>::get();
		NextRequestId::<T>::put(request.checked_add(1).ok_or(Error::<T>::IdOverflow)?);
		let (deposit, fee) = match payer {
			Some(who) => {
				let deposit = Self::request_deposit(payload.len() as u32);
				let fee = Self::signing_fee(key).ok_or(Error::<T>::KeyNotActive)?;
				T::Currency::hold(&HoldReason::RequestDeposit.into(), who, deposit)?;
				T::Currency::hold(&HoldReason::SigningFee.into(), who, fee)?;
				(deposit, fee)
			},
			None => (Zero::zero(), Zero::zero()),
		};
		let now = frame_system::Pallet::<T>::block_number();
		let message_hash = scheme.hash(&payload);
		let mut req = SignatureRequest {
			owner,
			payer: payer.cloned(),
			key,
			path,
			payload,
			scheme,
			message_hash,
			public_key,
			deposit,
			fee,
			requested_at: now,
			tried: BoundedVec::new(),
			status: RequestStatus::Queued,
		};
		Self::deposit_event(Event::SignatureRequested {
			request,
			key,
			owner,
			payer: payer.cloned(),
			deposit,
			fee,
		});
		if assign_now {
			let committee = Self::committee_of_key(key)?;
			Self::assign_first_attempt(request, &mut req, &committee, now);
			Assigned::<T>::try_mutate(key, |list| list.try_push(request))
				.map_err(|_| Error::<T>::QueueFull)?;
		} else {
			Queue::<T>::try_mutate(key, |list| list.try_push(request))
				.map_err(|_| Error::<T>::QueueFull)?;
			Self::deposit_event(Event::SignatureQueued { request, position: queued });
		}
		SignatureRequests::<T>::insert(request, req);
		Ok(request)
	}

	/// The committee that holds `key`.
	pub fn committee_of_key(key: KeyId) -> Result<Committee<T>, DispatchError> {
		let info = Keys::<T>::get(key).ok_or(Error::<T>::UnknownKey)?;
		Ok(Committees::<T>::get(info.committee).ok_or(Error::<T>::UnknownCommittee)?)
	}

	/// The member indices (ascending) that sign `request` in `attempt`, chosen
	/// deterministically from the request id and attempt: members that are not `excluded`
	/// (faults recorded against them) first, then the members assigned to the fewest ended
	/// attempts of this request (`tried`: member → count), members of the attempt that just
	/// ended (`last`) after others with as few, ties broken by a hash of the request, attempt
	/// and member. So a retry goes to another subset whenever `t < n`, successive retries work
	/// through the subsets that avoid a dead member, and an excluded member signs only when
	/// fewer than `t` others are left.
	pub fn select_signers(
		request: RequestId,
		attempt: u8,
		n: u32,
		t: u16,
		tried: &[(MemberIndex, u8)],
		last: &[MemberIndex],
		excluded: &[MemberIndex],
	) -> Vec<MemberIndex> {
		let seed = sp_io::hashing::blake2_256(&(b"waas/signers", request, attempt).encode());
		let rank = |i: MemberIndex| {
			let failures = tried.iter().find(|(m, _)| *m == i).map_or(0, |(_, c)| *c);
			let tiebreak = sp_io::hashing::blake2_128(&(seed, i).encode());
			(excluded.contains(&i), failures, last.contains(&i), tiebreak)
		};
		let mut members: Vec<MemberIndex> =
			(0..n.min(MemberIndex::MAX as u32 + 1)).map(|i| i as MemberIndex).collect();
		members.sort_by_cached_key(|i| rank(*i));
		members.truncate(t as usize);
		members.sort_unstable();
		members
	}

	/// The signers of `req`'s `attempt` at block `now`, after the attempt whose signers were
	/// `last`.
	fn next_signers(
		request: RequestId,
		req: &SignatureRequest<T>,
		attempt: u8,
		committee: &Committee<T>,
		last: &[MemberIndex],
		now: BlockNumberFor<T>,
	) -> Vec<MemberIndex> {
		Self::select_signers(
			request,
			attempt,
			committee.members.len() as u32,
			committee.threshold,
			&req.tried,
			last,
			&Keys::<T>::get(req.key)
				.map(|k| Self::excluded_members(k.committee, now))
				.unwrap_or_default(),
		)
	}

	/// Assigns the first attempt of a new or promoted request, schedules its expiry and emits
	/// the event.
	pub(crate) fn assign_first_attempt(
		request: RequestId,
		req: &mut SignatureRequest<T>,
		committee: &Committee<T>,
		now: BlockNumberFor<T>,
	) {
		let indices = Self::next_signers(request, req, 0, committee, &[], now);
		Self::assign_to(request, req, 0, committee, now, indices);
	}

	fn assign_to(
		request: RequestId,
		req: &mut SignatureRequest<T>,
		attempt: u8,
		committee: &Committee<T>,
		now: BlockNumberFor<T>,
		indices: Vec<MemberIndex>,
	) {
		let deadline = now.saturating_add(T::SigningTimeout::get());
		Self::schedule(Self::after(deadline), AgendaItem::AttemptExpiry(request, attempt));
		let signers = BoundedVec::truncate_from(Self::member_accounts(committee, &indices));
		let signer_indices = BoundedVec::truncate_from(indices);
		Self::deposit_event(Event::AttemptAssigned {
			request,
			key: req.key,
			attempt,
			signers,
			signer_indices: signer_indices.clone(),
			deadline,
		});
		req.status = RequestStatus::Assigned { attempt, signers: signer_indices, deadline };
	}

	/// An attempt passed its deadline: count it against its signers and end it
	/// ([`Self::end_attempt`]).
	pub(crate) fn expire_attempt(request: RequestId, attempt: u8, now: BlockNumberFor<T>) {
		let Some(req) = SignatureRequests::<T>::get(request) else { return };
		let RequestStatus::Assigned { attempt: current, signers, .. } = &req.status else {
			return;
		};
		if *current != attempt {
			return;
		}
		let signers = signers.clone();
		Self::deposit_event(Event::AttemptExpired { request, attempt, signers: signers.clone() });
		let committee = Self::committee_of_key(req.key).ok();
		if let Some(committee) = &committee {
			for account in Self::member_accounts(committee, &signers) {
				Signers::<T>::mutate(&account, |info| {
					if let Some(info) = info {
						info.expired_attempts = info.expired_attempts.saturating_add(1);
					}
				});
			}
		}
		Self::end_attempt(request, req, attempt, &signers, committee, now);
	}

	/// Ends the current attempt `attempt` of `req` (expired, or aborted by a fault report):
	/// every one of its `signers` counts as having tried once more, and the request goes to
	/// another subset — or fails when the attempts are used up or the only subset left is
	/// the one that just ended.
	pub(crate) fn end_attempt(
		request: RequestId,
		mut req: SignatureRequest<T>,
		attempt: u8,
		signers: &[MemberIndex],
		committee: Option<Committee<T>>,
		now: BlockNumberFor<T>,
	) {
		if let RequestStatus::Assigned { deadline, .. } = &req.status {
			Agenda::<T>::remove(
				Self::after(*deadline),
				AgendaItem::AttemptExpiry(request, attempt),
			);
		}
		for i in signers {
			match req.tried.iter_mut().find(|(m, _)| m == i) {
				Some((_, count)) => *count = count.saturating_add(1),
				None => {
					let _ = req.tried.try_push((*i, 1));
				},
			}
		}
		let next_attempt = attempt.saturating_add(1);
		let next = committee
			.as_ref()
			.filter(|_| next_attempt < T::MaxSigningAttempts::get())
			.map(|c| (c, Self::next_signers(request, &req, next_attempt, c, signers, now)));
		match next {
			Some((committee, indices)) if indices.as_slice() != signers => {
				Self::assign_to(request, &mut req, next_attempt, committee, now, indices);
				SignatureRequests::<T>::insert(request, req);
			},
			_ => Self::finish(
				request,
				req,
				SignatureOutcome::Failed(SigningFailure::AttemptsExhausted),
				now,
				true,
			),
		}
	}

	/// Checks a submitted signature: `Ok` with the request if `who` may submit it and it
	/// verifies.
	pub(crate) fn check_signature(
		who: &T::AccountId,
		request: RequestId,
		signature: &EcdsaSignature,
		recovery_id: u8,
	) -> Result<SignatureRequest<T>, Error<T>> {
		let req = SignatureRequests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
		match req.status {
			RequestStatus::Assigned { .. } => {},
			RequestStatus::Queued => return Err(Error::<T>::RequestNotAssigned),
			_ => return Err(Error::<T>::RequestNotPending),
		}
		let info = Keys::<T>::get(req.key).ok_or(Error::<T>::UnknownKey)?;
		let committee = Committees::<T>::get(info.committee).ok_or(Error::<T>::UnknownCommittee)?;
		ensure!(committee.members.contains(who), Error::<T>::NotCommitteeMember);
		ensure!(recovery_id <= 3, Error::<T>::InvalidRecoveryId);
		ensure!(
			waas_primitives::signature::is_canonical(signature),
			Error::<T>::NonCanonicalSignature
		);
		let mut sig65 = [0u8; 65];
		sig65[..64].copy_from_slice(signature);
		sig65[64] = recovery_id;
		let recovered =
			sp_io::crypto::secp256k1_ecdsa_recover_compressed(&sig65, &req.message_hash)
				.map_err(|_| Error::<T>::InvalidSignature)?;
		ensure!(recovered == req.public_key, Error::<T>::InvalidSignature);
		Ok(req)
	}

	pub(crate) fn do_submit_signature(
		who: T::AccountId,
		request: RequestId,
		signature: EcdsaSignature,
		recovery_id: u8,
	) -> DispatchResult {
		let req = Self::check_signature(&who, request, &signature, recovery_id)?;
		let now = frame_system::Pallet::<T>::block_number();
		Self::deposit_event(Event::RequestSigned {
			request,
			signature,
			recovery_id,
			submitted_by: who.clone(),
		});
		let mut req = req;
		let previous = core::mem::replace(
			&mut req.status,
			RequestStatus::Signed { signature, recovery_id, submitted_by: who, at: now },
		);
		Self::finish_from(request, req, previous, SignatureOutcome::Signed, now, true);
		Ok(())
	}

	pub(crate) fn do_cancel(owner: &RequestOwner, request: RequestId) -> DispatchResult {
		let req = SignatureRequests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
		ensure!(req.owner == *owner, Error::<T>::NotRequestOwner);
		ensure!(!req.status.is_terminal(), Error::<T>::RequestNotPending);
		let now = frame_system::Pallet::<T>::block_number();
		Self::finish(request, req, SignatureOutcome::Cancelled, now, true);
		Ok(())
	}

	/// Ends a request that has not ended: see [`Self::finish_from`].
	pub(crate) fn finish(
		request: RequestId,
		mut req: SignatureRequest<T>,
		outcome: SignatureOutcome,
		now: BlockNumberFor<T>,
		unlink: bool,
	) {
		let status = match outcome {
			SignatureOutcome::Failed(reason) => RequestStatus::Failed { reason, at: now },
			_ => RequestStatus::Cancelled { at: now },
		};
		let previous = core::mem::replace(&mut req.status, status);
		match outcome {
			SignatureOutcome::Failed(reason) => {
				Self::deposit_event(Event::RequestFailed { request, reason })
			},
			_ => Self::deposit_event(Event::RequestCancelled { request }),
		}
		Self::finish_from(request, req, previous, outcome, now, unlink);
	}

	/// The one place a request ends. `req.status` already holds the terminal state and
	/// `previous` the state it leaves (Queued or Assigned). Unschedules the attempt's expiry,
	/// takes the request off its key's lists (unless `unlink` is false: the caller emptied
	/// them), releases the deposit, pays or returns the fee, schedules the record's pruning,
	/// tells the owner, and hands a freed signing slot to the next queued request.
	pub(crate) fn finish_from(
		request: RequestId,
		req: SignatureRequest<T>,
		previous: RequestStatus<T>,
		outcome: SignatureOutcome,
		now: BlockNumberFor<T>,
		unlink: bool,
	) {
		let key = req.key;
		let paid_signers = match &previous {
			RequestStatus::Assigned { attempt, signers, deadline } => {
				Agenda::<T>::remove(
					Self::after(*deadline),
					AgendaItem::AttemptExpiry(request, *attempt),
				);
				if unlink {
					Assigned::<T>::mutate(key, |list| list.retain(|r| *r != request));
				}
				// The assigned signers did (or started) the work: a signature or a late
				// cancellation pays them.
				match outcome {
					SignatureOutcome::Failed(_) => None,
					_ => Some(signers.clone()),
				}
			},
			_ => {
				if unlink {
					Queue::<T>::mutate(key, |list| list.retain(|r| *r != request));
				}
				None
			},
		};
		if let Some(payer) = &req.payer {
			Self::settle(payer, &req, paid_signers.as_ref().map(|s| s.as_slice()));
		}
		Self::schedule(now.saturating_add(T::RequestRetention::get()), AgendaItem::Prune(request));
		let owner = req.owner;
		SignatureRequests::<T>::insert(request, req);
		T::OnSignatureOutcome::on_outcome(request, &owner, outcome);
		if unlink && matches!(previous, RequestStatus::Assigned { .. }) {
			Self::promote_next(key, now);
		}
	}

	/// Releases a request's deposit, and pays its fee to `signers` (split evenly, the
	/// remainder to the first) or returns it to the payer.
	fn settle(payer: &T::AccountId, req: &SignatureRequest<T>, signers: Option<&[MemberIndex]>) {
		let _ = T::Currency::release(
			&HoldReason::RequestDeposit.into(),
			payer,
			req.deposit,
			Precision::BestEffort,
		);
		let accounts = match (signers, Self::committee_of_key(req.key)) {
			(Some(indices), Ok(committee)) => Self::member_accounts(&committee, indices),
			_ => Vec::new(),
		};
		let mut left = req.fee;
		if !accounts.is_empty() {
			let count: BalanceOf<T> = (accounts.len() as u32).into();
			let share = req.fee / count;
			let first_extra = req.fee.saturating_sub(share.saturating_mul(count));
			for (i, account) in accounts.iter().enumerate() {
				let amount = if i == 0 { share.saturating_add(first_extra) } else { share };
				if amount.is_zero() {
					continue;
				}
				if let Ok(paid) = T::Currency::transfer_on_hold(
					&HoldReason::SigningFee.into(),
					payer,
					account,
					amount,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				) {
					left = left.saturating_sub(paid);
				}
			}
		}
		if !left.is_zero() {
			let _ = T::Currency::release(
				&HoldReason::SigningFee.into(),
				payer,
				left,
				Precision::BestEffort,
			);
		}
	}

	/// Assigns the oldest queued request of `key` if a signing slot is free.
	pub(crate) fn promote_next(key: KeyId, now: BlockNumberFor<T>) {
		if Assigned::<T>::decode_len(key).unwrap_or(0) as u32 >= T::MaxAssignedPerKey::get() {
			return;
		}
		let Ok(committee) = Self::committee_of_key(key) else { return };
		let next = Queue::<T>::mutate(key, |list| (!list.is_empty()).then(|| list.remove(0)));
		let Some(request) = next else { return };
		let Some(mut req) = SignatureRequests::<T>::get(request) else { return };
		Self::assign_first_attempt(request, &mut req, &committee, now);
		SignatureRequests::<T>::insert(request, req);
		let _ = Assigned::<T>::try_mutate(key, |list| list.try_push(request));
	}

	/// Fails every queued and assigned request of `key`; returns how many.
	pub(crate) fn fail_all_requests(key: KeyId, reason: SigningFailure) -> u32 {
		let now = frame_system::Pallet::<T>::block_number();
		let requests: Vec<RequestId> =
			Assigned::<T>::take(key).into_iter().chain(Queue::<T>::take(key)).collect();
		for request in &requests {
			if let Some(req) = SignatureRequests::<T>::get(request) {
				Self::finish(*request, req, SignatureOutcome::Failed(reason), now, false);
			}
		}
		requests.len() as u32
	}

	/// Where `request` waits in its key's FIFO (0: next), if it is queued.
	pub fn queue_position(request: RequestId) -> Option<u32> {
		let req = SignatureRequests::<T>::get(request)?;
		Queue::<T>::get(req.key).iter().position(|r| *r == request).map(|p| p as u32)
	}

	/// The requests assigned to `signer` now: `(request, attempt)`.
	pub fn assigned_to(signer: &T::AccountId) -> Vec<(RequestId, u8)> {
		let mut out = Vec::new();
		for (key, requests) in Assigned::<T>::iter() {
			let Ok(committee) = Self::committee_of_key(key) else { continue };
			let Some(me) = committee.members.iter().position(|m| m == signer) else { continue };
			for request in requests {
				if let Some(SignatureRequest {
					status: RequestStatus::Assigned { attempt, signers, .. },
					..
				}) = SignatureRequests::<T>::get(request)
				{
					if signers.contains(&(me as MemberIndex)) {
						out.push((request, attempt));
					}
				}
			}
		}
		out.sort_unstable();
		out
	}

	/// Removes an ended request's record at the end of its retention.
	pub(crate) fn prune(request: RequestId) {
		if SignatureRequests::<T>::get(request).is_some_and(|r| r.status.is_terminal()) {
			SignatureRequests::<T>::remove(request);
		}
	}
}
