// Kills the real server process (SIGKILL) while stations run transactions, restarts it on the
// same data, and checks that every StartTransaction, MeterValues and StopTransaction that got a
// CALLRESULT before the kill is stored: an answer means committed.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { TEST_API_KEY, createScratchDatabase, engine } from '../support/test-server.js';

const STATIONS = 8;

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not become healthy');
}

function startProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

interface Acked {
  starts: { transactionId: number; stationId: string; meterStart: number; timestamp: string }[];
  meterValues: { transactionId: number; timestamp: string; value: string }[];
  stops: { transactionId: number; meterStop: number }[];
}

/** One station running sessions back to back until its socket dies; records what was answered. */
async function runStation(url: string, stationId: string, acked: Acked): Promise<void> {
  let client: OcppTestClient;
  try {
    client = await OcppTestClient.connect(`${url}/ocpp/${stationId}`);
  } catch {
    return;
  }
  let meter = 10_000;
  let clock = Date.parse('2026-01-01T00:00:00Z') + Math.floor(Math.random() * 1000) * 3_600_000;
  const tick = () => new Date((clock += 60_000)).toISOString();
  try {
    await boot(client);
    for (;;) {
      const startAt = tick();
      const start = await client.call('StartTransaction', { connectorId: 1, idTag: 'KILL-TAG', meterStart: meter, timestamp: startAt });
      acked.starts.push({ transactionId: start.transactionId, stationId, meterStart: meter, timestamp: startAt });
      for (let i = 0; i < 3; i++) {
        meter += 250;
        const at = tick();
        await client.call('MeterValues', {
          connectorId: 1,
          transactionId: start.transactionId,
          meterValue: [{ timestamp: at, sampledValue: [{ value: String(meter), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
        });
        acked.meterValues.push({ transactionId: start.transactionId, timestamp: at, value: String(meter) });
      }
      meter += 100;
      await client.call('StopTransaction', { transactionId: start.transactionId, meterStop: meter, timestamp: tick() });
      acked.stops.push({ transactionId: start.transactionId, meterStop: meter });
    }
  } catch {
    // the server was killed: whatever was not answered does not count
  }
}

describe('durability across SIGKILL', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('keeps every acknowledged StartTransaction, MeterValues and StopTransaction', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      PORT: String(port),
      TLS_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      BOOTSTRAP_API_KEY: TEST_API_KEY,
      OCPP_UNKNOWN_STATIONS: 'accept',
    };
    if (engine === 'postgres') {
      const scratch = await createScratchDatabase();
      cleanups.push(() => scratch.drop());
      env['DATABASE_URL'] = scratch.url;
    } else {
      const dataDir = mkdtempSync(join(tmpdir(), 'ocpp-kill-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      env['DATA_DIR'] = dataDir;
    }

    let child = startProcess(env);
    cleanups.push(() => {
      child.kill('SIGKILL');
    });
    await waitHealthy(url, child);
    await fetch(`${url}/api/v1/id-tags`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ idTag: 'KILL-TAG' }),
    });

    const acked: Acked = { starts: [], meterValues: [], stops: [] };
    const wsUrl = url.replace('http', 'ws');
    const running = Array.from({ length: STATIONS }, (_, i) => runStation(wsUrl, `KILL-${i}`, acked));
    // Let the stations get well into their sessions, then kill without warning.
    const deadline = Date.now() + 15_000;
    while (acked.stops.length < STATIONS * 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGKILL');
    await Promise.all(running);
    expect(acked.stops.length).toBeGreaterThan(0);

    child = startProcess(env);
    await waitHealthy(url, child);
    const api = async (path: string) =>
      (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } })).json() as Promise<any>;

    for (const start of acked.starts) {
      const session = await api(`/api/v1/sessions/${start.transactionId}`);
      expect(session).toMatchObject({ id: start.transactionId, stationId: start.stationId, meterStartWh: start.meterStart });
      expect(session.startedAt).toBe(new Date(start.timestamp).toISOString());
    }
    const byTransaction = new Map<number, any[]>();
    for (const sample of acked.meterValues) {
      if (!byTransaction.has(sample.transactionId)) byTransaction.set(sample.transactionId, await api(`/api/v1/sessions/${sample.transactionId}/meter-values`));
      const stored = byTransaction.get(sample.transactionId)!;
      expect(stored.some((row) => row.sampledAt === new Date(sample.timestamp).toISOString() && row.rawValue === sample.value)).toBe(true);
    }
    for (const stop of acked.stops) {
      const session = await api(`/api/v1/sessions/${stop.transactionId}`);
      expect(session).toMatchObject({ active: false, meterStopWh: stop.meterStop, stoppedBy: 'station' });
    }
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }, 90_000);
});
