//! EVM wallets as Meta-Account authenticators: the messages a wallet signs and how its
//! signature is checked.
//!
//! A wallet signs one of two statements, each in either of two formats ([`MessageFormat`]):
//!
//! - an [`Envelope`]: "dispatch this call for this Meta-Account", bound to a 32-byte envelope
//!   digest that the pallet computes (genesis hash, Meta-Account, authenticator, nonce,
//!   validity, fee payer, call hash);
//! - a [`Possession`] statement: "add this wallet to this Meta-Account with this role", bound
//!   to a 32-byte possession digest the pallet computes.
//!
//! As EIP-191 `personal_sign` the wallet shows a readable text ([`Envelope::text`],
//! [`Possession::text`]); as EIP-712 `signTypedData` it shows typed fields under the domain
//! `{ name: "WaaS Chain", version: "1", salt: genesis hash }`. Either way the signature is
//! over a 32-byte hash ([`Envelope::hash`], [`Possession::hash`]), from which the signer's
//! address is recovered: with [`recover_evm_address`] off-chain, and in the runtime with the
//! `secp256k1_ecdsa_recover` host function on the [`canonical_signature`] and
//! [`evm_address_of`] of the key it returns.
//!
//! The texts and hashes are checked against ethers 6 (`tests/fixtures/evm-auth-ethers.*`).

use alloc::{format, string::String};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
use scale_info::TypeInfo;
use sha3::{Digest as _, Keccak256};

/// What EIP-191 prepends to a message before hashing it (then the message's length in
/// decimal, then the message).
pub const EIP191_PREFIX: &[u8] = b"\x19Ethereum Signed Message:\n";
/// The EIP-712 domain type: no chain id or contract, the genesis hash as salt.
pub const EIP712_DOMAIN_TYPE: &str = "EIP712Domain(string name,string version,bytes32 salt)";
/// The EIP-712 domain name.
pub const EIP712_DOMAIN_NAME: &str = "WaaS Chain";
/// The EIP-712 domain version.
pub const EIP712_DOMAIN_VERSION: &str = "1";
/// The EIP-712 type of an envelope.
pub const ENVELOPE_TYPE: &str =
	"WaasEnvelope(bytes32 metaAccount,uint64 nonce,uint32 validUntil,bytes32 digest)";
/// The EIP-712 type of a possession statement.
pub const POSSESSION_TYPE: &str = "WaasPossession(bytes32 metaAccount,string role,bytes32 digest)";

/// How a wallet signed: which hash its signature is over.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum MessageFormat {
	/// EIP-191 `personal_sign` of the statement's text.
	Eip191,
	/// EIP-712 `signTypedData` of the statement's typed data.
	Eip712,
}

/// Why an EVM signature was rejected.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum EvmSignatureError {
	/// `v` is not 0, 1, 27 or 28.
	InvalidRecoveryId,
	/// `r` or `s` is not in `1..n`.
	InvalidSignature,
	/// No public key recovers from the signature and hash (`r` is not the x coordinate of a
	/// point).
	RecoveryFailed,
}

/// An envelope: a call a wallet authorises for a Meta-Account (see the module docs).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Envelope {
	/// The chain's genesis hash.
	pub genesis_hash: [u8; 32],
	/// The Meta-Account's id.
	pub meta_account: [u8; 32],
	/// The authenticator's envelope nonce.
	pub nonce: u64,
	/// Last block at which the envelope may be dispatched.
	pub valid_until: u32,
	/// The envelope digest the pallet computes.
	pub digest: [u8; 32],
}

/// Which Meta-Account a possession statement is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PossessionAccount {
	/// A Meta-Account being created, by the creator's creation nonce. Its EIP-712
	/// `metaAccount` is 32 zero bytes.
	New {
		/// The creator's creation nonce.
		creation_nonce: u32,
	},
	/// An existing Meta-Account, by its id.
	Existing([u8; 32]),
}

/// A possession statement: a wallet agreeing to be added to a Meta-Account with a role (see
/// the module docs).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Possession<'a> {
	/// The chain's genesis hash.
	pub genesis_hash: [u8; 32],
	/// The Meta-Account.
	pub account: PossessionAccount,
	/// The role's name as the wallet shows it: `"Owner"`, `"Signer"` or `"Viewer"` (what the
	/// pallet's `Role::name` returns). Taken as given: the texts and hashes are only
	/// meaningful with one of these.
	pub role: &'a str,
	/// The possession digest the pallet computes.
	pub digest: [u8; 32],
}

impl Envelope {
	/// The EIP-191 text:
	///
	/// ```text
	/// WaaS Chain envelope
	/// chain: 0x<genesis hash>
	/// meta-account: 0x<meta-account>
	/// nonce: <decimal>
	/// valid until block: <decimal>
	/// digest: 0x<digest>
	/// ```
	///
	/// Lines joined by `\n`, no trailing newline, hex in lower case.
	pub fn text(&self) -> String {
		format!(
			"WaaS Chain envelope\nchain: 0x{}\nmeta-account: 0x{}\nnonce: {}\nvalid until block: {}\ndigest: 0x{}",
			hex::encode(self.genesis_hash),
			hex::encode(self.meta_account),
			self.nonce,
			self.valid_until,
			hex::encode(self.digest),
		)
	}

	/// The EIP-712 struct hash of
	/// `WaasEnvelope(bytes32 metaAccount,uint64 nonce,uint32 validUntil,bytes32 digest)`.
	pub fn struct_hash(&self) -> [u8; 32] {
		Keccak256::new()
			.chain_update(keccak(ENVELOPE_TYPE.as_bytes()))
			.chain_update(self.meta_account)
			.chain_update(uint256(self.nonce))
			.chain_update(uint256(self.valid_until.into()))
			.chain_update(self.digest)
			.finalize()
			.into()
	}

	/// The hash a wallet signs in `format`.
	pub fn hash(&self, format: MessageFormat) -> [u8; 32] {
		match format {
			MessageFormat::Eip191 => eip191_hash(self.text().as_bytes()),
			MessageFormat::Eip712 => eip712_hash(&self.genesis_hash, &self.struct_hash()),
		}
	}
}

impl Possession<'_> {
	/// The EIP-191 text:
	///
	/// ```text
	/// WaaS Chain: add this wallet to a Meta-Account
	/// chain: 0x<genesis hash>
	/// meta-account: 0x<meta-account>        or: meta-account: new (creation nonce <n>)
	/// role: <role>
	/// digest: 0x<digest>
	/// ```
	///
	/// Lines joined by `\n`, no trailing newline, hex in lower case.
	pub fn text(&self) -> String {
		let account = match self.account {
			PossessionAccount::New { creation_nonce } => {
				format!("new (creation nonce {creation_nonce})")
			},
			PossessionAccount::Existing(id) => format!("0x{}", hex::encode(id)),
		};
		format!(
			"WaaS Chain: add this wallet to a Meta-Account\nchain: 0x{}\nmeta-account: {}\nrole: {}\ndigest: 0x{}",
			hex::encode(self.genesis_hash),
			account,
			self.role,
			hex::encode(self.digest),
		)
	}

	/// The EIP-712 struct hash of
	/// `WaasPossession(bytes32 metaAccount,string role,bytes32 digest)`.
	pub fn struct_hash(&self) -> [u8; 32] {
		let meta_account = match self.account {
			PossessionAccount::New { .. } => [0u8; 32],
			PossessionAccount::Existing(id) => id,
		};
		Keccak256::new()
			.chain_update(keccak(POSSESSION_TYPE.as_bytes()))
			.chain_update(meta_account)
			.chain_update(keccak(self.role.as_bytes()))
			.chain_update(self.digest)
			.finalize()
			.into()
	}

	/// The hash a wallet signs in `format`.
	pub fn hash(&self, format: MessageFormat) -> [u8; 32] {
		match format {
			MessageFormat::Eip191 => eip191_hash(self.text().as_bytes()),
			MessageFormat::Eip712 => eip712_hash(&self.genesis_hash, &self.struct_hash()),
		}
	}
}

/// EIP-191 (version `E`, `personal_sign`):
/// `keccak256("\x19Ethereum Signed Message:\n" ‖ decimal length of message ‖ message)`.
pub fn eip191_hash(message: &[u8]) -> [u8; 32] {
	Keccak256::new()
		.chain_update(EIP191_PREFIX)
		.chain_update(format!("{}", message.len()).as_bytes())
		.chain_update(message)
		.finalize()
		.into()
}

/// The EIP-712 domain separator of the chain with this genesis hash:
/// `hashStruct(EIP712Domain { name: "WaaS Chain", version: "1", salt: genesis_hash })`.
pub fn domain_separator(genesis_hash: &[u8; 32]) -> [u8; 32] {
	Keccak256::new()
		.chain_update(keccak(EIP712_DOMAIN_TYPE.as_bytes()))
		.chain_update(keccak(EIP712_DOMAIN_NAME.as_bytes()))
		.chain_update(keccak(EIP712_DOMAIN_VERSION.as_bytes()))
		.chain_update(genesis_hash)
		.finalize()
		.into()
}

/// The EIP-712 hash a wallet signs:
/// `keccak256(0x19 0x01 ‖ domain_separator(genesis_hash) ‖ struct_hash)`.
pub fn eip712_hash(genesis_hash: &[u8; 32], struct_hash: &[u8; 32]) -> [u8; 32] {
	Keccak256::new()
		.chain_update([0x19, 0x01])
		.chain_update(domain_separator(genesis_hash))
		.chain_update(struct_hash)
		.finalize()
		.into()
}

/// The recovery id (0 or 1) of a signature's `v`: 0 or 27 → 0, 1 or 28 → 1. Anything else
/// (2 and 3, which never occur in practice, or EIP-155 values, which are for transactions) is
/// [`EvmSignatureError::InvalidRecoveryId`].
pub fn normalize_recovery_id(v: u8) -> Result<u8, EvmSignatureError> {
	match v {
		0 | 27 => Ok(0),
		1 | 28 => Ok(1),
		_ => Err(EvmSignatureError::InvalidRecoveryId),
	}
}

/// A wallet signature `r ‖ s ‖ v` in the one form both verifiers agree on: `r` and `s` in
/// `1..n`, `s` in the low half (a high `s` is replaced by `n - s` and the recovery id flipped,
/// which recovers the same key) and `v` normalised to 0 or 1. This is what the runtime hands
/// to the `secp256k1_ecdsa_recover` host function, and what [`recover_evm_address`] recovers
/// from with `k256`, which refuses a high `s`.
pub fn canonical_signature(signature: &[u8; 65]) -> Result<[u8; 65], EvmSignatureError> {
	// Fixed indices into a 65-byte array: cannot be out of bounds.
	let mut recovery_id = normalize_recovery_id(signature[64])?;
	let mut parsed =
		Signature::from_slice(&signature[..64]).map_err(|_| EvmSignatureError::InvalidSignature)?;
	if let Some(low) = parsed.normalize_s() {
		parsed = low;
		recovery_id ^= 1;
	}
	let mut out = [0u8; 65];
	out[..64].copy_from_slice(&parsed.to_bytes());
	out[64] = recovery_id;
	Ok(out)
}

/// The EVM address that signed `hash` (a 32-byte EIP-191 or EIP-712 hash) with `signature`
/// (`r ‖ s ‖ v`, `v` ∈ {0, 1, 27, 28}, either `s`), recovered with `k256`.
pub fn recover_evm_address(
	hash: &[u8; 32],
	signature: &[u8; 65],
) -> Result<[u8; 20], EvmSignatureError> {
	let canonical = canonical_signature(signature)?;
	let parsed =
		Signature::from_slice(&canonical[..64]).map_err(|_| EvmSignatureError::InvalidSignature)?;
	let recovery_id =
		RecoveryId::from_byte(canonical[64]).ok_or(EvmSignatureError::InvalidRecoveryId)?;
	let key = VerifyingKey::recover_from_prehash(hash, &parsed, recovery_id)
		.map_err(|_| EvmSignatureError::RecoveryFailed)?;
	let point = key.to_encoded_point(false);
	let xy: &[u8; 64] = point
		.as_bytes()
		.get(1..)
		.and_then(|xy| xy.try_into().ok())
		.ok_or(EvmSignatureError::RecoveryFailed)?;
	Ok(evm_address_of(xy))
}

/// The EVM address of a public key given as `x ‖ y` (64 bytes, what
/// `secp256k1_ecdsa_recover` returns): the last 20 bytes of its keccak-256.
pub fn evm_address_of(public_key: &[u8; 64]) -> [u8; 20] {
	let hash = keccak(public_key);
	let mut address = [0u8; 20];
	address.copy_from_slice(&hash[12..]);
	address
}

fn keccak(bytes: &[u8]) -> [u8; 32] {
	Keccak256::digest(bytes).into()
}

/// An EIP-712 `uint<N>` word: big-endian, left-padded to 32 bytes.
fn uint256(value: u64) -> [u8; 32] {
	let mut word = [0u8; 32];
	word[24..].copy_from_slice(&value.to_be_bytes());
	word
}
