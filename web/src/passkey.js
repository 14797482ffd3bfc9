// The WebAuthn ceremonies of the page, for rp id `localhost` and ES256 (the only algorithm the
// chain verifies). Byte fields come back as 0x hex, ready for polkadot.js and localStorage.
import { u8aToHex } from '@polkadot/util';

/** The relying party: the dev runtime accepts `http://localhost` on any port, rp id `localhost`. */
export const RP = { id: 'localhost', name: 'WaaS Chain (dev)' };
/** How long the browser waits for the user at each ceremony. */
export const CEREMONY_TIMEOUT_MS = 60_000;

const hex = (buffer) => u8aToHex(new Uint8Array(buffer));
const bytes = (h) => Uint8Array.from(h.slice(2).match(/../g) ?? [], (b) => parseInt(b, 16));

/** A WebAuthn failure, with the DOMException's name (e.g. NotAllowedError) kept. */
export class PasskeyError extends Error {
  constructor(step, cause) {
    super(`${step}: ${cause?.name ?? 'Error'}: ${cause?.message ?? cause}`);
    this.name = 'PasskeyError';
    this.error = cause?.name ?? 'Error';
  }
}

/**
 * An assertion by `credentialId` (0x hex) over `challenge` (the digest bytes), with user
 * verification: `{ authenticatorData, clientDataJson, signature }`.
 */
export async function signWithPasskey(credentialId, challenge) {
  let credential;
  try {
    credential = await navigator.credentials.get({
      publicKey: {
        challenge,
        rpId: RP.id,
        allowCredentials: [{ type: 'public-key', id: bytes(credentialId) }],
        userVerification: 'required',
        timeout: CEREMONY_TIMEOUT_MS,
      },
    });
  } catch (e) {
    throw new PasskeyError('passkey signature', e);
  }
  const r = credential.response;
  return { authenticatorData: hex(r.authenticatorData), clientDataJson: hex(r.clientDataJSON), signature: hex(r.signature) };
}

/**
 * Creates a passkey bound to a possession statement: `navigator.credentials.create` with the
 * statement's digest as challenge (a resident, user-verified ES256 credential, attestation
 * `none`), then — since attestation `none` signs nothing — an assertion by the new credential
 * over the same digest. Resolves `{ credentialId, registration }`, where `registration` is the
 * chain's `PasskeyRegistration` (`{ attestationObject, clientDataJson, possession }`).
 */
export async function createBoundPasskey(digest, userName) {
  let credential;
  try {
    credential = await navigator.credentials.create({
      publicKey: {
        challenge: digest,
        rp: RP,
        user: { id: crypto.getRandomValues(new Uint8Array(16)), name: userName, displayName: userName },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        attestation: 'none',
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        timeout: CEREMONY_TIMEOUT_MS,
      },
    });
  } catch (e) {
    throw new PasskeyError('passkey creation', e);
  }
  const credentialId = hex(credential.rawId);
  const possession = await signWithPasskey(credentialId, digest);
  return {
    credentialId,
    registration: {
      attestationObject: hex(credential.response.attestationObject),
      clientDataJson: hex(credential.response.clientDataJSON),
      possession,
    },
  };
}
