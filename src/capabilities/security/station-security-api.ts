// The stations' security through the API: the CA certificate to install on stations, issued
// certificates and the revocation list, password rotation, the move up the security profiles,
// the security events stations report, and the audit log of operator actions.

import { Type } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { conflict, notFound } from '../../api/problem.js';
import { getStation, type StationRow } from '../stations/station-store.js';
import { commandProblem } from '../commands/api.js';
import { listAudit } from './audit-log.js';
import { certificatesOf, findCertificate, revocationsOf, revocationsOfTenant, revokeCertificate } from './certificate-store.js';
import { securityEventsOf } from './security-events.js';
import { upgradeSecurityProfile } from './security-profile.js';
import { SECURITY_PROFILES, type SecurityProfile } from './station-admission.js';
import { tenantOf } from '../../api/tenant-scope.js';
import { stationTenant } from '../tenants/owners.js';
import { PLATFORM_TENANT_ID } from '../tenants/tables.js';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const StationId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const admin = { minRole: 'admin' as const };

const Certificate = Type.Object({
  serialNumber: Type.String(),
  subject: Type.String(),
  notBefore: DateTime,
  notAfter: DateTime,
  issuedAt: DateTime,
  deliveryStatus: Nullable(Type.String()),
  renewalRequestedAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
  pem: Type.String(),
});
const Revocation = Type.Object({ serialNumber: Type.String(), stationId: Nullable(Type.String()), reason: Nullable(Type.String()), revokedBy: Type.String(), revokedAt: DateTime });
const SecurityProfileValue = Type.Union(SECURITY_PROFILES.map((profile) => Type.Literal(profile)));

export async function stationSecurityRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db } = deps.services;
  const { security } = deps;

  async function existing(id: string): Promise<StationRow> {
    const row = await getStation(db, id);
    if (!row) throw notFound(`No station "${id}"`);
    return row;
  }
  const seamProblem = (error: unknown, stationId: string, action: string) => commandProblem(error, stationId, action) ?? error;

  app.get(
    '/security/ca-certificate',
    {
      schema: {
        tags: ['security'],
        summary: "Our CA's certificate (PEM): install it on stations as CentralSystemRootCertificate (InstallCertificate) before profile 2 or 3",
        response: { 200: Type.Object({ certificate: Type.String() }) },
      },
    },
    async () => ({ certificate: security.ca.certificatePem }),
  );

  app.get(
    '/stations/:id/security-events',
    {
      schema: {
        tags: ['security'],
        summary: 'Security events the station reported (SecurityEventNotification), newest first',
        params: StationId,
        querystring: Type.Object({
          type: Type.Optional(Type.String()),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          before: Type.Optional(Type.Integer({ minimum: 1, description: 'Only events with a smaller id (paging)' })),
        }),
        response: { 200: Type.Array(Type.Object({ id: Type.Integer(), type: Type.String(), techInfo: Nullable(Type.String()), timestamp: DateTime, receivedAt: DateTime })) },
      },
    },
    async (request) => {
      await existing(request.params.id);
      const rows = await securityEventsOf(db, request.params.id, request.query);
      return rows.map((row) => ({ id: row.id, type: row.type, techInfo: row.techInfo, timestamp: row.timestamp.toISOString(), receivedAt: row.receivedAt.toISOString() }));
    },
  );

  app.get(
    '/stations/:id/certificates',
    { schema: { tags: ['security'], summary: 'Certificates our CA issued to the station, newest first', params: StationId, response: { 200: Type.Array(Certificate) } } },
    async (request) => {
      await existing(request.params.id);
      const rows = await certificatesOf(db, request.params.id);
      const revoked = await revocationsOf(db, rows.map((row) => row.serialNumber));
      return rows.map((row) => ({
        serialNumber: row.serialNumber,
        subject: row.subject,
        notBefore: row.notBefore.toISOString(),
        notAfter: row.notAfter.toISOString(),
        issuedAt: row.issuedAt.toISOString(),
        deliveryStatus: row.deliveryStatus,
        renewalRequestedAt: row.renewalRequestedAt?.toISOString() ?? null,
        revokedAt: revoked.get(row.serialNumber)?.revokedAt.toISOString() ?? null,
        pem: row.pem,
      }));
    },
  );

  app.post(
    '/certificate-revocations',
    {
      config: admin,
      schema: {
        tags: ['security'],
        summary: 'Revoke a station certificate (ours or a manufacturer CA\'s) by serial number: it can no longer connect',
        body: Type.Object(
          {
            serialNumber: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Fa-f:]+$', description: 'Hexadecimal, colons allowed' }),
            stationId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            reason: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Revocation },
      },
    },
    async (request, reply) => {
      const serialNumber = request.body.serialNumber.replace(/:/g, '');
      const issued = await findCertificate(db, serialNumber);
      // A tenant revokes only what our CA issued to its own stations; another tenant's serial is
      // refused exactly like an unknown one. The platform's people revoke anything, including
      // manufacturers' certificates we never saw.
      const tenantId = tenantOf(request);
      const ours = issued !== undefined && (await stationTenant(db, issued.stationId)) === tenantId;
      if (tenantId !== PLATFORM_TENANT_ID && !ours) throw notFound(`No certificate with serial number ${serialNumber} was issued to your stations`);
      const stationId = issued?.stationId ?? request.body.stationId ?? null;
      const row = await revokeCertificate(db, { serialNumber, stationId, reason: request.body.reason ?? null, revokedBy: request.principal!.name });
      // A station on profile 3 may be connected with it right now: it must show another certificate.
      const live = stationId ? deps.registry.get(stationId) : undefined;
      const station = stationId ? await getStation(db, stationId) : undefined;
      if (live && station && station.securityProfile >= 3) live.connection.close(4001, 'Client certificate revoked');
      return reply.code(201).send({ ...row, revokedAt: row.revokedAt.toISOString() });
    },
  );

  app.get(
    '/certificate-revocations',
    { schema: { tags: ['security'], summary: 'The revocation list', response: { 200: Type.Array(Revocation) } } },
    async (request) => {
      // The platform keeps the whole list (it is what station admission checks); a tenant reads its stations' part.
      const tenantId = tenantOf(request);
      const rows = tenantId === PLATFORM_TENANT_ID ? [...(await revocationsOf(db, undefined)).values()] : await revocationsOfTenant(db, tenantId);
      return rows.map((row) => ({ ...row, revokedAt: row.revokedAt.toISOString() }));
    },
  );

  app.post(
    '/stations/:id/password/rotate',
    {
      config: admin,
      schema: {
        tags: ['security'],
        summary: 'Give the station a new random password (ChangeConfiguration AuthorizationKey); stored only when the station accepts',
        description: 'The old password stays valid until the station first connects with the new one.',
        params: StationId,
        response: { 200: Type.Object({ status: Type.String() }) },
      },
    },
    async (request) => {
      const station = await existing(request.params.id);
      let result;
      try {
        result = await security.passwords.rotate(deps.commands, station.id, request.principal!.name);
      } catch (error) {
        throw seamProblem(error, station.id, 'ChangeConfiguration');
      }
      if (result.status !== 'Accepted' && result.status !== 'RebootRequired') {
        throw conflict(`Station "${station.id}" answered ${result.status}; its password is unchanged`, { stationStatus: result.status });
      }
      deps.services.events.emit('station.updated', { stationId: station.id });
      return { status: result.status };
    },
  );

  app.post(
    '/stations/:id/security-profile/upgrade',
    {
      config: admin,
      schema: {
        tags: ['security'],
        summary: 'Move the station up to a higher security profile (ChangeConfiguration SecurityProfile); required from then on once it accepts',
        params: StationId,
        body: Type.Object(
          {
            securityProfile: SecurityProfileValue,
            manufacturerCertificate: Type.Optional(Type.Boolean({ description: 'Profile 3 with a certificate from a trusted manufacturer CA instead of ours' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ securityProfile: Type.Integer(), status: Type.String() }) },
      },
    },
    async (request) => {
      const station = await existing(request.params.id);
      let result;
      try {
        result = await upgradeSecurityProfile(deps.commands, station, request.body.securityProfile as SecurityProfile, {
          requestedBy: request.principal!.name,
          manufacturerCertificate: request.body.manufacturerCertificate === true,
        });
      } catch (error) {
        throw seamProblem(error, station.id, 'ChangeConfiguration');
      }
      if (!result.ok) throw conflict(result.problem, result.status ? { stationStatus: result.status } : undefined);
      deps.services.events.emit('station.updated', { stationId: station.id });
      return { securityProfile: result.station.securityProfile, status: result.status };
    },
  );

  app.get(
    '/audit-log',
    {
      config: admin,
      schema: {
        tags: ['security'],
        summary: 'Operator actions (every change through the API, allowed or refused), newest first',
        querystring: Type.Object({
          actor: Type.Optional(Type.String()),
          target: Type.Optional(Type.String()),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              at: DateTime,
              actorKind: Type.String(),
              actor: Type.String(),
              role: Type.String(),
              action: Type.String(),
              target: Nullable(Type.String()),
              params: Type.Unknown(),
              outcome: Type.Integer(),
            }),
          ),
        },
      },
    },
    async (request) => (await listAudit(db, { ...request.query, tenantId: tenantOf(request) })).map((row) => ({ ...row, at: row.at.toISOString() })),
  );
}
