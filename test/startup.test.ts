// The process as an installer meets it: bad configuration stops it with one line naming the
// variable; the first start prints the generated credentials once; a second process on the same
// DATA_DIR is refused instead of corrupting it.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engine } from './support/test-server.js';

function run(env: Record<string, string>, waitForOutput?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string; kill: () => void }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, LOG_LEVEL: 'warn', TLS_PORT: '0', ...env } });
    let stdout = '';
    let stderr = '';
    const kill = () => child.kill('SIGTERM');
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (waitForOutput?.test(stdout)) resolve({ code: null, stdout, stderr, kill });
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr, kill }));
  });
}

// Not about the database engine: it runs once, in the embedded project.
describe.skipIf(engine === 'postgres')('start-up', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ OCPP_UNKNOWN_STATIONS: 'maybe' }, 'OCPP_UNKNOWN_STATIONS'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ TLS_CERT: '/tmp/cert.pem' }, 'TLS_KEY'],
    [{ BOOTSTRAP_API_KEY: 'short' }, 'BOOTSTRAP_API_KEY'],
  ])('refuses %j with one line naming %s', async (env, name) => {
    const result = await run(env);
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });

  it('prints an admin key and the dashboard login once, and refuses a second process on the same DATA_DIR', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ocpp-start-'));
    try {
      const first = await run({ DATA_DIR: dataDir, PORT: '0' }, /Admin API key/);
      expect(first.stdout).toMatch(/Admin API key \(shown once, keep it safe\): ocpp_\S+/);
      expect(first.stdout).toMatch(/Dashboard login \(shown once, keep it safe\): admin@localhost \/ \S{12,}/);
      expect(first.stdout).toMatch(/Dashboard: +http:\/\/\S+\//);
      const second = await run({ DATA_DIR: dataDir, PORT: '0' });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('in use by process');
      first.kill();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const third = await run({ DATA_DIR: dataDir, PORT: '0' }, /central system is running/);
      expect(third.stdout).not.toContain('Admin API key');
      expect(third.stdout).not.toContain('Dashboard login');
      third.kill();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
