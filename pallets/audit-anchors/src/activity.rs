//! Meta-Account activity logs: the chain's own record of each Meta-Account's security events
//! ([`waas_traits::Activity`]), which the Meta-Account pallets write through
//! [`waas_traits::AccountActivity`].
//!
//! Each Meta-Account has one log, an RFC 6962 tree of [`ActivityEntry`]s. The chain keeps only
//! what it needs to extend it — the tree's size, root and frontier (at most 64 hashes) and the
//! latest entry's leaf — paid for by a deposit ([`Config::ActivityDeposit`]) held when the
//! Meta-Account is created and returned when it closes. The entries themselves go to the
//! nodes' offchain index, keyed by their leaf hash ([`activity_index_key`]), and into
//! an [`Event::ActivityRecorded`]. Keys by content, not by position, keep a fork's entries from
//! overwriting the canonical ones; each entry names the leaf before it, so a reader walks a log
//! back from the state's `latest_leaf` and checks the result against the state's root.

use crate::{pallet::*, types::*, weights::WeightInfo, ActivityLogOf, BalanceOf};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::traits::Get;
use frame_support::{
	defensive,
	dispatch::DispatchResult,
	ensure,
	traits::{fungible::MutateHold, tokens::Precision, UnixTime},
	weights::Weight,
};
use waas_primitives::merkle_log::{self, NodeHash};
use waas_traits::{AccountActivity, Activity, AuthenticatorKey};

/// The first part of an activity entry's offchain index key.
pub const ACTIVITY_INDEX_PREFIX: &[u8] = b"waas/activity/v1";

/// The format tag of activity logs, as readers name them.
pub const ACTIVITY_FORMAT: &str = "waas/meta-account-activity/v1";

/// The offchain index key of the activity entry of `meta_account` whose leaf hash is `leaf`:
/// `SCALE(ACTIVITY_INDEX_PREFIX, meta_account, leaf)`, under the offchain database's
/// `STORAGE_PREFIX`. Its value is the SCALE encoding of the entry. Nodes index entries when
/// offchain indexing is on (`waas-node` turns it on).
pub fn activity_index_key(meta_account: &MetaAccountId, leaf: &NodeHash) -> Vec<u8> {
	(ACTIVITY_INDEX_PREFIX, meta_account, leaf).encode()
}

impl<T: Config> Pallet<T> {
	/// Appends `activity` to `log`, the log of `meta_account`: indexes the entry, emits it and
	/// updates the tree. Changes nothing if the log is full (2^64 − 1 entries).
	pub(crate) fn append_activity(
		meta_account: MetaAccountId,
		log: &mut ActivityLogOf<T>,
		activity: Activity<T::AccountId>,
	) -> DispatchResult {
		let block = frame_system::Pallet::<T>::block_number();
		let entry = ActivityEntry {
			meta_account,
			index: log.tree_size,
			block,
			timestamp: T::Time::now().as_millis() as u64,
			previous: log.latest_leaf,
			activity,
		};
		let bytes = entry.encode();
		let leaf = merkle_log::leaf_hash(&bytes);
		let frontier = merkle_log::frontier_append(&log.frontier, log.tree_size, leaf)
			.and_then(|f| Frontier::try_from(f).ok())
			.ok_or(Error::<T>::ActivityLogFull)?;
		log.root = merkle_log::frontier_root(&frontier);
		log.frontier = frontier;
		log.tree_size = log.tree_size.saturating_add(1);
		log.latest_leaf = leaf;
		log.updated_at = block;
		sp_io::offchain_index::set(&activity_index_key(&meta_account, &leaf), &bytes);
		Self::deposit_event(Event::ActivityRecorded { meta_account, entry, leaf, root: log.root });
		Ok(())
	}

	/// Checks that `leaf` is entry `index` of the activity log of `meta_account` as it stands
	/// (`tree_size` must be its current size), by the audit path `proof`; returns the log.
	pub fn verify_activity(
		meta_account: &MetaAccountId,
		leaf: NodeHash,
		index: u64,
		tree_size: u64,
		proof: &[NodeHash],
	) -> Result<ActivityLogOf<T>, VerifyError> {
		let log = ActivityLogs::<T>::get(meta_account).ok_or(VerifyError::UnknownLog)?;
		if log.tree_size != tree_size {
			return Err(VerifyError::NoHeadAtSize);
		}
		merkle_log::verify_inclusion(&leaf, index, tree_size, proof, &log.root)
			.map_err(VerifyError::Proof)?;
		Ok(log)
	}
}

impl<T: Config> AccountActivity<T::AccountId> for Pallet<T> {
	fn open(
		meta_account: MetaAccountId,
		payer: &T::AccountId,
		creator: AuthenticatorKey<T::AccountId>,
	) -> DispatchResult {
		ensure!(!ActivityLogs::<T>::contains_key(meta_account), Error::<T>::ActivityLogExists);
		let deposit = T::ActivityDeposit::get();
		T::Currency::hold(&HoldReason::Activity.into(), payer, deposit)?;
		let mut log = ActivityLog {
			tree_size: 0,
			root: merkle_log::empty_root(),
			latest_leaf: [0; 32],
			frontier: Frontier::default(),
			updated_at: frame_system::Pallet::<T>::block_number(),
			deposit_payer: payer.clone(),
			deposit,
		};
		Self::append_activity(meta_account, &mut log, Activity::Created { creator })?;
		ActivityLogs::<T>::insert(meta_account, log);
		Ok(())
	}

	fn record(meta_account: MetaAccountId, activity: Activity<T::AccountId>) {
		ActivityLogs::<T>::mutate(meta_account, |maybe| {
			if let Some(log) = maybe {
				if Self::append_activity(meta_account, log, activity).is_err() {
					defensive!("an activity log is full");
				}
			}
		});
	}

	fn close(meta_account: MetaAccountId, closed_by: AuthenticatorKey<T::AccountId>) {
		let Some(mut log) = ActivityLogs::<T>::take(meta_account) else { return };
		if Self::append_activity(meta_account, &mut log, Activity::Closed { closed_by }).is_err() {
			defensive!("an activity log is full");
		}
		let released: Result<BalanceOf<T>, _> = T::Currency::release(
			&HoldReason::Activity.into(),
			&log.deposit_payer,
			log.deposit,
			Precision::BestEffort,
		);
		if released.is_err() {
			defensive!("an activity deposit could not be released");
		}
		Self::deposit_event(Event::ActivityLogClosed {
			meta_account,
			tree_size: log.tree_size,
			root: log.root,
		});
	}

	fn open_weight() -> Weight {
		T::WeightInfo::open_activity()
	}

	fn record_weight() -> Weight {
		T::WeightInfo::record_activity()
	}

	fn close_weight() -> Weight {
		T::WeightInfo::close_activity()
	}
}

/// Why a node could not read a linked log (an activity log, the anchors tree) back from its
/// offchain index.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ActivityReadError {
	/// The entry with this leaf hash is not in the index (the node did not index the block
	/// that recorded it: started without offchain indexing, or synced from a snapshot).
	Missing(NodeHash),
	/// The indexed value is not the entry it is keyed by, or does not link to the entries
	/// around it.
	Corrupt(NodeHash),
	/// The entries do not hash to the root in the chain's state.
	RootMismatch,
}

/// Reads the `size` entries of a log whose entries link back to the one before (by leaf hash)
/// from an offchain index, oldest first, as (leaf hash, SCALE-encoded entry). It walks back
/// from `latest_leaf`: `key_of(leaf)` is the index key of an entry, `previous_of(bytes, index)`
/// decodes it and checks that it is entry `index` of this log, giving its `previous`. Each
/// value must hash to its key, the first must link to zero, and the leaves must hash to `root`.
/// `read` gets a value of the index by key.
pub fn read_linked(
	size: u64,
	latest_leaf: NodeHash,
	root: &NodeHash,
	key_of: impl Fn(&NodeHash) -> Vec<u8>,
	previous_of: impl Fn(&[u8], u64) -> Option<NodeHash>,
	mut read: impl FnMut(&[u8]) -> Option<Vec<u8>>,
) -> Result<Vec<(NodeHash, Vec<u8>)>, ActivityReadError> {
	let mut entries = Vec::new();
	let mut leaf = latest_leaf;
	for index in (0..size).rev() {
		let bytes = read(&key_of(&leaf)).ok_or(ActivityReadError::Missing(leaf))?;
		let previous = previous_of(&bytes, index)
			.filter(|previous| {
				merkle_log::leaf_hash(&bytes) == leaf && (index != 0 || *previous == [0; 32])
			})
			.ok_or(ActivityReadError::Corrupt(leaf))?;
		entries.push((leaf, bytes));
		leaf = previous;
	}
	entries.reverse();
	let leaves: Vec<NodeHash> = entries.iter().map(|(leaf, _)| *leaf).collect();
	if merkle_log::root(&leaves) != *root {
		return Err(ActivityReadError::RootMismatch);
	}
	Ok(entries)
}

/// Reads the `size` entries of an activity log back from an offchain index ([`read_linked`]),
/// each checked to be of `meta_account`.
pub fn read_activity<AccountId: codec::Decode, BlockNumber: codec::Decode>(
	meta_account: &MetaAccountId,
	size: u64,
	latest_leaf: NodeHash,
	root: &NodeHash,
	read: impl FnMut(&[u8]) -> Option<Vec<u8>>,
) -> Result<Vec<(NodeHash, Vec<u8>)>, ActivityReadError> {
	use codec::Decode;
	read_linked(
		size,
		latest_leaf,
		root,
		|leaf| activity_index_key(meta_account, leaf),
		|mut bytes, index| {
			let entry = ActivityEntry::<AccountId, BlockNumber>::decode(&mut bytes).ok()?;
			(entry.index == index && entry.meta_account == *meta_account).then_some(entry.previous)
		},
		read,
	)
}
