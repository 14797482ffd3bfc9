//! [`EvmObserver`]: the questions the intents pallet asks about EVM chains, answered from each
//! chain's JSON-RPC node, every call bounded by a timeout.

use super::{
	config::{parse_url, EvmChainConfig, EvmConfigError, MAX_EVM_CHAINS},
	fill::{check_fill, MinedTransfer, NotAFill, ObservedFill, FILL_TAG_LEN},
};
use alloy_consensus::Transaction as _;
use alloy_eips::{eip2718::Encodable2718, BlockId, BlockNumberOrTag};
use alloy_primitives::{keccak256, Address, Bytes, TxKind, B256, U256};
use alloy_provider::{
	transport::{RpcError, TransportErrorKind},
	Provider, ProviderBuilder, RootProvider,
};
use alloy_rpc_types_eth::{TransactionInput, TransactionReceipt, TransactionRequest};
use std::{collections::BTreeMap, future::IntoFuture, time::Duration};
use waas_primitives::evm_tx::{transaction_hash, TransferAsset};

/// How long one RPC call may take unless [`EvmObserver::with_timeout`] says otherwise.
pub const DEFAULT_RPC_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest signed transaction [`EvmObserver::send_raw`] broadcasts (geth's pool limit).
pub const MAX_RAW_TX_LEN: usize = 128 * 1024;
/// The selector of ERC-20 `balanceOf(address)`.
pub const ERC20_BALANCE_OF_SELECTOR: [u8; 4] = [0x70, 0xa0, 0x82, 0x31];
/// The most characters of a node's error message kept in an [`EvmError`].
const MAX_ERROR_CHARS: usize = 256;

/// Lower-case fragments of the answers nodes give to a transaction they already hold or
/// already mined: a repeated broadcast, which is not a failure.
const ALREADY_SENT: [&str; 5] =
	["already known", "known transaction", "already imported", "alreadyknown", "nonce too low"];

/// A question about an EVM chain that could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum EvmError {
	/// The chain is not configured.
	#[error("EVM chain {0} is not configured")]
	UnknownChain(u64),
	/// A call did not answer within the timeout.
	#[error("EVM chain {chain_id}: {method} timed out")]
	Timeout {
		/// The chain.
		chain_id: u64,
		/// The JSON-RPC method.
		method: &'static str,
	},
	/// The transport failed or the node answered with an error.
	#[error("EVM chain {chain_id}: {method} failed: {message}")]
	Rpc {
		/// The chain.
		chain_id: u64,
		/// The JSON-RPC method.
		method: &'static str,
		/// What went wrong (at most 256 characters of it).
		message: String,
	},
	/// The node refused a transaction for another reason than already having it.
	#[error("EVM chain {chain_id}: transaction refused: {message}")]
	Rejected {
		/// The chain.
		chain_id: u64,
		/// The node's error message (at most 256 characters of it).
		message: String,
	},
	/// The node answered something inconsistent with the question.
	#[error("EVM chain {chain_id}: bad answer to {method}: {what}")]
	BadResponse {
		/// The chain.
		chain_id: u64,
		/// The JSON-RPC method.
		method: &'static str,
		/// What was wrong with it.
		what: &'static str,
	},
	/// The chain has fewer blocks than the confirmations asked for.
	#[error("EVM chain {chain_id}: latest block {latest} is not {confirmations} blocks deep")]
	TooFewBlocks {
		/// The chain.
		chain_id: u64,
		/// The latest block number.
		latest: u64,
		/// The confirmations asked for.
		confirmations: u32,
	},
	/// A balance above `u128::MAX`.
	#[error("EVM chain {chain_id}: balance does not fit 128 bits")]
	BalanceTooLarge {
		/// The chain.
		chain_id: u64,
	},
	/// A signed transaction longer than [`MAX_RAW_TX_LEN`].
	#[error("transaction of {0} bytes; at most {MAX_RAW_TX_LEN}")]
	TxTooLong(usize),
	/// The node serves another chain than the one it is configured for.
	#[error("EVM chain {expected}: the node serves chain {actual}")]
	WrongChain {
		/// The configured chain id.
		expected: u64,
		/// The node's `eth_chainId`.
		actual: u64,
	},
}

/// Why [`EvmObserver::fill`] found no fill.
#[derive(Debug, thiserror::Error)]
pub enum FillError {
	/// The chain could not be asked.
	#[error(transparent)]
	Evm(#[from] EvmError),
	/// The transaction is mined deep enough but is not the fill.
	#[error("not a fill: {0}")]
	NotAFill(NotAFill),
}

/// One HTTP JSON-RPC provider per configured EVM chain.
#[derive(Clone, Debug)]
pub struct EvmObserver {
	chains: BTreeMap<u64, RootProvider>,
	timeout: Duration,
}

impl EvmObserver {
	/// A provider for each chain, after [`validate_chains`](super::validate_chains)'s checks.
	/// Nothing is sent until a question is asked.
	pub fn new(chains: &BTreeMap<u64, EvmChainConfig>) -> Result<EvmObserver, EvmConfigError> {
		if chains.len() > MAX_EVM_CHAINS {
			return Err(EvmConfigError::TooManyChains(chains.len()));
		}
		let mut providers = BTreeMap::new();
		for (&chain_id, chain) in chains {
			let url = parse_url(chain_id, &chain.url)?;
			let provider = ProviderBuilder::new().disable_recommended_fillers().connect_http(url);
			providers.insert(chain_id, provider);
		}
		Ok(EvmObserver { chains: providers, timeout: DEFAULT_RPC_TIMEOUT })
	}

	/// The same observer with another bound on each RPC call.
	pub fn with_timeout(mut self, timeout: Duration) -> EvmObserver {
		self.timeout = timeout;
		self
	}

	/// The configured chain ids, ascending.
	pub fn chain_ids(&self) -> impl Iterator<Item = u64> + '_ {
		self.chains.keys().copied()
	}

	/// Checks that the node of `chain_id` serves that chain (`eth_chainId`).
	pub async fn check_chain_id(&self, chain_id: u64) -> Result<(), EvmError> {
		let provider = self.provider(chain_id)?;
		let actual = self.call(chain_id, "eth_chainId", provider.get_chain_id()).await?;
		if actual != chain_id {
			return Err(EvmError::WrongChain { expected: chain_id, actual });
		}
		Ok(())
	}

	/// What `address` holds of `asset` at block `latest − confirmations`: its native balance
	/// (`eth_getBalance`) or its ERC-20 `balanceOf` (`eth_call`).
	pub async fn balance(
		&self,
		chain_id: u64,
		asset: &TransferAsset,
		address: &[u8; 20],
		confirmations: u32,
	) -> Result<u128, EvmError> {
		let provider = self.provider(chain_id)?;
		let latest = self.latest(chain_id, provider).await?;
		let at = latest.checked_sub(u64::from(confirmations)).ok_or(EvmError::TooFewBlocks {
			chain_id,
			latest,
			confirmations,
		})?;
		let block = BlockId::number(at);
		let balance = match asset {
			TransferAsset::Native => {
				let call = provider.get_balance(Address::from(*address)).block_id(block);
				self.call(chain_id, "eth_getBalance", call).await?
			},
			TransferAsset::Erc20(token) => {
				let mut data = Vec::with_capacity(4 + 32);
				data.extend_from_slice(&ERC20_BALANCE_OF_SELECTOR);
				data.extend_from_slice(&Address::from(*address).into_word().0);
				let request = TransactionRequest {
					to: Some(TxKind::Call(Address::from(*token))),
					input: TransactionInput::both(Bytes::from(data)),
					..Default::default()
				};
				let call = provider.call(request).block(block);
				let out = self.call(chain_id, "eth_call", call).await?;
				// Also what an address without code answers (no bytes): not a token.
				if out.len() != 32 {
					return Err(EvmError::BadResponse {
						chain_id,
						method: "eth_call",
						what: "balanceOf did not return one 32-byte word",
					});
				}
				U256::from_be_slice(&out)
			},
		};
		u128::try_from(balance).map_err(|_| EvmError::BalanceTooLarge { chain_id })
	}

	/// The fill `tx_hash` made of `asset` to `recipient` with `fill_tag`, once it has
	/// `confirmations` blocks on top: `None` while it is unknown, pending, not deep enough or
	/// its block is being reorganised away; [`FillError::NotAFill`] if it is mined but does
	/// not satisfy the [rules](super::fill).
	pub async fn fill(
		&self,
		chain_id: u64,
		tx_hash: &[u8; 32],
		asset: &TransferAsset,
		recipient: &[u8; 20],
		fill_tag: &[u8; FILL_TAG_LEN],
		confirmations: u32,
	) -> Result<Option<ObservedFill>, FillError> {
		let provider = self.provider(chain_id)?;
		let Some((receipt, block)) =
			self.confirmed_receipt(chain_id, tx_hash, confirmations).await?
		else {
			return Ok(None);
		};
		let hash = B256::from(*tx_hash);
		let method = "eth_getTransactionByHash";
		let Some(tx) = self.call(chain_id, method, provider.get_transaction_by_hash(hash)).await?
		else {
			return Ok(None);
		};
		if tx.block_hash != Some(block.hash) {
			return Ok(None);
		}
		// The node's word on the hash is not taken: the fields must hash to it.
		if keccak256(tx.inner.inner().encoded_2718()) != hash {
			return Err(EvmError::BadResponse {
				chain_id,
				method,
				what: "the transaction does not hash to the hash asked for",
			}
			.into());
		}
		let logs: Vec<_> =
			receipt.inner.logs().iter().filter(|log| !log.removed).map(|log| &log.inner).collect();
		let envelope = tx.inner.inner();
		let mined = MinedTransfer {
			from: tx.inner.signer(),
			to: envelope.to(),
			value: envelope.value(),
			input: envelope.input(),
			success: receipt.inner.status(),
			logs: &logs,
		};
		let amount = check_fill(&mined, asset, recipient, fill_tag).map_err(FillError::NotAFill)?;
		Ok(Some(ObservedFill { amount, timestamp: block.timestamp }))
	}

	/// The nonce of the next transaction from `address` (`eth_getTransactionCount` at the
	/// latest block).
	pub async fn next_nonce(&self, chain_id: u64, address: &[u8; 20]) -> Result<u64, EvmError> {
		let provider = self.provider(chain_id)?;
		let call = provider.get_transaction_count(Address::from(*address)).latest();
		self.call(chain_id, "eth_getTransactionCount", call).await
	}

	/// Broadcasts a signed transaction; returns its hash (keccak-256 of `signed`). A node
	/// that already holds it, or whose answer is that its nonce is used ("nonce too low": it
	/// may have been mined), counts as a success: [`mined`](Self::mined) tells the rest.
	pub async fn send_raw(&self, chain_id: u64, signed: &[u8]) -> Result<[u8; 32], EvmError> {
		if signed.len() > MAX_RAW_TX_LEN {
			return Err(EvmError::TxTooLong(signed.len()));
		}
		let provider = self.provider(chain_id)?;
		let method = "eth_sendRawTransaction";
		let hash = transaction_hash(signed);
		match tokio::time::timeout(self.timeout, provider.send_raw_transaction(signed)).await {
			Err(_) => Err(EvmError::Timeout { chain_id, method }),
			Ok(Ok(pending)) if pending.tx_hash().0 == hash => Ok(hash),
			Ok(Ok(_)) => Err(EvmError::BadResponse {
				chain_id,
				method,
				what: "the node named another transaction hash",
			}),
			Ok(Err(RpcError::ErrorResp(payload))) => {
				let message = payload.message.to_lowercase();
				if ALREADY_SENT.iter().any(|known| message.contains(known)) {
					Ok(hash)
				} else {
					Err(EvmError::Rejected { chain_id, message: truncated(&payload.message) })
				}
			},
			Ok(Err(e)) => Err(rpc_error(chain_id, method, e)),
		}
	}

	/// Whether `tx_hash` succeeded, once it has `confirmations` blocks on top: `None` while it
	/// is unknown, pending, not deep enough or its block is being reorganised away.
	pub async fn mined(
		&self,
		chain_id: u64,
		tx_hash: &[u8; 32],
		confirmations: u32,
	) -> Result<Option<bool>, EvmError> {
		let found = self.confirmed_receipt(chain_id, tx_hash, confirmations).await?;
		Ok(found.map(|(receipt, _)| receipt.inner.status()))
	}

	/// The receipt of `tx_hash` and the canonical block that holds it, once that block has
	/// `confirmations` blocks on top.
	async fn confirmed_receipt(
		&self,
		chain_id: u64,
		tx_hash: &[u8; 32],
		confirmations: u32,
	) -> Result<Option<(TransactionReceipt, MinedBlock)>, EvmError> {
		let provider = self.provider(chain_id)?;
		let hash = B256::from(*tx_hash);
		let method = "eth_getTransactionReceipt";
		let Some(receipt) =
			self.call(chain_id, method, provider.get_transaction_receipt(hash)).await?
		else {
			return Ok(None);
		};
		if receipt.transaction_hash != hash {
			return Err(EvmError::BadResponse {
				chain_id,
				method,
				what: "a receipt of another transaction",
			});
		}
		let (Some(number), Some(block_hash)) = (receipt.block_number, receipt.block_hash) else {
			return Ok(None);
		};
		let latest = self.latest(chain_id, provider).await?;
		if latest.checked_sub(number).is_none_or(|on_top| on_top < u64::from(confirmations)) {
			return Ok(None);
		}
		let call = provider.get_block_by_number(BlockNumberOrTag::Number(number));
		let Some(block) = self.call(chain_id, "eth_getBlockByNumber", call).await? else {
			return Ok(None);
		};
		// Another block at that height: the receipt's block is being reorganised away.
		if block.header.hash != block_hash || block.header.inner.number != number {
			return Ok(None);
		}
		let mined = MinedBlock { hash: block_hash, timestamp: block.header.inner.timestamp };
		Ok(Some((receipt, mined)))
	}

	/// The latest block number.
	async fn latest(&self, chain_id: u64, provider: &RootProvider) -> Result<u64, EvmError> {
		self.call(chain_id, "eth_blockNumber", provider.get_block_number()).await
	}

	fn provider(&self, chain_id: u64) -> Result<&RootProvider, EvmError> {
		self.chains.get(&chain_id).ok_or(EvmError::UnknownChain(chain_id))
	}

	/// Runs one RPC call within the timeout.
	async fn call<T, C>(&self, chain_id: u64, method: &'static str, call: C) -> Result<T, EvmError>
	where
		C: IntoFuture<Output = Result<T, RpcError<TransportErrorKind>>>,
	{
		match tokio::time::timeout(self.timeout, call.into_future()).await {
			Err(_) => Err(EvmError::Timeout { chain_id, method }),
			Ok(result) => result.map_err(|e| rpc_error(chain_id, method, e)),
		}
	}
}

/// The block that holds a transaction.
#[derive(Clone, Copy, Debug)]
struct MinedBlock {
	hash: B256,
	timestamp: u64,
}

fn rpc_error(chain_id: u64, method: &'static str, e: RpcError<TransportErrorKind>) -> EvmError {
	EvmError::Rpc { chain_id, method, message: truncated(&e.to_string()) }
}

/// At most [`MAX_ERROR_CHARS`] characters of `text`.
fn truncated(text: &str) -> String {
	text.chars().take(MAX_ERROR_CHARS).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn observer(urls: &[(u64, &str)]) -> Result<EvmObserver, EvmConfigError> {
		let chains = urls.iter().map(|&(id, url)| (id, EvmChainConfig { url: url.into() }));
		EvmObserver::new(&chains.collect())
	}

	#[test]
	fn the_balance_of_selector_is_the_hash_of_the_signature() {
		assert_eq!(keccak256(b"balanceOf(address)")[..4], ERC20_BALANCE_OF_SELECTOR);
	}

	#[test]
	fn construction_validates_the_chains() {
		let ok = observer(&[(1, "http://127.0.0.1:1"), (5, "http://rpc.example")]).unwrap();
		assert_eq!(ok.chain_ids().collect::<Vec<_>>(), vec![1, 5]);
		assert!(matches!(observer(&[(1, "ws://a")]), Err(EvmConfigError::BadScheme { .. })));
		assert!(matches!(observer(&[(1, "https://a")]), Err(EvmConfigError::BadScheme { .. })));
		assert!(matches!(observer(&[(0, "http://a")]), Err(EvmConfigError::ZeroChainId)));
	}

	#[tokio::test]
	async fn unknown_chains_oversized_transactions_and_dead_nodes_are_typed_errors() {
		// Port 1 on loopback: nothing listens, the connection is refused at once.
		let observer = observer(&[(1, "http://127.0.0.1:1")]).unwrap();
		assert!(matches!(observer.next_nonce(2, &[0; 20]).await, Err(EvmError::UnknownChain(2))));
		let long = vec![0; MAX_RAW_TX_LEN + 1];
		assert!(matches!(observer.send_raw(1, &long).await, Err(EvmError::TxTooLong(_))));
		let err = observer.next_nonce(1, &[0; 20]).await.unwrap_err();
		assert!(
			matches!(err, EvmError::Rpc { chain_id: 1, method: "eth_getTransactionCount", .. }),
			"{err}"
		);
		let fill = observer.fill(1, &[0; 32], &TransferAsset::Native, &[0; 20], &[0; 32], 0);
		assert!(matches!(fill.await, Err(FillError::Evm(EvmError::Rpc { .. }))));
	}

	#[tokio::test]
	async fn a_node_that_does_not_answer_times_out() {
		// Accepts connections and never answers.
		let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
		let port = listener.local_addr().unwrap().port();
		let server = tokio::spawn(async move {
			let mut held = Vec::new();
			while let Ok((socket, _)) = listener.accept().await {
				held.push(socket);
			}
		});
		let observer = observer(&[(7, &format!("http://127.0.0.1:{port}"))])
			.unwrap()
			.with_timeout(Duration::from_millis(300));
		let started = std::time::Instant::now();
		let err = observer.mined(7, &[1; 32], 0).await.unwrap_err();
		assert!(matches!(err, EvmError::Timeout { chain_id: 7, .. }), "{err}");
		assert!(started.elapsed() < Duration::from_secs(5));
		server.abort();
	}
}
