// Typed errors from what the chain answers, named and explained by the runtime's own metadata.
// Shared by the page and the Node examples and tests (tests/js/lib/waas.js re-exports it), so
// both read a refusal the same way. Needs only a connected polkadot.js `api`: no imports.

/** A refusal or failure with the runtime's name for it (`section.Name`) and its docs. */
export class ChainError extends Error {
  constructor(name, docs, detail) {
    super(docs ? `${name}: ${docs}` : name);
    this.name = 'ChainError';
    /** `section.Name`, e.g. `metaAccounts.StaleNonce`, or the node's text if it names none. */
    this.error = name;
    /** The error's documentation from the metadata (may be empty). */
    this.docs = docs;
    /** What the node said, verbatim (e.g. `1010: Invalid Transaction: Custom error: 3`). */
    this.detail = detail;
  }
}

// The pallet refuses with the standard codes for these errors (pallets/meta-accounts/src/
// envelope.rs `refuse`), every other error with `Custom(index of the error)`.
const STANDARD_REFUSALS = [
  [/Transaction is outdated/, 'StaleNonce'],
  [/Transaction will be valid in the future/, 'FutureNonce'],
  [/Inability to pay some fees/, 'CannotPayFee'],
];

const docsOf = (meta) => meta.docs.map((d) => d.toString().trim()).join(' ');

/**
 * The error `index` of pallet `section` (camelCase, e.g. 'metaAccounts') as
 * `{ name: 'section.Name', docs }`, or undefined if the metadata has none.
 */
export function palletError(api, section, index) {
  const errors = api.errors[section];
  if (!errors) return undefined;
  for (const e of Object.values(errors)) {
    if (e.meta.index.toNumber() === index) return { name: `${section}.${e.meta.name.toString()}`, docs: docsOf(e.meta) };
  }
  return undefined;
}

/**
 * The ChainError for `error`, a rejection of submitting an unsigned transaction of pallet
 * `section`: the pool's `1010: Invalid Transaction: Custom error: N` becomes the pallet's error
 * N; the standard refusals the pallet uses become theirs. Anything else keeps the node's text.
 */
export function poolRefusal(api, error, section = 'metaAccounts') {
  const detail = String(error?.message ?? error);
  const custom = /Invalid Transaction: Custom error: (\d+)/.exec(detail);
  if (custom) {
    const meta = palletError(api, section, Number(custom[1]));
    if (meta) return new ChainError(meta.name, meta.docs, detail);
  }
  for (const [pattern, name] of STANDARD_REFUSALS) {
    if (!pattern.test(detail)) continue;
    const e = api.errors[section]?.[name];
    if (e) return new ChainError(`${section}.${name}`, docsOf(e.meta), detail);
  }
  return new ChainError(detail, '', detail);
}

/** The ChainError for a DispatchError (a failed extrinsic, or an envelope's call result). */
export function dispatchFailure(api, dispatchError) {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule);
    return new ChainError(`${meta.section}.${meta.name}`, meta.docs.join(' ').trim(), dispatchError.toString());
  }
  const text = dispatchError.toString();
  return new ChainError(text, '', text);
}
