#!/usr/bin/env node
// Bundles src/app.js and its dependencies (polkadot.js) into dist/app.js: one ES module for the
// browser, minified, with a linked source map. `npm run build` (in web/); prints size and time.
import { build } from 'esbuild';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const started = performance.now();
const result = await build({
  absWorkingDir: here,
  entryPoints: [join(here, 'src', 'app.js')],
  outfile: join(here, 'dist', 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const ms = Math.round(performance.now() - started);
for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
  console.log(`${relative(here, join(here, file))}  ${(bytes / 1024).toFixed(1)} KiB`);
}
console.log(`built in ${ms} ms`);
