// Tables owned by the diagnostics capability: the latest firmware, diagnostics and log upload
// state of each station (their history is in station_events).

import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';
import { stations } from '../stations/tables.js';

export const maintenanceStatus = pgTable('maintenance_status', {
  stationId: text()
    .primaryKey()
    .references(() => stations.id, { onDelete: 'cascade' }),
  diagnosticsStatus: text(),
  diagnosticsStatusAt: instant(),
  firmwareStatus: text(),
  firmwareStatusAt: instant(),
  logStatus: text(),
  logStatusAt: instant(),
  updatedAt: createdAt(),
});
