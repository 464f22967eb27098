// The embedded database's own thread: PGlite (PostgreSQL compiled to WebAssembly) behind a
// PostgreSQL wire-protocol socket. The server talks to it with the same driver it uses for a
// PostgreSQL server, and PGlite's work never blocks the thread that serves stations.
// Plain JavaScript so that a worker thread can load it from the sources and from dist/ alike.
// workerData: { dataDir: string | undefined (undefined: in memory), socketPath: string }

import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { parentPort, workerData } from 'node:worker_threads';

const { dataDir, socketPath } = workerData;

try {
  const db = await PGlite.create(dataDir);
  // One connection is used at a time; the second place lets the pool reconnect (after an error)
  // before the server has noticed the old connection close.
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 2 });
  await server.start();
  parentPort.on('message', async (message) => {
    if (message !== 'close') return;
    await server.stop();
    await db.close();
    parentPort.postMessage('closed');
  });
  parentPort.postMessage('ready');
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
