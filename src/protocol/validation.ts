// Compiles the official OCPP JSON schemas once and maps schema violations onto the OCPP-J error
// codes, so every version validates the same way and answers with the CALLERROR the spec names.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createRequire } from 'node:module';
import { RpcError, type RpcErrorCode } from './ocpp-j/rpc-error.js';

export type JsonSchema = Record<string, unknown>;

const require = createRequire(import.meta.url);

export function createAjv(): Ajv {
  // strict: false because the OCA schemas carry non-standard keywords (javaType, comment, ...).
  // multipleOfPrecision: without it 31.9 fails "multipleOf 0.1" (31.9 / 0.1 = 318.99999999999994).
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false, multipleOfPrecision: 6 });
  // The OCA schemas declare draft-06; ajv 8 ships it as a meta-schema to be added.
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as JsonSchema);
  addFormats.default(ajv, ['date-time', 'uri']);
  return ajv;
}

/** The first violation of a payload, as the CALLERROR an OCPP-J peer expects. */
export function toRpcError(errors: ErrorObject[] | null | undefined): RpcError {
  const first = errors?.[0];
  if (!first) return new RpcError('FormationViolation', 'Payload does not match the schema');
  const where = first.instancePath === '' ? 'payload' : first.instancePath;
  let code: RpcErrorCode;
  let message: string;
  switch (first.keyword) {
    case 'required':
      code = 'OccurenceConstraintViolation';
      message = `${where}: required property "${String(first.params['missingProperty'])}" is missing`;
      break;
    case 'minItems':
    case 'maxItems':
      code = 'OccurenceConstraintViolation';
      message = `${where} ${first.message ?? 'has the wrong number of items'}`;
      break;
    case 'type':
      // A payload that is not even an object is a broken PDU, not a wrongly typed field.
      code = first.instancePath === '' ? 'FormationViolation' : 'TypeConstraintViolation';
      message = `${where} ${first.message ?? 'has the wrong type'}`;
      break;
    case 'additionalProperties':
      code = 'FormationViolation';
      message = `${where}: property "${String(first.params['additionalProperty'])}" is not allowed`;
      break;
    case 'enum':
      code = 'PropertyConstraintViolation';
      message = `${where} must be one of ${JSON.stringify(first.params['allowedValues'])}`;
      break;
    default:
      code = 'PropertyConstraintViolation';
      message = `${where} ${first.message ?? 'is invalid'}`;
  }
  return new RpcError(code, message, { path: first.instancePath, keyword: first.keyword });
}

/** Validates `payload`; returns undefined when valid, else the RpcError to answer with. */
export type PayloadCheck = (payload: unknown) => RpcError | undefined;

export function compileCheck(ajv: Ajv, schema: JsonSchema): PayloadCheck {
  // A schema's $id would clash when one schema serves two directions (DataTransfer); we key
  // compiled checks ourselves, so the id is dropped.
  const { $id: _id, ...body } = schema;
  const validate: ValidateFunction = ajv.compile(body);
  return (payload) => (validate(payload) ? undefined : toRpcError(validate.errors));
}
