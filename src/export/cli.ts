// npm run export -- --out FILE [--with-message-log]   (FILE "-" writes to standard output)
// npm run import -- FILE                               (FILE "-" reads standard input)
// Works directly on the database the server would use (DATABASE_URL, else DATA_DIR). The
// embedded database is locked while the server runs: stop it first, or use the HTTP API.
// Exit codes: 0 done, 1 failed, 2 bad usage, 3 the archive is invalid, 4 the instance is not empty.

import { createReadStream, createWriteStream, existsSync, rmSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { pino } from 'pino';
import { openStorage } from '../storage/database.js';
import { InvalidArchiveError } from './archive-format.js';
import { writeArchive } from './export-archive.js';
import { InstanceNotEmptyError, importArchive } from './import-archive.js';

const USAGE = `usage:
  npm run export -- --out FILE [--with-message-log]
  npm run import -- FILE
`;

class UsageError extends Error {}

type Plan = { command: 'export'; out: string; includeMessageLog: boolean } | { command: 'import'; file: string };

export function parseArgs(args: string[]): Plan {
  const [command, ...rest] = args;
  if (command === 'export') {
    let out: string | undefined;
    let includeMessageLog = false;
    for (let i = 0; i < rest.length; i += 1) {
      if (rest[i] === '--out') out = rest[++i];
      else if (rest[i] === '--with-message-log') includeMessageLog = true;
      else throw new UsageError(`unknown option ${rest[i]}`);
    }
    if (!out) throw new UsageError('export needs --out FILE');
    return { command, out, includeMessageLog };
  }
  if (command === 'import') {
    if (rest.length !== 1 || rest[0]!.startsWith('--')) throw new UsageError('import needs exactly one FILE');
    if (rest[0] !== '-' && !existsSync(rest[0]!)) throw new UsageError(`no file ${rest[0]}`);
    return { command, file: rest[0]! };
  }
  throw new UsageError(`unknown command ${command ?? '(none)'}`);
}

async function main(): Promise<number> {
  let plan: Plan;
  try {
    plan = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Configuration error: ${error.message}\n`);
    return 1;
  }
  // Logs go to standard error: standard output may be the archive.
  const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, base: undefined }, pino.destination(2));
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  try {
    if (plan.command === 'export') {
      const out: Writable = plan.out === '-' ? process.stdout : createWriteStream(plan.out);
      try {
        const summary = await writeArchive(storage.db, out, { includeMessageLog: plan.includeMessageLog, clock: systemClock });
        const rows = Object.values(summary.tables).reduce((sum, n) => sum + n, 0);
        process.stderr.write(`exported ${rows} rows of ${Object.keys(summary.tables).length} tables${plan.out === '-' ? '' : ` to ${plan.out}`}\n`);
      } catch (error) {
        if (plan.out !== '-') rmSync(plan.out, { force: true }); // no half-written archive left behind
        throw error;
      }
      return 0;
    }
    const input: Readable = plan.file === '-' ? process.stdin : createReadStream(plan.file);
    try {
      const summary = await importArchive(storage.db, input);
      const rows = Object.values(summary.tables).reduce((sum, n) => sum + n, 0);
      process.stderr.write(`imported ${rows} rows of ${Object.keys(summary.tables).length} tables (exported ${summary.exportedAt})\n`);
      return 0;
    } catch (error) {
      if (error instanceof InvalidArchiveError) {
        process.stderr.write(`Nothing was imported: ${error.message}\n`);
        return 3;
      }
      if (error instanceof InstanceNotEmptyError) {
        process.stderr.write(`${error.message}\n`);
        return 4;
      }
      throw error;
    } finally {
      input.destroy();
    }
  } finally {
    await storage.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
