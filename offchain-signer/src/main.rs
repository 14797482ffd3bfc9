//! The `waas-signer` command line.

use clap::{Parser, Subcommand};
use std::{path::PathBuf, sync::Arc};
use waas_signer::{
	config::{Config, Settings},
	engine::Primes,
	evm::EvmObserver,
	identity::{self, Identity},
	keystore::Keystore,
	metrics::{self, Metrics},
	primes::PrimePool,
	service::PeerDirectory,
	service::Signer,
	session_log::{SessionLog, SESSION_LOG_FILE},
	transport::{
		deviate::{Deviating, Deviation},
		p2p::{P2pConfig, P2pNetwork},
		router::BufferLimits,
	},
};

/// A WaaS Chain signer node: holds CGGMP21 key shares and signs when the chain asks.
///
/// Settings come from a TOML file (--config; keys are the long flag names with `_`, e.g.
/// `node_url = "ws://127.0.0.1:9944"`) and from flags, which win. Logs go to stderr;
/// RUST_LOG sets the level (default: info).
#[derive(Parser, Debug)]
#[command(name = "waas-signer", version)]
struct Cli {
	/// TOML configuration file.
	#[arg(long, global = true)]
	config: Option<PathBuf>,
	#[command(flatten)]
	settings: Settings,
	/// Tests only: break the protocol on purpose, signed with this signer's identity, so the
	/// other members' blame and the chain's accountability can be tried end to end.
	#[arg(long, value_enum, hide = true)]
	insecure_deviate: Option<Deviation>,
	#[command(subcommand)]
	command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
	/// Run the signer (the default).
	Run,
	/// Create the missing key files (account, p2p identity, storage key) with fresh secrets.
	Init {
		/// Use this secret URI for the account instead of a random seed (e.g. `//Bob`). Dev
		/// only: a secret on the command line shows in `ps` and the shell history; in
		/// production let `init` make a random one, or write the key file yourself.
		#[arg(long)]
		account_uri: Option<String>,
	},
	/// Print what governance registers for this signer, as JSON: account, p2p key, address.
	Identity,
	/// Fill the safe-prime pool ahead of time (each entry: minutes of CPU).
	Primes {
		/// Entries the pool should hold (one per future aux-info run).
		#[arg(long, default_value_t = 2)]
		count: usize,
		/// Instead of generating, import entries from a JSON array of pregenerated primes
		/// (test fixtures; never use shared primes in production). Needs
		/// --insecure-fixture-primes.
		#[arg(long, requires = "insecure_fixture_primes")]
		import: Option<PathBuf>,
		/// Acknowledge that imported primes may be public (dev networks and tests only): a
		/// party whose primes others know has no Paillier secret.
		#[arg(long)]
		insecure_fixture_primes: bool,
	},
}

fn config_of(cli: &Cli) -> anyhow::Result<Config> {
	let file = match &cli.config {
		Some(path) => Settings::from_file(path)?,
		None => Settings::default(),
	};
	Ok(Config::try_from(cli.settings.clone().or(file))?)
}

fn keystore(config: &Config) -> anyhow::Result<Keystore> {
	let key = identity::storage_key(config)?;
	Ok(Keystore::open(config.data_dir.join("keystore"), &key)?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.with_writer(std::io::stderr)
		.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
		.init();
	let cli = Cli::parse();
	let config = config_of(&cli)?;
	match cli.command.unwrap_or(Command::Run) {
		Command::Init { account_uri } => {
			for path in identity::init(&config, account_uri.as_deref())? {
				eprintln!("created {}", path.display());
			}
			print_identity(&config)
		},
		Command::Identity => print_identity(&config),
		Command::Primes { count, import, insecure_fixture_primes: _ } => {
			let store = keystore(&config)?;
			let pool = PrimePool::new(&store);
			if let Some(file) = import {
				let text = std::fs::read_to_string(&file)?;
				let entries: Vec<Primes> = serde_json::from_str(&text).map_err(|e| {
					anyhow::anyhow!("{}: not a JSON array of primes: {e}", file.display())
				})?;
				for p in entries.iter().take(count) {
					pool.add(p)?;
				}
				eprintln!(
					"imported {} entries; the pool holds {}",
					entries.len().min(count),
					pool.len()?
				);
				return Ok(());
			}
			eprintln!("the pool holds {}; generating up to {count}", pool.len()?);
			pool.fill(count, |done, wanted, secs| {
				eprintln!("[{done}/{wanted}] two 1536-bit safe primes in {secs:.1} s");
			})?;
			eprintln!("the pool holds {}", pool.len()?);
			Ok(())
		},
		Command::Run => run(config, cli.insecure_deviate).await,
	}
}

fn print_identity(config: &Config) -> anyhow::Result<()> {
	let id = Identity::load(config)?;
	let account = waas_client::AccountId::from(id.account.public_key().0);
	let out = serde_json::json!({
		"account": account.to_string(),
		"account_hex": format!("0x{}", hex::encode(id.account.public_key().0)),
		"p2p_key": format!("0x{}", hex::encode(id.p2p_public)),
		"peer_id": id.p2p.public().to_peer_id().to_string(),
		"address": config.external_address.to_string(),
	});
	println!("{out}");
	Ok(())
}

async fn run(config: Config, deviate: Option<Deviation>) -> anyhow::Result<()> {
	let id = Identity::load(&config)?;
	for warning in identity::key_file_warnings(&config) {
		tracing::warn!("{warning}");
	}
	let store = Arc::new(keystore(&config)?);
	let primes = PrimePool::new(&store).len()?;
	if primes == 0 {
		tracing::warn!("the primes pool is empty: the first keygen of a committee will fail; run `waas-signer primes`");
	}
	let metrics = Metrics::new();
	metrics.prime_pool.set(primes as i64);
	if let Some(addr) = config.prometheus {
		let (bound, _task) = metrics::serve(addr, metrics.clone()).await?;
		tracing::info!(%bound, "serving /metrics and /health");
	}
	let net = P2pNetwork::start(
		id.p2p.clone(),
		P2pConfig {
			listen: config.listen.clone(),
			max_message_bytes: config.max_message_bytes,
			buffer: BufferLimits::default(),
			metrics: Some(metrics.clone()),
		},
	)?;
	tracing::info!(
		account = %waas_client::AccountId::from(id.account.public_key().0),
		p2p_key = %hex::encode(id.p2p_public),
		address = %config.external_address,
		primes,
		"waas-signer starting"
	);
	let net = Arc::new(net);
	match deviate {
		None => {
			serve(Signer::new(id.account, net, store, metrics, config.service.clone()), &config)
				.await
		},
		Some(deviation) => {
			tracing::warn!(
				?deviation,
				"--insecure-deviate: this signer breaks the protocol on purpose (tests only)"
			);
			let net = Arc::new(Deviating::new(net, deviation));
			serve(Signer::new(id.account, net, store, metrics, config.service.clone()), &config)
				.await
		},
	}
}

/// Runs `signer` until SIGINT or SIGTERM, then lets its running sessions finish.
async fn serve<N: PeerDirectory>(signer: Arc<Signer<N>>, config: &Config) -> anyhow::Result<()> {
	if !config.evm_chains.is_empty() {
		signer.observe_evm(EvmObserver::new(&config.evm_chains)?);
	}
	let session_log = config.data_dir.join(SESSION_LOG_FILE);
	signer.keep_session_log(SessionLog::open(&session_log)?);
	tracing::info!(path = %session_log.display(), "session log kept");
	let runner = tokio::spawn(signer.clone().run(config.node_url.clone()));
	let why = shutdown_signal().await;
	tracing::info!(signal = why, "stopping: no new sessions; waiting for running ones");
	signer.shutdown().await;
	runner.abort();
	tracing::info!("stopped");
	Ok(())
}

/// Waits for SIGINT (Ctrl-C) or SIGTERM (systemd, Docker, Kubernetes).
async fn shutdown_signal() -> &'static str {
	#[cfg(unix)]
	{
		use tokio::signal::unix::{signal, SignalKind};
		if let Ok(mut term) = signal(SignalKind::terminate()) {
			return tokio::select! {
				_ = tokio::signal::ctrl_c() => "SIGINT",
				_ = term.recv() => "SIGTERM",
			};
		}
	}
	let _ = tokio::signal::ctrl_c().await;
	"SIGINT"
}
