// Station Basic-auth passwords (security profile 1): checking one at connect, and rotating one
// through ChangeConfiguration AuthorizationKey. After a rotation the station accepted, its old
// password stays valid until it first connects with the new one: a station may reconnect before
// it applies the key, and must not lock itself out.

import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../storage/database.js';
import { sendCommand, type CommandDeps } from '../commands/send-command.js';
import { getStation, updateStation } from '../stations/station-store.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { stationPasswordRotations } from './tables.js';

/**
 * A new password: 20 random characters of the URL-safe base64 alphabet (120 bits), within the
 * whitepaper's 16 to 40 characters and printable, so any charger's configuration can hold it.
 */
export const generateStationPassword = () => randomBytes(15).toString('base64url');

/** The whitepaper sets AuthorizationKey as the hexadecimal form of the password's bytes. */
export const authorizationKeyOf = (password: string) => Buffer.from(password, 'utf8').toString('hex');

export type PasswordCheck = 'current' | 'previous' | 'wrong';

export interface StationPasswords {
  /** Checks a presented password against the station's current one and, after a rotation, its previous one. */
  check(stationId: string, passwordHash: string, presented: string): Promise<PasswordCheck>;
  /** Generates, sends and (when accepted) stores a new password; see rotateStationPassword. */
  rotate(deps: CommandDeps, stationId: string, requestedBy: string): Promise<RotationResult>;
  /** An operator set a password by hand: no previous one stays valid. */
  forgetPrevious(stationId: string): Promise<void>;
}

export function createStationPasswords(db: Database): StationPasswords {
  // Stations with a rotation in progress, so a good password costs no extra query: only a
  // wrong one (rare) reads the table. Another node's rotations are found by that read too.
  let pending: Promise<Set<string>> | undefined;
  const pendingRotations = () =>
    (pending ??= db
      .select({ stationId: stationPasswordRotations.stationId })
      .from(stationPasswordRotations)
      .then((rows) => new Set(rows.map((row) => row.stationId)))
      .catch((error: unknown) => {
        pending = undefined; // read again next time (the database may be back)
        throw error;
      }));
  const forget = async (stationId: string) => {
    (await pendingRotations()).delete(stationId);
    await db.delete(stationPasswordRotations).where(eq(stationPasswordRotations.stationId, stationId));
  };
  return {
    async check(stationId, passwordHash, presented) {
      if (await verifyPassword(presented, passwordHash)) {
        // The station uses its new password: the old one is done.
        if ((await pendingRotations()).has(stationId)) await forget(stationId);
        return 'current';
      }
      const [rotation] = await db.select().from(stationPasswordRotations).where(eq(stationPasswordRotations.stationId, stationId));
      if (!rotation) return 'wrong';
      (await pendingRotations()).add(stationId);
      return (await verifyPassword(presented, rotation.previousPasswordHash)) ? 'previous' : 'wrong';
    },
    async rotate(deps, stationId, requestedBy) {
      const result = await rotateStationPassword(deps, stationId, requestedBy);
      if (result.status === 'Accepted' || result.status === 'RebootRequired') (await pendingRotations()).add(stationId);
      return result;
    },
    forgetPrevious: forget,
  };
}

export type RotationResult = { status: 'Accepted' } | { status: 'Rejected' | 'NotSupported' | 'RebootRequired' };

/**
 * Generates a password, sends it to the (connected) station as AuthorizationKey and stores its
 * hash only when the station accepted it. Errors of the seam (offline, timeout, CALLERROR) are
 * thrown as sendCommand throws them, with nothing changed.
 */
async function rotateStationPassword(deps: CommandDeps, stationId: string, requestedBy: string): Promise<RotationResult> {
  const password = generateStationPassword();
  const answer = await sendCommand(deps, stationId, 'ChangeConfiguration', { key: 'AuthorizationKey', value: authorizationKeyOf(password) }, { requestedBy });
  // RebootRequired: the station will use the new key after a reboot, so it is stored as well.
  if (answer.status !== 'Accepted' && answer.status !== 'RebootRequired') return { status: answer.status };
  const passwordHash = await hashPassword(password);
  await deps.db.transaction(async (tx) => {
    const station = await getStation(tx, stationId);
    if (station?.passwordHash) {
      await tx
        .insert(stationPasswordRotations)
        .values({ stationId, previousPasswordHash: station.passwordHash, rotatedAt: deps.clock.now() })
        .onConflictDoUpdate({ target: stationPasswordRotations.stationId, set: { previousPasswordHash: station.passwordHash, rotatedAt: deps.clock.now() } });
    }
    await updateStation(tx, stationId, { passwordHash });
  });
  return answer.status === 'Accepted' ? { status: 'Accepted' } : { status: 'RebootRequired' };
}
