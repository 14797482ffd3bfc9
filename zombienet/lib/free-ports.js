// Prints N distinct TCP ports that are free on 127.0.0.1 right now, one per line.
// All N listeners are held open until every port is known, so no port is printed twice.
// Usage: node lib/free-ports.js N
'use strict';
const net = require('node:net');

const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count < 1) {
  console.error('usage: node lib/free-ports.js N');
  process.exit(2);
}

function listen() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

(async () => {
  const servers = [];
  for (let i = 0; i < count; i += 1) servers.push(await listen());
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  console.log(ports.join('\n'));
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
