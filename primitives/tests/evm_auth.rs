//! EIP-191 and EIP-712 messages against ethers 6 (`fixtures/evm-auth-ethers.json`, made by
//! `fixtures/evm-auth-ethers.mjs`), and signature recovery.

use k256::ecdsa::{Signature, SigningKey};
use serde_json::Value;
use sha3::{Digest as _, Keccak256};
use waas_primitives::evm_auth::{
	canonical_signature, domain_separator, eip191_hash, evm_address_of, normalize_recovery_id,
	recover_evm_address, Envelope, EvmSignatureError, MessageFormat, Possession, PossessionAccount,
	EIP712_DOMAIN_TYPE, ENVELOPE_TYPE, POSSESSION_TYPE,
};

fn fixture() -> Value {
	let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/evm-auth-ethers.json");
	serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

fn bytes<const N: usize>(value: &Value) -> [u8; N] {
	hex::decode(value.as_str().expect("hex string")).expect("hex").try_into().expect("length")
}

fn address(fixture: &Value) -> [u8; 20] {
	bytes(&fixture["address"])
}

/// Checks that `signature` (from ethers) recovers `expected` over `hash`, also with `v` as 0/1
/// and with the high-s twin of the signature.
fn check_recovery(hash: &[u8; 32], signature: &[u8; 65], expected: &[u8; 20]) {
	assert!(signature[64] == 27 || signature[64] == 28, "ethers signs with v = 27/28");
	assert_eq!(recover_evm_address(hash, signature), Ok(*expected));

	let mut zero_one = *signature;
	zero_one[64] -= 27;
	assert_eq!(recover_evm_address(hash, &zero_one), Ok(*expected));

	// (r, n - s) with the other recovery id is the same signature's high-s twin.
	let low = Signature::from_slice(&signature[..64]).unwrap();
	assert!(low.normalize_s().is_none(), "ethers signs low-s");
	let high = Signature::from_scalars(low.r(), -*low.s()).unwrap();
	let mut twin = [0u8; 65];
	twin[..64].copy_from_slice(&high.to_bytes());
	twin[64] = zero_one[64] ^ 1;
	assert_eq!(recover_evm_address(hash, &twin), Ok(*expected));
	assert_eq!(canonical_signature(&twin), Ok(zero_one));

	// Another hash recovers another address (or none).
	let mut other = *hash;
	other[0] ^= 1;
	assert_ne!(recover_evm_address(&other, signature), Ok(*expected));
	// The other recovery id recovers another key.
	let mut flipped = *signature;
	flipped[64] ^= 1;
	assert_ne!(recover_evm_address(hash, &flipped), Ok(*expected));
}

#[test]
fn type_strings_are_the_ones_ethers_hashes() {
	let fixture = fixture();
	assert_eq!(fixture["types"]["domain"], EIP712_DOMAIN_TYPE);
	assert_eq!(fixture["types"]["envelope"], ENVELOPE_TYPE);
	assert_eq!(fixture["types"]["possession"], POSSESSION_TYPE);
}

#[test]
fn domain_separators_match_ethers() {
	let fixture = fixture();
	let cases = fixture["domain_separators"].as_array().unwrap();
	assert!(!cases.is_empty());
	for case in cases {
		let genesis: [u8; 32] = bytes(&case["genesis_hash"]);
		assert_eq!(domain_separator(&genesis), bytes::<32>(&case["separator"]));
	}
}

#[test]
fn envelopes_match_ethers() {
	let fixture = fixture();
	let signer = address(&fixture);
	let cases = fixture["envelopes"].as_array().unwrap();
	assert_eq!(cases.len(), 3);
	for case in cases {
		let envelope = Envelope {
			genesis_hash: bytes(&case["genesis_hash"]),
			meta_account: bytes(&case["meta_account"]),
			nonce: case["nonce"].as_str().unwrap().parse().unwrap(),
			valid_until: case["valid_until"].as_u64().unwrap().try_into().unwrap(),
			digest: bytes(&case["digest"]),
		};
		assert_eq!(envelope.text(), case["text"].as_str().unwrap());
		let eip191 = envelope.hash(MessageFormat::Eip191);
		assert_eq!(eip191, bytes::<32>(&case["eip191_hash"]));
		assert_eq!(eip191, eip191_hash(envelope.text().as_bytes()));
		assert_eq!(envelope.struct_hash(), bytes::<32>(&case["struct_hash"]));
		let eip712 = envelope.hash(MessageFormat::Eip712);
		assert_eq!(eip712, bytes::<32>(&case["eip712_hash"]));
		assert_ne!(eip191, eip712);
		check_recovery(&eip191, &bytes(&case["eip191_signature"]), &signer);
		check_recovery(&eip712, &bytes(&case["eip712_signature"]), &signer);
	}
}

#[test]
fn possessions_match_ethers() {
	let fixture = fixture();
	let signer = address(&fixture);
	let cases = fixture["possessions"].as_array().unwrap();
	assert_eq!(cases.len(), 5);
	for case in cases {
		let account = match case["creation_nonce"].as_u64() {
			Some(n) => PossessionAccount::New { creation_nonce: n.try_into().unwrap() },
			None => PossessionAccount::Existing(bytes(&case["meta_account"])),
		};
		let possession = Possession {
			genesis_hash: bytes(&case["genesis_hash"]),
			account,
			role: case["role"].as_str().unwrap(),
			digest: bytes(&case["digest"]),
		};
		assert_eq!(possession.text(), case["text"].as_str().unwrap());
		let eip191 = possession.hash(MessageFormat::Eip191);
		assert_eq!(eip191, bytes::<32>(&case["eip191_hash"]));
		assert_eq!(possession.struct_hash(), bytes::<32>(&case["struct_hash"]));
		let eip712 = possession.hash(MessageFormat::Eip712);
		assert_eq!(eip712, bytes::<32>(&case["eip712_hash"]));
		check_recovery(&eip191, &bytes(&case["eip191_signature"]), &signer);
		check_recovery(&eip712, &bytes(&case["eip712_signature"]), &signer);
	}
}

#[test]
fn texts_byte_for_byte() {
	let envelope = Envelope {
		genesis_hash: [0xab; 32],
		meta_account: [0x01; 32],
		nonce: 42,
		valid_until: 1000,
		digest: [0xff; 32],
	};
	let expected = "WaaS Chain envelope\n\
		chain: 0xabababababababababababababababababababababababababababababababab\n\
		meta-account: 0x0101010101010101010101010101010101010101010101010101010101010101\n\
		nonce: 42\n\
		valid until block: 1000\n\
		digest: 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
	assert_eq!(envelope.text(), expected);

	let possession = Possession {
		genesis_hash: [0xab; 32],
		account: PossessionAccount::New { creation_nonce: 3 },
		role: "Viewer",
		digest: [0x00; 32],
	};
	let expected = "WaaS Chain: add this wallet to a Meta-Account\n\
		chain: 0xabababababababababababababababababababababababababababababababab\n\
		meta-account: new (creation nonce 3)\n\
		role: Viewer\n\
		digest: 0x0000000000000000000000000000000000000000000000000000000000000000";
	assert_eq!(possession.text(), expected);
	// A new Meta-Account's EIP-712 metaAccount is 32 zero bytes: same struct hash as an
	// existing all-zero id, whatever the creation nonce.
	let zero = Possession { account: PossessionAccount::Existing([0; 32]), ..possession };
	assert_eq!(possession.struct_hash(), zero.struct_hash());
	assert_ne!(possession.text(), zero.text());
}

#[test]
fn eip191_hash_is_prefix_length_message() {
	// keccak256("\x19Ethereum Signed Message:\n5hello"), as ethers.hashMessage("hello").
	assert_eq!(
		hex::encode(eip191_hash(b"hello")),
		"50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750"
	);
	let mut long = Keccak256::new();
	long.update(b"\x19Ethereum Signed Message:\n100");
	long.update([b'a'; 100]);
	assert_eq!(eip191_hash(&[b'a'; 100]), <[u8; 32]>::from(long.finalize()));
}

#[test]
fn recovery_ids() {
	assert_eq!(normalize_recovery_id(0), Ok(0));
	assert_eq!(normalize_recovery_id(1), Ok(1));
	assert_eq!(normalize_recovery_id(27), Ok(0));
	assert_eq!(normalize_recovery_id(28), Ok(1));
	for v in (2..=26).chain(29..=255) {
		assert_eq!(normalize_recovery_id(v), Err(EvmSignatureError::InvalidRecoveryId), "{v}");
	}
}

#[test]
fn signatures_with_a_local_key() {
	let key = SigningKey::from_slice(&[0x5a; 32]).unwrap();
	let point = key.verifying_key().to_encoded_point(false);
	let xy: [u8; 64] = point.as_bytes()[1..].try_into().unwrap();
	let expected = evm_address_of(&xy);
	// evm_address_of is keccak(x ‖ y)[12..], as the crate's address module computes it.
	let compressed: [u8; 33] =
		key.verifying_key().to_encoded_point(true).as_bytes().try_into().unwrap();
	assert_eq!(waas_primitives::evm_address(&compressed), Ok(expected));

	let hash = [0x33u8; 32];
	let (signature, recovery_id) = key.sign_prehash_recoverable(&hash).unwrap();
	let mut sig = [0u8; 65];
	sig[..64].copy_from_slice(&signature.to_bytes());
	sig[64] = recovery_id.to_byte() + 27;
	check_recovery(&hash, &sig, &expected);

	// Bad v.
	let mut bad_v = sig;
	bad_v[64] = 29;
	assert_eq!(recover_evm_address(&hash, &bad_v), Err(EvmSignatureError::InvalidRecoveryId));
	assert_eq!(canonical_signature(&bad_v), Err(EvmSignatureError::InvalidRecoveryId));
	bad_v[64] = 2;
	assert_eq!(recover_evm_address(&hash, &bad_v), Err(EvmSignatureError::InvalidRecoveryId));
	// r = 0, s = 0, r = n, s ≥ n.
	let n = hex_literal::hex!("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
	for (r, s) in [([0u8; 32], [1u8; 32]), ([1u8; 32], [0u8; 32]), (n, [1u8; 32]), ([1u8; 32], n)] {
		let mut bad = [0u8; 65];
		bad[..32].copy_from_slice(&r);
		bad[32..64].copy_from_slice(&s);
		assert_eq!(recover_evm_address(&hash, &bad), Err(EvmSignatureError::InvalidSignature));
		assert_eq!(canonical_signature(&bad), Err(EvmSignatureError::InvalidSignature));
	}
	// An r that is no point's x coordinate: nothing recovers.
	let no_point = (1u8..=255)
		.find_map(|last| {
			let mut candidate = sig;
			candidate[..32].copy_from_slice(&[0u8; 32]);
			candidate[31] = last;
			(recover_evm_address(&hash, &candidate) == Err(EvmSignatureError::RecoveryFailed))
				.then_some(candidate)
		})
		.expect("about half of all x are not on the curve");
	assert_eq!(canonical_signature(&no_point).map(|c| c[..32] == no_point[..32]), Ok(true));
}
