//! Test runtime: Meta-Accounts + threshold signers + ephemeral addresses.

use crate as pallet_ephemeral_addresses;
use frame_support::{derive_impl, parameter_types, traits::Hooks};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		MetaAccounts: pallet_meta_accounts,
		ThresholdSigners: pallet_threshold_signers,
		EphemeralAddresses: pallet_ephemeral_addresses,
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

parameter_types! {
	pub const AuthenticatorDeposit: u64 = 10;
	pub const MaxAuthenticators: u32 = 4;
	pub const SignatureRequestDeposit: u64 = 5;
	pub const MaxCommitteeSize: u32 = 5;
	pub const MaxAddressLen: u32 = 32;
	pub const MaxPayloadLen: u32 = 64;
	pub const MaxPathDepth: u32 = 8;
	pub const KeygenTimeout: u64 = 10;
	pub const SigningTimeout: u64 = 5;
	pub const MaxSigningAttempts: u8 = 2;
	pub const MaxDeadlinesPerBlock: u32 = 8;
	pub const AddressDeposit: u64 = 3;
	pub const MaxAddressesPerMetaAccount: u32 = 3;
}

impl pallet_meta_accounts::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AuthenticatorDeposit = AuthenticatorDeposit;
	type MaxAuthenticators = MaxAuthenticators;
	type WeightInfo = ();
}

impl pallet_threshold_signers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = EnsureRoot<u64>;
	type SignatureRequestOrigin = EnsureRoot<u64>;
	type OnSignatureOutcome = EphemeralAddresses;
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

impl pallet_ephemeral_addresses::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MetaAccountOrigin = pallet_meta_accounts::EnsureMetaAccount<Test>;
	type Signer = ThresholdSigners;
	type AddressDeposit = AddressDeposit;
	type MaxAddressesPerMetaAccount = MaxAddressesPerMetaAccount;
	type MaxPayloadLen = MaxPayloadLen;
	type WeightInfo = ();
}

/// Signers 1..=3 and users 10..=12 start with 100 units; user 13 with 12.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, 100), (2, 100), (3, 100), (10, 100), (11, 100), (12, 100), (13, 12)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Advances to block `n`, running the signer pallet's `on_initialize`.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		ThresholdSigners::on_initialize(next);
	}
}
