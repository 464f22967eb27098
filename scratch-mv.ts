import { openStorage } from './src/storage/database.js';
import { createLogger } from './src/logger.js';
import { bulkInsert } from './src/storage/bulk-insert.js';
import { meterValues } from './src/storage/schema.js';
import pg from 'pg';
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' }); await admin.connect();
await admin.query('drop database if exists mvtest'); await admin.query('create database mvtest'); await admin.end();
const s = await openStorage({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/mvtest', dataDir: '', log: createLogger('warn') });
for (let round = 0; round < 5; round++) {
  const rows = Array.from({ length: 800 }, (_, i) => ({ stationId: 'S' + (i % 200), connectorId: 1, transactionId: 1, reportedTransactionId: null, sampledAt: new Date(Date.now() + round * 1000), sampledAtRaw: null, receivedAt: new Date(), source: 'MeterValues', context: 'Sample.Periodic', format: 'Raw', measurand: 'M' + Math.floor(i / 200), phase: null, location: 'Outlet', value: i, unit: 'Wh', rawValue: String(i), rawUnit: 'Wh' }));
  const t = performance.now();
  await bulkInsert(s.db, meterValues, rows as any, { onConflictDoNothing: true });
  console.log('800 rows ms', (performance.now() - t).toFixed(1));
}
await s.close();
