//! Test runtime for the threshold-signers pallet.

use crate as pallet_threshold_signers;
use crate::{RequestId, RequestOwner, SignatureOutcome};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::Hooks, weights::Weight};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		ThresholdSigners: pallet_threshold_signers,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	/// Outcomes reported through `OnSignatureOutcome`.
	pub static OUTCOMES: RefCell<Vec<(RequestId, RequestOwner, SignatureOutcome)>> =
		const { RefCell::new(Vec::new()) };
}

/// Records outcomes for the tests.
pub struct RecordOutcomes;
impl crate::OnSignatureOutcome for RecordOutcomes {
	fn on_outcome(request: RequestId, owner: &RequestOwner, outcome: SignatureOutcome) {
		OUTCOMES.with(|o| o.borrow_mut().push((request, *owner, outcome)));
	}
	fn on_outcome_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
}

/// The outcomes reported so far.
pub fn outcomes() -> Vec<(RequestId, RequestOwner, SignatureOutcome)> {
	OUTCOMES.with(|o| o.borrow().clone())
}

parameter_types! {
	pub const RequestDepositBase: u64 = 5;
	pub const RequestDepositPerByte: u64 = 1;
	pub const SigningFeePerSigner: u64 = 3;
	pub const MaxCommitteeSize: u32 = 5;
	pub const MaxEndpointLen: u32 = 32;
	pub const MaxPayloadLen: u32 = 64;
	pub const MaxPathDepth: u32 = 8;
	pub const KeygenTimeoutBase: u64 = 10;
	pub const KeygenTimeoutPerMember: u64 = 2;
	pub const SigningTimeout: u64 = 5;
	pub const MaxSigningAttempts: u8 = 3;
	pub const MaxAssignedPerKey: u32 = 2;
	pub const MaxQueuedPerKey: u32 = 3;
	pub const MaxAgendaPerBlock: u32 = 2;
	pub const RequestRetention: u64 = 20;
	pub const FaultQuorum: u32 = 2;
	pub const FaultWindow: u64 = 50;
	pub const FaultExclusion: u64 = 30;
	pub const FaultsForRemoval: u32 = 2;
}

impl pallet_threshold_signers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = EnsureRoot<u64>;
	type PrivilegedOrigin = EnsureRoot<u64>;
	type OnSignatureOutcome = RecordOutcomes;
	type RequestDepositBase = RequestDepositBase;
	type RequestDepositPerByte = RequestDepositPerByte;
	type SigningFeePerSigner = SigningFeePerSigner;
	type MaxCommitteeSize = MaxCommitteeSize;
	type MaxEndpointLen = MaxEndpointLen;
	type MaxPayloadLen = MaxPayloadLen;
	type MaxPathDepth = MaxPathDepth;
	type KeygenTimeoutBase = KeygenTimeoutBase;
	type KeygenTimeoutPerMember = KeygenTimeoutPerMember;
	type SigningTimeout = SigningTimeout;
	type MaxSigningAttempts = MaxSigningAttempts;
	type MaxAssignedPerKey = MaxAssignedPerKey;
	type MaxQueuedPerKey = MaxQueuedPerKey;
	type MaxAgendaPerBlock = MaxAgendaPerBlock;
	type RequestRetention = RequestRetention;
	type FaultQuorum = FaultQuorum;
	type FaultWindow = FaultWindow;
	type FaultExclusion = FaultExclusion;
	type FaultsForRemoval = FaultsForRemoval;
	type WeightInfo = ();
}

/// Balances at genesis: users 10 (1000), 11 (100), 12 (10). Signers 1..=5 start with none:
/// registration keeps their accounts alive.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(10, 1_000), (11, 100), (12, 10)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	OUTCOMES.with(|o| o.borrow_mut().clear());
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in a fresh externality and checks every invariant afterwards.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ThresholdSigners::do_try_state().expect("invariants hold after the test");
	});
}

/// Advances to block `n`, running `on_initialize` of each new block.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		ThresholdSigners::on_initialize(next);
	}
}
