//! `--chain local`: Alice and Bob as two processes produce and finalize blocks together.

use std::time::Duration;
use waas_e2e::TestNode;

/// Node key 0x…01 has this well-known libp2p peer id.
const ALICE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
/// Authorities on a non-dev chain need a fixed node key.
const BOB_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000002";
const ALICE_PEER_ID: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";

#[tokio::test(flavor = "multi_thread")]
async fn two_authorities_finalize_together() {
	let alice = TestNode::start(&["--chain", "local", "--alice", "--node-key", ALICE_NODE_KEY]);
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{ALICE_PEER_ID}", alice.p2p_port);
	let bob = TestNode::start(&[
		"--chain",
		"local",
		"--bob",
		"--node-key",
		BOB_NODE_KEY,
		"--bootnodes",
		&bootnode,
	]);

	// GRANDPA with two voters needs both: finality past genesis proves they cooperate.
	alice.wait_for_finalized(3, Duration::from_secs(120)).await;
	bob.wait_for_finalized(3, Duration::from_secs(60)).await;

	let a = alice.finalized_number().await.unwrap();
	let b = bob.finalized_number().await.unwrap();
	assert!(a >= 3 && b >= 3, "alice finalized #{a}, bob #{b}");
}
