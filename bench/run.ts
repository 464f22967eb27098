// Runs one benchmark scenario end to end: starts the server (the built dist/, as `npm start`
// runs it) on the chosen database, runs the load generator in its own process, samples the
// server's memory, stops everything and prints one JSON result.
//
//   npm run bench -- <idle|heartbeat|latency|meter-values|boot-storm|bare-heartbeat> [--db embedded|postgres] [generator options]

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const args = process.argv.slice(2);
const scenario = args[0];
const dbIndex = args.indexOf('--db');
const db = dbIndex >= 0 ? args[dbIndex + 1] : 'postgres';
const generatorArgs = args.slice(1).filter((_arg, i, all) => !(all[i] === '--db' || all[i - 1] === '--db'));
const PORT = 18_600 + Math.floor(Math.random() * 300);
const ADMIN_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU time (user + system) the process has used, in milliseconds. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

async function waitHealthy(child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error('server exited');
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok) return;
    } catch {
      // not yet
    }
    await sleep(100);
  }
  throw new Error('server not healthy');
}

function runGenerator(extra: string[], onEvent: (event: string) => void): Promise<{ result: any; lines: any[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load-generator.ts', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const match of chunk.toString().matchAll(/"event":"([a-z-]+)"/g)) onEvent(match[1]!);
    });
    child.on('exit', (code) => {
      const lines = out.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
      if (code !== 0) reject(new Error(`generator exited ${code}`));
      else resolve({ result: lines.at(-1), lines });
    });
  });
}

async function main(): Promise<void> {
  if (!scenario) throw new Error('usage: npm run bench -- <scenario> [--db embedded|postgres] [options]');
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    let server: ChildProcess;
    const bare = scenario.startsWith('bare-');
    if (bare) {
      server = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-ws-server.ts'], { env: { ...process.env, PORT: String(PORT) }, stdio: 'ignore' });
      await sleep(1500);
    } else {
      const env: Record<string, string> = {
        ...(process.env as Record<string, string>),
        PORT: String(PORT),
        TLS_PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        OCPP_UNKNOWN_STATIONS: 'accept',
        BOOTSTRAP_API_KEY: 'bench-api-key-0123456789',
      };
      if (db === 'postgres') {
        const name = `ocpp_bench_${Date.now()}`;
        const admin = new pg.Client({ connectionString: ADMIN_URL });
        await admin.connect();
        await admin.query(`create database ${name}`);
        await admin.end();
        const url = new URL(ADMIN_URL);
        url.pathname = `/${name}`;
        env['DATABASE_URL'] = url.toString();
        cleanups.push(async () => {
          const client = new pg.Client({ connectionString: ADMIN_URL });
          await client.connect();
          await client.query(`drop database if exists ${name} with (force)`);
          await client.end();
        });
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'ocpp-bench-'));
        env['DATA_DIR'] = dir;
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      }
      server = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      await waitHealthy(server);
      // Only the session scenario needs a tag; with none, the stations' local lists stay empty and
      // the other scenarios measure their own messages, not list synchronisation.
      if (scenario === 'meter-values') await fetch(`http://127.0.0.1:${PORT}/api/v1/id-tags`, {
        method: 'POST',
        headers: { authorization: 'Bearer bench-api-key-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify({ idTag: 'BENCH' }),
      });
    }
    cleanups.unshift(() => {
      server.kill('SIGKILL');
    });
    await sleep(500);
    const rssBefore = rssKiB(server.pid!);
    const cpuBefore = cpuMs(server.pid!);
    const generatorScenario = bare ? scenario.slice('bare-'.length) : scenario;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      try {
        rssPeak = Math.max(rssPeak, rssKiB(server.pid!));
      } catch {
        // exited
      }
    }, 200);
    // CPU is counted over the measured phase when the scenario marks one (not the connect phase).
    let measureFrom = cpuBefore;
    let measureTo: number | undefined;
    let rssHeld: number | undefined;
    const { result } = await runGenerator([generatorScenario, '--url', `ws://127.0.0.1:${PORT}/ocpp`, ...generatorArgs], (event) => {
      if (event === 'measure-start') measureFrom = cpuMs(server.pid!);
      if (event === 'measure-end') measureTo = cpuMs(server.pid!);
      if (event === 'held') rssHeld = rssKiB(server.pid!);
    });
    clearInterval(sampler);
    const serverCpuMs = (measureTo ?? cpuMs(server.pid!)) - measureFrom;
    const extra: Record<string, unknown> = { server: bare ? 'bare-ws' : `central-system/${db}`, rssBeforeKiB: rssBefore, rssPeakKiB: rssPeak, serverCpuMs };
    // CPU per answered message does not depend on what else the machine runs: the fairest ratio.
    const answered = result.answers ?? result.answered;
    if (answered > 0) extra['serverCpuMicrosPerMessage'] = Math.round((serverCpuMs * 1000) / answered);
    if (generatorScenario === 'idle' && result.stations > 0) {
      // Held: the memory of stations connected, booted and idle; peak: including the boot burst.
      const perStation = (rss: number) => Math.round(((rss - rssBefore) / result.stations) * 100) / 100;
      if (rssHeld !== undefined) extra['rssHeldKiB'] = rssHeld;
      extra['rssPerStationKiB'] = perStation(rssHeld ?? rssPeak);
      extra['rssPeakPerStationKiB'] = perStation(rssPeak);
    }
    process.stdout.write(`${JSON.stringify({ ...result, ...extra })}\n`);
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

await main();
