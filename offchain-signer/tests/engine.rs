//! The protocol engine over the in-memory transport: a 2-of-3 DKG with HD wallets, aux info
//! from the committed prime fixtures, threshold signing on a derivation path, checked against
//! the runtime's own derivation (`waas_primitives`) and k256 recovery; plus garbage messages
//! and a missing party; presigned signing (presignature ahead, one round online); and a signer that deviates from the protocol, blamed by the honest one.

use std::{sync::Arc, time::Duration};
use waas_signer::{
	engine::{self, Blame, EngineError, FaultReason, Primes, Share, SigningJob},
	transport::{deviate::Deviation, memory::MemoryHub, PeerId, WireMessage},
};

const LIMIT: Duration = Duration::from_secs(120);

fn fixture_primes() -> Vec<Primes> {
	serde_json::from_str(include_str!("fixtures/primes.json")).expect("fixture primes")
}

/// Runs the DKG and aux info for three in-memory parties; returns their shares.
async fn committee(
	hub: &MemoryHub,
	t: u16,
) -> (Vec<Arc<waas_signer::transport::memory::MemoryNetwork>>, Vec<Share>) {
	let nets: Vec<_> = (0..3).map(|_| Arc::new(hub.endpoint())).collect();
	let peers: Vec<PeerId> = nets.iter().map(|n| n.peer_id()).collect();
	let keygens = nets
		.iter()
		.enumerate()
		.map(|(i, net)| engine::keygen(net, [1; 32], peers.clone(), i as u16, t, LIMIT));
	let cores = futures::future::try_join_all(keygens).await.expect("keygen");
	let auxes = nets.iter().zip(fixture_primes()).enumerate().map(|(i, (net, primes))| {
		engine::aux_info(net, [2; 32], peers.clone(), i as u16, primes, LIMIT)
	});
	let auxes = futures::future::try_join_all(auxes).await.expect("aux info");
	// Honest moduli pass the size check; a party with a far larger modulus is named.
	assert!(engine::oversized_moduli(&auxes[0].parties).is_empty());
	let mut inflated = auxes[0].parties.clone();
	inflated[1].N = inflated[1].N.clone() * inflated[2].N.clone();
	assert_eq!(engine::oversized_moduli(&inflated), vec![1]);
	// Aux info has the largest messages: they must fit the transport's default cap.
	let largest = hub.largest_payload();
	eprintln!("largest protocol message (aux info, 3 parties): {largest} bytes");
	assert!((largest as u64) < waas_signer::config::DEFAULT_MAX_MESSAGE_BYTES / 4, "{largest}");
	assert!(largest < engine::aux_message_cap(3), "aux info fits its protocol's cap: {largest}");
	let shares = cores
		.into_iter()
		.zip(auxes)
		.map(|(c, a)| engine::complete_share(c, a).expect("complete share"))
		.collect();
	(nets, shares)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dkg_then_threshold_signature_on_a_derived_key() {
	let hub = MemoryHub::new();
	let (nets, shares) = committee(&hub, 2).await;
	let (pk, cc) = engine::public_key_and_chain_code(&shares[0]).unwrap();
	for s in &shares[1..] {
		assert_eq!(engine::public_key_and_chain_code(s).unwrap(), (pk, cc), "all parties agree");
	}

	// Parties 0 and 2 sign keccak(payload) on a path as deep as the runtime allows
	// (MAX_DERIVATION_DEPTH, the runtime's MaxPathDepth), with the largest non-hardened index:
	// the signature verifying against the runtime's derivation proves cggmp21 and the runtime
	// agree at that depth.
	let path = vec![1u32, 0x7fff_ffff, 0, 0x1234_5678, 7, 1, 0x7fff_fffe, 42];
	assert_eq!(path.len() as u32, waas_primitives::MAX_DERIVATION_DEPTH);
	let payload = b"transfer 1 wei";
	let prehash = waas_primitives::HashScheme::Keccak256.hash(payload);
	let signers = vec![nets[0].peer_id(), nets[2].peer_id()];
	// A garbage message for the session, sent before it starts, is dropped without harm.
	hub.deliver(
		nets[2].peer_id(),
		nets[0].peer_id(),
		WireMessage {
			session: [3; 32],
			// A number the sender's own protocol messages do not use: a party can only ever
			// shadow its own messages.
			seq: u64::MAX,
			broadcast: true,
			payload: b"{not a protocol message".to_vec(),
		},
	);
	let runs = [(0usize, 0u16), (2, 1)].map(|(party, j)| {
		let job = SigningJob {
			signers: signers.clone(),
			me: j,
			keygen_indices: vec![0, 2],
			path: path.clone(),
			prehash,
		};
		engine::sign(&nets[party], [3; 32], shares[party].clone(), job, LIMIT)
	});
	let [a, b] = runs;
	let (a, b) = tokio::join!(a, b);
	let (a, b) = (a.expect("party 0 signs"), b.expect("party 2 signs"));
	assert_eq!(a, b, "both signers output the same signature");
	assert!(waas_primitives::signature::is_canonical(&a.0), "low s");

	// Independent check: the runtime's BIP32 derivation and k256 recovery.
	let (child, _) = waas_primitives::derivation::derive_public_key(&pk, &cc, &path).unwrap();
	let recovered: Vec<_> = (0..2)
		.filter_map(|rid| waas_primitives::signature::recover_compressed(&a.0, rid, &prehash))
		.collect();
	assert!(recovered.contains(&child), "signature verifies against the derived key");
	assert!(!recovered.contains(&pk), "not signed with the root key");

	// A signing run whose co-signer never shows up ends in a timeout, not a hang.
	let job = SigningJob {
		signers: vec![nets[0].peer_id(), nets[1].peer_id()],
		me: 0,
		keygen_indices: vec![0, 1],
		path: vec![],
		prehash,
	};
	let started = std::time::Instant::now();
	let err = engine::sign(&nets[0], [4; 32], shares[0].clone(), job, Duration::from_secs(2))
		.await
		.unwrap_err();
	assert!(matches!(err, EngineError::Timeout { blame: None, .. }), "{err}");
	assert!(started.elapsed() < Duration::from_secs(10));

	// Bad inputs are typed errors.
	let bad = SigningJob {
		signers: vec![nets[0].peer_id()],
		me: 0,
		keygen_indices: vec![0, 1],
		path: vec![],
		prehash,
	};
	let err = engine::sign(&nets[0], [5; 32], shares[0].clone(), bad, LIMIT).await.unwrap_err();
	assert!(matches!(err, EngineError::Input(_)), "{err}");
	let hardened = SigningJob {
		signers: signers.clone(),
		me: 0,
		keygen_indices: vec![0, 2],
		path: vec![0x8000_0000],
		prehash,
	};
	let err =
		engine::sign(&nets[0], [6; 32], shares[0].clone(), hardened, LIMIT).await.unwrap_err();
	assert!(matches!(err, EngineError::Input(_)), "{err}");
}

/// Signing index 1 of a 2-of-3 signing deviates; index 0 is honest.
async fn deviating_run(
	nets: &[Arc<waas_signer::transport::memory::MemoryNetwork>],
	shares: &[Share],
	session: [u8; 32],
	honest_limit: Duration,
) -> (Result<engine::RawSignature, EngineError>, Result<engine::RawSignature, EngineError>) {
	let signers = vec![nets[0].peer_id(), nets[1].peer_id()];
	let prehash = waas_primitives::HashScheme::Keccak256.hash(b"pay the attacker");
	let job = |me| SigningJob {
		signers: signers.clone(),
		me,
		keygen_indices: vec![0, 1],
		path: vec![3],
		prehash,
	};
	tokio::join!(
		engine::sign(&nets[0], session, shares[0].clone(), job(0), honest_limit),
		engine::sign(&nets[1], session, shares[1].clone(), job(1), Duration::from_secs(5)),
	)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_deviating_signer_is_blamed_by_the_honest_one() {
	let hub = MemoryHub::new();
	let (nets, shares) = committee(&hub, 2).await;
	let tamperer = nets[1].peer_id();

	// An inconsistent message: party 1's range proof for its ciphertext K (round 1b, sent to
	// each co-signer) is altered. cggmp21 identifies the sender; the blame is read from it.
	let inconsistent = [7u8; 32];
	hub.tamper(tamperer, move |msg: &mut WireMessage| {
		if msg.session == inconsistent {
			Deviation::InvalidEncProof.apply(&mut msg.payload);
		}
	});
	let (honest, deviating) = deviating_run(&nets, &shares, inconsistent, LIMIT).await;
	let err = honest.unwrap_err();
	eprintln!("the honest signer's error: {err}");
	assert!(matches!(err, EngineError::Protocol { .. }), "{err}");
	assert_eq!(
		err.blame(),
		Some(&Blame { reason: FaultReason::InvalidEncProof, accused: vec![1] }),
		"{err}"
	);
	// The deviating signer learns nothing it could blame the honest one for.
	let err = deviating.unwrap_err();
	assert_eq!(err.blame(), None, "{err}");

	// A malformed message: everything party 1 sends is garbage. The honest signer cannot
	// progress, times out, and names the sender of what did not decode.
	let malformed = [8u8; 32];
	hub.tamper(tamperer, move |msg: &mut WireMessage| {
		if msg.session == malformed {
			msg.payload = b"{\"Round1a\": 17}".to_vec();
		}
	});
	let started = std::time::Instant::now();
	let (honest, _) = deviating_run(&nets, &shares, malformed, Duration::from_secs(5)).await;
	let err = honest.unwrap_err();
	assert!(started.elapsed() < Duration::from_secs(30));
	assert!(matches!(err, EngineError::Timeout { .. }), "{err}");
	assert_eq!(
		err.blame(),
		Some(&Blame { reason: FaultReason::MalformedMessage, accused: vec![1] }),
		"{err}"
	);
	assert!(err.to_string().contains("MalformedMessage by party [1]"), "{err}");

	// Without the tampering the same pair signs: the faults were the tamperer's alone.
	hub.tamper(tamperer, |_: &mut WireMessage| {});
	let (a, b) = deviating_run(&nets, &shares, [9u8; 32], LIMIT).await;
	assert_eq!(a.expect("honest signs"), b.expect("reformed signs"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn presigned_signing_takes_one_round_and_verifies_on_the_presigned_path() {
	use engine::presign::{self, PresignJob, PresignedJob};
	let hub = MemoryHub::new();
	let (nets, shares) = committee(&hub, 2).await;
	let (pk, cc) = engine::public_key_and_chain_code(&shares[0]).unwrap();
	let path = vec![7u32, 0x7fff_ffff, 3];
	let (child, _) = waas_primitives::derivation::derive_public_key(&pk, &cc, &path).unwrap();
	let signers = vec![nets[0].peer_id(), nets[2].peer_id()];
	let parties = [(0usize, 0u16), (2, 1)];

	let generate = |session: [u8; 32]| {
		let runs = parties.map(|(party, j)| {
			let job = PresignJob {
				signers: signers.clone(),
				me: j,
				keygen_indices: vec![0, 2],
				path: path.clone(),
			};
			presign::presign(&nets[party], session, shares[party].clone(), job, LIMIT)
		});
		async move {
			let [a, b] = runs;
			let (a, b) = tokio::join!(a, b);
			[a.expect("presign 0"), b.expect("presign 2")]
		}
	};
	let started = std::time::Instant::now();
	let presigs = generate([20; 32]).await;
	eprintln!("presignature generation (2 of 3, in-process): {:?}", started.elapsed());

	let online = |presigs: [engine::presign::Presig; 2], session, msg: &[u8], public_key| {
		let prehash = waas_primitives::HashScheme::Keccak256.hash(msg);
		let [p0, p2] = presigs;
		let signers = signers.clone();
		let job = move |me| PresignedJob { signers: signers.clone(), me, prehash, public_key };
		let (nets, limit) = (nets.clone(), Duration::from_secs(10));
		async move {
			let started = std::time::Instant::now();
			let (a, b) = tokio::join!(
				presign::sign_presigned(&nets[0], session, p0, job(0), limit),
				presign::sign_presigned(&nets[2], session, p2, job(1), limit),
			);
			(a, b, prehash, started.elapsed())
		}
	};
	let (a, b, prehash, took) = online(presigs, [21; 32], b"transfer 2 wei", child).await;
	eprintln!("online step with a presignature (2 of 3, in-process): {took:?}");
	let (a, b) = (a.expect("party 0 signs"), b.expect("party 2 signs"));
	assert_eq!(a, b);
	assert!(waas_primitives::signature::is_canonical(&a.0));
	let recovered: Vec<_> = (0..2)
		.filter_map(|rid| waas_primitives::signature::recover_compressed(&a.0, rid, &prehash))
		.collect();
	assert!(recovered.contains(&child), "verifies against the key of the presigned path");

	// The presignature is bound to its path: expected to sign for another child key, the
	// combined signature does not verify and is refused rather than returned.
	let (other, _) = waas_primitives::derivation::derive_public_key(&pk, &cc, &[7, 1]).unwrap();
	// (Fresh presignatures: a presignature never signs two messages, not even in a test.)
	let presigs = generate([23; 32]).await;
	let (a, b, _, _) = online(presigs, [22; 32], b"other path", other).await;
	for err in [a.unwrap_err(), b.unwrap_err()] {
		assert!(matches!(err, EngineError::Protocol { blame: None, .. }), "{err}");
		assert!(err.to_string().contains("does not verify"), "{err}");
	}
}
