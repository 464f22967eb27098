import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** The ConfigError that `env` causes; fails the test when none is thrown. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 8180,
      host: '0.0.0.0',
      dataDir: './data',
      publicUrl: undefined,
      databaseUrl: undefined,
      bootstrapApiKey: undefined,
      adminEmail: undefined,
      adminPassword: undefined,
      unknownStations: 'pending',
      unknownIdTags: 'reject',
      tlsPort: 8443,
      tlsCert: undefined,
      tlsKey: undefined,
      security: { serverNames: [], trustedStationCaFile: undefined, stationAuthMaxFailures: 10, stationCertificateDays: 365, certificateRenewalDays: 30 },
      logLevel: 'info',
      cluster: undefined,
      ocpp: {
        heartbeatIntervalSec: 300,
        bootRetryIntervalSec: 60,
        pingIntervalSec: 30,
        callTimeoutSec: 30,
        maxFrameBytes: 262144,
        abandonedSessionMinutes: 15,
        messageLogRetentionDays: 30,
      },
      load: { debounceMs: 250, hysteresisAmps: 1, defaultConnectorMaxAmps: 32, profileLeaseSec: 900, buildingReportMaxAgeSec: 300, historyRetentionDays: 30 },
      invoicing: { sellerName: 'Charging operator', sellerAddress: undefined, sellerVatId: undefined, timeZone: 'UTC' },
    });
  });

  it('treats empty and blank variables as unset', () => {
    expect(loadConfig({ PORT: '', HOST: '   ', DATABASE_URL: '', LOG_LEVEL: ' ' })).toMatchObject({
      port: 8180,
      host: '0.0.0.0',
      databaseUrl: undefined,
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: ' 9000 ',
      HOST: '127.0.0.1',
      DATA_DIR: '/var/lib/ocpp',
      DATABASE_URL: 'postgresql://user:secret@db:5432/ocpp',
      BOOTSTRAP_API_KEY: 'a-long-enough-api-key',
      ADMIN_EMAIL: 'ops@example.com',
      ADMIN_PASSWORD: 'correct horse',
      OCPP_UNKNOWN_STATIONS: 'Accept',
      OCPP_UNKNOWN_ID_TAGS: 'ACCEPT',
      TLS_PORT: '9443',
      TLS_CERT: '/etc/cert.pem',
      TLS_KEY: '/etc/key.pem',
      TLS_SERVER_NAMES: 'csms.example.com, 10.0.0.5',
      TLS_TRUSTED_STATION_CA: '/etc/manufacturers.pem',
      STATION_AUTH_MAX_FAILURES: '0',
      STATION_CERTIFICATE_DAYS: '90',
      CERTIFICATE_RENEWAL_DAYS: '14',
      LOG_LEVEL: 'DEBUG',
      OCPP_HEARTBEAT_INTERVAL: '60',
      OCPP_BOOT_RETRY_INTERVAL: '10',
      OCPP_PING_INTERVAL: '0',
      OCPP_CALL_TIMEOUT: '5',
      OCPP_MAX_FRAME_BYTES: '1024',
      OCPP_ABANDONED_SESSION_MINUTES: '30',
      MESSAGE_LOG_RETENTION_DAYS: '7',
      INVOICE_SELLER_NAME: 'Volt GmbH',
      INVOICE_SELLER_ADDRESS: 'Hauptstr. 1\\n10115 Berlin',
      INVOICE_SELLER_VAT_ID: 'DE123456789',
      INVOICE_TIME_ZONE: 'Europe/Berlin',
    });
    expect(config).toEqual({
      port: 9000,
      host: '127.0.0.1',
      dataDir: '/var/lib/ocpp',
      databaseUrl: 'postgresql://user:secret@db:5432/ocpp',
      bootstrapApiKey: 'a-long-enough-api-key',
      adminEmail: 'ops@example.com',
      adminPassword: 'correct horse',
      unknownStations: 'accept',
      unknownIdTags: 'accept',
      tlsPort: 9443,
      tlsCert: '/etc/cert.pem',
      tlsKey: '/etc/key.pem',
      security: {
        serverNames: ['csms.example.com', '10.0.0.5'],
        trustedStationCaFile: '/etc/manufacturers.pem',
        stationAuthMaxFailures: 0,
        stationCertificateDays: 90,
        certificateRenewalDays: 14,
      },
      logLevel: 'debug',
      ocpp: { heartbeatIntervalSec: 60, bootRetryIntervalSec: 10, pingIntervalSec: 0, callTimeoutSec: 5, maxFrameBytes: 1024, abandonedSessionMinutes: 30, messageLogRetentionDays: 7 },
      load: expect.any(Object),
      invoicing: { sellerName: 'Volt GmbH', sellerAddress: 'Hauptstr. 1\n10115 Berlin', sellerVatId: 'DE123456789', timeZone: 'Europe/Berlin' },
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/ocpp' }).databaseUrl).toBe('postgres://localhost/ocpp');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '-1'],
    ['PORT', '1.5'],
    ['PORT', '65536'],
    ['TLS_PORT', '70000'],
    ['TLS_PORT', '8180'],
    ['OCPP_HEARTBEAT_INTERVAL', '0'],
    ['OCPP_HEARTBEAT_INTERVAL', '86401'],
    ['OCPP_BOOT_RETRY_INTERVAL', '0'],
    ['OCPP_PING_INTERVAL', '3601'],
    ['OCPP_PING_INTERVAL', 'often'],
    ['OCPP_CALL_TIMEOUT', '0'],
    ['OCPP_CALL_TIMEOUT', '601'],
    ['OCPP_MAX_FRAME_BYTES', '1023'],
    ['OCPP_MAX_FRAME_BYTES', '16777217'],
    ['OCPP_MAX_FRAME_BYTES', '64k'],
    ['OCPP_ABANDONED_SESSION_MINUTES', '0'],
    ['OCPP_ABANDONED_SESSION_MINUTES', '10081'],
    ['MESSAGE_LOG_RETENTION_DAYS', '-1'],
    ['MESSAGE_LOG_RETENTION_DAYS', '3651'],
    ['OCPP_UNKNOWN_STATIONS', 'maybe'],
    ['OCPP_UNKNOWN_ID_TAGS', 'pending'],
    ['LOG_LEVEL', 'loud'],
    ['INVOICE_TIME_ZONE', 'Mars/Olympus'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://localhost/ocpp'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['ADMIN_PASSWORD', 'short'],
    ['BOOTSTRAP_API_KEY', 'short'],
    ['STATION_AUTH_MAX_FAILURES', 'many'],
    ['STATION_CERTIFICATE_DAYS', '0'],
    ['CERTIFICATE_RENEWAL_DAYS', '366'],
  ])('refuses %s=%j with an error naming the variable', (name, value) => {
    expect(configError({ [name]: value }).message).toContain(name);
  });

  it('reads PUBLIC_URL without a trailing slash and refuses one that is no http(s) URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://csms.example.com/ocpp-files/' }).publicUrl).toBe('https://csms.example.com/ocpp-files');
    expect(configError({ PUBLIC_URL: 'csms.example.com' }).message).toContain('PUBLIC_URL is not a URL');
    expect(configError({ PUBLIC_URL: 'ftp://csms.example.com' }).message).toContain('PUBLIC_URL must start with http:// or https://');
  });

  it('switches cluster mode on with REDIS_URL, which needs DATABASE_URL', () => {
    const db = { DATABASE_URL: 'postgres://db/ocpp' };
    expect(loadConfig({ ...db, REDIS_URL: 'redis://cache:6379', NODE_ID: 'api-1', REDIS_KEY_PREFIX: 'csms:', CLUSTER_NODE_TTL: '5' }).cluster).toEqual({
      redisUrl: 'redis://cache:6379',
      nodeId: 'api-1',
      keyPrefix: 'csms:',
      nodeTtlSec: 5,
    });
    const defaults = loadConfig({ ...db, REDIS_URL: 'redis://cache' }).cluster;
    expect(defaults).toMatchObject({ keyPrefix: 'ocpp:', nodeTtlSec: 15 });
    expect(defaults?.nodeId).toMatch(/^node-[0-9a-f]{8}$/);
    expect(configError({ REDIS_URL: 'redis://cache' }).message).toContain('DATABASE_URL');
    expect(configError({ ...db, REDIS_URL: 'http://cache' }).message).toContain('REDIS_URL');
    expect(configError({ ...db, REDIS_URL: 'redis://cache', NODE_ID: 'a b' }).message).toContain('NODE_ID');
    expect(configError({ ...db, REDIS_URL: 'redis://cache', CLUSTER_NODE_TTL: '1' }).message).toContain('CLUSTER_NODE_TTL');
  });

  it('accepts the bounds of each range', () => {
    expect(loadConfig({ PORT: '0', OCPP_PING_INTERVAL: '3600', OCPP_CALL_TIMEOUT: '600', OCPP_MAX_FRAME_BYTES: String(16 * 1024 * 1024) })).toMatchObject({
      port: 0,
      ocpp: { pingIntervalSec: 3600, callTimeoutSec: 600, maxFrameBytes: 16 * 1024 * 1024 },
    });
  });

  it('refuses TLS_CERT without TLS_KEY and the other way round, naming both', () => {
    for (const env of [{ TLS_CERT: '/etc/cert.pem' }, { TLS_KEY: '/etc/key.pem' }] as Record<string, string>[]) {
      const message = configError(env).message;
      expect(message).toContain('TLS_CERT');
      expect(message).toContain('TLS_KEY');
    }
    expect(configError({ TLS_CERT: '/etc/cert.pem' }).message).toContain('only TLS_CERT is set');
    expect(configError({ TLS_KEY: '/etc/key.pem' }).message).toContain('only TLS_KEY is set');
  });
});
