import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RpcError } from './ocpp-j/rpc-error.js';
import { compileCheck, createAjv, toRpcError, type JsonSchema } from './validation.js';
import { schemas16 } from './v16/schemas.js';
import { CENTRAL_SYSTEM_ACTIONS, CHARGE_POINT_ACTIONS } from './v16/actions.js';

const ajv = createAjv();

/** Compiles `schema` and returns the RpcError for `payload` (which must be invalid). */
function errorFor(schema: JsonSchema, payload: unknown): RpcError {
  const error = compileCheck(ajv, schema)(payload);
  if (!error) throw new Error(`expected ${JSON.stringify(payload)} to be invalid`);
  return error;
}

const object = (properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema => ({
  type: 'object',
  properties,
  additionalProperties: false,
  ...extra,
});

describe('toRpcError maps each ajv keyword onto the OCPP-J error code', () => {
  it('required → OccurenceConstraintViolation, naming the property', () => {
    const error = errorFor(object({ idTag: { type: 'string' } }, { required: ['idTag'] }), {});
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe('OccurenceConstraintViolation');
    expect(error.message).toContain('"idTag"');
    expect(error.details).toEqual({ path: '', keyword: 'required' });
  });

  it('required inside a nested object names the nested path', () => {
    const schema = object({ idTagInfo: object({ status: { type: 'string' } }, { required: ['status'] }) });
    const error = errorFor(schema, { idTagInfo: {} });
    expect(error.code).toBe('OccurenceConstraintViolation');
    expect(error.details).toEqual({ path: '/idTagInfo', keyword: 'required' });
    expect(error.message).toContain('/idTagInfo');
  });

  it('minItems and maxItems → OccurenceConstraintViolation', () => {
    const schema = object({ list: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 2 } });
    expect(errorFor(schema, { list: [] })).toMatchObject({ code: 'OccurenceConstraintViolation', details: { path: '/list', keyword: 'minItems' } });
    expect(errorFor(schema, { list: [1, 2, 3] })).toMatchObject({ code: 'OccurenceConstraintViolation', details: { path: '/list', keyword: 'maxItems' } });
  });

  it('type of a field → TypeConstraintViolation', () => {
    const error = errorFor(object({ connectorId: { type: 'integer' } }), { connectorId: 'one' });
    expect(error).toMatchObject({ code: 'TypeConstraintViolation', details: { path: '/connectorId', keyword: 'type' } });
    expect(error.message).toContain('/connectorId');
  });

  it('type of the payload itself → FormationViolation (not even an object)', () => {
    const schema = object({});
    for (const payload of [null, [], 'text', 42]) {
      expect(errorFor(schema, payload), JSON.stringify(payload)).toMatchObject({ code: 'FormationViolation', details: { path: '', keyword: 'type' } });
    }
  });

  it('additionalProperties → FormationViolation, naming the property', () => {
    const error = errorFor(object({}), { surprise: 1 });
    expect(error).toMatchObject({ code: 'FormationViolation', details: { path: '', keyword: 'additionalProperties' } });
    expect(error.message).toContain('"surprise"');
  });

  it('enum → PropertyConstraintViolation, listing the allowed values', () => {
    const error = errorFor(object({ status: { type: 'string', enum: ['Accepted', 'Rejected'] } }), { status: 'Maybe' });
    expect(error).toMatchObject({ code: 'PropertyConstraintViolation', details: { path: '/status', keyword: 'enum' } });
    expect(error.message).toContain('["Accepted","Rejected"]');
  });

  it('every other keyword (maxLength, format, minimum) → PropertyConstraintViolation', () => {
    expect(errorFor(object({ idTag: { type: 'string', maxLength: 20 } }), { idTag: 'x'.repeat(21) })).toMatchObject({
      code: 'PropertyConstraintViolation',
      details: { path: '/idTag', keyword: 'maxLength' },
    });
    expect(errorFor(object({ at: { type: 'string', format: 'date-time' } }), { at: 'yesterday' })).toMatchObject({
      code: 'PropertyConstraintViolation',
      details: { path: '/at', keyword: 'format' },
    });
    expect(errorFor(object({ n: { type: 'integer', minimum: 0 } }), { n: -1 })).toMatchObject({
      code: 'PropertyConstraintViolation',
      details: { path: '/n', keyword: 'minimum' },
    });
  });

  it('no error information at all → FormationViolation', () => {
    expect(toRpcError(null).code).toBe('FormationViolation');
    expect(toRpcError(undefined).code).toBe('FormationViolation');
    expect(toRpcError([]).code).toBe('FormationViolation');
  });

  it('uses only the first of several errors', () => {
    const errors = [
      { keyword: 'enum', instancePath: '/a', schemaPath: '#', params: { allowedValues: ['X'] } },
      { keyword: 'required', instancePath: '', schemaPath: '#', params: { missingProperty: 'b' } },
    ] as ErrorObject[];
    expect(toRpcError(errors)).toMatchObject({ code: 'PropertyConstraintViolation', details: { path: '/a', keyword: 'enum' } });
  });
});

describe('compileCheck', () => {
  it('returns undefined for a valid payload', () => {
    expect(compileCheck(ajv, object({ a: { type: 'string' } }, { required: ['a'] }))({ a: 'x' })).toBeUndefined();
  });

  it('ignores $id, so one schema can be compiled twice on the same ajv', () => {
    const schema = { $id: 'urn:same', ...object({ a: { type: 'string' } }) };
    const first = compileCheck(ajv, schema);
    const second = compileCheck(ajv, schema);
    expect(first({ a: 'x' })).toBeUndefined();
    expect(second({ a: 1 })?.code).toBe('TypeConstraintViolation');
  });

  it('checks date-time strictly: an offset is required, a real date is required', () => {
    const check = compileCheck(ajv, object({ at: { type: 'string', format: 'date-time' } }));
    expect(check({ at: '2024-05-01T10:00:00Z' })).toBeUndefined();
    expect(check({ at: '2024-05-01T10:00:00.123+02:00' })).toBeUndefined();
    expect(check({ at: '2024-05-01T10:00:00' })?.code).toBe('PropertyConstraintViolation');
    expect(check({ at: '2024-02-30T10:00:00Z' })?.code).toBe('PropertyConstraintViolation');
  });
});

describe('the OCPP 1.6 schemas', () => {
  it('compile for every action in both directions', () => {
    for (const action of [...CHARGE_POINT_ACTIONS, ...CENTRAL_SYSTEM_ACTIONS]) {
      const schemas = schemas16(action);
      expect(typeof schemas.checkRequest, action).toBe('function');
      expect(typeof schemas.checkResponse, action).toBe('function');
    }
  });

  it('map real 1.6 violations onto the codes a charger expects', () => {
    const boot = schemas16('BootNotification').checkRequest;
    expect(boot({ chargePointVendor: 'V', chargePointModel: 'M' })).toBeUndefined();
    expect(boot({ chargePointVendor: 'V' })?.code).toBe('OccurenceConstraintViolation');
    expect(boot({ chargePointVendor: 'V', chargePointModel: 7 })?.code).toBe('TypeConstraintViolation');
    expect(boot({ chargePointVendor: 'V', chargePointModel: 'M', colour: 'red' })?.code).toBe('FormationViolation');
    expect(boot({ chargePointVendor: 'V'.repeat(51), chargePointModel: 'M' })?.code).toBe('PropertyConstraintViolation');
    const status = schemas16('StatusNotification').checkRequest;
    expect(status({ connectorId: 1, errorCode: 'NoError', status: 'Flying' })?.code).toBe('PropertyConstraintViolation');
    expect(schemas16('Heartbeat').checkRequest([])?.code).toBe('FormationViolation');
  });

  it('know the one action the package publishes under another name', () => {
    expect(schemas16('SignedFirmwareStatusNotification').checkRequest({ status: 'Downloading' })).toBeUndefined();
  });

  it('refuse an action that is not 1.6', () => {
    expect(() => schemas16('NoSuchAction' as never)).toThrow(/Unknown OCPP 1.6 action/);
  });
});
