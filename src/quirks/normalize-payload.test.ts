import { describe, expect, it } from 'vitest';
import { schemas16 } from '../protocol/v16/schemas.js';
import type { JsonSchema } from '../protocol/validation.js';
import { normalizePayload, rawValueAt, type Repair } from './normalize-payload.js';

const UTC = { naiveTimestampZone: 'UTC' };
const meterValues = schemas16('MeterValues');
const statusNotification = schemas16('StatusNotification');
const startTransaction = schemas16('StartTransaction');

const rules = (repairs: Repair[]) => repairs.map((repair) => `${repair.rule} ${repair.path}`);

describe('normalizePayload', () => {
  it('leaves a valid payload untouched and records nothing', () => {
    const payload = {
      connectorId: 1,
      transactionId: 7,
      meterValue: [{ timestamp: '2024-05-01T10:00:00Z', sampledValue: [{ value: '1500', unit: 'Wh', measurand: 'Energy.Active.Import.Register' }] }],
    };
    const copy = structuredClone(payload);
    const result = normalizePayload(meterValues.request, payload, UTC);
    expect(result.repairs).toEqual([]);
    expect(result.payload).toEqual(copy);
  });

  it('object-as-array: wraps a single object where the schema expects an array, at every level', () => {
    const payload = { connectorId: 1, meterValue: { timestamp: '2024-05-01T10:00:00Z', sampledValue: { value: '1500' } } };
    const { payload: result, repairs } = normalizePayload(meterValues.request, payload, UTC);
    expect(result).toEqual({ connectorId: 1, meterValue: [{ timestamp: '2024-05-01T10:00:00Z', sampledValue: [{ value: '1500' }] }] });
    expect(rules(repairs)).toEqual(['object-as-array /meterValue', 'object-as-array /meterValue/0/sampledValue']);
    expect(rawValueAt(repairs, '/meterValue')).toBe('object');
    expect(meterValues.checkRequest(result)).toBeUndefined();
  });

  it('string-as-number: reads numbers sent as strings into integer fields', () => {
    const payload = { connectorId: '1', transactionId: ' 42 ', meterValue: [] };
    const { payload: result, repairs } = normalizePayload(meterValues.request, payload, UTC);
    expect(result).toEqual({ connectorId: 1, transactionId: 42, meterValue: [] });
    expect(rules(repairs)).toEqual(['string-as-number /connectorId', 'string-as-number /transactionId']);
    expect(rawValueAt(repairs, '/connectorId')).toBe('1');
    expect(rawValueAt(repairs, '/transactionId')).toBe(' 42 ');
    expect(meterValues.checkRequest(result)).toBeUndefined();
  });

  it('string-as-number: reads negative and exponent forms, not other text', () => {
    const schema: JsonSchema = { type: 'object', properties: { n: { type: 'number' } } };
    expect(normalizePayload(schema, { n: '-1.5' }, UTC).payload).toEqual({ n: -1.5 });
    expect(normalizePayload(schema, { n: '1e3' }, UTC).payload).toEqual({ n: 1000 });
    for (const text of ['abc', '', '0x10', '1,5', '12abc', 'NaN', 'Infinity']) {
      const { payload, repairs } = normalizePayload(schema, { n: text }, UTC);
      expect(payload, text).toEqual({ n: text });
      expect(repairs, text).toEqual([]);
    }
  });

  it('fraction-rounded: rounds a fraction sent for an integer field; the raw text stays retrievable', () => {
    const { payload, repairs } = normalizePayload(startTransaction.request, { connectorId: 1.6, idTag: 'A', meterStart: '1000.4', timestamp: '2024-05-01T10:00:00Z' }, UTC);
    expect(payload).toMatchObject({ connectorId: 2, meterStart: 1000 });
    expect(rules(repairs)).toEqual(['fraction-rounded /connectorId', 'string-as-number /meterStart', 'fraction-rounded /meterStart']);
    expect(rawValueAt(repairs, '/connectorId')).toBe(1.6);
    // The first repair at a path holds what the station really sent.
    expect(rawValueAt(repairs, '/meterStart')).toBe('1000.4');
    expect(startTransaction.checkRequest(payload)).toBeUndefined();
  });

  it('fraction-rounded: does not touch fractions in number fields', () => {
    const schema: JsonSchema = { type: 'object', properties: { n: { type: 'number' } } };
    const { payload, repairs } = normalizePayload(schema, { n: 1.6 }, UTC);
    expect(payload).toEqual({ n: 1.6 });
    expect(repairs).toEqual([]);
  });

  it('scalar-as-string: writes numbers and booleans sent for string fields as text', () => {
    const payload = { connectorId: 1, meterValue: [{ timestamp: '2024-05-01T10:00:00Z', sampledValue: [{ value: 1500.5 }, { value: true }] }] };
    const { payload: result, repairs } = normalizePayload(meterValues.request, payload, UTC);
    expect(result).toEqual({ connectorId: 1, meterValue: [{ timestamp: '2024-05-01T10:00:00Z', sampledValue: [{ value: '1500.5' }, { value: 'true' }] }] });
    expect(rules(repairs)).toEqual(['scalar-as-string /meterValue/0/sampledValue/0/value', 'scalar-as-string /meterValue/0/sampledValue/1/value']);
    expect(rawValueAt(repairs, '/meterValue/0/sampledValue/0/value')).toBe(1500.5);
    expect(rawValueAt(repairs, '/meterValue/0/sampledValue/1/value')).toBe(true);
    expect(meterValues.checkRequest(result)).toBeUndefined();
  });

  it('scalar-as-string: leaves objects in string fields for validation to refuse', () => {
    const { payload, repairs } = normalizePayload(schemas16('Authorize').request, { idTag: { id: 'A' } }, UTC);
    expect(payload).toEqual({ idTag: { id: 'A' } });
    expect(repairs).toEqual([]);
    expect(schemas16('Authorize').checkRequest(payload)?.code).toBe('TypeConstraintViolation');
  });

  it('timestamp: rewrites loose timestamps to RFC 3339 and keeps the raw text', () => {
    const payload = {
      connectorId: 1,
      meterValue: [
        { timestamp: '2024-05-01 10:00:00', sampledValue: [{ value: '1' }] },
        { timestamp: '2024-05-01T10:00:00+0200', sampledValue: [{ value: '2' }] },
        { timestamp: '2024-05-01T10:00:00Z', sampledValue: [{ value: '3' }] },
      ],
    };
    const { payload: result, repairs } = normalizePayload(meterValues.request, payload, UTC);
    expect((result as typeof payload).meterValue.map((value) => value.timestamp)).toEqual([
      '2024-05-01T10:00:00Z',
      '2024-05-01T10:00:00+02:00',
      '2024-05-01T10:00:00Z',
    ]);
    expect(rules(repairs)).toEqual(['timestamp /meterValue/0/timestamp', 'timestamp /meterValue/1/timestamp']);
    expect(rawValueAt(repairs, '/meterValue/0/timestamp')).toBe('2024-05-01 10:00:00');
    expect(rawValueAt(repairs, '/meterValue/1/timestamp')).toBe('2024-05-01T10:00:00+0200');
    expect(rawValueAt(repairs, '/meterValue/2/timestamp')).toBeUndefined();
    expect(meterValues.checkRequest(result)).toBeUndefined();
  });

  it('timestamp: reads a naive timestamp in the given IANA zone, honouring daylight-saving time', () => {
    const summer = normalizePayload(statusNotification.request, { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: '2024-07-01 10:00:00' }, { naiveTimestampZone: 'Europe/Berlin' });
    const winter = normalizePayload(statusNotification.request, { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: '2024-01-15T10:00:00' }, { naiveTimestampZone: 'Europe/Berlin' });
    const summerAt = (summer.payload as { timestamp: string }).timestamp;
    const winterAt = (winter.payload as { timestamp: string }).timestamp;
    expect(Date.parse(summerAt)).toBe(Date.parse('2024-07-01T08:00:00Z'));
    expect(Date.parse(winterAt)).toBe(Date.parse('2024-01-15T09:00:00Z'));
    expect(rawValueAt(summer.repairs, '/timestamp')).toBe('2024-07-01 10:00:00');
    expect(rawValueAt(winter.repairs, '/timestamp')).toBe('2024-01-15T10:00:00');
    expect(statusNotification.checkRequest(summer.payload)).toBeUndefined();
    expect(statusNotification.checkRequest(winter.payload)).toBeUndefined();
  });

  it('timestamp: leaves an unreadable timestamp for validation to refuse', () => {
    const payload = { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: 'yesterday' };
    const { payload: result, repairs } = normalizePayload(statusNotification.request, payload, UTC);
    expect(result).toMatchObject({ timestamp: 'yesterday' });
    expect(repairs).toEqual([]);
    expect(statusNotification.checkRequest(result)?.code).toBe('PropertyConstraintViolation');
  });

  it('enum-case: maps an enum value in the wrong letter case (or padded) onto the schema spelling', () => {
    const payload = { connectorId: 1, errorCode: 'noerror', status: ' CHARGING ' };
    const { payload: result, repairs } = normalizePayload(statusNotification.request, payload, UTC);
    expect(result).toEqual({ connectorId: 1, errorCode: 'NoError', status: 'Charging' });
    expect(rules(repairs)).toEqual(['enum-case /errorCode', 'enum-case /status']);
    expect(rawValueAt(repairs, '/errorCode')).toBe('noerror');
    expect(rawValueAt(repairs, '/status')).toBe(' CHARGING ');
    expect(statusNotification.checkRequest(result)).toBeUndefined();
  });

  it('enum-case: maps units and measurands too, and leaves unknown values for validation', () => {
    const payload = { connectorId: 1, meterValue: [{ timestamp: '2024-05-01T10:00:00Z', sampledValue: [{ value: '1', unit: 'KWH', measurand: 'energy.active.import.register' }] }] };
    const { payload: result } = normalizePayload(meterValues.request, payload, UTC);
    expect((result as typeof payload).meterValue[0]!.sampledValue[0]).toEqual({ value: '1', unit: 'kWh', measurand: 'Energy.Active.Import.Register' });
    const unknown = normalizePayload(statusNotification.request, { connectorId: 1, errorCode: 'NoError', status: 'Flying' }, UTC);
    expect(unknown.repairs).toEqual([]);
    expect(statusNotification.checkRequest(unknown.payload)?.code).toBe('PropertyConstraintViolation');
  });

  it('null-as-absent: drops null in optional fields, keeps it in required ones', () => {
    const payload = { connectorId: 1, transactionId: null, meterValue: [{ timestamp: '2024-05-01T10:00:00Z', sampledValue: [{ value: '1', unit: null, context: null }] }] };
    const { payload: result, repairs } = normalizePayload(meterValues.request, payload, UTC);
    expect(result).toEqual({ connectorId: 1, meterValue: [{ timestamp: '2024-05-01T10:00:00Z', sampledValue: [{ value: '1' }] }] });
    expect(rules(repairs)).toEqual([
      'null-as-absent /transactionId',
      'null-as-absent /meterValue/0/sampledValue/0/context',
      'null-as-absent /meterValue/0/sampledValue/0/unit',
    ]);
    expect(repairs.every((repair) => repair.from === null)).toBe(true);
    expect(meterValues.checkRequest(result)).toBeUndefined();

    const required = normalizePayload(meterValues.request, { connectorId: null, meterValue: [] }, UTC);
    expect(required.payload).toEqual({ connectorId: null, meterValue: [] });
    expect(required.repairs).toEqual([]);
    expect(meterValues.checkRequest(required.payload)?.code).toBe('TypeConstraintViolation');
  });

  it('empty-as-absent: drops an empty string in an optional enum field only', () => {
    const payload = { connectorId: 1, meterValue: [{ timestamp: '2024-05-01T10:00:00Z', sampledValue: [{ value: '1', unit: '', phase: '' }] }] };
    const { payload: result, repairs } = normalizePayload(meterValues.request, payload, UTC);
    expect(result).toEqual({ connectorId: 1, meterValue: [{ timestamp: '2024-05-01T10:00:00Z', sampledValue: [{ value: '1' }] }] });
    expect(rules(repairs)).toEqual(['empty-as-absent /meterValue/0/sampledValue/0/phase', 'empty-as-absent /meterValue/0/sampledValue/0/unit']);
    expect(rawValueAt(repairs, '/meterValue/0/sampledValue/0/unit')).toBe('');
    expect(meterValues.checkRequest(result)).toBeUndefined();

    // A free-text optional field keeps its empty string; a required enum field is left for validation.
    const info = normalizePayload(statusNotification.request, { connectorId: 1, errorCode: 'NoError', status: 'Available', info: '' }, UTC);
    expect(info.payload).toMatchObject({ info: '' });
    expect(info.repairs).toEqual([]);
    const requiredEnum = normalizePayload(statusNotification.request, { connectorId: 1, errorCode: 'NoError', status: '' }, UTC);
    expect(requiredEnum.payload).toMatchObject({ status: '' });
    expect(statusNotification.checkRequest(requiredEnum.payload)?.code).toBe('PropertyConstraintViolation');
  });

  it('repairs in place and returns the same object', () => {
    const payload = { connectorId: '1', meterValue: [] };
    const result = normalizePayload(meterValues.request, payload, UTC);
    expect(result.payload).toBe(payload);
    expect(payload.connectorId).toBe(1);
  });

  it('leaves a payload that is not an object alone for validation to refuse', () => {
    for (const payload of [null, 'text', 42, [{ connectorId: 1 }]]) {
      const result = normalizePayload(meterValues.request, payload, UTC);
      expect(result.payload, JSON.stringify(payload)).toEqual(payload);
      expect(result.repairs).toEqual([]);
    }
  });

  it('does not touch properties the schema does not know (validation refuses them)', () => {
    const { payload, repairs } = normalizePayload(schemas16('Heartbeat').request, { extra: null }, UTC);
    expect(payload).toEqual({ extra: null });
    expect(repairs).toEqual([]);
  });

  it('combines several repairs in one payload, recording each once', () => {
    const payload = {
      connectorId: '2',
      transactionId: null,
      meterValue: { timestamp: '2024-05-01 10:00:00+02', sampledValue: [{ value: 12.5, unit: 'kwh', measurand: 'Energy.Active.Import.Register', location: '' }] },
    };
    const { payload: result, repairs } = normalizePayload(meterValues.request, payload, UTC);
    expect(result).toEqual({
      connectorId: 2,
      meterValue: [{ timestamp: '2024-05-01T10:00:00+02:00', sampledValue: [{ value: '12.5', unit: 'kWh', measurand: 'Energy.Active.Import.Register' }] }],
    });
    expect(repairs.map((repair) => repair.rule).sort()).toEqual(
      ['empty-as-absent', 'enum-case', 'null-as-absent', 'object-as-array', 'scalar-as-string', 'string-as-number', 'timestamp'].sort(),
    );
    expect(rawValueAt(repairs, '/meterValue/0/timestamp')).toBe('2024-05-01 10:00:00+02');
    expect(rawValueAt(repairs, '/meterValue/0/sampledValue/0/unit')).toBe('kwh');
    expect(rawValueAt(repairs, '/nowhere')).toBeUndefined();
    expect(meterValues.checkRequest(result)).toBeUndefined();
  });
});
