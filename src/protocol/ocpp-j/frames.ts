// OCPP-J framing: a frame is a JSON array [type, id, ...]. Parsing never throws: whatever a
// peer sends becomes either a frame or a description of what is wrong with it, so the gateway
// can answer with the right CALLERROR and keep the connection.

import { RpcError, isRpcErrorCode, type RpcErrorCode } from './rpc-error.js';

export const CALL = 2;
export const CALLRESULT = 3;
export const CALLERROR = 4;

/** Message ids are strings per spec; a few chargers send numbers, which we echo back unchanged. */
export type MessageId = string | number;

/** Used in a CALLERROR when the offending frame's id cannot be read (as OCPP 2.0.1 specifies). */
export const UNKNOWN_MESSAGE_ID = '-1';

/** The spec caps message ids at 36 characters; we allow a little slack but refuse absurd ones. */
const MAX_MESSAGE_ID_LENGTH = 128;

export interface Call {
  type: typeof CALL;
  id: MessageId;
  action: string;
  payload: unknown;
}
export interface CallResult {
  type: typeof CALLRESULT;
  id: MessageId;
  payload: unknown;
}
export interface CallError {
  type: typeof CALLERROR;
  id: MessageId;
  code: RpcErrorCode;
  description: string;
  details: unknown;
}
export type Frame = Call | CallResult | CallError;

export type ParsedFrame =
  | { ok: true; frame: Frame }
  /** `id` is the frame's id where it could be read; `answerable` is false for broken replies. */
  | { ok: false; id: MessageId; error: RpcError; answerable: boolean };

function readableId(value: unknown): value is MessageId {
  return (
    (typeof value === 'string' && value.length > 0 && value.length <= MAX_MESSAGE_ID_LENGTH) ||
    (typeof value === 'number' && Number.isSafeInteger(value))
  );
}

function broken(id: MessageId, code: RpcErrorCode, message: string, answerable = true): ParsedFrame {
  return { ok: false, id, error: new RpcError(code, message), answerable };
}

export function parseFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return broken(UNKNOWN_MESSAGE_ID, 'FormationViolation', 'Frame is not valid JSON');
  }
  if (!Array.isArray(value)) {
    return broken(UNKNOWN_MESSAGE_ID, 'FormationViolation', 'Frame is not a JSON array');
  }
  const [type, id] = value as unknown[];
  if (!readableId(id)) {
    // A CALLRESULT or CALLERROR is never answered, not even when its id is broken.
    const isReply = type === CALLRESULT || type === CALLERROR;
    return broken(UNKNOWN_MESSAGE_ID, 'FormationViolation', 'Frame has no valid message id', !isReply);
  }
  switch (type) {
    case CALL: {
      if (value.length < 4) return broken(id, 'ProtocolError', 'CALL must be [2, id, action, payload]');
      const [, , action, payload] = value as unknown[];
      if (typeof action !== 'string' || action.length === 0) {
        return broken(id, 'FormationViolation', 'CALL action must be a non-empty string');
      }
      return { ok: true, frame: { type: CALL, id, action, payload } };
    }
    case CALLRESULT: {
      if (value.length < 3) return broken(id, 'ProtocolError', 'CALLRESULT must be [3, id, payload]', false);
      return { ok: true, frame: { type: CALLRESULT, id, payload: value[2] } };
    }
    case CALLERROR: {
      const [, , code, description, details] = value as unknown[];
      return {
        ok: true,
        frame: {
          type: CALLERROR,
          id,
          // A peer's unknown error code is kept as GenericError rather than dropped.
          code: isRpcErrorCode(code) ? code : 'GenericError',
          description: typeof description === 'string' ? description : '',
          details: details ?? {},
        },
      };
    }
    default:
      return broken(id, 'FormationViolation', `Unknown message type ${JSON.stringify(type)}`);
  }
}

export function serializeCall(id: MessageId, action: string, payload: unknown): string {
  return JSON.stringify([CALL, id, action, payload]);
}

export function serializeCallResult(id: MessageId, payload: unknown): string {
  return JSON.stringify([CALLRESULT, id, payload]);
}

export function serializeCallError(id: MessageId, error: RpcError): string {
  return JSON.stringify([CALLERROR, id, error.code, error.message, error.details]);
}
