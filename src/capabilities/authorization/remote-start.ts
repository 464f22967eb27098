// A remote start from the API or an app is authorized like a card presented at the station,
// before anything is sent: whatever the station's AuthorizeRemoteTxRequests, the tag must be
// one that may charge. A tag that would be refused is refused with 422, unless the operator
// forces the start; a forced start is recorded, and the StartTransaction (and Authorize) that
// follow from that station with that tag are answered Accepted (decide.ts).

import { ApiProblem } from '../../api/problem.js';
import { schemas16 } from '../../protocol/v16/schemas.js';
import type { CentralSystemRequest } from '../../protocol/v16/actions.js';
import type { Services } from '../handler-context.js';
import { decideRemoteStart, decisionContext, type IdTagInfo } from './decide.js';
import { recordForcedRemoteStart } from './forced-remote-starts.js';

const WHY: Record<IdTagInfo['status'], string> = {
  Accepted: 'may charge',
  Blocked: 'is blocked',
  Expired: 'has expired',
  Invalid: 'is not known',
  ConcurrentTx: 'has reached its limit of concurrent transactions',
};

/**
 * Checks the RemoteStartTransaction payload `body` for `stationId`; throws a 422 problem when its
 * idTag would be refused and `force` is not set. A payload that breaks the schema is left for
 * sendCommand to refuse (400).
 */
export async function authorizeRemoteStart(
  services: Pick<Services, 'db' | 'clock' | 'config'>,
  stationId: string,
  body: unknown,
  options: { force: boolean; requestedBy: string; tenantId: number },
): Promise<void> {
  if (schemas16('RemoteStartTransaction').checkRequest(body)) return;
  const request = body as CentralSystemRequest<'RemoteStartTransaction'>;
  const context = decisionContext(services, options.tenantId);
  const info = await decideRemoteStart(services.db, request.idTag, context);
  if (info.status === 'Accepted') return;
  if (!options.force) {
    throw new ApiProblem(
      422,
      'Unprocessable Content',
      `Id tag "${request.idTag}" ${WHY[info.status]} (${info.status}), so the remote start was not sent; add ?force=true to start it anyway`,
      { idTagInfo: info },
    );
  }
  await recordForcedRemoteStart(services.db, {
    stationId,
    connectorId: request.connectorId ?? null,
    idTag: request.idTag,
    refusedStatus: info.status,
    requestedBy: options.requestedBy,
    requestedAt: context.at,
  });
}
