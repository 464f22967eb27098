// The error codes a CALLERROR may carry, per OCPP-J 1.6 (Table "Valid Error Codes").
// The spec spells "OccurenceConstraintViolation" with one "r"; the wire needs that spelling.

export const RPC_ERROR_CODES = [
  'NotImplemented', // the action is not known to the receiver
  'NotSupported', // the action is known but not supported by the receiver
  'InternalError', // the receiver failed while processing the action
  'ProtocolError', // the payload (or the frame) is incomplete
  'SecurityError', // a security issue prevented processing
  'FormationViolation', // syntactically incorrect, or not the PDU structure of the action
  'PropertyConstraintViolation', // a field holds an invalid value
  'OccurenceConstraintViolation', // a field violates its occurrence constraints
  'TypeConstraintViolation', // a field has the wrong data type
  'GenericError', // anything else
] as const;

export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

export function isRpcErrorCode(value: unknown): value is RpcErrorCode {
  return typeof value === 'string' && (RPC_ERROR_CODES as readonly string[]).includes(value);
}

/** An error that travels as a CALLERROR: thrown by validation and handlers, or received from a station. */
export class RpcError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RpcError';
  }
}
