//! Test runtime for the audit-anchors pallet: the real Meta-Accounts, threshold-signers,
//! balances and timestamp pallets.

use crate as pallet_audit_anchors;
use frame_support::{derive_impl, parameter_types, traits::Get, weights::Weight};
use frame_system::EnsureRoot;
use pallet_meta_accounts::Role;
use sp_runtime::BuildStorage;
use waas_primitives::webauthn::RelyingParty;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		MetaAccounts: pallet_meta_accounts,
		ThresholdSigners: pallet_threshold_signers,
		AuditAnchors: pallet_audit_anchors,
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

/// Envelopes may carry this pallet's calls for Signers.
pub struct TestRoleFilter;
impl pallet_meta_accounts::RoleFilter<RuntimeCall> for TestRoleFilter {
	fn allows(role: Role, call: &RuntimeCall) -> bool {
		matches!(call, RuntimeCall::AuditAnchors(_)) && role.includes(Role::Signer)
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
	pub const LogDeposit: u64 = 7;
	pub const MaxLogsPerOwner: u32 = 2;
	pub const MaxHeadsPerLog: u32 = 3;
	pub const ActivityDeposit: u64 = 5;
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
}

impl pallet_threshold_signers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = EnsureRoot<u64>;
	type PrivilegedOrigin = EnsureRoot<u64>;
	type OnSignatureOutcome = AuditAnchors;
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
	type Dependents = ();
	type Activity = AuditAnchors;
	type WeightInfo = ();
}

impl pallet_audit_anchors::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MetaAccountOrigin = pallet_meta_accounts::EnsureMetaAccount<Test, SignerRole>;
	type Time = Timestamp;
	type LogDeposit = LogDeposit;
	type MaxLogsPerOwner = MaxLogsPerOwner;
	type MaxHeadsPerLog = MaxHeadsPerLog;
	type ActivityDeposit = ActivityDeposit;
	type AdminOrigin = EnsureRoot<u64>;
	type ThresholdSigner = ThresholdSigners;
	type Committees = ThresholdSigners;
	type AnchorSink = pallet_audit_anchors::EvmAnchorSink<Test>;
	type WeightInfo = ();
}

/// Unix time at block 1 of every test, in milliseconds: 2026-12-01 00:00:00 UTC.
pub const START_MS: u64 = 1_796_083_200_000;

/// Accounts 10..=12 start with 1,000 units.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(10, 1_000), (11, 1_000), (12, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(START_MS);
	});
	ext
}

/// Runs `test` in a fresh externality and checks the pallets' invariants afterwards.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		AuditAnchors::check_invariants().expect("audit-anchors invariants");
		MetaAccounts::do_try_state().expect("meta-accounts invariants");
		ThresholdSigners::do_try_state().expect("threshold-signers invariants");
	});
}

/// Advances to block `n`, running the signer pallet's and this pallet's `on_initialize`.
pub fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		ThresholdSigners::on_initialize(next);
		AuditAnchors::on_initialize(next);
	}
}
