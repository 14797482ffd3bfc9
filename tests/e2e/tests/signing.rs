//! The real `waas-node --dev` driven through subxt: a committee key made Active through the
//! keygen calls (reporting a test-only key), a Meta-Account, an EVM address derived on-chain,
//! then signature requests: a signature by the test key for the derived path is accepted, a
//! wrong one is rejected, and a request nobody signs is re-assigned and finally fails.

use std::time::{Duration, Instant};
use subxt_signer::sr25519::dev;
use waas_e2e::{
	flows::{
		activate_test_key, error_index, independent_evm_address, keypair_of,
		meta_account_with_address, request_signature, submit, TEST_KEY_SEED, TX_TIMEOUT as TIMEOUT,
	},
	waas::{self, threshold_signers::events as signer_events},
	TestNode,
};
use waas_primitives::testing::TestKey;

const PAYLOAD: &[u8] = b"{\"to\":\"0x00000000000000000000000000000000000000aa\",\"value\":1}";

#[tokio::test(flavor = "multi_thread")]
async fn valid_signature_accepted_and_wrong_one_rejected() {
	let node = TestNode::start_dev(TIMEOUT);
	let client = node.client().await;
	let key = TestKey::from_seed(TEST_KEY_SEED);
	activate_test_key(&client, &key).await;
	let (meta, address) = meta_account_with_address(&client, &dev::eve(), 0).await;

	// The runtime API derives the same address for the Meta-Account's path
	// [1, m0, m1, m2, 0] (namespace 1: Meta-Account addresses).
	let path = waas_primitives::meta_account_path(&meta, 0).unwrap().to_vec();
	assert_eq!(path[0], waas_primitives::namespace::META_ACCOUNT_ADDRESSES);
	let at = client.at_current_block().await.unwrap();
	let derived = at
		.runtime_apis()
		.call(waas::runtime_apis().waas_api().derive_address(0, path.clone(), b"eip155:1".to_vec()))
		.await
		.unwrap()
		.expect("derivable");
	assert_eq!(String::from_utf8(derived).unwrap(), address);

	let requested = request_signature(&client, &dev::eve(), PAYLOAD).await;
	assert_eq!(requested.attempt, 0);
	assert_eq!(requested.signers.0.len(), 2);
	let signer = keypair_of(&requested.signers.0[0]);

	// A signature over another message never reaches a block: the pool refuses it with the
	// index of the pallet's `InvalidSignature` error.
	let (bad_sig, bad_rid) = key.sign(&path, waas_primitives::HashScheme::Keccak256, b"other");
	let bad = waas::transactions().threshold_signers().submit_signature(
		requested.request,
		bad_sig,
		bad_rid,
	);
	let err = submit(&client, &bad, &signer).await.expect_err("wrong signature must fail");
	let code = error_index(&client, "ThresholdSigners", "InvalidSignature").await;
	assert!(err.contains(&format!("custom error: {code}")), "unexpected error: {err}");

	// The test key's signature for the derived path is accepted.
	let (sig, rid) = key.sign(&path, waas_primitives::HashScheme::Keccak256, PAYLOAD);
	let good =
		waas::transactions().threshold_signers().submit_signature(requested.request, sig, rid);
	let events = submit(&client, &good, &signer).await.expect("valid signature accepted");
	let produced = events
		.find_first::<signer_events::RequestSigned>()
		.expect("RequestSigned")
		.expect("decodes");
	assert_eq!(produced.signature, sig);

	// Checked outside the project's code: k256 recovery gives the provisioned address.
	assert_eq!(independent_evm_address(&sig, rid, PAYLOAD), address.to_lowercase());

	// The RPC reports it signed.
	let rpc = subxt::rpcs::RpcClient::from_insecure_url(&node.ws_url).await.unwrap();
	let view: serde_json::Value = rpc
		.request("waas_signatureRequest", subxt::rpcs::rpc_params![requested.request])
		.await
		.unwrap();
	assert_eq!(view["state"]["state"], "signed");
	assert_eq!(view["state"]["signature"], format!("0x{}", hex::encode(sig)));
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_request_is_reassigned_then_fails() {
	let node = TestNode::start_dev(TIMEOUT);
	let client = node.client().await;
	activate_test_key(&client, &TestKey::from_seed(TEST_KEY_SEED)).await;
	meta_account_with_address(&client, &dev::eve(), 0).await;
	let first = request_signature(&client, &dev::eve(), PAYLOAD).await;
	let request = first.request;

	// Nobody signs. Watch finalized blocks for the re-assignments and the failure.
	let mut attempts = vec![first.signers.0.clone()];
	let mut expired = Vec::new();
	let mut failed = false;
	let deadline = Instant::now() + Duration::from_secs(180);
	let mut blocks = client.stream_blocks().await.unwrap();
	while !failed {
		let left = deadline.saturating_duration_since(Instant::now());
		let block = tokio::time::timeout(left, blocks.next())
			.await
			.expect("request did not fail in time")
			.expect("stream open")
			.expect("block");
		let events = block.at().await.unwrap().events().fetch().await.unwrap();
		for e in events.find::<signer_events::AttemptExpired>() {
			let e = e.unwrap();
			assert_eq!(e.request, request);
			expired.push(e.attempt);
		}
		for e in events.find::<signer_events::AttemptAssigned>() {
			let e = e.unwrap();
			if e.request == request && e.attempt > 0 {
				assert_eq!(e.attempt as usize, attempts.len());
				attempts.push(e.signers.0.clone());
			}
		}
		for e in events.find::<signer_events::RequestFailed>() {
			assert_eq!(e.unwrap().request, request);
			failed = true;
		}
	}
	assert_eq!(expired, vec![0, 1, 2]);
	assert_eq!(attempts.len(), 3);
	assert_ne!(attempts[0], attempts[1], "a re-assignment goes to another subset");
	assert_ne!(attempts[1], attempts[2]);

	let rpc = subxt::rpcs::RpcClient::from_insecure_url(&node.ws_url).await.unwrap();
	let view: serde_json::Value =
		rpc.request("waas_signatureRequest", subxt::rpcs::rpc_params![request]).await.unwrap();
	assert_eq!(view["state"]["state"], "failed");
	assert_eq!(view["state"]["reason"], "AttemptsExhausted");
}

#[tokio::test(flavor = "multi_thread")]
async fn metadata_is_current() {
	let node = TestNode::start_dev(TIMEOUT);
	let (_, live) = waas_e2e::metadata::fetch_metadata(&node.ws_url).await.unwrap();
	let committed =
		std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../metadata/waas.scale"))
			.expect("metadata/waas.scale is committed");
	assert!(
		live == committed,
		"metadata/waas.scale is stale: regenerate it (see README, 'polkadot.js and subxt')"
	);
}
