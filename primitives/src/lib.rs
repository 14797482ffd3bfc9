//! # WaaS primitives
//!
//! Pure, `no_std` logic shared by the runtime, the signer nodes and clients, so that they can
//! never disagree on a chain id, a derivation, an address or a payload hash:
//!
//! - [`caip`]: CAIP-2 chain ids and the chain families they name, CAIP-10 accounts and CAIP-19
//!   assets on EVM chains;
//! - [`derivation`]: non-hardened BIP32 public derivation (the `bip32` crate on `k256`) and the
//!   path of a Meta-Account's address;
//! - [`address`]: address encodings (EVM with EIP-55 now);
//! - [`hashing`]: how a payload is hashed before it is signed;
//! - [`namespace`]: derivation-path namespaces, one per requester;
//! - [`signature`]: ECDSA secp256k1 checks (canonical form, recovery);
//! - [`webauthn`]: passkey (WebAuthn ES256) registration and assertion verification;
//! - [`evm_auth`]: the EIP-191 and EIP-712 messages EVM wallets sign for a Meta-Account, and
//!   signer recovery;
//! - [`evm_tx`]: EIP-1559 transactions the committee signs for a pallet, decoded and checked
//!   against what the pallet intends before any signature is asked for;
//! - [`merkle_log`]: RFC 6962 Merkle trees of append-only logs (tree hash, inclusion and
//!   consistency proofs), verified by the audit-anchors pallet and built by log holders.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod address;
pub mod caip;
pub mod derivation;
pub mod evm_auth;
pub mod evm_tx;
pub mod hashing;
pub mod merkle_log;
pub mod namespace;
pub mod signature;
#[cfg(feature = "test-utils")]
pub mod testing;
pub mod webauthn;

pub use address::{eip55, encode_address, evm_address, AddressError, MAX_ADDRESS_LEN};
pub use caip::{
	parse_evm_account, parse_evm_asset, CaipError, ChainFamily, EvmAsset, MAX_ACCOUNT_ID_LEN,
	MAX_ASSET_ID_LEN, MAX_CHAIN_ID_LEN,
};
pub use derivation::{
	derive_public_key, meta_account_path, ChainCode, CompressedPublicKey, DerivationError,
	HARDENED_OFFSET, MAX_DERIVATION_DEPTH, META_ACCOUNT_PATH_DEPTH,
};
pub use evm_auth::{recover_evm_address, EvmSignatureError};
pub use hashing::HashScheme;
pub use namespace::Namespace;
pub use webauthn::{
	verify_assertion, verify_registration, PasskeyPublicKey, Policy, RelyingParty, WebAuthnError,
};
