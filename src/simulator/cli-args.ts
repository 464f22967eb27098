// The simulator CLI's options: parsed with node's util.parseArgs, checked, and turned into fleet
// options. A bad option becomes a UsageError with one line that names it.

import { parseArgs } from 'node:util';
import { PROFILE_NAMES, isProfileName } from './brand-profiles.js';
import type { FleetOptions } from './fleet.js';

export const USAGE = `Usage: npm run sim -- [options]

Simulated OCPP 1.6-J charge points: they boot, heartbeat, report status, authorize, charge
with periodic meter values, stop, and answer the central system's remote calls.

Options:
  --url <ws-url>             OCPP endpoint without the station id (default ws://127.0.0.1:8180/ocpp)
  --stations <n>             number of stations (default 1)
  --profile <name|mixed>     brand profile, or a comma list, or "mixed" for all in turn (default mixed)
  --id-prefix <text>         station ids are prefix + number, e.g. SIM-001 (default SIM-)
  --id-tag <tag>             idTag the stations present (default SIM-TAG; register it in the central system)
  --password <text>          Basic-auth password of every station (security profile 1)
  --sessions <n>             sessions per station (default 1; unlimited when only --duration is given)
  --session-duration <time>  how long each session charges (default 20s)
  --pause <time>             idle time between a station's sessions (default 1s)
  --meter-interval <time>    MeterValues interval while charging (default 5s)
  --heartbeat <time>         heartbeat interval (default: what the central system says)
  --duration <time>          stop the whole run after this long (default: when sessions are done)
  --connect-rate <n>         new connections per second (default 100)
  --speed <factor>           simulated time runs this many times faster (default 1)
  --progress <time>          progress line interval (default 5s; 0 = none)
  --json                     print the final report as JSON
  --list-profiles            list the brand profiles and exit
  -h, --help                 show this help

Times are a number with a unit (500ms, 10s, 2m, 1h); a bare number is seconds.
Exit status: 0 when the run had no errors, 1 when it had, 2 for bad options.
`;

export class UsageError extends Error {}

/** "500ms" | "10s" | "2m" | "1h" | "10" (seconds) → ms. */
export function parseDuration(name: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`--${name} must be a time like 500ms, 10s, 2m or 1h, got "${text}"`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * factor);
}

function parseCount(name: string, text: string, min: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, got "${text}"`);
  return Number(text);
}

export interface CliPlan {
  help: boolean;
  listProfiles: boolean;
  json: boolean;
  progressMs: number;
  fleet: FleetOptions;
}

export function parseCli(argv: string[]): CliPlan {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string', default: 'ws://127.0.0.1:8180/ocpp' },
        stations: { type: 'string', default: '1' },
        profile: { type: 'string', default: 'mixed' },
        'id-prefix': { type: 'string', default: 'SIM-' },
        'id-tag': { type: 'string', default: 'SIM-TAG' },
        password: { type: 'string' },
        sessions: { type: 'string' },
        'session-duration': { type: 'string', default: '20s' },
        pause: { type: 'string', default: '1s' },
        'meter-interval': { type: 'string', default: '5s' },
        heartbeat: { type: 'string' },
        duration: { type: 'string' },
        'connect-rate': { type: 'string', default: '100' },
        speed: { type: 'string', default: '1' },
        progress: { type: 'string', default: '5s' },
        json: { type: 'boolean', default: false },
        'list-profiles': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // parseArgs' messages are multi-line; the first line names the problem.
    throw new UsageError((error instanceof Error ? error.message : String(error)).split('\n')[0]);
  }
  const values = parsed.values;
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url must be a ws:// or wss:// URL, got "${values.url}"`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new UsageError(`--url must start with ws:// or wss://, got "${values.url}"`);
  const profiles = values.profile.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  for (const name of profiles) {
    if (name !== 'mixed' && !isProfileName(name)) throw new UsageError(`--profile "${name}" is unknown; use one of ${PROFILE_NAMES.join(', ')} or mixed`);
  }
  if (values['id-tag'].length < 1 || values['id-tag'].length > 20) throw new UsageError('--id-tag must be 1 to 20 characters (OCPP IdToken)');
  const speed = Number(values.speed);
  if (!(speed > 0) || !Number.isFinite(speed)) throw new UsageError(`--speed must be a positive number, got "${values.speed}"`);
  const fleet: FleetOptions = {
    url: values.url,
    stations: parseCount('stations', values.stations, 1),
    profiles,
    idPrefix: values['id-prefix'],
    idTag: values['id-tag'],
    sessionDurationMs: parseDuration('session-duration', values['session-duration']),
    pauseMs: parseDuration('pause', values.pause),
    meterIntervalMs: parseDuration('meter-interval', values['meter-interval']),
    connectRatePerSecond: parseCount('connect-rate', values['connect-rate'], 1),
    speed,
  };
  if (values.password !== undefined) fleet.password = values.password;
  if (values.sessions !== undefined) fleet.sessionsPerStation = parseCount('sessions', values.sessions, 0);
  if (values.heartbeat !== undefined) fleet.heartbeatIntervalMs = parseDuration('heartbeat', values.heartbeat);
  if (values.duration !== undefined) fleet.durationMs = parseDuration('duration', values.duration);
  return {
    help: values.help,
    listProfiles: values['list-profiles'],
    json: values.json,
    progressMs: parseDuration('progress', values.progress),
    fleet,
  };
}
