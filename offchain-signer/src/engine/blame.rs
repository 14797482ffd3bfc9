//! Who broke a protocol run, and how: cggmp21's identifiable aborts as structured faults.
//!
//! cggmp21 0.6 detects the misbehaving party of an identifiable abort (an invalid
//! zero-knowledge proof, a decommitment that does not open its commitment, a broadcast sent
//! differently to different parties), but its error types (`SigningError`'s reason,
//! `SigningAborted`, `KeygenAborted`, `ProtocolAborted`) are private: neither a method nor a
//! downcast reaches the accused parties. The only place the library exposes them is its
//! derived `Debug` output, e.g. `SigningError(Aborted(EncProofOfK([(1, 3, 5)])))`.
//! [`Blame::from_debug`] reads that output with a small tokenizer and a table of the
//! library's attributable variants; a test that really tampers with a protocol message
//! (`tests/engine.rs`) pins the format, so a cggmp21 upgrade that changes it fails there.
//!
//! Faults the library does not attribute (`MismatchedDelta`, `SignatureInvalid`, a closed
//! stream) give no blame. Messages that do not decode are observed by the engine itself and
//! blamed as [`FaultReason::MalformedMessage`].

use crate::transport::PartyIndex;
use serde::{Deserialize, Serialize};

/// What a party did wrong in a protocol run.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub enum FaultReason {
	/// It sent a message that does not decode as a message of the protocol.
	MalformedMessage,
	/// It sent two different messages for the same slot of a round.
	DuplicateMessage,
	/// It sent a broadcast that other parties received differently.
	UnreliableBroadcast,
	/// Signing: its range proof (π_enc) for the ciphertext `K` does not verify.
	InvalidEncProof,
	/// Signing: one of its ψ, ψ̂, ψ′ proofs (π_aff-g, π_log*) does not verify.
	InvalidAffineProof,
	/// Signing: its ψ″ proof (π_log*) for Δ does not verify.
	InvalidLogProof,
	/// Keygen or aux info: its decommitment does not open its commitment.
	InvalidDecommitment,
	/// Keygen or aux info: its Schnorr proof does not verify.
	InvalidSchnorrProof,
	/// Keygen: the secret share it sent is not consistent with its commitments (Feldman).
	InconsistentShare,
	/// Keygen or aux info: its message has the wrong number of elements.
	InvalidDataSize,
	/// Keygen: it did not contribute to the chain code (HD wallets).
	MissingChainCode,
	/// Aux info: its Paillier-Blum modulus proof (Π_mod) does not verify.
	InvalidModulusProof,
	/// Aux info: its no-small-factor proof (Π_fac) does not verify.
	InvalidFactorProof,
	/// Aux info: its Paillier modulus is outside the size this engine accepts
	/// ([`super::PAILLIER_BITS`]).
	OutOfRangeModulus,
	/// Aux info: its ring-Pedersen parameters are invalid.
	InvalidRingPedersen,
	/// Aux info: its public share commitments are malformed.
	InvalidPublicShares,
	/// Aux info: the share it sent does not match its public commitment.
	InvalidSecretShare,
	/// Aux info: its encrypted message does not decrypt.
	UndecryptableMessage,
}

/// A fault observed in one protocol run: why, and which parties (indices in the run's party
/// order) are accused.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Blame {
	/// What the accused did.
	pub reason: FaultReason,
	/// The accused parties, ascending, without duplicates; never empty.
	pub accused: Vec<PartyIndex>,
}

impl std::fmt::Display for Blame {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{:?} by part{} {:?}", self.reason, plural(self.accused.len()), self.accused)
	}
}

fn plural(n: usize) -> &'static str {
	if n == 1 {
		"y"
	} else {
		"ies"
	}
}

/// The library's attributable variants (as their `Debug` output names them) and what they
/// mean. Variant names are matched as whole identifiers.
const VARIANTS: &[(&str, FaultReason)] = &[
	// Signing (`SigningAborted`): a list of `(party, msg id, msg id, ..)` tuples.
	("EncProofOfK", FaultReason::InvalidEncProof),
	("InvalidPsi", FaultReason::InvalidAffineProof),
	("InvalidPsiPrimePrime", FaultReason::InvalidLogProof),
	("Round1aNotReliable", FaultReason::UnreliableBroadcast),
	// Keygen (`KeygenAborted`): `AbortBlame { faulty_party, .. }` lists, `parties: [..]`, or
	// `(party, msg id)` tuples.
	("InvalidDecommitment", FaultReason::InvalidDecommitment),
	("InvalidSchnorrProof", FaultReason::InvalidSchnorrProof),
	("FeldmanVerificationFailed", FaultReason::InconsistentShare),
	("InvalidDataSize", FaultReason::InvalidDataSize),
	("Round1NotReliable", FaultReason::UnreliableBroadcast),
	("MissingChainCode", FaultReason::MissingChainCode),
	// Aux info (`ProtocolAborted { reason, parties: [AbortBlame { faulty_party, .. }] }`).
	("InvalidModProof", FaultReason::InvalidModulusProof),
	("InvalidFacProof", FaultReason::InvalidFactorProof),
	("InvalidRingPedersenParameters", FaultReason::InvalidRingPedersen),
	("InvalidX", FaultReason::InvalidPublicShares),
	("InvalidXShare", FaultReason::InvalidSecretShare),
	("PaillierDec", FaultReason::UndecryptableMessage),
	// round_based's message store (`RoundInputError`): `{ msgs_ids: [..], sender }`.
	("AttemptToOverwriteReceivedMsg", FaultReason::DuplicateMessage),
];

/// Accused parties per fault: more are not believed (a run has at most this many parties).
const MAX_ACCUSED: usize = 1024;

#[derive(Debug, PartialEq)]
enum Token<'a> {
	Ident(&'a str),
	Int(u64),
	Punct(char),
}

fn tokens(text: &str) -> Vec<Token<'_>> {
	let mut out = Vec::new();
	let mut rest = text;
	while let Some(c) = rest.chars().next() {
		let len = if c.is_ascii_digit() {
			let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
			out.push(rest[..end].parse().map(Token::Int).unwrap_or(Token::Punct('#')));
			end
		} else if c.is_alphabetic() || c == '_' {
			let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
			out.push(Token::Ident(&rest[..end]));
			end
		} else {
			if !c.is_whitespace() {
				out.push(Token::Punct(c));
			}
			c.len_utf8()
		};
		rest = &rest[len..];
	}
	out
}

/// The integers of a `[a, b, ..]` list starting at `tokens[at]`.
fn int_list(tokens: &[Token<'_>], at: usize) -> Vec<u64> {
	let mut out = Vec::new();
	if tokens.get(at) != Some(&Token::Punct('[')) {
		return out;
	}
	for t in &tokens[at + 1..] {
		match t {
			Token::Int(v) => out.push(*v),
			Token::Punct(',') => {},
			_ => break,
		}
	}
	out
}

/// The first integer of each top-level tuple of the `[(a, ..), (b, ..)]` list starting at
/// `tokens[at]`.
fn tuple_heads(tokens: &[Token<'_>], at: usize) -> Vec<u64> {
	let mut out = Vec::new();
	if tokens.get(at) != Some(&Token::Punct('[')) {
		return out;
	}
	let mut depth = 0usize;
	for (k, t) in tokens[at..].iter().enumerate() {
		match t {
			Token::Punct('[' | '(' | '{') => {
				depth += 1;
				if depth == 2 && tokens[at + k] == Token::Punct('(') {
					if let Some(Token::Int(v)) = tokens.get(at + k + 1) {
						out.push(*v);
					}
				}
			},
			Token::Punct(']' | ')' | '}') => {
				depth -= 1;
				if depth == 0 {
					break;
				}
			},
			_ => {},
		}
	}
	out
}

impl Blame {
	/// The blame in a cggmp21 or round_based error, read from the text of its `Debug` output
	/// (see the module docs); `None` when the error names no misbehaving party.
	pub fn from_debug(text: &str) -> Option<Blame> {
		let tokens = tokens(text);
		let (at, reason) = tokens.iter().enumerate().find_map(|(k, t)| match t {
			Token::Ident(name) => VARIANTS.iter().find(|(v, _)| v == name).map(|(_, r)| (k, *r)),
			_ => None,
		})?;
		let mut accused = Vec::new();
		// `Variant([(party, ..), ..])`: the tuples directly inside the variant.
		if tokens.get(at + 1) == Some(&Token::Punct('(')) {
			accused.extend(tuple_heads(&tokens, at + 2));
		}
		// `faulty_party: p` (AbortBlame), `sender: p` (round_based), `parties: [p, ..]`.
		for (k, t) in tokens.iter().enumerate() {
			let Token::Ident(field) = t else { continue };
			if tokens.get(k + 1) != Some(&Token::Punct(':')) {
				continue;
			}
			match *field {
				"faulty_party" | "sender" => {
					if let Some(Token::Int(v)) = tokens.get(k + 2) {
						accused.push(*v);
					}
				},
				"parties" => accused.extend(int_list(&tokens, k + 2)),
				_ => {},
			}
		}
		Blame::new(reason, accused.into_iter().filter_map(|p| PartyIndex::try_from(p).ok()))
	}

	/// A blame of `accused` for `reason`, sorted and deduplicated; `None` if nobody is accused
	/// (or implausibly many are).
	pub fn new(
		reason: FaultReason,
		accused: impl IntoIterator<Item = PartyIndex>,
	) -> Option<Blame> {
		let mut accused: Vec<PartyIndex> = accused.into_iter().take(MAX_ACCUSED + 1).collect();
		accused.sort_unstable();
		accused.dedup();
		(!accused.is_empty() && accused.len() <= MAX_ACCUSED).then_some(Blame { reason, accused })
	}

	/// Whether every accused index is a party of a run of `parties` parties.
	pub fn within(&self, parties: usize) -> bool {
		self.accused.iter().all(|&p| (p as usize) < parties)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn blame(reason: FaultReason, accused: &[PartyIndex]) -> Option<Blame> {
		Some(Blame { reason, accused: accused.to_vec() })
	}

	#[test]
	fn signing_aborts_name_the_tuple_heads() {
		let text = "SigningError(Aborted(EncProofOfK([(1, 3, 5), (2, 4, 6), (1, 7, 8)])))";
		assert_eq!(Blame::from_debug(text), blame(FaultReason::InvalidEncProof, &[1, 2]));
		let text = "SigningError(Aborted(InvalidPsi([(2, 10, 11, (Some(InvalidProof(EqualityCheck(3))), None, None))])))";
		assert_eq!(Blame::from_debug(text), blame(FaultReason::InvalidAffineProof, &[2]));
		let text = "SigningError(Aborted(InvalidPsiPrimePrime([(0, 1, 2)])))";
		assert_eq!(Blame::from_debug(text), blame(FaultReason::InvalidLogProof, &[0]));
		let text = "SigningError(Aborted(Round1aNotReliable([(3, 9)])))";
		assert_eq!(Blame::from_debug(text), blame(FaultReason::UnreliableBroadcast, &[3]));
	}

	#[test]
	fn keygen_and_aux_aborts_name_their_fields() {
		let text = "KeygenError(Aborted(InvalidSchnorrProof([AbortBlame { faulty_party: 2, data_message: 4, proof_message: 9 }])))";
		assert_eq!(Blame::from_debug(text), blame(FaultReason::InvalidSchnorrProof, &[2]));
		let text = "KeygenError(Aborted(FeldmanVerificationFailed { parties: [0, 2] }))";
		assert_eq!(Blame::from_debug(text), blame(FaultReason::InconsistentShare, &[0, 2]));
		let text = "KeyRefreshError(Aborted(ProtocolAborted { reason: InvalidModProof, parties: [AbortBlame { faulty_party: 1, data_message: 3, proof_message: 3 }] }))";
		assert_eq!(Blame::from_debug(text), blame(FaultReason::InvalidModulusProof, &[1]));
		let text = "IoError(RouteReceivedError(ProcessMessage(AttemptToOverwriteReceivedMsg { msgs_ids: [4, 6], sender: 1 })))";
		assert_eq!(Blame::from_debug(text), blame(FaultReason::DuplicateMessage, &[1]));
	}

	#[test]
	fn unattributed_or_unknown_errors_blame_nobody() {
		for text in [
			"SigningError(Aborted(MismatchedDelta))",
			"SigningError(Aborted(SignatureInvalid))",
			"SigningError(IoError(ReceiveMessageEof))",
			"SigningError(Aborted(EncProofOfK([])))",
			"",
			"((([[[",
			"EncProofOfK([(99999999999999999999999, 1)])",
			// A variant name inside another identifier is not that variant.
			"NotEncProofOfK([(1, 2, 3)])",
		] {
			assert_eq!(Blame::from_debug(text), None, "{text}");
		}
	}

	#[test]
	fn indices_are_bounded() {
		let many: Vec<String> = (0..2000).map(|p| format!("({p}, 0, 0)")).collect();
		let text = format!("EncProofOfK([{}])", many.join(", "));
		assert_eq!(Blame::from_debug(&text), None, "more accused than any run has parties");
		let b = Blame::new(FaultReason::MalformedMessage, [2, 0, 2]).unwrap();
		assert_eq!(b.accused, vec![0, 2]);
		assert!(b.within(3) && !b.within(2));
		assert_eq!(b.to_string(), "MalformedMessage by parties [0, 2]");
	}
}
