// Sending OCPP commands to a station through the backend's command API (the same path scripts
// use; every command is recorded with who sent it), and reporting the station's answer.

import { useState } from 'preact/hooks';
import { api, errorText } from './client';

export type CommandOutcome = { tone: 'ok' | 'error'; text: string };

/** Answers that mean the station will do what was asked. */
const AGREED = new Set(['Accepted', 'Unlocked', 'RebootRequired']);

/** Sends `action` with its OCPP payload; resolves with the station's answer. */
export async function sendCommand(stationId: string, action: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { response } = await api<{ response: Record<string, unknown> }>('POST', `/api/v1/stations/${encodeURIComponent(stationId)}/commands/${action}`, payload);
  return response;
}

/**
 * A button's command: asks first when `confirmText` is given, is `busy` meanwhile, and reports
 * "RemoteStartTransaction: Accepted" (after `label`, e.g. "Connector 1: ") or why it failed.
 */
export function useCommand(stationId: string, onOutcome: (outcome: CommandOutcome) => void, label = '') {
  const [busy, setBusy] = useState(false);
  const run = async (action: string, payload: Record<string, unknown>, confirmText?: string): Promise<Record<string, unknown> | undefined> => {
    if (confirmText && !window.confirm(confirmText)) return undefined;
    setBusy(true);
    try {
      const response = await sendCommand(stationId, action, payload);
      const status = typeof response['status'] === 'string' ? response['status'] : 'answered';
      onOutcome({ tone: AGREED.has(status) || status === 'answered' ? 'ok' : 'error', text: `${label}${action}: ${status}` });
      return response;
    } catch (error) {
      onOutcome({ tone: 'error', text: `${label}${action} failed: ${errorText(error)}` });
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}
