'use strict';
/**
 * Runs s3rver in its own process. It must be started with `node --openssl-legacy-provider`:
 * s3rver's ListObjectsV2 continuation token uses a legacy cipher, and without the flag every
 * paginated listing answers 500. Started by scripts/local/emulators.ts.
 *
 * argv[2]: JSON `{ "port": number, "directory": string, "buckets": string[], "removeDirectoryOnExit": boolean }`
 * (port 0 = any free port; removeDirectoryOnExit for a temporary directory, so it goes even when
 * the parent dies without stopping us).
 * stdout: one JSON line `{ "port": number }` once it listens.
 * Exits on SIGTERM/SIGINT, and when its stdin closes, so it never outlives the parent process.
 */
const { rmSync } = require('node:fs');
const S3rver = require('s3rver');

async function main() {
  const { port, directory, buckets, removeDirectoryOnExit } = JSON.parse(process.argv[2] ?? '{}');
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const address = await server.run();
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.httpServer.closeAllConnections();
    server.close().finally(() => {
      if (removeDirectoryOnExit) rmSync(directory, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

main().catch((error) => {
  process.stderr.write(`s3rver failed to start: ${error.stack ?? error}\n`);
  process.exit(1);
});
