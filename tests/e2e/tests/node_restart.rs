//! The node restarts under running signers: they lose their connection, reconnect to the
//! node (same chain, same port) on their own, and sign the next request.

use std::time::Duration;
use subxt_signer::sr25519::dev;
use waas_e2e::{
	devnet::{Devnet, DevnetOptions},
	flows::{independent_evm_address, meta_account_with_address, request_signature},
};

#[tokio::test(flavor = "multi_thread")]
async fn signers_reconnect_after_the_node_restarts() {
	let mut net =
		Devnet::start(DevnetOptions { persistent_node: true, ..Default::default() }).await;
	let key = net.create_key(2).await;
	let (_, address) = meta_account_with_address(&net.client, &dev::eve(), key.key).await;

	net.restart_node().await;
	// Every signer noticed the lost connection and connected again.
	let deadline = std::time::Instant::now() + Duration::from_secs(60);
	while net.signers.iter().any(|s| s.log().matches("connected to the node").count() < 2) {
		assert!(std::time::Instant::now() < deadline, "signers did not reconnect:\n{}", net.logs());
		tokio::time::sleep(Duration::from_millis(500)).await;
	}

	let payload = b"after the restart".to_vec();
	let requested = request_signature(&net.client, &dev::eve(), &payload).await;
	let (produced, _, _) = net.wait_signed(&requested, Duration::from_secs(150)).await;
	assert_eq!(
		independent_evm_address(&produced.signature, produced.recovery_id, &payload),
		address.to_lowercase()
	);
	for s in &mut net.signers {
		assert!(s.is_running(), "{} exited", s.name);
	}
}
