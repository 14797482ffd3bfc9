//! Payouts from a deposit address: the runtime checks the transaction the committee proposes
//! before it asks the committee to sign it.

use crate::*;
use frame_support::{dispatch::DispatchResultWithPostInfo, pallet_prelude::*};
use waas_primitives::{
	evm_tx::{self, CheckedTransfer, EvmTxError, EvmTxFault, IntendedTransfer},
	HashScheme,
};
use waas_traits::SigningRequest;

impl<T: Config> Pallet<T> {
	/// The payout an intent is due in its state, and how many signature requests were made
	/// for its payouts so far.
	pub fn due_payout(record: &IntentOf<T>) -> Result<(Payout, u8), DispatchError> {
		match &record.status {
			IntentStatus::Filled { payout_to, .. } => {
				Ok((Payout::Release { payout_to: *payout_to }, 0))
			},
			IntentStatus::Expired { .. } if Self::refundable(record) => Ok((Payout::Refund, 0)),
			IntentStatus::PayingOut { payout, request: None, attempts, .. } => {
				Ok((*payout, *attempts))
			},
			IntentStatus::PayingOut { payout, signed_at: Some(at), attempts, .. }
				if Self::now() >= at.saturating_add(T::PayoutRetryAfter::get()) =>
			{
				Ok((*payout, *attempts))
			},
			IntentStatus::PayingOut { .. } => Err(Error::<T>::PayoutInProgress.into()),
			_ => Err(Error::<T>::NothingToPayOut.into()),
		}
	}

	/// What `payout` of `record` must do on the source chain: the recipient, and the amount
	/// leaving the deposit address (for the native coin, value plus worst-case gas).
	pub fn intended_payout(
		record: &IntentOf<T>,
		payout: &Payout,
	) -> Result<IntendedTransfer, DispatchError> {
		let params = Chains::<T>::get(record.source.chain_id).ok_or(Error::<T>::UnknownChain)?;
		let (recipient, amount) = match payout {
			Payout::Release { payout_to } => {
				(*payout_to, record.deposited.saturating_sub(record.quote.protocol_fee))
			},
			Payout::Refund => (record.refund_to, record.deposited),
		};
		Ok(IntendedTransfer {
			chain_id: record.source.chain_id,
			asset: record.source.asset,
			recipient,
			amount,
			gas: params.gas_budget(&record.source.asset),
		})
	}

	/// Checks a proposed payout transaction against what `payout` must do.
	pub fn check_payout(
		record: &IntentOf<T>,
		payout: &Payout,
		tx: &[u8],
	) -> Result<CheckedTransfer, DispatchError> {
		let intended = Self::intended_payout(record, payout)?;
		evm_tx::check_transfer(tx, &intended).map_err(|e| {
			log::debug!(target: LOG_TARGET, "payout transaction refused: {e:?}");
			Error::<T>::from(e).into()
		})
	}

	/// [`Pallet::propose_payout`].
	pub(crate) fn do_propose_payout(
		who: T::AccountId,
		intent: IntentId,
		tx: UnsignedTx,
	) -> DispatchResultWithPostInfo {
		let mut record = Intents::<T>::get(intent).ok_or(Error::<T>::UnknownIntent)?;
		let membership =
			T::Committees::membership(record.key, &who).ok_or(Error::<T>::NotCommitteeMember)?;
		let (payout, attempts) = Self::due_payout(&record)?;
		ensure!(attempts < T::MaxPayoutAttempts::get(), Error::<T>::TooManyPayoutAttempts);
		let checked = Self::check_payout(&record, &payout, &tx)?;
		let vote = Self::vote(
			&who,
			membership,
			intent,
			record.key,
			FactKind::PayoutProposal,
			checked.signing_hash,
		)?;
		if !vote.accepted {
			return Ok(vote.pays().into());
		}
		let request = T::ThresholdSigner::request_signature(SigningRequest {
			owner: RequestOwner::intent(intent),
			payer: &Self::account_id(),
			key: record.key,
			path: &deposit_path(intent),
			payload: &tx,
			scheme: HashScheme::Keccak256,
		})?;
		record.status = IntentStatus::PayingOut {
			payout,
			request: Some(request),
			signing_hash: checked.signing_hash,
			signed_at: None,
			attempts: attempts.saturating_add(1),
		};
		Intents::<T>::insert(intent, record);
		Self::deposit_event(Event::PayoutRequested {
			intent,
			payout,
			request,
			signing_hash: checked.signing_hash,
			nonce: checked.nonce,
		});
		Ok(Pays::No.into())
	}
}

impl<T> From<EvmTxError> for Error<T> {
	fn from(e: EvmTxError) -> Self {
		match e.fault() {
			EvmTxFault::Undecodable => Error::<T>::TxUndecodable,
			EvmTxFault::WrongChain => Error::<T>::TxWrongChain,
			EvmTxFault::WrongDestination => Error::<T>::TxWrongRecipient,
			EvmTxFault::WrongValue => Error::<T>::TxWrongAmount,
			EvmTxFault::WrongCalldata => Error::<T>::TxWrongCalldata,
			EvmTxFault::GasTooHigh => Error::<T>::TxGasTooHigh,
			EvmTxFault::AccessList => Error::<T>::TxAccessList,
		}
	}
}
