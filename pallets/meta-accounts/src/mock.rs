//! Test runtime for the Meta-Accounts pallet.

use crate::{self as pallet_meta_accounts, Role, RoleFilter, UnsignedFee};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::Get, weights::Weight};
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};
use waas_primitives::webauthn::RelyingParty;
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

/// What envelopes may carry in the tests: the pallet's management calls for Owners, leaving
/// and enacting for anyone, `System::remark_with_event` for Signers (a stand-in for another pallet's
/// call), nothing unsigned-only.
pub struct TestRoleFilter;
impl RoleFilter<RuntimeCall> for TestRoleFilter {
	fn allows(role: Role, call: &RuntimeCall) -> bool {
		use pallet_meta_accounts::Call as C;
		match call {
			RuntimeCall::MetaAccounts(c) => match c {
				C::dispatch_envelope { .. }
				| C::create_with_authenticator { .. }
				| C::set_sponsorship { .. }
				| C::accept_invitation { .. } => false,
				C::remove_authenticator { .. } | C::enact_change { .. } => true,
				_ => role == Role::Owner,
			},
			RuntimeCall::System(frame_system::Call::remark_with_event { .. }) => {
				role.includes(Role::Signer)
			},
			_ => false,
		}
	}
}

/// Unsigned fees in the tests: 1 + 1 per 100 bytes + 1 per millisecond of weight.
pub struct TestFee;
impl UnsignedFee<u64> for TestFee {
	fn fee(len: u32, weight: Weight) -> u64 {
		1 + u64::from(len) / 100 + weight.ref_time() / 1_000_000_000
	}
	fn priority(_len: u32, _weight: Weight, fee: u64) -> u64 {
		fee
	}
}

/// The relying parties of the tests: any port of `http://localhost`, and one fixed origin.
pub static RELYING_PARTIES: [RelyingParty; 2] = [
	RelyingParty { rp_id: "localhost", origin: "http://localhost", any_port: true },
	RelyingParty { rp_id: "wallet.example", origin: "https://wallet.example", any_port: false },
];

/// [`RELYING_PARTIES`] as the pallet's configuration.
pub struct TestRelyingParties;
impl Get<&'static [RelyingParty]> for TestRelyingParties {
	fn get() -> &'static [RelyingParty] {
		&RELYING_PARTIES
	}
}

parameter_types! {
	pub const DepositBase: u64 = 2;
	pub const DepositPerByte: u64 = 0;
	pub const MaxAuthenticators: u32 = 3;
	pub const MaxPendingInvitations: u32 = 2;
	pub const MaxPendingChanges: u32 = 2;
	pub const InvitationLifetime: u64 = 10;
	pub const ChangeDelay: u64 = 5;
	pub const MaxEnvelopeLifetime: u64 = 20;
	pub const RequireUserVerification: bool = true;
}

impl pallet_meta_accounts::Config for Test {
	type RuntimeCall = RuntimeCall;
	type RuntimeOrigin = RuntimeOrigin;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RoleFilter = TestRoleFilter;
	type UnsignedFee = TestFee;
	type RelyingParties = TestRelyingParties;
	type RequireUserVerification = RequireUserVerification;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type MaxAuthenticators = MaxAuthenticators;
	type MaxPendingInvitations = MaxPendingInvitations;
	type MaxPendingChanges = MaxPendingChanges;
	type InvitationLifetime = InvitationLifetime;
	type ChangeDelay = ChangeDelay;
	type MaxEnvelopeLifetime = MaxEnvelopeLifetime;
	type Dependents = TestDependents;
	type Activity = ();
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
