//! Test runtime for the threshold-signers pallet.

use crate as pallet_threshold_signers;
use crate::{OnSignatureOutcome, RequestId};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::Hooks};
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
	/// Outcomes reported through `OnSignatureOutcome`: (request, signed?).
	pub static OUTCOMES: RefCell<Vec<(RequestId, bool)>> = const { RefCell::new(Vec::new()) };
}

/// Records outcomes for the tests.
pub struct RecordOutcomes;
impl OnSignatureOutcome for RecordOutcomes {
	fn on_signed(request: RequestId) {
		OUTCOMES.with(|o| o.borrow_mut().push((request, true)));
	}
	fn on_failed(request: RequestId) {
		OUTCOMES.with(|o| o.borrow_mut().push((request, false)));
	}
}

parameter_types! {
	pub const SignatureRequestDeposit: u64 = 7;
	pub const MaxCommitteeSize: u32 = 5;
	pub const MaxAddressLen: u32 = 32;
	pub const MaxPayloadLen: u32 = 64;
	pub const MaxPathDepth: u32 = 4;
	pub const KeygenTimeout: u64 = 10;
	pub const SigningTimeout: u64 = 5;
	pub const MaxSigningAttempts: u8 = 3;
	pub const MaxDeadlinesPerBlock: u32 = 2;
}

impl pallet_threshold_signers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = EnsureRoot<u64>;
	type SignatureRequestOrigin = EnsureRoot<u64>;
	type OnSignatureOutcome = RecordOutcomes;
	type SignatureRequestDeposit = SignatureRequestDeposit;
	type MaxCommitteeSize = MaxCommitteeSize;
	type MaxAddressLen = MaxAddressLen;
	type MaxPayloadLen = MaxPayloadLen;
	type MaxPathDepth = MaxPathDepth;
	type KeygenTimeout = KeygenTimeout;
	type SigningTimeout = SigningTimeout;
	type MaxSigningAttempts = MaxSigningAttempts;
	type MaxDeadlinesPerBlock = MaxDeadlinesPerBlock;
	type WeightInfo = ();
}

/// Signers 1..=5 and user 11 start with 100 units, user 10 with 1000, user 12 with 3.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(1, 100),
			(2, 100),
			(3, 100),
			(4, 100),
			(5, 100),
			(10, 1_000),
			(11, 100),
			(12, 3),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	OUTCOMES.with(|o| o.borrow_mut().clear());
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Advances to block `n`, running `on_initialize` of each new block.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		ThresholdSigners::on_initialize(next);
	}
}
