//! The node's RPC extensions: system (account nonce), transaction payment, `waas_*` and the
//! audit anchors' `waas_*` methods.

use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use std::sync::Arc;
use waas_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Nonce};

/// What the RPC extensions need.
pub struct FullDeps<C, P> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// Reads the node's offchain index (the Meta-Accounts' activity entries).
	pub offchain: Option<waas_rpc::audit::OffchainReader>,
}

/// Builds the RPC module with the node's extensions.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ waas_runtime_api::WaasApi<Block, AccountId, Balance, BlockNumber>
		+ pallet_audit_anchors::runtime_api::AuditAnchorsApi<Block, AccountId, Balance, BlockNumber>
		+ BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};
	use waas_rpc::{
		audit::{Audit, AuditApiServer},
		Waas, WaasApiServer,
	};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, offchain } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Waas::<_, _, Balance>::new(client.clone()).into_rpc())?;
	module.merge(Audit::<_, _, Balance>::new(client, offchain).into_rpc())?;
	Ok(module)
}
