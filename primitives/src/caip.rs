//! CAIP-2 chain ids (`namespace:reference`) and the chain families WaaS supports.

/// Longest CAIP-2 id: 8 (namespace) + 1 (`:`) + 32 (reference).
pub const MAX_CHAIN_ID_LEN: u32 = 41;

/// Why a chain id was rejected.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CaipError {
	/// Longer than [`MAX_CHAIN_ID_LEN`].
	TooLong,
	/// No `:` between namespace and reference.
	MissingSeparator,
	/// The namespace is not 3–8 characters of `[-a-z0-9]`.
	InvalidNamespace,
	/// The reference is not 1–32 characters of `[-_a-zA-Z0-9]`.
	InvalidReference,
	/// Well-formed, but the namespace is not supported yet.
	UnsupportedNamespace,
	/// An `eip155` reference that is not a canonical non-zero decimal u64.
	InvalidEvmChainId,
}

/// A chain family: how addresses are encoded and payloads hashed there.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ChainFamily {
	/// An EVM chain (`eip155:<chain id>`).
	Evm {
		/// The EIP-155 chain id.
		chain_id: u64,
	},
}

/// Checks CAIP-2 syntax and returns `(namespace, reference)`.
pub fn validate_caip2(id: &[u8]) -> Result<(&[u8], &[u8]), CaipError> {
	if id.len() > MAX_CHAIN_ID_LEN as usize {
		return Err(CaipError::TooLong);
	}
	let colon = id.iter().position(|b| *b == b':').ok_or(CaipError::MissingSeparator)?;
	let (namespace, reference) = (&id[..colon], &id[colon + 1..]);
	let namespace_ok = (3..=8).contains(&namespace.len())
		&& namespace.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
	if !namespace_ok {
		return Err(CaipError::InvalidNamespace);
	}
	let reference_ok = (1..=32).contains(&reference.len())
		&& reference.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_');
	if !reference_ok {
		return Err(CaipError::InvalidReference);
	}
	Ok((namespace, reference))
}

impl ChainFamily {
	/// How signatures on this family hash their message: keccak-256 on EVM chains.
	pub fn hash_scheme(&self) -> crate::HashScheme {
		match self {
			ChainFamily::Evm { .. } => crate::HashScheme::Keccak256,
		}
	}

	/// Parses and validates a CAIP-2 id. Only `eip155:<decimal chain id>` is supported now; the
	/// chain id must be a canonical (no leading zero) non-zero decimal u64.
	pub fn from_caip2(id: &[u8]) -> Result<ChainFamily, CaipError> {
		let (namespace, reference) = validate_caip2(id)?;
		match namespace {
			b"eip155" => {
				parse_evm_chain_id(reference).map(|chain_id| ChainFamily::Evm { chain_id })
			},
			_ => Err(CaipError::UnsupportedNamespace),
		}
	}
}

fn parse_evm_chain_id(reference: &[u8]) -> Result<u64, CaipError> {
	if reference.first() == Some(&b'0') || !reference.iter().all(u8::is_ascii_digit) {
		return Err(CaipError::InvalidEvmChainId);
	}
	let mut value: u64 = 0;
	for digit in reference {
		value = value
			.checked_mul(10)
			.and_then(|v| v.checked_add(u64::from(digit - b'0')))
			.ok_or(CaipError::InvalidEvmChainId)?;
	}
	if value == 0 {
		return Err(CaipError::InvalidEvmChainId);
	}
	Ok(value)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn accepts_evm_chains() {
		assert_eq!(ChainFamily::from_caip2(b"eip155:1"), Ok(ChainFamily::Evm { chain_id: 1 }));
		assert_eq!(
			ChainFamily::from_caip2(b"eip155:11155111"),
			Ok(ChainFamily::Evm { chain_id: 11_155_111 })
		);
		assert_eq!(
			ChainFamily::from_caip2(b"eip155:18446744073709551615"),
			Ok(ChainFamily::Evm { chain_id: u64::MAX })
		);
	}

	#[test]
	fn rejects_malformed_ids() {
		use CaipError::*;
		let cases: &[(&[u8], CaipError)] = &[
			(b"eip155", MissingSeparator),
			(b"", MissingSeparator),
			(b"EIP155:1", InvalidNamespace),
			(b"ei:1", InvalidNamespace),
			(b"namespace9:1", InvalidNamespace),
			(b"eip155:", InvalidReference),
			(b"eip155:1.0", InvalidReference),
			(b"eip155:01", InvalidEvmChainId),
			(b"eip155:0", InvalidEvmChainId),
			(b"eip155:x", InvalidEvmChainId),
			(b"eip155:18446744073709551616", InvalidEvmChainId),
			(b"bip122:000000000019d6689c085ae165831e93", UnsupportedNamespace),
			(b"cosmos:cosmoshub-4", UnsupportedNamespace),
			(b"eip155:12345678901234567890123456789012345", TooLong),
		];
		for (id, err) in cases {
			assert_eq!(ChainFamily::from_caip2(id), Err(*err), "{}", String::from_utf8_lossy(id));
		}
	}

	#[test]
	fn syntax_only_validation_returns_parts() {
		let id = b"bip122:000000000019d6689c085ae165831e93";
		assert_eq!(
			validate_caip2(id),
			Ok((&b"bip122"[..], &b"000000000019d6689c085ae165831e93"[..]))
		);
	}
}
