//! Benchmarks of the audit-anchors pallet, each at its worst case: a Meta-Account owner (its
//! origin is the costlier to resolve), the longest format tag, a log whose oldest kept head is
//! pruned, and consistency proofs of every length up to the cap; activity entries of the
//! largest encoding appended to a full frontier (every subtree merges).

use super::*;
use crate::pallet::Pallet as AuditAnchors;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
use frame_system::RawOrigin;
use sp_runtime::traits::One;
use waas_primitives::merkle_log::{consistency_proof_len, consistency_roots};

/// A balance far above any deposit: 10^9 existential deposits.
fn rich<T: Config>() -> BalanceOf<T> {
	use frame_support::traits::fungible::Inspect;
	sp_runtime::Saturating::saturating_mul(T::Currency::minimum_balance(), 1_000_000_000u32.into())
}

/// A funded Meta-Account origin: `(origin, meta_account, payer)`.
fn meta_account<T: Config>() -> (T::RuntimeOrigin, MetaAccountId, T::AccountId) {
	let origin = T::MetaAccountOrigin::try_successful_origin().expect("a Meta-Account origin");
	let (meta, payer) = T::MetaAccountOrigin::try_origin(origin.clone()).ok().expect("resolves");
	T::Currency::set_balance(&payer, rich::<T>());
	(origin, meta, payer)
}

fn longest_format() -> Format {
	Format::truncate_from(vec![b'f'; MAX_FORMAT_LEN as usize])
}

/// Old and new tree sizes whose consistency proof has `p` nodes (1 ≤ p ≤ `MAX_PROOF_NODES`).
fn sizes_with_proof_len(p: u32) -> (u64, u64) {
	for old in [2u64, 3] {
		for new in (2..64).map(|b| 1u64 << b).chain([u64::MAX]) {
			if new > old && consistency_proof_len(old, new) == p as usize {
				return (old, new);
			}
		}
	}
	panic!("no sizes with a consistency proof of {p} nodes");
}

/// The activity whose entry encodes longest: a passkey with the longest credential id.
fn longest_activity<T: Config>() -> waas_traits::Activity<T::AccountId> {
	let id = waas_traits::CredentialId::truncate_from(vec![
		0xcc;
		waas_traits::MAX_CREDENTIAL_ID_LEN
			as usize
	]);
	waas_traits::Activity::ChangeProposed {
		change: u32::MAX,
		proposer: waas_traits::AuthenticatorKey::Passkey(id),
	}
}

/// An activity log of 2^63 − 1 entries (63 frontier nodes, all merged by the next append)
/// whose deposit `payer` holds. Written directly: only its frontier matters to the cost.
fn full_activity_log<T: Config>(meta: MetaAccountId, payer: &T::AccountId) -> ActivityLogOf<T> {
	use frame_support::traits::fungible::MutateHold;
	let deposit = T::ActivityDeposit::get();
	T::Currency::hold(&HoldReason::Activity.into(), payer, deposit).expect("funded");
	let frontier: Vec<NodeHash> = (0..63u8).map(|i| [i; 32]).collect();
	let log = ActivityLog {
		tree_size: (1u64 << 63) - 1,
		root: waas_primitives::merkle_log::frontier_root(&frontier),
		latest_leaf: [0xab; 32],
		frontier: Frontier::truncate_from(frontier),
		updated_at: Zero::zero(),
		deposit_payer: payer.clone(),
		deposit,
	};
	ActivityLogs::<T>::insert(meta, &log);
	log
}

/// An anchors tree of 2^63 − 1 leaves: the next append merges all 63 frontier nodes.
fn full_anchors_tree<T: Config>() {
	let frontier: Vec<NodeHash> = (0..63u8).map(|i| [i; 32]).collect();
	AnchorsTreeState::<T>::put(AnchorsTree {
		tree_size: (1u64 << 63) - 1,
		root: waas_primitives::merkle_log::frontier_root(&frontier),
		latest_leaf: [0xab; 32],
		frontier: Frontier::truncate_from(frontier),
	});
}

/// The worst EVM gas budget a sink may have is irrelevant to cost; any valid one.
fn sink_gas() -> waas_primitives::evm_tx::GasBudget {
	waas_primitives::evm_tx::GasBudget { max_gas_limit: 30_000, max_fee_per_gas: 100_000_000_000 }
}

/// An EVM sink on the benchmark key (chain 31337, every block) and one anchor in the tree:
/// `(key, member)`, the member funded.
fn evm_sink<T: Config>() -> (waas_traits::KeyId, T::AccountId) {
	let key = T::ThresholdSigner::benchmark_active_key();
	AuditAnchors::<T>::do_set_evm_sink(31337, key, One::one(), sink_gas()).expect("sink");
	AuditAnchors::<T>::append_anchor(0, 0, [1; 32]).expect("anchor");
	let member = T::Committees::member(key, 0).expect("a member");
	T::Currency::set_balance(&member, rich::<T>());
	(key, member)
}

/// Makes publication 0 due at block 1 and returns the transaction a member proposes for it.
fn due_publication<T: Config>() -> Vec<u8> {
	use waas_primitives::evm_tx;
	AuditAnchors::<T>::publication_tick(One::one());
	let p = Publications::<T>::get(0).expect("due");
	let data = AuditAnchors::<T>::publication_calldata(&p);
	let intended =
		evm_tx::IntendedCall { chain_id: p.chain_id, to: p.address, data: &data, gas: sink_gas() };
	let fees = evm_tx::TxFees {
		nonce: u64::MAX,
		gas_limit: 30_000,
		max_fee_per_gas: 100_000_000_000,
		max_priority_fee_per_gas: 100_000_000_000,
	};
	evm_tx::unsigned_call(&intended, &fees).expect("a valid proposal")
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_log() {
		let (origin, meta, _) = meta_account::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, OwnerKind::MetaAccount, longest_format());

		assert_eq!(LogCount::<T>::get(LogOwner::MetaAccount(meta)), 1);
	}

	/// Anchors a head `p` proof nodes away from the log's latest, with `MaxHeadsPerLog` heads
	/// kept (so one is pruned). The previous head is written directly: a real log of the
	/// sizes that need long proofs (up to 2^64 − 1 entries) cannot be built, but a proof's
	/// cost is one hash per node whatever the sizes.
	#[benchmark]
	fn anchor(p: Linear<1, MAX_PROOF_NODES>) -> Result<(), BenchmarkError> {
		let (origin, meta, payer) = meta_account::<T>();
		let log = AuditAnchors::<T>::insert_log(
			LogOwner::MetaAccount(meta),
			Some(payer),
			T::LogDeposit::get(),
			longest_format(),
		)?;
		let (old_size, new_size) = sizes_with_proof_len(p);
		let proof: Vec<NodeHash> = (0..p).map(|i| [i as u8 + 1; 32]).collect();
		let (old_root, new_root) = consistency_roots(old_size, new_size, &[0xaa; 32], &proof)
			.map_err(|_| BenchmarkError::Stop("no roots for the proof"))?;
		let kept = u64::from(T::MaxHeadsPerLog::get());
		let mut info = Logs::<T>::get(log).expect("registered");
		for seq in 0..kept {
			let head = TreeHead {
				seq,
				tree_size: if seq + 1 == kept { old_size } else { seq + 1 },
				root: if seq + 1 == kept { old_root } else { [seq as u8; 32] },
				block: Zero::zero(),
				timestamp: 0,
				previous: [0; 32],
				chain_hash: [seq as u8; 32],
			};
			Heads::<T>::insert(log, seq, &head);
			info.latest = Some(head);
		}
		info.anchors = kept;
		Logs::<T>::insert(log, info);
		let proof = Proof::truncate_from(proof);
		full_anchors_tree::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, log, new_size, new_root, proof);

		let info = Logs::<T>::get(log).expect("registered");
		assert_eq!(info.latest.map(|h| h.tree_size), Some(new_size));
		assert!(!Heads::<T>::contains_key(log, 0), "the oldest head is pruned");
		Ok(())
	}

	/// Opens the activity log of a new Meta-Account: its deposit and `Created` entry.
	#[benchmark]
	fn open_activity() {
		let (_, meta, payer) = meta_account::<T>();
		let creator = waas_traits::AuthenticatorKey::Substrate(payer.clone());
		#[block]
		{
			<AuditAnchors<T> as waas_traits::AccountActivity<T::AccountId>>::open(
				meta, &payer, creator,
			)
			.expect("opens");
		}
		assert_eq!(ActivityLogs::<T>::get(meta).map(|l| l.tree_size), Some(1));
	}

	/// Appends the longest entry to a log whose frontier fully merges.
	#[benchmark]
	fn record_activity() {
		let (_, meta, payer) = meta_account::<T>();
		full_activity_log::<T>(meta, &payer);
		#[block]
		{
			<AuditAnchors<T> as waas_traits::AccountActivity<T::AccountId>>::record(
				meta,
				longest_activity::<T>(),
			);
		}
		let log = ActivityLogs::<T>::get(meta).expect("kept");
		assert_eq!((log.tree_size, log.frontier.len()), (1 << 63, 1));
	}

	/// Closes such a log: the last entry, its state removed, its deposit released.
	#[benchmark]
	fn close_activity() {
		let (_, meta, payer) = meta_account::<T>();
		full_activity_log::<T>(meta, &payer);
		let closed_by =
			waas_traits::AuthenticatorKey::Passkey(waas_traits::CredentialId::truncate_from(vec![
				0xcc;
				waas_traits::MAX_CREDENTIAL_ID_LEN as usize
			]));
		#[block]
		{
			<AuditAnchors<T> as waas_traits::AccountActivity<T::AccountId>>::close(meta, closed_by);
		}
		assert!(!ActivityLogs::<T>::contains_key(meta));
	}

	/// Adds a head to an anchors tree whose frontier is full (every subtree merges).
	#[benchmark]
	fn append_anchor() {
		full_anchors_tree::<T>();
		#[block]
		{
			AuditAnchors::<T>::append_anchor(u64::MAX, u64::MAX, [0xcd; 32]).expect("appends");
		}
		assert_eq!(AuditAnchors::<T>::anchors_tree().tree_size, 1 << 63);
	}

	/// A period block that supersedes a due publication nobody proposed and prunes the
	/// oldest kept one.
	#[benchmark]
	fn publication_tick() {
		let _ = evm_sink::<T>();
		let kept = crate::evm_sink::PUBLICATIONS_KEPT;
		PublicationCount::<T>::put(kept);
		for seq in 0..kept {
			Publications::<T>::insert(
				seq,
				Publication {
					chain_id: 31337,
					key: 0,
					address: [0; 20],
					tree_size: 0,
					root: [0; 32],
					created_at: Zero::zero(),
					status: PublicationStatus::Due { attempts: 0 },
				},
			);
		}
		#[block]
		{
			AuditAnchors::<T>::publication_tick(One::one());
		}
		assert_eq!(PublicationCount::<T>::get(), kept + 1);
		assert!(!Publications::<T>::contains_key(0));
	}

	/// Sets the sink while a publication is due (it is abandoned).
	#[benchmark]
	fn set_evm_sink() -> Result<(), BenchmarkError> {
		let (key, _) = evm_sink::<T>();
		AuditAnchors::<T>::publication_tick(One::one());
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 31338, key, One::one(), sink_gas());
		assert_eq!(EvmSinkConfig::<T>::get().map(|s| s.chain_id), Some(31338));
		Ok(())
	}

	/// A member's proposal checked and turned into a signature request.
	#[benchmark]
	fn propose_evm_anchor() {
		let (_, member) = evm_sink::<T>();
		let tx = due_publication::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(member), 0, UnsignedTx::truncate_from(tx));
		assert!(matches!(
			Publications::<T>::get(0).map(|p| p.status),
			Some(PublicationStatus::Requested { .. })
		));
	}

	/// The outcome callback for a signed publication: the transaction assembled and hashed.
	#[benchmark]
	fn on_signature_outcome() {
		let (key, member) = evm_sink::<T>();
		let tx = due_publication::<T>();
		let request = T::ThresholdSigner::benchmark_signed_request(waas_traits::SigningRequest {
			owner: crate::evm_sink::publication_owner(u64::MAX),
			payer: &member,
			key,
			path: &crate::evm_sink::sink_path(31337),
			payload: &tx,
			scheme: waas_primitives::HashScheme::Keccak256,
		});
		let mut p = Publications::<T>::get(0).expect("due");
		p.status = PublicationStatus::Requested {
			request,
			tx: UnsignedTx::truncate_from(tx),
			nonce: u64::MAX,
			proposer: member,
			attempts: 0,
		};
		Publications::<T>::insert(0, p);
		#[block]
		{
			<AuditAnchors<T> as waas_traits::OnSignatureOutcome>::on_outcome(
				request,
				&crate::evm_sink::publication_owner(0),
				waas_traits::SignatureOutcome::Signed,
			);
		}
		assert!(matches!(
			Publications::<T>::get(0).map(|p| p.status),
			Some(PublicationStatus::Signed { .. })
		));
	}

	impl_benchmark_test_suite!(AuditAnchors, crate::mock::new_test_ext(), crate::mock::Test);
}
