#!/usr/bin/env node
// A tiny static file server on loopback (Node's http, no dependencies): `node web/serve.js
// [--port 8080]` serves the onboarding page (web/index.html and web/dist/) at
// http://localhost:PORT/. Open the page by `localhost`, not 127.0.0.1: WebAuthn accepts
// `localhost` as an rp id on plain http, and the page's origin is what the chain's allow-list
// matches. The browser test harness (tests/js/lib/browser.js) imports startStaticServer from here.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Content types by file extension; anything else is application/octet-stream. */
export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function contentType(path) {
  return CONTENT_TYPES[extname(path).toLowerCase()] || 'application/octet-stream';
}

/**
 * Starts serving on `host` (default 127.0.0.1) and `port` (default 0: an ephemeral port).
 * - `root`: a directory whose files are served (a directory answers with its index.html);
 *   dotfiles and paths escaping `root` are refused.
 * - `expose`: if given, only these top-level names under `root` are served (e.g.
 *   ['index.html', 'dist']); `/` still answers with root's index.html if it is exposed.
 * - `files`: in-memory files by URL path (`{ '/': '<!doctype html>…' }`), looked up first.
 * Resolves `{ server, port, origin, url(path), close() }` once listening; `origin` is
 * `http://localhost:PORT`. close() drops open connections and resolves when the server is closed.
 */
export function startStaticServer({ root, expose, files = {}, host = '127.0.0.1', port = 0 } = {}) {
  const rootDir = root ? resolve(root) : undefined;
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function handle(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      res.writeHead(400);
      res.end();
      return;
    }
    const send = (body, type) => {
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (Object.hasOwn(files, path)) {
      const body = Buffer.from(files[path]);
      send(body, contentType(path === '/' || path.endsWith('/') ? 'index.html' : path));
      return;
    }
    const file = rootDir && (await resolveFile(path));
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : 'not found\n');
      return;
    }
    send(await readFile(file), contentType(file));
  }

  // The file under rootDir that `path` names, or undefined.
  async function resolveFile(path) {
    const parts = path.split('/').filter((p) => p !== '');
    if (path.includes('\0') || parts.some((p) => p.startsWith('.'))) return undefined;
    if (expose && !expose.includes(parts[0] ?? 'index.html')) return undefined;
    let file = join(rootDir, ...parts);
    if (file !== rootDir && !file.startsWith(rootDir + sep)) return undefined;
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      return info.isFile() ? file : undefined;
    } catch {
      return undefined;
    }
  }

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = server.address().port;
      const origin = `http://localhost:${actual}`;
      resolvePromise({
        server,
        port: actual,
        origin,
        url: (p = '/') => origin + (p.startsWith('/') ? p : `/${p}`),
        close: () => new Promise((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}

// `node web/serve.js [--port N]`: serve web/index.html and web/dist/ until interrupted.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  let port = 8080;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--port' && i + 1 < args.length) port = Number(args[++i]);
    else if (args[i].startsWith('--port=')) port = Number(args[i].slice('--port='.length));
    else {
      console.error('usage: node web/serve.js [--port 8080]');
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid port: ${port}`);
    process.exit(2);
  }
  const webDir = dirname(fileURLToPath(import.meta.url));
  const { origin } = await startStaticServer({ root: webDir, expose: ['index.html', 'dist'], port });
  console.log(`serving ${webDir} (index.html, dist/) at ${origin}/`);
  console.log(`open ${origin}/?ws=ws://127.0.0.1:9944`);
}
