// Sending OCPP commands to a station through the backend's command API (the same path scripts
// use; every command is recorded with who sent it).

import { api } from './client';

/** Sends `action` with its OCPP payload; resolves with the station's answer. */
export async function sendCommand(stationId: string, action: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { response } = await api<{ response: Record<string, unknown> }>('POST', `/api/v1/stations/${encodeURIComponent(stationId)}/commands/${action}`, payload);
  return response;
}

/** "RemoteStartTransaction: Accepted" from a station's answer. */
export function describeAnswer(action: string, response: Record<string, unknown>): string {
  const status = typeof response['status'] === 'string' ? response['status'] : 'answered';
  return `${action}: ${status}`;
}
