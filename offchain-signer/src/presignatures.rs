//! The presignature pool: presignatures ([`crate::engine::presign`]) kept, encrypted, in the
//! keystore until a request uses them.
//!
//! A presignature belongs to one key, one signer subset (keygen indices, in signing order)
//! and one derivation path — its *slot* — and is named by the id of the session that made it,
//! which every member of the subset knows: the members of a subset hold the same set of ids
//! for a slot, and naming one id tells each of them which of its presignatures to use.
//!
//! **A presignature is used at most once.** [`PresignaturePool::claim`] first renames the
//! entry (an atomic, fsynced rename that only one caller can win), then reads it and removes
//! it durably, and only then returns it: the partial signature made from it can leave the
//! process only after the presignature is gone from disk, so a crash, a restart or a second
//! request naming the same id can never reuse it. An entry left claimed by a crash is removed
//! by [`PresignaturePool::recover`], never returned.

use crate::{
	engine::presign::Presig,
	keystore::{Keystore, KeystoreError},
	transport::SessionId,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Entry name prefix, after the caller's prefix.
const READY: &str = "presig-";
/// Prefix of an entry being consumed.
const SPENT: &str = "spent-presig-";

/// What a presignature can sign for.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Slot {
	/// The committee key.
	pub key: u32,
	/// The signer subset: keygen party indices, in signing order.
	pub keygen_indices: Vec<u16>,
	/// The derivation path from the key.
	pub path: Vec<u32>,
}

impl Slot {
	/// A short, stable name of the slot (hex of a hash of the subset and the path).
	fn tag(&self) -> String {
		let mut h = Sha256::new();
		h.update(b"waas/presig-slot");
		h.update(self.key.to_le_bytes());
		h.update((self.keygen_indices.len() as u32).to_le_bytes());
		for i in &self.keygen_indices {
			h.update(i.to_le_bytes());
		}
		for i in &self.path {
			h.update(i.to_le_bytes());
		}
		hex::encode(&h.finalize()[..8])
	}
}

/// One stored presignature and the slot it was made for.
#[derive(Serialize, Deserialize)]
struct Entry {
	slot: Slot,
	presignature: Presig,
}

/// Presignatures kept in a [`Keystore`] under names starting with `prefix`.
pub struct PresignaturePool<'a> {
	store: &'a Keystore,
	prefix: &'a str,
}

impl<'a> PresignaturePool<'a> {
	/// The pool inside `store`, under `prefix` (e.g. the chain's keystore prefix).
	pub fn new(store: &'a Keystore, prefix: &'a str) -> PresignaturePool<'a> {
		PresignaturePool { store, prefix }
	}

	fn slot_prefix(&self, slot: &Slot) -> String {
		format!("{}{READY}k{}-{}-", self.prefix, slot.key, slot.tag())
	}

	/// Keeps `presignature`, made in session `id` for `slot`.
	pub fn add(
		&self,
		id: &SessionId,
		slot: Slot,
		presignature: Presig,
	) -> Result<(), KeystoreError> {
		let name = format!("{}{}", self.slot_prefix(&slot), hex::encode(id));
		self.store.put(&name, &Entry { slot, presignature })
	}

	/// Ids of the presignatures ready for `slot`, in name order.
	pub fn ready(&self, slot: &Slot) -> Result<Vec<SessionId>, KeystoreError> {
		let prefix = self.slot_prefix(slot);
		Ok(self
			.store
			.list(&prefix)?
			.iter()
			.filter_map(|name| hex::decode(&name[prefix.len()..]).ok())
			.filter_map(|bytes| SessionId::try_from(bytes).ok())
			.collect())
	}

	/// Takes presignature `id` of `slot` out of the pool for one use (see the module docs):
	/// `Ok(None)` when it is not (or no longer) here. The entry's name binds its slot (the
	/// keystore authenticates every value under its name), so another slot's presignature is
	/// never found under this one.
	pub fn claim(&self, slot: &Slot, id: &SessionId) -> Result<Option<Presig>, KeystoreError> {
		let name = format!("{}{}", self.slot_prefix(slot), hex::encode(id));
		let spent = format!("{}{SPENT}{}", self.prefix, &name[self.prefix.len() + READY.len()..]);
		if !self.store.rename(&name, &spent)? {
			return Ok(None); // a concurrent caller claimed it first
		}
		let entry = self.store.get_renamed::<Entry>(&spent, &name);
		self.store.remove(&spent)?;
		Ok(entry?.filter(|e| e.slot == *slot).map(|e| e.presignature))
	}

	/// How many presignatures of `key` are ready, over all its slots.
	pub fn count(&self, key: u32) -> Result<usize, KeystoreError> {
		Ok(self.store.list(&format!("{}{READY}k{key}-", self.prefix))?.len())
	}

	/// Removes every presignature of `key` (its committee changed or it was retired);
	/// returns how many.
	pub fn discard_key(&self, key: u32) -> Result<usize, KeystoreError> {
		let names = self.store.list(&format!("{}{READY}k{key}-", self.prefix))?;
		for name in &names {
			self.store.remove(name)?;
		}
		Ok(names.len())
	}

	/// Removes entries a crash left half-claimed (never to be used); returns how many.
	pub fn recover(&self) -> Result<usize, KeystoreError> {
		let names = self.store.list(&format!("{}{SPENT}", self.prefix))?;
		for name in &names {
			self.store.remove(name)?;
		}
		Ok(names.len())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use cggmp21::generic_ec::{NonZero, Point, Scalar, SecretScalar};

	/// A presignature-shaped value (random components): what the pool stores, not a
	/// protocol output (`tests/engine.rs` uses real ones).
	fn random_presig() -> Presig {
		let mut rng = rand::rngs::OsRng;
		let r = NonZero::from_point(Point::generator() * Scalar::random(&mut rng)).unwrap();
		Presig { R: r, k: SecretScalar::random(&mut rng), chi: SecretScalar::random(&mut rng) }
	}

	fn store() -> (tempfile::TempDir, Keystore) {
		let dir = tempfile::tempdir().unwrap();
		let store = Keystore::open(dir.path(), &[5u8; 32]).unwrap();
		(dir, store)
	}

	fn slot(key: u32, subset: &[u16], path: &[u32]) -> Slot {
		Slot { key, keygen_indices: subset.to_vec(), path: path.to_vec() }
	}

	#[test]
	fn a_presignature_is_claimed_once_and_only_for_its_slot() {
		let (_dir, store) = store();
		let pool = PresignaturePool::new(&store, "g0102-");
		let (a, b) = (slot(1, &[0, 2], &[7, 1]), slot(1, &[0, 1], &[7, 1]));
		pool.add(&[1; 32], a.clone(), random_presig()).unwrap();
		pool.add(&[2; 32], a.clone(), random_presig()).unwrap();
		pool.add(&[3; 32], b.clone(), random_presig()).unwrap();
		pool.add(&[4; 32], slot(10, &[0, 2], &[7, 1]), random_presig()).unwrap();
		assert_eq!(pool.ready(&a).unwrap(), vec![[1; 32], [2; 32]]);
		assert_eq!(pool.ready(&b).unwrap(), vec![[3; 32]]);
		assert_eq!(pool.count(1).unwrap(), 3);
		// Another subset, path or key does not find it.
		assert!(pool.claim(&b, &[1; 32]).unwrap().is_none());
		assert!(pool.claim(&slot(1, &[0, 2], &[7, 2]), &[1; 32]).unwrap().is_none());
		assert!(pool.claim(&slot(2, &[0, 2], &[7, 1]), &[1; 32]).unwrap().is_none());
		let first = pool.claim(&a, &[1; 32]).unwrap().expect("ready");
		assert!(pool.claim(&a, &[1; 32]).unwrap().is_none(), "never twice");
		assert_eq!(pool.ready(&a).unwrap(), vec![[2; 32]]);
		// Reopened (a restart), the claimed one stays gone.
		let store = Keystore::open(_dir.path(), &[5u8; 32]).unwrap();
		let pool = PresignaturePool::new(&store, "g0102-");
		assert!(pool.claim(&a, &[1; 32]).unwrap().is_none());
		let second = pool.claim(&a, &[2; 32]).unwrap().expect("ready");
		assert_ne!(first.R, second.R);
		// Retiring key 1 discards its slots, not key 10's.
		assert_eq!(pool.discard_key(1).unwrap(), 1);
		assert_eq!(pool.count(1).unwrap(), 0);
		assert_eq!(pool.count(10).unwrap(), 1);
	}

	#[test]
	fn concurrent_claims_of_one_presignature_give_it_to_one_caller() {
		let (_dir, store) = store();
		let pool = PresignaturePool::new(&store, "");
		let a = slot(0, &[1, 2], &[]);
		pool.add(&[9; 32], a.clone(), random_presig()).unwrap();
		let winners: usize = std::thread::scope(|s| {
			let claims: Vec<_> = (0..8)
				.map(|_| s.spawn(|| pool.claim(&a, &[9; 32]).unwrap().is_some() as usize))
				.collect();
			claims.into_iter().map(|c| c.join().unwrap()).sum()
		});
		assert_eq!(winners, 1);
		assert!(store.list(READY).unwrap().is_empty(), "nothing left behind");
		assert!(store.list(SPENT).unwrap().is_empty(), "no claim left behind");
	}

	#[test]
	fn a_claim_cut_short_by_a_crash_is_removed_not_reused() {
		let (_dir, store) = store();
		let pool = PresignaturePool::new(&store, "p-");
		let a = slot(3, &[0, 1], &[5]);
		pool.add(&[6; 32], a.clone(), random_presig()).unwrap();
		// The first step of a claim (the rename), then the process dies.
		let name = format!("p-presig-k3-{}-{}", a.tag(), hex::encode([6u8; 32]));
		let spent = format!("p-spent-presig-k3-{}-{}", a.tag(), hex::encode([6u8; 32]));
		assert!(store.rename(&name, &spent).unwrap());
		assert!(pool.claim(&a, &[6; 32]).unwrap().is_none());
		assert_eq!(pool.recover().unwrap(), 1);
		assert!(store.list("p-").unwrap().is_empty());
	}
}
