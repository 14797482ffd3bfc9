//! Tests of the audit-anchors pallet against real RFC 6962 trees built by
//! `waas_primitives::merkle_log`.

use crate::{mock::*, *};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use pallet_meta_accounts::AuthenticatorOf;
use sp_runtime::DispatchError;
use waas_primitives::merkle_log::{self, consistency_proof, inclusion_proof, leaf_hash, root};
use waas_traits::AuthenticatorKey;

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
