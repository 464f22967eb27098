// Re-allocation time for one site of many stations: the pure rule alone (allocate.ts), and the
// whole decision (site-plan.ts: the site, its stations, connectors, circuits, open sessions,
// priorities and settings read from the database, then the rule and the hysteresis). Sending
// the profiles is left out: it is bound by the stations, not by us. Prints one JSON result.
//
//   npx tsx bench/load-allocation.ts [--stations 1000] [--circuits 10] [--runs 20] [--db embedded|postgres]

import { allocate, type AllocationInput } from '../src/capabilities/load-management/allocate.js';
import { planSite, type SiteMemory } from '../src/capabilities/load-management/site-plan.js';
import { saveCircuit } from '../src/capabilities/load-management/load-store.js';
import { createSite } from '../src/capabilities/sites/site-store.js';
import { createStation } from '../src/capabilities/stations/station-store.js';
import { insertTransaction } from '../src/capabilities/transactions/transaction-store.js';
import { createScratchDatabase, startTestServer } from '../test/support/test-server.js';
import { PLATFORM_TENANT_ID } from '../src/capabilities/tenants/tables.js';

const option = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1]! : fallback;
};
const stationCount = Number(option('stations', '1000'));
const circuitCount = Number(option('circuits', '10'));
const runs = Number(option('runs', '20'));
const db = option('db', 'embedded');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const time = async (run: () => unknown): Promise<number[]> => {
  const took: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    took.push(performance.now() - started);
  }
  return took;
};

// The pure rule: every station charging, a tenth of them capped for under-use, priorities mixed.
const input: AllocationInput = {
  siteLimitA: stationCount * 8,
  buildingA: 50,
  minA: 6,
  circuits: Array.from({ length: circuitCount }, (_, index) => ({ id: `c${index}`, limitA: (stationCount / circuitCount) * 9 })),
  fixed: [{ circuitId: null, amps: 32 }],
  sessions: Array.from({ length: stationCount }, (_, index) => ({
    id: index + 1,
    circuitId: `c${index % circuitCount}`,
    maxA: index % 3 === 0 ? 16 : 32,
    capA: index % 10 === 0 ? 10 : undefined,
    priority: index % 50 === 0 ? 1 : 0,
    arrivedAt: index,
  })),
};
const rule = await time(() => allocate(input));

// The whole decision, against a real database.
const scratch = db === 'postgres' ? await createScratchDatabase() : undefined;
const server = await startTestServer({}, scratch ? { databaseUrl: scratch.url } : {});
const services = server.server.services;
await createSite(services.db, { id: 'bench', tenantId: PLATFORM_TENANT_ID, name: 'Bench', timeZone: 'UTC', gridLimitAmps: stationCount * 8 });
const ids = Array.from({ length: stationCount }, (_, index) => `BENCH-${String(index).padStart(5, '0')}`);
for (const id of ids) await createStation(services.db, { id, tenantId: PLATFORM_TENANT_ID, registration: 'accepted', siteId: 'bench' });
for (let c = 0; c < circuitCount; c++) {
  await saveCircuit(services.db, { id: `c${c}`, siteId: 'bench', name: `Feeder ${c}`, limitAmps: (stationCount / circuitCount) * 9 }, ids.filter((_, index) => index % circuitCount === c));
}
const startedAt = new Date();
for (const id of ids) {
  await insertTransaction(services.db, { stationId: id, connectorId: 1, idTag: 'BENCH', idTagStatus: 'Accepted', startedAt, startReceivedAt: startedAt, meterStartWh: 0 });
}
const memory: SiteMemory = { sent: new Map(), caps: new Map() };
const lookups = { isOnline: () => true, settingsOf: async () => undefined };
let sessions = 0;
const decision = await time(async () => {
  sessions = (await planSite(services, 'bench', memory, lookups))?.sessions.length ?? 0;
});
await server.close();
await scratch?.drop();

console.log(
  JSON.stringify({
    scenario: 'load-allocation',
    db,
    stations: stationCount,
    circuits: circuitCount,
    sessions,
    runs,
    ruleMs: { median: Number(median(rule).toFixed(2)), max: Number(Math.max(...rule).toFixed(2)) },
    decisionMs: { median: Number(median(decision).toFixed(1)), max: Number(Math.max(...decision).toFixed(1)) },
  }),
);
