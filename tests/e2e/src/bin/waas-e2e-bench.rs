//! `waas-e2e-bench`: end-to-end cost of the real network — the DKG of a committee key
//! (keygen + aux info between three `waas-signer` processes, from the keygen request to the
//! key's activation) and the time from a signature request's block to the block holding the
//! committee's signature, for 2-of-3 and 3-of-3. Prints a Markdown table.
//!
//! Usage: `waas-e2e-bench [--reps N]` (release build; starts everything on loopback).

use std::time::{Duration, Instant};
use subxt_signer::sr25519::dev;
use waas_e2e::{
	devnet::{Devnet, DevnetOptions},
	flows::{meta_account_with_address, request_signature},
	waas,
};
use waas_signer::stats::median;

#[tokio::main]
async fn main() {
	let args: Vec<String> = std::env::args().collect();
	let reps: usize = args
		.iter()
		.position(|a| a == "--reps")
		.and_then(|i| args.get(i + 1))
		.map(|r| r.parse().expect("--reps N"))
		.unwrap_or(5);
	let mut net = Devnet::start(DevnetOptions::default()).await;
	let timeout: u64 = net
		.client
		.at_current_block()
		.await
		.expect("current block")
		.constants()
		.entry(waas::constants().threshold_signers().signing_timeout())
		.expect("SigningTimeout constant")
		.into();
	let mut rows = Vec::new();
	for (t, who) in [(2u16, dev::eve()), (3, dev::ferdie())] {
		let key = net.create_key(t).await;
		rows.push((
			format!("DKG {t}-of-3 with aux info, 3 signer processes"),
			format!(
				"{:.1} s (request included → key Active, incl. finality)",
				key.elapsed.as_secs_f64()
			),
		));
		eprintln!("{:?}", rows.last().unwrap());
		meta_account_with_address(&net.client, &who, key.key).await;
		let (mut blocks, mut secs) = (Vec::new(), Vec::new());
		for r in 0..reps {
			let started = Instant::now();
			let first =
				request_signature(&net.client, &who, format!("bench {t} {r}").as_bytes()).await;
			let requested_at = u64::from(first.deadline) - timeout;
			let (_, signed_at, attempts) = net.wait_signed(&first, Duration::from_secs(150)).await;
			assert_eq!(attempts.len(), 1, "no re-assignment with all signers up");
			blocks.push((signed_at - requested_at) as f64);
			secs.push(started.elapsed().as_secs_f64());
		}
		rows.push((
			format!("Signature {t}-of-3: request's block → signature's block"),
			format!("{} blocks (median of {reps}; 2 s blocks); {:.1} s wall from submitting the request to seeing the signature finalized", median(blocks), median(secs)),
		));
		eprintln!("{:?}", rows.last().unwrap());
	}
	println!("| End to end (real node + 3 signers) | Result |");
	println!("|---|---|");
	for (what, value) in rows {
		println!("| {what} | {value} |");
	}
}
