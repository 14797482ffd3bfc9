//! `waas-signer`: one member of a WaaS Chain signer committee.
//!
//! It follows the chain's finalized blocks, runs CGGMP21 key generation and threshold
//! signing with the other members when the chain asks ([`service`]), over an authenticated
//! and encrypted p2p transport ([`transport`]), keeps its key shares encrypted at rest
//! ([`keystore`]) and posts results back as extrinsics ([`chain`]). The protocol engine
//! ([`engine`]) talks to the transport through the [`transport::Network`] trait, so it also
//! runs in-process over [`transport::memory`].

pub mod chain;
pub mod config;
pub mod engine;
pub mod evm;
pub mod identity;
pub mod keystore;
pub mod metrics;
pub mod presignatures;
pub mod primes;
pub mod service;
pub mod session_log;
pub mod stats;
pub mod transport;
