// Reads the environment once at start-up. Every variable is optional; a bad value stops the
// process with one line naming the variable, so an installer sees at once what to fix.

import { IANAZone } from 'luxon';

export type RegistrationPolicy = 'accept' | 'pending' | 'reject';
/** What an idTag we do not know gets: refused (Invalid), or accepted and recorded (an open car park). */
export type UnknownIdTagPolicy = 'reject' | 'accept';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
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
  return {
    port,
    host: text(env, 'HOST') ?? '0.0.0.0',
    dataDir: text(env, 'DATA_DIR') ?? './data',
    databaseUrl: databaseUrl(env),
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
    ocpp: {
      heartbeatIntervalSec: integer(env, 'OCPP_HEARTBEAT_INTERVAL', 300, 1, 86400),
      bootRetryIntervalSec: integer(env, 'OCPP_BOOT_RETRY_INTERVAL', 60, 1, 86400),
      pingIntervalSec: integer(env, 'OCPP_PING_INTERVAL', 30, 0, 3600),
      callTimeoutSec: integer(env, 'OCPP_CALL_TIMEOUT', 30, 1, 600),
      maxFrameBytes: integer(env, 'OCPP_MAX_FRAME_BYTES', 262144, 1024, 16 * 1024 * 1024),
      abandonedSessionMinutes: integer(env, 'OCPP_ABANDONED_SESSION_MINUTES', 15, 1, 7 * 24 * 60),
      messageLogRetentionDays: integer(env, 'MESSAGE_LOG_RETENTION_DAYS', 30, 0, 3650),
    },
    invoicing: {
      sellerName: text(env, 'INVOICE_SELLER_NAME') ?? 'Charging operator',
      sellerAddress: text(env, 'INVOICE_SELLER_ADDRESS')?.replace(/\\n/g, '\n'),
      sellerVatId: text(env, 'INVOICE_SELLER_VAT_ID'),
      timeZone: timeZone(env, 'INVOICE_TIME_ZONE', 'UTC'),
    },
  };
}
