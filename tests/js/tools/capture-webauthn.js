#!/usr/bin/env node
// Captures real WebAuthn vectors from Chromium's virtual authenticator (CTAP2, internal,
// resident keys, user verification) for rp id `localhost` and ES256, and writes them to
// primitives/tests/fixtures/webauthn-chromium.json for the Rust verifier's tests:
//   - registration_none:   attestation 'none',   challenge bytes 0..31
//   - registration_direct: attestation 'direct', challenge bytes 0..31 (its fmt and x5c recorded)
//   - assertion:           by registration_none's credential, challenge bytes 32..63, UV required
// Every byte field is lowercase hex without 0x. Before writing, the vectors are checked here
// with Node's crypto (assertion signature, packed attestation signature), and the facts the
// verifier depends on (flags, sign counts, DER lengths, crossOrigin) are printed.
// Usage (in tests/js): node tools/capture-webauthn.js [output.json]
import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowser, RP_ID } from '../lib/browser.js';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = resolve(process.argv[2] ?? join(here, '..', '..', '..', 'primitives', 'tests', 'fixtures', 'webauthn-chromium.json'));

const REGISTRATION_CHALLENGE = Buffer.from([...Array(32).keys()]);             // 00 01 .. 1f
const ASSERTION_CHALLENGE = Buffer.from([...Array(32).keys()].map((i) => i + 32)); // 20 21 .. 3f

// The icon link keeps Chromium from asking for /favicon.ico (a 404 in the console).
const PAGE = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>WebAuthn capture</title><p>capture</p>';

// A strict decoder for the CBOR subset WebAuthn uses (unsigned/negative ints, byte and text
// strings, arrays, maps, simple values); definite lengths only. Returns [value, nextOffset].
function cbor(buf, at = 0) {
  const head = buf[at];
  if (head === undefined) throw new Error('CBOR: truncated');
  const major = head >> 5;
  const info = head & 31;
  let len;
  let pos = at + 1;
  if (info < 24) len = info;
  else if (info === 24) { len = buf.readUInt8(pos); pos += 1; }
  else if (info === 25) { len = buf.readUInt16BE(pos); pos += 2; }
  else if (info === 26) { len = buf.readUInt32BE(pos); pos += 4; }
  else if (info === 27) { len = Number(buf.readBigUInt64BE(pos)); pos += 8; }
  else throw new Error(`CBOR: unsupported additional info ${info}`);
  const take = (n) => {
    if (pos + n > buf.length) throw new Error('CBOR: truncated');
    const out = buf.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  switch (major) {
    case 0: return [len, pos];
    case 1: return [-1 - len, pos];
    case 2: return [Buffer.from(take(len)), pos];
    case 3: return [take(len).toString('utf8'), pos];
    case 4: {
      const arr = [];
      for (let i = 0; i < len; i++) { const [v, p] = cbor(buf, pos); arr.push(v); pos = p; }
      return [arr, pos];
    }
    case 5: {
      const map = new Map();
      for (let i = 0; i < len; i++) {
        const [k, p1] = cbor(buf, pos);
        const [v, p2] = cbor(buf, p1);
        map.set(k, v);
        pos = p2;
      }
      return [map, pos];
    }
    case 7:
      if (info === 20) return [false, pos];
      if (info === 21) return [true, pos];
      if (info === 22) return [null, pos];
      throw new Error(`CBOR: unsupported simple value ${info}`);
    default: throw new Error(`CBOR: unsupported major type ${major}`);
  }
}

function cborAll(buf) {
  const [v, end] = cbor(buf);
  if (end !== buf.length) throw new Error(`CBOR: ${buf.length - end} trailing bytes`);
  return v;
}

const FLAG_NAMES = [[0x01, 'UP'], [0x04, 'UV'], [0x08, 'BE'], [0x10, 'BS'], [0x40, 'AT'], [0x80, 'ED']];
const flagNames = (f) => FLAG_NAMES.filter(([bit]) => f & bit).map(([, n]) => n).join('|');

// rpIdHash, flags, signCount and (if AT) the attested credential data of authenticatorData.
function parseAuthData(authData) {
  if (authData.length < 37) throw new Error('authenticatorData shorter than 37 bytes');
  const out = {
    rpIdHash: authData.subarray(0, 32),
    flags: authData[32],
    signCount: authData.readUInt32BE(33),
  };
  let pos = 37;
  if (out.flags & 0x40) {
    out.aaguid = authData.subarray(pos, pos + 16).toString('hex');
    const idLen = authData.readUInt16BE(pos + 16);
    out.credentialId = authData.subarray(pos + 18, pos + 18 + idLen);
    const [coseKey, end] = cbor(authData, pos + 18 + idLen);
    out.coseKey = coseKey;
    pos = end;
  }
  if (out.flags & 0x80) pos = cbor(authData, pos)[1];
  if (pos !== authData.length) throw new Error(`authenticatorData: ${authData.length - pos} trailing bytes`);
  return out;
}

// The fields of a DER ECDSA signature: SEQUENCE { INTEGER r, INTEGER s } (short-form lengths).
function derLengths(sig) {
  if (sig[0] !== 0x30 || sig[1] !== sig.length - 2 || sig[2] !== 0x02) throw new Error('not a DER ECDSA signature');
  const rLen = sig[3];
  if (sig[4 + rLen] !== 0x02) throw new Error('not a DER ECDSA signature');
  const sLen = sig[5 + rLen];
  if (6 + rLen + sLen !== sig.length) throw new Error('DER signature: length mismatch');
  return { total: sig.length, r: rLen, s: sLen };
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const hex = (buf) => Buffer.from(buf).toString('hex');

function checkClientData(json, type, challenge, origin) {
  const cd = JSON.parse(Buffer.from(json, 'hex').toString('utf8'));
  if (cd.type !== type) throw new Error(`clientDataJSON type ${cd.type}, expected ${type}`);
  if (cd.challenge !== b64url(challenge)) throw new Error('clientDataJSON challenge differs');
  if (cd.origin !== origin) throw new Error(`clientDataJSON origin ${cd.origin}, expected ${origin}`);
  return cd;
}

function describeRegistration(name, reg, origin) {
  const att = cborAll(Buffer.from(reg.attestationObject, 'hex'));
  const fmt = att.get('fmt');
  const attStmt = att.get('attStmt');
  const authData = att.get('authData');
  const ad = parseAuthData(authData);
  const cd = checkClientData(reg.clientDataJSON, 'webauthn.create', REGISTRATION_CHALLENGE, origin);
  if (hex(ad.rpIdHash) !== hex(createHash('sha256').update(RP_ID).digest())) throw new Error('rpIdHash is not sha256("localhost")');
  if (hex(ad.credentialId) !== reg.credentialId) throw new Error('attested credential id differs from rawId');
  if (hex(authData) !== reg.authenticatorData) throw new Error('getAuthenticatorData() differs from attestationObject.authData');
  const k = ad.coseKey;
  if (k.get(1) !== 2 || k.get(3) !== -7 || k.get(-1) !== 1 || k.get(-2).length !== 32 || k.get(-3).length !== 32) {
    throw new Error('credential key is not an EC2 P-256 ES256 COSE key');
  }
  const x5c = attStmt instanceof Map ? attStmt.get('x5c') : undefined;
  const facts = {
    fmt,
    attStmtKeys: [...attStmt.keys()],
    hasX5c: Array.isArray(x5c),
    x5cCount: Array.isArray(x5c) ? x5c.length : 0,
    flags: `0x${ad.flags.toString(16).padStart(2, '0')} (${flagNames(ad.flags)})`,
    signCount: ad.signCount,
    aaguid: ad.aaguid,
    credentialIdLength: ad.credentialId.length,
    coseKeyLabels: [...k.keys()],
    clientDataJSON: Buffer.from(reg.clientDataJSON, 'hex').toString('utf8'),
    crossOriginPresent: Object.hasOwn(cd, 'crossOrigin'),
    crossOrigin: cd.crossOrigin,
  };
  if (fmt === 'packed') {
    // packed: sig over authData ‖ sha256(clientDataJSON), by the x5c leaf or (self) the new key.
    const signed = Buffer.concat([authData, createHash('sha256').update(Buffer.from(reg.clientDataJSON, 'hex')).digest()]);
    const sig = attStmt.get('sig');
    const key = facts.hasX5c
      ? new X509Certificate(x5c[0]).publicKey
      : createPublicKey({ key: Buffer.from(reg.publicKey, 'hex'), format: 'der', type: 'spki' });
    if (attStmt.get('alg') !== -7) throw new Error(`packed attStmt alg ${attStmt.get('alg')}`);
    if (!verify('sha256', signed, key, sig)) throw new Error(`${name}: packed attestation signature does not verify`);
    facts.attStmtAlg = attStmt.get('alg');
    facts.attStmtSigDer = derLengths(sig);
    if (facts.hasX5c) {
      const leaf = new X509Certificate(x5c[0]);
      facts.x5cLeaf = { subject: leaf.subject, issuer: leaf.issuer, validTo: leaf.validTo };
    }
  } else if (fmt === 'none') {
    if (attStmt.size !== 0) throw new Error('none attestation with a non-empty attStmt');
  }
  return { fmt, hasX5c: facts.hasX5c, facts };
}

const h = await startBrowser({ files: { '/': PAGE }, path: '/' });
try {
  const origin = h.origin;
  const regNone = await h.createCredential({
    challenge: REGISTRATION_CHALLENGE,
    user: { id: '01', name: 'alice', displayName: 'Alice' },
    attestation: 'none',
  });
  // A different user handle: a resident credential with the same rp id and user handle would
  // replace the first one on the authenticator.
  const regDirect = await h.createCredential({
    challenge: REGISTRATION_CHALLENGE,
    user: { id: '02', name: 'bob', displayName: 'Bob' },
    attestation: 'direct',
  });
  const asn = await h.getAssertion({
    challenge: ASSERTION_CHALLENGE,
    allowCredentials: [regNone.credentialId],
    userVerification: 'required',
  });

  const none = describeRegistration('registration_none', regNone, origin);
  const direct = describeRegistration('registration_direct', regDirect, origin);
  if (none.fmt !== 'none') throw new Error(`attestation 'none' gave fmt ${none.fmt}`);

  if (asn.credentialId !== regNone.credentialId) throw new Error('assertion by another credential');
  const asnCd = checkClientData(asn.clientDataJSON, 'webauthn.get', ASSERTION_CHALLENGE, origin);
  const asnAd = parseAuthData(Buffer.from(asn.authenticatorData, 'hex'));
  const signed = Buffer.concat([
    Buffer.from(asn.authenticatorData, 'hex'),
    createHash('sha256').update(Buffer.from(asn.clientDataJSON, 'hex')).digest(),
  ]);
  const key = createPublicKey({ key: Buffer.from(regNone.publicKey, 'hex'), format: 'der', type: 'spki' });
  if (!verify('sha256', signed, key, Buffer.from(asn.signature, 'hex'))) throw new Error('assertion signature does not verify');

  const fixture = {
    rp_id: RP_ID,
    origin,
    registration_none: {
      challenge: hex(REGISTRATION_CHALLENGE),
      credential_id: regNone.credentialId,
      attestation_object: regNone.attestationObject,
      client_data_json: regNone.clientDataJSON,
    },
    registration_direct: {
      challenge: hex(REGISTRATION_CHALLENGE),
      credential_id: regDirect.credentialId,
      attestation_object: regDirect.attestationObject,
      client_data_json: regDirect.clientDataJSON,
      fmt: direct.fmt,
      has_x5c: direct.hasX5c,
    },
    assertion: {
      challenge: hex(ASSERTION_CHALLENGE),
      credential_id: asn.credentialId,
      authenticator_data: asn.authenticatorData,
      client_data_json: asn.clientDataJSON,
      signature: asn.signature,
    },
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(fixture, null, 2)}\n`);

  const stored = await h.credentials(h.authenticatorId);
  const facts = {
    browser: await h.browser.version(),
    origin,
    registration_none: none.facts,
    registration_direct: direct.facts,
    assertion: {
      flags: `0x${asnAd.flags.toString(16).padStart(2, '0')} (${flagNames(asnAd.flags)})`,
      signCount: asnAd.signCount,
      signatureDer: derLengths(Buffer.from(asn.signature, 'hex')),
      userHandle: asn.userHandle,
      clientDataJSON: Buffer.from(asn.clientDataJSON, 'hex').toString('utf8'),
      crossOriginPresent: Object.hasOwn(asnCd, 'crossOrigin'),
      crossOrigin: asnCd.crossOrigin,
    },
    authenticatorCredentials: stored.map((c) => ({
      credentialId: Buffer.from(c.credentialId, 'base64').toString('hex'),
      isResidentCredential: c.isResidentCredential,
      signCount: c.signCount,
      backupEligibility: c.backupEligibility,
      backupState: c.backupState,
    })),
  };
  console.log(JSON.stringify(facts, null, 2));
  console.log(`wrote ${OUT}`);
} finally {
  await h.close();
}
