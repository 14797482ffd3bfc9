//! `waas-node`: the WaaS Chain node.

#![warn(missing_docs)]
// `sc_cli::Error` is large; every Substrate node returns it, as the CLI runner expects.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
