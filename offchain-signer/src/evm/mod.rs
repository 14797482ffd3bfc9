//! The EVM chains the intents pallet asks the committee about: what a deposit address holds,
//! whether a reported fill happened, and whether a payout was mined; plus the nonce and
//! broadcast a payout needs.
//!
//! [`EvmObserver`] keeps one HTTP JSON-RPC provider (alloy) per chain of the `[evm]` table of
//! the configuration ([`EvmSettings`]), bounds every call by a timeout and reads only blocks
//! with the chain's confirmations on top. What the nodes answer is checked, not trusted for
//! its shape: a transaction must hash to the hash asked for, a receipt must be of that
//! transaction and its block must still be the canonical one at its height. The rules that
//! make a mined transaction a fill are in [`fill`], on plain data.
//!
//! This module does not talk to the WaaS chain: the service turns its answers into
//! attestations.

pub mod config;
pub mod fill;
pub mod observer;

pub use config::{validate_chains, EvmChainConfig, EvmConfigError, EvmSettings};
pub use fill::{NotAFill, ObservedFill};
pub use observer::{EvmError, EvmObserver, FillError};
