// Every capability's tables, gathered for the database client and drizzle-kit.

export * from '../capabilities/tenants/tables.js';
export * from '../capabilities/sites/tables.js';
export * from '../capabilities/stations/tables.js';
export * from '../capabilities/authorization/tables.js';
export * from '../capabilities/transactions/tables.js';
export * from '../capabilities/diagnostics/tables.js';
export * from '../capabilities/security/tables.js';
export * from '../capabilities/commands/tables.js';
export * from '../capabilities/message-log/tables.js';
export * from '../capabilities/load-management/tables.js';
export * from '../capabilities/billing/tables.js';
export * from '../capabilities/invoicing/tables.js';
export * from '../capabilities/configuration/tables.js';
export * from '../capabilities/reservations/tables.js';
export * from '../capabilities/firmware/tables.js';
