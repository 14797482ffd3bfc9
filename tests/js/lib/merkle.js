// RFC 6962 Merkle trees in JavaScript (node:crypto SHA-256), written from the RFC's
// definitions (§2.1: MTH, PATH, PROOF) independently of the Rust `merkle_log` module, so the
// tests check the runtime's verification against a second implementation.
import { createHash } from 'node:crypto';

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** The leaf hash of `entry` (a Buffer or string): SHA-256(0x00 ‖ entry). */
export const leafHash = (entry) => sha256(Buffer.from([0]), Buffer.from(entry));
const nodeHash = (left, right) => sha256(Buffer.from([1]), left, right);
/** The largest power of two strictly below n (n ≥ 2). */
const split = (n) => 2 ** (Math.ceil(Math.log2(n)) - 1);

/** MTH over leaf hashes. */
export function root(leaves) {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return nodeHash(root(leaves.slice(0, k)), root(leaves.slice(k)));
}

/** PATH(m, D[n]): the audit path of entry m. */
export function inclusionProof(leaves, m) {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...inclusionProof(leaves.slice(0, k), m), root(leaves.slice(k))]
    : [...inclusionProof(leaves.slice(k), m - k), root(leaves.slice(0, k))];
}

/** PROOF(m, D[n]): the consistency proof from the first m entries to all of them. */
export function consistencyProof(leaves, m) {
  const sub = (m, d, whole) => {
    if (m === d.length) return whole ? [] : [root(d)];
    const k = split(d.length);
    return m <= k
      ? [...sub(m, d.slice(0, k), whole), root(d.slice(k))]
      : [...sub(m - k, d.slice(k), false), root(d.slice(0, k))];
  };
  return m === 0 ? [] : sub(m, leaves, true);
}

/**
 * The root that the audit path `proof` of leaf hash `leaf` (entry `index` of a tree of `size`
 * entries) leads to, as RFC 9162 §2.1.3.2 computes it; null if the path has the wrong length.
 */
export function rootFromInclusionProof(leaf, index, size, proof) {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(Buffer.from(p), r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, Buffer.from(p));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** 0x hex of a hash. */
export const hex = (hash) => '0x' + Buffer.from(hash).toString('hex');
