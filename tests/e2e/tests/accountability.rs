//! Accountability end to end, with real processes: one `waas-node --dev`, three `waas-signer`s
//! and a 2-of-3 key made by a real DKG. Charlie runs with `--insecure-deviate
//! invalid-enc-proof`: in every signing session it sends an altered range proof under its own
//! authenticated identity. Its co-signers' cggmp21 runs identify it, they `report_fault` it,
//! the chain ends those attempts at once and re-assigns them; once both honest members have
//! reported it (the quorum of a 2-of-3 is 2) the fault is recorded, Charlie is excluded from
//! new subsets, and every request is signed by the honest two.

use std::time::{Duration, Instant};
use subxt_signer::sr25519::dev;
use waas_e2e::{
	devnet::{signer_ids, Devnet, DevnetOptions},
	flows::{independent_evm_address, meta_account_with_address, request_signature},
	waas::{self, threshold_signers::events as signer_events},
};

/// How long one request may take (its re-assignments included).
const SIGNED_WITHIN: Duration = Duration::from_secs(180);

#[tokio::test(flavor = "multi_thread")]
async fn a_deviating_signer_is_blamed_on_chain_excluded_and_requests_complete() {
	let deviate = vec!["--insecure-deviate".to_string(), "invalid-enc-proof".to_string()];
	let mut net = Devnet::start(DevnetOptions {
		signer_own_args: vec![("charlie".into(), deviate)],
		..Default::default()
	})
	.await;
	// Key generation is not affected: the deviation alters signing messages only.
	let key = net.create_key(2).await;
	let (_, address) = meta_account_with_address(&net.client, &dev::eve(), key.key).await;
	let charlie = net.signers[1].identity.account;
	assert_eq!(net.signers[1].name, "charlie");

	let mut reports: Vec<signer_events::FaultReported> = Vec::new();
	let mut faulted: Option<(signer_events::SignerFaulted, u64)> = None;
	// Until both honest members have reported it: after 8 requests that fails to happen with
	// probability < 1 %, after 16 with < 0.01 % (each request pairs it anew).
	for n in 0..16 {
		let payload = format!("accountability {n}").into_bytes();
		let started = Instant::now();
		let first = request_signature(&net.client, &dev::eve(), &payload).await;
		let request = first.request;
		let (signed, _, attempts) = net
			.wait_signed_seeing(&first, SIGNED_WITHIN, |number, events| {
				for e in events.find::<signer_events::FaultReported>() {
					reports.push(e.expect("decodes"));
				}
				for e in events.find::<signer_events::SignerFaulted>() {
					faulted = Some((e.expect("decodes"), number));
				}
			})
			.await;
		assert_eq!(
			independent_evm_address(&signed.signature, signed.recovery_id, &payload),
			address.to_lowercase(),
			"request {request}"
		);
		let last = attempts.last().expect("an attempt");
		assert!(!signer_ids(last).contains(&charlie), "request {request} signed with Charlie");
		let with_charlie = attempts.iter().filter(|a| signer_ids(a).contains(&charlie)).count();
		// Each attempt's deadline is its assignment block plus the signing timeout, so their
		// differences are the blocks between a report and the re-assignment it caused.
		let deadlines: Vec<u32> = attempts.iter().map(|a| a.deadline).collect();
		eprintln!(
			"[accountability] request {request}: signed in {:.1} s after {} attempt(s) (deadlines {deadlines:?}), {with_charlie} with Charlie",
			started.elapsed().as_secs_f64(),
			attempts.len()
		);
		if faulted.is_some() {
			break;
		}
	}

	// Only the honest members reported, only Charlie, for what it really did.
	assert!(!reports.is_empty(), "no fault was reported:\n{}", net.logs());
	for r in &reports {
		assert_eq!(r.accused.0, charlie, "an honest member was accused: {r:?}");
		assert_ne!(r.reporter.0, charlie);
		assert!(
			matches!(
				r.reason,
				waas::runtime_types::pallet_threshold_signers::types::FaultReason::InvalidEncProof
			),
			"{r:?}"
		);
	}
	let Some((fault, at)) = faulted else {
		panic!("the fault was never recorded; reports: {reports:?}\n{}", net.logs())
	};
	assert_eq!(fault.signer.0, charlie);
	assert_eq!(fault.reporters.0, vec![0, 2], "both honest members reported it");
	eprintln!(
		"[accountability] fault recorded at block {at} after {} report(s); excluded until {}",
		reports.len(),
		fault.excluded_until
	);
	let chain = net.client.at_current_block().await.expect("block");
	let record = chain
		.storage()
		.entry(waas::storage().threshold_signers().signer_records())
		.expect("storage entry")
		.fetch((subxt::utils::AccountId32(charlie),))
		.await
		.expect("fetch")
		.decode()
		.expect("decodes");
	assert_eq!(record.faults, 1);
	assert!(record.accusations >= 2);
	assert_eq!(record.excluded_until, Some(fault.excluded_until));

	// Excluded: new requests go to the honest two and are signed in their first attempt.
	for n in 0..2 {
		let payload = format!("after the fault {n}").into_bytes();
		let first = request_signature(&net.client, &dev::eve(), &payload).await;
		assert!(!signer_ids(&first).contains(&charlie), "an excluded signer was assigned");
		let (signed, _, attempts) = net.wait_signed(&first, SIGNED_WITHIN).await;
		assert_eq!(attempts.len(), 1);
		assert_eq!(
			independent_evm_address(&signed.signature, signed.recovery_id, &payload),
			address.to_lowercase()
		);
	}
	// The honest signers logged and counted what they observed; Charlie blamed nobody.
	for i in [0, 2] {
		let log = net.signers[i].log();
		assert!(log.contains("reporting the fault on-chain"), "{}", net.logs());
		let observed = net.signers[i]
			.metric(r#"waas_signer_faults_observed_total{kind="sign",reason="invalidEncProof"}"#);
		assert!(observed >= 1.0, "{}: faults observed {observed}", net.signers[i].name);
	}
	assert!(!net.signers[1].log().contains("reporting the fault on-chain"), "{}", net.logs());
	assert!(net.signers[1].log().contains("sent a deliberately altered message"));
	assert!(net.signers[1].is_running());
}
