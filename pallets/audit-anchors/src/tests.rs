//! Tests of the audit-anchors pallet against real RFC 6962 trees built by
//! `waas_primitives::merkle_log`.

use crate::{mock::*, *};
use codec::{Decode, Encode};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use pallet_meta_accounts::AuthenticatorOf;
use sp_runtime::DispatchError;
use waas_primitives::merkle_log::{self, consistency_proof, inclusion_proof, leaf_hash, root};
use waas_traits::{Activity, AuthenticatorKey};

/// The log entries `entry 0`, `entry 1`, … as leaf hashes.
fn entries(n: usize) -> Vec<NodeHash> {
	(0..n).map(|i| leaf_hash(format!("entry {i}").as_bytes())).collect()
}

fn format(tag: &str) -> Format {
	Format::truncate_from(tag.as_bytes().to_vec())
}

fn proof(nodes: Vec<NodeHash>) -> Proof {
	Proof::truncate_from(nodes)
}

fn events() -> Vec<Event<Test>> {
	let out = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::AuditAnchors(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	out
}

/// Registers an account-owned log of `who`.
fn account_log(who: u64) -> LogId {
	assert_ok!(AuditAnchors::register_log(
		RuntimeOrigin::signed(who),
		OwnerKind::Account,
		format("waas/test/v1")
	));
	NextLogId::<Test>::get() - 1
}

/// Anchors the first `n` of `leaves` on `log` as `who`, with the consistency proof from the
/// log's latest head.
fn anchor_prefix(who: u64, log: LogId, leaves: &[NodeHash], n: usize) -> DispatchResult {
	let latest = Logs::<Test>::get(log).unwrap().latest.map_or(0, |h| h.tree_size);
	let nodes = consistency_proof(&leaves[..n], latest).unwrap();
	AuditAnchors::anchor(
		RuntimeOrigin::signed(who),
		log,
		n as u64,
		root(&leaves[..n]),
		proof(nodes),
	)
}

fn meta(who: u64) -> MetaAccountId {
	assert_ok!(MetaAccounts::create(RuntimeOrigin::signed(who)));
	AuthenticatorOf::<Test>::get(AuthenticatorKey::Substrate(who)).unwrap()
}

#[test]
fn accounts_and_meta_accounts_register_logs_with_a_deposit() {
	build_and_execute(|| {
		let log = account_log(10);
		assert_eq!(log, 0);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Log.into(), &10), 7);
		let info = Logs::<Test>::get(log).unwrap();
		assert_eq!(info.owner, LogOwner::Account(10));
		assert_eq!((info.deposit_payer, info.deposit, info.anchors), (Some(10), 7, 0));
		assert_eq!(info.latest, None);
		assert_eq!(
			events(),
			vec![Event::LogRegistered {
				log,
				owner: LogOwner::Account(10),
				format: format("waas/test/v1")
			}]
		);

		let m = meta(11);
		assert_ok!(AuditAnchors::register_log(
			RuntimeOrigin::signed(11),
			OwnerKind::MetaAccount,
			format("waas/activity/v1")
		));
		assert_eq!(Logs::<Test>::get(1).unwrap().owner, LogOwner::MetaAccount(m));
		assert_eq!(AuditAnchors::logs_of(&LogOwner::MetaAccount(m), 0, 10), vec![1]);
		assert_eq!(AuditAnchors::logs_of(&LogOwner::Account(10), 0, 10), vec![0]);
		// Without a Meta-Account there is none to own it.
		assert_noop!(
			AuditAnchors::register_log(
				RuntimeOrigin::signed(12),
				OwnerKind::MetaAccount,
				format("x")
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn registration_refuses_bad_formats_and_too_many_logs() {
	build_and_execute(|| {
		for bad in ["", "has space", "tab\t"] {
			assert_noop!(
				AuditAnchors::register_log(
					RuntimeOrigin::signed(10),
					OwnerKind::Account,
					format(bad)
				),
				Error::<Test>::InvalidFormat
			);
		}
		account_log(10);
		account_log(10);
		assert_noop!(
			AuditAnchors::register_log(RuntimeOrigin::signed(10), OwnerKind::Account, format("a")),
			Error::<Test>::TooManyLogs
		);
		// Another owner still may.
		account_log(11);
	});
}

#[test]
fn a_log_grows_by_consistent_heads_chained_and_timestamped() {
	build_and_execute(|| {
		let log = account_log(10);
		let leaves = entries(11);
		events();
		assert_ok!(anchor_prefix(10, log, &leaves, 4));
		let first = Logs::<Test>::get(log).unwrap().latest.unwrap();
		assert_eq!((first.seq, first.tree_size, first.root), (0, 4, root(&leaves[..4])));
		assert_eq!((first.block, first.timestamp, first.previous), (1, START_MS, [0; 32]));

		System::set_block_number(2);
		pallet_timestamp::Now::<Test>::put(START_MS + 6_000);
		assert_ok!(anchor_prefix(10, log, &leaves, 11));
		let second = Logs::<Test>::get(log).unwrap().latest.unwrap();
		assert_eq!((second.seq, second.tree_size, second.block), (1, 11, 2));
		assert_eq!(second.timestamp, START_MS + 6_000);
		assert_eq!(second.previous, first.chain_hash, "chained to the first head");
		// The hash is the documented preimage.
		let genesis = frame_system::Pallet::<Test>::block_hash(0);
		let preimage = (
			HEAD_HASH_DOMAIN,
			genesis,
			log,
			1u64,
			11u64,
			root(&leaves),
			2u64,
			START_MS + 6_000,
			first.chain_hash,
		);
		assert_eq!(second.chain_hash, sp_io::hashing::blake2_256(&preimage.encode()));
		assert_eq!(
			events(),
			vec![
				Event::Anchored {
					log,
					seq: 0,
					tree_size: 4,
					root: first.root,
					chain_hash: first.chain_hash
				},
				Event::Anchored {
					log,
					seq: 1,
					tree_size: 11,
					root: second.root,
					chain_hash: second.chain_hash
				},
			]
		);
		assert_eq!(AuditAnchors::head_at(log, 4), Some(first));
		assert_eq!(AuditAnchors::head_at(log, 11), Some(second));
		assert_eq!(AuditAnchors::head_at(log, 5), None);
	});
}

#[test]
fn a_rewritten_history_is_refused_and_changes_nothing() {
	build_and_execute(|| {
		let log = account_log(10);
		let leaves = entries(9);
		assert_ok!(anchor_prefix(10, log, &leaves, 5));
		// The owner rewrites entry 2 and anchors an extension: no proof makes it consistent.
		let mut rewritten = leaves.clone();
		rewritten[2] = leaf_hash(b"entry 2, edited");
		assert_noop!(anchor_prefix(10, log, &rewritten, 9), Error::<Test>::InconsistentHistory);
		let honest = consistency_proof(&leaves[..9], 5).unwrap();
		assert_noop!(
			AuditAnchors::anchor(
				RuntimeOrigin::signed(10),
				log,
				9,
				root(&rewritten),
				proof(honest)
			),
			Error::<Test>::InconsistentHistory
		);
		// A log never shrinks or stands still; proofs have exactly their length.
		assert_noop!(anchor_prefix(10, log, &leaves, 5), Error::<Test>::NotExtended);
		assert_noop!(
			AuditAnchors::anchor(
				RuntimeOrigin::signed(10),
				log,
				3,
				root(&leaves[..3]),
				proof(vec![])
			),
			Error::<Test>::NotExtended
		);
		let mut long = consistency_proof(&leaves[..9], 5).unwrap();
		long.push([0; 32]);
		assert_noop!(
			AuditAnchors::anchor(RuntimeOrigin::signed(10), log, 9, root(&leaves), proof(long)),
			Error::<Test>::ProofLength
		);
		// The honest extension is accepted.
		assert_ok!(anchor_prefix(10, log, &leaves, 9));
	});
}

#[test]
fn the_first_anchor_has_no_proof_and_at_least_one_entry() {
	build_and_execute(|| {
		let log = account_log(10);
		let leaves = entries(3);
		assert_noop!(
			AuditAnchors::anchor(
				RuntimeOrigin::signed(10),
				log,
				3,
				root(&leaves),
				proof(vec![leaves[0]])
			),
			Error::<Test>::ProofLength
		);
		assert_noop!(
			AuditAnchors::anchor(RuntimeOrigin::signed(10), log, 0, root(&[]), proof(vec![])),
			Error::<Test>::EmptyTree
		);
		assert_noop!(
			AuditAnchors::anchor(RuntimeOrigin::signed(10), 9, 3, root(&leaves), proof(vec![])),
			Error::<Test>::UnknownLog
		);
		assert_ok!(anchor_prefix(10, log, &leaves, 3));
	});
}

#[test]
fn only_the_owner_anchors() {
	build_and_execute(|| {
		let log = account_log(10);
		let leaves = entries(2);
		assert_noop!(anchor_prefix(11, log, &leaves, 2), Error::<Test>::NotLogOwner);

		// A Meta-Account's log: its authenticators anchor it, nobody else.
		let m = meta(11);
		assert_ok!(AuditAnchors::register_log(
			RuntimeOrigin::signed(11),
			OwnerKind::MetaAccount,
			format("waas/activity/v1")
		));
		let meta_log = NextLogId::<Test>::get() - 1;
		meta(12);
		assert_noop!(anchor_prefix(12, meta_log, &leaves, 2), Error::<Test>::NotLogOwner);
		assert_noop!(anchor_prefix(10, meta_log, &leaves, 2), Error::<Test>::NotLogOwner);
		assert_ok!(anchor_prefix(11, meta_log, &leaves, 2));
		assert_eq!(Logs::<Test>::get(meta_log).unwrap().owner, LogOwner::MetaAccount(m));

		// A pallet's log is anchored only through the trait, by its namespace.
		let pallet_log =
			<AuditAnchors as waas_traits::AuditLogs>::register(7, b"waas/pallet/v1").unwrap();
		assert_eq!(Logs::<Test>::get(pallet_log).unwrap().deposit_payer, None);
		assert_noop!(anchor_prefix(10, pallet_log, &leaves, 2), Error::<Test>::NotLogOwner);
		assert_noop!(
			<AuditAnchors as waas_traits::AuditLogs>::anchor(8, pallet_log, 2, root(&leaves), &[]),
			Error::<Test>::NotLogOwner
		);
		assert_ok!(<AuditAnchors as waas_traits::AuditLogs>::anchor(
			7,
			pallet_log,
			2,
			root(&leaves),
			&[]
		));
	});
}

#[test]
fn inclusion_and_consistency_are_checked_against_anchored_heads() {
	build_and_execute(|| {
		let log = account_log(10);
		let leaves = entries(13);
		assert_ok!(anchor_prefix(10, log, &leaves, 6));
		assert_ok!(anchor_prefix(10, log, &leaves, 13));
		for (index, size) in [(0u64, 6u64), (5, 6), (0, 13), (7, 13), (12, 13)] {
			let path = inclusion_proof(&leaves[..size as usize], index).unwrap();
			let head =
				AuditAnchors::verify_inclusion(log, leaves[index as usize], index, size, &path)
					.expect("included");
			assert_eq!(head.tree_size, size);
		}
		// A tampered entry, another index, a size never anchored, an unknown log: refused.
		let path = inclusion_proof(&leaves, 7).unwrap();
		let tampered = leaf_hash(b"entry 7, edited");
		assert_eq!(
			AuditAnchors::verify_inclusion(log, tampered, 7, 13, &path),
			Err(VerifyError::Proof(merkle_log::ProofError::RootMismatch))
		);
		assert_eq!(
			AuditAnchors::verify_inclusion(log, leaves[7], 8, 13, &path),
			Err(VerifyError::Proof(merkle_log::ProofError::RootMismatch))
		);
		assert_eq!(
			AuditAnchors::verify_inclusion(log, leaves[7], 7, 12, &path),
			Err(VerifyError::NoHeadAtSize)
		);
		assert_eq!(
			AuditAnchors::verify_inclusion(5, leaves[7], 7, 13, &path),
			Err(VerifyError::UnknownLog)
		);
		let between = consistency_proof(&leaves, 6).unwrap();
		assert_eq!(AuditAnchors::verify_consistency(log, 6, 13, &between), Ok(()));
		assert_eq!(
			AuditAnchors::verify_consistency(log, 6, 13, &between[1..]),
			Err(VerifyError::Proof(merkle_log::ProofError::WrongProofLength))
		);
		assert_eq!(
			AuditAnchors::verify_consistency(log, 5, 13, &between),
			Err(VerifyError::NoHeadAtSize)
		);
	});
}

#[test]
fn only_the_latest_heads_stay_on_chain() {
	build_and_execute(|| {
		let log = account_log(10);
		let leaves = entries(20);
		for n in [2, 5, 8, 13, 20] {
			assert_ok!(anchor_prefix(10, log, &leaves, n));
		}
		// MaxHeadsPerLog = 3: heads 0 and 1 (sizes 2 and 5) are pruned.
		assert_eq!(Logs::<Test>::get(log).unwrap().anchors, 5);
		assert!(!Heads::<Test>::contains_key(log, 0) && !Heads::<Test>::contains_key(log, 1));
		assert_eq!(AuditAnchors::head_at(log, 5), None);
		for n in [8u64, 13, 20] {
			assert_eq!(AuditAnchors::head_at(log, n).map(|h| h.tree_size), Some(n));
		}
		// Entries of pruned heads are proven against a later one.
		let path = inclusion_proof(&leaves, 1).unwrap();
		assert!(AuditAnchors::verify_inclusion(log, leaves[1], 1, 20, &path).is_ok());
		let path = inclusion_proof(&leaves[..5], 1).unwrap();
		assert_eq!(
			AuditAnchors::verify_inclusion(log, leaves[1], 1, 5, &path),
			Err(VerifyError::NoHeadAtSize)
		);
	});
}

/// The activity entries recorded since the last `events()`, with their leaves and roots.
fn activity_events() -> Vec<(ActivityEntryOf<Test>, NodeHash, NodeHash)> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::ActivityRecorded { entry, leaf, root, .. } => Some((entry, leaf, root)),
			_ => None,
		})
		.collect()
}

#[test]
fn a_meta_account_s_security_events_form_its_activity_log() {
	build_and_execute(|| {
		let m = meta(10);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Activity.into(), &10), 5);
		assert_ok!(MetaAccounts::invite_authenticator(
			RuntimeOrigin::signed(10),
			11,
			pallet_meta_accounts::Role::Signer
		));
		assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(11), m));
		// Owner 10 proposes removing 11, then vetoes it; 11 then leaves by itself.
		let signer = AuthenticatorKey::Substrate(11);
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(10), signer.clone()));
		assert_ok!(MetaAccounts::veto_change(RuntimeOrigin::signed(10), 0));
		System::set_block_number(2);
		pallet_timestamp::Now::<Test>::put(START_MS + 6_000);
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(11), signer.clone()));

		let owner = AuthenticatorKey::Substrate(10);
		let recorded = activity_events();
		let activities: Vec<_> = recorded.iter().map(|(e, _, _)| e.activity.clone()).collect();
		assert_eq!(
			activities,
			vec![
				Activity::Created { creator: owner.clone() },
				Activity::AuthenticatorAdded {
					authenticator: signer.clone(),
					role: pallet_meta_accounts::Role::Signer
				},
				Activity::ChangeProposed { change: 0, proposer: owner.clone() },
				Activity::ChangeVetoed { change: 0, by: owner.clone() },
				Activity::AuthenticatorRemoved { authenticator: signer },
			]
		);
		// Each entry is numbered, timestamped, linked to the one before; the event's leaf is
		// its RFC 6962 leaf hash and its root the tree's over every entry so far.
		let mut leaves = Vec::new();
		for (i, (entry, leaf, root)) in recorded.iter().enumerate() {
			assert_eq!((entry.meta_account, entry.index), (m, i as u64));
			assert_eq!(entry.previous, leaves.last().copied().unwrap_or([0; 32]));
			let (block, ms) = if i < 4 { (1, START_MS) } else { (2, START_MS + 6_000) };
			assert_eq!((entry.block, entry.timestamp), (block, ms));
			assert_eq!(*leaf, leaf_hash(&entry.encode()));
			leaves.push(*leaf);
			assert_eq!(*root, merkle_log::root(&leaves));
		}
		let log = ActivityLogs::<Test>::get(m).unwrap();
		assert_eq!((log.tree_size, log.root, log.latest_leaf), (5, root(&leaves), leaves[4]));
		assert_eq!((log.deposit_payer, log.deposit, log.updated_at), (10, 5, 2));

		// Every entry proves against the log as it stands; a tampered one does not.
		for (i, leaf) in leaves.iter().enumerate() {
			let path = inclusion_proof(&leaves, i as u64).unwrap();
			assert_eq!(
				AuditAnchors::verify_activity(&m, *leaf, i as u64, 5, &path),
				Ok(log.clone())
			);
		}
		let path = inclusion_proof(&leaves, 2).unwrap();
		let mut tampered = recorded[2].0.clone();
		tampered.activity = Activity::ChangeVetoed { change: 0, by: owner.clone() };
		assert_eq!(
			AuditAnchors::verify_activity(&m, leaf_hash(&tampered.encode()), 2, 5, &path),
			Err(VerifyError::Proof(merkle_log::ProofError::RootMismatch))
		);
		assert_eq!(
			AuditAnchors::verify_activity(&m, leaves[2], 2, 4, &path),
			Err(VerifyError::NoHeadAtSize)
		);
		assert_eq!(
			AuditAnchors::verify_activity(&meta_id_of_nobody(), leaves[2], 2, 5, &path),
			Err(VerifyError::UnknownLog)
		);

		// Closing ends the log: a last entry, then its state and deposit go.
		assert_ok!(MetaAccounts::close_meta_account(RuntimeOrigin::signed(10), 12));
		let closed = events();
		let last = closed.iter().find_map(|e| match e {
			Event::ActivityRecorded { entry, leaf, .. } => Some((entry.clone(), *leaf)),
			_ => None,
		});
		let (entry, leaf) = last.expect("the Closed entry");
		assert_eq!((entry.index, entry.activity), (5, Activity::Closed { closed_by: owner }));
		leaves.push(leaf);
		assert!(closed.contains(&Event::ActivityLogClosed {
			meta_account: m,
			tree_size: 6,
			root: root(&leaves)
		}));
		assert!(!ActivityLogs::<Test>::contains_key(m));
		assert_eq!(Balances::balance_on_hold(&HoldReason::Activity.into(), &10), 0);
	});
}

fn meta_id_of_nobody() -> MetaAccountId {
	MetaAccountId::repeat_byte(0xee)
}

#[test]
fn the_entries_are_indexed_offchain_and_read_back_against_the_root() {
	let mut ext = new_test_ext();
	let (m, log) = ext.execute_with(|| {
		let m = meta(10);
		for account in [11, 12] {
			assert_ok!(MetaAccounts::invite_authenticator(
				RuntimeOrigin::signed(10),
				account,
				pallet_meta_accounts::Role::Viewer
			));
			assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(account), m));
		}
		(m, ActivityLogs::<Test>::get(m).unwrap())
	});
	ext.persist_offchain_overlay();
	let db = ext.offchain_db();
	let read = |key: &[u8]| db.get(key);
	let entries =
		activity::read_activity::<u64, u64>(&m, log.tree_size, log.latest_leaf, &log.root, read)
			.expect("the index holds the log");
	assert_eq!(entries.len(), 3);
	for (i, (leaf, bytes)) in entries.iter().enumerate() {
		let entry = ActivityEntryOf::<Test>::decode(&mut &bytes[..]).unwrap();
		assert_eq!(entry.index, i as u64);
		assert_eq!(*leaf, leaf_hash(bytes));
	}
	// A state whose root the entries do not give, a size they do not have (the latest entry
	// is not number 3), or an index without an entry, is an error.
	assert_eq!(
		activity::read_activity::<u64, u64>(&m, 3, log.latest_leaf, &[1; 32], |k| db.get(k)),
		Err(activity::ActivityReadError::RootMismatch)
	);
	assert_eq!(
		activity::read_activity::<u64, u64>(&m, 4, log.latest_leaf, &log.root, |k| db.get(k)),
		Err(activity::ActivityReadError::Corrupt(entries[2].0))
	);
	assert_eq!(
		activity::read_activity::<u64, u64>(&m, 3, [7; 32], &log.root, |k| db.get(k)),
		Err(activity::ActivityReadError::Missing([7; 32]))
	);
	// Another Meta-Account's key space holds none of these entries.
	let other = meta_id_of_nobody();
	assert_eq!(
		activity::read_activity::<u64, u64>(&other, 3, log.latest_leaf, &log.root, |k| db.get(k)),
		Err(activity::ActivityReadError::Missing(log.latest_leaf))
	);
}

#[test]
fn a_frontier_keeps_the_root_of_a_long_log() {
	build_and_execute(|| {
		let m = meta(10);
		for _ in 0..40 {
			<AuditAnchors as waas_traits::AccountActivity<u64>>::record(
				m,
				Activity::AddressRevoked { index: 7 },
			);
		}
		let leaves: Vec<NodeHash> = activity_events().iter().map(|(_, leaf, _)| *leaf).collect();
		let log = ActivityLogs::<Test>::get(m).unwrap();
		assert_eq!(log.tree_size, 41);
		assert_eq!(log.frontier.len(), 41u64.count_ones() as usize);
		assert_eq!(log.root, root(&leaves));
		// No log, no entry: a Meta-Account the pallet does not know records nothing.
		<AuditAnchors as waas_traits::AccountActivity<u64>>::record(
			meta_id_of_nobody(),
			Activity::AddressRevoked { index: 0 },
		);
		assert!(activity_events().is_empty());
	});
}
