//! # WaaS Chain runtime
//!
//! FRAME runtime of WaaS Chain: System, Timestamp, Aura, Grandpa, Balances,
//! TransactionPayment, Sudo, and the WaaS pallets (Meta-Accounts, threshold signers,
//! ephemeral addresses). Runtime APIs are in [`apis`], genesis presets in
//! [`genesis_config_presets`].
//!
//! Block time: [`MILLI_SECS_PER_BLOCK`] (2 s) is the Aura slot duration, for every chain spec.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`-style macros expand to large types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

/// The pallets `waas-node benchmark pallet` measures (macros used by the `Benchmark` API).
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benches {
	frame_benchmarking::define_benchmarks!(
		[frame_system, SystemBench::<Runtime>]
		[pallet_meta_accounts, MetaAccounts]
		[pallet_threshold_signers, ThresholdSigners]
		[pallet_ephemeral_addresses, EphemeralAddresses]
		[pallet_intents, Intents]
		[pallet_audit_anchors, AuditAnchors]
	);
}

pub mod apis;
pub mod genesis_config_presets;

use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, IdentityFee, Weight,
	},
};
use frame_system::EnsureRoot;
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, Bounded, IdentifyAccount, One, Verify},
	FixedPointNumber, MultiAddress, MultiSignature, Perbill, Perquintill,
};
use sp_version::RuntimeVersion;

pub use pallet_audit_anchors;
pub use pallet_ephemeral_addresses;
pub use pallet_intents;
pub use pallet_meta_accounts;
pub use pallet_threshold_signers;

/// Block number.
pub type BlockNumber = u32;
/// Transaction signature.
pub type Signature = MultiSignature;
/// Account id: the public key of the transaction signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Transaction index of an account.
pub type Nonce = u32;
/// Block and trie hash.
pub type Hash = sp_core::H256;

/// One WAAS: 12 decimals.
pub const UNIT: Balance = 1_000_000_000_000;
/// 10^-3 WAAS.
pub const MILLI_UNIT: Balance = UNIT / 1_000;
/// 10^-6 WAAS.
pub const MICRO_UNIT: Balance = UNIT / 1_000_000;
/// Existential deposit.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Block time, and the Aura slot duration (2 s, so tests and users wait little). Changing it on
/// a live chain halts block production.
pub const MILLI_SECS_PER_BLOCK: u64 = 2_000;
/// Aura slot duration.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);

/// Types the node needs without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;

	impl_opaque_keys! {
		/// Session keys of a validator.
		pub struct SessionKeys {
			/// Aura (block production).
			pub aura: Aura,
			/// GRANDPA (finality).
			pub grandpa: Grandpa,
		}
	}
}

/// Runtime version.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("waas-runtime"),
	impl_name: alloc::borrow::Cow::Borrowed("waas-runtime"),
	authoring_version: 1,
	spec_version: 102,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// Half of each 2 s slot for execution.
	pub RuntimeBlockWeights: frame_system::limits::BlockWeights =
		frame_system::limits::BlockWeights::with_sensible_defaults(
			Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
			NORMAL_DISPATCH_RATIO,
		);
	/// 5 MiB blocks, of which 75% for normal extrinsics.
	pub RuntimeBlockLength: frame_system::limits::BlockLength =
		frame_system::limits::BlockLength::builder()
			.max_length(5 * 1024 * 1024)
			.modify_max_length_for_class(frame_support::dispatch::DispatchClass::Normal, |max| {
				*max = NORMAL_DISPATCH_RATIO * *max
			})
			.build();
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = sp_consensus_aura::sr25519::AuthorityId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type Balance = Balance;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type ReserveIdentifier = [u8; 8];
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Fees rise when blocks are more than a quarter full, and fall back when they are not.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	/// How fast the multiplier moves: a full block raises it by about 0.56 % (Polkadot's value).
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 1_000_000);
	/// Fees never drop below the calibrated weight-to-fee price.
	pub MinimumMultiplier: Multiplier = Multiplier::one();
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	/// 1 unit of balance per picosecond of weight: 1 ms of execution costs 10^-3 WAAS.
	type WeightToFee = IdentityFee<Balance>;
	/// 1 µWAAS per byte.
	type LengthToFee = ConstantMultiplier<Balance, ConstU128<MICRO_UNIT>>;
	type FeeMultiplierUpdate = TargetedFeeAdjustment<
		Self,
		TargetBlockFullness,
		AdjustmentVariable,
		MinimumMultiplier,
		MaximumMultiplier,
	>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

/// Deposit per stored item: 5 mWAAS.
pub const DEPOSIT_PER_ITEM: Balance = 5 * MILLI_UNIT;
/// Deposit per stored byte: 100 µWAAS (a 4 KiB payload holds 0.41 WAAS).
pub const DEPOSIT_PER_BYTE: Balance = 100 * MICRO_UNIT;

/// The signing fee per signer of an attempt. A signer spends about 0.8 s of one core on a
/// 2-of-3 CGGMP21 signature (BENCHMARKS.md: 1.65 s of CPU for both parties, in-process); that
/// is charged at an eighth of the chain's price for a millisecond of block execution
/// (1 mWAAS), because block execution is repeated on every validator and bounded by block
/// space, while a signer's work runs once on one machine: 800 ms × 1 mWAAS / 8 = 100 mWAAS.
pub const SIGNING_FEE_PER_SIGNER: Balance = 100 * MILLI_UNIT;

parameter_types! {
	pub const DepositPerItem: Balance = DEPOSIT_PER_ITEM;
	pub const DepositPerByte: Balance = DEPOSIT_PER_BYTE;
	pub const MaxAuthenticators: u32 = 16;
	pub const MaxPendingInvitations: u32 = 8;
	pub const MaxPendingChanges: u32 = 8;
	/// A day to accept an invitation.
	pub const InvitationLifetime: BlockNumber = 24 * 60 * MINUTES;
	/// A day in which any Owner can veto the removal of another authenticator or a role
	/// change: one stolen device cannot lock the others out within it.
	pub const ChangeDelay: BlockNumber = 24 * 60 * MINUTES;
	/// An envelope is valid for at most an hour.
	pub const MaxEnvelopeLifetime: BlockNumber = 60 * MINUTES;
	/// Passkey signatures must carry the user-verified flag (PIN or biometrics).
	pub const RequireUserVerification: bool = true;
	/// Other pallets' Meta-Account calls (addresses, signatures) need at least a Signer.
	pub const SignerRole: pallet_meta_accounts::Role = pallet_meta_accounts::Role::Signer;
}

/// The WebAuthn relying parties whose passkeys this runtime accepts. The development origin:
/// `http://localhost` on any port (browsers treat localhost as a secure context, and a dev
/// server's port changes); rp id `localhost`. A production runtime lists its own HTTPS
/// origins here, each with `any_port: false`.
pub static RELYING_PARTIES: [waas_primitives::webauthn::RelyingParty; 1] =
	[waas_primitives::webauthn::RelyingParty {
		rp_id: "localhost",
		origin: "http://localhost",
		any_port: true,
	}];

/// [`RELYING_PARTIES`] as the Meta-Accounts pallet's configuration.
pub struct RelyingParties;
impl frame_support::traits::Get<&'static [waas_primitives::webauthn::RelyingParty]>
	for RelyingParties
{
	fn get() -> &'static [waas_primitives::webauthn::RelyingParty] {
		&RELYING_PARTIES
	}
}

/// Unsigned Meta-Account transactions are priced and ordered exactly as a signed transaction
/// of the same length and weight would be.
pub struct PricedLikeSigned;
impl pallet_meta_accounts::UnsignedFee<Balance> for PricedLikeSigned {
	fn fee(len: u32, weight: Weight) -> Balance {
		TransactionPayment::compute_fee(len, &Self::info(weight), 0)
	}

	fn priority(
		len: u32,
		weight: Weight,
		fee: Balance,
	) -> sp_runtime::transaction_validity::TransactionPriority {
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::get_priority(
			&Self::info(weight),
			len as usize,
			0,
			fee,
		)
	}
}

impl PricedLikeSigned {
	fn info(weight: Weight) -> frame_support::dispatch::DispatchInfo {
		frame_support::dispatch::DispatchInfo {
			call_weight: weight,
			extension_weight: Weight::zero(),
			class: frame_support::dispatch::DispatchClass::Normal,
			pays_fee: frame_support::dispatch::Pays::Yes,
		}
	}
}

/// What an envelope may carry, by the signing authenticator's role (deny by default, like
/// pallet-proxy's `InstanceFilter`): a Signer provisions addresses and asks for signatures; an
/// Owner also manages authenticators; anyone may leave, enact a change whose delay passed, or
/// cancel an invitation. Unsigned-only and Substrate-only calls never ride in an envelope.
pub struct EnvelopeCalls;
impl pallet_meta_accounts::RoleFilter<RuntimeCall> for EnvelopeCalls {
	fn allows(role: pallet_meta_accounts::Role, call: &RuntimeCall) -> bool {
		use pallet_meta_accounts::{Call as M, Role};
		match call {
			RuntimeCall::EphemeralAddresses(_) => role.includes(Role::Signer),
			RuntimeCall::Intents(
				pallet_intents::Call::create_intent { .. }
				| pallet_intents::Call::cancel_intent { .. },
			) => role.includes(Role::Signer),
			RuntimeCall::AuditAnchors(_) => role.includes(Role::Signer),
			RuntimeCall::MetaAccounts(
				M::remove_authenticator { .. }
				| M::enact_change { .. }
				| M::cancel_invitation { .. },
			) => true,
			RuntimeCall::MetaAccounts(
				M::invite_authenticator { .. }
				| M::add_authenticator { .. }
				| M::set_role { .. }
				| M::veto_change { .. }
				| M::close_meta_account { .. },
			) => role == Role::Owner,
			_ => false,
		}
	}
}

impl pallet_meta_accounts::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeOrigin = RuntimeOrigin;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RoleFilter = EnvelopeCalls;
	type UnsignedFee = PricedLikeSigned;
	type RelyingParties = RelyingParties;
	type RequireUserVerification = RequireUserVerification;
	type DepositBase = DepositPerItem;
	type DepositPerByte = DepositPerByte;
	type MaxAuthenticators = MaxAuthenticators;
	type MaxPendingInvitations = MaxPendingInvitations;
	type MaxPendingChanges = MaxPendingChanges;
	type InvitationLifetime = InvitationLifetime;
	type ChangeDelay = ChangeDelay;
	type MaxEnvelopeLifetime = MaxEnvelopeLifetime;
	type Dependents = (EphemeralAddresses, Intents);
	type Activity = AuditAnchors;
	type WeightInfo = pallet_meta_accounts::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// A request's record without its payload takes up to ~600 bytes (path, keys, hash,
	/// signature, accounts, signer list): one item plus those bytes.
	pub const RequestDepositBase: Balance = DEPOSIT_PER_ITEM + 600 * DEPOSIT_PER_BYTE;
	pub const SigningFeePerSigner: Balance = SIGNING_FEE_PER_SIGNER;
	pub const MaxCommitteeSize: u32 = 16;
	pub const MaxEndpointLen: u32 = 128;
	pub const MaxPayloadLen: u32 = 4 * 1024;
	/// Checked equal between cggmp21 and the runtime at this depth (offchain-signer engine
	/// test).
	pub const MaxPathDepth: u32 = 8;
	/// A DKG with aux info took 35 s (17 blocks) for 3 members; aux info grows with n.
	/// 30 blocks plus 15 per member: 150 s for 3, 9 minutes for 16.
	pub const KeygenTimeoutBase: BlockNumber = 30;
	pub const KeygenTimeoutPerMember: BlockNumber = 15;
	/// 30 s (15 blocks) per signing attempt.
	pub const SigningTimeout: BlockNumber = 15;
	pub const MaxSigningAttempts: u8 = 3;
	/// Signing sessions a committee runs at once per key; the rest wait in its FIFO.
	pub const MaxAssignedPerKey: u32 = 8;
	pub const MaxQueuedPerKey: u32 = 256;
	pub const MaxAgendaPerBlock: u32 = 64;
	/// Ended requests stay readable for an hour.
	pub const RequestRetention: BlockNumber = 60 * MINUTES;
	/// Faults are recorded on the reports of at least this many members (and never fewer
	/// than the committee's threshold), counted over a day, and exclude a signer from new
	/// subsets for six hours; three recorded faults suggest its removal.
	pub const FaultQuorum: u32 = 2;
	pub const FaultWindow: BlockNumber = 24 * 60 * MINUTES;
	pub const FaultExclusion: BlockNumber = 6 * 60 * MINUTES;
	pub const FaultsForRemoval: u32 = 3;
}

impl pallet_threshold_signers::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = EnsureRoot<AccountId>;
	type PrivilegedOrigin = EnsureRoot<AccountId>;
	type OnSignatureOutcome = (EphemeralAddresses, Intents, AuditAnchors);
	type RequestDepositBase = RequestDepositBase;
	type RequestDepositPerByte = DepositPerByte;
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
	type WeightInfo = pallet_threshold_signers::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const MaxAddressesPerMetaAccount: u32 = 10_000;
	pub const MaxInFlightPerMetaAccount: u32 = 16;
}

impl pallet_ephemeral_addresses::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MetaAccountOrigin = pallet_meta_accounts::EnsureMetaAccount<Runtime, SignerRole>;
	type MetaAccounts = MetaAccounts;
	type ThresholdSigner = ThresholdSigners;
	type DepositBase = DepositPerItem;
	type DepositPerByte = DepositPerByte;
	type MaxAddressesPerMetaAccount = MaxAddressesPerMetaAccount;
	type MaxInFlightPerMetaAccount = MaxInFlightPerMetaAccount;
	type Activity = AuditAnchors;
	type WeightInfo = pallet_ephemeral_addresses::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const IntentsPalletId: frame_support::PalletId = frame_support::PalletId(*b"waas/int");
	/// Pays the payout's signature requests: up to 3 attempts of a 2-of-3 committee
	/// (0.2 WAAS each) per payout, and a retry; the request deposits come back.
	pub const SettlementCharge: Balance = UNIT;
	/// 0.1 % of `amount_in`, kept on the deposit address on release.
	pub const ProtocolFee: sp_runtime::Permill = sp_runtime::Permill::from_parts(1_000);
	pub const MinSolverBond: Balance = 100 * UNIT;
	/// A claim not filled in time costs a tenth of the bond.
	pub const SlashFraction: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(10);
	/// Half an hour to fill a claimed intent.
	pub const ClaimWindow: u64 = 30 * 60;
	/// Ten minutes before a signed payout that was not mined may be replaced.
	pub const PayoutRetryAfter: u64 = 10 * 60;
	pub const MaxPayoutAttempts: u8 = 3;
	/// A day for a late deposit to an expired intent that saw none.
	pub const ExpiredRetention: u64 = 24 * 60 * 60;
	/// At most a week from creation to fill deadline.
	pub const MaxIntentLifetime: u64 = 7 * 24 * 60 * 60;
	pub const MaxIntentsPerMetaAccount: u32 = 16;
	pub const MaxClaimsPerSolver: u32 = 64;
}

/// Sets the clock for the intents pallet's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct IntentsBenchmarkClock;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_intents::BenchmarkHelper for IntentsBenchmarkClock {
	fn set_time(secs: u64) {
		pallet_timestamp::Now::<Runtime>::put(secs * 1000);
	}
}

impl pallet_intents::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MetaAccountOrigin = pallet_meta_accounts::EnsureMetaAccount<Runtime, SignerRole>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type ThresholdSigner = ThresholdSigners;
	type Committees = ThresholdSigners;
	type Time = Timestamp;
	type PalletId = IntentsPalletId;
	type DepositBase = DepositPerItem;
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
	type WeightInfo = pallet_intents::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = IntentsBenchmarkClock;
}

/// Tree heads of a log kept on-chain (about a day of anchors every six minutes).
pub const MAX_HEADS_PER_LOG: u32 = 256;

/// The deposit of an audit log: the per-item and per-byte deposits of everything it may store
/// (its record, two index entries and `MAX_HEADS_PER_LOG` tree heads, each with its key).
pub struct LogDeposit;
impl frame_support::traits::Get<Balance> for LogDeposit {
	fn get() -> Balance {
		use codec::MaxEncodedLen;
		// A head's key: 2 × 16 (prefix) + 2 × (8 + 8) (twox64-concat log id and seq).
		let head = (pallet_audit_anchors::TreeHeadOf::<Runtime>::max_encoded_len() + 64) as Balance;
		let record =
			(pallet_audit_anchors::LogInfoOf::<Runtime>::max_encoded_len() + 48) as Balance;
		let index = 2
			* (32 + 16 + pallet_audit_anchors::LogOwnerOf::<Runtime>::max_encoded_len() + 8)
				as Balance;
		let heads = Balance::from(MAX_HEADS_PER_LOG);
		(heads + 3) * DEPOSIT_PER_ITEM + (heads * head + record + index) * DEPOSIT_PER_BYTE
	}
}

/// The deposit of a Meta-Account's activity log: one item plus the bytes of its largest state
/// (a full frontier) and key.
pub struct ActivityDeposit;
impl frame_support::traits::Get<Balance> for ActivityDeposit {
	fn get() -> Balance {
		use codec::MaxEncodedLen;
		// The key: 32 (prefix) + 16 + 32 (blake2-128-concat Meta-Account id).
		let bytes = pallet_audit_anchors::ActivityLogOf::<Runtime>::max_encoded_len() + 80;
		DEPOSIT_PER_ITEM + bytes as Balance * DEPOSIT_PER_BYTE
	}
}

parameter_types! {
	pub const MaxHeadsPerLog: u32 = MAX_HEADS_PER_LOG;
	pub const MaxLogsPerOwner: u32 = 16;
}

impl pallet_audit_anchors::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MetaAccountOrigin = pallet_meta_accounts::EnsureMetaAccount<Runtime, SignerRole>;
	type Time = Timestamp;
	type LogDeposit = LogDeposit;
	type MaxLogsPerOwner = MaxLogsPerOwner;
	type MaxHeadsPerLog = MaxHeadsPerLog;
	type ActivityDeposit = ActivityDeposit;
	type AdminOrigin = EnsureRoot<AccountId>;
	type ThresholdSigner = ThresholdSigners;
	type Committees = ThresholdSigners;
	type AnchorSink = pallet_audit_anchors::EvmAnchorSink<Runtime>;
	type WeightInfo = pallet_audit_anchors::weights::SubstrateWeight<Runtime>;
}

#[frame_support::runtime]
mod runtime {
	/// The runtime.
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(10)]
	pub type MetaAccounts = pallet_meta_accounts;
	#[runtime::pallet_index(11)]
	pub type ThresholdSigners = pallet_threshold_signers;
	#[runtime::pallet_index(12)]
	pub type EphemeralAddresses = pallet_ephemeral_addresses;
	#[runtime::pallet_index(13)]
	pub type Intents = pallet_intents;
	#[runtime::pallet_index(14)]
	pub type AuditAnchors = pallet_audit_anchors;
}

/// Address format of extrinsics.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// Transaction extensions, in order. `CheckSignerSubmission` admits signers' free,
/// operational submissions to the pool only when they would be accepted; `WeightReclaim`
/// returns unused weight to the block.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_threshold_signers::CheckSignerSubmission<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);
/// Extrinsic.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload signed by a transaction.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;
/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
>;
