//! CAIP-2 chain ids (`namespace:reference`) and the chain families WaaS supports; CAIP-10
//! account ids (`chain:address`) and CAIP-19 asset ids (`chain/namespace:reference`) on EVM
//! chains.

/// Longest CAIP-2 id: 8 (namespace) + 1 (`:`) + 32 (reference).
pub const MAX_CHAIN_ID_LEN: u32 = 41;
/// Longest CAIP-10 account id: a chain id, `:`, and an account of at most 128 characters.
pub const MAX_ACCOUNT_ID_LEN: u32 = MAX_CHAIN_ID_LEN + 1 + 128;
/// Longest CAIP-19 asset id: a chain id, `/`, an 8-character asset namespace, `:`, and an
/// asset reference of at most 128 characters (token ids are not supported).
pub const MAX_ASSET_ID_LEN: u32 = MAX_CHAIN_ID_LEN + 1 + 8 + 1 + 128;

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
	/// An account or asset id without its separator after the chain id (`:` for CAIP-10,
	/// `/` for CAIP-19).
	MissingAccountOrAsset,
	/// An EVM address that is not `0x` and 40 hex digits, or whose mixed case is not its
	/// EIP-55 checksum.
	InvalidEvmAddress,
	/// A CAIP-19 asset on an EVM chain that is neither `slip44:<coin type>` (the native coin)
	/// nor `erc20:<address>`.
	UnsupportedAsset,
}

/// An asset on an EVM chain, as a CAIP-19 id names it: the native coin (`slip44:<coin type>`;
/// the coin type is not checked against the chain, whose native coin is the only one there) or
/// an ERC-20 token (`erc20:<contract address>`). The same type the payout checks use.
pub use crate::evm_tx::TransferAsset as EvmAsset;

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

/// Parses a CAIP-10 account id on an EVM chain (`eip155:<chain id>:0x<40 hex>`) into the
/// chain id and the address. The address is lowercase, uppercase hex, or EIP-55 mixed case
/// (then the checksum must hold).
pub fn parse_evm_account(id: &[u8]) -> Result<(u64, [u8; 20]), CaipError> {
	if id.len() > MAX_ACCOUNT_ID_LEN as usize {
		return Err(CaipError::TooLong);
	}
	let (chain, address) = split_after_chain(id, b':')?;
	let chain_id = evm_chain_id(chain)?;
	Ok((chain_id, parse_evm_address(address)?))
}

/// Parses a CAIP-19 asset id on an EVM chain (`eip155:<chain id>/slip44:<coin type>` or
/// `eip155:<chain id>/erc20:0x<40 hex>`) into the chain id and the asset.
pub fn parse_evm_asset(id: &[u8]) -> Result<(u64, EvmAsset), CaipError> {
	if id.len() > MAX_ASSET_ID_LEN as usize {
		return Err(CaipError::TooLong);
	}
	let (chain, asset) = split_after_chain(id, b'/')?;
	let chain_id = evm_chain_id(chain)?;
	let colon = asset.iter().position(|b| *b == b':').ok_or(CaipError::UnsupportedAsset)?;
	let asset = match (&asset[..colon], &asset[colon + 1..]) {
		(b"slip44", coin_type)
			if !coin_type.is_empty()
				&& coin_type.len() <= 10
				&& coin_type.iter().all(u8::is_ascii_digit) =>
		{
			EvmAsset::Native
		},
		(b"erc20", address) => EvmAsset::Erc20(parse_evm_address(address)?),
		_ => return Err(CaipError::UnsupportedAsset),
	};
	Ok((chain_id, asset))
}

/// Splits `chain ‖ separator ‖ rest` at the first `separator` after the chain id's own `:`.
fn split_after_chain(id: &[u8], separator: u8) -> Result<(&[u8], &[u8]), CaipError> {
	let colon = id.iter().position(|b| *b == b':').ok_or(CaipError::MissingSeparator)?;
	let at = id[colon + 1..]
		.iter()
		.position(|b| *b == separator)
		.map(|p| colon + 1 + p)
		.ok_or(CaipError::MissingAccountOrAsset)?;
	Ok((&id[..at], &id[at + 1..]))
}

fn evm_chain_id(chain: &[u8]) -> Result<u64, CaipError> {
	match ChainFamily::from_caip2(chain)? {
		ChainFamily::Evm { chain_id } => Ok(chain_id),
	}
}

/// `0x` and 40 hex digits; mixed case must be the EIP-55 checksum.
fn parse_evm_address(text: &[u8]) -> Result<[u8; 20], CaipError> {
	let digits = text.strip_prefix(b"0x").ok_or(CaipError::InvalidEvmAddress)?;
	let mut address = [0u8; 20];
	hex::decode_to_slice(digits, &mut address).map_err(|_| CaipError::InvalidEvmAddress)?;
	let has_lower = digits.iter().any(u8::is_ascii_lowercase);
	let has_upper = digits.iter().any(u8::is_ascii_uppercase);
	if has_lower && has_upper && crate::address::eip55(&address)[..] != text[..] {
		return Err(CaipError::InvalidEvmAddress);
	}
	Ok(address)
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

	#[test]
	fn evm_accounts_and_assets() {
		let address = hex_literal::hex!("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
		// The EIP-55 test vector, its lowercase and uppercase forms.
		for text in [
			&b"eip155:1:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"[..],
			b"eip155:1:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
			b"eip155:1:0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED",
		] {
			assert_eq!(parse_evm_account(text), Ok((1, address)));
		}
		assert_eq!(
			parse_evm_asset(b"eip155:31337/erc20:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
			Ok((31337, EvmAsset::Erc20(address)))
		);
		assert_eq!(parse_evm_asset(b"eip155:1/slip44:60"), Ok((1, EvmAsset::Native)));
		assert_eq!(parse_evm_asset(b"eip155:137/slip44:966"), Ok((137, EvmAsset::Native)));
	}

	#[test]
	fn rejects_malformed_accounts_and_assets() {
		use CaipError::*;
		let accounts: &[(&[u8], CaipError)] = &[
			(b"eip155:1", MissingAccountOrAsset),
			(b"eip155:1:5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", InvalidEvmAddress),
			(b"eip155:1:0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea", InvalidEvmAddress),
			(b"eip155:1:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedaa", InvalidEvmAddress),
			(b"eip155:1:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beazz", InvalidEvmAddress),
			// Mixed case with one letter's case flipped: a broken checksum.
			(b"eip155:1:0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", InvalidEvmAddress),
			(b"eip155:01:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", InvalidEvmChainId),
			(b"cosmos:hub:cosmos1abc", UnsupportedNamespace),
		];
		for (id, err) in accounts {
			assert_eq!(parse_evm_account(id), Err(*err), "{}", String::from_utf8_lossy(id));
		}
		let assets: &[(&[u8], CaipError)] = &[
			(b"eip155:1", MissingAccountOrAsset),
			(b"eip155:1/slip44", UnsupportedAsset),
			(b"eip155:1/slip44:", UnsupportedAsset),
			(b"eip155:1/slip44:6x", UnsupportedAsset),
			(b"eip155:1/erc721:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", UnsupportedAsset),
			(b"eip155:1/erc20:0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea", InvalidEvmAddress),
			(b"eip155:0/slip44:60", InvalidEvmChainId),
		];
		for (id, err) in assets {
			assert_eq!(parse_evm_asset(id), Err(*err), "{}", String::from_utf8_lossy(id));
		}
		let long = [b'a'; MAX_ASSET_ID_LEN as usize + 1];
		assert_eq!(parse_evm_asset(&long), Err(TooLong));
		assert_eq!(parse_evm_account(&long[..MAX_ACCOUNT_ID_LEN as usize + 1]), Err(TooLong));
	}
}
