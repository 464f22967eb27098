// Benchmark scenario "routed-command": what routing a command to another node costs. Two nodes
// of one cluster (the built dist/, as `npm start` runs it) on a scratch PostgreSQL database and
// the local Redis; stations connect to node A; the same command API is driven in a closed loop
// (one command outstanding per station) first through node A (the station's socket is local),
// then through node B (forwarded over Redis to A and back). Prints one JSON result line.
//
//   npm run build && tsx bench/routed-command.ts [--stations 50] [--seconds 10] [--redis redis://127.0.0.1:6379]

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    stations: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    redis: { type: 'string', default: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379' },
  },
});
const STATIONS = Number(values.stations);
const SECONDS = Number(values.seconds);
const ADMIN_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const API_KEY = 'bench-api-key-0123456789';
const PREFIX = `bench-${Date.now()}:`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startNode(nodeId: string, port: number, databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      TLS_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      OCPP_UNKNOWN_STATIONS: 'accept',
      BOOTSTRAP_API_KEY: API_KEY,
      DATABASE_URL: databaseUrl,
      REDIS_URL: values.redis!,
      REDIS_KEY_PREFIX: PREFIX,
      NODE_ID: nodeId,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`node ${nodeId} exited`);
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.ok, () => false)) return child;
    await sleep(100);
  }
  throw new Error(`node ${nodeId} not healthy`);
}

/** A station that answers every CALL of the central system at once. */
function connectStation(url: string, id: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url}/ocpp/${id}`, 'ocpp1.6', { perMessageDeflate: false });
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as unknown[];
      if (frame[0] === 2) socket.send(JSON.stringify([3, frame[1], { status: 'Accepted' }]));
      if (frame[0] === 3 && frame[1] === 'boot') resolve(socket);
    });
    socket.once('open', () => socket.send(JSON.stringify([2, 'boot', 'BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Routed' }])));
    socket.once('error', reject);
  });
}

/** CPU time (user + system) the process has used, in milliseconds (USER_HZ is 100 on Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function percentiles(samples: number[]): Record<string, number> {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? 0) };
}

/** Every station gets one command at a time through `apiUrl` for `ms`; latency per command. */
async function closedLoop(apiUrl: string, ms: number): Promise<{ roundTrips: number; errors: number; perSecond: number; latencyMs: Record<string, number> }> {
  const end = performance.now() + ms;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: STATIONS }, async (_, i) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const response = await fetch(`${apiUrl}/api/v1/stations/ROUTED-${i}/commands/TriggerMessage`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ requestedMessage: 'Heartbeat' }),
        });
        await response.arrayBuffer();
        if (response.status === 200) latencies.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  return { roundTrips: latencies.length, errors, perSecond: Math.round(latencies.length / (ms / 1000)), latencyMs: percentiles(latencies) };
}

async function main(): Promise<void> {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  const name = `ocpp_bench_${Date.now()}`;
  try {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    });
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const portA = 18_900 + Math.floor(Math.random() * 50);
    const portB = portA + 50;
    const a = await startNode('bench-A', portA, url.toString());
    cleanups.unshift(() => a.kill('SIGKILL'));
    const b = await startNode('bench-B', portB, url.toString());
    cleanups.unshift(() => b.kill('SIGKILL'));
    const sockets = await Promise.all(Array.from({ length: STATIONS }, (_, i) => connectStation(`ws://127.0.0.1:${portA}`, `ROUTED-${i}`)));
    cleanups.unshift(() => sockets.forEach((socket) => socket.terminate()));
    await sleep(1000); // the boot's follow-ups (local-list sync) settle first

    // Both nodes' CPU per command: the figure that does not depend on what else the machine runs.
    const measure = async (port: number) => {
      await closedLoop(`http://127.0.0.1:${port}`, 1000); // warm-up
      const before = cpuMs(a.pid!) + cpuMs(b.pid!);
      const result = await closedLoop(`http://127.0.0.1:${port}`, SECONDS * 1000);
      const nodesCpuMs = cpuMs(a.pid!) + cpuMs(b.pid!) - before;
      return { ...result, nodesCpuMicrosPerCommand: result.roundTrips > 0 ? Math.round((nodesCpuMs * 1000) / result.roundTrips) : null };
    };
    const local = await measure(portA);
    const routed = await measure(portB);
    process.stdout.write(
      `${JSON.stringify({
        scenario: 'routed-command',
        stations: STATIONS,
        seconds: SECONDS,
        local,
        routed,
        addedLatencyP50Ms: Math.round((routed.latencyMs['p50']! - local.latencyMs['p50']!) * 100) / 100,
        routedThroughputShare: local.perSecond > 0 ? Math.round((routed.perSecond / local.perSecond) * 100) / 100 : null,
      })}\n`,
    );
  } finally {
    for (const cleanup of cleanups) await cleanup();
    const redis = new Redis(values.redis!);
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

await main();
