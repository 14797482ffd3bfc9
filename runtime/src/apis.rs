//! Runtime API implementations.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use sp_api::impl_runtime_apis;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult, ExtrinsicInclusionMode,
};
use sp_version::RuntimeVersion;
use waas_runtime_api::{
	AddressView, AuthenticatorKey, CommitteeView, DeriveError, FeePayer, InvitationView, KeyView,
	MetaAccountView, PayloadError, Role, SignatureRequestView, SignerView, SigningPayloadView,
};

/// Answers of the WaaS runtime API, kept out of the macro for readability. Each is a thin
/// translation of pallet state into the API's view types.
mod waas {
	use super::*;
	use pallet_ephemeral_addresses::AddressStatus;
	use pallet_threshold_signers::{
		Assigned, Committees, KeyStatus, KeygenFailure, Keys, Queue, RequestStatus,
		SignatureRequests, Signers,
	};
	use waas_runtime_api::{
		AddressStatusView, KeyStatusView, KeygenFailureView, RequestStateView, MAX_PAGE,
	};
	use waas_traits::MetaAccountId;

	pub fn meta_account(id: [u8; 32]) -> Option<MetaAccountView<AccountId, Balance, BlockNumber>> {
		use waas_runtime_api::{AuthenticatorView, PasskeyView, PendingChangeView};
		let meta_account = MetaAccountId::from(id);
		let meta = MetaAccounts::meta_account(&meta_account)?;
		Some(MetaAccountView {
			id,
			creator: meta.creator,
			created_at: meta.created_at,
			sovereign_account: MetaAccounts::sovereign_account(&meta_account),
			nonce: meta.nonce,
			epoch: meta.epoch,
			authenticators: MetaAccounts::authenticators_of(&meta_account)
				.into_iter()
				.map(|(key, info)| AuthenticatorView {
					key,
					role: info.role,
					passkey: info.passkey.map(|p| PasskeyView {
						public_key: p.public_key,
						sign_count: p.sign_count,
						backup_eligible: p.backup_eligible,
						backup_state: p.backup_state,
					}),
					deposit: info.deposit,
					deposit_payer: info.deposit_payer,
					added_at: info.added_at,
				})
				.collect(),
			invitees: meta.invitees.into_inner(),
			pending_changes: MetaAccounts::pending_changes_of(&meta_account)
				.into_iter()
				.map(|(change_id, pending)| {
					let (target, new_role) = match pending.change {
						pallet_meta_accounts::Change::Remove(key) => (key, None),
						pallet_meta_accounts::Change::SetRole(key, role) => (key, Some(role)),
					};
					PendingChangeView {
						id: change_id,
						target,
						new_role,
						proposer: pending.proposer,
						enact_at: pending.enact_at,
					}
				})
				.collect(),
		})
	}

	pub fn next_meta_account(
		creator: AuthenticatorKey<AccountId>,
	) -> waas_runtime_api::NextMetaAccountView<AccountId> {
		let creation_nonce = pallet_meta_accounts::CreationNonce::<Runtime>::get(&creator);
		let id = MetaAccounts::meta_account_id(&creator, creation_nonce);
		waas_runtime_api::NextMetaAccountView {
			id: id.0,
			sovereign_account: MetaAccounts::sovereign_account(&id),
			creation_nonce,
		}
	}

	pub fn possession_payload(
		meta_account: Option<[u8; 32]>,
		creation_nonce: u32,
		role: Role,
	) -> Result<SigningPayloadView<Balance>, PayloadError> {
		use pallet_meta_accounts::PossessionTarget;
		let target = match meta_account {
			None => PossessionTarget::NewMetaAccount { creation_nonce },
			Some(id) => {
				let meta_account = MetaAccountId::from(id);
				let meta = MetaAccounts::meta_account(&meta_account)
					.ok_or(PayloadError::UnknownMetaAccount)?;
				PossessionTarget::Existing { meta_account, epoch: meta.epoch }
			},
		};
		let digest = MetaAccounts::possession_digest(&target, role);
		Ok(SigningPayloadView {
			digest,
			challenge: waas_primitives::webauthn::challenge_text(&digest).into_bytes(),
			personal_message: MetaAccounts::possession_text(&target, role, &digest),
			typed_data_hash: MetaAccounts::possession_typed_data_hash(&target, role, &digest),
			max_fee: 0,
		})
	}

	pub fn envelope_payload(
		meta_account: [u8; 32],
		authenticator: AuthenticatorKey<AccountId>,
		nonce: u64,
		valid_until: BlockNumber,
		fee_payer: FeePayer<AccountId>,
		call: Vec<u8>,
	) -> Result<SigningPayloadView<Balance>, PayloadError> {
		use codec::Decode;
		let call =
			RuntimeCall::decode(&mut &call[..]).map_err(|_| PayloadError::UndecodableCall)?;
		let envelope = pallet_meta_accounts::Envelope {
			meta_account: MetaAccountId::from(meta_account),
			authenticator,
			nonce,
			valid_until,
			fee_payer,
			call: alloc::boxed::Box::new(call),
		};
		let digest = MetaAccounts::envelope_digest(&envelope);
		Ok(SigningPayloadView {
			digest,
			challenge: waas_primitives::webauthn::challenge_text(&digest).into_bytes(),
			personal_message: MetaAccounts::envelope_text(&envelope, &digest),
			typed_data_hash: MetaAccounts::envelope_typed_data_hash(&envelope, &digest),
			max_fee: MetaAccounts::max_envelope_fee(&envelope),
		})
	}

	pub fn invitations(account: AccountId) -> Vec<InvitationView<AccountId, Balance, BlockNumber>> {
		MetaAccounts::invitations_of(&account)
			.into_iter()
			.take(MAX_PAGE as usize)
			.map(|(meta_account, i)| InvitationView {
				meta_account: meta_account.0,
				invited_by: i.invited_by,
				role: i.role,
				deposit_payer: i.deposit_payer,
				deposit: i.deposit,
				expires_at: i.expires_at,
			})
			.collect()
	}

	pub fn addresses(
		meta_account: [u8; 32],
		start: u32,
		limit: u32,
	) -> Vec<AddressView<AccountId, Balance, BlockNumber>> {
		let id = MetaAccountId::from(meta_account);
		EphemeralAddresses::addresses_of(&id, start, limit.min(MAX_PAGE))
			.into_iter()
			.map(|(index, info)| AddressView {
				index,
				key: info.key,
				chain: info.chain.into_inner(),
				address: info.address.into_inner(),
				path: EphemeralAddresses::path(&id, index).map(|p| p.to_vec()).unwrap_or_default(),
				public_key: info.public_key,
				status: match info.status {
					AddressStatus::Active => AddressStatusView::Active,
					AddressStatus::Used => AddressStatusView::Used,
				},
				one_time: info.one_time,
				in_flight: info.in_flight,
				deposit_payer: info.deposit_payer,
				deposit: info.deposit,
				created_at: info.created_at,
			})
			.collect()
	}

	pub fn derive_address(
		key: u32,
		path: Vec<u32>,
		chain: Vec<u8>,
	) -> Result<Vec<u8>, DeriveError> {
		use waas_primitives::{CaipError, ChainFamily};
		let family = ChainFamily::from_caip2(&chain).map_err(|e| match e {
			CaipError::UnsupportedNamespace => DeriveError::UnsupportedChain,
			_ => DeriveError::InvalidChainId,
		})?;
		let status = Keys::<Runtime>::get(key).ok_or(DeriveError::UnknownKey)?.status;
		let KeyStatus::Active { public_key, chain_code } = status else {
			return Err(DeriveError::KeyNotActive);
		};
		let child = ThresholdSigners::derive(&public_key, &chain_code, &path)
			.map_err(|_| DeriveError::InvalidPath)?;
		waas_primitives::encode_address(&family, &child).map_err(|_| DeriveError::InvalidPath)
	}

	fn members(key: u32, indices: &[u16]) -> Vec<AccountId> {
		ThresholdSigners::committee_of_key(key)
			.map(|c| ThresholdSigners::member_accounts(&c, indices))
			.unwrap_or_default()
	}

	pub fn signature_request(
		id: u64,
	) -> Option<SignatureRequestView<AccountId, Balance, BlockNumber>> {
		let req = SignatureRequests::<Runtime>::get(id)?;
		let state = match req.status {
			RequestStatus::Queued => RequestStateView::Queued {
				position: ThresholdSigners::queue_position(id).unwrap_or_default(),
			},
			RequestStatus::Assigned { attempt, signers, deadline } => RequestStateView::Assigned {
				attempt,
				signers: members(req.key, &signers),
				deadline,
			},
			RequestStatus::Signed { signature, recovery_id, submitted_by, at } => {
				RequestStateView::Signed { signature, recovery_id, submitted_by, at }
			},
			RequestStatus::Failed { reason, at } => RequestStateView::Failed { reason, at },
			RequestStatus::Cancelled { at } => RequestStateView::Cancelled { at },
		};
		Some(SignatureRequestView {
			id,
			owner: req.owner,
			payer: req.payer,
			key: req.key,
			path: req.path.into_inner(),
			scheme: req.scheme,
			payload: req.payload.into_inner(),
			message_hash: req.message_hash,
			public_key: req.public_key,
			deposit: req.deposit,
			fee: req.fee,
			requested_at: req.requested_at,
			state,
		})
	}

	pub fn keys(start: u32, limit: u32) -> Vec<KeyView<AccountId, BlockNumber>> {
		let end = pallet_threshold_signers::NextKeyId::<Runtime>::get()
			.min(start.saturating_add(limit.min(MAX_PAGE)));
		(start..end)
			.filter_map(|id| {
				let info = Keys::<Runtime>::get(id)?;
				let status = match info.status {
					KeyStatus::Generating { deadline } => KeyStatusView::Generating { deadline },
					KeyStatus::Active { public_key, chain_code } => {
						KeyStatusView::Active { public_key, chain_code }
					},
					KeyStatus::Failed { reason, offenders } => KeyStatusView::Failed {
						reason: match reason {
							KeygenFailure::Disagreement => KeygenFailureView::Disagreement,
							KeygenFailure::NoMajority => KeygenFailureView::NoMajority,
							KeygenFailure::Timeout => KeygenFailureView::Timeout,
						},
						offenders: offenders.into_inner(),
					},
					KeyStatus::Retired => KeyStatusView::Retired,
				};
				Some(KeyView {
					id,
					committee: info.committee,
					status,
					aux_source: info.aux_source,
					requested_at: info.requested_at,
					assigned: Assigned::<Runtime>::decode_len(id).unwrap_or(0) as u32,
					queued: Queue::<Runtime>::decode_len(id).unwrap_or(0) as u32,
				})
			})
			.collect()
	}

	pub fn committees(start: u32, limit: u32) -> Vec<CommitteeView<AccountId>> {
		let end = pallet_threshold_signers::NextCommitteeId::<Runtime>::get()
			.min(start.saturating_add(limit.min(MAX_PAGE)));
		(start..end)
			.filter_map(|id| {
				let c = Committees::<Runtime>::get(id)?;
				Some(CommitteeView {
					id,
					members: c.members.into_inner(),
					threshold: c.threshold,
					live_keys: c.live_keys,
					aux_key: c.aux_key,
				})
			})
			.collect()
	}

	pub fn signers(start_after: Option<AccountId>, limit: u32) -> Vec<SignerView<AccountId>> {
		let iter = match start_after {
			Some(a) => Signers::<Runtime>::iter_from(Signers::<Runtime>::hashed_key_for(a)),
			None => Signers::<Runtime>::iter(),
		};
		iter.take(limit.min(MAX_PAGE) as usize)
			.map(|(account, s)| SignerView {
				account,
				p2p_key: s.p2p_key,
				endpoint: s.endpoint.into_inner(),
				committees: s.committees,
				expired_attempts: s.expired_attempts,
			})
			.collect()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl frame_system_benchmarking::Config for Runtime {}

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, sp_consensus_aura::sr25519::AuthorityId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<sp_consensus_aura::sr25519::AuthorityId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			opaque::SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			opaque::SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: sp_consensus_grandpa::AuthorityId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			// The key owner proof type is `Void`: no proof can exist.
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	impl waas_runtime_api::WaasApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn meta_account(id: [u8; 32]) -> Option<MetaAccountView<AccountId, Balance, BlockNumber>> {
			waas::meta_account(id)
		}

		fn meta_account_of(account: AccountId) -> Option<[u8; 32]> {
			pallet_meta_accounts::AuthenticatorOf::<Runtime>::get(AuthenticatorKey::Substrate(account))
				.map(|id| id.0)
		}

		fn meta_account_of_authenticator(key: AuthenticatorKey<AccountId>) -> Option<[u8; 32]> {
			pallet_meta_accounts::AuthenticatorOf::<Runtime>::get(key).map(|id| id.0)
		}

		fn next_meta_account(
			creator: AuthenticatorKey<AccountId>,
		) -> waas_runtime_api::NextMetaAccountView<AccountId> {
			waas::next_meta_account(creator)
		}

		fn possession_payload(
			meta_account: Option<[u8; 32]>,
			creation_nonce: u32,
			role: Role,
		) -> Result<SigningPayloadView<Balance>, PayloadError> {
			waas::possession_payload(meta_account, creation_nonce, role)
		}

		fn envelope_payload(
			meta_account: [u8; 32],
			authenticator: AuthenticatorKey<AccountId>,
			nonce: u64,
			valid_until: BlockNumber,
			fee_payer: FeePayer<AccountId>,
			call: Vec<u8>,
		) -> Result<SigningPayloadView<Balance>, PayloadError> {
			waas::envelope_payload(meta_account, authenticator, nonce, valid_until, fee_payer, call)
		}

		fn invitations(account: AccountId) -> Vec<InvitationView<AccountId, Balance, BlockNumber>> {
			waas::invitations(account)
		}

		fn addresses(
			meta_account: [u8; 32],
			start: u32,
			limit: u32,
		) -> Vec<AddressView<AccountId, Balance, BlockNumber>> {
			waas::addresses(meta_account, start, limit)
		}

		fn derive_address(key: u32, path: Vec<u32>, chain: Vec<u8>) -> Result<Vec<u8>, DeriveError> {
			waas::derive_address(key, path, chain)
		}

		fn signature_request(
			id: u64,
		) -> Option<SignatureRequestView<AccountId, Balance, BlockNumber>> {
			waas::signature_request(id)
		}

		fn signing_fee(key: u32) -> Option<Balance> {
			ThresholdSigners::signing_fee(key)
		}

		fn request_deposit(payload_len: u32) -> Balance {
			ThresholdSigners::request_deposit(payload_len)
		}

		fn keys(start: u32, limit: u32) -> Vec<KeyView<AccountId, BlockNumber>> {
			waas::keys(start, limit)
		}

		fn committees(start: u32, limit: u32) -> Vec<CommitteeView<AccountId>> {
			waas::committees(start, limit)
		}

		fn signers(start_after: Option<AccountId>, limit: u32) -> Vec<SignerView<AccountId>> {
			waas::signers(start_after, limit)
		}

		fn assigned_requests(signer: AccountId) -> Vec<(u64, u8)> {
			ThresholdSigners::assigned_to(&signer)
		}
	}

	impl pallet_intents::runtime_api::IntentsApi<Block, AccountId, Balance> for Runtime {
		fn intent(id: pallet_intents::IntentId) -> Option<pallet_intents::IntentOf<Runtime>> {
			pallet_intents::Intents::<Runtime>::get(id)
		}

		fn intents_of(
			meta_account: [u8; 32],
			start: pallet_intents::IntentId,
			limit: u32,
		) -> Vec<(pallet_intents::IntentId, pallet_intents::IntentOf<Runtime>)> {
			Intents::intents_of(&meta_account.into(), start, limit.min(waas_runtime_api::MAX_PAGE))
		}

		fn quote(
			source_asset: Vec<u8>,
			amount_in: u128,
		) -> Result<pallet_intents::FeeQuote, pallet_intents::QuoteError> {
			Intents::quote_for(&source_asset, amount_in)
		}

		fn solver(account: AccountId) -> Option<pallet_intents::SolverOf<Runtime>> {
			pallet_intents::Solvers::<Runtime>::get(account)
		}

		fn chain(chain_id: pallet_intents::EvmChainId) -> Option<pallet_intents::ChainParams> {
			pallet_intents::Chains::<Runtime>::get(chain_id)
		}

		fn charges() -> (Balance, Balance, Balance) {
			(Intents::intent_deposit(), SettlementCharge::get(), MinSolverBond::get())
		}
	}

	impl pallet_audit_anchors::runtime_api::AuditAnchorsApi<Block, AccountId, Balance, BlockNumber>
		for Runtime
	{
		fn log(log: pallet_audit_anchors::LogId) -> Option<pallet_audit_anchors::LogInfoOf<Runtime>> {
			pallet_audit_anchors::Logs::<Runtime>::get(log)
		}

		fn logs_of(
			owner: pallet_audit_anchors::LogOwnerOf<Runtime>,
			start: pallet_audit_anchors::LogId,
			limit: u32,
		) -> Vec<pallet_audit_anchors::LogId> {
			AuditAnchors::logs_of(&owner, start, limit.min(waas_runtime_api::MAX_PAGE))
		}

		fn latest_head(
			log: pallet_audit_anchors::LogId,
		) -> Option<pallet_audit_anchors::TreeHeadOf<Runtime>> {
			pallet_audit_anchors::Logs::<Runtime>::get(log).and_then(|info| info.latest)
		}

		fn head_at(
			log: pallet_audit_anchors::LogId,
			tree_size: u64,
		) -> Option<pallet_audit_anchors::TreeHeadOf<Runtime>> {
			AuditAnchors::head_at(log, tree_size)
		}

		fn verify_inclusion(
			log: pallet_audit_anchors::LogId,
			leaf: pallet_audit_anchors::NodeHash,
			index: u64,
			tree_size: u64,
			proof: Vec<pallet_audit_anchors::NodeHash>,
		) -> Result<pallet_audit_anchors::TreeHeadOf<Runtime>, pallet_audit_anchors::VerifyError> {
			AuditAnchors::verify_inclusion(log, leaf, index, tree_size, &proof)
		}

		fn verify_consistency(
			log: pallet_audit_anchors::LogId,
			old_size: u64,
			new_size: u64,
			proof: Vec<pallet_audit_anchors::NodeHash>,
		) -> Result<(), pallet_audit_anchors::VerifyError> {
			AuditAnchors::verify_consistency(log, old_size, new_size, &proof)
		}

		fn activity_log(
			meta_account: pallet_audit_anchors::MetaAccountId,
		) -> Option<pallet_audit_anchors::ActivityLogOf<Runtime>> {
			pallet_audit_anchors::ActivityLogs::<Runtime>::get(meta_account)
		}

		fn verify_activity(
			meta_account: pallet_audit_anchors::MetaAccountId,
			leaf: pallet_audit_anchors::NodeHash,
			index: u64,
			tree_size: u64,
			proof: Vec<pallet_audit_anchors::NodeHash>,
		) -> Result<pallet_audit_anchors::ActivityLogOf<Runtime>, pallet_audit_anchors::VerifyError> {
			AuditAnchors::verify_activity(&meta_account, leaf, index, tree_size, &proof)
		}

		fn anchors_tree() -> pallet_audit_anchors::AnchorsTree {
			AuditAnchors::anchors_tree()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			(list, AllPalletsWithSystem::storage_info())
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::WhitelistedStorageKeys;
			use frame_system_benchmarking::Pallet as SystemBench;

			let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			let weight = Executive::try_runtime_upgrade(checks)
				.expect("try-runtime: the runtime upgrade failed");
			(weight, RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("try-runtime: executing the block failed")
		}
	}
}
