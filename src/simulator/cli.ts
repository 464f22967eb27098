// npm run sim -- [options]: runs a fleet of simulated charge points against a central system and
// prints progress and a final report. Exit codes: 0 no errors, 1 the run had errors, 2 bad options.

import { BRAND_PROFILES } from './brand-profiles.js';
import { parseCli, USAGE, UsageError, type CliPlan } from './cli-args.js';
import { runFleet } from './fleet.js';
import { formatProgress, formatReport } from './stats.js';

async function main(): Promise<number> {
  let plan: CliPlan;
  try {
    plan = parseCli(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`sim: ${error.message} (see --help)\n`);
    return 2;
  }
  if (plan.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (plan.listProfiles) {
    for (const profile of Object.values(BRAND_PROFILES)) {
      process.stdout.write(`${profile.name.padEnd(10)} ${profile.vendor} ${profile.model}: ${profile.description}\n`);
    }
    return 0;
  }

  // Ctrl-C ends the run cleanly (sessions stopped, report printed); a second one exits at once.
  const interrupt = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('sim: stopping (Ctrl-C again to quit at once)\n');
    interrupt.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  process.once('SIGTERM', () => interrupt.abort());

  const { fleet } = plan;
  process.stderr.write(
    `sim: ${fleet.stations} station(s), profile ${(fleet.profiles as string[]).join(',')}, against ${fleet.url}\n`,
  );
  const report = await runFleet({
    ...fleet,
    signal: interrupt.signal,
    ...(plan.progressMs > 0 ? { progressIntervalMs: plan.progressMs, onProgress: (progress) => process.stderr.write(`${formatProgress(progress)}\n`) } : {}),
  });
  process.stdout.write(plan.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  if (report.sessionsRefused > 0 && report.sessionsStarted === 0) {
    process.stderr.write(`sim: every session was refused; is idTag "${fleet.idTag}" registered (POST /api/v1/id-tags)?\n`);
  }
  return report.errors === 0 && report.stationsAccepted > 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sim: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
