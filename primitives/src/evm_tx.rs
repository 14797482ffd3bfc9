//! EIP-1559 transactions that the committee signs for a pallet: decoded and checked before any
//! signature is asked for, hashed the way an EVM node hashes them, and assembled with the
//! committee's signature into the bytes anyone can broadcast.
//!
//! The runtime never signs a transaction it did not check. A pallet that pays out from an
//! address only the committee controls (an intent's deposit address) receives a *proposed*
//! unsigned transaction (nonce and fees come from the source chain, which the runtime cannot
//! see) and calls [`check_transfer`] with what it intends: the chain, the asset, the recipient,
//! the amount, and a gas budget. Only a transaction that does exactly that — and nothing else —
//! yields a [`CheckedTransfer`] whose [`signing_hash`](CheckedTransfer::signing_hash) may become
//! a signature request.
//!
//! Decoding and encoding are `alloy-consensus`'s ([`TxEip1559`]); this module adds the
//! size cap, the canonical-encoding check and the transfer rules.
//!
//! What the sender is: the signature, not a field. The transaction is signed by the key of
//! the derivation path the pallet requests, so "sent from the deposit address" holds by
//! construction; [`recover_sender`] checks it for a signed transaction.

use alloc::vec::Vec;
use alloy_consensus::{SignableTransaction, TxEip1559};
use alloy_primitives::{Signature, TxKind, U256};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The EIP-2718 type byte of an EIP-1559 transaction.
pub const EIP1559_TX_TYPE: u8 = 0x02;
/// The longest unsigned transaction accepted: a native transfer encodes in about 50 bytes and
/// an ERC-20 `transfer` in about 120; anything near this cap is not a transfer.
pub const MAX_UNSIGNED_TX_LEN: usize = 256;
/// The selector of ERC-20 `transfer(address,uint256)`: the first four bytes of
/// keccak-256 of that signature.
pub const ERC20_TRANSFER_SELECTOR: [u8; 4] = [0xa9, 0x05, 0x9c, 0xbb];
/// The length of ERC-20 `transfer` calldata: the selector and two 32-byte words.
pub const ERC20_TRANSFER_CALLDATA_LEN: usize = 4 + 32 + 32;

/// Why a proposed transaction was refused. Each reason is a distinct variant so that a pallet
/// can report it as a typed error.
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
pub enum EvmTxError {
	/// Longer than [`MAX_UNSIGNED_TX_LEN`].
	TooLong,
	/// Not an EIP-1559 transaction (its first byte is not `0x02`).
	NotEip1559,
	/// The RLP does not decode as the nine fields of an EIP-1559 transaction, or bytes are
	/// left over.
	Malformed,
	/// It decodes, but re-encoding gives different bytes (non-minimal integers or lengths):
	/// the hash the committee signs must be the hash of exactly what was checked.
	NotCanonical,
	/// The chain id is not the intended chain's.
	WrongChainId,
	/// A contract creation (no `to`), never a transfer.
	ContractCreation,
	/// The access list is not empty.
	AccessListNotEmpty,
	/// `to` is neither the intended recipient (native coin) nor the intended token (ERC-20).
	WrongDestination,
	/// The value sent is not the intended one.
	WrongValue,
	/// The calldata is not empty (native coin) or not exactly ERC-20
	/// `transfer(recipient, amount)` (token).
	WrongCalldata,
	/// The gas limit exceeds the budget's.
	GasLimitTooHigh,
	/// The maximum fee per gas exceeds the budget's.
	MaxFeeTooHigh,
	/// The priority fee exceeds the maximum fee per gas (no node would accept it).
	PriorityFeeAboveMaxFee,
	/// The worst-case gas cost (gas limit × maximum fee per gas) does not fit the amount it is
	/// paid from.
	GasCostExceedsAmount,
	/// The signature is not a valid secp256k1 signature over the transaction.
	BadSignature,
}

/// What a refused transaction got wrong, in the groups the pallets' errors name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum EvmTxFault {
	/// It does not decode as a canonical EIP-1559 transaction (or its signature is invalid).
	Undecodable,
	/// Another chain's.
	WrongChain,
	/// A creation, or a call to another account.
	WrongDestination,
	/// Another value, or a gas cost the amount cannot pay.
	WrongValue,
	/// Other calldata.
	WrongCalldata,
	/// Gas limit, maximum fee or priority fee beyond the budget.
	GasTooHigh,
	/// A non-empty access list.
	AccessList,
}

impl EvmTxError {
	/// The group of this refusal.
	pub fn fault(self) -> EvmTxFault {
		match self {
			EvmTxError::TooLong
			| EvmTxError::NotEip1559
			| EvmTxError::Malformed
			| EvmTxError::NotCanonical
			| EvmTxError::BadSignature => EvmTxFault::Undecodable,
			EvmTxError::WrongChainId => EvmTxFault::WrongChain,
			EvmTxError::ContractCreation | EvmTxError::WrongDestination => {
				EvmTxFault::WrongDestination
			},
			EvmTxError::WrongValue | EvmTxError::GasCostExceedsAmount => EvmTxFault::WrongValue,
			EvmTxError::WrongCalldata => EvmTxFault::WrongCalldata,
			EvmTxError::GasLimitTooHigh
			| EvmTxError::MaxFeeTooHigh
			| EvmTxError::PriorityFeeAboveMaxFee => EvmTxFault::GasTooHigh,
			EvmTxError::AccessListNotEmpty => EvmTxFault::AccessList,
		}
	}
}

/// The asset a transfer moves.
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
pub enum TransferAsset {
	/// The chain's native coin.
	Native,
	/// An ERC-20 token, by contract address.
	Erc20([u8; 20]),
}

/// The most gas a transfer may buy: what the runtime lets the proposers choose.
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
pub struct GasBudget {
	/// The highest gas limit (a native transfer needs 21,000; an ERC-20 `transfer` about
	/// 35,000–65,000).
	pub max_gas_limit: u64,
	/// The highest `max_fee_per_gas`, in wei.
	pub max_fee_per_gas: u128,
}

/// What a pallet intends a transaction to do.
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
pub struct IntendedTransfer {
	/// The EIP-155 chain id of the chain the transaction is for.
	pub chain_id: u64,
	/// What is moved.
	pub asset: TransferAsset,
	/// Who receives it.
	pub recipient: [u8; 20],
	/// How much, in the asset's smallest unit. For an ERC-20 the recipient receives exactly
	/// this and the gas is paid in native coin on top. For the native coin this is the whole
	/// spend: the value sent plus the worst-case gas cost equals it, so the sender's balance
	/// pays both and nothing but both (what the base fee leaves unspent stays with the sender).
	pub amount: u128,
	/// The gas the proposers may buy.
	pub gas: GasBudget,
}

/// A proposed transaction that passed [`check_transfer`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CheckedTransfer {
	/// The hash the committee signs: keccak-256 of the unsigned transaction's bytes.
	pub signing_hash: [u8; 32],
	/// The sender's nonce the transaction uses.
	pub nonce: u64,
	/// What the recipient receives (for the native coin: the amount minus the worst-case gas
	/// cost).
	pub received: u128,
	/// The most the transaction can cost in gas, in wei (gas limit × maximum fee per gas).
	pub max_gas_cost: u128,
}

/// Decodes an unsigned EIP-1559 transaction as it is signed: `0x02 ‖ rlp([chain_id, nonce,
/// max_priority_fee_per_gas, max_fee_per_gas, gas_limit, to, value, data, access_list])`.
/// Refuses anything longer than [`MAX_UNSIGNED_TX_LEN`], trailing bytes and non-canonical
/// encodings.
pub fn decode_unsigned(bytes: &[u8]) -> Result<TxEip1559, EvmTxError> {
	if bytes.len() > MAX_UNSIGNED_TX_LEN {
		return Err(EvmTxError::TooLong);
	}
	let (&ty, rlp) = bytes.split_first().ok_or(EvmTxError::NotEip1559)?;
	if ty != EIP1559_TX_TYPE {
		return Err(EvmTxError::NotEip1559);
	}
	let tx: TxEip1559 = alloy_rlp::decode_exact(rlp).map_err(|_| EvmTxError::Malformed)?;
	if tx.encoded_for_signing() != bytes {
		return Err(EvmTxError::NotCanonical);
	}
	Ok(tx)
}

/// The hash an EVM node expects the sender to have signed: keccak-256 of `bytes`, once
/// [`decode_unsigned`] accepts them.
pub fn signing_hash(bytes: &[u8]) -> Result<[u8; 32], EvmTxError> {
	Ok(decode_unsigned(bytes)?.signature_hash().0)
}

/// Checks `tx`'s gas against `budget`: the gas limit and the maximum fee within it, the
/// priority fee not above the maximum fee. Gives the worst-case gas cost, gas limit × maximum
/// fee (`None` if it overflows).
fn check_gas(tx: &TxEip1559, budget: &GasBudget) -> Result<Option<u128>, EvmTxError> {
	if tx.gas_limit > budget.max_gas_limit {
		return Err(EvmTxError::GasLimitTooHigh);
	}
	if tx.max_fee_per_gas > budget.max_fee_per_gas {
		return Err(EvmTxError::MaxFeeTooHigh);
	}
	if tx.max_priority_fee_per_gas > tx.max_fee_per_gas {
		return Err(EvmTxError::PriorityFeeAboveMaxFee);
	}
	Ok(u128::from(tx.gas_limit).checked_mul(tx.max_fee_per_gas))
}

/// Decodes `bytes` and checks that the transaction does exactly what `intended` says: the
/// chain id; a call (not a creation) with an empty access list; for the native coin, `to` is
/// the recipient, the calldata is empty and value + gas limit × max fee equals the amount; for
/// an ERC-20, `to` is the token, the value is zero and the calldata is exactly
/// `transfer(recipient, amount)`; the gas limit and maximum fee within the budget, and the
/// priority fee not above the maximum fee. The nonce is not checked (the runtime cannot see
/// the source chain): a wrong nonce only makes the transaction unminable.
pub fn check_transfer(
	bytes: &[u8],
	intended: &IntendedTransfer,
) -> Result<CheckedTransfer, EvmTxError> {
	let tx = decode_unsigned(bytes)?;
	if tx.chain_id != intended.chain_id {
		return Err(EvmTxError::WrongChainId);
	}
	let TxKind::Call(to) = tx.to else { return Err(EvmTxError::ContractCreation) };
	if !tx.access_list.is_empty() {
		return Err(EvmTxError::AccessListNotEmpty);
	}
	let max_gas_cost = check_gas(&tx, &intended.gas)?.ok_or(EvmTxError::GasCostExceedsAmount)?;
	let received = match intended.asset {
		TransferAsset::Native => {
			if to.0 .0 != intended.recipient {
				return Err(EvmTxError::WrongDestination);
			}
			if !tx.input.is_empty() {
				return Err(EvmTxError::WrongCalldata);
			}
			let value = intended
				.amount
				.checked_sub(max_gas_cost)
				.ok_or(EvmTxError::GasCostExceedsAmount)?;
			if tx.value != U256::from(value) {
				return Err(EvmTxError::WrongValue);
			}
			value
		},
		TransferAsset::Erc20(token) => {
			if to.0 .0 != token {
				return Err(EvmTxError::WrongDestination);
			}
			if !tx.value.is_zero() {
				return Err(EvmTxError::WrongValue);
			}
			if tx.input[..] != erc20_transfer_calldata(&intended.recipient, intended.amount)[..] {
				return Err(EvmTxError::WrongCalldata);
			}
			intended.amount
		},
	};
	Ok(CheckedTransfer {
		signing_hash: tx.signature_hash().0,
		nonce: tx.nonce,
		received,
		max_gas_cost,
	})
}

/// The calldata of ERC-20 `transfer(recipient, amount)`: the selector, the recipient
/// left-padded to 32 bytes, the amount as a 32-byte big-endian word.
pub fn erc20_transfer_calldata(recipient: &[u8; 20], amount: u128) -> [u8; 68] {
	let mut data = [0u8; ERC20_TRANSFER_CALLDATA_LEN];
	data[..4].copy_from_slice(&ERC20_TRANSFER_SELECTOR);
	data[16..36].copy_from_slice(recipient);
	data[52..68].copy_from_slice(&amount.to_be_bytes());
	data
}

/// The fees and nonce a proposer picks for a transfer (from the source chain's state).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TxFees {
	/// The sender's next nonce.
	pub nonce: u64,
	/// The gas limit.
	pub gas_limit: u64,
	/// The most paid per gas, in wei.
	pub max_fee_per_gas: u128,
	/// The tip per gas, in wei.
	pub max_priority_fee_per_gas: u128,
}

/// The unsigned transaction that does exactly `intended` with `fees`: the one
/// [`check_transfer`] accepts, or its refusal. For the native coin the value is the amount
/// minus the worst-case gas cost; for an ERC-20 it calls `transfer(recipient, amount)` on the
/// token. Signers build their proposals with it; the runtime still checks what arrives.
pub fn unsigned_transfer(
	intended: &IntendedTransfer,
	fees: &TxFees,
) -> Result<Vec<u8>, EvmTxError> {
	let max_gas_cost = u128::from(fees.gas_limit)
		.checked_mul(fees.max_fee_per_gas)
		.ok_or(EvmTxError::GasCostExceedsAmount)?;
	let (to, value, input) = match intended.asset {
		TransferAsset::Native => {
			let value = intended
				.amount
				.checked_sub(max_gas_cost)
				.ok_or(EvmTxError::GasCostExceedsAmount)?;
			(intended.recipient, U256::from(value), Vec::new())
		},
		TransferAsset::Erc20(token) => (
			token,
			U256::ZERO,
			erc20_transfer_calldata(&intended.recipient, intended.amount).to_vec(),
		),
	};
	let tx = TxEip1559 {
		chain_id: intended.chain_id,
		nonce: fees.nonce,
		gas_limit: fees.gas_limit,
		max_fee_per_gas: fees.max_fee_per_gas,
		max_priority_fee_per_gas: fees.max_priority_fee_per_gas,
		to: TxKind::Call(to.into()),
		value,
		access_list: Default::default(),
		input: input.into(),
	};
	let mut out = Vec::new();
	tx.encode_for_signing(&mut out);
	check_transfer(&out, intended)?;
	Ok(out)
}

/// What a pallet intends a zero-value contract-less call to do: send `data` from the
/// committee's address to `to` (the audit pallet's anchors: to itself) on `chain_id`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IntendedCall<'a> {
	/// The EIP-155 chain id of the chain the transaction is for.
	pub chain_id: u64,
	/// The destination.
	pub to: [u8; 20],
	/// The exact calldata.
	pub data: &'a [u8],
	/// The gas the proposers may buy.
	pub gas: GasBudget,
}

/// A proposed transaction that passed [`check_call`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CheckedCall {
	/// The hash the committee signs.
	pub signing_hash: [u8; 32],
	/// The sender's nonce the transaction uses.
	pub nonce: u64,
	/// The most the transaction can cost in gas, in wei.
	pub max_gas_cost: u128,
}

/// Decodes `bytes` and checks that the transaction does exactly what `intended` says: the
/// chain id, a call to `intended.to` with zero value, exactly `intended.data`, an empty access
/// list, the gas limit and maximum fee within the budget and the priority fee not above the
/// maximum fee. As with [`check_transfer`], the nonce is not checked.
pub fn check_call(bytes: &[u8], intended: &IntendedCall<'_>) -> Result<CheckedCall, EvmTxError> {
	let tx = decode_unsigned(bytes)?;
	if tx.chain_id != intended.chain_id {
		return Err(EvmTxError::WrongChainId);
	}
	let TxKind::Call(to) = tx.to else { return Err(EvmTxError::ContractCreation) };
	if !tx.access_list.is_empty() {
		return Err(EvmTxError::AccessListNotEmpty);
	}
	if to.0 .0 != intended.to {
		return Err(EvmTxError::WrongDestination);
	}
	if !tx.value.is_zero() {
		return Err(EvmTxError::WrongValue);
	}
	if tx.input[..] != intended.data[..] {
		return Err(EvmTxError::WrongCalldata);
	}
	let max_gas_cost = check_gas(&tx, &intended.gas)?.unwrap_or(u128::MAX);
	Ok(CheckedCall { signing_hash: tx.signature_hash().0, nonce: tx.nonce, max_gas_cost })
}

/// The unsigned transaction that does exactly `intended` with `fees`: the one [`check_call`]
/// accepts, or its refusal.
pub fn unsigned_call(intended: &IntendedCall<'_>, fees: &TxFees) -> Result<Vec<u8>, EvmTxError> {
	let tx = TxEip1559 {
		chain_id: intended.chain_id,
		nonce: fees.nonce,
		gas_limit: fees.gas_limit,
		max_fee_per_gas: fees.max_fee_per_gas,
		max_priority_fee_per_gas: fees.max_priority_fee_per_gas,
		to: TxKind::Call(intended.to.into()),
		value: U256::ZERO,
		access_list: Default::default(),
		input: intended.data.to_vec().into(),
	};
	let mut out = Vec::new();
	tx.encode_for_signing(&mut out);
	check_call(&out, intended)?;
	Ok(out)
}

/// The gas limit a plain call with `data` to an account without code needs: 21,000 plus 10 per
/// calldata token (a zero byte is one token, any other byte four). That is the floor EIP-7623
/// (Prague) sets for a call that executes nothing, above its EIP-2028 cost (4 per token); a
/// chain from before Prague charges only the EIP-2028 cost and refunds the rest.
pub fn plain_call_gas(data: &[u8]) -> u64 {
	let tokens = data.iter().fold(0u64, |tokens, b| tokens + if *b == 0 { 1 } else { 4 });
	21_000 + 10 * tokens
}

/// The first bytes of the calldata of an audit-anchors publication.
pub const ANCHOR_CALLDATA_TAG: [u8; 8] = *b"waasanc1";
/// The length of that calldata: tag, genesis hash, tree size, root.
pub const ANCHOR_CALLDATA_LEN: usize = 8 + 32 + 8 + 32;

/// The calldata with which the committee pins a tree head of a WaaS chain's anchors on an EVM
/// chain: `"waasanc1" ‖ genesis hash ‖ tree size (8 bytes, big-endian) ‖ root`.
pub fn anchor_calldata(
	genesis: &[u8; 32],
	tree_size: u64,
	root: &[u8; 32],
) -> [u8; ANCHOR_CALLDATA_LEN] {
	let mut data = [0u8; ANCHOR_CALLDATA_LEN];
	data[..8].copy_from_slice(&ANCHOR_CALLDATA_TAG);
	data[8..40].copy_from_slice(genesis);
	data[40..48].copy_from_slice(&tree_size.to_be_bytes());
	data[48..].copy_from_slice(root);
	data
}

/// What [`anchor_calldata`] encoded: `(genesis hash, tree size, root)`, or `None` for any other
/// calldata.
pub fn parse_anchor_calldata(data: &[u8]) -> Option<([u8; 32], u64, [u8; 32])> {
	if data.len() != ANCHOR_CALLDATA_LEN || data[..8] != ANCHOR_CALLDATA_TAG {
		return None;
	}
	let genesis = data[8..40].try_into().ok()?;
	let size = u64::from_be_bytes(data[40..48].try_into().ok()?);
	let root = data[48..].try_into().ok()?;
	Some((genesis, size, root))
}

/// Assembles the signed transaction (`0x02 ‖ rlp([...fields, y_parity, r, s])`, what
/// `eth_sendRawTransaction` takes) from the unsigned bytes and a 65-byte `r ‖ s ‖ v`
/// signature over their [`signing_hash`] (`v` is 0/1 or 27/28; a high `s` is normalised, as
/// EVM nodes require).
pub fn assemble_signed(unsigned: &[u8], signature: &[u8; 65]) -> Result<Vec<u8>, EvmTxError> {
	let tx = decode_unsigned(unsigned)?;
	let signature = parse_signature(signature)?;
	let mut out = Vec::new();
	tx.into_signed(signature).eip2718_encode(&mut out);
	Ok(out)
}

/// The address that signed an unsigned transaction with `signature`: the sender an EVM node
/// will see.
pub fn recover_sender(unsigned: &[u8], signature: &[u8; 65]) -> Result<[u8; 20], EvmTxError> {
	let hash = signing_hash(unsigned)?;
	crate::evm_auth::recover_evm_address(&hash, signature).map_err(|_| EvmTxError::BadSignature)
}

/// The hash an EVM node gives a signed transaction (what `eth_getTransactionReceipt` takes):
/// keccak-256 of its EIP-2718 bytes.
pub fn transaction_hash(signed: &[u8]) -> [u8; 32] {
	alloy_primitives::keccak256(signed).0
}

/// The signature in alloy's form, from the canonical `r ‖ s ‖ v` that
/// [`canonical_signature`](crate::evm_auth::canonical_signature) makes (low `s`, `v` 0/1).
fn parse_signature(signature: &[u8; 65]) -> Result<Signature, EvmTxError> {
	let canonical =
		crate::evm_auth::canonical_signature(signature).map_err(|_| EvmTxError::BadSignature)?;
	let r = U256::from_be_slice(&canonical[..32]);
	let s = U256::from_be_slice(&canonical[32..64]);
	Ok(Signature::new(r, s, canonical[64] == 1))
}
