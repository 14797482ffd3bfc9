//! Tests of the EVM anchor sink with the real threshold-signers pallet and a test key that
//! signs for the committee.

use crate::{evm_sink::*, mock::*, *};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::fungible::Mutate};
use pallet_threshold_signers::{RequestStatus, SignatureRequests};
use sp_runtime::DispatchError;
use waas_primitives::{
	evm_tx::{self, GasBudget, IntendedCall, TxFees},
	merkle_log::{leaf_hash, root},
	testing::TestKey,
};

const CHAIN: u64 = 31337;

fn test_key() -> TestKey {
	TestKey::from_seed([7u8; 32])
}

fn gas() -> GasBudget {
	GasBudget { max_gas_limit: 30_000, max_fee_per_gas: 100_000_000_000 }
}

fn sink_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::AuditAnchors(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Signers 1..=3 (with funds), a 2-of-3 committee and Active key 0 reported as [`test_key`].
fn setup_key() {
	use pallet_threshold_signers::Pallet as Signers;
	for i in 1..=3u64 {
		assert_ok!(Signers::<Test>::register_signer(
			RuntimeOrigin::root(),
			i,
			[i as u8; 32],
			frame_support::BoundedVec::try_from(b"127.0.0.1:1".to_vec()).unwrap()
		));
		<Balances as Mutate<u64>>::set_balance(&i, 1_000);
	}
	assert_ok!(Signers::<Test>::create_committee(
		RuntimeOrigin::root(),
		frame_support::BoundedVec::try_from(vec![1, 2, 3]).unwrap(),
		2
	));
	assert_ok!(Signers::<Test>::request_keygen(RuntimeOrigin::root(), 0));
	let k = test_key();
	for i in 1..=3u64 {
		assert_ok!(Signers::<Test>::report_keygen(
			RuntimeOrigin::signed(i),
			0,
			k.public_key(),
			k.chain_code()
		));
	}
}

/// The sink address the test key's path gives.
fn sink_address() -> [u8; 20] {
	waas_primitives::address::evm_address(&test_key().derived_public_key(&sink_path(CHAIN)))
		.unwrap()
}

/// Registers an account log of `who` and anchors its first `n` entries (no earlier head).
fn anchored_log(who: u64, n: u64) -> LogId {
	assert_ok!(AuditAnchors::register_log(
		RuntimeOrigin::signed(who),
		OwnerKind::Account,
		Format::truncate_from(b"waas/test/v1".to_vec())
	));
	let log = NextLogId::<Test>::get() - 1;
	assert_ok!(AuditAnchors::anchor(
		RuntimeOrigin::signed(who),
		log,
		n,
		[n as u8; 32],
		Proof::default()
	));
	log
}

/// The transaction a member proposes for `publication` with sender nonce `nonce`.
fn proposal(publication: u64, nonce: u64) -> Vec<u8> {
	let p = Publications::<Test>::get(publication).unwrap();
	let data = AuditAnchors::publication_calldata(&p);
	let intended = IntendedCall { chain_id: CHAIN, to: sink_address(), data: &data, gas: gas() };
	let fees = TxFees {
		nonce,
		gas_limit: evm_tx::plain_call_gas(&data),
		max_fee_per_gas: 2_000_000_000,
		max_priority_fee_per_gas: 1_000_000_000,
	};
	evm_tx::unsigned_call(&intended, &fees).unwrap()
}

fn propose(who: u64, publication: u64, tx: Vec<u8>) -> DispatchResult {
	AuditAnchors::propose_evm_anchor(
		RuntimeOrigin::signed(who),
		publication,
		UnsignedTx::truncate_from(tx),
	)
}

/// The test key signs `request` and its first assigned member submits it.
fn deliver(request: u64) {
	let req = SignatureRequests::<Test>::get(request).unwrap();
	let (sig, rid) = test_key().sign(&req.path, req.scheme, &req.payload);
	let RequestStatus::Assigned { signers, .. } = req.status else { panic!("not assigned") };
	let signer = [1u64, 2, 3][signers[0] as usize];
	assert_ok!(ThresholdSigners::submit_signature(
		RuntimeOrigin::signed(signer),
		request,
		sig,
		rid
	));
}

fn status(publication: u64) -> PublicationStatus<u64, u64> {
	Publications::<Test>::get(publication).unwrap().status
}

#[test]
fn every_anchor_is_a_leaf_of_the_anchors_tree_indexed_offchain() {
	let mut ext = new_test_ext();
	let mut leaves = Vec::new();
	ext.execute_with(|| {
		assert_eq!(AuditAnchors::anchors_tree().tree_size, 0);
		let a = anchored_log(10, 3);
		let b = anchored_log(10, 1);
		// A refused anchor (a second head without its proof) adds no leaf.
		assert!(AuditAnchors::anchor(RuntimeOrigin::signed(10), a, 4, [9; 32], Proof::default())
			.is_err());
		let tree = AuditAnchors::anchors_tree();
		assert_eq!(tree.tree_size, 2);
		let mut previous = [0u8; 32];
		for (index, log) in [(0u64, a), (1, b)] {
			let head = Logs::<Test>::get(log).unwrap().latest.unwrap();
			let entry = AnchorsEntry { index, log, seq: 0, chain_hash: head.chain_hash, previous };
			previous = leaf_hash(&entry.encode());
			leaves.push((previous, entry.encode()));
		}
		let hashes: Vec<_> = leaves.iter().map(|(l, _)| *l).collect();
		assert_eq!(tree.root, root(&hashes));
		assert_eq!(tree.latest_leaf, hashes[1]);
		AuditAnchors::check_invariants().unwrap();
	});
	ext.persist_offchain_overlay();
	let db = ext.offchain_db();
	for (leaf, bytes) in &leaves {
		assert_eq!(db.get(&anchors_index_key(leaf)).as_deref(), Some(&bytes[..]));
	}
	// Read back (as `waas_anchorProof` does), checked against the tree; a tree the entries do
	// not give, or one larger than they are, is refused.
	let tree = ext.execute_with(AuditAnchors::anchors_tree);
	assert_eq!(read_anchors(&tree, |k| db.get(k)), Ok(leaves.clone()));
	let wrong_root = AnchorsTree { root: [1; 32], ..tree.clone() };
	assert_eq!(
		read_anchors(&wrong_root, |k| db.get(k)),
		Err(activity::ActivityReadError::RootMismatch)
	);
	let too_large = AnchorsTree { tree_size: 3, ..tree.clone() };
	assert_eq!(
		read_anchors(&too_large, |k| db.get(k)),
		Err(activity::ActivityReadError::Corrupt(leaves[1].0))
	);
	// A value that is not the entry its key names is refused.
	let forged = |k: &[u8]| {
		if k == anchors_index_key(&leaves[0].0) {
			Some(leaves[1].1.clone())
		} else {
			db.get(k)
		}
	};
	assert_eq!(read_anchors(&tree, forged), Err(activity::ActivityReadError::Corrupt(leaves[0].0)));
}

#[test]
fn the_sink_is_validated_and_owns_its_path() {
	build_and_execute(|| {
		assert_noop!(
			AuditAnchors::set_evm_sink(RuntimeOrigin::signed(10), CHAIN, 0, 5, gas()),
			DispatchError::BadOrigin
		);
		// No Active key yet.
		assert!(AuditAnchors::set_evm_sink(RuntimeOrigin::root(), CHAIN, 0, 5, gas()).is_err());
		setup_key();
		let bad = [
			(0, 5, gas()),
			(MAX_SINK_CHAIN_ID + 1, 5, gas()),
			(CHAIN, 0, gas()),
			(CHAIN, 5, GasBudget { max_gas_limit: min_sink_gas_limit() - 1, ..gas() }),
			(CHAIN, 5, GasBudget { max_gas_limit: MAX_SINK_GAS_LIMIT + 1, ..gas() }),
			(CHAIN, 5, GasBudget { max_fee_per_gas: 0, ..gas() }),
		];
		for (chain, every, gas) in bad {
			assert_noop!(
				AuditAnchors::set_evm_sink(RuntimeOrigin::root(), chain, 0, every, gas),
				Error::<Test>::InvalidSinkParams
			);
		}
		assert_noop!(AuditAnchors::clear_evm_sink(RuntimeOrigin::root()), Error::<Test>::NoEvmSink);
		assert_ok!(AuditAnchors::set_evm_sink(RuntimeOrigin::root(), CHAIN, 0, 5, gas()));
		let sink = EvmSinkConfig::<Test>::get().unwrap();
		assert_eq!(sink.address, sink_address());
		assert!(sink_events().contains(&Event::EvmSinkSet {
			chain_id: CHAIN,
			key: 0,
			address: sink_address(),
			every: 5
		}));
		// The path's prefix now belongs to this pallet: nobody else signs there.
		let prefix: pallet_threshold_signers::PathOf<Test> =
			sink_path(CHAIN)[..2].to_vec().try_into().unwrap();
		assert_eq!(
			pallet_threshold_signers::PathOwners::<Test>::get(prefix),
			Some((waas_primitives::namespace::AUDIT_ANCHORS, Default::default()))
		);
		assert_ok!(AuditAnchors::clear_evm_sink(RuntimeOrigin::root()));
		assert_eq!(EvmSinkConfig::<Test>::get(), None);
	});
}

#[test]
fn a_publication_is_proposed_checked_signed_and_assembled() {
	build_and_execute(|| {
		setup_key();
		assert_ok!(AuditAnchors::set_evm_sink(RuntimeOrigin::root(), CHAIN, 0, 5, gas()));
		run_to_block(5);
		assert_eq!(PublicationCount::<Test>::get(), 0, "nothing anchored, nothing published");
		anchored_log(10, 3);
		let tree = AuditAnchors::anchors_tree();
		run_to_block(9);
		assert_eq!(PublicationCount::<Test>::get(), 0, "only every 5 blocks");
		run_to_block(10);
		let p = Publications::<Test>::get(0).unwrap();
		assert_eq!((p.tree_size, p.root, p.address), (1, tree.root, sink_address()));
		assert_eq!(p.status, PublicationStatus::Due { attempts: 0 });
		let genesis = System::block_hash(0u64);
		assert_eq!(
			evm_tx::parse_anchor_calldata(&AuditAnchors::publication_calldata(&p)),
			Some((genesis.0, 1, tree.root))
		);

		// What the runtime refuses.
		let good = proposal(0, 4);
		assert_noop!(propose(10, 0, good.clone()), Error::<Test>::NotCommitteeMember);
		assert_noop!(propose(1, 1, good.clone()), Error::<Test>::UnknownPublication);
		let data = AuditAnchors::publication_calldata(&p);
		let fees = TxFees {
			nonce: 4,
			gas_limit: 25_000,
			max_fee_per_gas: 2_000_000_000,
			max_priority_fee_per_gas: 1_000_000_000,
		};
		let loose = GasBudget { max_gas_limit: 1_000_000, max_fee_per_gas: u128::MAX };
		let tx = |chain_id, to, data: &[u8], fees: TxFees| {
			evm_tx::unsigned_call(&IntendedCall { chain_id, to, data, gas: loose }, &fees).unwrap()
		};
		let mut other_root = data;
		other_root[79] ^= 1;
		let cases = [
			(tx(1, sink_address(), &data, fees), Error::<Test>::TxWrongChain),
			(tx(CHAIN, [1; 20], &data, fees), Error::<Test>::TxWrongDestination),
			(tx(CHAIN, sink_address(), &other_root, fees), Error::<Test>::TxWrongCalldata),
			(
				tx(CHAIN, sink_address(), &data, TxFees { gas_limit: 30_001, ..fees }),
				Error::<Test>::TxGasTooHigh,
			),
			(vec![0x02, 0xc0], Error::<Test>::TxUndecodable),
		];
		for (tx, error) in cases {
			assert_noop!(propose(1, 0, tx), error);
		}

		// A member's good proposal becomes a signature request in the pallet's namespace.
		System::reset_events();
		assert_ok!(propose(2, 0, good.clone()));
		let PublicationStatus::Requested { request, nonce, proposer, .. } = status(0) else {
			panic!("not requested")
		};
		assert_eq!((nonce, proposer), (4, 2));
		let req = SignatureRequests::<Test>::get(request).unwrap();
		assert_eq!(req.path.to_vec(), sink_path(CHAIN).to_vec());
		assert_eq!(req.owner, publication_owner(0));
		assert_eq!(req.payload.to_vec(), good);
		assert_noop!(propose(1, 0, good.clone()), Error::<Test>::PublicationNotDue);

		// Signed: the runtime assembles the transaction an EVM node accepts.
		deliver(request);
		let PublicationStatus::Signed { signed_tx, tx_hash, .. } = status(0) else {
			panic!("not signed")
		};
		assert_eq!(tx_hash, evm_tx::transaction_hash(&signed_tx));
		let rsv =
			<ThresholdSigners as waas_traits::ThresholdSigner<u64>>::signature(request).unwrap();
		assert_eq!(evm_tx::assemble_signed(&good, &rsv).unwrap(), signed_tx.to_vec());
		assert_eq!(evm_tx::recover_sender(&good, &rsv).unwrap(), sink_address());
		assert!(sink_events().contains(&Event::EvmAnchorSigned {
			publication: 0,
			request,
			tx_hash
		}));

		// No growth, no publication; growth, the next one.
		run_to_block(15);
		assert_eq!(PublicationCount::<Test>::get(), 1);
		anchored_log(10, 2);
		run_to_block(20);
		assert_eq!(Publications::<Test>::get(1).unwrap().tree_size, 2);
	});
}

#[test]
fn failed_or_unproposed_publications_end_and_are_superseded() {
	build_and_execute(|| {
		setup_key();
		assert_ok!(AuditAnchors::set_evm_sink(RuntimeOrigin::root(), CHAIN, 0, 5, gas()));
		anchored_log(10, 1);
		run_to_block(5);
		// Nobody proposes publication 0; the tree grows; at the next period 0 is abandoned.
		anchored_log(10, 1);
		run_to_block(10);
		assert!(matches!(status(0), PublicationStatus::Abandoned { .. }));
		assert_eq!(Publications::<Test>::get(1).unwrap().tree_size, 2);

		// Every signature attempt of publication 1 expires: due again, then abandoned.
		for attempt in 1..=MAX_PUBLICATION_ATTEMPTS {
			assert_ok!(propose(1, 1, proposal(1, 0)));
			let PublicationStatus::Requested { request, .. } = status(1) else {
				panic!("not requested")
			};
			let until = System::block_number() + 40;
			while matches!(status(1), PublicationStatus::Requested { .. }) {
				assert!(System::block_number() < until, "the request never ended");
				run_to_block(System::block_number() + 1);
			}
			assert!(sink_events().contains(&Event::EvmAnchorFailed {
				publication: 1,
				request,
				attempts: attempt
			}));
			if attempt < MAX_PUBLICATION_ATTEMPTS {
				assert_eq!(status(1), PublicationStatus::Due { attempts: attempt });
			}
		}
		assert!(matches!(status(1), PublicationStatus::Abandoned { .. }));

		// Clearing the sink abandons what is due and stops publishing.
		anchored_log(11, 1);
		let next = System::block_number() + 5 - System::block_number() % 5;
		run_to_block(next);
		let last = PublicationCount::<Test>::get() - 1;
		assert_eq!(status(last), PublicationStatus::Due { attempts: 0 });
		assert_ok!(AuditAnchors::clear_evm_sink(RuntimeOrigin::root()));
		assert!(matches!(status(last), PublicationStatus::Abandoned { .. }));
		anchored_log(11, 1);
		run_to_block(next + 10);
		assert_eq!(PublicationCount::<Test>::get(), last + 1);
	});
}
