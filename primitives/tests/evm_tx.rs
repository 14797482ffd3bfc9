//! EIP-1559 transactions against ethers 6 (`fixtures/evm-tx-ethers.json`, made by
//! `fixtures/evm-tx-ethers.mjs`): decoding, signing hash, signed encoding and sender; every
//! transfer rule refuses its own violation with its own error; and property tests that no
//! input panics and no single-byte change of a checked transfer still passes the check
//! unnoticed.

use alloy_consensus::{SignableTransaction, TxEip1559};
use alloy_eips::eip2930::{AccessList, AccessListItem};
use alloy_primitives::{Address, Bytes, TxKind, B256, U256};
use proptest::{prelude::*, sample::Index};
use serde_json::Value;
use waas_primitives::evm_tx::{
	anchor_calldata, assemble_signed, check_call, check_transfer, decode_unsigned,
	erc20_transfer_calldata, parse_anchor_calldata, plain_call_gas, recover_sender, signing_hash,
	transaction_hash, unsigned_call, unsigned_transfer, EvmTxError, GasBudget, IntendedCall,
	IntendedTransfer, TransferAsset, TxFees, ANCHOR_CALLDATA_LEN, MAX_UNSIGNED_TX_LEN,
};

fn fixture() -> Value {
	let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/evm-tx-ethers.json");
	serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

fn hex_bytes(value: &Value) -> Vec<u8> {
	hex::decode(value.as_str().expect("hex string")).expect("hex")
}

fn array<const N: usize>(value: &Value) -> [u8; N] {
	hex_bytes(value).try_into().expect("length")
}

fn number(value: &Value) -> u128 {
	match value {
		Value::String(s) => s.parse().expect("decimal"),
		other => other.as_u64().expect("number").into(),
	}
}

/// What the fixture case says the transaction intends.
fn intended(fixture: &Value, case: &Value) -> IntendedTransfer {
	IntendedTransfer {
		chain_id: case["chainId"].as_u64().unwrap(),
		asset: match case["asset"].as_str().unwrap() {
			"native" => TransferAsset::Native,
			_ => TransferAsset::Erc20(array(&fixture["token"])),
		},
		recipient: array(&fixture["recipient"]),
		amount: number(&case["amount"]),
		gas: GasBudget {
			max_gas_limit: number(&case["gasLimit"]) as u64,
			max_fee_per_gas: number(&case["maxFeePerGas"]),
		},
	}
}

/// secp256k1's group order, to make the high-s twin of a signature.
fn group_order() -> U256 {
	U256::from_be_slice(&hex_literal::hex!(
		"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
	))
}

#[test]
fn ethers_transactions_decode_hash_assemble_and_recover() {
	let fixture = fixture();
	let cases = fixture["cases"].as_array().unwrap();
	assert_eq!(cases.len(), 3);
	for case in cases {
		let name = case["name"].as_str().unwrap();
		let unsigned = hex_bytes(&case["unsigned"]);
		let tx = decode_unsigned(&unsigned).unwrap_or_else(|e| panic!("{name}: {e:?}"));
		assert_eq!(tx.nonce, case["nonce"].as_u64().unwrap(), "{name}");
		assert_eq!(signing_hash(&unsigned), Ok(array(&case["signingHash"])), "{name}");

		let checked = check_transfer(&unsigned, &intended(&fixture, case))
			.unwrap_or_else(|e| panic!("{name}: {e:?}"));
		assert_eq!(checked.signing_hash, array::<32>(&case["signingHash"]), "{name}");
		assert_eq!(checked.nonce, tx.nonce, "{name}");
		assert_eq!(checked.max_gas_cost, u128::from(tx.gas_limit) * tx.max_fee_per_gas, "{name}");
		let amount = number(&case["amount"]);
		match case["asset"].as_str().unwrap() {
			"native" => assert_eq!(checked.received, amount - checked.max_gas_cost, "{name}"),
			_ => assert_eq!(checked.received, amount, "{name}"),
		}

		// What a proposer builds from the intent and the same fees is ethers' transaction.
		let fees = TxFees {
			nonce: tx.nonce,
			gas_limit: tx.gas_limit,
			max_fee_per_gas: tx.max_fee_per_gas,
			max_priority_fee_per_gas: tx.max_priority_fee_per_gas,
		};
		assert_eq!(
			unsigned_transfer(&intended(&fixture, case), &fees),
			Ok(unsigned.clone()),
			"{name}"
		);

		let signature: [u8; 65] = array(&case["signature"]);
		let signed = hex_bytes(&case["signed"]);
		assert_eq!(assemble_signed(&unsigned, &signature), Ok(signed.clone()), "{name}");
		assert_eq!(transaction_hash(&signed), array::<32>(&case["txHash"]), "{name}");
		assert_eq!(recover_sender(&unsigned, &signature), Ok(array(&fixture["address"])), "{name}");

		// The same signature with v = 0/1, and its high-s twin (flipped parity), assemble
		// into the very same transaction.
		let mut zero_one = signature;
		zero_one[64] -= 27;
		assert_eq!(assemble_signed(&unsigned, &zero_one), Ok(signed.clone()), "{name}");
		let s = U256::from_be_slice(&signature[32..64]);
		let mut high_s = signature;
		high_s[32..64].copy_from_slice(&(group_order() - s).to_be_bytes::<32>());
		high_s[64] = if signature[64] == 27 { 28 } else { 27 };
		assert_eq!(assemble_signed(&unsigned, &high_s), Ok(signed), "{name}");
	}
}

#[test]
fn erc20_calldata_is_what_ethers_encodes() {
	let fixture = fixture();
	let case = &fixture["cases"][1];
	let tx = decode_unsigned(&hex_bytes(&case["unsigned"])).unwrap();
	let calldata = erc20_transfer_calldata(&array(&fixture["recipient"]), number(&case["amount"]));
	assert_eq!(tx.input.as_ref(), &calldata[..]);
}

#[test]
fn bad_signatures_are_refused() {
	let fixture = fixture();
	let case = &fixture["cases"][0];
	let unsigned = hex_bytes(&case["unsigned"]);
	let signature: [u8; 65] = array(&case["signature"]);
	let mut bad_v = signature;
	bad_v[64] = 2;
	assert_eq!(assemble_signed(&unsigned, &bad_v), Err(EvmTxError::BadSignature));
	assert_eq!(recover_sender(&unsigned, &bad_v), Err(EvmTxError::BadSignature));
	let mut zero_r = signature;
	zero_r[..32].fill(0);
	assert_eq!(assemble_signed(&unsigned, &zero_r), Err(EvmTxError::BadSignature));
	// r outside 1..n is not a secp256k1 signature: refused rather than encoded.
	let mut r_at_order = signature;
	r_at_order[..32].copy_from_slice(&group_order().to_be_bytes::<32>());
	assert_eq!(assemble_signed(&unsigned, &r_at_order), Err(EvmTxError::BadSignature));
	// A valid signature over another transaction recovers someone else.
	let other = hex_bytes(&fixture["cases"][1]["unsigned"]);
	assert_ne!(recover_sender(&other, &signature), Ok(array(&fixture["address"])));
}

const RECIPIENT: [u8; 20] = [0x11; 20];
const TOKEN: [u8; 20] = [0x22; 20];
const AMOUNT: u128 = 5_000_000_000_000_000_000;
const GAS: GasBudget = GasBudget { max_gas_limit: 100_000, max_fee_per_gas: 50_000_000_000 };

fn native_intent() -> IntendedTransfer {
	IntendedTransfer {
		chain_id: 31337,
		asset: TransferAsset::Native,
		recipient: RECIPIENT,
		amount: AMOUNT,
		gas: GAS,
	}
}

fn erc20_intent() -> IntendedTransfer {
	IntendedTransfer { asset: TransferAsset::Erc20(TOKEN), ..native_intent() }
}

/// A transaction that satisfies `native_intent()`.
fn native_tx() -> TxEip1559 {
	TxEip1559 {
		chain_id: 31337,
		nonce: 3,
		gas_limit: 21_000,
		max_fee_per_gas: 2_000_000_000,
		max_priority_fee_per_gas: 1_000_000_000,
		to: TxKind::Call(Address::from(RECIPIENT)),
		value: U256::from(AMOUNT - 21_000 * 2_000_000_000),
		access_list: AccessList::default(),
		input: Bytes::new(),
	}
}

/// A transaction that satisfies `erc20_intent()`.
fn erc20_tx() -> TxEip1559 {
	TxEip1559 {
		gas_limit: 65_000,
		to: TxKind::Call(Address::from(TOKEN)),
		value: U256::ZERO,
		input: Bytes::from(erc20_transfer_calldata(&RECIPIENT, AMOUNT).to_vec()),
		..native_tx()
	}
}

#[test]
fn unsigned_transfers_refuse_fees_outside_the_budget() {
	let fees = TxFees {
		nonce: 0,
		gas_limit: 21_000,
		max_fee_per_gas: 2_000_000_000,
		max_priority_fee_per_gas: 0,
	};
	assert!(unsigned_transfer(&native_intent(), &fees).is_ok());
	let over = TxFees { gas_limit: GAS.max_gas_limit + 1, ..fees };
	assert_eq!(unsigned_transfer(&erc20_intent(), &over), Err(EvmTxError::GasLimitTooHigh));
	let costly = TxFees { max_fee_per_gas: AMOUNT, ..fees };
	assert_eq!(unsigned_transfer(&native_intent(), &costly), Err(EvmTxError::GasCostExceedsAmount));
	let tip = TxFees { max_priority_fee_per_gas: fees.max_fee_per_gas + 1, ..fees };
	assert_eq!(unsigned_transfer(&native_intent(), &tip), Err(EvmTxError::PriorityFeeAboveMaxFee));
}

fn check(tx: &TxEip1559, intent: &IntendedTransfer) -> Result<u128, EvmTxError> {
	check_transfer(&tx.encoded_for_signing(), intent).map(|checked| checked.received)
}

#[test]
fn every_rule_refuses_its_own_violation() {
	let native = native_intent();
	let erc20 = erc20_intent();
	assert_eq!(check(&native_tx(), &native), Ok(AMOUNT - 21_000 * 2_000_000_000));
	assert_eq!(check(&erc20_tx(), &erc20), Ok(AMOUNT));
	// A transaction for one asset never passes for the other.
	assert_eq!(check(&native_tx(), &erc20), Err(EvmTxError::WrongDestination));
	assert_eq!(check(&erc20_tx(), &native), Err(EvmTxError::WrongDestination));

	let with = |base: fn() -> TxEip1559, change: &dyn Fn(&mut TxEip1559)| {
		let mut tx = base();
		change(&mut tx);
		tx
	};
	let refusals: Vec<(TxEip1559, &IntendedTransfer, EvmTxError)> = vec![
		(with(native_tx, &|t| t.chain_id = 1), &native, EvmTxError::WrongChainId),
		(with(native_tx, &|t| t.to = TxKind::Create), &native, EvmTxError::ContractCreation),
		(
			with(native_tx, &|t| {
				t.access_list = AccessList(vec![AccessListItem {
					address: Address::from(TOKEN),
					storage_keys: vec![B256::ZERO],
				}])
			}),
			&native,
			EvmTxError::AccessListNotEmpty,
		),
		(
			with(native_tx, &|t| t.to = TxKind::Call(Address::from([0x33; 20]))),
			&native,
			EvmTxError::WrongDestination,
		),
		(with(native_tx, &|t| t.value += U256::from(1)), &native, EvmTxError::WrongValue),
		(with(native_tx, &|t| t.value -= U256::from(1)), &native, EvmTxError::WrongValue),
		(
			with(native_tx, &|t| t.input = Bytes::from_static(&[0])),
			&native,
			EvmTxError::WrongCalldata,
		),
		(with(native_tx, &|t| t.gas_limit = 100_001), &native, EvmTxError::GasLimitTooHigh),
		(
			with(native_tx, &|t| t.max_fee_per_gas = 50_000_000_001),
			&native,
			EvmTxError::MaxFeeTooHigh,
		),
		(
			with(native_tx, &|t| t.max_priority_fee_per_gas = 2_000_000_001),
			&native,
			EvmTxError::PriorityFeeAboveMaxFee,
		),
		(with(erc20_tx, &|t| t.value = U256::from(1)), &erc20, EvmTxError::WrongValue),
		(
			with(erc20_tx, &|t| {
				t.input = Bytes::from(erc20_transfer_calldata(&RECIPIENT, AMOUNT + 1).to_vec())
			}),
			&erc20,
			EvmTxError::WrongCalldata,
		),
		(
			with(erc20_tx, &|t| {
				t.input = Bytes::from(erc20_transfer_calldata(&[0x33; 20], AMOUNT).to_vec())
			}),
			&erc20,
			EvmTxError::WrongCalldata,
		),
		(
			with(erc20_tx, &|t| {
				let mut data = erc20_transfer_calldata(&RECIPIENT, AMOUNT).to_vec();
				data.push(0);
				t.input = Bytes::from(data);
			}),
			&erc20,
			EvmTxError::WrongCalldata,
		),
		(
			with(erc20_tx, &|t| {
				// transferFrom's selector with otherwise the same words.
				let mut data = erc20_transfer_calldata(&RECIPIENT, AMOUNT);
				data[..4].copy_from_slice(&[0x23, 0xb8, 0x72, 0xdd]);
				t.input = Bytes::from(data.to_vec());
			}),
			&erc20,
			EvmTxError::WrongCalldata,
		),
	];
	for (tx, intent, error) in refusals {
		assert_eq!(check(&tx, intent), Err(error), "{tx:?}");
	}

	// A native amount that cannot even pay the gas.
	let poor = IntendedTransfer { amount: 21_000 * 2_000_000_000 - 1, ..native };
	assert_eq!(check(&native_tx(), &poor), Err(EvmTxError::GasCostExceedsAmount));
}

#[test]
fn malformed_and_foreign_encodings_are_refused() {
	let good = native_tx().encoded_for_signing();
	assert!(decode_unsigned(&good).is_ok());
	assert_eq!(decode_unsigned(&[]), Err(EvmTxError::NotEip1559));
	// An EIP-2930 type byte, and a legacy (untyped RLP list) transaction.
	let mut typed_1 = good.clone();
	typed_1[0] = 0x01;
	assert_eq!(decode_unsigned(&typed_1), Err(EvmTxError::NotEip1559));
	assert_eq!(decode_unsigned(&good[1..]), Err(EvmTxError::NotEip1559));
	// Truncated, extended, and a list that claims more than it holds.
	assert_eq!(decode_unsigned(&good[..good.len() - 1]), Err(EvmTxError::Malformed));
	let mut extended = good.clone();
	extended.push(0x80);
	assert_eq!(decode_unsigned(&extended), Err(EvmTxError::Malformed));
	assert_eq!(decode_unsigned(&[0x02, 0xc0]), Err(EvmTxError::Malformed));
	// The nonce 3 written with a leading zero byte (0x82 0x00 0x03 instead of 0x03): the same
	// number, different bytes — refused rather than signed under a different hash.
	let nonce_at = 1 + 1 + 1 + 2; // type, list header, chain id header, chain id (0x7a69)
	assert_eq!(good[nonce_at], 0x03);
	let mut padded = good.clone();
	padded.splice(nonce_at..nonce_at + 1, [0x82, 0x00, 0x03]);
	padded[1] += 2;
	assert!(decode_unsigned(&padded).is_err());
	// Oversized input is refused before it is parsed.
	let long = erc20_tx().encoded_for_signing();
	let mut huge = vec![0x02];
	huge.resize(MAX_UNSIGNED_TX_LEN + 1, 0);
	assert_eq!(decode_unsigned(&huge), Err(EvmTxError::TooLong));
	assert!(long.len() < MAX_UNSIGNED_TX_LEN);
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(2000))]

	/// Arbitrary bytes (most with the right type byte) never panic the decoder or the check.
	#[test]
	fn arbitrary_bytes_never_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
		if let Some(first) = bytes.first_mut() {
			*first = 0x02;
		}
		let _ = decode_unsigned(&bytes);
		let _ = check_transfer(&bytes, &native_intent());
		let _ = check_transfer(&bytes, &erc20_intent());
	}

	/// Changing any one byte of a transaction that passes the check makes it fail, or — when
	/// the change is to a field the check leaves to the proposers (nonce, fees within budget) —
	/// still describes the same transfer under a different signing hash.
	#[test]
	fn one_byte_changes_are_caught(index: Index, byte: u8, erc20: bool) {
		let (tx, intent) =
			if erc20 { (erc20_tx(), erc20_intent()) } else { (native_tx(), native_intent()) };
		let good = tx.encoded_for_signing();
		let checked = check_transfer(&good, &intent).expect("the unchanged transaction passes");
		let mut changed = good.clone();
		let at = index.index(changed.len());
		prop_assume!(changed[at] != byte);
		changed[at] = byte;
		if let Ok(other) = check_transfer(&changed, &intent) {
			prop_assert_ne!(other.signing_hash, checked.signing_hash);
			let decoded = decode_unsigned(&changed).unwrap();
			prop_assert_eq!(decoded.to, tx.to);
			prop_assert_eq!(decoded.input, tx.input);
			prop_assert_eq!(decoded.chain_id, tx.chain_id);
			if !erc20 {
				prop_assert_eq!(other.received + other.max_gas_cost, AMOUNT);
			} else {
				prop_assert_eq!(other.received, AMOUNT);
			}
		}
	}
}

/// A self-sent anchor call of 80 bytes of calldata, as the audit pallet intends it.
fn anchor_call(data: &[u8]) -> IntendedCall<'_> {
	IntendedCall {
		chain_id: 31337,
		to: [0x11; 20],
		data,
		gas: GasBudget { max_gas_limit: 30_000, max_fee_per_gas: 100_000_000_000 },
	}
}

#[test]
fn anchor_calls_do_exactly_what_is_intended() {
	let data = anchor_calldata(&[7; 32], 42, &[9; 32]);
	assert_eq!(data.len(), ANCHOR_CALLDATA_LEN);
	assert_eq!(&data[..8], b"waasanc1");
	assert_eq!(parse_anchor_calldata(&data), Some(([7; 32], 42, [9; 32])));
	assert_eq!(parse_anchor_calldata(&data[..79]), None);
	let mut other = data;
	other[0] ^= 1;
	assert_eq!(parse_anchor_calldata(&other), None);

	let intended = anchor_call(&data);
	let gas = plain_call_gas(&data);
	let zeros = data.iter().filter(|b| **b == 0).count() as u64;
	assert_eq!(gas, 21_000 + 10 * (zeros + 4 * (80 - zeros)));
	let fees = TxFees {
		nonce: 3,
		gas_limit: gas,
		max_fee_per_gas: 2_000_000_000,
		max_priority_fee_per_gas: 1_000_000_000,
	};
	let tx = unsigned_call(&intended, &fees).unwrap();
	let checked = check_call(&tx, &intended).unwrap();
	assert_eq!(checked.nonce, 3);
	assert_eq!(checked.max_gas_cost, u128::from(gas) * 2_000_000_000);
	assert_eq!(checked.signing_hash, signing_hash(&tx).unwrap());

	// Each rule refuses its own violation.
	let base = decode_unsigned(&tx).unwrap();
	let refused = |change: &dyn Fn(&mut TxEip1559)| {
		let mut t = base.clone();
		change(&mut t);
		let mut out = Vec::new();
		t.encode_for_signing(&mut out);
		check_call(&out, &intended).unwrap_err()
	};
	assert_eq!(refused(&|t| t.chain_id = 1), EvmTxError::WrongChainId);
	assert_eq!(refused(&|t| t.to = TxKind::Create), EvmTxError::ContractCreation);
	assert_eq!(
		refused(&|t| t.to = TxKind::Call(Address::from([0x12; 20]))),
		EvmTxError::WrongDestination
	);
	assert_eq!(refused(&|t| t.value = U256::from(1)), EvmTxError::WrongValue);
	assert_eq!(refused(&|t| t.input = Bytes::from(other.to_vec())), EvmTxError::WrongCalldata);
	assert_eq!(refused(&|t| t.input = Bytes::new()), EvmTxError::WrongCalldata);
	assert_eq!(refused(&|t| t.gas_limit = 30_001), EvmTxError::GasLimitTooHigh);
	assert_eq!(refused(&|t| t.max_fee_per_gas = 100_000_000_001), EvmTxError::MaxFeeTooHigh);
	assert_eq!(
		refused(&|t| t.max_priority_fee_per_gas = 3_000_000_000),
		EvmTxError::PriorityFeeAboveMaxFee
	);
	assert_eq!(
		refused(&|t| t.access_list =
			AccessList(vec![AccessListItem { address: Address::ZERO, storage_keys: vec![] }])),
		EvmTxError::AccessListNotEmpty
	);
	assert_eq!(
		unsigned_call(&intended, &TxFees { gas_limit: 30_001, ..fees }).unwrap_err(),
		EvmTxError::GasLimitTooHigh
	);
}
