//! WebAuthn (passkey) verification for the runtime: ES256 credentials (ECDSA on P-256 with
//! SHA-256), as browsers and authenticators produce them.
//!
//! Two operations:
//!
//! - [`verify_registration`] checks the result of `navigator.credentials.create()` (an
//!   attestation object and its clientDataJSON) and returns the new credential's id and public
//!   key. A `packed` self-attestation (signed by the new credential itself) proves possession
//!   of the key on the spot ([`Registration::self_attested`]); attestation `none` carries no
//!   signature, so possession has to be proven by an assertion as well.
//! - [`verify_assertion`] checks the result of `navigator.credentials.get()` (authenticator
//!   data, clientDataJSON and a signature) against a stored [`PasskeyPublicKey`].
//!
//! Both check, against a [`Policy`]: the clientDataJSON `type`, that its `challenge` is the
//! expected 32 bytes in base64url without padding, that its `origin` is allowed (see
//! [`RelyingParty::matches_origin`]), that it was not made in a cross-origin iframe, that
//! the authenticator data's rpIdHash is SHA-256 of the matching relying party's id, that the
//! user was present, and that the user was verified if the policy requires it.
//!
//! Every input is capped in size before it is parsed ([`MAX_CLIENT_DATA_JSON_LEN`] and the
//! other `MAX_*` constants), no trailing bytes are accepted anywhere, every failure is a
//! [`WebAuthnError`] variant, and nothing panics on any input.
//!
//! Signatures are accepted in ASN.1 DER (what authenticators return) or as raw 64-byte
//! `r ‖ s` (what WebCrypto produces). A high `s` is normalised to `n - s` before verifying:
//! both are valid ECDSA signatures, and clients need not care which one they send.

use alloc::{string::String, vec::Vec};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use minicbor::{data::Type, Decoder};
use p256::ecdsa::{signature::hazmat::PrehashVerifier as _, Signature, VerifyingKey};
use scale_info::TypeInfo;
use serde::{Deserialize, Deserializer};
use sha2::{Digest as _, Sha256};

/// Longest clientDataJSON accepted (bytes).
pub const MAX_CLIENT_DATA_JSON_LEN: u32 = 1024;
/// Longest authenticator data accepted (bytes), in an assertion or inside an attestation
/// object.
pub const MAX_AUTHENTICATOR_DATA_LEN: u32 = 1024;
/// Longest attestation object accepted (bytes).
pub const MAX_ATTESTATION_OBJECT_LEN: u32 = 2048;
/// Longest credential id accepted (bytes).
pub const MAX_CREDENTIAL_ID_LEN: u32 = 255;
/// Longest DER-encoded signature accepted (bytes): `SEQUENCE { INTEGER r, INTEGER s }` with
/// both integers 33 bytes long (a leading zero before a set high bit).
pub const MAX_DER_SIGNATURE_LEN: u32 = 72;
/// Length of a raw `r ‖ s` signature (bytes). A signature of exactly this length is always
/// read as raw, never as DER (a DER signature this short needs `r` and `s` to be about 2^48
/// times smaller than random).
pub const RAW_SIGNATURE_LEN: u32 = 64;
/// Length of a [`PasskeyPublicKey`]: a SEC1 uncompressed point, `0x04 ‖ x ‖ y`.
pub const PUBLIC_KEY_LEN: usize = 65;

/// clientDataJSON `type` of a registration.
pub const TYPE_CREATE: &str = "webauthn.create";
/// clientDataJSON `type` of an assertion.
pub const TYPE_GET: &str = "webauthn.get";

/// COSE key type EC2.
const COSE_KTY_EC2: i64 = 2;
/// COSE algorithm ES256 (ECDSA with SHA-256).
const COSE_ALG_ES256: i64 = -7;
/// COSE elliptic curve P-256.
const COSE_CRV_P256: i64 = 1;

const FLAG_USER_PRESENT: u8 = 0x01;
const FLAG_USER_VERIFIED: u8 = 0x04;
const FLAG_BACKUP_ELIGIBLE: u8 = 0x08;
const FLAG_BACKUP_STATE: u8 = 0x10;
const FLAG_ATTESTED_CREDENTIAL: u8 = 0x40;
const FLAG_EXTENSIONS: u8 = 0x80;

/// Why a registration or an assertion was rejected. One variant per distinct failure, so
/// that a client (or a test) can tell what went wrong.
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
pub enum WebAuthnError {
	/// clientDataJSON is longer than [`MAX_CLIENT_DATA_JSON_LEN`].
	ClientDataTooLong,
	/// Authenticator data is longer than [`MAX_AUTHENTICATOR_DATA_LEN`].
	AuthenticatorDataTooLong,
	/// The attestation object is longer than [`MAX_ATTESTATION_OBJECT_LEN`].
	AttestationObjectTooLong,
	/// The signature is longer than [`MAX_DER_SIGNATURE_LEN`].
	SignatureTooLong,
	/// clientDataJSON is not a JSON object with string `type`, `challenge` and `origin`
	/// members, has a member twice, has a non-boolean `crossOrigin`, or is not valid JSON.
	MalformedClientData,
	/// clientDataJSON `type` is not the one expected (`webauthn.create` for a registration,
	/// `webauthn.get` for an assertion).
	WrongType,
	/// clientDataJSON `challenge` is not base64url without padding (padded, standard
	/// alphabet, other characters, or non-zero trailing bits).
	MalformedChallenge,
	/// clientDataJSON `challenge` decodes to something other than the expected 32 bytes.
	ChallengeMismatch,
	/// clientDataJSON `origin` matches no relying party of the policy.
	OriginNotAllowed,
	/// clientDataJSON `crossOrigin` is `true`: the ceremony ran in a cross-origin iframe.
	CrossOrigin,
	/// clientDataJSON has a `topOrigin` member: the ceremony ran in a cross-origin iframe.
	TopOrigin,
	/// Authenticator data is too short for its fixed part or for the attested credential data
	/// its flags announce, or announces an empty credential id.
	MalformedAuthenticatorData,
	/// The rpIdHash is not SHA-256 of the id of a relying party whose origin matched.
	RpIdHashMismatch,
	/// The user-present (UP) flag is not set.
	UserNotPresent,
	/// The policy requires user verification and the user-verified (UV) flag is not set.
	UserNotVerified,
	/// The backup-state (BS) flag is set without the backup-eligible (BE) flag.
	InconsistentBackupFlags,
	/// Assertion authenticator data carries attested credential data (AT flag).
	UnexpectedAttestedCredential,
	/// Registration authenticator data carries no attested credential data (AT flag unset).
	MissingAttestedCredential,
	/// The credential id is longer than [`MAX_CREDENTIAL_ID_LEN`].
	CredentialIdTooLong,
	/// The extensions flag (ED) is set but what follows is not one well-formed CBOR map.
	MalformedExtensions,
	/// Bytes follow the last item of authenticator data or of the attestation object.
	TrailingBytes,
	/// The credential public key is not a well-formed COSE EC2 key (missing, duplicated or
	/// mistyped parameters, coordinates not 32 bytes), or its point is not on P-256; or a
	/// [`PasskeyPublicKey`] is not a SEC1 uncompressed P-256 point.
	MalformedPublicKey,
	/// The credential key or the attestation signature is not ES256 (COSE key type EC2,
	/// algorithm -7, curve P-256).
	UnsupportedAlgorithm,
	/// The signature is neither valid DER nor 64 raw bytes, or `r` or `s` is not in `1..n`.
	MalformedSignature,
	/// The assertion signature does not verify with the public key.
	BadSignature,
	/// The attestation object is not a CBOR map with text `fmt`, map `attStmt` and byte
	/// string `authData`, or its attestation statement does not have the syntax of its
	/// format.
	MalformedAttestation,
	/// The attestation format is neither `none` nor `packed` self-attestation (a `packed`
	/// statement with a certificate chain, `x5c`, or ECDAA is not supported either).
	UnsupportedAttestation,
	/// The `packed` self-attestation signature does not verify with the new credential key.
	BadAttestationSignature,
}

/// A relying party the chain accepts passkeys for: an RP id (the domain the credential is
/// scoped to) and the web origin the ceremony runs on.
///
/// Fields are public so that a runtime can list its relying parties in a `static`:
///
/// ```
/// use waas_primitives::webauthn::RelyingParty;
/// static RELYING_PARTIES: &[RelyingParty] = &[
///     RelyingParty { rp_id: "app.example", origin: "https://app.example", any_port: false },
///     RelyingParty { rp_id: "localhost", origin: "http://localhost", any_port: true },
/// ];
/// assert!(RELYING_PARTIES[1].matches_origin("http://localhost:5173"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RelyingParty {
	/// The RP id; authenticator data must carry SHA-256 of it.
	pub rp_id: &'static str,
	/// The origin, without a trailing slash (`https://wallet.example`).
	pub origin: &'static str,
	/// Whether `origin` followed by `:` and a port (1–5 decimal digits) also matches: for
	/// development servers on `http://localhost`.
	pub any_port: bool,
}

impl RelyingParty {
	/// Whether a clientDataJSON `origin` is this relying party's: equal to [`Self::origin`],
	/// or, with [`Self::any_port`], equal to it followed by `:` and 1–5 decimal digits.
	pub fn matches_origin(&self, origin: &str) -> bool {
		if origin == self.origin {
			return true;
		}
		if !self.any_port {
			return false;
		}
		match origin.strip_prefix(self.origin).and_then(|rest| rest.strip_prefix(':')) {
			Some(port) => (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit()),
			None => false,
		}
	}
}

/// What a registration or an assertion is checked against.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Policy<'a> {
	/// The allowed relying parties. An origin may match several entries (one origin serving
	/// credentials of a parent and of its own domain): the rpIdHash must then be that of one
	/// of them.
	pub relying_parties: &'a [RelyingParty],
	/// Whether the user-verified (UV) flag is required (PIN or biometrics, not just a touch).
	pub require_user_verification: bool,
}

/// An ES256 credential public key: a SEC1 uncompressed P-256 point, `0x04 ‖ x ‖ y`, checked
/// to be on the curve whenever one is made, decoded (SCALE) included.
#[derive(Encode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct PasskeyPublicKey([u8; PUBLIC_KEY_LEN]);

impl PasskeyPublicKey {
	/// The key from its SEC1 uncompressed encoding (65 bytes, starting with `0x04`).
	/// [`WebAuthnError::MalformedPublicKey`] for any other length or prefix, or a point not on
	/// P-256.
	pub fn from_sec1(bytes: &[u8]) -> Result<Self, WebAuthnError> {
		let point: [u8; PUBLIC_KEY_LEN] =
			bytes.try_into().map_err(|_| WebAuthnError::MalformedPublicKey)?;
		if point[0] != 0x04 {
			return Err(WebAuthnError::MalformedPublicKey);
		}
		VerifyingKey::from_sec1_bytes(&point).map_err(|_| WebAuthnError::MalformedPublicKey)?;
		Ok(Self(point))
	}

	/// The key from its affine coordinates (big-endian), as a COSE key carries them.
	pub fn from_coordinates(x: &[u8; 32], y: &[u8; 32]) -> Result<Self, WebAuthnError> {
		let mut point = [0u8; PUBLIC_KEY_LEN];
		point[0] = 0x04;
		point[1..33].copy_from_slice(x);
		point[33..].copy_from_slice(y);
		Self::from_sec1(&point)
	}

	/// The SEC1 uncompressed encoding.
	pub fn as_bytes(&self) -> &[u8; PUBLIC_KEY_LEN] {
		&self.0
	}

	fn verifying_key(&self) -> Result<VerifyingKey, WebAuthnError> {
		VerifyingKey::from_sec1_bytes(&self.0).map_err(|_| WebAuthnError::MalformedPublicKey)
	}
}

impl Decode for PasskeyPublicKey {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let bytes = <[u8; PUBLIC_KEY_LEN]>::decode(input)?;
		Self::from_sec1(&bytes).map_err(|_| "not a SEC1 uncompressed P-256 point".into())
	}
}

impl DecodeWithMemTracking for PasskeyPublicKey {}

/// The flags of authenticator data that matter to a relying party.
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
	Default,
)]
pub struct Flags {
	/// UP: the user touched the authenticator (always set in what the verifiers accept).
	pub user_present: bool,
	/// UV: the user was verified (PIN, biometrics).
	pub user_verified: bool,
	/// BE: the credential may be backed up (a synced passkey).
	pub backup_eligible: bool,
	/// BS: the credential is backed up.
	pub backup_state: bool,
}

impl Flags {
	/// The flags of an authenticator data flags byte.
	pub fn from_byte(byte: u8) -> Self {
		Self {
			user_present: byte & FLAG_USER_PRESENT != 0,
			user_verified: byte & FLAG_USER_VERIFIED != 0,
			backup_eligible: byte & FLAG_BACKUP_ELIGIBLE != 0,
			backup_state: byte & FLAG_BACKUP_STATE != 0,
		}
	}
}

/// The parts of a `navigator.credentials.get()` response that are verified.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Assertion<'a> {
	/// `response.authenticatorData`.
	pub authenticator_data: &'a [u8],
	/// `response.clientDataJSON`, exactly as the browser produced it.
	pub client_data_json: &'a [u8],
	/// `response.signature`: DER, or 64 bytes raw `r ‖ s`.
	pub signature: &'a [u8],
}

/// What a verified assertion reports.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct VerifiedAssertion {
	/// The authenticator data flags.
	pub flags: Flags,
	/// The signature counter (big-endian in authenticator data). Synced passkeys report 0.
	pub sign_count: u32,
}

/// What a verified registration reports: the new credential.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Registration {
	/// The credential id (at most [`MAX_CREDENTIAL_ID_LEN`] bytes, never empty); equals the
	/// credential's `rawId`.
	pub credential_id: Vec<u8>,
	/// The credential public key.
	pub public_key: PasskeyPublicKey,
	/// The authenticator data flags.
	pub flags: Flags,
	/// The initial signature counter.
	pub sign_count: u32,
	/// The authenticator model's AAGUID (all zero for attestation `none`).
	pub aaguid: [u8; 16],
	/// Whether a `packed` self-attestation, made by the new credential key over this very
	/// registration (and so over its challenge), verified: possession of the key is proven.
	/// `false` for attestation `none`.
	pub self_attested: bool,
}

/// Verifies an assertion (`navigator.credentials.get()`) by the credential whose public key
/// is `public_key`, made for `challenge`.
///
/// Checks, in this order: input sizes; clientDataJSON (type `webauthn.get`, challenge,
/// origin, `crossOrigin`, `topOrigin`); authenticator data (syntax, no attested credential
/// data, rpIdHash of a relying party whose origin matched, UP, UV if required, BE/BS
/// consistency); the signature over `authenticatorData ‖ SHA-256(clientDataJSON)`.
///
/// The caller checks the sign count (monotonic unless zero) and that the credential is the
/// one it expects: the signature only verifies with the key of the credential that made it.
pub fn verify_assertion(
	public_key: &PasskeyPublicKey,
	assertion: &Assertion<'_>,
	challenge: &[u8; 32],
	policy: &Policy<'_>,
) -> Result<VerifiedAssertion, WebAuthnError> {
	check_len(
		assertion.client_data_json,
		MAX_CLIENT_DATA_JSON_LEN,
		WebAuthnError::ClientDataTooLong,
	)?;
	check_len(
		assertion.authenticator_data,
		MAX_AUTHENTICATOR_DATA_LEN,
		WebAuthnError::AuthenticatorDataTooLong,
	)?;
	check_len(assertion.signature, MAX_DER_SIGNATURE_LEN, WebAuthnError::SignatureTooLong)?;

	let origin = check_client_data(assertion.client_data_json, TYPE_GET, challenge, policy)?;
	let data = parse_authenticator_data(assertion.authenticator_data)?;
	if data.attested_credential.is_some() {
		return Err(WebAuthnError::UnexpectedAttestedCredential);
	}
	check_rp_id_hash(policy, &origin, data.rp_id_hash)?;
	check_flags(data.flags, policy)?;

	let signature = parse_signature(assertion.signature)?;
	if !verify_signature(
		&public_key.verifying_key()?,
		assertion.authenticator_data,
		assertion.client_data_json,
		&signature,
	) {
		return Err(WebAuthnError::BadSignature);
	}
	Ok(VerifiedAssertion { flags: data.flags, sign_count: data.sign_count })
}

/// Verifies a registration (`navigator.credentials.create()`): its attestation object and
/// clientDataJSON, made for `challenge`.
///
/// Checks, in this order: input sizes; clientDataJSON (type `webauthn.create`, challenge,
/// origin, `crossOrigin`, `topOrigin`); the attestation object's syntax and format (`none`
/// with an empty statement, or `packed` self-attestation: `alg` -7 and `sig`, no `x5c`);
/// authenticator data (syntax, rpIdHash of a relying party whose origin matched, UP, UV if
/// required, BE/BS consistency, attested credential data with an ES256 COSE key); for
/// `packed`, the signature over `authenticatorData ‖ SHA-256(clientDataJSON)` with the new
/// credential key.
pub fn verify_registration(
	attestation_object: &[u8],
	client_data_json: &[u8],
	challenge: &[u8; 32],
	policy: &Policy<'_>,
) -> Result<Registration, WebAuthnError> {
	check_len(client_data_json, MAX_CLIENT_DATA_JSON_LEN, WebAuthnError::ClientDataTooLong)?;
	check_len(
		attestation_object,
		MAX_ATTESTATION_OBJECT_LEN,
		WebAuthnError::AttestationObjectTooLong,
	)?;

	let origin = check_client_data(client_data_json, TYPE_CREATE, challenge, policy)?;
	let attestation = parse_attestation_object(attestation_object)?;
	check_len(
		attestation.authenticator_data,
		MAX_AUTHENTICATOR_DATA_LEN,
		WebAuthnError::AuthenticatorDataTooLong,
	)?;
	let data = parse_authenticator_data(attestation.authenticator_data)?;
	check_rp_id_hash(policy, &origin, data.rp_id_hash)?;
	check_flags(data.flags, policy)?;
	let credential = data.attested_credential.ok_or(WebAuthnError::MissingAttestedCredential)?;

	let self_attested = match attestation.statement {
		AttestationStatement::None => false,
		AttestationStatement::PackedSelf { signature } => {
			if !verify_signature(
				&credential.public_key.verifying_key()?,
				attestation.authenticator_data,
				client_data_json,
				&signature,
			) {
				return Err(WebAuthnError::BadAttestationSignature);
			}
			true
		},
	};
	Ok(Registration {
		credential_id: credential.credential_id.to_vec(),
		public_key: credential.public_key,
		flags: data.flags,
		sign_count: data.sign_count,
		aaguid: credential.aaguid,
		self_attested,
	})
}

/// The credential id a registration's attestation object carries, with only its syntax
/// checked (cheap: nothing is verified; [`verify_registration`] does that).
pub fn registration_credential_id(attestation_object: &[u8]) -> Result<Vec<u8>, WebAuthnError> {
	check_len(
		attestation_object,
		MAX_ATTESTATION_OBJECT_LEN,
		WebAuthnError::AttestationObjectTooLong,
	)?;
	let attestation = parse_attestation_object(attestation_object)?;
	check_len(
		attestation.authenticator_data,
		MAX_AUTHENTICATOR_DATA_LEN,
		WebAuthnError::AuthenticatorDataTooLong,
	)?;
	let data = parse_authenticator_data(attestation.authenticator_data)?;
	let credential = data.attested_credential.ok_or(WebAuthnError::MissingAttestedCredential)?;
	Ok(credential.credential_id.to_vec())
}

/// The WebAuthn challenge for `digest`, as clientDataJSON carries it: base64url without
/// padding.
pub fn challenge_text(digest: &[u8; 32]) -> String {
	URL_SAFE_NO_PAD.encode(digest)
}

fn check_len(bytes: &[u8], max: u32, error: WebAuthnError) -> Result<(), WebAuthnError> {
	if bytes.len() > max as usize {
		return Err(error);
	}
	Ok(())
}

/// The members of clientDataJSON that are checked. Other members are ignored (browsers add
/// some, and ask relying parties to ignore them); a member present twice is an error.
#[derive(Deserialize)]
struct ClientData {
	#[serde(rename = "type")]
	ty: String,
	challenge: String,
	origin: String,
	#[serde(rename = "crossOrigin", default, deserialize_with = "some_bool")]
	cross_origin: Option<bool>,
	#[serde(rename = "topOrigin", default, deserialize_with = "present")]
	top_origin: bool,
}

/// `crossOrigin` must be a boolean when present (`null` is not "absent").
fn some_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
	bool::deserialize(deserializer).map(Some)
}

/// `topOrigin` is refused whatever its value, `null` included.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
	serde::de::IgnoredAny::deserialize(deserializer).map(|_| true)
}

/// Checks clientDataJSON and returns its origin, which matches at least one relying party.
fn check_client_data(
	json: &[u8],
	expected_type: &str,
	challenge: &[u8; 32],
	policy: &Policy<'_>,
) -> Result<String, WebAuthnError> {
	// A JSON array would deserialize into the struct positionally: only an object is
	// clientDataJSON.
	let first = json.iter().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
	if first != Some(&b'{') {
		return Err(WebAuthnError::MalformedClientData);
	}
	let data: ClientData =
		serde_json::from_slice(json).map_err(|_| WebAuthnError::MalformedClientData)?;
	if data.ty != expected_type {
		return Err(WebAuthnError::WrongType);
	}
	// The strict URL-safe engine refuses padding, `+` and `/`, and non-zero trailing bits:
	// one text per byte string.
	let decoded =
		URL_SAFE_NO_PAD.decode(&data.challenge).map_err(|_| WebAuthnError::MalformedChallenge)?;
	if decoded.as_slice() != challenge.as_slice() {
		return Err(WebAuthnError::ChallengeMismatch);
	}
	if !policy.relying_parties.iter().any(|rp| rp.matches_origin(&data.origin)) {
		return Err(WebAuthnError::OriginNotAllowed);
	}
	if data.cross_origin == Some(true) {
		return Err(WebAuthnError::CrossOrigin);
	}
	if data.top_origin {
		return Err(WebAuthnError::TopOrigin);
	}
	Ok(data.origin)
}

fn check_rp_id_hash(
	policy: &Policy<'_>,
	origin: &str,
	rp_id_hash: &[u8; 32],
) -> Result<(), WebAuthnError> {
	let matched = policy
		.relying_parties
		.iter()
		.filter(|rp| rp.matches_origin(origin))
		.any(|rp| Sha256::digest(rp.rp_id.as_bytes()).as_slice() == rp_id_hash.as_slice());
	if !matched {
		return Err(WebAuthnError::RpIdHashMismatch);
	}
	Ok(())
}

fn check_flags(flags: Flags, policy: &Policy<'_>) -> Result<(), WebAuthnError> {
	if !flags.user_present {
		return Err(WebAuthnError::UserNotPresent);
	}
	if policy.require_user_verification && !flags.user_verified {
		return Err(WebAuthnError::UserNotVerified);
	}
	if flags.backup_state && !flags.backup_eligible {
		return Err(WebAuthnError::InconsistentBackupFlags);
	}
	Ok(())
}

/// Authenticator data, parsed.
struct AuthenticatorData<'a> {
	rp_id_hash: &'a [u8; 32],
	flags: Flags,
	sign_count: u32,
	attested_credential: Option<AttestedCredential<'a>>,
}

/// Attested credential data, parsed.
struct AttestedCredential<'a> {
	aaguid: [u8; 16],
	credential_id: &'a [u8],
	public_key: PasskeyPublicKey,
}

/// `rpIdHash(32) ‖ flags(1) ‖ signCount(4, BE) ‖ [attested credential data if AT]
/// ‖ [extensions, one CBOR map, if ED]`, nothing after.
fn parse_authenticator_data(data: &[u8]) -> Result<AuthenticatorData<'_>, WebAuthnError> {
	use WebAuthnError::MalformedAuthenticatorData as Malformed;
	let (rp_id_hash, rest) = data.split_first_chunk::<32>().ok_or(Malformed)?;
	let (&flags_byte, rest) = rest.split_first().ok_or(Malformed)?;
	let (sign_count, mut rest) = rest.split_first_chunk::<4>().ok_or(Malformed)?;

	let attested_credential = if flags_byte & FLAG_ATTESTED_CREDENTIAL != 0 {
		let (aaguid, after) = rest.split_first_chunk::<16>().ok_or(Malformed)?;
		let (id_len, after) = after.split_first_chunk::<2>().ok_or(Malformed)?;
		let id_len = usize::from(u16::from_be_bytes(*id_len));
		if id_len > MAX_CREDENTIAL_ID_LEN as usize {
			return Err(WebAuthnError::CredentialIdTooLong);
		}
		if id_len == 0 {
			return Err(Malformed);
		}
		let (credential_id, after) = after.split_at_checked(id_len).ok_or(Malformed)?;
		let mut decoder = Decoder::new(after);
		let public_key = decode_cose_key(&mut decoder)?;
		rest = after.get(decoder.position()..).ok_or(Malformed)?;
		Some(AttestedCredential { aaguid: *aaguid, credential_id, public_key })
	} else {
		None
	};

	if flags_byte & FLAG_EXTENSIONS != 0 {
		let mut decoder = Decoder::new(rest);
		if !matches!(decoder.datatype(), Ok(Type::Map | Type::MapIndef)) {
			return Err(WebAuthnError::MalformedExtensions);
		}
		decoder.skip().map_err(|_| WebAuthnError::MalformedExtensions)?;
		rest = rest.get(decoder.position()..).ok_or(WebAuthnError::MalformedExtensions)?;
	}
	if !rest.is_empty() {
		return Err(WebAuthnError::TrailingBytes);
	}
	Ok(AuthenticatorData {
		rp_id_hash,
		flags: Flags::from_byte(flags_byte),
		sign_count: u32::from_be_bytes(*sign_count),
		attested_credential,
	})
}

/// A COSE parameter value as far as an EC2 key needs to know it: an integer, a byte string,
/// or something else (skipped).
enum CoseValue<'b> {
	Int(i64),
	Bytes(&'b [u8]),
	Other,
}

fn cose_value<'b>(decoder: &mut Decoder<'b>) -> Result<CoseValue<'b>, WebAuthnError> {
	use WebAuthnError::MalformedPublicKey as Malformed;
	match decoder.datatype().map_err(|_| Malformed)? {
		Type::U8
		| Type::U16
		| Type::U32
		| Type::U64
		| Type::I8
		| Type::I16
		| Type::I32
		| Type::I64
		| Type::Int => decoder.i64().map(CoseValue::Int).map_err(|_| Malformed),
		Type::Bytes => decoder.bytes().map(CoseValue::Bytes).map_err(|_| Malformed),
		_ => decoder.skip().map(|_| CoseValue::Other).map_err(|_| Malformed),
	}
}

/// A COSE map label: an integer or a text string (RFC 9052 §7).
#[derive(PartialEq)]
enum CoseLabel<'b> {
	Int(i64),
	Text(&'b str),
}

/// A COSE_Key (RFC 9052) for ES256: a definite-length map with kty (1) = 2 (EC2), alg (3) =
/// -7, crv (-1) = 1 (P-256), x (-2) and y (-3) 32-byte strings. Other parameters are
/// skipped, a label present twice is an error, and the point must be on the curve.
fn decode_cose_key(decoder: &mut Decoder<'_>) -> Result<PasskeyPublicKey, WebAuthnError> {
	use WebAuthnError::MalformedPublicKey as Malformed;
	let entries = decoder.map().map_err(|_| Malformed)?.ok_or(Malformed)?;
	let (mut kty, mut alg, mut crv, mut x, mut y) = (None, None, None, None, None);
	let mut seen = Vec::new();
	for _ in 0..entries {
		let label = match decoder.datatype().map_err(|_| Malformed)? {
			Type::String => CoseLabel::Text(decoder.str().map_err(|_| Malformed)?),
			_ => CoseLabel::Int(decoder.i64().map_err(|_| Malformed)?),
		};
		if seen.contains(&label) {
			return Err(Malformed);
		}
		let value = cose_value(decoder)?;
		match label {
			CoseLabel::Int(1) => kty = Some(value),
			CoseLabel::Int(3) => alg = Some(value),
			CoseLabel::Int(-1) => crv = Some(value),
			CoseLabel::Int(-2) => x = Some(value),
			CoseLabel::Int(-3) => y = Some(value),
			_ => {},
		}
		seen.push(label);
	}
	// The key type and algorithm decide what the other parameters mean: check them first.
	for (slot, expected) in [(&kty, COSE_KTY_EC2), (&alg, COSE_ALG_ES256), (&crv, COSE_CRV_P256)] {
		match slot {
			Some(CoseValue::Int(value)) if *value == expected => {},
			Some(_) => return Err(WebAuthnError::UnsupportedAlgorithm),
			None => return Err(Malformed),
		}
	}
	let coordinate = |slot: &Option<CoseValue<'_>>| -> Result<[u8; 32], WebAuthnError> {
		match slot {
			Some(CoseValue::Bytes(bytes)) => (*bytes).try_into().map_err(|_| Malformed),
			_ => Err(Malformed),
		}
	};
	PasskeyPublicKey::from_coordinates(&coordinate(&x)?, &coordinate(&y)?)
}

/// An attestation statement the verifier accepts.
enum AttestationStatement {
	/// Format `none`, empty statement.
	None,
	/// Format `packed`, self-attestation: a signature by the credential key itself.
	PackedSelf { signature: Signature },
}

/// An attestation object, parsed.
struct AttestationObject<'a> {
	statement: AttestationStatement,
	authenticator_data: &'a [u8],
}

/// `{ "fmt": text, "attStmt": map, "authData": bytes }` (a definite-length CBOR map; other
/// members are skipped), nothing after.
fn parse_attestation_object(bytes: &[u8]) -> Result<AttestationObject<'_>, WebAuthnError> {
	use WebAuthnError::MalformedAttestation as Malformed;
	let mut decoder = Decoder::new(bytes);
	let entries = decoder.map().map_err(|_| Malformed)?.ok_or(Malformed)?;
	let (mut fmt, mut statement, mut authenticator_data) = (None, None, None);
	let mut seen: Vec<&str> = Vec::new();
	for _ in 0..entries {
		let key = unique_key(&mut decoder, &mut seen)?;
		match key {
			"fmt" => fmt = Some(decoder.str().map_err(|_| Malformed)?),
			"attStmt" => {
				let start = decoder.position();
				if !matches!(decoder.datatype(), Ok(Type::Map | Type::MapIndef)) {
					return Err(Malformed);
				}
				decoder.skip().map_err(|_| Malformed)?;
				statement = Some(bytes.get(start..decoder.position()).ok_or(Malformed)?);
			},
			"authData" => authenticator_data = Some(decoder.bytes().map_err(|_| Malformed)?),
			_ => decoder.skip().map_err(|_| Malformed)?,
		}
	}
	if decoder.position() != bytes.len() {
		return Err(WebAuthnError::TrailingBytes);
	}
	let (fmt, statement, authenticator_data) = match (fmt, statement, authenticator_data) {
		(Some(fmt), Some(statement), Some(data)) => (fmt, statement, data),
		_ => return Err(Malformed),
	};
	let statement = match fmt {
		"none" => parse_none_statement(statement)?,
		"packed" => parse_packed_statement(statement)?,
		_ => return Err(WebAuthnError::UnsupportedAttestation),
	};
	Ok(AttestationObject { statement, authenticator_data })
}

/// The next text key of a CBOR map; a key seen before in the same map is malformed.
fn unique_key<'b>(
	decoder: &mut Decoder<'b>,
	seen: &mut Vec<&'b str>,
) -> Result<&'b str, WebAuthnError> {
	let key = decoder.str().map_err(|_| WebAuthnError::MalformedAttestation)?;
	if seen.contains(&key) {
		return Err(WebAuthnError::MalformedAttestation);
	}
	seen.push(key);
	Ok(key)
}

/// Format `none`: the statement is an empty map.
fn parse_none_statement(statement: &[u8]) -> Result<AttestationStatement, WebAuthnError> {
	let mut decoder = Decoder::new(statement);
	match decoder.map() {
		Ok(Some(0)) => Ok(AttestationStatement::None),
		_ => Err(WebAuthnError::MalformedAttestation),
	}
}

/// Format `packed`: `{ "alg": int, "sig": bytes }` for self-attestation; with `x5c`
/// (certificate chain) or `ecdaaKeyId` it is not supported; any other member is malformed.
fn parse_packed_statement(statement: &[u8]) -> Result<AttestationStatement, WebAuthnError> {
	use WebAuthnError::MalformedAttestation as Malformed;
	let mut decoder = Decoder::new(statement);
	let entries = decoder.map().map_err(|_| Malformed)?.ok_or(Malformed)?;
	let (mut alg, mut sig, mut certified) = (None, None, false);
	let mut seen: Vec<&str> = Vec::new();
	for _ in 0..entries {
		let key = unique_key(&mut decoder, &mut seen)?;
		match key {
			"alg" => alg = Some(decoder.i64().map_err(|_| Malformed)?),
			"sig" => sig = Some(decoder.bytes().map_err(|_| Malformed)?),
			"x5c" | "ecdaaKeyId" => {
				decoder.skip().map_err(|_| Malformed)?;
				certified = true;
			},
			_ => return Err(Malformed),
		}
	}
	if certified {
		return Err(WebAuthnError::UnsupportedAttestation);
	}
	let (alg, sig) = alg.zip(sig).ok_or(Malformed)?;
	if alg != COSE_ALG_ES256 {
		return Err(WebAuthnError::UnsupportedAlgorithm);
	}
	check_len(sig, MAX_DER_SIGNATURE_LEN, WebAuthnError::SignatureTooLong)?;
	Ok(AttestationStatement::PackedSelf { signature: parse_signature(sig)? })
}

/// A signature in DER or raw `r ‖ s`, with `s` normalised to the low half.
fn parse_signature(bytes: &[u8]) -> Result<Signature, WebAuthnError> {
	let signature = if bytes.len() == RAW_SIGNATURE_LEN as usize {
		Signature::from_slice(bytes)
	} else {
		Signature::from_der(bytes)
	}
	.map_err(|_| WebAuthnError::MalformedSignature)?;
	Ok(signature.normalize_s().unwrap_or(signature))
}

/// ECDSA P-256 over `authenticator_data ‖ SHA-256(client_data_json)`, hashed with SHA-256.
fn verify_signature(
	key: &VerifyingKey,
	authenticator_data: &[u8],
	client_data_json: &[u8],
	signature: &Signature,
) -> bool {
	let client_data_hash = Sha256::digest(client_data_json);
	let prehash =
		Sha256::new().chain_update(authenticator_data).chain_update(client_data_hash).finalize();
	key.verify_prehash(&prehash, signature).is_ok()
}
