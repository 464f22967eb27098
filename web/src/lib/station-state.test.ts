import { describe, expect, it } from 'vitest';
import type { Connector, Station } from '../api/types';
import { mergeFetched, withConnectorStatus } from './station-state';

const connector = (connectorId: number, status: string, statusAt: string): Connector => ({
  connectorId,
  status,
  errorCode: 'NoError',
  info: null,
  vendorErrorCode: null,
  statusAt,
});
const station = (connectors: Connector[]): Station => ({
  id: 'CP-1',
  registration: 'accepted',
  online: true,
  lastSeenAt: null,
  lastBootAt: null,
  vendor: null,
  model: null,
  serialNumber: null,
  firmwareVersion: null,
  meterType: null,
  siteId: null,
  timeZone: null,
  hasPassword: false,
  securityProfile: 0,
  connectors,
  createdAt: '2025-01-01T00:00:00Z',
});

describe('station state on screen', () => {
  it('applies a newer status, ignores an older one, and keeps connectors in order', () => {
    const shown = [connector(2, 'Available', '2025-01-01T10:00:00Z')];
    const added = withConnectorStatus(shown, connector(1, 'Charging', '2025-01-01T10:01:00Z'));
    expect(added.map((item) => item.connectorId)).toEqual([1, 2]);
    expect(withConnectorStatus(added, connector(1, 'Available', '2025-01-01T09:00:00Z'))[0]?.status).toBe('Charging');
    expect(withConnectorStatus(added, connector(1, 'Finishing', '2025-01-01T10:02:00Z'))[0]?.status).toBe('Finishing');
  });

  it('keeps statuses that arrived live while an older copy was being fetched', () => {
    const fetched = station([connector(1, 'Preparing', '2025-01-01T10:00:00Z')]);
    const shown = station([connector(1, 'Charging', '2025-01-01T10:00:05Z'), connector(2, 'Available', '2025-01-01T10:00:05Z')]);
    expect(mergeFetched(fetched, shown).connectors.map((item) => item.status)).toEqual(['Charging', 'Available']);
    expect(mergeFetched(fetched, undefined)).toBe(fetched);
  });
});
