// Who may open an OCPP connection, decided before the WebSocket upgrade. The station's
// securityProfile says what it must show:
//
//   0  no transport requirement; Basic auth if the station has a password, none otherwise
//      (unsecured: for labs and first contact; give the station a password or a higher profile)
//   1  Basic auth (user = station id, its password) over ws or wss; no password set: refused
//   2  as 1, and only over wss (TLS)
//   3  wss with a client certificate from our CA or a trusted manufacturer CA, unexpired, not
//      revoked, whose CN is the station id; Basic auth is not used
//
// A station is never let in on less than its profile (no silent downgrade). Failed passwords are
// throttled per station id and per address, so guessing is slow.

import type { Executor } from '../../storage/database.js';
import type { StationRow } from '../stations/station-store.js';
import { isRevoked } from './certificate-store.js';
import { createLoginThrottle } from './login-throttle.js';
import type { StationPasswords } from './station-passwords.js';

export const SECURITY_PROFILES = [0, 1, 2, 3] as const;
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];

/** What the connection showed, read from the upgrade request and its socket. */
export interface ConnectionFacts {
  remoteAddress: string | undefined;
  secure: boolean;
  credentials: { user: string; password: string } | undefined;
  /** The TLS client certificate, when one was presented. */
  clientCertificate: { commonNames: string[]; serialNumber: string; trusted: boolean; problem: string | undefined } | undefined;
}

export type Admission =
  | { ok: true; via: 'none' | 'password' | 'previous-password' | 'certificate' }
  | { ok: false; status: 401 | 403 | 429; reason: string; retryAfterSec?: number };

const refused = (reason: string): Admission => ({ ok: false, status: 401, reason });

export interface StationAdmission {
  admit(station: StationRow, facts: ConnectionFacts): Promise<Admission>;
}

/** `maxFailures`: wrong passwords per station id in 5 minutes before a lock; 0 turns throttling off. */
export function createStationAdmission(db: Executor, passwords: StationPasswords, maxFailures: number, now: () => number = Date.now): StationAdmission {
  // A station id is locked briefly (a stranger must not lock a station out for long); an address
  // trying many ids is locked longer. The address allows ten times as many failures: a site's
  // stations often share one address, and a few misconfigured ones must not lock out the rest.
  const limit = maxFailures > 0 ? maxFailures : Number.POSITIVE_INFINITY;
  const perStation = createLoginThrottle({ maxFailures: limit, windowMs: 5 * 60_000, lockMs: 60_000 });
  const perAddress = createLoginThrottle({ maxFailures: limit * 10, windowMs: 5 * 60_000, lockMs: 5 * 60_000 });

  async function byCertificate(station: StationRow, facts: ConnectionFacts): Promise<Admission> {
    const certificate = facts.clientCertificate;
    if (!facts.secure) return { ok: false, status: 403, reason: `Station "${station.id}" uses security profile 3: connect with wss:// and its client certificate` };
    if (!certificate) return refused(`Station "${station.id}" uses security profile 3: it must present a client certificate`);
    if (!certificate.trusted) return refused(`The client certificate is not accepted: ${certificate.problem ?? 'not issued by a trusted CA'}`);
    if (certificate.commonNames.length !== 1 || certificate.commonNames[0] !== station.id) {
      return refused(`The client certificate is for "${certificate.commonNames.join(', ')}", not for station "${station.id}"`);
    }
    if (await isRevoked(db, certificate.serialNumber)) return refused('The client certificate has been revoked');
    return { ok: true, via: 'certificate' };
  }

  async function byPassword(station: StationRow, facts: ConnectionFacts): Promise<Admission> {
    const at = now();
    const address = facts.remoteAddress ?? 'unknown';
    const wait = Math.max(perStation.blockedFor(station.id, at), perAddress.blockedFor(address, at));
    if (wait > 0) {
      const retryAfterSec = Math.ceil(wait / 1000);
      return { ok: false, status: 429, reason: `Too many wrong passwords; try again in ${retryAfterSec} s`, retryAfterSec };
    }
    const credentials = facts.credentials;
    const check = credentials && credentials.user === station.id ? await passwords.check(station.id, station.passwordHash!, credentials.password) : 'wrong';
    if (check === 'wrong') {
      perStation.failed(station.id, at);
      perAddress.failed(address, at);
      return refused('Wrong or missing station credentials');
    }
    perStation.succeeded(station.id);
    return { ok: true, via: check === 'current' ? 'password' : 'previous-password' };
  }

  return {
    async admit(station, facts) {
      const profile = station.securityProfile;
      if (profile >= 3) return byCertificate(station, facts);
      if (profile === 2 && !facts.secure) {
        return { ok: false, status: 403, reason: `Station "${station.id}" uses security profile 2: connect with wss:// (TLS)` };
      }
      if (!station.passwordHash) {
        return profile === 0 ? { ok: true, via: 'none' } : refused(`Station "${station.id}" uses security profile ${profile} but has no password set`);
      }
      return byPassword(station, facts);
    },
  };
}
