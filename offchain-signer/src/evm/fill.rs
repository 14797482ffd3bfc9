//! What makes a mined transaction the fill of an intent: the rules, on plain data, so that
//! they are checked the same way whatever node the data came from.
//!
//! A fill moves the destination asset to the intent's recipient and carries the intent's
//! 32-byte fill tag at the end of its calldata, so that one transfer fills one intent:
//! - native coin: `to` is the recipient, the calldata is exactly the tag, the amount is the
//!   value sent;
//! - ERC-20 token `T`: `to` is `T`, the calldata is exactly
//!   [`erc20_transfer_calldata`]`(recipient, amount)` followed by the tag (100 bytes), and `T`
//!   emitted `Transfer(sender, recipient, amount)` in the receipt.
//!
//! In both cases the receipt's status must be success.

use alloy_primitives::{Address, Log, B256, U256};
use waas_primitives::evm_tx::{
	erc20_transfer_calldata, TransferAsset, ERC20_TRANSFER_CALLDATA_LEN, ERC20_TRANSFER_SELECTOR,
};

/// The length of a fill tag.
pub const FILL_TAG_LEN: usize = 32;
/// topic0 of ERC-20 `Transfer(address,uint256)`: keccak-256 of
/// `Transfer(address,address,uint256)`.
pub const ERC20_TRANSFER_TOPIC: [u8; 32] = [
	0xdd, 0xf2, 0x52, 0xad, 0x1b, 0xe2, 0xc8, 0x9b, 0x69, 0xc2, 0xb0, 0x68, 0xfc, 0x37, 0x8d, 0xaa,
	0x95, 0x2b, 0xa7, 0xf1, 0x63, 0xc4, 0xa1, 0x16, 0x28, 0xf5, 0x5a, 0x4d, 0xf5, 0x23, 0xb3, 0xef,
];

/// A fill as observed, with the depth asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObservedFill {
	/// What the recipient received, in the asset's smallest unit.
	pub amount: u128,
	/// The timestamp of the block that holds the transaction (Unix seconds).
	pub timestamp: u64,
}

/// Why a mined transaction is not the fill it was reported as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotAFill {
	/// The receipt's status is failure.
	#[error("the transaction reverted")]
	Reverted,
	/// The transaction created a contract.
	#[error("the transaction is a contract creation")]
	ContractCreation,
	/// The coins, or the tokens of the `transfer` call, go to someone else.
	#[error("the transfer goes to another recipient")]
	WrongRecipient,
	/// An ERC-20 fill that calls another contract than the token.
	#[error("the transaction calls another contract than the token")]
	WrongToken,
	/// An ERC-20 fill whose calldata is not `transfer(address,uint256)` in canonical form.
	#[error("the calldata is not an ERC-20 transfer")]
	NotATransfer,
	/// The amount does not fit a `u128`.
	#[error("the amount does not fit 128 bits")]
	AmountTooLarge,
	/// The calldata ends before a whole tag.
	#[error("the calldata carries no fill tag")]
	MissingTag,
	/// The tag is not the intent's.
	#[error("the calldata carries another fill tag")]
	WrongTag,
	/// Bytes follow the tag.
	#[error("bytes follow the fill tag")]
	TrailingData,
	/// An ERC-20 fill whose receipt has no `Transfer(sender, recipient, amount)` log emitted
	/// by the token.
	#[error("the token emitted no matching Transfer event")]
	NoTransferLog,
}

/// The parts of a mined transaction and its receipt that decide whether it is a fill.
#[derive(Clone, Copy, Debug)]
pub struct MinedTransfer<'a> {
	/// The sender.
	pub from: Address,
	/// The callee (`None`: a contract creation).
	pub to: Option<Address>,
	/// The native value sent.
	pub value: U256,
	/// The calldata.
	pub input: &'a [u8],
	/// The receipt's status.
	pub success: bool,
	/// The receipt's logs.
	pub logs: &'a [&'a Log],
}

/// The amount `tx` moved to `recipient` if it is a fill of `asset` tagged with `fill_tag`
/// (see the module docs), or why not.
pub fn check_fill(
	tx: &MinedTransfer<'_>,
	asset: &TransferAsset,
	recipient: &[u8; 20],
	fill_tag: &[u8; FILL_TAG_LEN],
) -> Result<u128, NotAFill> {
	if !tx.success {
		return Err(NotAFill::Reverted);
	}
	let to = tx.to.ok_or(NotAFill::ContractCreation)?;
	match asset {
		TransferAsset::Native => {
			if to.0 .0 != *recipient {
				return Err(NotAFill::WrongRecipient);
			}
			check_tag(tx.input, 0, fill_tag)?;
			u128::try_from(tx.value).map_err(|_| NotAFill::AmountTooLarge)
		},
		TransferAsset::Erc20(token) => {
			if to.0 .0 != *token {
				return Err(NotAFill::WrongToken);
			}
			let amount = erc20_transfer_amount(tx.input, recipient)?;
			check_tag(tx.input, ERC20_TRANSFER_CALLDATA_LEN, fill_tag)?;
			let topics = [
				B256::from(ERC20_TRANSFER_TOPIC),
				tx.from.into_word(),
				Address::from(*recipient).into_word(),
			];
			let data = U256::from(amount).to_be_bytes::<32>();
			let logged = tx.logs.iter().any(|log| {
				log.address.0 .0 == *token
					&& log.data.topics() == topics.as_slice()
					&& log.data.data[..] == data[..]
			});
			if !logged {
				return Err(NotAFill::NoTransferLog);
			}
			Ok(amount)
		},
	}
}

/// The amount of the `transfer(recipient, amount)` call `input` starts with.
fn erc20_transfer_amount(input: &[u8], recipient: &[u8; 20]) -> Result<u128, NotAFill> {
	let call = input.get(..ERC20_TRANSFER_CALLDATA_LEN).ok_or(NotAFill::NotATransfer)?;
	if call[..4] != ERC20_TRANSFER_SELECTOR || call[4..16].iter().any(|&b| b != 0) {
		return Err(NotAFill::NotATransfer);
	}
	if call[16..36] != recipient[..] {
		return Err(NotAFill::WrongRecipient);
	}
	if call[36..52].iter().any(|&b| b != 0) {
		return Err(NotAFill::AmountTooLarge);
	}
	let mut word = [0u8; 16];
	word.copy_from_slice(&call[52..68]);
	let amount = u128::from_be_bytes(word);
	// Implied by the checks above; the rule itself is this equality.
	if call != erc20_transfer_calldata(recipient, amount) {
		return Err(NotAFill::NotATransfer);
	}
	Ok(amount)
}

/// Checks that `input` holds exactly `fill_tag` from `at` to its end.
fn check_tag(input: &[u8], at: usize, fill_tag: &[u8; FILL_TAG_LEN]) -> Result<(), NotAFill> {
	let rest = input.get(at..).unwrap_or_default();
	let tag = rest.get(..FILL_TAG_LEN).ok_or(NotAFill::MissingTag)?;
	if tag != fill_tag {
		return Err(NotAFill::WrongTag);
	}
	if rest.len() > FILL_TAG_LEN {
		return Err(NotAFill::TrailingData);
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloy_primitives::{keccak256, LogData};

	const SENDER: [u8; 20] = [0x11; 20];
	const RECIPIENT: [u8; 20] = [0x22; 20];
	const TOKEN: [u8; 20] = [0x33; 20];
	const TAG: [u8; 32] = [0x44; 32];

	fn native(to: [u8; 20], value: u128, input: &[u8]) -> Result<u128, NotAFill> {
		let tx = MinedTransfer {
			from: SENDER.into(),
			to: Some(to.into()),
			value: U256::from(value),
			input,
			success: true,
			logs: &[],
		};
		check_fill(&tx, &TransferAsset::Native, &RECIPIENT, &TAG)
	}

	fn transfer_log(token: [u8; 20], from: [u8; 20], to: [u8; 20], amount: u128) -> Log {
		let topics = vec![
			B256::from(ERC20_TRANSFER_TOPIC),
			Address::from(from).into_word(),
			Address::from(to).into_word(),
		];
		let data = U256::from(amount).to_be_bytes::<32>().to_vec().into();
		Log { address: token.into(), data: LogData::new_unchecked(topics, data) }
	}

	fn erc20(input: &[u8], logs: &[&Log]) -> Result<u128, NotAFill> {
		let tx = MinedTransfer {
			from: SENDER.into(),
			to: Some(TOKEN.into()),
			value: U256::ZERO,
			input,
			success: true,
			logs,
		};
		check_fill(&tx, &TransferAsset::Erc20(TOKEN), &RECIPIENT, &TAG)
	}

	fn tagged(call: &[u8], tag: &[u8]) -> Vec<u8> {
		[call, tag].concat()
	}

	#[test]
	fn the_transfer_topic_is_the_hash_of_the_event_signature() {
		assert_eq!(keccak256(b"Transfer(address,address,uint256)").0, ERC20_TRANSFER_TOPIC);
	}

	#[test]
	fn native_fills_need_the_recipient_and_exactly_the_tag() {
		assert_eq!(native(RECIPIENT, 7, &TAG), Ok(7));
		assert_eq!(native(RECIPIENT, 0, &TAG), Ok(0), "the pallet judges the amount");
		assert_eq!(native(SENDER, 7, &TAG), Err(NotAFill::WrongRecipient));
		assert_eq!(native(RECIPIENT, 7, &[]), Err(NotAFill::MissingTag));
		assert_eq!(native(RECIPIENT, 7, &TAG[..31]), Err(NotAFill::MissingTag));
		assert_eq!(native(RECIPIENT, 7, &[0x45; 32]), Err(NotAFill::WrongTag));
		assert_eq!(native(RECIPIENT, 7, &tagged(&TAG, &[0])), Err(NotAFill::TrailingData));
		let tx = MinedTransfer {
			from: SENDER.into(),
			to: Some(RECIPIENT.into()),
			value: U256::from(u128::MAX) + U256::from(1),
			input: &TAG,
			success: true,
			logs: &[],
		};
		assert_eq!(
			check_fill(&tx, &TransferAsset::Native, &RECIPIENT, &TAG),
			Err(NotAFill::AmountTooLarge)
		);
		let reverted = MinedTransfer { success: false, ..tx };
		assert_eq!(
			check_fill(&reverted, &TransferAsset::Native, &RECIPIENT, &TAG),
			Err(NotAFill::Reverted)
		);
		let creation = MinedTransfer { to: None, ..tx };
		assert_eq!(
			check_fill(&creation, &TransferAsset::Native, &RECIPIENT, &TAG),
			Err(NotAFill::ContractCreation)
		);
	}

	#[test]
	fn erc20_fills_need_the_transfer_call_the_tag_and_the_log() {
		let call = erc20_transfer_calldata(&RECIPIENT, 500);
		let log = transfer_log(TOKEN, SENDER, RECIPIENT, 500);
		let input = tagged(&call, &TAG);
		assert_eq!(input.len(), 100);
		assert_eq!(erc20(&input, &[&log]), Ok(500));

		let elsewhere = erc20_transfer_calldata(&SENDER, 500);
		assert_eq!(erc20(&tagged(&elsewhere, &TAG), &[&log]), Err(NotAFill::WrongRecipient));
		assert_eq!(erc20(&call, &[&log]), Err(NotAFill::MissingTag));
		assert_eq!(erc20(&tagged(&call, &[0x45; 32]), &[&log]), Err(NotAFill::WrongTag));
		assert_eq!(erc20(&tagged(&input, &[1]), &[&log]), Err(NotAFill::TrailingData));
		assert_eq!(erc20(&TAG, &[&log]), Err(NotAFill::NotATransfer));
		let mut selector = input.clone();
		selector[0] ^= 1;
		assert_eq!(erc20(&selector, &[&log]), Err(NotAFill::NotATransfer));
		let mut dirty_padding = input.clone();
		dirty_padding[4] = 1;
		assert_eq!(erc20(&dirty_padding, &[&log]), Err(NotAFill::NotATransfer));
		let mut huge = input.clone();
		huge[36] = 1;
		assert_eq!(erc20(&huge, &[&log]), Err(NotAFill::AmountTooLarge));

		// The log must be the token's, from the sender, to the recipient, of the amount.
		assert_eq!(erc20(&input, &[]), Err(NotAFill::NoTransferLog));
		for wrong in [
			transfer_log(SENDER, SENDER, RECIPIENT, 500),
			transfer_log(TOKEN, RECIPIENT, RECIPIENT, 500),
			transfer_log(TOKEN, SENDER, SENDER, 500),
			transfer_log(TOKEN, SENDER, RECIPIENT, 499),
		] {
			assert_eq!(erc20(&input, &[&wrong]), Err(NotAFill::NoTransferLog), "{wrong:?}");
			assert_eq!(erc20(&input, &[&wrong, &log]), Ok(500), "any matching log counts");
		}
		let mut extra_topic = log.clone();
		let mut topics = extra_topic.data.topics().to_vec();
		topics.push(B256::ZERO);
		extra_topic.data = LogData::new_unchecked(topics, extra_topic.data.data.clone());
		assert_eq!(erc20(&input, &[&extra_topic]), Err(NotAFill::NoTransferLog));

		// The callee must be the token itself.
		let tx = MinedTransfer {
			from: SENDER.into(),
			to: Some(RECIPIENT.into()),
			value: U256::ZERO,
			input: &input,
			success: true,
			logs: &[&log],
		};
		assert_eq!(
			check_fill(&tx, &TransferAsset::Erc20(TOKEN), &RECIPIENT, &TAG),
			Err(NotAFill::WrongToken)
		);
	}
}
