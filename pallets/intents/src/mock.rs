//! Test runtime for the intents pallet: the real Meta-Accounts, threshold-signers, balances and
//! timestamp pallets.

use crate as pallet_intents;
use frame_support::{derive_impl, parameter_types, traits::Get, weights::Weight, PalletId};
use frame_system::EnsureRoot;
use pallet_meta_accounts::Role;
use sp_runtime::{BuildStorage, Perbill, Permill};
use waas_primitives::webauthn::RelyingParty;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		MetaAccounts: pallet_meta_accounts,
		ThresholdSigners: pallet_threshold_signers,
		Intents: pallet_intents,
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

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = frame_support::traits::ConstU64<1>;
	type WeightInfo = ();
}

/// Envelopes may carry this pallet's calls for Signers (the runtime's rule).
pub struct TestRoleFilter;
impl pallet_meta_accounts::RoleFilter<RuntimeCall> for TestRoleFilter {
	fn allows(role: Role, call: &RuntimeCall) -> bool {
		matches!(call, RuntimeCall::Intents(_)) && role.includes(Role::Signer)
	}
}

/// A flat unsigned fee of 1.
pub struct TestFee;
impl pallet_meta_accounts::UnsignedFee<u64> for TestFee {
	fn fee(_len: u32, _weight: Weight) -> u64 {
		1
	}
	fn priority(_len: u32, _weight: Weight, fee: u64) -> u64 {
		fee
	}
}

/// One relying party: `http://localhost` on any port.
pub struct TestRelyingParties;
impl Get<&'static [RelyingParty]> for TestRelyingParties {
	fn get() -> &'static [RelyingParty] {
		static PARTIES: [RelyingParty; 1] =
			[RelyingParty { rp_id: "localhost", origin: "http://localhost", any_port: true }];
		&PARTIES
	}
}

parameter_types! {
	pub const DepositBase: u64 = 2;
	pub const DepositPerByte: u64 = 0;
	pub const MaxAuthenticators: u32 = 4;
	pub const MaxPendingInvitations: u32 = 4;
	pub const InvitationLifetime: u64 = 100;
	pub const MaxPendingChanges: u32 = 2;
	pub const ChangeDelay: u64 = 5;
	pub const MaxEnvelopeLifetime: u64 = 20;
	pub const RequireUserVerification: bool = true;
	pub const SignerRole: Role = Role::Signer;
	pub const RequestDepositBase: u64 = 5;
	pub const RequestDepositPerByte: u64 = 0;
	pub const SigningFeePerSigner: u64 = 1;
	pub const MaxCommitteeSize: u32 = 5;
	pub const MaxEndpointLen: u32 = 32;
	pub const MaxPayloadLen: u32 = 256;
	pub const MaxPathDepth: u32 = 8;
	pub const KeygenTimeoutBase: u64 = 10;
	pub const KeygenTimeoutPerMember: u64 = 1;
	pub const SigningTimeout: u64 = 5;
	pub const MaxSigningAttempts: u8 = 2;
	pub const MaxAssignedPerKey: u32 = 4;
	pub const MaxQueuedPerKey: u32 = 8;
	pub const MaxAgendaPerBlock: u32 = 16;
	pub const RequestRetention: u64 = 10;
	pub const FaultQuorum: u32 = 2;
	pub const FaultWindow: u64 = 50;
	pub const FaultExclusion: u64 = 30;
	pub const FaultsForRemoval: u32 = 3;
	pub const IntentsPalletId: PalletId = PalletId(*b"waas/int");
	pub const SettlementCharge: u64 = 10;
	pub const ProtocolFee: Permill = Permill::from_percent(1);
	pub const MinSolverBond: u64 = 50;
	pub const SlashFraction: Perbill = Perbill::from_percent(20);
	pub const ClaimWindow: u64 = 600;
	pub const PayoutRetryAfter: u64 = 300;
	pub const MaxPayoutAttempts: u8 = 3;
	pub const ExpiredRetention: u64 = 3600;
	pub const MaxIntentLifetime: u64 = 86_400;
	pub const MaxIntentsPerMetaAccount: u32 = 3;
	pub const MaxClaimsPerSolver: u32 = 2;
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
	type Dependents = Intents;
	type Activity = ();
	type WeightInfo = ();
}

impl pallet_threshold_signers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = EnsureRoot<u64>;
	type PrivilegedOrigin = EnsureRoot<u64>;
	type OnSignatureOutcome = Intents;
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

impl pallet_intents::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MetaAccountOrigin = pallet_meta_accounts::EnsureMetaAccount<Test, SignerRole>;
	type AdminOrigin = EnsureRoot<u64>;
	type ThresholdSigner = ThresholdSigners;
	type Committees = ThresholdSigners;
	type Time = Timestamp;
	type PalletId = IntentsPalletId;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type SettlementCharge = SettlementCharge;
	type ProtocolFee = ProtocolFee;
	type MinSolverBond = MinSolverBond;
	type SlashFraction = SlashFraction;
	type ClaimWindow = ClaimWindow;
	type PayoutRetryAfter = PayoutRetryAfter;
	type MaxPayoutAttempts = MaxPayoutAttempts;
	type ExpiredRetention = ExpiredRetention;
	type MaxIntentLifetime = MaxIntentLifetime;
	type MaxIntentsPerMetaAccount = MaxIntentsPerMetaAccount;
	type MaxClaimsPerSolver = MaxClaimsPerSolver;
	type MaxCommitteeSize = MaxCommitteeSize;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestClock;
}

/// Sets the test runtime's clock for benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestClock;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_intents::BenchmarkHelper for TestClock {
	fn set_time(secs: u64) {
		set_time(secs);
	}
}

/// The source chain of the tests (anvil's default chain id) and the destination chain.
pub const SOURCE: u64 = 31337;
/// The destination chain of the tests.
pub const DESTINATION: u64 = 31338;

/// The parameters both test chains are registered with: 2 confirmations, 21,000 gas for the
/// native coin, 100,000 for an ERC-20, at most 100 gwei per gas.
pub fn chain_params() -> pallet_intents::ChainParams {
	pallet_intents::ChainParams {
		confirmations: 2,
		native_gas_limit: 21_000,
		erc20_gas_limit: 100_000,
		max_fee_per_gas: 100_000_000_000,
		attestation_grace: 120,
	}
}

/// Unix time at block 1 of every test: 2026-12-01 00:00:00 UTC.
pub const START: u64 = 1_796_083_200;

/// Users 10..=12 and solvers 20..=21 start with 1,000 units; signers 1..=3 with nothing.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(10, 1_000), (11, 1_000), (12, 1_000), (20, 1_000), (21, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_intents::GenesisConfig::<Test> {
		chains: vec![(SOURCE, chain_params()), (DESTINATION, chain_params())],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		set_time(START);
	});
	ext
}

/// Sets the chain's clock to Unix time `secs`.
pub fn set_time(secs: u64) {
	pallet_timestamp::Now::<Test>::put(secs * 1000);
}

/// Runs `test` in a fresh externality and checks every pallet's invariants afterwards.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Intents::do_try_state().expect("intents invariants");
		MetaAccounts::do_try_state().expect("meta-accounts invariants");
		ThresholdSigners::do_try_state().expect("threshold-signers invariants");
	});
}

/// Advances to block `n`, running the signer pallet's `on_initialize`.
pub fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		ThresholdSigners::on_initialize(next);
	}
}
