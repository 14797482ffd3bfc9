// The browser harness (lib/browser.js) itself, on a page served from http://localhost:PORT:
// Chromium's virtual authenticators create ES256 passkeys and sign assertions that verify with
// Node's crypto; a second device holds its own credentials; a removed device or failed user
// verification makes the ceremony fail. No node needed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { startBrowser, RP_ID } from '../lib/browser.js';

const PAGE = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><p>harness</p>';
const sha256 = (b) => createHash('sha256').update(b).digest();
const challenge = (byte) => byte.toString(16).padStart(2, '0').repeat(32);

// Checks `asn` against the registration `reg`: type, challenge, origin, rpIdHash, flags, and the
// signature over authenticatorData ‖ sha256(clientDataJSON) with the registered key.
function assertValid(asn, reg, expectedChallenge, origin) {
  const cd = JSON.parse(Buffer.from(asn.clientDataJSON, 'hex').toString('utf8'));
  assert.equal(cd.type, 'webauthn.get');
  assert.equal(cd.challenge, Buffer.from(expectedChallenge, 'hex').toString('base64url'));
  assert.equal(cd.origin, origin);
  const ad = Buffer.from(asn.authenticatorData, 'hex');
  assert.deepEqual(ad.subarray(0, 32), sha256(RP_ID));
  assert.equal(ad[32] & 0x05, 0x05, 'UP and UV');
  const key = createPublicKey({ key: Buffer.from(reg.publicKey, 'hex'), format: 'der', type: 'spki' });
  const signed = Buffer.concat([ad, sha256(Buffer.from(asn.clientDataJSON, 'hex'))]);
  assert.ok(verify('sha256', signed, key, Buffer.from(asn.signature, 'hex')), 'signature verifies');
  assert.equal(asn.credentialId, reg.credentialId);
}

describe('browser harness: Chromium virtual authenticators', () => {
  let h;
  before(async () => { h = await startBrowser({ files: { '/': PAGE }, path: '/' }); });
  after(async () => { if (h) await h.close(); });

  it('creates an ES256 passkey and signs an assertion that verifies', async () => {
    assert.equal(h.origin, `http://localhost:${h.server.port}`);
    const reg = await h.createCredential({ challenge: challenge(1), user: { id: '01', name: 'alice' } });
    assert.equal(reg.publicKeyAlgorithm, -7);
    const cd = JSON.parse(Buffer.from(reg.clientDataJSON, 'hex').toString('utf8'));
    assert.equal(cd.type, 'webauthn.create');
    assert.equal(cd.origin, h.origin);
    const asn = await h.getAssertion({ challenge: challenge(2), allowCredentials: [reg.credentialId] });
    assertValid(asn, reg, challenge(2), h.origin);
    assert.equal(asn.userHandle, '01');
    // A tampered challenge does not verify with the same signature.
    const other = { ...asn, clientDataJSON: Buffer.from(Buffer.from(asn.clientDataJSON, 'hex').toString('utf8')
      .replace(Buffer.from(challenge(2), 'hex').toString('base64url'), Buffer.from(challenge(3), 'hex').toString('base64url'))).toString('hex') };
    assert.throws(() => assertValid(other, reg, challenge(3), h.origin), /signature verifies/);
  });

  it('a second device holds its own credential; a removed device cannot sign', async () => {
    const reg1 = await h.createCredential({ challenge: challenge(4), user: { id: '02' } });
    const dev2 = await h.newDevice({ path: '/' });
    try {
      const reg2 = await dev2.createCredential({ challenge: challenge(5), user: { id: '02' } });
      assert.notEqual(reg2.credentialId, reg1.credentialId);
      const ids = (await dev2.credentials(dev2.authenticatorId)).map((c) => Buffer.from(c.credentialId, 'base64').toString('hex'));
      assert.deepEqual(ids, [reg2.credentialId]);
      assertValid(await dev2.getAssertion({ challenge: challenge(6), allowCredentials: [reg2.credentialId] }), reg2, challenge(6), h.origin);
      await assert.rejects(dev2.getAssertion({ challenge: challenge(7), allowCredentials: [reg1.credentialId], timeout: 2000 }), /NotAllowedError/);
      await dev2.removeAuthenticator(dev2.authenticatorId);
      await assert.rejects(dev2.getAssertion({ challenge: challenge(8), allowCredentials: [reg2.credentialId], timeout: 2000 }), /NotAllowedError/);
    } finally {
      await dev2.close();
    }
    // The first device is untouched.
    assertValid(await h.getAssertion({ challenge: challenge(9), allowCredentials: [reg1.credentialId] }), reg1, challenge(9), h.origin);
  });

  it('without user verification a UV-required ceremony is refused; a discouraged one has UP only', async () => {
    const reg = await h.createCredential({ challenge: challenge(10), user: { id: '03' } });
    await h.setUserVerified(h.authenticatorId, false);
    try {
      await assert.rejects(h.getAssertion({ challenge: challenge(11), allowCredentials: [reg.credentialId], timeout: 2000 }), /NotAllowedError/);
      const asn = await h.getAssertion({ challenge: challenge(12), allowCredentials: [reg.credentialId], userVerification: 'discouraged' });
      assert.equal(Buffer.from(asn.authenticatorData, 'hex')[32] & 0x05, 0x01);
    } finally {
      await h.setUserVerified(h.authenticatorId, true);
    }
  });
});
