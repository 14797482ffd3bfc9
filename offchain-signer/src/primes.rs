//! The safe-prime pool. Aux info needs two 1536-bit safe primes per party, which take
//! seconds to minutes of CPU to find, so they are generated ahead of time (`waas-signer
//! primes`) and kept, encrypted, in the keystore; an aux-info run takes one entry and the
//! entry is removed, so primes are never used twice.

use crate::{
	engine::Primes,
	keystore::{Keystore, KeystoreError},
};
use std::time::Instant;

const PREFIX: &str = "primes-";

/// Safe primes kept in a [`Keystore`].
pub struct PrimePool<'a> {
	store: &'a Keystore,
}

impl<'a> PrimePool<'a> {
	/// The pool inside `store`.
	pub fn new(store: &'a Keystore) -> PrimePool<'a> {
		PrimePool { store }
	}

	/// How many entries are ready.
	pub fn len(&self) -> Result<usize, KeystoreError> {
		Ok(self.store.list(PREFIX)?.len())
	}

	/// Whether no entry is ready.
	pub fn is_empty(&self) -> Result<bool, KeystoreError> {
		Ok(self.len()? == 0)
	}

	/// Adds one entry.
	pub fn add(&self, primes: &Primes) -> Result<(), KeystoreError> {
		let mut id = [0u8; 8];
		rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut id);
		let stamp = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.as_secs())
			.unwrap_or_default();
		self.store.put(&format!("{PREFIX}{stamp:012}-{}", hex::encode(id)), primes)
	}

	/// Removes and returns the oldest entry.
	pub fn take(&self) -> Result<Option<Primes>, KeystoreError> {
		let Some(name) = self.store.list(PREFIX)?.into_iter().next() else { return Ok(None) };
		let primes = self.store.get::<Primes>(&name)?;
		self.store.remove(&name)?;
		Ok(primes)
	}

	/// Generates entries until the pool holds `target`, calling `progress(done, wanted,
	/// seconds)` after each one.
	pub fn fill(
		&self,
		target: usize,
		mut progress: impl FnMut(usize, usize, f64),
	) -> Result<usize, KeystoreError> {
		let have = self.len()?;
		let wanted = target.saturating_sub(have);
		for done in 1..=wanted {
			let started = Instant::now();
			let primes = Primes::generate(&mut rand::rngs::OsRng);
			self.add(&primes)?;
			progress(done, wanted, started.elapsed().as_secs_f64());
		}
		Ok(wanted)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn entries_are_taken_once_oldest_first() {
		let fixtures: Vec<Primes> =
			serde_json::from_str(include_str!("../tests/fixtures/primes.json")).unwrap();
		let dir = tempfile::tempdir().unwrap();
		let store = Keystore::open(dir.path(), &[3u8; 32]).unwrap();
		let pool = PrimePool::new(&store);
		assert!(pool.is_empty().unwrap());
		pool.add(&fixtures[0]).unwrap();
		std::thread::sleep(std::time::Duration::from_millis(1100));
		pool.add(&fixtures[1]).unwrap();
		assert_eq!(pool.len().unwrap(), 2);
		let first = pool.take().unwrap().unwrap();
		assert_eq!(first.split().0, fixtures[0].clone().split().0);
		assert_eq!(pool.len().unwrap(), 1);
		assert!(pool.take().unwrap().is_some());
		assert!(pool.take().unwrap().is_none());
	}
}
