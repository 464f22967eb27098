// The benchmark load generator: raw OCPP-J over `ws`, in its own process, bounded in time and
// count, loopback only. It keeps per-message work minimal so the figures describe the server.
// Prints one JSON line with the scenario's results.
//
//   tsx bench/load-generator.ts <scenario> --url ws://127.0.0.1:8180/ocpp [options]
//
// Scenarios: idle, heartbeat, latency, meter-values, boot-storm (see bench/README.md).

import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: 'ws://127.0.0.1:8180/ocpp' },
    stations: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '2000' },
    'connect-rate': { type: 'string', default: '2000' },
    samples: { type: 'string', default: '4' },
    prefix: { type: 'string', default: 'BENCH-' },
    'hold-seconds': { type: 'string', default: '0' },
    // What follows a boot (configuration read, local-list check, load fallback) is not the
    // steady state a throughput or latency figure describes: it settles before measuring.
    'settle-seconds': { type: 'string', default: '5' },
    'no-boot': { type: 'boolean', default: false },
  },
});

const scenario = positionals[0];
const url = values.url!;
const stations = Number(values.stations);
const seconds = Number(values.seconds);
const prefix = values.prefix!;
if (!scenario || !['idle', 'heartbeat', 'latency', 'meter-values', 'boot-storm'].includes(scenario) || !(stations > 0)) {
  process.stderr.write('usage: load-generator <idle|heartbeat|latency|meter-values|boot-storm> --url ws://... --stations N [--seconds S] [--rate R]\n');
  process.exit(2);
}

/** One station: a socket and a map of outstanding calls. */
interface Station {
  id: string;
  socket: WebSocket;
  nextId: number;
  pending: Map<string, (frame: unknown[]) => void>;
  transactionId?: number;
  meterWh: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function connect(id: string, timeoutMs = 60_000): Promise<Station> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url}/${encodeURIComponent(id)}`, 'ocpp1.6', { perMessageDeflate: false, handshakeTimeout: timeoutMs });
    const station: Station = { id, socket, nextId: 1, pending: new Map(), meterWh: 0 };
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as unknown[];
      if (frame[0] === 2) {
        // Answer the central system's own CALLs (e.g. TriggerMessage, GetConfiguration) minimally.
        socket.send(JSON.stringify([3, frame[1], frame[2] === 'GetConfiguration' ? { configurationKey: [] } : { status: 'Accepted' }]));
        return;
      }
      const waiter = station.pending.get(String(frame[1]));
      if (waiter) {
        station.pending.delete(String(frame[1]));
        waiter(frame);
      }
    });
    socket.once('open', () => resolve(station));
    socket.once('error', reject);
    socket.on('error', () => undefined);
  });
}

function call(station: Station, action: string, payload: unknown): Promise<unknown[]> {
  const id = String(station.nextId++);
  return new Promise((resolve) => {
    station.pending.set(id, resolve);
    station.socket.send(`[2,"${id}","${action}",${JSON.stringify(payload)}]`);
  });
}

const boot = (station: Station) => call(station, 'BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'LoadGen' });

/** Connects `count` stations at `perSecond`, booting each; returns them and the time it took. */
async function connectAll(count: number, perSecond: number, withBoot: boolean): Promise<{ list: Station[]; failed: number; ms: number }> {
  const list: Station[] = [];
  let failed = 0;
  const started = performance.now();
  const batch = Math.max(1, Math.round(perSecond / 20));
  const work: Promise<void>[] = [];
  for (let i = 0; i < count; i += batch) {
    for (let j = i; j < Math.min(count, i + batch); j++) {
      work.push(
        connect(`${prefix}${j}`)
          .then(async (station) => {
            if (withBoot) {
              const answer = await boot(station);
              if ((answer[2] as { status?: string }).status !== 'Accepted') failed++;
            }
            list.push(station);
          })
          .catch(() => {
            failed++;
          }),
      );
    }
    await sleep(50);
  }
  await Promise.all(work);
  return { list, failed, ms: performance.now() - started };
}

function percentiles(samples: number[]): Record<string, number> {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? 0) };
}

/** Tells the runner when the measured phase starts and ends (it samples the server's CPU then). */
function phase(name: 'measure-start' | 'measure-end'): void {
  process.stdout.write(`${JSON.stringify({ event: name })}\n`);
}

async function closedLoop(list: Station[], ms: number, message: (station: Station) => [string, unknown]): Promise<{ answers: number; errors: number; latency: Record<string, number> }> {
  phase('measure-start');
  const end = performance.now() + ms;
  const latencies: number[] = [];
  let answers = 0;
  let errors = 0;
  await Promise.all(
    list.map(async (station) => {
      while (performance.now() < end) {
        const [action, payload] = message(station);
        const t0 = performance.now();
        const answer = await call(station, action, payload);
        latencies.push(performance.now() - t0);
        if (answer[0] === 3) answers++;
        else errors++;
      }
    }),
  );
  phase('measure-end');
  return { answers, errors, latency: percentiles(latencies) };
}

function meterValues(station: Station, samples: number): [string, unknown] {
  station.meterWh += 10;
  const sampledValue = [{ value: String(station.meterWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }];
  for (let i = 1; i < samples; i++) sampledValue.push({ value: String(16 + i), measurand: 'Current.Import', unit: 'A', phase: `L${i}` } as never);
  return ['MeterValues', { connectorId: 1, transactionId: station.transactionId, meterValue: [{ timestamp: new Date().toISOString(), sampledValue }] }];
}

async function main(): Promise<unknown> {
  const connectRate = Number(values['connect-rate']);
  switch (scenario) {
    case 'idle': {
      const { list, failed, ms } = await connectAll(stations, connectRate, !values['no-boot']);
      process.stdout.write(`${JSON.stringify({ event: 'connected', stations: list.length, failed, connectMs: Math.round(ms) })}\n`);
      await sleep(Number(values['hold-seconds']) * 1000);
      // The runner reads the server's memory now: every station still held, the boot burst over.
      process.stdout.write(`${JSON.stringify({ event: 'held' })}\n`);
      await sleep(500);
      const open = list.filter((station) => station.socket.readyState === WebSocket.OPEN).length;
      return { scenario, stations: list.length, failed, stillOpen: open, connectMs: Math.round(ms) };
    }
    case 'heartbeat': {
      const { list, failed } = await connectAll(stations, connectRate, !values['no-boot']);
      await sleep(Number(values['settle-seconds']) * 1000);
      const result = await closedLoop(list, seconds * 1000, () => ['Heartbeat', {}]);
      return { scenario, stations: list.length, failed, seconds, perSecond: Math.round(result.answers / seconds), ...result };
    }
    case 'meter-values': {
      const { list, failed } = await connectAll(stations, connectRate, true);
      for (const station of list) {
        const answer = await call(station, 'StartTransaction', { connectorId: 1, idTag: 'BENCH', meterStart: 0, timestamp: new Date().toISOString() });
        station.transactionId = (answer[2] as { transactionId: number }).transactionId;
      }
      const samples = Number(values.samples);
      await sleep(Number(values['settle-seconds']) * 1000);
      const result = await closedLoop(list, seconds * 1000, (station) => meterValues(station, samples));
      return {
        scenario,
        stations: list.length,
        failed,
        seconds,
        samplesPerMessage: samples,
        messagesPerSecond: Math.round(result.answers / seconds),
        samplesPerSecond: Math.round((result.answers * samples) / seconds),
        ...result,
      };
    }
    case 'latency': {
      const { list, failed } = await connectAll(stations, connectRate, true);
      await sleep(Number(values['settle-seconds']) * 1000);
      const rate = Number(values.rate);
      const latencies: number[] = [];
      let sent = 0;
      let answered = 0;
      let errors = 0;
      const end = performance.now() + seconds * 1000;
      // Open loop: a fixed rate spread over all stations, whatever the answers' speed.
      const tickMs = 10;
      const perTick = (rate * tickMs) / 1000;
      let due = 0;
      let cursor = 0;
      const inFlight: Promise<void>[] = [];
      phase('measure-start');
      while (performance.now() < end) {
        due += perTick;
        while (due >= 1) {
          due -= 1;
          const station = list[cursor++ % list.length]!;
          if (station.pending.size > 0) continue; // one outstanding CALL per station
          const t0 = performance.now();
          sent++;
          const message: [string, unknown] = cursor % 2 === 0 ? ['Heartbeat', {}] : ['StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' }];
          inFlight.push(
            call(station, message[0], message[1]).then((answer) => {
              latencies.push(performance.now() - t0);
              if (answer[0] === 3) answered++;
              else errors++;
            }),
          );
        }
        await sleep(tickMs);
      }
      await Promise.all(inFlight);
      phase('measure-end');
      return { scenario, stations: list.length, failed, seconds, targetRate: rate, sent, answered, errors, achievedRate: Math.round(answered / seconds), latency: percentiles(latencies) };
    }
    case 'boot-storm': {
      const started = performance.now();
      const { list, failed } = await connectAll(stations, 1_000_000, true);
      return { scenario, stations: list.length, failed, allAcceptedMs: Math.round(performance.now() - started) };
    }
  }
  return undefined;
}

const result = await main();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
