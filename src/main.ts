// `npm start`: reads the environment, starts the central system, stops cleanly on SIGINT/SIGTERM.

import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { DataDirLockedError } from './storage/data-dir-lock.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const log = createLogger(config.logLevel);
process.on('unhandledRejection', (reason) => {
  log.fatal({ err: reason }, 'unhandled promise rejection');
  process.exit(1);
});

try {
  const server = await startServer(config, { log });
  const wsUrl = server.url.replace(/^http/, 'ws');
  process.stdout.write(
    [
      '',
      `  OCPP central system is running (${server.storage.engine === 'embedded' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
      ...(server.nodeId ? [`  Cluster node:         ${server.nodeId} (Redis; other nodes serve the same stations)`] : []),
      `  Stations connect to:  ${wsUrl}/ocpp/{stationId}   (TLS, security profiles 2 and 3: ${server.tlsUrl.replace(/^https/, 'wss')}/ocpp/{stationId})`,
      `  Dashboard:            ${server.url}/`,
      `  API:                  ${server.url}/api/v1   (OpenAPI: ${server.url}/api/openapi.json)`,
      ...(server.generatedApiKey
        ? [`  Admin API key (shown once, keep it safe): ${server.generatedApiKey}`]
        : []),
      ...(server.generatedAdmin
        ? [
            `  Dashboard login (shown once, keep it safe): ${server.generatedAdmin.email} / ${server.generatedAdmin.password}`,
            '  (a lost password is reset by starting once with ADMIN_PASSWORD set)',
          ]
        : []),
      '',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  if (error instanceof DataDirLockedError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
}
