// Moving a station between security profiles. The whitepaper's path goes up, 1 → 2 → 3: the
// operator makes sure the station has what the new profile needs (a password for 1 and 2, our CA
// installed as its CentralSystemRootCertificate for 2 and 3, a client certificate for 3), then
// sets the station's SecurityProfile key with ChangeConfiguration; once it accepts, only
// connections of the new profile are let in. Going down is never silent: it needs an explicit
// allowDowngrade, and the audit log keeps who did it.

import type { StationRow } from '../stations/station-store.js';
import { updateStation } from '../stations/station-store.js';
import { sendCommand, type CommandDeps } from '../commands/send-command.js';
import { certificatesOf, revocationsOf } from './certificate-store.js';
import type { SecurityProfile } from './station-admission.js';

/** Why the station cannot be set to `to` (for the API's 409), or undefined when it can. */
export function profileChangeProblem(
  station: StationRow,
  to: SecurityProfile,
  passwordHash: string | null,
  allowDowngrade: boolean,
): string | undefined {
  if (to < station.securityProfile && !allowDowngrade) {
    return `Station "${station.id}" is on security profile ${station.securityProfile}; lowering it to ${to} weakens it, so it needs "allowDowngrade": true`;
  }
  if ((to === 1 || to === 2) && !passwordHash) return `Security profile ${to} needs a station password; set one first`;
  return undefined;
}

/** Whether the station holds a certificate from our CA that it accepted, unexpired and not revoked. */
export async function hasUsableCertificate(deps: CommandDeps, stationId: string): Promise<boolean> {
  const now = deps.clock.now();
  const certificates = (await certificatesOf(deps.db, stationId)).filter((row) => row.deliveryStatus === 'Accepted' && row.notAfter > now && row.notBefore <= now);
  const revoked = await revocationsOf(deps.db, certificates.map((row) => row.serialNumber));
  return certificates.some((row) => !revoked.has(row.serialNumber));
}

export type UpgradeResult = { ok: true; station: StationRow; status: string } | { ok: false; problem: string; status?: string };

/**
 * Tells the (connected) station to use profile `to` (ChangeConfiguration SecurityProfile) and,
 * when it accepts, requires that profile from then on. Seam errors (offline, timeout) are thrown.
 */
export async function upgradeSecurityProfile(
  deps: CommandDeps,
  station: StationRow,
  to: SecurityProfile,
  options: { requestedBy: string; manufacturerCertificate: boolean },
): Promise<UpgradeResult> {
  if (to <= station.securityProfile) {
    return { ok: false, problem: `Station "${station.id}" is already on security profile ${station.securityProfile}; an upgrade goes higher` };
  }
  const problem = profileChangeProblem(station, to, station.passwordHash, false);
  if (problem) return { ok: false, problem };
  if (to === 3 && !options.manufacturerCertificate && !(await hasUsableCertificate(deps, station.id))) {
    return {
      ok: false,
      problem: `Station "${station.id}" holds no valid certificate from our CA: have it send SignCertificate first (ExtendedTriggerMessage SignChargePointCertificate), or pass "manufacturerCertificate": true if a trusted manufacturer CA issued its certificate`,
    };
  }
  const answer = await sendCommand(deps, station.id, 'ChangeConfiguration', { key: 'SecurityProfile', value: String(to) }, { requestedBy: options.requestedBy });
  if (answer.status !== 'Accepted' && answer.status !== 'RebootRequired') {
    return { ok: false, problem: `Station "${station.id}" answered ${answer.status} to SecurityProfile ${to}; its profile is unchanged`, status: answer.status };
  }
  const updated = (await updateStation(deps.db, station.id, { securityProfile: to }))!;
  return { ok: true, station: updated, status: answer.status };
}
