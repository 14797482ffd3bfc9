//! Committee attestations: `threshold` members of the committee that holds an intent's key
//! must attest the same value before the runtime acts on it.

use crate::*;
use frame_support::{dispatch::DispatchResultWithPostInfo, pallet_prelude::*};
use waas_traits::KeyMembership;

/// What a vote did.
pub(crate) struct Vote {
	/// `threshold` members now agree: the value is accepted.
	pub accepted: bool,
	/// The member's first vote on the question (not a replacement).
	pub first: bool,
}

impl Vote {
	/// Counted votes are free, except a replacement that decides nothing: a member cannot
	/// flip its vote back and forth for free.
	pub fn pays(&self) -> Pays {
		if self.accepted || self.first {
			Pays::No
		} else {
			Pays::Yes
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Records `who`'s vote `value_hash` on question `kind` about `intent` (replacing its
	/// earlier one); `membership` is `who`'s seat in `key`'s committee, looked up by the
	/// caller. When `threshold` members now agree on it, the question's votes are cleared and
	/// the members that voted otherwise recorded as dissenting.
	pub(crate) fn vote(
		who: &T::AccountId,
		membership: KeyMembership,
		intent: IntentId,
		key: KeyId,
		kind: FactKind,
		value_hash: [u8; 32],
	) -> Result<Vote, DispatchError> {
		let mut votes = Attestations::<T>::get(intent, kind).unwrap_or_default();
		let first = match votes.iter_mut().find(|(m, _)| *m == membership.member) {
			Some((_, old)) if *old == value_hash => return Err(Error::<T>::AlreadyAttested.into()),
			Some((_, old)) => {
				*old = value_hash;
				false
			},
			None => {
				votes
					.try_push((membership.member, value_hash))
					.map_err(|_| Error::<T>::NotCommitteeMember)?;
				true
			},
		};
		Self::deposit_event(Event::Attested { intent, kind, member: who.clone() });
		let agreeing = votes.iter().filter(|(_, h)| *h == value_hash).count();
		if agreeing < usize::from(membership.threshold) {
			Attestations::<T>::insert(intent, kind, votes);
			return Ok(Vote { accepted: false, first });
		}
		Attestations::<T>::remove(intent, kind);
		let dissenters: alloc::vec::Vec<T::AccountId> = votes
			.iter()
			.filter(|(_, h)| *h != value_hash)
			.filter_map(|(m, _)| T::Committees::member(key, *m))
			.collect();
		for dissenter in &dissenters {
			Dissents::<T>::mutate(dissenter, |n| *n = n.saturating_add(1));
		}
		Self::deposit_event(Event::FactAccepted { intent, kind, value_hash });
		if !dissenters.is_empty() {
			Self::deposit_event(Event::AttestationDisputed {
				intent,
				kind,
				dissenters: BoundedVec::truncate_from(dissenters),
			});
		}
		Ok(Vote { accepted: true, first })
	}

	/// [`Pallet::attest`]: checks that the runtime asks `fact` now, counts the vote, and acts
	/// on an accepted fact.
	pub(crate) fn do_attest(
		who: T::AccountId,
		intent: IntentId,
		fact: Fact,
	) -> DispatchResultWithPostInfo {
		let mut record = Intents::<T>::get(intent).ok_or(Error::<T>::UnknownIntent)?;
		let membership =
			T::Committees::membership(record.key, &who).ok_or(Error::<T>::NotCommitteeMember)?;
		match (&fact, &record.status) {
			(Fact::Deposit { .. }, IntentStatus::Pending | IntentStatus::Expired { .. }) => {},
			(Fact::Fill { tx_hash, .. }, IntentStatus::Claimed { fill_tx, .. }) => {
				let reported = fill_tx.ok_or(Error::<T>::NotAsked)?;
				ensure!(reported == *tx_hash, Error::<T>::WrongFillTx);
			},
			// Any payout signed for the intent may be the one mined, also after a retry.
			(Fact::PayoutMined { .. }, IntentStatus::PayingOut { .. }) => {},
			_ => return Err(Error::<T>::NotAsked.into()),
		}
		let value_hash = sp_io::hashing::blake2_256(&fact.encode());
		let vote = Self::vote(&who, membership, intent, record.key, fact.kind(), value_hash)?;
		if !vote.accepted {
			return Ok(vote.pays().into());
		}
		match fact {
			Fact::Deposit { amount } => {
				record.deposited = amount;
				// A refund proposed for the old amount is void.
				Attestations::<T>::remove(intent, FactKind::PayoutProposal);
				let in_time = Self::now() <= record.open_deadline.saturating_add(record.grace);
				if matches!(record.status, IntentStatus::Pending)
					&& amount >= record.amount_in
					&& in_time
				{
					record.status = IntentStatus::Open;
					Self::deposit_event(Event::IntentOpened { intent, deposited: amount });
				} else {
					Self::deposit_event(Event::DepositObserved { intent, amount });
				}
			},
			Fact::Fill { tx_hash, amount, timestamp } => {
				let IntentStatus::Claimed { solver, payout_to, claimed_at, fill_tx, .. } =
					&mut record.status
				else {
					return Err(Error::<T>::NotAsked.into());
				};
				let refusal = if amount < record.min_amount_out {
					Some(FillRefusal::BelowMinimum)
				} else if timestamp > record.fill_deadline {
					Some(FillRefusal::AfterDeadline)
				} else if timestamp < *claimed_at {
					Some(FillRefusal::BeforeClaim)
				} else {
					None
				};
				if let Some(reason) = refusal {
					*fill_tx = None;
					Self::deposit_event(Event::FillRefused { intent, tx_hash, reason });
				} else {
					let (solver, payout_to) = (solver.clone(), *payout_to);
					Self::release_claim(&solver);
					record.status = IntentStatus::Filled { solver: solver.clone(), payout_to };
					Self::deposit_event(Event::IntentFilled { intent, solver, tx_hash, amount });
				}
			},
			Fact::PayoutMined { tx_hash } => {
				let IntentStatus::PayingOut { payout, .. } = record.status else {
					return Err(Error::<T>::NotAsked.into());
				};
				let outcome = match payout {
					Payout::Release { .. } => Outcome::Settled,
					Payout::Refund => Outcome::Refunded,
				};
				Self::finish(intent, record, outcome, Some(tx_hash));
				return Ok(Pays::No.into());
			},
		}
		Intents::<T>::insert(intent, record);
		Ok(Pays::No.into())
	}
}
