//! RFC 6962 (Certificate Transparency) Merkle trees over an append-only log: the tree hash,
//! inclusion proofs and consistency proofs, built and verified.
//!
//! A log of entries `d[0..n]` has the tree hash `MTH(d[0..n])` of RFC 6962 §2.1 with SHA-256:
//! a leaf is `SHA-256(0x00 ‖ entry)`, an interior node `SHA-256(0x01 ‖ left ‖ right)`, the left
//! subtree holds the largest power of two strictly below `n` entries, and the empty tree hashes
//! to `SHA-256("")`.
//!
//! - [`verify_inclusion`] checks that a leaf hash is entry `index` of a tree of `tree_size`
//!   entries with a given root (RFC 9162 §2.1.3.2), [`verify_consistency`] that a tree is a
//!   prefix of a larger one (RFC 9162 §2.1.4.2). Both take only hashes and sizes, never panic,
//!   allocate nothing, and cost one hash per proof node: the runtime runs them.
//! - [`root`], [`inclusion_proof`] and [`consistency_proof`] build the same from a log's leaf
//!   hashes (RFC 6962 §2.1.1, §2.1.2): what a log holder (a signer, the `waas-audit` tool) uses
//!   to anchor and to prove.
//!
//! Proofs are lists of 32-byte node hashes in the RFC's order, so proofs from any RFC 6962
//! implementation verify here and the other way round (tested against `ct-merkle`).
//!
//! As with every RFC 6962 verifier, a proof pins the tree sizes only as far as they shape the
//! path: a proof for a tree of 11 entries also verifies for a claimed size of 12 whose last
//! subtree has the same shape, with the same root. Such a head claims an entry it cannot
//! prove (no inclusion proof for entry 11 exists), but it cannot change what the covered
//! entries are.

use alloc::vec::Vec;
use sha2::{Digest, Sha256};

/// A SHA-256 node hash: a leaf, an interior node or a tree's root.
pub type NodeHash = [u8; 32];

/// The prefix of a leaf's hash input (RFC 6962 §2.1).
pub const LEAF_PREFIX: u8 = 0x00;
/// The prefix of an interior node's hash input (RFC 6962 §2.1).
pub const NODE_PREFIX: u8 = 0x01;
/// The most nodes a proof about trees of fewer than 2^64 entries has: an inclusion proof one
/// per level (at most 64), a consistency proof one per level of the new tree plus the node
/// where the old tree ends (at most 65).
pub const MAX_PROOF_NODES: usize = 65;

/// Why a proof does not hold, or cannot be built.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum ProofError {
	/// The leaf index is not below the tree size.
	IndexOutOfRange,
	/// The older tree is larger than the newer one.
	SizesOutOfOrder,
	/// The proof has more or fewer nodes than a proof for these sizes has.
	WrongProofLength,
	/// The proof's nodes do not lead to the given root (or, for consistency, to both roots).
	RootMismatch,
}

impl core::fmt::Display for ProofError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(match self {
			ProofError::IndexOutOfRange => "leaf index not below the tree size",
			ProofError::SizesOutOfOrder => "the older tree is larger than the newer one",
			ProofError::WrongProofLength => "the proof's length does not fit the tree sizes",
			ProofError::RootMismatch => "the proof does not lead to the root",
		})
	}
}

/// The leaf hash of `entry`: `SHA-256(0x00 ‖ entry)`.
pub fn leaf_hash(entry: &[u8]) -> NodeHash {
	Sha256::new().chain_update([LEAF_PREFIX]).chain_update(entry).finalize().into()
}

/// The hash of an interior node: `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &NodeHash, right: &NodeHash) -> NodeHash {
	Sha256::new()
		.chain_update([NODE_PREFIX])
		.chain_update(left)
		.chain_update(right)
		.finalize()
		.into()
}

/// The root of the empty tree: `SHA-256("")`.
pub fn empty_root() -> NodeHash {
	Sha256::digest([]).into()
}

/// Checks that `leaf` (a leaf hash) is entry `index` of the tree of `tree_size` entries whose
/// root is `root`, given the audit path `proof` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
	leaf: &NodeHash,
	index: u64,
	tree_size: u64,
	proof: &[NodeHash],
	root: &NodeHash,
) -> Result<(), ProofError> {
	if index >= tree_size {
		return Err(ProofError::IndexOutOfRange);
	}
	if proof.len() != inclusion_proof_len(index, tree_size) {
		return Err(ProofError::WrongProofLength);
	}
	// `node` walks up from the leaf, `last` from the tree's last entry; where they part the
	// path node is a left sibling.
	let (mut node, mut last) = (index, tree_size - 1);
	let mut hash = *leaf;
	for sibling in proof {
		if node & 1 == 1 || node == last {
			hash = node_hash(sibling, &hash);
			// The right edge of an incomplete tree: climb the levels where this node is a left
			// child without a sibling.
			while node & 1 == 0 && node != 0 {
				node >>= 1;
				last >>= 1;
			}
		} else {
			hash = node_hash(&hash, sibling);
		}
		node >>= 1;
		last >>= 1;
	}
	if last == 0 && hash == *root {
		Ok(())
	} else {
		Err(ProofError::RootMismatch)
	}
}

/// Checks that the tree of `old_size` entries with root `old_root` is a prefix of the tree of
/// `new_size` entries with root `new_root`, given the consistency proof `proof` (RFC 9162
/// §2.1.4.2). Equal sizes need an empty proof and equal roots; the empty tree is a prefix of
/// every tree (with an empty proof).
pub fn verify_consistency(
	old_size: u64,
	old_root: &NodeHash,
	new_size: u64,
	new_root: &NodeHash,
	proof: &[NodeHash],
) -> Result<(), ProofError> {
	if old_size > new_size {
		return Err(ProofError::SizesOutOfOrder);
	}
	if proof.len() != consistency_proof_len(old_size, new_size) {
		return Err(ProofError::WrongProofLength);
	}
	if old_size == 0 {
		return Ok(());
	}
	if old_size == new_size {
		return if old_root == new_root { Ok(()) } else { Err(ProofError::RootMismatch) };
	}
	let (old_hash, new_hash) = consistency_roots(old_size, new_size, old_root, proof)?;
	if old_hash == *old_root && new_hash == *new_root {
		Ok(())
	} else {
		Err(ProofError::RootMismatch)
	}
}

/// The roots of the old and the new tree that a consistency proof from `old_size` to
/// `new_size` entries (`0 < old_size < new_size`) leads to (RFC 9162 §2.1.4.2, steps 2–6);
/// `old_root` is where the walk starts when the old tree is complete (a power of two), and is
/// unused otherwise (the proof's first node is). [`verify_consistency`] compares them with the
/// heads; a tool can use this to see which heads a proof would tie together.
pub fn consistency_roots(
	old_size: u64,
	new_size: u64,
	old_root: &NodeHash,
	proof: &[NodeHash],
) -> Result<(NodeHash, NodeHash), ProofError> {
	if old_size == 0 || old_size >= new_size {
		return Err(ProofError::SizesOutOfOrder);
	}
	if proof.len() != consistency_proof_len(old_size, new_size) {
		return Err(ProofError::WrongProofLength);
	}
	// A complete old tree is a node of the new one: the proof starts above it, from its root.
	let (first, rest) = if old_size.is_power_of_two() {
		(*old_root, proof)
	} else {
		let (first, rest) = proof.split_first().ok_or(ProofError::WrongProofLength)?;
		(*first, rest)
	};
	let (mut node, mut last) = (old_size - 1, new_size - 1);
	while node & 1 == 1 {
		node >>= 1;
		last >>= 1;
	}
	let (mut old_hash, mut new_hash) = (first, first);
	for sibling in rest {
		if last == 0 {
			return Err(ProofError::RootMismatch);
		}
		if node & 1 == 1 || node == last {
			old_hash = node_hash(sibling, &old_hash);
			new_hash = node_hash(sibling, &new_hash);
			while node & 1 == 0 && node != 0 {
				node >>= 1;
				last >>= 1;
			}
		} else {
			new_hash = node_hash(&new_hash, sibling);
		}
		node >>= 1;
		last >>= 1;
	}
	if last == 0 {
		Ok((old_hash, new_hash))
	} else {
		Err(ProofError::RootMismatch)
	}
}

/// The number of nodes in the inclusion proof of entry `index` in a tree of `tree_size`
/// entries (`index < tree_size`): one per level where the entry's subtree has a sibling.
pub fn inclusion_proof_len(index: u64, tree_size: u64) -> usize {
	// Levels below where the paths to `index` and to the last entry meet, plus one per set bit
	// of the last entry's offset above that level (each a right-edge subtree).
	let inner = u64::BITS - (index ^ (tree_size - 1)).leading_zeros();
	let border = index.checked_shr(inner).unwrap_or(0).count_ones();
	(inner + border) as usize
}

/// The number of nodes in the consistency proof from `old_size` to `new_size` entries
/// (`old_size ≤ new_size`).
pub fn consistency_proof_len(old_size: u64, new_size: u64) -> usize {
	if old_size == 0 || old_size == new_size {
		return 0;
	}
	// The path from the old tree's last entry up the new tree, as an inclusion proof, minus
	// the levels inside the largest complete subtree that ends the old tree, plus that
	// subtree's own root unless it is the whole old tree.
	let index = old_size - 1;
	let shift = index.trailing_ones();
	let inner = u64::BITS - ((index ^ (new_size - 1)) >> shift).leading_zeros();
	let border = (index >> shift).checked_shr(inner).unwrap_or(0).count_ones();
	let start = usize::from(!old_size.is_power_of_two());
	(inner + border) as usize + start
}

/// The root of the tree over `leaves` (leaf hashes, in log order): `MTH` of RFC 6962 §2.1.
pub fn root(leaves: &[NodeHash]) -> NodeHash {
	match leaves.len() {
		0 => empty_root(),
		1 => leaves[0],
		n => {
			let k = split(n);
			node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
		},
	}
}

/// The audit path of entry `index` in the tree over `leaves` (RFC 6962 §2.1.1), which
/// [`verify_inclusion`] checks against [`root`]`(leaves)`.
pub fn inclusion_proof(leaves: &[NodeHash], index: u64) -> Result<Vec<NodeHash>, ProofError> {
	let index = usize::try_from(index).map_err(|_| ProofError::IndexOutOfRange)?;
	if index >= leaves.len() {
		return Err(ProofError::IndexOutOfRange);
	}
	let mut proof = Vec::new();
	path(index, leaves, &mut proof);
	Ok(proof)
}

/// The consistency proof from the first `old_size` entries of `leaves` to all of them (RFC 6962
/// §2.1.2), which [`verify_consistency`] checks.
pub fn consistency_proof(leaves: &[NodeHash], old_size: u64) -> Result<Vec<NodeHash>, ProofError> {
	let old_size = usize::try_from(old_size).map_err(|_| ProofError::SizesOutOfOrder)?;
	if old_size > leaves.len() {
		return Err(ProofError::SizesOutOfOrder);
	}
	let mut proof = Vec::new();
	if old_size > 0 {
		subproof(old_size, leaves, true, &mut proof);
	}
	Ok(proof)
}

/// The most nodes a [`frontier`](frontier_append) holds: one per set bit of a tree size below
/// 2^64.
pub const MAX_FRONTIER_NODES: usize = 64;

/// Appends `leaf` to the tree of `size` entries whose frontier is `frontier`, and returns the
/// new frontier (of the tree of `size + 1` entries).
///
/// A tree's frontier is the roots of the perfect subtrees its entries split into, largest
/// (leftmost) first: one per set bit of its size. It is all a log keeper needs to extend the
/// tree and compute its root ([`frontier_root`]) without the entries, in O(log n) hashes and
/// space: how the runtime keeps logs of its own. `None` if `frontier` does not have one node
/// per set bit of `size`, or the tree is full (2^64 − 1 entries).
pub fn frontier_append(frontier: &[NodeHash], size: u64, leaf: NodeHash) -> Option<Vec<NodeHash>> {
	if frontier.len() != size.count_ones() as usize || size == u64::MAX {
		return None;
	}
	// Appending adds one to the size: each trailing one bit carries, merging the last subtree
	// into the new entry's.
	let merges = size.trailing_ones() as usize;
	let (kept, merged) = frontier.split_at(frontier.len() - merges);
	let mut node = leaf;
	for left in merged.iter().rev() {
		node = node_hash(left, &node);
	}
	let mut next = Vec::with_capacity(kept.len() + 1);
	next.extend_from_slice(kept);
	next.push(node);
	Some(next)
}

/// The root of a tree from its frontier (see [`frontier_append`]): the subtree roots folded
/// from the right, `MTH` of RFC 6962 §2.1 since each split puts the largest power of two on the
/// left. The empty frontier is the empty tree.
pub fn frontier_root(frontier: &[NodeHash]) -> NodeHash {
	let mut nodes = frontier.iter().rev();
	let Some(last) = nodes.next() else { return empty_root() };
	nodes.fold(*last, |right, left| node_hash(left, &right))
}

/// The largest power of two strictly below `n` (n ≥ 2): the size of the left subtree.
fn split(n: usize) -> usize {
	1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// `PATH(m, D[n])`, appended to `out` from the leaf up.
fn path(m: usize, leaves: &[NodeHash], out: &mut Vec<NodeHash>) {
	let n = leaves.len();
	if n <= 1 {
		return;
	}
	let k = split(n);
	if m < k {
		path(m, &leaves[..k], out);
		out.push(root(&leaves[k..]));
	} else {
		path(m - k, &leaves[k..], out);
		out.push(root(&leaves[..k]));
	}
}

/// `SUBPROOF(m, D[n], b)`, appended to `out` from the bottom up.
fn subproof(m: usize, leaves: &[NodeHash], whole: bool, out: &mut Vec<NodeHash>) {
	let n = leaves.len();
	if m == n {
		if !whole {
			out.push(root(leaves));
		}
		return;
	}
	let k = split(n);
	if m <= k {
		subproof(m, &leaves[..k], whole, out);
		out.push(root(&leaves[k..]));
	} else {
		subproof(m - k, &leaves[k..], false, out);
		out.push(root(&leaves[..k]));
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec;
	use hex_literal::hex;

	/// The eight entries of the reference test tree of transparency-dev/merkle (the Go
	/// implementation of RFC 6962 behind Certificate Transparency logs), whose published roots
	/// and proofs the tests below compare against.
	fn ct_entries() -> Vec<Vec<u8>> {
		vec![
			vec![],
			vec![0x00],
			vec![0x10],
			vec![0x20, 0x21],
			vec![0x30, 0x31],
			vec![0x40, 0x41, 0x42, 0x43],
			vec![0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
			vec![
				0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d,
				0x6e, 0x6f,
			],
		]
	}

	fn ct_leaves() -> Vec<NodeHash> {
		ct_entries().iter().map(|e| leaf_hash(e)).collect()
	}

	fn leaves(n: usize) -> Vec<NodeHash> {
		(0..n as u64).map(|i| leaf_hash(&i.to_le_bytes())).collect()
	}

	#[test]
	fn roots_match_the_certificate_transparency_vectors() {
		// The published roots of the first 1..=8 entries of the test tree.
		let expected = [
			hex!("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
			hex!("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
			hex!("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
			hex!("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
			hex!("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
			hex!("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
			hex!("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
			hex!("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
		];
		let leaves = ct_leaves();
		for (n, want) in expected.iter().enumerate() {
			assert_eq!(&root(&leaves[..n + 1]), want, "root of {} entries", n + 1);
		}
		assert_eq!(
			empty_root(),
			hex!("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
		);
	}

	#[test]
	fn proofs_match_the_certificate_transparency_vectors() {
		let leaves = ct_leaves();
		// Inclusion of entry 0 in the 8-entry tree, and of entry 5 in the 8-entry tree.
		assert_eq!(
			inclusion_proof(&leaves, 0).unwrap(),
			vec![
				hex!("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
				hex!("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
				hex!("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
			]
		);
		assert_eq!(
			inclusion_proof(&leaves, 5).unwrap(),
			vec![
				hex!("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
				hex!("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
				hex!("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
			]
		);
		// Smaller trees: entry 1 of 5, entry 2 of 3.
		assert_eq!(
			inclusion_proof(&leaves[..5], 1).unwrap(),
			vec![
				hex!("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
				hex!("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
				hex!("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
			]
		);
		assert_eq!(
			inclusion_proof(&leaves[..3], 2).unwrap(),
			vec![hex!("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]
		);
		// Consistency from 1 and 6 entries to 8, from 2 to 5.
		assert_eq!(
			consistency_proof(&leaves, 1).unwrap(),
			vec![
				hex!("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
				hex!("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
				hex!("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
			]
		);
		assert_eq!(
			consistency_proof(&leaves, 6).unwrap(),
			vec![
				hex!("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
				hex!("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
				hex!("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
			]
		);
		assert_eq!(
			consistency_proof(&leaves[..5], 2).unwrap(),
			vec![
				hex!("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
				hex!("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
			]
		);
		// Each vector also verifies.
		for (m, n) in [(1, 8), (6, 8), (2, 5)] {
			let proof = consistency_proof(&leaves[..n], m as u64).unwrap();
			let (old, new) = (root(&leaves[..m]), root(&leaves[..n]));
			assert_eq!(verify_consistency(m as u64, &old, n as u64, &new, &proof), Ok(()));
		}
	}

	#[test]
	fn every_proof_of_every_small_tree_verifies_and_has_the_predicted_length() {
		let all = leaves(70);
		for n in 1..=all.len() {
			let tree = &all[..n];
			let r = root(tree);
			for i in 0..n {
				let proof = inclusion_proof(tree, i as u64).unwrap();
				assert_eq!(proof.len(), inclusion_proof_len(i as u64, n as u64), "({i}, {n})");
				assert_eq!(verify_inclusion(&tree[i], i as u64, n as u64, &proof, &r), Ok(()));
			}
			for m in 0..=n {
				let proof = consistency_proof(tree, m as u64).unwrap();
				assert_eq!(proof.len(), consistency_proof_len(m as u64, n as u64), "({m}, {n})");
				let old = root(&tree[..m]);
				assert_eq!(verify_consistency(m as u64, &old, n as u64, &r, &proof), Ok(()));
			}
		}
	}

	#[test]
	fn a_frontier_gives_the_root_of_every_prefix() {
		let leaves: Vec<NodeHash> = (0u32..300).map(|i| leaf_hash(&i.to_le_bytes())).collect();
		let mut frontier = Vec::new();
		assert_eq!(frontier_root(&frontier), empty_root());
		for (size, leaf) in leaves.iter().enumerate() {
			frontier = frontier_append(&frontier, size as u64, *leaf).unwrap();
			assert_eq!(frontier.len(), (size as u64 + 1).count_ones() as usize);
			assert_eq!(frontier_root(&frontier), root(&leaves[..=size]), "size {}", size + 1);
		}
		// The reference tree of the transparency-dev vectors, entry by entry.
		let mut frontier = Vec::new();
		for (size, leaf) in ct_leaves().iter().enumerate() {
			frontier = frontier_append(&frontier, size as u64, *leaf).unwrap();
		}
		assert_eq!(frontier_root(&frontier), root(&ct_leaves()));
	}

	#[test]
	fn a_frontier_that_does_not_fit_its_size_is_refused() {
		let leaf = leaf_hash(b"x");
		assert_eq!(frontier_append(&[], 1, leaf), None);
		assert_eq!(frontier_append(&[leaf], 2, leaf).map(|f| f.len()), Some(2));
		assert_eq!(frontier_append(&[leaf, leaf], 2, leaf), None);
		let full = [leaf; MAX_FRONTIER_NODES];
		assert_eq!(frontier_append(&full, u64::MAX, leaf), None);
		// The largest tree that can still grow: 2^64 − 2 entries, 63 subtrees, all merged.
		let almost = [leaf; MAX_FRONTIER_NODES - 1];
		let last = frontier_append(&almost, u64::MAX - 1, leaf).unwrap();
		assert_eq!(last.len(), MAX_FRONTIER_NODES);
		let carried = frontier_append(&[leaf; 63], (1u64 << 63) - 1, leaf).unwrap();
		assert_eq!(carried.len(), 1);
	}

	#[test]
	fn a_tampered_entry_fails_inclusion() {
		let tree = leaves(13);
		let r = root(&tree);
		let proof = inclusion_proof(&tree, 6).unwrap();
		let other = leaf_hash(b"not the entry");
		assert_eq!(verify_inclusion(&other, 6, 13, &proof, &r), Err(ProofError::RootMismatch));
		// The right leaf at another index, a flipped proof node, a wrong size or root: refused.
		assert_eq!(verify_inclusion(&tree[6], 7, 13, &proof, &r), Err(ProofError::RootMismatch));
		let mut flipped = proof.clone();
		flipped[1][0] ^= 1;
		assert_eq!(verify_inclusion(&tree[6], 6, 13, &flipped, &r), Err(ProofError::RootMismatch));
		assert_eq!(
			verify_inclusion(&tree[6], 6, 13, &proof[1..], &r),
			Err(ProofError::WrongProofLength)
		);
		assert_eq!(
			verify_inclusion(&tree[6], 13, 13, &proof, &r),
			Err(ProofError::IndexOutOfRange)
		);
		assert_eq!(
			verify_inclusion(&tree[6], 6, 13, &proof, &tree[6]),
			Err(ProofError::RootMismatch)
		);
	}

	#[test]
	fn a_rewritten_history_fails_consistency() {
		let honest = leaves(11);
		let old_root = root(&honest[..7]);
		// The log holder rewrites entry 3 and extends: its new head cannot be proven to extend
		// the old one, whichever proof it sends.
		let mut rewritten = honest.clone();
		rewritten[3] = leaf_hash(b"rewritten");
		let new_root = root(&rewritten);
		let proof = consistency_proof(&rewritten, 7).unwrap();
		assert_eq!(
			verify_consistency(7, &old_root, 11, &new_root, &proof),
			Err(ProofError::RootMismatch)
		);
		let honest_proof = consistency_proof(&honest, 7).unwrap();
		assert_eq!(
			verify_consistency(7, &old_root, 11, &new_root, &honest_proof),
			Err(ProofError::RootMismatch)
		);
		// The honest extension verifies; shrinking, padding or a wrong size is refused.
		let honest_root = root(&honest);
		assert_eq!(verify_consistency(7, &old_root, 11, &honest_root, &honest_proof), Ok(()));
		assert_eq!(
			verify_consistency(11, &honest_root, 7, &old_root, &honest_proof),
			Err(ProofError::SizesOutOfOrder)
		);
		let mut padded = honest_proof.clone();
		padded.push([0; 32]);
		assert_eq!(
			verify_consistency(7, &old_root, 11, &honest_root, &padded),
			Err(ProofError::WrongProofLength)
		);
		assert!(verify_consistency(6, &old_root, 11, &honest_root, &honest_proof).is_err());
		assert!(verify_consistency(7, &old_root, 11, &root(&honest[..10]), &honest_proof).is_err());
		// The caveat of the module docs: the same path shape, so a larger claimed size passes
		// with the same root (and no entry beyond the 11th could ever be proven in it).
		assert_eq!(verify_consistency(7, &old_root, 16, &honest_root, &honest_proof), Ok(()));
		assert_eq!(
			verify_consistency(7, &old_root, 7, &honest_root, &[]),
			Err(ProofError::RootMismatch)
		);
		assert_eq!(verify_consistency(0, &[9; 32], 11, &honest_root, &[]), Ok(()));
	}

	#[test]
	fn proofs_agree_with_an_independent_implementation() {
		// ct-merkle (another RFC 6962 implementation) builds the trees and proofs; this module
		// verifies them and builds the same roots and proofs.
		use ct_merkle::mem_backed_tree::MemoryBackedTree;
		let mut tree = MemoryBackedTree::<Sha256, Vec<u8>>::new();
		let mut entries: Vec<Vec<u8>> = Vec::new();
		for n in 1..=40u64 {
			let entry = n.to_be_bytes().repeat((n % 5) as usize);
			tree.push(entry.clone());
			entries.push(entry);
			let ours: Vec<NodeHash> = entries.iter().map(|e| leaf_hash(e)).collect();
			let theirs_root: NodeHash = (*tree.root().as_bytes()).into();
			assert_eq!(root(&ours), theirs_root, "root of {n}");
			for i in 0..n {
				let theirs: Vec<NodeHash> = tree
					.prove_inclusion(i as usize)
					.as_bytes()
					.chunks(32)
					.map(|c| c.try_into().unwrap())
					.collect();
				assert_eq!(theirs, inclusion_proof(&ours, i).unwrap(), "inclusion ({i}, {n})");
			}
			for m in 1..n {
				let theirs: Vec<NodeHash> = tree
					.prove_consistency((n - m) as usize)
					.as_bytes()
					.chunks(32)
					.map(|c| c.try_into().unwrap())
					.collect();
				let old = root(&ours[..m as usize]);
				assert_eq!(
					verify_consistency(m, &old, n, &theirs_root, &theirs),
					Ok(()),
					"({m}, {n})"
				);
			}
		}
	}

	#[test]
	fn proof_lengths_stay_within_the_cap_for_huge_trees() {
		let huge = [0, 1, 2, 3, (1 << 40) + 7, 1 << 63, (1 << 63) + 1, u64::MAX - 2, u64::MAX - 1];
		for i in huge {
			for n in huge.iter().map(|n| n + 1).chain([u64::MAX]).filter(|n| *n > i) {
				assert!(inclusion_proof_len(i, n) <= 64, "({i}, {n})");
				assert!(consistency_proof_len(i + 1, n) <= MAX_PROOF_NODES, "({}, {n})", i + 1);
			}
		}
		// The longest: the old tree ends just past a complete one, the new tree is huge.
		assert_eq!(inclusion_proof_len(0, u64::MAX), 64);
		assert_eq!(consistency_proof_len(3, u64::MAX), MAX_PROOF_NODES);
	}

	#[test]
	fn consistency_roots_are_the_heads_a_proof_ties_together() {
		let tree = leaves(21);
		for m in 1..21u64 {
			let proof = consistency_proof(&tree, m).unwrap();
			let old = root(&tree[..m as usize]);
			assert_eq!(consistency_roots(m, 21, &old, &proof), Ok((old, root(&tree))));
		}
		assert_eq!(consistency_roots(0, 21, &[0; 32], &[]), Err(ProofError::SizesOutOfOrder));
		assert_eq!(consistency_roots(5, 5, &[0; 32], &[]), Err(ProofError::SizesOutOfOrder));
	}
}
