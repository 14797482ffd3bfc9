//! Unit tests of the intents pallet, with the real Meta-Accounts, threshold-signers, balances
//! and timestamp pallets. Every test runs in [`build_and_execute`], which checks all three WaaS
//! pallets' invariants at the end. Payout transactions are built with alloy, signed by the
//! test key the committee's key was reported as, and checked back with the primitives.

use crate::{
	deposit_path,
	mock::*,
	pallet::{
		Attestations, Chains, Dissents, Error, Event, HoldReason, IntentCount, NextIntentId,
		Solvers,
	},
	types::*,
};
use alloy_consensus::{SignableTransaction, TxEip1559};
use alloy_primitives::{Address, Bytes, TxKind, U256};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::Pays,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use pallet_meta_accounts::AuthenticatorKey;
use pallet_threshold_signers::{RequestStatus, SignatureRequests};
use sp_core::H256;
use sp_runtime::DispatchError;
use waas_primitives::{evm_tx, testing::TestKey};
use waas_traits::{MetaAccountId, RequestId};

const TOKEN: [u8; 20] = [0x70; 20];
const RECIPIENT: [u8; 20] = [0xaa; 20];
const REFUND: [u8; 20] = [0xbb; 20];
const SOLVER_PAYOUT: [u8; 20] = [0xcc; 20];
/// 1 ether, in wei.
const ETHER: u128 = 1_000_000_000_000_000_000;
/// 20 gwei.
const FEE_PER_GAS: u128 = 20_000_000_000;

/// The intents' storage (`Intents` alone names the pallet in the test runtime).
type Records = crate::Intents<Test>;

fn test_key() -> TestKey {
	TestKey::from_seed([7u8; 32])
}

fn hex(address: &[u8; 20]) -> String {
	format!("0x{}", address.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn text<S: sp_core::Get<u32>>(s: &str) -> BoundedVec<u8, S> {
	BoundedVec::try_from(s.as_bytes().to_vec()).unwrap()
}

fn events() -> Vec<Event<Test>> {
	let out = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Intents(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	out
}

/// Signers 1..=3, a 2-of-3 committee and Active key 0 reported as [`test_key`].
fn setup_key() {
	use pallet_threshold_signers::Pallet as Signers;
	for i in 1..=3u64 {
		assert_ok!(Signers::<Test>::register_signer(
			RuntimeOrigin::root(),
			i,
			[i as u8; 32],
			BoundedVec::try_from(b"127.0.0.1:1".to_vec()).unwrap()
		));
	}
	assert_ok!(Signers::<Test>::create_committee(
		RuntimeOrigin::root(),
		BoundedVec::try_from(vec![1, 2, 3]).unwrap(),
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

fn meta(who: u64) -> MetaAccountId {
	assert_ok!(MetaAccounts::create(RuntimeOrigin::signed(who)));
	pallet_meta_accounts::AuthenticatorOf::<Test>::get(AuthenticatorKey::Substrate(who)).unwrap()
}

/// 1 ether of the native coin on the source chain for at least 1,000 destination-token units,
/// open for 10 minutes, to be filled within an hour.
fn native_terms() -> IntentTerms<u64> {
	IntentTerms {
		source_asset: text(&format!("eip155:{SOURCE}/slip44:60")),
		amount_in: ETHER,
		destination_asset: text(&format!("eip155:{DESTINATION}/erc20:{}", hex(&TOKEN))),
		min_amount_out: 1_000,
		recipient: text(&format!("eip155:{DESTINATION}:{}", hex(&RECIPIENT))),
		refund_to: text(&format!("eip155:{SOURCE}:{}", hex(&REFUND))),
		open_deadline: START + 600,
		fill_deadline: START + 3_600,
		max_fee: ETHER / 50,
		exclusive: None,
	}
}

/// 1,000,000 token units on the source chain for at least 0.5 ether on the destination chain.
fn erc20_terms() -> IntentTerms<u64> {
	IntentTerms {
		source_asset: text(&format!("eip155:{SOURCE}/erc20:{}", hex(&TOKEN))),
		amount_in: 1_000_000,
		destination_asset: text(&format!("eip155:{DESTINATION}/slip44:60")),
		min_amount_out: ETHER / 2,
		max_fee: 10_000,
		..native_terms()
	}
}

fn create(who: u64, terms: IntentTerms<u64>) -> IntentId {
	assert_ok!(Intents::create_intent(RuntimeOrigin::signed(who), 0, terms));
	NextIntentId::<Test>::get() - 1
}

fn status(id: IntentId) -> StatusOf<Test> {
	Records::get(id).unwrap().status
}

/// Members `members` attest `fact`; each vote must count (free).
fn attest_by(members: &[u64], id: IntentId, fact: Fact) {
	for m in members {
		let info = Intents::attest(RuntimeOrigin::signed(*m), id, fact).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
	}
}

/// The unsigned EIP-1559 transaction from a deposit address, as alloy encodes it for signing.
fn unsigned_tx(chain_id: u64, nonce: u64, to: [u8; 20], value: u128, input: Vec<u8>) -> Vec<u8> {
	let tx = TxEip1559 {
		chain_id,
		nonce,
		gas_limit: if to == TOKEN { 60_000 } else { 21_000 },
		max_fee_per_gas: FEE_PER_GAS,
		max_priority_fee_per_gas: 1_000_000_000,
		to: TxKind::Call(Address::from(to)),
		value: U256::from(value),
		access_list: Default::default(),
		input: Bytes::from(input),
	};
	let mut out = Vec::new();
	tx.encode_for_signing(&mut out);
	out
}

/// A native-coin payout of `amount` leaving the deposit address (value + 21,000 × fee).
fn native_payout(to: [u8; 20], amount: u128) -> Vec<u8> {
	unsigned_tx(SOURCE, 0, to, amount - 21_000 * FEE_PER_GAS, vec![])
}

fn propose(
	member: u64,
	id: IntentId,
	tx: &[u8],
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Intents::propose_payout(
		RuntimeOrigin::signed(member),
		id,
		BoundedVec::try_from(tx.to_vec()).unwrap(),
	)
}

fn last_request() -> RequestId {
	pallet_threshold_signers::NextRequestId::<Test>::get() - 1
}

/// The test key signs request `request` and its first assigned signer submits it; returns the
/// signature as `r ‖ s ‖ v`.
fn deliver(request: RequestId) -> [u8; 65] {
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
	let mut full = [0u8; 65];
	full[..64].copy_from_slice(&sig);
	full[64] = rid;
	full
}

/// The deposit address of intent `id`, from the whole test key's private derivation.
fn expected_deposit_address(id: IntentId) -> [u8; 20] {
	waas_primitives::evm_address(&test_key().derived_public_key(&deposit_path(id))).unwrap()
}

/// Creates a native intent of user 10, deposited in full, claimed by solver 20, filled and
/// attested: Filled.
fn filled_native_intent() -> IntentId {
	meta(10);
	let id = create(10, native_terms());
	attest_by(&[1, 2], id, Fact::Deposit { amount: ETHER });
	assert_ok!(Intents::bond_solver(RuntimeOrigin::signed(20), 100));
	assert_ok!(Intents::claim_intent(RuntimeOrigin::signed(20), id, SOLVER_PAYOUT));
	let fill = H256::repeat_byte(0xf1);
	assert_ok!(Intents::report_fill(RuntimeOrigin::signed(20), id, fill));
	set_time(START + 60);
	attest_by(&[1, 3], id, Fact::Fill { tx_hash: fill, amount: 1_000, timestamp: START + 50 });
	assert!(matches!(status(id), IntentStatus::Filled { solver: 20, .. }));
	id
}

#[test]
fn creation_derives_a_one_time_deposit_address_and_quotes_the_fee() {
	build_and_execute(|| {
		setup_key();
		let m = meta(10);
		let free_before = Balances::balance(&10);
		events();
		let id = create(10, native_terms());
		let intent = Records::get(id).unwrap();
		assert_eq!(intent.deposit_address, expected_deposit_address(id));
		assert_eq!(intent.source, Leg { chain_id: SOURCE, asset: Asset::Native });
		assert_eq!(intent.destination, Leg { chain_id: DESTINATION, asset: Asset::Erc20(TOKEN) });
		assert_eq!((intent.recipient, intent.refund_to), (RECIPIENT, REFUND));
		// 1% of 1 ether, and 21,000 gas at 100 gwei for the release.
		let quote = FeeQuote {
			protocol_fee: ETHER / 100,
			max_gas_cost: 21_000 * 100_000_000_000,
			solver_receives_at_least: ETHER - ETHER / 100 - 21_000 * 100_000_000_000,
		};
		assert_eq!(intent.quote, quote);
		assert_eq!(intent.status, IntentStatus::Pending);
		// Both chains grant 120 s of grace after a deadline.
		assert_eq!(intent.grace, 120);
		// The record deposit is held, the settlement charge paid to the pallet.
		assert_eq!(Balances::balance_on_hold(&HoldReason::Intent.into(), &10), 2);
		assert_eq!(Balances::balance(&Intents::account_id()), 10);
		assert_eq!(Balances::balance(&10), free_before - 2 - 10);
		// The path prefix [2, 0] now belongs to this pallet's namespace.
		let prefix: pallet_threshold_signers::PathOf<Test> =
			BoundedVec::try_from(vec![2, 0]).unwrap();
		assert_eq!(
			pallet_threshold_signers::PathOwners::<Test>::get(prefix),
			Some((waas_primitives::namespace::INTENTS, H256::zero()))
		);
		assert_eq!(
			events(),
			vec![Event::IntentCreated {
				intent: id,
				creator: m,
				source: intent.source,
				amount_in: ETHER,
				destination: intent.destination,
				min_amount_out: 1_000,
				deposit_address: intent.deposit_address,
				fill_tag: Intents::fill_tag(id),
				quote,
			}]
		);
		// Every intent has its own address and tag.
		let second = create(10, native_terms());
		let other = Records::get(second).unwrap();
		assert_ne!(other.deposit_address, intent.deposit_address);
		assert_ne!(other.fill_tag, intent.fill_tag);
	});
}

#[test]
fn creation_refuses_bad_terms_with_specific_errors() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let refused = |terms: IntentTerms<u64>, error: Error<Test>| {
			assert_noop!(Intents::create_intent(RuntimeOrigin::signed(10), 0, terms), error);
		};
		let t = native_terms;
		refused(
			IntentTerms { source_asset: text("eip155:31337/slip44"), ..t() },
			Error::InvalidSourceAsset,
		);
		refused(
			IntentTerms { source_asset: text("cosmos:hub/slip44:118"), ..t() },
			Error::InvalidSourceAsset,
		);
		refused(
			IntentTerms { destination_asset: text("eip155:31338/erc721:0x00"), ..t() },
			Error::InvalidDestinationAsset,
		);
		refused(
			IntentTerms { source_asset: text("eip155:1/slip44:60"), ..t() },
			Error::UnknownChain,
		);
		refused(
			IntentTerms { destination_asset: text("eip155:5/slip44:60"), ..t() },
			Error::UnknownChain,
		);
		// The recipient must be on the destination chain, the refund address on the source.
		refused(
			IntentTerms { recipient: text(&format!("eip155:{SOURCE}:{}", hex(&RECIPIENT))), ..t() },
			Error::InvalidRecipient,
		);
		refused(
			IntentTerms { recipient: text("eip155:31338:0xnothex"), ..t() },
			Error::InvalidRecipient,
		);
		refused(
			IntentTerms {
				refund_to: text(&format!("eip155:{DESTINATION}:{}", hex(&REFUND))),
				..t()
			},
			Error::InvalidRefundAddress,
		);
		refused(IntentTerms { amount_in: 0, ..t() }, Error::ZeroAmount);
		refused(IntentTerms { min_amount_out: 0, ..t() }, Error::ZeroAmount);
		refused(IntentTerms { open_deadline: START, ..t() }, Error::DeadlinesOutOfOrder);
		refused(IntentTerms { fill_deadline: START + 599, ..t() }, Error::DeadlinesOutOfOrder);
		refused(
			IntentTerms {
				exclusive: Some(Exclusivity { solver: 20, until: START + 3_601 }),
				..t()
			},
			Error::DeadlinesOutOfOrder,
		);
		refused(IntentTerms { fill_deadline: START + 86_401, ..t() }, Error::LifetimeTooLong);
		refused(IntentTerms { max_fee: ETHER / 100, ..t() }, Error::FeeAboveMax);
		refused(
			IntentTerms { amount_in: 2_000_000_000_000_000, max_fee: ETHER, ..t() },
			Error::AmountBelowFee,
		);
		// A key that does not exist.
		assert_noop!(
			Intents::create_intent(RuntimeOrigin::signed(10), 7, native_terms()),
			pallet_threshold_signers::Error::<Test>::UnknownKey
		);
		// At most three unfinished intents per Meta-Account.
		for _ in 0..3 {
			create(10, native_terms());
		}
		refused(t(), Error::TooManyIntents);
		// Only a Meta-Account's authenticator creates.
		assert_noop!(
			Intents::create_intent(RuntimeOrigin::signed(11), 0, native_terms()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn native_intent_settles_on_a_checked_release_signed_for_the_deposit_address() {
	build_and_execute(|| {
		setup_key();
		let id = filled_native_intent();
		let deposit_address = Records::get(id).unwrap().deposit_address;
		events();
		// The release: the deposit minus the protocol fee leaves the address, to the solver.
		let release = native_payout(SOLVER_PAYOUT, ETHER - ETHER / 100);
		assert_eq!(propose(1, id, &release).unwrap().pays_fee, Pays::No);
		assert!(matches!(status(id), IntentStatus::Filled { .. }));
		assert_ok!(propose(2, id, &release));
		let request = last_request();
		let signing_hash = evm_tx::signing_hash(&release).unwrap();
		assert_eq!(
			status(id),
			IntentStatus::PayingOut {
				payout: Payout::Release { payout_to: SOLVER_PAYOUT },
				request: Some(request),
				signing_hash,
				signed_at: None,
				attempts: 1,
			}
		);
		assert!(events().contains(&Event::PayoutRequested {
			intent: id,
			payout: Payout::Release { payout_to: SOLVER_PAYOUT },
			request,
			signing_hash,
			nonce: 0,
		}));
		// The request is the intents pallet's, on the deposit address's path, over the bytes.
		let req = SignatureRequests::<Test>::get(request).unwrap();
		assert_eq!(req.owner, waas_traits::RequestOwner::intent(id));
		assert_eq!(req.path.to_vec(), deposit_path(id).to_vec());
		assert_eq!(req.payload.to_vec(), release);
		assert_eq!(req.message_hash, signing_hash);
		// The committee signs; the signed transaction is sent from the deposit address.
		let signature = deliver(request);
		assert!(events().contains(&Event::PayoutSigned { intent: id, request }));
		assert_eq!(evm_tx::recover_sender(&release, &signature).unwrap(), deposit_address);
		let signed = evm_tx::assemble_signed(&release, &signature).unwrap();
		let tx_hash = H256(evm_tx::transaction_hash(&signed));
		// The committee attests it was mined: Settled, and everything is released.
		attest_by(&[2, 3], id, Fact::PayoutMined { tx_hash });
		assert!(Records::get(id).is_none());
		assert!(events().contains(&Event::IntentEnded {
			intent: id,
			outcome: Outcome::Settled,
			tx_hash: Some(tx_hash),
		}));
		assert_eq!(Balances::balance_on_hold(&HoldReason::Intent.into(), &10), 0);
		assert_eq!(
			IntentCount::<Test>::get(
				pallet_meta_accounts::AuthenticatorOf::<Test>::get(AuthenticatorKey::Substrate(10))
					.unwrap()
			),
			0
		);
		assert_eq!(Solvers::<Test>::get(20).unwrap().active_claims, 0);
		assert_ok!(Intents::unbond_solver(RuntimeOrigin::signed(20)));
		assert_eq!(Balances::balance_on_hold(&HoldReason::SolverBond.into(), &20), 0);
	});
}

#[test]
fn the_runtime_refuses_payouts_it_did_not_intend() {
	build_and_execute(|| {
		setup_key();
		let id = filled_native_intent();
		let amount = ETHER - ETHER / 100;
		let refused = |tx: Vec<u8>, error: Error<Test>| {
			assert_noop!(propose(1, id, &tx), error);
		};
		refused(native_payout(REFUND, amount), Error::TxWrongRecipient);
		refused(native_payout(SOLVER_PAYOUT, amount + 1), Error::TxWrongAmount);
		refused(native_payout(SOLVER_PAYOUT, ETHER), Error::TxWrongAmount);
		refused(
			unsigned_tx(DESTINATION, 0, SOLVER_PAYOUT, amount - 21_000 * FEE_PER_GAS, vec![]),
			Error::TxWrongChain,
		);
		refused(
			unsigned_tx(SOURCE, 0, SOLVER_PAYOUT, amount - 21_000 * FEE_PER_GAS, vec![1]),
			Error::TxWrongCalldata,
		);
		let mut truncated = native_payout(SOLVER_PAYOUT, amount);
		truncated.pop();
		refused(truncated, Error::TxUndecodable);
		// 200 gwei per gas is above the chain's 100 gwei budget.
		let tx = TxEip1559 {
			chain_id: SOURCE,
			gas_limit: 21_000,
			max_fee_per_gas: 200_000_000_000,
			to: TxKind::Call(Address::from(SOLVER_PAYOUT)),
			value: U256::from(amount - 21_000 * 200_000_000_000),
			..Default::default()
		};
		let mut bytes = Vec::new();
		tx.encode_for_signing(&mut bytes);
		refused(bytes, Error::TxGasTooHigh);
		// A stranger's proposal, even a correct one, is not counted.
		assert_noop!(
			propose(10, id, &native_payout(SOLVER_PAYOUT, amount)),
			Error::<Test>::NotCommitteeMember
		);
		// No refund of a filled intent, and nothing for an open one.
		let open = create(10, native_terms());
		assert_noop!(
			propose(1, open, &native_payout(REFUND, ETHER)),
			Error::<Test>::NothingToPayOut
		);
	});
}

#[test]
fn erc20_payouts_must_be_exact_transfer_calls_on_the_token() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let id = create(10, erc20_terms());
		// 999,999 of 1,000,000 does not open it.
		attest_by(&[1, 2], id, Fact::Deposit { amount: 999_999 });
		assert_eq!(status(id), IntentStatus::Pending);
		assert!(events().contains(&Event::DepositObserved { intent: id, amount: 999_999 }));
		attest_by(&[1, 2], id, Fact::Deposit { amount: 1_000_000 });
		assert_eq!(status(id), IntentStatus::Open);
		assert_ok!(Intents::bond_solver(RuntimeOrigin::signed(21), 50));
		assert_ok!(Intents::claim_intent(RuntimeOrigin::signed(21), id, SOLVER_PAYOUT));
		let fill = H256::repeat_byte(2);
		assert_ok!(Intents::report_fill(RuntimeOrigin::signed(21), id, fill));
		attest_by(
			&[2, 3],
			id,
			Fact::Fill { tx_hash: fill, amount: ETHER / 2, timestamp: START + 1 },
		);
		// The release moves 1,000,000 − 1% = 990,000 tokens to the solver.
		let calldata =
			|to: &[u8; 20], amount: u128| evm_tx::erc20_transfer_calldata(to, amount).to_vec();
		let good = unsigned_tx(SOURCE, 3, TOKEN, 0, calldata(&SOLVER_PAYOUT, 990_000));
		let refused = |tx: Vec<u8>, error: Error<Test>| {
			assert_noop!(propose(1, id, &tx), error);
		};
		refused(
			unsigned_tx(SOURCE, 3, TOKEN, 0, calldata(&REFUND, 990_000)),
			Error::TxWrongCalldata,
		);
		refused(
			unsigned_tx(SOURCE, 3, TOKEN, 0, calldata(&SOLVER_PAYOUT, 990_001)),
			Error::TxWrongCalldata,
		);
		refused(
			unsigned_tx(SOURCE, 3, [0x71; 20], 0, calldata(&SOLVER_PAYOUT, 990_000)),
			Error::TxWrongRecipient,
		);
		refused(
			unsigned_tx(SOURCE, 3, TOKEN, 1, calldata(&SOLVER_PAYOUT, 990_000)),
			Error::TxWrongAmount,
		);
		assert_ok!(propose(1, id, &good));
		// A member that proposes another (valid-looking) nonce does not join the majority;
		// two identical proposals do.
		let other_nonce = unsigned_tx(SOURCE, 4, TOKEN, 0, calldata(&SOLVER_PAYOUT, 990_000));
		assert_ok!(propose(3, id, &other_nonce));
		assert!(matches!(status(id), IntentStatus::Filled { .. }));
		assert_ok!(propose(2, id, &good));
		assert!(matches!(status(id), IntentStatus::PayingOut { attempts: 1, .. }));
		assert_eq!(Dissents::<Test>::get(3), 1);
	});
}

#[test]
fn a_lying_member_changes_nothing_and_is_recorded() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let id = create(10, native_terms());
		events();
		// Member 3 claims the full deposit arrived; nothing opens on one voice.
		attest_by(&[3], id, Fact::Deposit { amount: ETHER });
		assert_eq!(status(id), IntentStatus::Pending);
		// The honest two see only half.
		attest_by(&[1, 2], id, Fact::Deposit { amount: ETHER / 2 });
		assert_eq!(status(id), IntentStatus::Pending);
		assert_eq!(Records::get(id).unwrap().deposited, ETHER / 2);
		assert_eq!(Dissents::<Test>::get(3), 1);
		let evs = events();
		assert!(evs.contains(&Event::AttestationDisputed {
			intent: id,
			kind: FactKind::Deposit,
			dissenters: BoundedVec::try_from(vec![3]).unwrap(),
		}));
		// A repeated vote is refused (and pays); a changed vote replaces the old one.
		attest_by(&[3], id, Fact::Deposit { amount: ETHER });
		assert_noop!(
			Intents::attest(RuntimeOrigin::signed(3), id, Fact::Deposit { amount: ETHER }),
			Error::<Test>::AlreadyAttested
		);
		// Replacing a vote without deciding anything is not free.
		let replaced =
			Intents::attest(RuntimeOrigin::signed(3), id, Fact::Deposit { amount: 2 * ETHER });
		assert_eq!(replaced.unwrap().pays_fee, Pays::Yes);
		assert_eq!(Attestations::<Test>::get(id, FactKind::Deposit).unwrap().len(), 1);
		// A stranger's attestation is refused.
		assert_noop!(
			Intents::attest(RuntimeOrigin::signed(10), id, Fact::Deposit { amount: ETHER }),
			Error::<Test>::NotCommitteeMember
		);
		// Facts the runtime does not ask about now are refused.
		assert_noop!(
			Intents::attest(
				RuntimeOrigin::signed(1),
				id,
				Fact::Fill { tx_hash: H256::zero(), amount: 1, timestamp: START }
			),
			Error::<Test>::NotAsked
		);
	});
}

#[test]
fn fills_below_the_minimum_late_or_early_do_not_fill() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let id = create(10, native_terms());
		attest_by(&[1, 2], id, Fact::Deposit { amount: ETHER });
		assert_ok!(Intents::bond_solver(RuntimeOrigin::signed(20), 60));
		assert_ok!(Intents::claim_intent(RuntimeOrigin::signed(20), id, SOLVER_PAYOUT));
		// Fill not reported yet: not asked.
		let fill = |n: u8| H256::repeat_byte(n);
		assert_noop!(
			Intents::attest(
				RuntimeOrigin::signed(1),
				id,
				Fact::Fill { tx_hash: fill(1), amount: 1_000, timestamp: START + 1 }
			),
			Error::<Test>::NotAsked
		);
		for (n, amount, timestamp, reason) in [
			(1, 999, START + 1, FillRefusal::BelowMinimum),
			(2, 1_000, START + 3_601, FillRefusal::AfterDeadline),
			(3, 1_000, START - 1, FillRefusal::BeforeClaim),
		] {
			assert_ok!(Intents::report_fill(RuntimeOrigin::signed(20), id, fill(n)));
			// Attesting another transaction than the reported one is refused.
			assert_noop!(
				Intents::attest(
					RuntimeOrigin::signed(1),
					id,
					Fact::Fill { tx_hash: fill(9), amount, timestamp }
				),
				Error::<Test>::WrongFillTx
			);
			events();
			attest_by(&[1, 2], id, Fact::Fill { tx_hash: fill(n), amount, timestamp });
			assert!(events().contains(&Event::FillRefused {
				intent: id,
				tx_hash: fill(n),
				reason
			}));
			assert!(matches!(status(id), IntentStatus::Claimed { fill_tx: None, .. }));
		}
		// Only the claimant reports fills.
		assert_noop!(
			Intents::report_fill(RuntimeOrigin::signed(21), id, fill(4)),
			Error::<Test>::NotClaimant
		);
	});
}

#[test]
fn a_claim_not_filled_in_time_is_slashed_and_the_intent_reopens() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let id = create(10, native_terms());
		attest_by(&[1, 2], id, Fact::Deposit { amount: ETHER });
		assert_ok!(Intents::bond_solver(RuntimeOrigin::signed(20), 100));
		assert_ok!(Intents::claim_intent(RuntimeOrigin::signed(20), id, SOLVER_PAYOUT));
		// Another solver cannot take it meanwhile; a solver without a bond cannot claim.
		assert_noop!(
			Intents::claim_intent(RuntimeOrigin::signed(21), id, SOLVER_PAYOUT),
			Error::<Test>::NotSolver
		);
		assert_ok!(Intents::bond_solver(RuntimeOrigin::signed(21), 50));
		assert_noop!(
			Intents::claim_intent(RuntimeOrigin::signed(21), id, SOLVER_PAYOUT),
			Error::<Test>::NotOpen
		);
		// Claim window (600 s) + grace (120 s) not over yet.
		set_time(START + 720);
		assert_noop!(
			Intents::expire_intent(RuntimeOrigin::signed(12), id),
			Error::<Test>::NothingToExpire
		);
		assert_noop!(
			Intents::unbond_solver(RuntimeOrigin::signed(20)),
			Error::<Test>::SolverHasClaims
		);
		let payer_before = Balances::balance(&10);
		set_time(START + 721);
		assert_eq!(
			Intents::expire_intent(RuntimeOrigin::signed(12), id).unwrap().pays_fee,
			Pays::No
		);
		// 20% of 100 goes to the creator's payer; the intent is Open again.
		assert_eq!(Balances::balance(&10), payer_before + 20);
		let solver = Solvers::<Test>::get(20).unwrap();
		assert_eq!((solver.bond, solver.active_claims, solver.missed_claims), (80, 0, 1));
		assert_eq!(Balances::balance_on_hold(&HoldReason::SolverBond.into(), &20), 80);
		assert_eq!(status(id), IntentStatus::Open);
		assert!(events().contains(&Event::ClaimTimedOut { intent: id, solver: 20, slashed: 20 }));
		// A bond slashed below the minimum claims no more until topped up.
		assert_ok!(Intents::claim_intent(RuntimeOrigin::signed(21), id, SOLVER_PAYOUT));
		set_time(START + 1_500);
		assert_ok!(Intents::expire_intent(RuntimeOrigin::signed(12), id));
		assert_eq!(Solvers::<Test>::get(21).unwrap().bond, 40);
		let again = create(
			10,
			IntentTerms {
				open_deadline: START + 2_000,
				fill_deadline: START + 5_000,
				..native_terms()
			},
		);
		attest_by(&[1, 2], again, Fact::Deposit { amount: ETHER });
		assert_noop!(
			Intents::claim_intent(RuntimeOrigin::signed(21), again, SOLVER_PAYOUT),
			Error::<Test>::BondTooLow
		);
		assert_ok!(Intents::bond_solver(RuntimeOrigin::signed(21), 10));
		assert_ok!(Intents::claim_intent(RuntimeOrigin::signed(21), again, SOLVER_PAYOUT));
		// The first solver's bond: a first bond below the minimum is refused.
		assert_noop!(
			Intents::bond_solver(RuntimeOrigin::signed(11), 49),
			Error::<Test>::BondTooLow
		);
	});
}

#[test]
fn exclusivity_keeps_other_solvers_out_until_it_ends() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let terms = IntentTerms {
			exclusive: Some(Exclusivity { solver: 21, until: START + 100 }),
			..native_terms()
		};
		let id = create(10, terms);
		attest_by(&[1, 2], id, Fact::Deposit { amount: ETHER });
		assert_ok!(Intents::bond_solver(RuntimeOrigin::signed(20), 50));
		assert_noop!(
			Intents::claim_intent(RuntimeOrigin::signed(20), id, SOLVER_PAYOUT),
			Error::<Test>::ExclusiveToAnother
		);
		set_time(START + 100);
		assert_ok!(Intents::claim_intent(RuntimeOrigin::signed(20), id, SOLVER_PAYOUT));
	});
}

#[test]
fn an_unfilled_intent_expires_and_is_refunded_minus_gas() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let id = create(10, native_terms());
		// A short deposit: it does not open, and after the open deadline (+ grace) it expires.
		attest_by(&[1, 2], id, Fact::Deposit { amount: ETHER / 4 });
		set_time(START + 720);
		assert_noop!(
			Intents::expire_intent(RuntimeOrigin::signed(12), id),
			Error::<Test>::NothingToExpire
		);
		set_time(START + 721);
		assert_ok!(Intents::expire_intent(RuntimeOrigin::signed(12), id));
		assert_eq!(status(id), IntentStatus::Expired { since: START + 721 });
		// A late top-up is still attested, and refunded with the rest.
		attest_by(&[2, 3], id, Fact::Deposit { amount: ETHER / 2 });
		assert_eq!(status(id), IntentStatus::Expired { since: START + 721 });
		// A release is not what is due: the refund of everything, minus gas, to refund_to.
		assert_noop!(
			propose(1, id, &native_payout(SOLVER_PAYOUT, ETHER / 2)),
			Error::<Test>::TxWrongRecipient
		);
		assert_noop!(
			propose(1, id, &native_payout(REFUND, ETHER / 4)),
			Error::<Test>::TxWrongAmount
		);
		let refund = native_payout(REFUND, ETHER / 2);
		assert_ok!(propose(1, id, &refund));
		assert_ok!(propose(3, id, &refund));
		let request = last_request();
		// Until it is signed, no other payout; the creator cannot cancel.
		assert_noop!(propose(2, id, &refund), Error::<Test>::PayoutInProgress);
		assert_noop!(
			Intents::cancel_intent(RuntimeOrigin::signed(10), id),
			Error::<Test>::NotCancellable
		);
		let signature = deliver(request);
		let tx_hash =
			H256(evm_tx::transaction_hash(&evm_tx::assemble_signed(&refund, &signature).unwrap()));
		// Too soon for another attempt; after PayoutRetryAfter one more may be proposed.
		assert_noop!(propose(2, id, &refund), Error::<Test>::PayoutInProgress);
		set_time(START + 721 + 300);
		let retry = unsigned_tx(SOURCE, 1, REFUND, ETHER / 2 - 21_000 * FEE_PER_GAS, vec![]);
		assert_ok!(propose(1, id, &retry));
		assert_ok!(propose(2, id, &retry));
		assert!(matches!(status(id), IntentStatus::PayingOut { attempts: 2, signed_at: None, .. }));
		deliver(last_request());
		// The first refund was mined after all: Refunded.
		events();
		attest_by(&[1, 2], id, Fact::PayoutMined { tx_hash });
		assert!(events().contains(&Event::IntentEnded {
			intent: id,
			outcome: Outcome::Refunded,
			tx_hash: Some(tx_hash)
		}));
		assert!(Records::get(id).is_none());
	});
}

#[test]
fn a_failed_signature_lets_the_committee_propose_again_up_to_the_limit() {
	build_and_execute(|| {
		setup_key();
		let id = filled_native_intent();
		let release = native_payout(SOLVER_PAYOUT, ETHER - ETHER / 100);
		for attempt in 1..=3u8 {
			assert_ok!(propose(1, id, &release));
			assert_ok!(propose(2, id, &release));
			let request = last_request();
			events();
			// Every attempt expires unsigned (2 attempts of 5 blocks each).
			let now = System::block_number();
			run_to_block(now + 12);
			assert!(events().contains(&Event::PayoutSigningFailed { intent: id, request }));
			assert!(
				matches!(status(id), IntentStatus::PayingOut { request: None, attempts, .. } if attempts == attempt)
			);
		}
		assert_noop!(propose(1, id, &release), Error::<Test>::TooManyPayoutAttempts);
	});
}

#[test]
fn cancelling_ends_an_undeposited_intent_and_refunds_a_short_one() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		meta(11);
		let id = create(10, native_terms());
		assert_noop!(
			Intents::cancel_intent(RuntimeOrigin::signed(11), id),
			Error::<Test>::NotCreator
		);
		// The Meta-Account cannot close while it has an intent.
		assert_noop!(
			MetaAccounts::close_meta_account(RuntimeOrigin::signed(10), 10),
			Error::<Test>::MetaAccountHasIntents
		);
		events();
		assert_ok!(Intents::cancel_intent(RuntimeOrigin::signed(10), id));
		assert_eq!(
			events(),
			vec![Event::IntentEnded { intent: id, outcome: Outcome::Cancelled, tx_hash: None }]
		);
		assert!(Records::get(id).is_none());
		assert_eq!(Balances::balance_on_hold(&HoldReason::Intent.into(), &10), 0);
		// With a short deposit seen, cancelling expires it for a refund instead.
		let short = create(10, native_terms());
		attest_by(&[1, 2], short, Fact::Deposit { amount: ETHER / 2 });
		assert_ok!(Intents::cancel_intent(RuntimeOrigin::signed(10), short));
		assert!(matches!(status(short), IntentStatus::Expired { .. }));
		assert_noop!(
			Intents::cancel_intent(RuntimeOrigin::signed(10), short),
			Error::<Test>::NotCancellable
		);
		// An expired intent with nothing deposited is cancelled after the retention.
		let idle = create(10, native_terms());
		set_time(START + 721);
		assert_ok!(Intents::expire_intent(RuntimeOrigin::signed(12), idle));
		assert_noop!(
			Intents::expire_intent(RuntimeOrigin::signed(12), idle),
			Error::<Test>::NothingToExpire
		);
		set_time(START + 721 + 3_601);
		assert_ok!(Intents::expire_intent(RuntimeOrigin::signed(12), idle));
		assert!(Records::get(idle).is_none());
	});
}

#[test]
fn chains_are_set_by_the_admin_only_with_sane_parameters() {
	build_and_execute(|| {
		assert_noop!(
			Intents::set_chain(RuntimeOrigin::signed(10), 1, Some(chain_params())),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Intents::set_chain(
				RuntimeOrigin::root(),
				1,
				Some(ChainParams { confirmations: 0, ..chain_params() })
			),
			Error::<Test>::InvalidChainParams
		);
		assert_noop!(
			Intents::set_chain(
				RuntimeOrigin::root(),
				1,
				Some(ChainParams { native_gas_limit: 20_999, ..chain_params() })
			),
			Error::<Test>::InvalidChainParams
		);
		for attestation_grace in [0, MAX_ATTESTATION_GRACE + 1] {
			assert_noop!(
				Intents::set_chain(
					RuntimeOrigin::root(),
					1,
					Some(ChainParams { attestation_grace, ..chain_params() })
				),
				Error::<Test>::InvalidChainParams
			);
		}
		assert_ok!(Intents::set_chain(RuntimeOrigin::root(), 1, Some(chain_params())));
		assert_eq!(Chains::<Test>::get(1), Some(chain_params()));
		assert_ok!(Intents::set_chain(RuntimeOrigin::root(), 1, None));
		assert_eq!(Chains::<Test>::get(1), None);
	});
}

#[test]
fn a_timed_out_claim_past_the_fill_deadline_is_given_up_once() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let short = IntentTerms {
			open_deadline: START + 200,
			fill_deadline: START + 300,
			..native_terms()
		};
		let a = create(10, short);
		let b = create(10, native_terms());
		for id in [a, b] {
			attest_by(&[1, 2], id, Fact::Deposit { amount: ETHER });
		}
		assert_ok!(Intents::bond_solver(RuntimeOrigin::signed(20), 100));
		assert_ok!(Intents::claim_intent(RuntimeOrigin::signed(20), a, SOLVER_PAYOUT));
		assert_ok!(Intents::claim_intent(RuntimeOrigin::signed(20), b, SOLVER_PAYOUT));
		// a's window ends with its fill deadline; past it (+ grace) the claim is slashed and
		// the intent expires, and b's claim still counts.
		set_time(START + 421);
		assert_ok!(Intents::expire_intent(RuntimeOrigin::signed(12), a));
		assert!(matches!(status(a), IntentStatus::Expired { .. }));
		let solver = Solvers::<Test>::get(20).unwrap();
		assert_eq!((solver.active_claims, solver.missed_claims, solver.bond), (1, 1, 80));
		assert_noop!(
			Intents::unbond_solver(RuntimeOrigin::signed(20)),
			Error::<Test>::SolverHasClaims
		);
	});
}

#[test]
fn a_deposit_attested_after_the_open_deadline_does_not_open() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let id = create(10, native_terms());
		// Open deadline 600 s + grace 120 s: nobody called expire_intent yet.
		set_time(START + 721);
		attest_by(&[1, 2], id, Fact::Deposit { amount: ETHER });
		assert_eq!(status(id), StatusOf::<Test>::Pending);
		assert!(events().contains(&Event::DepositObserved { intent: id, amount: ETHER }));
		assert_ok!(Intents::expire_intent(RuntimeOrigin::signed(12), id));
		assert!(matches!(status(id), IntentStatus::Expired { .. }));
		assert_ok!(propose(1, id, &native_payout(REFUND, ETHER)));
	});
}

#[test]
fn native_dust_that_cannot_pay_its_refund_gas_does_not_block_cancelling() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let id = create(10, native_terms());
		// Less than 21,000 gas at 100 gwei: a refund could move nothing.
		let dust = 21_000 * 100_000_000_000;
		attest_by(&[1, 2], id, Fact::Deposit { amount: dust });
		assert_ok!(Intents::cancel_intent(RuntimeOrigin::signed(10), id));
		assert!(Records::get(id).is_none());
		// One wei more is worth refunding: cancelling expires it instead.
		let id = create(10, native_terms());
		attest_by(&[1, 2], id, Fact::Deposit { amount: dust + 1 });
		assert_ok!(Intents::cancel_intent(RuntimeOrigin::signed(10), id));
		assert!(matches!(status(id), IntentStatus::Expired { .. }));
	});
}

#[test]
fn a_payout_mined_before_a_failed_retry_still_ends_the_intent() {
	build_and_execute(|| {
		setup_key();
		let id = filled_native_intent();
		let release = native_payout(SOLVER_PAYOUT, ETHER - ETHER / 100);
		assert_ok!(propose(1, id, &release));
		assert_ok!(propose(2, id, &release));
		let signature = deliver(last_request());
		let tx_hash =
			H256(evm_tx::transaction_hash(&evm_tx::assemble_signed(&release, &signature).unwrap()));
		// Not mined in time (as far as anyone knew): a retry, whose signing fails.
		set_time(START + 60 + 300);
		let retry = unsigned_tx(
			SOURCE,
			1,
			SOLVER_PAYOUT,
			ETHER - ETHER / 100 - 21_000 * FEE_PER_GAS,
			vec![],
		);
		assert_ok!(propose(1, id, &retry));
		assert_ok!(propose(3, id, &retry));
		let now = System::block_number();
		run_to_block(now + 12);
		assert!(matches!(status(id), IntentStatus::PayingOut { request: None, attempts: 2, .. }));
		// The first release was mined after all.
		attest_by(&[1, 3], id, Fact::PayoutMined { tx_hash });
		assert!(Records::get(id).is_none());
	});
}

#[test]
fn the_grace_is_the_larger_of_the_two_chains_and_fixed_at_creation() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let slow = ChainParams { attestation_grace: 600, ..chain_params() };
		assert_ok!(Intents::set_chain(RuntimeOrigin::root(), DESTINATION, Some(slow)));
		let id = create(10, native_terms());
		assert_eq!(Records::get(id).unwrap().grace, 600);
		// A later change of the chain's parameters does not move this intent's deadlines.
		assert_ok!(Intents::set_chain(RuntimeOrigin::root(), DESTINATION, Some(chain_params())));
		set_time(START + 600 + 600);
		assert_noop!(
			Intents::expire_intent(RuntimeOrigin::signed(12), id),
			Error::<Test>::NothingToExpire
		);
		set_time(START + 600 + 601);
		assert_ok!(Intents::expire_intent(RuntimeOrigin::signed(12), id));
		assert_eq!(status(id), IntentStatus::Expired { since: START + 601 + 600 });
	});
}
