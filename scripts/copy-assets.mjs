// Copies what the compiled server reads at run time (SQL migrations, the embedded database's
// worker script) next to the compiled code.
import { cpSync, rmSync } from 'node:fs';

rmSync('dist/storage/migrations', { recursive: true, force: true });
cpSync('src/storage/migrations', 'dist/storage/migrations', { recursive: true });
cpSync('src/storage/embedded-worker.mjs', 'dist/storage/embedded-worker.mjs');
