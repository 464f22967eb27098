// Schema-guided repair of a payload before validation. Walks the action's official schema next
// to the payload and fixes only what has one clear meaning: a single object where an array is
// expected, numbers sent as strings (and back), loose timestamps, enum values in the wrong letter
// case, null or empty optional fields. Every repair is recorded, so raw values are never lost.

import type { JsonSchema } from '../protocol/validation.js';
import { repairTimestamp } from './timestamps.js';

export interface Repair {
  /** JSON pointer into the payload, e.g. /meterValue/0/timestamp */
  path: string;
  rule:
    | 'object-as-array'
    | 'string-as-number'
    | 'fraction-rounded'
    | 'scalar-as-string'
    | 'timestamp'
    | 'enum-case'
    | 'null-as-absent'
    | 'empty-as-absent';
  from: unknown;
}

export interface NormalizeOptions {
  /** IANA zone for timestamps that carry no offset. */
  naiveTimestampZone: string;
}

type Json = unknown;
const NUMERIC = /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function schemaType(schema: JsonSchema): string | undefined {
  const type = schema['type'];
  return typeof type === 'string' ? type : undefined;
}

function walk(schema: JsonSchema, value: Json, path: string, options: NormalizeOptions, repairs: Repair[]): Json {
  switch (schemaType(schema)) {
    case 'object': {
      if (!isObject(value)) return value;
      const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
      const required = new Set((schema['required'] ?? []) as string[]);
      for (const [name, propertySchema] of Object.entries(properties)) {
        if (!(name in value)) continue;
        const current = value[name];
        const at = `${path}/${name}`;
        if (!required.has(name) && current === null) {
          repairs.push({ path: at, rule: 'null-as-absent', from: null });
          delete value[name];
          continue;
        }
        if (!required.has(name) && current === '' && Array.isArray(propertySchema['enum'])) {
          repairs.push({ path: at, rule: 'empty-as-absent', from: '' });
          delete value[name];
          continue;
        }
        value[name] = walk(propertySchema, current, at, options, repairs);
      }
      return value;
    }
    case 'array': {
      let list = value;
      if (isObject(value)) {
        repairs.push({ path, rule: 'object-as-array', from: 'object' });
        list = [value];
      }
      if (!Array.isArray(list)) return value;
      const items = schema['items'];
      if (isObject(items)) {
        for (let i = 0; i < list.length; i++) list[i] = walk(items, list[i], `${path}/${i}`, options, repairs);
      }
      return list;
    }
    case 'integer':
    case 'number': {
      let number = value;
      if (typeof value === 'string' && NUMERIC.test(value)) {
        repairs.push({ path, rule: 'string-as-number', from: value });
        number = Number(value);
      }
      if (schemaType(schema) === 'integer' && typeof number === 'number' && !Number.isInteger(number) && Number.isFinite(number)) {
        repairs.push({ path, rule: 'fraction-rounded', from: number });
        number = Math.round(number);
      }
      return number;
    }
    case 'string': {
      let text = value;
      if (typeof value === 'number' || typeof value === 'boolean') {
        repairs.push({ path, rule: 'scalar-as-string', from: value });
        text = String(value);
      }
      if (typeof text !== 'string') return text;
      if (schema['format'] === 'date-time') {
        const repaired = repairTimestamp(text, options.naiveTimestampZone);
        if (repaired !== undefined && repaired !== text) {
          repairs.push({ path, rule: 'timestamp', from: text });
          return repaired;
        }
        return text;
      }
      const allowed = schema['enum'];
      if (Array.isArray(allowed) && !allowed.includes(text)) {
        const lower = text.trim().toLowerCase();
        const canonical = allowed.find((candidate) => typeof candidate === 'string' && candidate.toLowerCase() === lower);
        if (typeof canonical === 'string') {
          repairs.push({ path, rule: 'enum-case', from: text });
          return canonical;
        }
      }
      return text;
    }
    default:
      return value;
  }
}

/** Repairs `payload` in place where the schema makes the meaning clear; returns it and what changed. */
export function normalizePayload(
  schema: JsonSchema,
  payload: Json,
  options: NormalizeOptions,
): { payload: Json; repairs: Repair[] } {
  const repairs: Repair[] = [];
  const result = walk(schema, payload, '', options, repairs);
  return { payload: result, repairs };
}

/** The raw value a repair replaced at `path`, if any (e.g. the timestamp text a charger sent). */
export function rawValueAt(repairs: readonly Repair[], path: string): unknown {
  return repairs.find((repair) => repair.path === path)?.from;
}
