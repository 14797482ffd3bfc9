//! Test runtime for the Meta-Accounts pallet.

use crate as pallet_meta_accounts;
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, weights::Weight};
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};
use waas_traits::MetaAccountId;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		MetaAccounts: pallet_meta_accounts,
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
	/// Meta-Accounts another pallet still holds something for (a test double).
	pub static HELD_FOR: RefCell<Vec<MetaAccountId>> = const { RefCell::new(Vec::new()) };
}

/// A dependent pallet that refuses to let go of the Meta-Accounts in [`HELD_FOR`].
pub struct TestDependents;
impl waas_traits::MetaAccountDependents for TestDependents {
	fn ensure_can_close(meta_account: &MetaAccountId) -> DispatchResult {
		if HELD_FOR.with(|h| h.borrow().contains(meta_account)) {
			Err(DispatchError::Other("still held"))
		} else {
			Ok(())
		}
	}
	fn ensure_can_close_weight() -> Weight {
		Weight::zero()
	}
}

parameter_types! {
	pub const DepositBase: u64 = 2;
	pub const DepositPerByte: u64 = 0;
	pub const MaxAuthenticators: u32 = 3;
	pub const MaxPendingInvitations: u32 = 2;
	pub const InvitationLifetime: u64 = 10;
}

impl pallet_meta_accounts::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type MaxAuthenticators = MaxAuthenticators;
	type MaxPendingInvitations = MaxPendingInvitations;
	type InvitationLifetime = InvitationLifetime;
	type Dependents = TestDependents;
	type WeightInfo = ();
}

/// Accounts 1..=5 start with 100 units; account 9 with 2 (not enough for a deposit on top of
/// the existential deposit).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, 100), (2, 100), (3, 100), (4, 100), (5, 100), (9, 2)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	HELD_FOR.with(|h| h.borrow_mut().clear());
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in a fresh externality and checks every invariant afterwards.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		MetaAccounts::do_try_state().expect("invariants hold after the test");
	});
}
