//! The EVM observer against a real anvil node (the `@foundry-rs/anvil` npm package that
//! `tests/js` installs; `WAAS_ANVIL` names another binary): balances at a confirmation depth,
//! native and ERC-20 fills (and transfers that are not the fill), repeated broadcasts and
//! mined payouts. Each test starts its own anvil on a free loopback port and kills it at the
//! end. Transactions are signed here with k256 from anvil's first dev account.

use alloy_consensus::{SignableTransaction, TxEip1559};
use alloy_primitives::{Address, TxKind, U256, U64};
use alloy_provider::{Provider, ProviderBuilder, RootProvider};
use k256::ecdsa::SigningKey;
use std::{
	collections::BTreeMap,
	future::IntoFuture,
	io::{BufRead, BufReader},
	path::PathBuf,
	process::{Child, Command, Stdio},
	sync::mpsc,
	time::Duration,
};
use waas_primitives::evm_tx::{erc20_transfer_calldata, TransferAsset};
use waas_signer::evm::{EvmChainConfig, EvmError, EvmObserver, FillError, NotAFill, ObservedFill};

const CHAIN_ID: u64 = 31337;
/// anvil's first dev account (the well-known mnemonic's first key; 10,000 ETH at genesis).
const DEV_KEY: [u8; 32] =
	alloy_primitives::hex!("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const DEV_ADDRESS: [u8; 20] = alloy_primitives::hex!("f39fd6e51aad88f6f4ce6ab8827279cfffb92266");
const RECIPIENT: [u8; 20] = [0x5a; 20];
const OTHER: [u8; 20] = [0x6b; 20];
const TAG: [u8; 32] = [0x7c; 32];
/// How long anvil may take to listen.
const START_LIMIT: Duration = Duration::from_secs(20);
/// How long any one step of a test may take.
const STEP_LIMIT: Duration = Duration::from_secs(30);

/// The anvil binary: `WAAS_ANVIL`, or the platform package `tests/js` installs.
fn anvil_binary() -> PathBuf {
	if let Some(path) = std::env::var_os("WAAS_ANVIL") {
		return path.into();
	}
	let arch = match std::env::consts::ARCH {
		"x86_64" => "amd64",
		"aarch64" => "arm64",
		other => other,
	};
	let package = format!("anvil-{}-{arch}", std::env::consts::OS);
	PathBuf::from(env!("CARGO_MANIFEST_DIR"))
		.join("../tests/js/node_modules/@foundry-rs")
		.join(package)
		.join("bin/anvil")
}

/// A running anvil, killed on drop.
struct Anvil {
	child: Child,
	url: String,
}

impl Anvil {
	/// Starts anvil on a free loopback port (`--port 0`; the port is read from its
	/// "Listening on" line) and waits, at most [`START_LIMIT`], until it listens.
	fn start() -> Anvil {
		let binary = anvil_binary();
		assert!(
			binary.is_file(),
			"anvil not found at {}: run `npm ci` in tests/js (it installs @foundry-rs/anvil), \
			 or set WAAS_ANVIL to an anvil binary",
			binary.display()
		);
		let mut child = Command::new(&binary)
			.args(["--host", "127.0.0.1", "--port", "0", "--chain-id", "31337"])
			.stdin(Stdio::null())
			.stdout(Stdio::piped())
			.stderr(Stdio::null())
			.spawn()
			.unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
		let stdout = child.stdout.take().expect("piped stdout");
		let (tx, rx) = mpsc::channel();
		// Reads anvil's output to its end (a full pipe would stall it), reporting the port.
		std::thread::spawn(move || {
			for line in BufReader::new(stdout).lines() {
				let Ok(line) = line else { break };
				if let Some(addr) = line.trim().strip_prefix("Listening on ") {
					let _ = tx.send(addr.to_string());
				}
			}
		});
		let mut anvil = Anvil { child, url: String::new() };
		match rx.recv_timeout(START_LIMIT) {
			Ok(addr) => anvil.url = format!("http://{addr}"),
			Err(mpsc::RecvTimeoutError::Timeout) => {
				panic!("anvil did not listen within {START_LIMIT:?}")
			},
			Err(mpsc::RecvTimeoutError::Disconnected) => panic!("anvil exited before it listened"),
		}
		anvil
	}

	fn observer(&self) -> EvmObserver {
		let chains = BTreeMap::from([(CHAIN_ID, EvmChainConfig { url: self.url.clone() })]);
		EvmObserver::new(&chains).expect("valid config")
	}

	fn provider(&self) -> RootProvider {
		ProviderBuilder::new().disable_recommended_fillers().connect_http(self.url.parse().unwrap())
	}
}

impl Drop for Anvil {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// `future`, or a panic after [`STEP_LIMIT`].
async fn within<T>(what: &str, future: impl IntoFuture<Output = T>) -> T {
	tokio::time::timeout(STEP_LIMIT, future.into_future())
		.await
		.unwrap_or_else(|_| panic!("{what} took over {STEP_LIMIT:?}"))
}

/// Test access to anvil: signing, sending and mining.
struct Node {
	anvil: Anvil,
	observer: EvmObserver,
	provider: RootProvider,
	key: SigningKey,
}

impl Node {
	fn start() -> Node {
		let anvil = Anvil::start();
		let observer = anvil.observer();
		let provider = anvil.provider();
		let key = SigningKey::from_slice(&DEV_KEY).expect("dev key");
		Node { anvil, observer, provider, key }
	}

	/// Signs an EIP-1559 transaction from the dev account with the next nonce.
	async fn sign(&self, to: TxKind, value: u128, input: Vec<u8>, gas_limit: u64) -> Vec<u8> {
		let nonce =
			within("nonce", self.observer.next_nonce(CHAIN_ID, &DEV_ADDRESS)).await.expect("nonce");
		self.sign_with_nonce(nonce, to, value, input, gas_limit)
	}

	fn sign_with_nonce(
		&self,
		nonce: u64,
		to: TxKind,
		value: u128,
		input: Vec<u8>,
		gas_limit: u64,
	) -> Vec<u8> {
		let tx = TxEip1559 {
			chain_id: CHAIN_ID,
			nonce,
			gas_limit,
			max_fee_per_gas: 100_000_000_000,
			max_priority_fee_per_gas: 1_000_000_000,
			to,
			value: U256::from(value),
			access_list: Default::default(),
			input: input.into(),
		};
		let (sig, recid) =
			self.key.sign_prehash_recoverable(tx.signature_hash().as_slice()).expect("sign");
		let (r, s) = sig.split_bytes();
		let signature = alloy_primitives::Signature::new(
			U256::from_be_slice(&r),
			U256::from_be_slice(&s),
			recid.is_y_odd(),
		);
		let mut out = Vec::new();
		tx.into_signed(signature).eip2718_encode(&mut out);
		out
	}

	/// Signs and broadcasts; returns the hash without waiting.
	async fn broadcast(&self, to: TxKind, value: u128, input: Vec<u8>, gas_limit: u64) -> [u8; 32] {
		let signed = self.sign(to, value, input, gas_limit).await;
		within("send", self.observer.send_raw(CHAIN_ID, &signed)).await.expect("send_raw")
	}

	/// Signs, broadcasts and waits until anvil mined it (automine answers before it mines).
	async fn send(&self, to: TxKind, value: u128, input: Vec<u8>, gas_limit: u64) -> [u8; 32] {
		let hash = self.broadcast(to, value, input, gas_limit).await;
		self.wait_mined(&hash).await;
		hash
	}

	/// Waits, at most [`STEP_LIMIT`], until `hash` is mined.
	async fn wait_mined(&self, hash: &[u8; 32]) {
		let poll = async {
			while self.observer.mined(CHAIN_ID, hash, 0).await.expect("mined").is_none() {
				tokio::time::sleep(Duration::from_millis(20)).await;
			}
		};
		within("mining", poll).await
	}

	/// A native transfer from the dev account.
	async fn pay(&self, to: [u8; 20], value: u128, input: &[u8]) -> [u8; 32] {
		self.send(TxKind::Call(to.into()), value, input.to_vec(), 50_000).await
	}

	/// Mines `n` empty blocks.
	async fn mine(&self, n: u64) {
		let call = self.provider.raw_request::<_, serde_json::Value>(
			"anvil_mine".into(),
			(Some(U64::from(n)), None::<U64>),
		);
		within("anvil_mine", call).await.expect("anvil_mine");
	}

	async fn block_number(&self) -> u64 {
		within("eth_blockNumber", self.provider.get_block_number()).await.expect("block number")
	}

	/// The next block's timestamp.
	async fn set_next_timestamp(&self, seconds: u64) {
		let call = self
			.provider
			.raw_request::<_, serde_json::Value>("evm_setNextBlockTimestamp".into(), (seconds,));
		within("evm_setNextBlockTimestamp", call).await.expect("set timestamp");
	}

	async fn set_automine(&self, on: bool) {
		let call =
			self.provider.raw_request::<_, serde_json::Value>("evm_setAutomine".into(), (on,));
		within("evm_setAutomine", call).await.expect("set automine");
	}

	async fn fill(
		&self,
		hash: &[u8; 32],
		asset: &TransferAsset,
		recipient: &[u8; 20],
		confirmations: u32,
	) -> Result<Option<ObservedFill>, FillError> {
		let call = self.observer.fill(CHAIN_ID, hash, asset, recipient, &TAG, confirmations);
		within("fill", call).await
	}

	/// [`fill`](Self::fill) of the native coin to [`RECIPIENT`].
	async fn native_fill(
		&self,
		hash: [u8; 32],
		confirmations: u32,
	) -> Result<Option<ObservedFill>, FillError> {
		self.fill(&hash, &TransferAsset::Native, &RECIPIENT, confirmations).await
	}

	async fn balance(&self, asset: &TransferAsset, address: &[u8; 20], confirmations: u32) -> u128 {
		within("balance", self.observer.balance(CHAIN_ID, asset, address, confirmations))
			.await
			.expect("balance")
	}

	/// Deploys `TestToken` from the committed fixture; returns its address.
	async fn deploy_token(&self) -> [u8; 20] {
		let fixture: serde_json::Value =
			serde_json::from_str(include_str!("fixtures/TestToken.json")).expect("fixture");
		let code = fixture["bytecode"].as_str().expect("bytecode").trim_start_matches("0x");
		let code = hex::decode(code).expect("hex bytecode");
		let nonce =
			within("nonce", self.observer.next_nonce(CHAIN_ID, &DEV_ADDRESS)).await.expect("nonce");
		let signed = self.sign_with_nonce(nonce, TxKind::Create, 0, code, 1_000_000);
		let hash = within("deploy", self.observer.send_raw(CHAIN_ID, &signed)).await.unwrap();
		self.wait_mined(&hash).await;
		assert_eq!(
			within("mined", self.observer.mined(CHAIN_ID, &hash, 0)).await.unwrap(),
			Some(true),
			"deployed"
		);
		Address::from(DEV_ADDRESS).create(nonce).0 .0
	}
}

fn not_a_fill(result: Result<Option<ObservedFill>, FillError>) -> NotAFill {
	match result {
		Err(FillError::NotAFill(reason)) => reason,
		other => panic!("expected NotAFill, got {other:?}"),
	}
}

#[tokio::test]
async fn native_balance_counts_a_transfer_only_at_the_confirmation_depth() {
	let node = Node::start();
	within("chain id", node.observer.check_chain_id(CHAIN_ID)).await.expect("chain id");
	let native = TransferAsset::Native;
	assert_eq!(node.balance(&native, &RECIPIENT, 0).await, 0);
	assert!(
		node.balance(&native, &DEV_ADDRESS, 0).await > 9_000 * 10u128.pow(18),
		"the dev account's genesis coins"
	);

	node.mine(5).await;
	node.pay(RECIPIENT, 1_000, &[]).await;
	assert_eq!(node.balance(&native, &RECIPIENT, 0).await, 1_000, "at the latest block");
	assert_eq!(node.balance(&native, &RECIPIENT, 2).await, 0, "not yet 2 blocks on top");
	node.mine(1).await;
	assert_eq!(node.balance(&native, &RECIPIENT, 2).await, 0, "1 block on top");
	node.mine(1).await;
	assert_eq!(node.balance(&native, &RECIPIENT, 2).await, 1_000, "2 blocks on top");

	// More confirmations than blocks: no block is deep enough.
	let latest = node.block_number().await;
	let deep = u32::try_from(latest + 1).unwrap();
	let err = within("balance", node.observer.balance(CHAIN_ID, &native, &RECIPIENT, deep))
		.await
		.unwrap_err();
	assert!(matches!(err, EvmError::TooFewBlocks { chain_id: CHAIN_ID, .. }), "{err}");
	// A balance over 128 bits is an error, not a truncated number.
	let huge = U256::from(u128::MAX) + U256::from(1);
	let call = node.provider.raw_request::<_, serde_json::Value>(
		"anvil_setBalance".into(),
		(Address::from(OTHER), huge),
	);
	within("anvil_setBalance", call).await.expect("set balance");
	let err =
		within("balance", node.observer.balance(CHAIN_ID, &native, &OTHER, 0)).await.unwrap_err();
	assert!(matches!(err, EvmError::BalanceTooLarge { chain_id: CHAIN_ID }), "{err}");
	// A token address without code answers no bytes to balanceOf: not a balance.
	let err = within(
		"balance",
		node.observer.balance(CHAIN_ID, &TransferAsset::Erc20(OTHER), &RECIPIENT, 0),
	)
	.await
	.unwrap_err();
	assert!(matches!(err, EvmError::BadResponse { method: "eth_call", .. }), "{err}");

	// An observer pointed at this node for another chain id is told so.
	let wrong =
		EvmObserver::new(&BTreeMap::from([(1, EvmChainConfig { url: node.anvil.url.clone() })]))
			.unwrap();
	let err = within("chain id", wrong.check_chain_id(1)).await.unwrap_err();
	assert!(matches!(err, EvmError::WrongChain { expected: 1, actual: CHAIN_ID }), "{err}");
}

#[tokio::test]
async fn a_native_fill_is_observed_with_its_amount_and_block_timestamp() {
	let node = Node::start();
	assert_eq!(node.native_fill([0xee; 32], 0).await.unwrap(), None, "unknown transaction");
	assert_eq!(within("mined", node.observer.mined(CHAIN_ID, &[0xee; 32], 0)).await.unwrap(), None);

	let latest = within("block", node.provider.get_block_by_number(Default::default()))
		.await
		.unwrap()
		.expect("latest block");
	let timestamp = latest.header.inner.timestamp + 1_000;
	node.set_next_timestamp(timestamp).await;
	let hash = node.pay(RECIPIENT, 123_456_789, &TAG).await;

	let fill = ObservedFill { amount: 123_456_789, timestamp };
	assert_eq!(node.native_fill(hash, 0).await.unwrap(), Some(fill));
	assert_eq!(node.native_fill(hash, 3).await.unwrap(), None, "not 3 blocks on top yet");
	let mined = |confirmations| node.observer.mined(CHAIN_ID, &hash, confirmations);
	assert_eq!(within("mined", mined(3)).await.unwrap(), None);
	node.mine(2).await;
	assert_eq!(node.native_fill(hash, 3).await.unwrap(), None, "2 blocks on top");
	node.mine(1).await;
	assert_eq!(node.native_fill(hash, 3).await.unwrap(), Some(fill), "3 blocks on top");
	assert_eq!(within("mined", mined(3)).await.unwrap(), Some(true));

	// The same transaction checked as a fill of something else is not one.
	let as_token = node.fill(&hash, &TransferAsset::Erc20(RECIPIENT), &RECIPIENT, 0).await;
	assert_eq!(not_a_fill(as_token), NotAFill::NotATransfer);
	let elsewhere = node.fill(&hash, &TransferAsset::Native, &OTHER, 0).await;
	assert_eq!(not_a_fill(elsewhere), NotAFill::WrongRecipient);

	// A transaction still in the pool is not mined.
	node.set_automine(false).await;
	let pending = node.broadcast(TxKind::Call(RECIPIENT.into()), 5, TAG.to_vec(), 50_000).await;
	assert_eq!(node.native_fill(pending, 0).await.unwrap(), None, "pending");
	assert_eq!(within("mined", node.observer.mined(CHAIN_ID, &pending, 0)).await.unwrap(), None);
	node.mine(1).await;
	assert_eq!(node.native_fill(pending, 0).await.unwrap().map(|f| f.amount), Some(5));
}

#[tokio::test]
async fn native_transfers_that_are_not_the_fill_say_why() {
	let node = Node::start();
	let token = node.deploy_token().await;

	let untagged = node.pay(RECIPIENT, 10, &[]).await;
	assert_eq!(not_a_fill(node.native_fill(untagged, 0).await), NotAFill::MissingTag);
	let wrong_tag = node.pay(RECIPIENT, 10, &[0x7d; 32]).await;
	assert_eq!(not_a_fill(node.native_fill(wrong_tag, 0).await), NotAFill::WrongTag);
	let longer = node.pay(RECIPIENT, 10, &[&TAG[..], &[0]].concat()).await;
	assert_eq!(not_a_fill(node.native_fill(longer, 0).await), NotAFill::TrailingData);
	let other = node.pay(OTHER, 10, &TAG).await;
	assert_eq!(not_a_fill(node.native_fill(other, 0).await), NotAFill::WrongRecipient);

	// Coins sent to the token (no receive function) revert: the recipient got nothing.
	let reverted = node.send(TxKind::Call(token.into()), 10, TAG.to_vec(), 100_000).await;
	assert_eq!(
		within("mined", node.observer.mined(CHAIN_ID, &reverted, 0)).await.unwrap(),
		Some(false)
	);
	let result = node.fill(&reverted, &TransferAsset::Native, &token, 0).await;
	assert_eq!(not_a_fill(result), NotAFill::Reverted);
	assert_eq!(node.balance(&TransferAsset::Native, &token, 0).await, 0);

	// Not a fill, whatever the depth asked for once it is deep enough; before that, nothing.
	assert_eq!(node.native_fill(other, 1000).await.unwrap(), None);
}

#[tokio::test]
async fn the_same_transaction_sent_twice_succeeds_both_times() {
	let node = Node::start();
	let before = within("nonce", node.observer.next_nonce(CHAIN_ID, &DEV_ADDRESS)).await.unwrap();
	assert_eq!(before, 0);

	// Mined: the second broadcast meets a used nonce.
	let signed = node.sign(TxKind::Call(RECIPIENT.into()), 1, Vec::new(), 21_000).await;
	let first = within("send", node.observer.send_raw(CHAIN_ID, &signed)).await.unwrap();
	assert_eq!(first, waas_primitives::evm_tx::transaction_hash(&signed));
	node.wait_mined(&first).await;
	let again = within("send", node.observer.send_raw(CHAIN_ID, &signed)).await;
	assert_eq!(again.unwrap(), first, "mined already");
	assert_eq!(within("nonce", node.observer.next_nonce(CHAIN_ID, &DEV_ADDRESS)).await.unwrap(), 1);

	// Still in the pool: the second broadcast meets the same transaction.
	node.set_automine(false).await;
	let signed = node.sign(TxKind::Call(RECIPIENT.into()), 2, Vec::new(), 21_000).await;
	let first = within("send", node.observer.send_raw(CHAIN_ID, &signed)).await.unwrap();
	let again = within("send", node.observer.send_raw(CHAIN_ID, &signed)).await;
	assert_eq!(again.unwrap(), first, "in the pool already");
	node.mine(1).await;
	assert_eq!(
		within("mined", node.observer.mined(CHAIN_ID, &first, 0)).await.unwrap(),
		Some(true)
	);

	// A transaction the node refuses is an error, with the node's reason.
	let broke = node
		.sign(TxKind::Call(RECIPIENT.into()), u128::from(u64::MAX) * 1_000_000, Vec::new(), 21_000)
		.await;
	let err = within("send", node.observer.send_raw(CHAIN_ID, &broke)).await.unwrap_err();
	assert!(matches!(err, EvmError::Rejected { chain_id: CHAIN_ID, .. }), "{err}");
	let err = within("send", node.observer.send_raw(CHAIN_ID, b"\x02not rlp")).await.unwrap_err();
	assert!(matches!(err, EvmError::Rejected { .. }), "{err}");
}

#[tokio::test]
async fn erc20_balances_and_fills() {
	let node = Node::start();
	let token = node.deploy_token().await;
	let asset = TransferAsset::Erc20(token);
	let supply = 1_000_000 * 10u128.pow(18);
	assert_eq!(node.balance(&asset, &DEV_ADDRESS, 0).await, supply);
	assert_eq!(node.balance(&asset, &RECIPIENT, 0).await, 0);

	let transfer = |to: [u8; 20], amount: u128, tag: &[u8]| {
		let input = [&erc20_transfer_calldata(&to, amount)[..], tag].concat();
		node.send(TxKind::Call(token.into()), 0, input, 100_000)
	};
	let hash = transfer(RECIPIENT, 4_000, &TAG).await;
	assert_eq!(node.balance(&asset, &RECIPIENT, 0).await, 4_000);
	assert_eq!(node.balance(&asset, &RECIPIENT, 1).await, 0, "not 1 block on top yet");
	assert_eq!(node.fill(&hash, &asset, &RECIPIENT, 1).await.unwrap(), None);
	node.mine(1).await;
	assert_eq!(node.balance(&asset, &RECIPIENT, 1).await, 4_000);
	let timestamp = within("block", node.provider.get_block_by_number(Default::default()))
		.await
		.unwrap()
		.expect("latest")
		.header
		.inner
		.timestamp;
	let fill = node.fill(&hash, &asset, &RECIPIENT, 1).await.unwrap().expect("a fill");
	assert_eq!(fill.amount, 4_000);
	assert!(fill.timestamp <= timestamp && fill.timestamp + 60 > timestamp, "{fill:?}");

	// Checked as a native fill, or of another token, it is not one.
	assert_eq!(
		not_a_fill(node.fill(&hash, &TransferAsset::Native, &RECIPIENT, 0).await),
		NotAFill::WrongRecipient
	);
	let other_token = TransferAsset::Erc20(OTHER);
	assert_eq!(
		not_a_fill(node.fill(&hash, &other_token, &RECIPIENT, 0).await),
		NotAFill::WrongToken
	);

	let elsewhere = transfer(OTHER, 4_000, &TAG).await;
	assert_eq!(
		not_a_fill(node.fill(&elsewhere, &asset, &RECIPIENT, 0).await),
		NotAFill::WrongRecipient
	);
	let untagged = transfer(RECIPIENT, 4_000, &[]).await;
	assert_eq!(not_a_fill(node.fill(&untagged, &asset, &RECIPIENT, 0).await), NotAFill::MissingTag);
	let wrong_tag = transfer(RECIPIENT, 4_000, &[0x7d; 32]).await;
	assert_eq!(not_a_fill(node.fill(&wrong_tag, &asset, &RECIPIENT, 0).await), NotAFill::WrongTag);
	// More than the sender holds: the token reverts.
	let too_much = transfer(RECIPIENT, supply + 1, &TAG).await;
	assert_eq!(not_a_fill(node.fill(&too_much, &asset, &RECIPIENT, 0).await), NotAFill::Reverted);
	assert_eq!(node.balance(&asset, &RECIPIENT, 0).await, 12_000, "three transfers to it landed");
}
