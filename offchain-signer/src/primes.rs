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
/// Prefix of an entry claimed by [`PrimePool::take`] and about to be removed.
const CLAIMED: &str = "claimed-primes-";

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
			.map(|d| d.as_nanos())
			.unwrap_or_default();
		self.store.put(&format!("{PREFIX}{stamp:024}-{}", hex::encode(id)), primes)
	}

	/// Removes and returns the oldest entry. Safe against concurrent callers (threads or
	/// processes): an entry is first claimed by an atomic rename, which only one caller can
	/// win, then read and removed durably — no two callers ever get the same primes, and a
	/// taken entry does not come back after a crash.
	pub fn take(&self) -> Result<Option<Primes>, KeystoreError> {
		for name in self.store.list(PREFIX)? {
			let claimed = format!("{CLAIMED}{}", &name[PREFIX.len()..]);
			if !self.store.rename(&name, &claimed)? {
				continue; // another caller won this entry
			}
			let primes = self.store.get_renamed::<Primes>(&claimed, &name);
			self.store.remove(&claimed)?;
			return primes;
		}
		Ok(None)
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

	/// The committed prime fixtures and an empty keystore (kept alive by the directory).
	fn fixtures_and_store() -> (Vec<Primes>, tempfile::TempDir, Keystore) {
		let fixtures: Vec<Primes> =
			serde_json::from_str(include_str!("../tests/fixtures/primes.json")).unwrap();
		let dir = tempfile::tempdir().unwrap();
		let store = Keystore::open(dir.path(), &[3u8; 32]).unwrap();
		(fixtures, dir, store)
	}

	#[test]
	fn entries_are_taken_once_oldest_first() {
		let (fixtures, _dir, store) = fixtures_and_store();
		let pool = PrimePool::new(&store);
		assert!(pool.is_empty().unwrap());
		pool.add(&fixtures[0]).unwrap();
		pool.add(&fixtures[1]).unwrap();
		assert_eq!(pool.len().unwrap(), 2);
		let first = pool.take().unwrap().unwrap();
		assert_eq!(first.split().0, fixtures[0].clone().split().0);
		assert_eq!(pool.len().unwrap(), 1);
		assert!(pool.take().unwrap().is_some());
		assert!(pool.take().unwrap().is_none());
	}

	#[test]
	fn concurrent_takers_never_get_the_same_entry() {
		let (fixtures, _dir, store) = fixtures_and_store();
		for p in &fixtures {
			PrimePool::new(&store).add(p).unwrap();
		}
		let taken: Vec<Vec<u8>> = std::thread::scope(|s| {
			let takers: Vec<_> = (0..8)
				.map(|_| {
					s.spawn(|| {
						let mut mine = Vec::new();
						while let Some(p) = PrimePool::new(&store).take().unwrap() {
							mine.push(serde_json::to_vec(&p).unwrap());
						}
						mine
					})
				})
				.collect();
			takers.into_iter().flat_map(|t| t.join().unwrap()).collect()
		});
		assert_eq!(taken.len(), fixtures.len(), "every entry taken exactly once");
		let distinct: std::collections::HashSet<_> = taken.iter().collect();
		assert_eq!(distinct.len(), fixtures.len(), "no entry handed out twice");
		assert!(store.list(PREFIX).unwrap().is_empty(), "nothing left behind");
		assert!(store.list(CLAIMED).unwrap().is_empty(), "no claim left behind");
	}
}
