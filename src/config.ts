// Reads the environment once at start-up. Every variable is optional; a bad value stops the
// process with one line naming the variable, so an installer sees at once what to fix.

import { IANAZone } from 'luxon';
import { randomBytes } from 'node:crypto';

export type RegistrationPolicy = 'accept' | 'pending' | 'reject';
/** What an idTag we do not know gets: refused (Invalid), or accepted and recorded (an open car park). */
export type UnknownIdTagPolicy = 'reject' | 'accept';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Several nodes on one PostgreSQL database, coordinated through Redis (set by REDIS_URL). */
export interface ClusterConfig {
  redisUrl: string;
  /** This node's name in presence keys and routing channels; unique per running node. */
  nodeId: string;
  /** Prefix of every Redis key and channel, so several systems (or tests) can share one Redis. */
  keyPrefix: string;
  /** A node that stops refreshing its heartbeat this long is dead and its stations are offline (seconds). */
  nodeTtlSec: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** The base URL stations reach us at over HTTP (firmware downloads, diagnostics uploads); unset: http://HOST:PORT. */
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  bootstrapApiKey: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  unknownStations: RegistrationPolicy;
  unknownIdTags: UnknownIdTagPolicy;
  tlsPort: number;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  security: {
    /** Names (DNS or IP) the built-in CA puts in the TLS port's certificate, besides localhost and this host. */
    serverNames: string[];
    /** PEM file of further CAs (e.g. manufacturers') whose station certificates are trusted for profile 3. */
    trustedStationCaFile: string | undefined;
    /** Wrong station passwords per station id within 5 minutes before it is locked for a minute (0 = no limit); an address may fail 10 times as often. */
    stationAuthMaxFailures: number;
    /** Days a station certificate from our CA is valid. */
    stationCertificateDays: number;
    /** A station certificate this many days from lapsing is renewed (ExtendedTriggerMessage SignChargePointCertificate). */
    certificateRenewalDays: number;
  };
  logLevel: LogLevel;
  /** Undefined on a single node (no REDIS_URL): no Redis code runs at all. */
  cluster: ClusterConfig | undefined;
  ocpp: {
    /** Heartbeat interval handed to accepted stations in BootNotification.conf (seconds). */
    heartbeatIntervalSec: number;
    /** Retry interval handed to pending and rejected stations (seconds). */
    bootRetryIntervalSec: number;
    /** WebSocket ping period; a link that misses one pong is closed (seconds, 0 = off). */
    pingIntervalSec: number;
    /** How long a CALL waits for its CALLRESULT (seconds). */
    callTimeoutSec: number;
    /** Largest frame accepted from a station (bytes); larger ones close the socket with 1009. */
    maxFrameBytes: number;
    /** A session whose connector has been Available this long without a StopTransaction is finalised (minutes). */
    abandonedSessionMinutes: number;
    /** Days the raw message log keeps frames; 0 keeps no log at all. */
    messageLogRetentionDays: number;
  };
  load: {
    /** Events of a site within this window become one re-allocation (ms). */
    debounceMs: number;
    /** A limit is re-sent only when it changes by at least this (amps); decreases that the site needs always go. */
    hysteresisAmps: number;
    /** A connector's max current when none is configured for its station (amps). */
    defaultConnectorMaxAmps: number;
    /** TxProfiles expire after this and are renewed while the station is reachable; 0: no expiry (seconds). */
    profileLeaseSec: number;
    /** A building-load report older than this is stale and the site's worst case counts (seconds). */
    buildingReportMaxAgeSec: number;
    /** Days allocation decisions are kept. */
    historyRetentionDays: number;
  };
  invoicing: {
    /** The seller printed on every receipt, invoice and credit note. */
    sellerName: string;
    sellerAddress: string | undefined;
    sellerVatId: string | undefined;
    /** IANA zone of invoice dates, billing months and number years; the reports' default zone. */
    timeZone: string;
  };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase() as T;
  if (!allowed.includes(value)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return value;
}

function timeZone(env: Env, name: string, fallback: string): string {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!IANAZone.isValidZone(raw)) throw new ConfigError(`${name} must be an IANA time zone (e.g. Europe/Berlin), got "${raw}"`);
  return raw;
}

function databaseUrl(env: Env): string | undefined {
  const raw = text(env, 'DATABASE_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`DATABASE_URL is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  return raw;
}

function publicUrl(env: Env): string | undefined {
  const raw = text(env, 'PUBLIC_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_URL is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`PUBLIC_URL must start with http:// or https://, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

function cluster(env: Env, databaseUrl: string | undefined): ClusterConfig | undefined {
  const redisUrl = text(env, 'REDIS_URL');
  if (redisUrl === undefined) return undefined;
  if (!/^rediss?:\/\/[^\s]+$/.test(redisUrl)) throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  // The embedded database belongs to one process; nodes share a PostgreSQL server.
  if (databaseUrl === undefined) throw new ConfigError('REDIS_URL (several nodes) needs DATABASE_URL: the nodes share one PostgreSQL database');
  const nodeId = text(env, 'NODE_ID') ?? `node-${randomBytes(4).toString('hex')}`;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(nodeId)) throw new ConfigError(`NODE_ID must be 1 to 64 letters, digits, ".", "_" or "-", got "${nodeId}"`);
  const keyPrefix = text(env, 'REDIS_KEY_PREFIX') ?? 'ocpp:';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(keyPrefix)) throw new ConfigError(`REDIS_KEY_PREFIX must be 1 to 64 letters, digits or ".:_-", got "${keyPrefix}"`);
  return { redisUrl, nodeId, keyPrefix, nodeTtlSec: integer(env, 'CLUSTER_NODE_TTL', 15, 2, 600) };
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8180, 0, 65535);
  const tlsPort = integer(env, 'TLS_PORT', 8443, 0, 65535);
  if (tlsPort === port && port !== 0) throw new ConfigError(`TLS_PORT must differ from PORT (both are ${port})`);
  const tlsCert = text(env, 'TLS_CERT');
  const tlsKey = text(env, 'TLS_KEY');
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError(`TLS_CERT and TLS_KEY must be set together (only ${tlsCert ? 'TLS_CERT' : 'TLS_KEY'} is set)`);
  }
  const adminEmail = text(env, 'ADMIN_EMAIL');
  if (adminEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    throw new ConfigError(`ADMIN_EMAIL is not an e-mail address: "${adminEmail}"`);
  }
  const adminPassword = text(env, 'ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 8) throw new ConfigError('ADMIN_PASSWORD must be at least 8 characters long');
  const bootstrapApiKey = text(env, 'BOOTSTRAP_API_KEY');
  if (bootstrapApiKey !== undefined && bootstrapApiKey.length < 16) {
    throw new ConfigError('BOOTSTRAP_API_KEY must be at least 16 characters long');
  }
  const dbUrl = databaseUrl(env);
  return {
    port,
    host: text(env, 'HOST') ?? '0.0.0.0',
    dataDir: text(env, 'DATA_DIR') ?? './data',
    publicUrl: publicUrl(env),
    databaseUrl: dbUrl,
    bootstrapApiKey,
    adminEmail,
    adminPassword,
    unknownStations: oneOf(env, 'OCPP_UNKNOWN_STATIONS', ['accept', 'pending', 'reject'] as const, 'pending'),
    unknownIdTags: oneOf(env, 'OCPP_UNKNOWN_ID_TAGS', ['reject', 'accept'] as const, 'reject'),
    tlsPort,
    tlsCert,
    tlsKey,
    security: {
      serverNames: (text(env, 'TLS_SERVER_NAMES') ?? '').split(',').map((name) => name.trim()).filter((name) => name.length > 0),
      trustedStationCaFile: text(env, 'TLS_TRUSTED_STATION_CA'),
      stationAuthMaxFailures: integer(env, 'STATION_AUTH_MAX_FAILURES', 10, 0, 100_000),
      stationCertificateDays: integer(env, 'STATION_CERTIFICATE_DAYS', 365, 1, 3650),
      certificateRenewalDays: integer(env, 'CERTIFICATE_RENEWAL_DAYS', 30, 1, 365),
    },
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    cluster: cluster(env, dbUrl),
    ocpp: {
      heartbeatIntervalSec: integer(env, 'OCPP_HEARTBEAT_INTERVAL', 300, 1, 86400),
      bootRetryIntervalSec: integer(env, 'OCPP_BOOT_RETRY_INTERVAL', 60, 1, 86400),
      pingIntervalSec: integer(env, 'OCPP_PING_INTERVAL', 30, 0, 3600),
      callTimeoutSec: integer(env, 'OCPP_CALL_TIMEOUT', 30, 1, 600),
      maxFrameBytes: integer(env, 'OCPP_MAX_FRAME_BYTES', 262144, 1024, 16 * 1024 * 1024),
      abandonedSessionMinutes: integer(env, 'OCPP_ABANDONED_SESSION_MINUTES', 15, 1, 7 * 24 * 60),
      messageLogRetentionDays: integer(env, 'MESSAGE_LOG_RETENTION_DAYS', 30, 0, 3650),
    },
    load: {
      debounceMs: integer(env, 'LOAD_DEBOUNCE_MS', 250, 0, 60_000),
      hysteresisAmps: integer(env, 'LOAD_HYSTERESIS_AMPS', 1, 0, 32),
      defaultConnectorMaxAmps: integer(env, 'LOAD_DEFAULT_CONNECTOR_MAX_AMPS', 32, 6, 1000),
      profileLeaseSec: integer(env, 'LOAD_PROFILE_LEASE_SECONDS', 900, 0, 86_400),
      buildingReportMaxAgeSec: integer(env, 'LOAD_BUILDING_REPORT_MAX_AGE_SECONDS', 300, 10, 86_400),
      historyRetentionDays: integer(env, 'LOAD_HISTORY_RETENTION_DAYS', 30, 1, 3650),
    },
    invoicing: {
      sellerName: text(env, 'INVOICE_SELLER_NAME') ?? 'Charging operator',
      sellerAddress: text(env, 'INVOICE_SELLER_ADDRESS')?.replace(/\\n/g, '\n'),
      sellerVatId: text(env, 'INVOICE_SELLER_VAT_ID'),
      timeZone: timeZone(env, 'INVOICE_TIME_ZONE', 'UTC'),
    },
  };
}
