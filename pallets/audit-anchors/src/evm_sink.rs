//! Anchor sinks: where the chain's anchors are pinned besides its own state.
//!
//! Every anchor is recorded by this pallet (its log's [`Heads`], hash-chained): that is the
//! default and it is always kept. A runtime may add sinks through [`Config::AnchorSink`]
//! ([`AnchorSink`], `()` for none). [`EvmAnchorSink`] pins them on an EVM chain:
//!
//! 1. Every anchor becomes a leaf of the **anchors tree**, one RFC 6962 tree over every head
//!    anchored on this chain ([`AnchorsEntry`]; frontier on-chain in [`AnchorsTreeState`],
//!    entries in the offchain index under [`anchors_index_key`], like activity logs).
//! 2. Every [`EvmSink::every`] blocks in which the tree grew, a [`Publication`] of its head
//!    becomes due.
//! 3. A member of the sink key's committee proposes the transaction
//!    ([`Pallet::propose_evm_anchor`]): a zero-value EIP-1559 call from the sink's address to
//!    itself whose calldata is exactly
//!    [`anchor_calldata`](waas_primitives::evm_tx::anchor_calldata)`(genesis, size, root)`
//!    and whose gas is within the sink's budget; the runtime checks all of it
//!    ([`evm_tx::check_call`]) and asks the committee to sign, on the path [`sink_path`] in
//!    this pallet's namespace (no other requester can sign there).
//! 4. When signed, the runtime assembles the signed transaction and records it with its EVM
//!    hash; any member (or anyone) broadcasts it. `waas-audit verify-evm` checks it from the
//!    EVM side.
//!
//! The nonce is the proposer's word (the runtime cannot see the EVM chain): a wrong nonce only
//! makes that publication unminable, and the next one is proposed with the chain's nonce.

use crate::{pallet::*, types::*, weights::WeightInfo, PublicationOf};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{defensive, dispatch::DispatchResult, ensure, traits::Get, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;
use waas_primitives::{
	evm_tx::{self, EvmTxError, EvmTxFault, GasBudget, IntendedCall},
	merkle_log::{self, NodeHash},
	namespace, HashScheme,
};
use waas_traits::{
	CommitteeInspect, KeyId, RequestId, RequestOwner, SignatureOutcome, SigningRequest,
	ThresholdSigner,
};

/// The first part of an anchors-tree entry's offchain index key.
pub const ANCHORS_INDEX_PREFIX: &[u8] = b"waas/anchors/v1";
/// Publications kept on-chain (the latest ones).
pub const PUBLICATIONS_KEPT: u64 = 64;
/// Signature requests a publication may fail before it is abandoned.
pub const MAX_PUBLICATION_ATTEMPTS: u8 = 3;
/// The largest EVM chain id a sink may have (its path splits it into two 31-bit indexes).
pub const MAX_SINK_CHAIN_ID: u64 = (1 << 62) - 1;
/// The most gas a sink's budget may allow.
pub const MAX_SINK_GAS_LIMIT: u64 = 1_000_000;

/// Told of every tree head anchored on this chain.
pub trait AnchorSink<BlockNumber> {
	/// `log` anchored `head`.
	fn anchored(log: LogId, head: &TreeHead<BlockNumber>);

	/// Worst-case weight of [`Self::anchored`] (the `anchor` benchmark runs with the
	/// runtime's sink at its worst case, so a call's weight includes it).
	fn anchored_weight() -> Weight;
}

impl<BlockNumber> AnchorSink<BlockNumber> for () {
	fn anchored(_: LogId, _: &TreeHead<BlockNumber>) {}

	fn anchored_weight() -> Weight {
		Weight::zero()
	}
}

/// The EVM sink: adds every head to the anchors tree, which [`Pallet::on_initialize`]
/// publishes on the configured EVM chain.
pub struct EvmAnchorSink<T>(core::marker::PhantomData<T>);

impl<T: Config> AnchorSink<BlockNumberFor<T>> for EvmAnchorSink<T> {
	fn anchored(log: LogId, head: &TreeHead<BlockNumberFor<T>>) {
		if Pallet::<T>::append_anchor(log, head.seq, head.chain_hash).is_err() {
			defensive!("the anchors tree is full");
		}
	}

	fn anchored_weight() -> Weight {
		T::WeightInfo::append_anchor()
	}
}

/// The derivation path of the sink address on EVM chain `chain_id`
/// ([`namespace::audit_evm_sink_path`]).
pub fn sink_path(chain_id: u64) -> [u32; 3] {
	namespace::audit_evm_sink_path(chain_id)
}

/// The owner of the sink's signature requests: the pallet's namespace as a whole, `context`
/// the publication.
pub fn publication_owner(publication: u64) -> RequestOwner {
	RequestOwner {
		namespace: namespace::AUDIT_ANCHORS,
		id: Default::default(),
		context: publication,
	}
}

/// The offchain index key of the anchors-tree entry whose leaf hash is `leaf`:
/// `SCALE(ANCHORS_INDEX_PREFIX, leaf)`; its value is the SCALE-encoded [`AnchorsEntry`].
pub fn anchors_index_key(leaf: &NodeHash) -> Vec<u8> {
	(ANCHORS_INDEX_PREFIX, leaf).encode()
}

/// Reads the anchors tree's `tree.tree_size` entries back from an offchain index, oldest first,
/// as (leaf hash, SCALE-encoded [`AnchorsEntry`]), checked against `tree`
/// ([`crate::activity::read_linked`]). `read` gets a value of the index by key.
pub fn read_anchors(
	tree: &AnchorsTree,
	read: impl FnMut(&[u8]) -> Option<Vec<u8>>,
) -> Result<Vec<(NodeHash, Vec<u8>)>, crate::activity::ActivityReadError> {
	use codec::Decode;
	crate::activity::read_linked(
		tree.tree_size,
		tree.latest_leaf,
		&tree.root,
		anchors_index_key,
		|mut bytes, index| {
			let entry = AnchorsEntry::decode(&mut bytes).ok()?;
			(entry.index == index).then_some(entry.previous)
		},
		read,
	)
}

/// The least gas limit a sink's budget must allow: what the heaviest calldata costs.
pub fn min_sink_gas_limit() -> u64 {
	evm_tx::plain_call_gas(&[0xff; evm_tx::ANCHOR_CALLDATA_LEN])
}

impl<T> From<EvmTxError> for Error<T> {
	fn from(e: EvmTxError) -> Self {
		match e.fault() {
			EvmTxFault::Undecodable => Error::<T>::TxUndecodable,
			EvmTxFault::WrongChain => Error::<T>::TxWrongChain,
			EvmTxFault::WrongDestination => Error::<T>::TxWrongDestination,
			EvmTxFault::WrongValue => Error::<T>::TxWrongValue,
			EvmTxFault::WrongCalldata => Error::<T>::TxWrongCalldata,
			EvmTxFault::GasTooHigh => Error::<T>::TxGasTooHigh,
			EvmTxFault::AccessList => Error::<T>::TxAccessList,
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The anchors tree as it stands (empty before the first anchor).
	pub fn anchors_tree() -> AnchorsTree {
		AnchorsTreeState::<T>::get().unwrap_or_else(|| AnchorsTree {
			tree_size: 0,
			root: merkle_log::empty_root(),
			latest_leaf: [0; 32],
			frontier: Frontier::default(),
		})
	}

	/// Adds the head `seq` of `log` (whose chain hash is `chain_hash`) to the anchors tree.
	pub(crate) fn append_anchor(log: LogId, seq: u64, chain_hash: [u8; 32]) -> DispatchResult {
		let mut tree = Self::anchors_tree();
		let entry = AnchorsEntry {
			index: tree.tree_size,
			log,
			seq,
			chain_hash,
			previous: tree.latest_leaf,
		};
		let bytes = entry.encode();
		let leaf = merkle_log::leaf_hash(&bytes);
		let frontier = merkle_log::frontier_append(&tree.frontier, tree.tree_size, leaf)
			.and_then(|f| Frontier::try_from(f).ok())
			.ok_or(Error::<T>::AnchorsTreeFull)?;
		tree.root = merkle_log::frontier_root(&frontier);
		tree.frontier = frontier;
		tree.tree_size = tree.tree_size.saturating_add(1);
		tree.latest_leaf = leaf;
		sp_io::offchain_index::set(&anchors_index_key(&leaf), &bytes);
		AnchorsTreeState::<T>::put(tree);
		Ok(())
	}

	/// The latest publication, with its number.
	pub fn latest_publication() -> Option<(u64, PublicationOf<T>)> {
		let seq = PublicationCount::<T>::get().checked_sub(1)?;
		Some((seq, Publications::<T>::get(seq)?))
	}

	/// The calldata of `publication`.
	pub fn publication_calldata(
		publication: &PublicationOf<T>,
	) -> [u8; evm_tx::ANCHOR_CALLDATA_LEN] {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut genesis_bytes = [0u8; 32];
		genesis_bytes.copy_from_slice(genesis.as_ref());
		evm_tx::anchor_calldata(&genesis_bytes, publication.tree_size, &publication.root)
	}

	/// [`Pallet::set_evm_sink`].
	pub(crate) fn do_set_evm_sink(
		chain_id: u64,
		key: KeyId,
		every: BlockNumberFor<T>,
		gas: GasBudget,
	) -> DispatchResult {
		ensure!(
			(1..=MAX_SINK_CHAIN_ID).contains(&chain_id)
				&& !every.is_zero()
				&& (min_sink_gas_limit()..=MAX_SINK_GAS_LIMIT).contains(&gas.max_gas_limit)
				&& gas.max_fee_per_gas > 0,
			Error::<T>::InvalidSinkParams
		);
		let public_key =
			T::ThresholdSigner::claim_path(&publication_owner(0), key, &sink_path(chain_id))?;
		let address = waas_primitives::address::evm_address(&public_key)
			.map_err(|_| Error::<T>::InvalidSinkParams)?;
		Self::abandon_due();
		EvmSinkConfig::<T>::put(EvmSink { chain_id, key, address, every, gas });
		Self::deposit_event(Event::EvmSinkSet { chain_id, key, address, every });
		Ok(())
	}

	/// [`Pallet::clear_evm_sink`].
	pub(crate) fn do_clear_evm_sink() -> DispatchResult {
		ensure!(EvmSinkConfig::<T>::take().is_some(), Error::<T>::NoEvmSink);
		Self::abandon_due();
		Self::deposit_event(Event::EvmSinkCleared);
		Ok(())
	}

	/// Abandons the latest publication if no signature was requested for it yet.
	fn abandon_due() {
		if let Some((seq, mut publication)) = Self::latest_publication() {
			if matches!(publication.status, PublicationStatus::Due { .. }) {
				publication.status =
					PublicationStatus::Abandoned { at: frame_system::Pallet::<T>::block_number() };
				Publications::<T>::insert(seq, publication);
				Self::deposit_event(Event::EvmAnchorAbandoned { publication: seq });
			}
		}
	}

	/// Makes a publication due at block `now` if the sink's period says so and the anchors
	/// tree grew since the last one; supersedes a due one nobody proposed. Returns the weight.
	pub(crate) fn publication_tick(now: BlockNumberFor<T>) -> Weight {
		let read = T::DbWeight::get().reads(1);
		let Some(sink) = EvmSinkConfig::<T>::get() else { return read };
		if !(now % sink.every).is_zero() {
			return read;
		}
		let weight = T::WeightInfo::publication_tick();
		let tree = Self::anchors_tree();
		let latest = Self::latest_publication();
		if let Some((_, p)) = &latest {
			let in_flight = matches!(p.status, PublicationStatus::Requested { .. });
			if in_flight || (p.tree_size >= tree.tree_size && p.chain_id == sink.chain_id) {
				return weight;
			}
		}
		if tree.tree_size == 0 {
			return weight;
		}
		Self::abandon_due();
		let seq = PublicationCount::<T>::get();
		PublicationCount::<T>::put(seq.saturating_add(1));
		if let Some(pruned) = seq.checked_sub(PUBLICATIONS_KEPT) {
			Publications::<T>::remove(pruned);
		}
		Publications::<T>::insert(
			seq,
			Publication {
				chain_id: sink.chain_id,
				key: sink.key,
				address: sink.address,
				tree_size: tree.tree_size,
				root: tree.root,
				created_at: now,
				status: PublicationStatus::Due { attempts: 0 },
			},
		);
		Self::deposit_event(Event::EvmAnchorDue {
			publication: seq,
			tree_size: tree.tree_size,
			root: tree.root,
		});
		weight
	}

	/// [`Pallet::propose_evm_anchor`].
	pub(crate) fn do_propose_evm_anchor(
		who: T::AccountId,
		seq: u64,
		tx: UnsignedTx,
	) -> DispatchResult {
		let mut publication = Publications::<T>::get(seq).ok_or(Error::<T>::UnknownPublication)?;
		let PublicationStatus::Due { attempts } = publication.status else {
			return Err(Error::<T>::PublicationNotDue.into());
		};
		let sink = EvmSinkConfig::<T>::get().ok_or(Error::<T>::NoEvmSink)?;
		ensure!(
			T::Committees::membership(publication.key, &who).is_some(),
			Error::<T>::NotCommitteeMember
		);
		let data = Self::publication_calldata(&publication);
		let intended = IntendedCall {
			chain_id: publication.chain_id,
			to: publication.address,
			data: &data,
			gas: sink.gas,
		};
		let checked = evm_tx::check_call(&tx, &intended).map_err(Error::<T>::from)?;
		let request = T::ThresholdSigner::request_signature(SigningRequest {
			owner: publication_owner(seq),
			payer: &who,
			key: publication.key,
			path: &sink_path(publication.chain_id),
			payload: &tx,
			scheme: HashScheme::Keccak256,
		})?;
		publication.status = PublicationStatus::Requested {
			request,
			tx,
			nonce: checked.nonce,
			proposer: who.clone(),
			attempts,
		};
		Publications::<T>::insert(seq, publication);
		Self::deposit_event(Event::EvmAnchorRequested {
			publication: seq,
			request,
			signing_hash: checked.signing_hash,
			nonce: checked.nonce,
			proposer: who,
		});
		Ok(())
	}

	/// Records how the signature request of publication `seq` ended.
	fn publication_outcome(seq: u64, request: RequestId, outcome: SignatureOutcome) {
		let Some(mut publication) = Publications::<T>::get(seq) else { return };
		let PublicationStatus::Requested { request: current, tx, nonce, attempts, .. } =
			&publication.status
		else {
			return;
		};
		if *current != request {
			return;
		}
		let (nonce, attempts) = (*nonce, *attempts);
		let now = frame_system::Pallet::<T>::block_number();
		let signed = match outcome {
			SignatureOutcome::Signed => T::ThresholdSigner::signature(request)
				.and_then(|signature| evm_tx::assemble_signed(tx, &signature).ok())
				.and_then(|signed| SignedTx::try_from(signed).ok()),
			_ => None,
		};
		publication.status = match signed {
			Some(signed_tx) => {
				let tx_hash = evm_tx::transaction_hash(&signed_tx);
				Self::deposit_event(Event::EvmAnchorSigned { publication: seq, request, tx_hash });
				PublicationStatus::Signed { request, signed_tx, tx_hash, nonce, at: now }
			},
			None => {
				if outcome == SignatureOutcome::Signed {
					defensive!("a signed anchor transaction could not be assembled");
				}
				let attempts = attempts.saturating_add(1);
				Self::deposit_event(Event::EvmAnchorFailed { publication: seq, request, attempts });
				if attempts >= MAX_PUBLICATION_ATTEMPTS {
					Self::deposit_event(Event::EvmAnchorAbandoned { publication: seq });
					PublicationStatus::Abandoned { at: now }
				} else {
					PublicationStatus::Due { attempts }
				}
			},
		};
		Publications::<T>::insert(seq, publication);
	}
}

impl<T: Config> waas_traits::OnSignatureOutcome for Pallet<T> {
	fn on_outcome(request: RequestId, owner: &RequestOwner, outcome: SignatureOutcome) {
		if owner.namespace == namespace::AUDIT_ANCHORS {
			Self::publication_outcome(owner.context, request, outcome);
		}
	}

	fn on_outcome_weight() -> Weight {
		T::WeightInfo::on_signature_outcome()
	}
}
