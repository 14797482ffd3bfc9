//! The real committee: `waas-node --dev` plus three `waas-signer` processes on loopback,
//! registered as a 2-of-3 committee whose key comes from their CGGMP21 DKG. One test, in
//! phases that share the (slow) DKG:
//!
//! 1. a Meta-Account's EVM address gets a threshold signature, accepted on-chain and checked
//!    with k256 recovery outside the project's code;
//! 2. with one signer killed, the next request still completes through re-assignment to the
//!    two live members; restarted, the signer resumes and signs a later request;
//! 3. a signer replaced by a peer sending garbage and oversized messages (with its real
//!    p2p identity) does not stop the honest two, and they do not crash.

use std::{collections::HashMap, time::Duration};
use subxt_signer::sr25519::dev;
use waas_e2e::{
	devnet::{signer_ids, Devnet, DevnetOptions},
	flows::{independent_evm_address, meta_account_with_address, request_signature},
};
use waas_signer::{
	identity::p2p_from_hex,
	service::execution_id,
	transport::{
		p2p::{peer_id_of, P2pConfig, P2pNetwork},
		router::BufferLimits,
		WireMessage,
	},
};

/// Three attempts of 15 blocks of 2 s, plus signing and finality.
const SIGNED_WITHIN: Duration = Duration::from_secs(150);

fn payload(n: u32) -> Vec<u8> {
	format!("{{\"to\":\"0x00000000000000000000000000000000000000aa\",\"value\":{n}}}").into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn committee_signs_survives_a_dead_signer_and_garbage() {
	let mut net = Devnet::start(DevnetOptions::default()).await;
	let key = net.create_key(2).await;
	eprintln!("DKG done in {:.1} s: key {}", key.elapsed.as_secs_f64(), key.key);
	let client = net.client.clone();
	let (_meta, address) = meta_account_with_address(&client, &dev::eve(), key.key).await;

	// 1. Happy path: attempt 0 signs, k256 recovers the provisioned address.
	let requested = request_signature(&client, &dev::eve(), &payload(1)).await;
	let (produced, _, _) = net.wait_signed(&requested, SIGNED_WITHIN).await;
	assert_eq!(
		independent_evm_address(&produced.signature, produced.recovery_id, &payload(1)),
		address.to_lowercase(),
		"the committee signed with the address's key"
	);

	// 2. Dave killed: the request completes with Bob and Charlie, after re-assignment if
	// the first subset included Dave.
	let dave = net.signers[2].identity.account;
	net.signers[2].kill();
	let requested = request_signature(&client, &dev::eve(), &payload(2)).await;
	let (produced, _, attempts) = net.wait_signed(&requested, SIGNED_WITHIN).await;
	let last = attempts.last().expect("attempt 0 at least");
	assert!(!signer_ids(last).contains(&dave), "the signing subset excludes the dead signer");
	assert_ne!(produced.submitted_by.0, dave);
	assert_eq!(
		independent_evm_address(&produced.signature, produced.recovery_id, &payload(2)),
		address.to_lowercase()
	);

	// Dave restarted: a later request assigned to Dave in its first attempt is signed there.
	net.signers[2].start();
	let mut dave_signed = false;
	for n in 3..9 {
		let requested = request_signature(&client, &dev::eve(), &payload(n)).await;
		let with_dave = signer_ids(&requested).contains(&dave);
		let (produced, _, attempts) = net.wait_signed(&requested, SIGNED_WITHIN).await;
		if with_dave {
			assert_eq!(attempts.len(), 1, "signed in the first attempt, Dave included");
			assert!(produced.recovery_id <= 1);
			dave_signed = true;
			break;
		}
	}
	assert!(dave_signed, "no request in six was assigned to Dave (p ≈ (1/3)^6)");

	// 3. Charlie replaced by a garbage sender with Charlie's real p2p identity and address.
	net.signers[1].kill();
	let charlie_key = std::fs::read_to_string(net.signers[1].data_dir.join("p2p.key")).unwrap();
	let garbage = P2pNetwork::start(
		p2p_from_hex(&charlie_key).unwrap(),
		P2pConfig {
			listen: format!("/ip4/127.0.0.1/tcp/{}", net.signers[1].port()).parse().unwrap(),
			// Let it send more than the honest signers accept.
			max_message_bytes: 32 * 1024 * 1024,
			buffer: BufferLimits::default(),
		},
	)
	.unwrap();
	let honest: HashMap<_, _> = [0usize, 2]
		.iter()
		.map(|&i| {
			let s = &net.signers[i].identity;
			(peer_id_of(&s.p2p_key).unwrap(), s.address.parse().unwrap())
		})
		.collect();
	garbage.set_peers(honest.clone());
	let genesis: [u8; 32] = client.genesis_hash().0;
	let charlie = net.signers[1].identity.account;
	let spam = |request: u64| {
		for attempt in 0..3u8 {
			let session = execution_id(&genesis, "sign", request, attempt);
			for peer in honest.keys() {
				for payload in [
					b"\xff\x00 not json".to_vec(),
					b"{\"round\":1,\"garbage\":true}".to_vec(),
					vec![b'7'; 9 * 1024 * 1024], // over the 8 MiB cap
				] {
					garbage.send_raw(*peer, WireMessage { session, broadcast: true, payload });
				}
			}
		}
		// Sessions that will never exist: buffered within the sender's quota, then dropped.
		for i in 0..100u64 {
			let session = execution_id(&genesis, "sign", 1_000_000 + i, 0);
			for peer in honest.keys() {
				garbage.send_raw(
					*peer,
					WireMessage { session, broadcast: false, payload: vec![0; 1024] },
				);
			}
		}
	};
	// Until a request has an attempt that pairs an honest signer with the garbage sender
	// (2 in 3 first attempts do), so the garbage is delivered into a live session.
	let mut paired = false;
	for n in 100..104 {
		let next = requested_next_id(&client).await;
		spam(next); // before the request exists: buffered, then delivered into the session
		let requested = request_signature(&client, &dev::eve(), &payload(n)).await;
		assert_eq!(requested.request, next);
		spam(next); // while it runs
		tokio::time::sleep(Duration::from_secs(3)).await;
		spam(next); // certainly into the open sessions
		let (produced, _, attempts) = net.wait_signed(&requested, SIGNED_WITHIN).await;
		assert!(
			!signer_ids(attempts.last().unwrap()).contains(&charlie),
			"signed by the honest two"
		);
		assert_eq!(
			independent_evm_address(&produced.signature, produced.recovery_id, &payload(n)),
			address.to_lowercase()
		);
		assert!(net.signers[0].is_running(), "Bob survived the garbage:\n{}", net.logs());
		assert!(net.signers[2].is_running(), "Dave survived the garbage:\n{}", net.logs());
		let with_garbage = attempts.iter().filter(|a| signer_ids(a).contains(&charlie)).count();
		eprintln!(
			"request {next}: {} attempt(s), {with_garbage} with the garbage sender",
			attempts.len()
		);
		if with_garbage > 0 {
			paired = true;
			break;
		}
	}
	assert!(paired, "no attempt in four requests paired an honest signer with the garbage sender");
	// The garbage reached those sessions and was dropped there: not decoded, not fatal.
	assert!(
		net.signers[0].log().contains("dropping a message that does not decode")
			|| net.signers[2].log().contains("dropping a message that does not decode"),
		"the garbage reached a session and was dropped:\n{}",
		net.logs()
	);
}

/// The id the next signature request will get.
async fn requested_next_id(client: &waas_e2e::Client) -> u64 {
	let at = client.at_current_block().await.unwrap();
	let entry = at
		.storage()
		.entry(waas_e2e::waas::storage().threshold_signers().next_request_id())
		.unwrap();
	entry.fetch(()).await.unwrap().decode().unwrap()
}
