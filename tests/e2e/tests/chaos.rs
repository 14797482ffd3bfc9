//! Chaos and load against real processes (one `waas-node --dev`, three `waas-signer`s, a
//! 2-of-3 key made by a real DKG), in phases that share the one DKG:
//!
//! 1. two keygens of the committee requested in the same block both become Active;
//! 2. the node is restarted **while** a signing session runs: the signature still lands;
//! 3. a signer is SIGKILLed in the middle of a session and restarted: the request is signed;
//! 4. a signer is SIGSTOPped (alive, silent) during an attempt and resumed later: the request
//!    is signed by the others, and the resumed signer signs again;
//! 5. a burst of requests submitted at once: every one reaches exactly one terminal state,
//!    every one is signed, and the figures (latency in blocks and seconds) are printed;
//!    the signers' `/metrics` counted the sessions and `/health` is 200;
//! 6. a signer replaced by a peer sending garbage and oversized messages (with its real p2p
//!    identity) into live sessions does not stop the honest two, and they do not crash;
//! 7. SIGTERM stops a signer cleanly.
//!
//! The burst has `WAAS_LOAD_REQUESTS` requests (default 15 in CI; `scripts/load-test.sh` runs 200).
//! A second test runs a 3-of-5 committee with one member dead.

use std::{
	collections::{HashMap, HashSet},
	time::{Duration, Instant},
};
use subxt_signer::sr25519::dev;
use waas_e2e::{
	devnet::{signer_ids, Devnet, DevnetOptions, SignerProcess},
	flows::{
		independent_evm_address, meta_account_with_address, request_signature, submit_burst,
		sudo_request_signature,
	},
	waas::{
		self, runtime_types::pallet_threshold_signers::pallet::Call as SignersCall,
		runtime_types::waas_runtime::RuntimeCall, threshold_signers::events as signer_events,
	},
};
use waas_signer::{
	identity::p2p_from_hex,
	service::signing_session,
	transport::{
		p2p::{peer_id_of, P2pConfig, P2pNetwork},
		router::BufferLimits,
		WireMessage,
	},
};

/// How long one request may take under the chaos phases (re-assignments included).
const SIGNED_WITHIN: Duration = Duration::from_secs(180);

/// Waits (at most `timeout`) until `signer` logs that it started the signing session of
/// `request`.
async fn wait_session_started(signer: &SignerProcess, request: u64, timeout: Duration) -> bool {
	let deadline = Instant::now() + timeout;
	let needle = format!("request={request} ");
	while Instant::now() < deadline {
		if signer.log().lines().any(|l| l.contains(&needle) && l.contains("signing started")) {
			return true;
		}
		tokio::time::sleep(Duration::from_millis(100)).await;
	}
	false
}

/// Index (in `net.signers`) of the signers assigned in `attempt`.
fn assigned(net: &Devnet, attempt: &signer_events::AttemptAssigned) -> Vec<usize> {
	let ids = signer_ids(attempt);
	(0..net.signers.len()).filter(|i| ids.contains(&net.signers[*i].identity.account)).collect()
}

/// Waits until the request of `first` is signed, checks the signature over `payload`
/// independently against `address`, and reports `what`; returns the number of attempts.
async fn expect_signed(
	net: &Devnet,
	first: &signer_events::AttemptAssigned,
	payload: &[u8],
	address: &str,
	what: &str,
) -> usize {
	let (produced, _, attempts) = net.wait_signed(first, SIGNED_WITHIN).await;
	assert_eq!(
		independent_evm_address(&produced.signature, produced.recovery_id, payload),
		address.to_lowercase(),
		"{what}"
	);
	eprintln!("[chaos] {what}: signed after {} attempt(s)", attempts.len());
	attempts.len()
}

/// Signs `payload` through the Meta-Account and checks the signature independently.
async fn sign_and_check(net: &Devnet, payload: &[u8], address: &str, what: &str) {
	let requested = request_signature(&net.client, &dev::eve(), payload).await;
	expect_signed(net, &requested, payload, address, what).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn committee_survives_restarts_partitions_and_load() {
	let mut net =
		Devnet::start(DevnetOptions { persistent_node: true, ..Default::default() }).await;
	let key = net.create_key(2).await;
	let (_, address) = meta_account_with_address(&net.client, &dev::eve(), key.key).await;
	let conn = waas_client::connect_with_rpc(&net.node.ws_url, Duration::from_secs(30))
		.await
		.expect("rpc connection");

	// 1. Two keygens of one committee requested in the same block.
	let keygen = |committee| {
		waas::transactions()
			.sudo()
			.sudo(RuntimeCall::ThresholdSigners(SignersCall::request_keygen { committee }))
	};
	submit_burst(&conn, &[keygen(key.committee), keygen(key.committee)], &dev::alice()).await;
	let mut requested = Vec::new();
	let mut active = HashSet::new();
	net.watch(Duration::from_secs(180), |_, events| {
		for e in events.find::<signer_events::KeygenRequested>() {
			requested.push(e.expect("decodes").key);
		}
		if let Some(failed) = events.find_first::<signer_events::KeygenFailed>() {
			panic!("a concurrent keygen failed: {:?}", failed.expect("decodes"));
		}
		for e in events.find::<signer_events::KeyActivated>() {
			active.insert(e.expect("decodes").key);
		}
		(requested.len() == 2 && requested.iter().all(|k| active.contains(k))).then_some(())
	})
	.await;
	eprintln!("[chaos] two concurrent keygens {requested:?}: both Active");

	// 2. The node restarts while a signing session runs.
	let payload = b"node restarts mid-session".to_vec();
	let first = request_signature(&net.client, &dev::eve(), &payload).await;
	let who = assigned(&net, &first);
	let started =
		wait_session_started(&net.signers[who[0]], first.request, Duration::from_secs(30)).await;
	assert!(started, "the session did not start:\n{}", net.logs());
	net.restart_node().await;
	expect_signed(&net, &first, &payload, &address, "node restarted mid-session").await;
	let conn = waas_client::connect_with_rpc(&net.node.ws_url, Duration::from_secs(30))
		.await
		.expect("rpc connection after the restart");

	// 3. A signer SIGKILLed in the middle of a session, then restarted.
	let payload = b"signer killed mid-session".to_vec();
	let first = request_signature(&net.client, &dev::eve(), &payload).await;
	let victim = assigned(&net, &first)[1];
	let started =
		wait_session_started(&net.signers[victim], first.request, Duration::from_secs(30)).await;
	assert!(started, "the session did not start:\n{}", net.logs());
	net.signers[victim].kill();
	tokio::time::sleep(Duration::from_secs(2)).await;
	net.signers[victim].start();
	let what = format!("{} killed mid-session and restarted", net.signers[victim].name);
	expect_signed(&net, &first, &payload, &address, &what).await;

	// 4. A signer SIGSTOPped during an attempt, resumed later.
	let payload = b"signer partitioned".to_vec();
	let first = request_signature(&net.client, &dev::eve(), &payload).await;
	let frozen = assigned(&net, &first)[0];
	net.signers[frozen].signal("STOP");
	let what = format!("{} stopped during attempt 0", net.signers[frozen].name);
	expect_signed(&net, &first, &payload, &address, &what).await;
	net.signers[frozen].signal("CONT");
	// Resumed, it signs again: until a request's first attempt includes it.
	let mut with_it = false;
	for n in 0..6 {
		let payload = format!("after the partition {n}").into_bytes();
		let first = request_signature(&net.client, &dev::eve(), &payload).await;
		let includes = assigned(&net, &first).contains(&frozen);
		let (_, _, attempts) = net.wait_signed(&first, SIGNED_WITHIN).await;
		if includes && attempts.len() == 1 {
			with_it = true;
			break;
		}
	}
	assert!(with_it, "the resumed signer never signed in its first attempt:\n{}", net.logs());

	// 5. A burst of requests at once.
	let total: usize =
		std::env::var("WAAS_LOAD_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(15);
	let calls: Vec<_> = (0..total)
		.map(|i| sudo_request_signature(key.key, format!("load {i}").as_bytes()))
		.collect();
	// Ids the burst's requests get; watching starts before the burst is submitted, so no
	// event is missed.
	let first_id = requested_next_id(&net.client).await;
	let ours = first_id..first_id + total as u64;
	let submitted = Instant::now();
	let burst = tokio::spawn(async move { submit_burst(&conn, &calls, &dev::alice()).await });
	let mut requested_at: HashMap<u64, (u64, Instant)> = HashMap::new();
	let mut ended: HashMap<u64, (bool, u64, Instant)> = HashMap::new();
	let mut expired_attempts = 0usize;
	let limit = Duration::from_secs(120 + 6 * total as u64);
	net.watch(limit, |number, events| {
		let now = Instant::now();
		for e in events.find::<signer_events::SignatureRequested>() {
			let request = e.expect("decodes").request;
			assert!(ours.contains(&request), "an unexpected request {request}");
			requested_at.insert(request, (number, now));
		}
		for e in events.find::<signer_events::AttemptExpired>() {
			if ours.contains(&e.expect("decodes").request) {
				expired_attempts += 1;
			}
		}
		for e in events.find::<signer_events::RequestSigned>() {
			let request = e.expect("decodes").request;
			if ours.contains(&request) {
				assert!(ended.insert(request, (true, number, now)).is_none(), "signed twice");
			}
		}
		for e in events.find::<signer_events::RequestFailed>() {
			let request = e.expect("decodes").request;
			if ours.contains(&request) {
				assert!(ended.insert(request, (false, number, now)).is_none(), "ended twice");
			}
		}
		(requested_at.len() == total && ended.len() == total).then_some(())
	})
	.await;
	let elapsed = submitted.elapsed();
	burst.await.expect("the burst was submitted");
	let signed = ended.values().filter(|(ok, _, _)| *ok).count();
	let mut blocks: Vec<u64> = Vec::new();
	let mut seconds: Vec<f64> = Vec::new();
	for (request, (ok, block, at)) in &ended {
		if *ok {
			let (req_block, req_at) = requested_at[request];
			blocks.push(block - req_block);
			seconds.push(at.duration_since(req_at).as_secs_f64());
		}
	}
	blocks.sort_unstable();
	seconds.sort_by(|a, b| a.total_cmp(b));
	let pct = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
	let blocks_f: Vec<f64> = blocks.iter().map(|b| *b as f64).collect();
	eprintln!(
		"[load] {total} requests submitted at once: {} terminal, {signed} signed, {} failed; \
		 {expired_attempts} expired attempts; request block -> signature block p50 {} / p95 {} \
		 / max {} blocks; p50 {:.1} s / p95 {:.1} s; all done in {:.1} s ({:.1} signatures per \
		 minute)",
		ended.len(),
		total - signed,
		pct(&blocks_f, 0.5),
		pct(&blocks_f, 0.95),
		blocks.last().copied().unwrap_or(0),
		pct(&seconds, 0.5),
		pct(&seconds, 0.95),
		elapsed.as_secs_f64(),
		signed as f64 * 60.0 / elapsed.as_secs_f64(),
	);
	assert_eq!(ended.len(), total, "every request reached a terminal state");
	assert_eq!(signed, total, "every request was signed, none failed");

	// Observable: the signers' metrics and health saw it.
	for s in &net.signers {
		let (status, health) = s.http_get("/health");
		assert_eq!(status, 200, "{} unhealthy: {health}", s.name);
	}
	let ok: f64 = net
		.signers
		.iter()
		.map(|s| s.metric("waas_signer_sessions_finished_total{kind=\"sign\",outcome=\"ok\"}"))
		.sum();
	assert!(ok >= (2 * total) as f64 * 0.9, "sessions counted in metrics: {ok}");
	for s in &mut net.signers {
		assert!(s.is_running(), "{} exited:\n{}", s.name, s.log());
	}

	let client = net.client.clone();
	let payload = |n: u32| format!("{{\"to\":\"0x{:040x}\",\"value\":{n}}}", 0xaa).into_bytes();
	// 6. Charlie replaced by a garbage sender with Charlie's real p2p identity and address.
	net.signers[1].kill();
	let charlie_key = std::fs::read_to_string(net.signers[1].data_dir.join("p2p.key")).unwrap();
	let garbage = P2pNetwork::start(
		p2p_from_hex(&charlie_key).unwrap(),
		P2pConfig {
			listen: format!("/ip4/127.0.0.1/tcp/{}", net.signers[1].port()).parse().unwrap(),
			// Let it send more than the honest signers accept.
			max_message_bytes: 32 * 1024 * 1024,
			buffer: BufferLimits::default(),
			metrics: None,
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
	// Garbage for the request's live signing session (its id is computable from chain
	// state, as any committee member could), and for sessions that will never exist.
	let spam = |request: u64| {
		let (client, garbage, honest) = (&client, &garbage, &honest);
		async move {
			let at = client.at_current_block().await.unwrap();
			if let Some(req) = waas_signer::chain::pending_request(&at, request).await.unwrap() {
				let session = signing_session(&genesis, request, &req);
				for peer in honest.keys() {
					for (seq, payload) in [
						b"\xff\x00 not json".to_vec(),
						b"{\"round\":1,\"garbage\":true}".to_vec(),
						vec![b'7'; 9 * 1024 * 1024], // over the 8 MiB cap
					]
					.into_iter()
					.enumerate()
					{
						let seq = 1000 + seq as u64;
						garbage.send_raw(
							*peer,
							WireMessage { session, seq, broadcast: true, payload },
						);
					}
				}
			}
			// Buffered within the sender's quota, then dropped.
			for i in 0..100u64 {
				let session = [i as u8; 32];
				for peer in honest.keys() {
					garbage.send_raw(
						*peer,
						WireMessage { session, seq: 0, broadcast: false, payload: vec![0; 1024] },
					);
				}
			}
		}
	};
	// Until a request has an attempt that pairs an honest signer with the garbage sender
	// (2 in 3 first attempts do), so the garbage is delivered into a live session.
	let mut paired = false;
	for n in 100..104 {
		let next = requested_next_id(&net.client).await;
		let requested = request_signature(&client, &dev::eve(), &payload(n)).await;
		assert_eq!(requested.request, next);
		spam(next).await; // as it starts: buffered, then delivered into the session
		tokio::time::sleep(Duration::from_secs(2)).await;
		spam(next).await; // into the open session
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

	// 7. Graceful shutdown: SIGTERM stops a signer cleanly (exit status 0) within its grace.
	net.signers[0].signal("TERM");
	let status = net.signers[0].wait_exit(Duration::from_secs(40));
	assert!(status.is_some_and(|s| s.success()), "clean exit on SIGTERM: {status:?}");
	assert!(net.signers[0].log().contains("stopped"), "{}", net.signers[0].log());
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

#[tokio::test(flavor = "multi_thread")]
async fn three_of_five_signs_with_one_member_dead() {
	let mut net = Devnet::start(DevnetOptions { signers: Some(5), ..Default::default() }).await;
	let key = net.create_key(3).await;
	eprintln!("[3-of-5] key Active after {:.1} s", key.elapsed.as_secs_f64());
	let (_, address) = meta_account_with_address(&net.client, &dev::eve(), key.key).await;
	net.signers[4].kill();
	for n in 0..3 {
		let payload = format!("3-of-5, one dead, {n}").into_bytes();
		sign_and_check(&net, &payload, &address, &format!("3-of-5 request {n}")).await;
	}
}
