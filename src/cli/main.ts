// `npm run cli -- <command>`: operators' shell access to the central system (see commands.ts).
// Exit code 0 on success, 1 when the request failed, 2 for a wrong command line or environment.

import { parseArgs } from 'node:util';
import { apiClientFromEnv, CliError } from './api-client.js';
import { COMMANDS, usageText, type CliOptions } from './commands.js';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

export async function runCli(argv: string[], env: Record<string, string | undefined>): Promise<{ code: number; out: string; err: string }> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          json: { type: 'boolean', default: false },
          force: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h', default: false },
          station: { type: 'string' },
          status: { type: 'string' },
          parent: { type: 'string' },
          'retrieve-date': { type: 'string' },
          retries: { type: 'string' },
          'retry-interval': { type: 'string' },
        },
      });
    } catch (error) {
      throw new CliError(`${(error as Error).message}\n\n${usageText()}`, 2);
    }
    const [name, ...args] = parsed.positionals;
    if (parsed.values.help || name === undefined || name === 'help') return { code: name === undefined && !parsed.values.help ? 2 : 0, out: usageText(), err: '' };
    const entry = COMMANDS[name];
    if (!entry) throw new CliError(`Unknown command "${name}".\n\n${usageText()}`, 2);
    const values = parsed.values;
    const options: CliOptions = {
      json: values.json,
      force: values.force,
      station: values.station,
      status: values.status,
      parent: values.parent,
      retrieveDate: values['retrieve-date'],
      retries: values.retries,
      retryInterval: values['retry-interval'],
    };
    const out = await entry.run({ api: apiClientFromEnv(env), options, stdin: readStdin }, args);
    return { code: 0, out, err: '' };
  } catch (error) {
    if (error instanceof CliError) return { code: error.exitCode, out: '', err: `error: ${error.message}` };
    return { code: 1, out: '', err: `error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const result = await runCli(process.argv.slice(2), process.env);
if (result.out) process.stdout.write(`${result.out}\n`);
if (result.err) process.stderr.write(`${result.err}\n`);
process.exitCode = result.code;
