//! Runtime API implementations.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_ephemeral_addresses::AddressStatus;
use pallet_threshold_signers::{RequestStatus, SigningFailure};
use sp_api::impl_runtime_apis;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult, ExtrinsicInclusionMode,
};
use sp_version::RuntimeVersion;
use waas_runtime_api::{
	AddressStatusView, AddressView, DeriveError, MetaAccountView, RequestStateView,
	SignatureRequestView,
};

/// Answers of the WaaS runtime API, kept out of the macro for readability.
mod waas {
	use super::*;
	use pallet_meta_accounts::MetaAccountId;

	pub fn meta_account(id: [u8; 32]) -> Option<MetaAccountView<AccountId, BlockNumber>> {
		let meta = MetaAccounts::meta_account(&MetaAccountId::from(id))?;
		Some(MetaAccountView {
			id,
			authenticators: meta.authenticators.iter().map(|a| a.account.clone()).collect(),
			creator: meta.creator,
			created_at: meta.created_at,
		})
	}

	pub fn addresses(meta_account: [u8; 32]) -> Vec<AddressView<BlockNumber>> {
		let id = MetaAccountId::from(meta_account);
		EphemeralAddresses::addresses_of(&id)
			.into_iter()
			.map(|(index, info)| AddressView {
				index,
				key: info.key,
				chain: info.chain.into_inner(),
				address: info.address.into_inner(),
				path: waas_primitives::meta_account_path(&meta_account, index)
					.map(|p| p.to_vec())
					.unwrap_or_default(),
				public_key: info.public_key,
				status: match info.status {
					AddressStatus::Active => AddressStatusView::Active,
					AddressStatus::Used => AddressStatusView::Used,
					AddressStatus::Revoked => AddressStatusView::Revoked,
				},
				one_time: info.one_time,
				created_at: info.created_at,
			})
			.collect()
	}

	pub fn derive_address(
		key: u32,
		path: Vec<u32>,
		chain: Vec<u8>,
	) -> Result<Vec<u8>, DeriveError> {
		use pallet_threshold_signers::{KeyStatus, Keys};
		use waas_primitives::{CaipError, ChainFamily};
		let family = ChainFamily::from_caip2(&chain).map_err(|e| match e {
			CaipError::UnsupportedNamespace => DeriveError::UnsupportedChain,
			_ => DeriveError::InvalidChainId,
		})?;
		let info = Keys::<Runtime>::get(key).ok_or(DeriveError::UnknownKey)?;
		let (public_key, chain_code) = match (info.status, info.public_key, info.chain_code) {
			(KeyStatus::Active, Some(pk), Some(cc)) => (pk, cc),
			_ => return Err(DeriveError::KeyNotActive),
		};
		let (child, _) = waas_primitives::derive_public_key(&public_key, &chain_code, &path)
			.map_err(|_| DeriveError::InvalidPath)?;
		waas_primitives::encode_address(&family, &child).map_err(|_| DeriveError::InvalidPath)
	}

	pub fn signature_request(id: u64) -> Option<SignatureRequestView<AccountId, BlockNumber>> {
		let req = pallet_threshold_signers::SignatureRequests::<Runtime>::get(id)?;
		let members = pallet_threshold_signers::Keys::<Runtime>::get(req.key)
			.and_then(|k| pallet_threshold_signers::Committees::<Runtime>::get(k.committee))
			.map(|c| c.members.into_inner())
			.unwrap_or_default();
		let state = match req.status {
			RequestStatus::Pending { attempt, signers, deadline } => RequestStateView::Pending {
				attempt,
				signers: signers.iter().filter_map(|i| members.get(*i as usize).cloned()).collect(),
				deadline,
			},
			RequestStatus::Signed { signature, recovery_id, submitted_by, at } => {
				RequestStateView::Signed {
					signature: signature.to_vec(),
					recovery_id,
					submitted_by,
					at,
				}
			},
			RequestStatus::Failed { reason, at } => RequestStateView::Failed {
				reason: match reason {
					SigningFailure::AttemptsExhausted => b"AttemptsExhausted".to_vec(),
				},
				at,
			},
		};
		Some(SignatureRequestView {
			id,
			key: req.key,
			path: req.path.into_inner(),
			scheme: req.scheme,
			payload: req.payload.into_inner(),
			message_hash: req.message_hash,
			public_key: req.public_key,
			requester: req.requester,
			state,
		})
	}
}

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

	impl waas_runtime_api::WaasApi<Block, AccountId, BlockNumber> for Runtime {
		fn meta_account(id: [u8; 32]) -> Option<MetaAccountView<AccountId, BlockNumber>> {
			waas::meta_account(id)
		}

		fn meta_account_of(account: AccountId) -> Option<[u8; 32]> {
			pallet_meta_accounts::AuthenticatorOf::<Runtime>::get(account).map(|id| id.0)
		}

		fn addresses(meta_account: [u8; 32]) -> Vec<AddressView<BlockNumber>> {
			waas::addresses(meta_account)
		}

		fn derive_address(key: u32, path: Vec<u32>, chain: Vec<u8>) -> Result<Vec<u8>, DeriveError> {
			waas::derive_address(key, path, chain)
		}

		fn signature_request(id: u64) -> Option<SignatureRequestView<AccountId, BlockNumber>> {
			waas::signature_request(id)
		}
	}
}
