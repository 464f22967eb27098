import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcppTestClient, boot } from './support/ocpp-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('a charger runs a whole session', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.api('POST', '/api/v1/id-tags', { idTag: 'CARD-1' });
  });
  afterAll(() => server.close());

  it('boots, authorizes, starts, meters and stops', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('SMOKE-1'));
    expect((await boot(client)).status).toBe('Accepted');
    expect((await client.call('Authorize', { idTag: 'card-1' })).idTagInfo.status).toBe('Accepted');
    const start = await client.call('StartTransaction', { connectorId: 1, idTag: 'CARD-1', meterStart: 1000, timestamp: new Date().toISOString() });
    expect(start.idTagInfo.status).toBe('Accepted');
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
    });
    await client.call('StopTransaction', { transactionId: start.transactionId, meterStop: 2000, timestamp: new Date(Date.now() + 3600_000).toISOString() });
    const session = await server.api('GET', `/api/v1/sessions/${start.transactionId}`);
    expect(session.body).toMatchObject({ stationId: 'SMOKE-1', energyWh: 1000, meterStartWh: 1000, meterStopWh: 2000, active: false });
    await client.close();
  });
});
