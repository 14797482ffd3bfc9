//! Benchmarks of the audit-anchors pallet, each at its worst case: a Meta-Account owner (its
//! origin is the costlier to resolve), the longest format tag, a log whose oldest kept head is
//! pruned, and consistency proofs of every length up to the cap.

use super::*;
use crate::pallet::Pallet as AuditAnchors;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
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

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, log, new_size, new_root, proof);

		let info = Logs::<T>::get(log).expect("registered");
		assert_eq!(info.latest.map(|h| h.tree_size), Some(new_size));
		assert!(!Heads::<T>::contains_key(log, 0), "the oldest head is pruned");
		Ok(())
	}

	impl_benchmark_test_suite!(AuditAnchors, crate::mock::new_test_ext(), crate::mock::Test);
}
