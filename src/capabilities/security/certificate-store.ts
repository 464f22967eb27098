// Station certificates our CA issued, and the revocation list (ours and manufacturers'
// certificates alike, by serial number).

import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import type { IssuedCertificate } from './certificate-authority.js';
import { normalizeSerial } from './x509.js';
import { atTenantStation } from '../stations/station-store.js';
import { revokedCertificates, stationCertificates } from './tables.js';

export type StationCertificateRow = typeof stationCertificates.$inferSelect;
export type RevocationRow = typeof revokedCertificates.$inferSelect;

export async function recordIssuedCertificate(db: Executor, stationId: string, issued: IssuedCertificate): Promise<void> {
  await db.insert(stationCertificates).values({
    stationId,
    serialNumber: issued.serialNumber,
    subject: issued.subject,
    pem: issued.pem,
    notBefore: issued.notBefore,
    notAfter: issued.notAfter,
  });
}

export async function recordDelivery(db: Executor, serialNumber: string, status: string): Promise<void> {
  await db.update(stationCertificates).set({ deliveryStatus: status }).where(eq(stationCertificates.serialNumber, serialNumber));
}

export async function certificatesOf(db: Executor, stationId: string): Promise<StationCertificateRow[]> {
  return db.select().from(stationCertificates).where(eq(stationCertificates.stationId, stationId)).orderBy(desc(stationCertificates.id));
}

export async function findCertificate(db: Executor, serialNumber: string): Promise<StationCertificateRow | undefined> {
  const [row] = await db.select().from(stationCertificates).where(eq(stationCertificates.serialNumber, normalizeSerial(serialNumber)));
  return row;
}

/** Revokes a certificate by serial number; a second revocation keeps the first. */
export async function revokeCertificate(
  db: Executor,
  revocation: { serialNumber: string; stationId: string | null; reason: string | null; revokedBy: string },
): Promise<RevocationRow> {
  const serialNumber = normalizeSerial(revocation.serialNumber);
  await db.insert(revokedCertificates).values({ ...revocation, serialNumber }).onConflictDoNothing();
  const [row] = await db.select().from(revokedCertificates).where(eq(revokedCertificates.serialNumber, serialNumber));
  return row!;
}

export async function isRevoked(db: Executor, serialNumber: string): Promise<boolean> {
  const rows = await db
    .select({ serialNumber: revokedCertificates.serialNumber })
    .from(revokedCertificates)
    .where(eq(revokedCertificates.serialNumber, normalizeSerial(serialNumber)));
  return rows.length > 0;
}

/** Revocations of these serial numbers (all of them when undefined). */
export async function revocationsOf(db: Executor, serialNumbers: string[] | undefined): Promise<Map<string, RevocationRow>> {
  if (serialNumbers?.length === 0) return new Map();
  const rows = await db
    .select()
    .from(revokedCertificates)
    .where(serialNumbers ? inArray(revokedCertificates.serialNumber, serialNumbers) : undefined)
    .orderBy(desc(revokedCertificates.revokedAt));
  return new Map(rows.map((row) => [row.serialNumber, row]));
}

/**
 * The revocation list one tenant reads: the revocations of certificates of its stations, newest
 * first (a revocation belongs to its station's tenant; one naming no station, to nobody's list).
 */
export async function revocationsOfTenant(db: Executor, tenantId: number): Promise<RevocationRow[]> {
  return db
    .select()
    .from(revokedCertificates)
    .where(atTenantStation(revokedCertificates.stationId, tenantId))
    .orderBy(desc(revokedCertificates.revokedAt));
}

/**
 * Each station's newest certificate when it lapses before `horizon`, is not revoked, and its
 * renewal was not asked for since `askedBefore` (one request a day, not one a run).
 */
export async function certificatesDueForRenewal(db: Executor, horizon: Date, askedBefore: Date): Promise<StationCertificateRow[]> {
  const newest = db
    .selectDistinctOn([stationCertificates.stationId], { id: stationCertificates.id })
    .from(stationCertificates)
    .orderBy(stationCertificates.stationId, desc(stationCertificates.notAfter));
  return db
    .select()
    .from(stationCertificates)
    .leftJoin(revokedCertificates, eq(revokedCertificates.serialNumber, stationCertificates.serialNumber))
    .where(
      and(
        sql`${stationCertificates.id} in ${newest}`,
        lt(stationCertificates.notAfter, horizon),
        isNull(revokedCertificates.serialNumber),
        or(isNull(stationCertificates.renewalRequestedAt), lt(stationCertificates.renewalRequestedAt, askedBefore)),
      ),
    )
    .then((rows) => rows.map((row) => row.station_certificates));
}

export async function markRenewalRequested(db: Executor, id: number, at: Date): Promise<void> {
  await db.update(stationCertificates).set({ renewalRequestedAt: at }).where(eq(stationCertificates.id, id));
}
