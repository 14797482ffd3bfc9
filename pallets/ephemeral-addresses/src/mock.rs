//! Test runtime for the ephemeral-addresses pallet: the real Meta-Accounts and
//! threshold-signers pallets, with the latter behind a thin wrapper that can hand out a broken
//! key (a test double for the encoding error path).

use crate as pallet_ephemeral_addresses;
use core::cell::Cell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{Get, Hooks},
	weights::Weight,
};
use frame_system::EnsureRoot;
use pallet_meta_accounts::Role;
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};
use waas_primitives::webauthn::RelyingParty;
use waas_primitives::{ChainCode, CompressedPublicKey};
use waas_traits::{KeyId, RequestId, RequestOwner, SigningRequest, ThresholdSigner};

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
	pub const DepositBase: u64 = 2;
	pub const DepositPerByte: u64 = 0;
	pub const MaxAuthenticators: u32 = 4;
	pub const MaxPendingInvitations: u32 = 4;
	pub const InvitationLifetime: u64 = 100;
	pub const RequestDepositBase: u64 = 5;
	pub const RequestDepositPerByte: u64 = 0;
	pub const SigningFeePerSigner: u64 = 1;
	pub const MaxCommitteeSize: u32 = 5;
	pub const MaxEndpointLen: u32 = 32;
	pub const MaxPayloadLen: u32 = 64;
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
	pub const MaxAddressesPerMetaAccount: u32 = 3;
	pub const MaxInFlightPerMetaAccount: u32 = 2;
}

/// Envelopes may carry this pallet's calls for Signers (the runtime's rule).
pub struct TestRoleFilter;
impl pallet_meta_accounts::RoleFilter<RuntimeCall> for TestRoleFilter {
	fn allows(role: Role, call: &RuntimeCall) -> bool {
		matches!(call, RuntimeCall::EphemeralAddresses(_)) && role.includes(Role::Signer)
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
	pub const MaxPendingChanges: u32 = 2;
	pub const ChangeDelay: u64 = 5;
	pub const MaxEnvelopeLifetime: u64 = 20;
	pub const RequireUserVerification: bool = true;
	pub const SignerRole: Role = Role::Signer;
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
	type Dependents = EphemeralAddresses;
	type Activity = ();
	type WeightInfo = ();
}

impl pallet_threshold_signers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = EnsureRoot<u64>;
	type PrivilegedOrigin = EnsureRoot<u64>;
	type OnSignatureOutcome = EphemeralAddresses;
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

thread_local! {
	/// When set, [`Signer::claim_path`] returns a public key that is not a curve point.
	pub static BROKEN_KEY: Cell<bool> = const { Cell::new(false) };
}

/// The threshold-signers pallet, except that it can be told to return a broken key.
pub struct Signer;
impl ThresholdSigner<u64> for Signer {
	fn active_key(key: KeyId) -> Result<(CompressedPublicKey, ChainCode), DispatchError> {
		<ThresholdSigners as ThresholdSigner<u64>>::active_key(key)
	}
	fn claim_path(
		owner: &RequestOwner,
		key: KeyId,
		path: &[u32],
	) -> Result<CompressedPublicKey, DispatchError> {
		let real = <ThresholdSigners as ThresholdSigner<u64>>::claim_path(owner, key, path)?;
		Ok(if BROKEN_KEY.with(Cell::get) { [0u8; 33] } else { real })
	}
	fn request_signature(request: SigningRequest<'_, u64>) -> Result<RequestId, DispatchError> {
		<ThresholdSigners as ThresholdSigner<u64>>::request_signature(request)
	}
	fn cancel(owner: &RequestOwner, request: RequestId) -> DispatchResult {
		<ThresholdSigners as ThresholdSigner<u64>>::cancel(owner, request)
	}
	fn signature(request: RequestId) -> Option<[u8; 65]> {
		<ThresholdSigners as ThresholdSigner<u64>>::signature(request)
	}
	fn max_payload_len() -> u32 {
		<ThresholdSigners as ThresholdSigner<u64>>::max_payload_len()
	}
	fn cancel_weight() -> Weight {
		<ThresholdSigners as ThresholdSigner<u64>>::cancel_weight()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_active_key() -> KeyId {
		<ThresholdSigners as ThresholdSigner<u64>>::benchmark_active_key()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_signed_request(request: SigningRequest<'_, u64>) -> RequestId {
		<ThresholdSigners as ThresholdSigner<u64>>::benchmark_signed_request(request)
	}
}

impl pallet_ephemeral_addresses::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MetaAccountOrigin = pallet_meta_accounts::EnsureMetaAccount<Test, SignerRole>;
	type MetaAccounts = MetaAccounts;
	type ThresholdSigner = Signer;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type MaxAddressesPerMetaAccount = MaxAddressesPerMetaAccount;
	type MaxInFlightPerMetaAccount = MaxInFlightPerMetaAccount;
	type Activity = ();
	type WeightInfo = ();
}

/// Users 10..=12 start with 100 units, user 13 with 8. Signers 1..=3 start with nothing.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(10, 100), (11, 100), (12, 100), (13, 8)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	BROKEN_KEY.with(|b| b.set(false));
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in a fresh externality and checks every pallet's invariants afterwards.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		EphemeralAddresses::do_try_state().expect("ephemeral-addresses invariants");
		MetaAccounts::do_try_state().expect("meta-accounts invariants");
		ThresholdSigners::do_try_state().expect("threshold-signers invariants");
	});
}

/// Advances to block `n`, running the signer pallet's `on_initialize`.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		ThresholdSigners::on_initialize(next);
	}
}
