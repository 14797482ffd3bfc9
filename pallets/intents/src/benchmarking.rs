//! Benchmarks of the intents pallet, each at its worst case. They run against the runtime's
//! real threshold signer and committees: the benchmark key's committee has
//! `MaxCommitteeSize` members, and every accepted vote is taken with all other members
//! dissenting.

use super::*;
use crate::pallet::Pallet as Intents;
use alloc::{format, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
use frame_system::RawOrigin;
use waas_primitives::evm_tx::{unsigned_transfer, TxFees};
use waas_traits::KeyMembership;

/// Unix time at which every benchmark starts.
const START: UnixSeconds = 1_796_083_200;
/// The benchmarks' source and destination chains.
const SOURCE: EvmChainId = 31337;
const DESTINATION: EvmChainId = 31338;
const TOKEN: EvmAddress = [0x70; 20];

/// A balance far above any deposit, bond or fee a benchmark holds: 10^9 existential deposits.
fn rich<T: Config>() -> BalanceOf<T> {
	use frame_support::traits::fungible::Inspect;
	sp_runtime::Saturating::saturating_mul(T::Currency::minimum_balance(), 1_000_000_000u32.into())
}

fn params() -> ChainParams {
	ChainParams {
		confirmations: 2,
		native_gas_limit: 21_000,
		erc20_gas_limit: 100_000,
		max_fee_per_gas: 100_000_000_000,
		attestation_grace: 300,
	}
}

fn hex(address: &EvmAddress) -> alloc::string::String {
	let mut out = alloc::string::String::from("0x");
	for b in address {
		out.push_str(&format!("{b:02x}"));
	}
	out
}

fn text<S: Get<u32>>(s: &str) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

/// ERC-20 on both sides (the longest CAIP ids), an exclusive solver, a generous fee cap.
fn terms<T: Config>(exclusive: Option<T::AccountId>) -> IntentTerms<T::AccountId> {
	IntentTerms {
		source_asset: text(&format!("eip155:{SOURCE}/erc20:{}", hex(&TOKEN))),
		amount_in: 1_000_000_000,
		destination_asset: text(&format!("eip155:{DESTINATION}/erc20:{}", hex(&[0x71; 20]))),
		min_amount_out: 1_000,
		recipient: text(&format!("eip155:{DESTINATION}:{}", hex(&[0xaa; 20]))),
		refund_to: text(&format!("eip155:{SOURCE}:{}", hex(&[0xbb; 20]))),
		open_deadline: START + 600,
		fill_deadline: START + 3_600,
		max_fee: u128::MAX,
		exclusive: exclusive.map(|solver| Exclusivity { solver, until: START + 60 }),
	}
}

/// Registers the chains, sets the clock, makes the benchmark key and a funded Meta-Account
/// origin: `(key, origin, meta_account, who)`.
fn setup<T: Config>() -> (KeyId, T::RuntimeOrigin, MetaAccountId, T::AccountId) {
	T::BenchmarkHelper::set_time(START);
	Chains::<T>::insert(SOURCE, params());
	Chains::<T>::insert(DESTINATION, params());
	let key = T::ThresholdSigner::benchmark_active_key();
	let origin = T::MetaAccountOrigin::try_successful_origin().expect("a Meta-Account origin");
	let (meta_account, who) =
		T::MetaAccountOrigin::try_origin(origin.clone()).ok().expect("it resolves");
	T::Currency::set_balance(&who, rich::<T>());
	T::Currency::set_balance(&Intents::<T>::account_id(), rich::<T>());
	(key, origin, meta_account, who)
}

/// Creates an intent and returns its id.
fn intent<T: Config>(key: KeyId, origin: &T::RuntimeOrigin) -> IntentId {
	Intents::<T>::create_intent(origin.clone(), key, terms::<T>(None)).expect("create");
	NextIntentId::<T>::get() - 1
}

/// The key's committee members, in order.
fn members<T: Config>(key: KeyId) -> Vec<T::AccountId> {
	(0..T::MaxCommitteeSize::get() as u16).map_while(|i| T::Committees::member(key, i)).collect()
}

fn membership<T: Config>(key: KeyId, who: &T::AccountId) -> KeyMembership {
	T::Committees::membership(key, who).expect("a member")
}

/// Stores votes on `kind` so that `members[0]`'s vote for `value` is accepted with every
/// other member but one agreeing member dissenting: `threshold − 1` members (from the end)
/// voted `value`, all others something else.
fn prepare_votes<T: Config>(
	intent: IntentId,
	key: KeyId,
	kind: FactKind,
	value: [u8; 32],
) -> T::AccountId {
	let members = members::<T>(key);
	let threshold = membership::<T>(key, &members[0]).threshold as usize;
	let mut votes = Votes::<T>::default();
	for (i, _) in members.iter().enumerate().skip(1) {
		let agrees = i >= members.len() - (threshold - 1);
		let hash = if agrees { value } else { [i as u8; 32] };
		votes.try_push((i as u16, hash)).expect("bounded by the committee");
	}
	Attestations::<T>::insert(intent, kind, votes);
	members[0].clone()
}

fn set_status<T: Config>(intent: IntentId, status: StatusOf<T>, deposited: u128) {
	Intents_::<T>::mutate(intent, |i| {
		let i = i.as_mut().expect("intent");
		i.status = status;
		i.deposited = deposited;
	});
}

/// The intents' storage (the pallet is `Intents` here).
type Intents_<T> = crate::pallet::Intents<T>;

/// A bonded solver.
fn solver<T: Config>(n: u32) -> T::AccountId {
	let who: T::AccountId = account("solver", n, 0);
	T::Currency::set_balance(&who, rich::<T>());
	Intents::<T>::bond_solver(RawOrigin::Signed(who.clone()).into(), T::MinSolverBond::get())
		.expect("bond");
	who
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Parsing the longest ids, claiming a new path prefix, a depth-3 derivation, the deposit
	/// hold and the settlement charge.
	#[benchmark]
	fn create_intent() {
		let (key, origin, meta_account, _) = setup::<T>();
		let exclusive: T::AccountId = account("exclusive", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, key, terms::<T>(Some(exclusive)));
		assert_eq!(IntentCount::<T>::get(meta_account), 1);
	}

	/// Cancelling a Pending intent: the record, its index entry, its votes and its deposit.
	#[benchmark]
	fn cancel_intent() {
		let (key, origin, meta_account, _) = setup::<T>();
		let id = intent::<T>(key, &origin);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert_eq!(IntentCount::<T>::get(meta_account), 0);
	}

	/// A first bond: registration and hold.
	#[benchmark]
	fn bond_solver() {
		let who: T::AccountId = account("solver", 0, 0);
		T::Currency::set_balance(&who, rich::<T>());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MinSolverBond::get());
		assert!(Solvers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn unbond_solver() {
		let who = solver::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Solvers::<T>::contains_key(&who));
	}

	/// Claiming an Open intent, the exclusivity checked.
	#[benchmark]
	fn claim_intent() {
		let (key, origin, _, _) = setup::<T>();
		let who = solver::<T>(0);
		Intents::<T>::create_intent(origin, key, terms::<T>(Some(who.clone()))).expect("create");
		let id = NextIntentId::<T>::get() - 1;
		set_status::<T>(id, IntentStatus::Open, 1_000_000_000);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id, [0xcc; 20]);
		assert_eq!(Solvers::<T>::get(&who).expect("solver").active_claims, 1);
	}

	/// Replacing a reported fill, whose votes are dropped.
	#[benchmark]
	fn report_fill() {
		let (key, origin, _, _) = setup::<T>();
		let who = solver::<T>(0);
		let id = intent::<T>(key, &origin);
		set_status::<T>(id, IntentStatus::Open, 1_000_000_000);
		Intents::<T>::claim_intent(RawOrigin::Signed(who.clone()).into(), id, [0xcc; 20])
			.expect("claim");
		prepare_votes::<T>(id, key, FactKind::Fill, [1; 32]);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, sp_core::H256::repeat_byte(2));
		assert!(Attestations::<T>::get(id, FactKind::Fill).is_none());
	}

	/// The vote that accepts the payout's mining, with every other member dissenting: the
	/// intent ends (record, index, votes, deposit).
	#[benchmark]
	fn attest() {
		let (key, origin, meta_account, _) = setup::<T>();
		let id = intent::<T>(key, &origin);
		set_status::<T>(
			id,
			IntentStatus::PayingOut {
				payout: Payout::Refund,
				request: Some(0),
				signing_hash: [0; 32],
				signed_at: Some(START),
				attempts: 1,
			},
			1_000,
		);
		let fact = Fact::PayoutMined { tx_hash: sp_core::H256::repeat_byte(9) };
		let value = sp_io::hashing::blake2_256(&fact.encode());
		let member = prepare_votes::<T>(id, key, FactKind::PayoutMined, value);
		#[extrinsic_call]
		_(RawOrigin::Signed(member), id, fact);
		assert_eq!(IntentCount::<T>::get(meta_account), 0);
	}

	/// The proposal that accepts a release, with every other member dissenting: the
	/// transaction is decoded and checked, and becomes a signature request.
	#[benchmark]
	fn propose_payout() {
		let (key, origin, _, _) = setup::<T>();
		let id = intent::<T>(key, &origin);
		let payout_to = [0xcc; 20];
		let who = solver::<T>(0);
		set_status::<T>(id, IntentStatus::Filled { solver: who, payout_to }, 1_000_000_000);
		let record = Intents_::<T>::get(id).expect("intent");
		let intended =
			Intents::<T>::intended_payout(&record, &Payout::Release { payout_to }).expect("due");
		let fees = TxFees {
			nonce: u64::MAX,
			gas_limit: 100_000,
			max_fee_per_gas: 100_000_000_000,
			max_priority_fee_per_gas: 100_000_000_000,
		};
		let tx = unsigned_transfer(&intended, &fees).expect("a valid release");
		let hash = waas_primitives::evm_tx::signing_hash(&tx).expect("hash");
		let member = prepare_votes::<T>(id, key, FactKind::PayoutProposal, hash);
		#[extrinsic_call]
		_(RawOrigin::Signed(member), id, BoundedVec::truncate_from(tx));
		assert!(matches!(
			Intents_::<T>::get(id).expect("intent").status,
			IntentStatus::PayingOut { attempts: 1, .. }
		));
	}

	/// A claim past its window: the solver is slashed to the creator's payer and the intent
	/// reopens.
	#[benchmark]
	fn expire_intent() {
		let (key, origin, _, _) = setup::<T>();
		let who = solver::<T>(0);
		let id = intent::<T>(key, &origin);
		set_status::<T>(id, IntentStatus::Open, 1_000_000_000);
		Intents::<T>::claim_intent(RawOrigin::Signed(who.clone()).into(), id, [0xcc; 20])
			.expect("claim");
		T::BenchmarkHelper::set_time(
			START + T::ClaimWindow::get() + params().attestation_grace + 1,
		);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);
		assert_eq!(Solvers::<T>::get(&who).expect("solver").missed_claims, 1);
	}

	#[benchmark]
	fn set_chain() {
		let origin = T::AdminOrigin::try_successful_origin().expect("an admin origin");
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1u64, Some(params()));
		assert!(Chains::<T>::contains_key(1));
	}

	/// The outcome callback for a signed payout.
	#[benchmark]
	fn on_signature_outcome() {
		let (key, origin, _, _) = setup::<T>();
		let id = intent::<T>(key, &origin);
		let status = IntentStatus::PayingOut {
			payout: Payout::Refund,
			request: Some(7),
			signing_hash: [0; 32],
			signed_at: None,
			attempts: 1,
		};
		set_status::<T>(id, status, 1_000);
		#[block]
		{
			<Intents<T> as OnSignatureOutcome>::on_outcome(
				7,
				&RequestOwner::intent(id),
				SignatureOutcome::Signed,
			);
		}
		assert!(matches!(
			Intents_::<T>::get(id).expect("intent").status,
			IntentStatus::PayingOut { signed_at: Some(_), .. }
		));
	}

	#[benchmark]
	fn ensure_can_close() {
		let (_, _, meta_account, _) = setup::<T>();
		#[block]
		{
			<Intents<T> as MetaAccountDependents>::ensure_can_close(&meta_account)
				.expect("no intents");
		}
	}

	impl_benchmark_test_suite!(Intents, crate::mock::new_test_ext(), crate::mock::Test);
}
