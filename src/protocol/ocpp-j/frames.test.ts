import { describe, expect, it } from 'vitest';
import {
  CALL,
  CALLERROR,
  CALLRESULT,
  UNKNOWN_MESSAGE_ID,
  parseFrame,
  serializeCall,
  serializeCallError,
  serializeCallResult,
  type ParsedFrame,
} from './frames.js';
import { RPC_ERROR_CODES, RpcError, isRpcErrorCode } from './rpc-error.js';

function failure(parsed: ParsedFrame) {
  if (parsed.ok) throw new Error(`expected a broken frame, got ${JSON.stringify(parsed.frame)}`);
  return parsed;
}
function success(parsed: ParsedFrame) {
  if (!parsed.ok) throw new Error(`expected a frame, got ${parsed.error.code}: ${parsed.error.message}`);
  return parsed.frame;
}

describe('parseFrame: well-formed frames', () => {
  it('reads a CALL', () => {
    expect(success(parseFrame('[2,"abc","Heartbeat",{}]'))).toEqual({ type: CALL, id: 'abc', action: 'Heartbeat', payload: {} });
  });

  it('keeps a numeric message id as a number (echoed back unchanged)', () => {
    expect(success(parseFrame('[2,17,"Heartbeat",{}]'))).toMatchObject({ type: CALL, id: 17 });
  });

  it('passes any payload of a CALL on for schema validation to judge', () => {
    expect(success(parseFrame('[2,"a","Heartbeat",null]'))).toMatchObject({ payload: null });
    expect(success(parseFrame('[2,"a","Heartbeat",[1,2]]'))).toMatchObject({ payload: [1, 2] });
    expect(success(parseFrame('[2,"a","Heartbeat","text"]'))).toMatchObject({ payload: 'text' });
  });

  it('ignores extra trailing elements of a CALL', () => {
    expect(success(parseFrame('[2,"a","Heartbeat",{},"extra"]'))).toEqual({ type: CALL, id: 'a', action: 'Heartbeat', payload: {} });
  });

  it('reads a CALLRESULT', () => {
    expect(success(parseFrame('[3,"abc",{"status":"Accepted"}]'))).toEqual({ type: CALLRESULT, id: 'abc', payload: { status: 'Accepted' } });
  });

  it('reads a CALLERROR with all elements', () => {
    expect(success(parseFrame('[4,"abc","NotSupported","no such thing",{"hint":1}]'))).toEqual({
      type: CALLERROR,
      id: 'abc',
      code: 'NotSupported',
      description: 'no such thing',
      details: { hint: 1 },
    });
  });

  it('reads a CALLERROR whose optional parts are missing or odd', () => {
    expect(success(parseFrame('[4,"abc"]'))).toEqual({ type: CALLERROR, id: 'abc', code: 'GenericError', description: '', details: {} });
    expect(success(parseFrame('[4,"abc","NoSuchCode",42,null]'))).toEqual({
      type: CALLERROR,
      id: 'abc',
      code: 'GenericError',
      description: '',
      details: {},
    });
  });

  it('accepts a message id of up to 128 characters', () => {
    const id = 'x'.repeat(128);
    expect(success(parseFrame(JSON.stringify([2, id, 'Heartbeat', {}])))).toMatchObject({ id });
  });
});

describe('parseFrame: broken frames', () => {
  it('refuses text that is not JSON, with the unknown id "-1"', () => {
    const broken = failure(parseFrame('this is not json'));
    expect(broken).toMatchObject({ id: UNKNOWN_MESSAGE_ID, answerable: true });
    expect(broken.error).toBeInstanceOf(RpcError);
    expect(broken.error.code).toBe('FormationViolation');
  });

  it('refuses JSON that is not an array', () => {
    for (const text of ['{"a":1}', '42', '"text"', 'null', 'true']) {
      const broken = failure(parseFrame(text));
      expect(broken, text).toMatchObject({ id: UNKNOWN_MESSAGE_ID, answerable: true });
      expect(broken.error.code, text).toBe('FormationViolation');
    }
  });

  it('refuses a frame without a readable message id', () => {
    for (const text of ['[]', '[2]', '[2,"","Heartbeat",{}]', '[2,null,"Heartbeat",{}]', '[2,1.5,"Heartbeat",{}]', '[2,{},"Heartbeat",{}]', JSON.stringify([2, 'x'.repeat(129), 'Heartbeat', {}])]) {
      const broken = failure(parseFrame(text));
      expect(broken.id, text).toBe(UNKNOWN_MESSAGE_ID);
      expect(broken.error.code, text).toBe('FormationViolation');
    }
  });

  it('refuses an unknown message type, answering with the frame id', () => {
    const broken = failure(parseFrame('[7,"abc",{}]'));
    expect(broken).toMatchObject({ id: 'abc', answerable: true });
    expect(broken.error.code).toBe('FormationViolation');
    expect(failure(parseFrame('["2","abc","Heartbeat",{}]')).error.code).toBe('FormationViolation');
  });

  it('refuses a CALL with too few elements as a ProtocolError', () => {
    const broken = failure(parseFrame('[2,"abc","Heartbeat"]'));
    expect(broken).toMatchObject({ id: 'abc', answerable: true });
    expect(broken.error.code).toBe('ProtocolError');
  });

  it('refuses a CALL whose action is not a non-empty string', () => {
    for (const text of ['[2,"abc",42,{}]', '[2,"abc","",{}]', '[2,"abc",null,{}]', '[2,"abc",["Heartbeat"],{}]']) {
      const broken = failure(parseFrame(text));
      expect(broken, text).toMatchObject({ id: 'abc', answerable: true });
      expect(broken.error.code, text).toBe('FormationViolation');
    }
  });

  it('does not answer a CALLRESULT without a payload (replies are never answered)', () => {
    const broken = failure(parseFrame('[3,"abc"]'));
    expect(broken).toMatchObject({ id: 'abc', answerable: false });
    expect(broken.error.code).toBe('ProtocolError');
  });

  it('does not answer a reply whose message id cannot be read', () => {
    for (const text of ['[3,null,{}]', '[3,"",{}]', '[4,null,"GenericError","",{}]', '[4]']) {
      expect(failure(parseFrame(text)).answerable, text).toBe(false);
    }
  });
});

describe('serialisation', () => {
  it('writes each frame type as the spec lays it out, round-tripping through parseFrame', () => {
    expect(JSON.parse(serializeCall('id1', 'Reset', { type: 'Soft' }))).toEqual([2, 'id1', 'Reset', { type: 'Soft' }]);
    expect(JSON.parse(serializeCallResult(5, { status: 'Accepted' }))).toEqual([3, 5, { status: 'Accepted' }]);
    const error = new RpcError('TypeConstraintViolation', '/idTag must be string', { path: '/idTag' });
    const text = serializeCallError('id2', error);
    expect(JSON.parse(text)).toEqual([4, 'id2', 'TypeConstraintViolation', '/idTag must be string', { path: '/idTag' }]);
    expect(success(parseFrame(text))).toEqual({
      type: CALLERROR,
      id: 'id2',
      code: 'TypeConstraintViolation',
      description: '/idTag must be string',
      details: { path: '/idTag' },
    });
  });

  it('writes an empty details object when the error has none', () => {
    expect(JSON.parse(serializeCallError('-1', new RpcError('FormationViolation', 'bad')))).toEqual([4, '-1', 'FormationViolation', 'bad', {}]);
  });
});

describe('RPC error codes', () => {
  it('knows exactly the ten OCPP-J 1.6 codes, with the spec spelling of OccurenceConstraintViolation', () => {
    expect(RPC_ERROR_CODES).toHaveLength(10);
    expect(isRpcErrorCode('OccurenceConstraintViolation')).toBe(true);
    expect(isRpcErrorCode('OccurrenceConstraintViolation')).toBe(false);
    expect(isRpcErrorCode('FormatViolation')).toBe(false); // the OCPP 2.0 spelling
    expect(isRpcErrorCode(4)).toBe(false);
    for (const code of RPC_ERROR_CODES) expect(isRpcErrorCode(code)).toBe(true);
  });

  it('RpcError carries code, message and details', () => {
    const error = new RpcError('NotSupported', 'nope', { a: 1 });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'RpcError', code: 'NotSupported', message: 'nope', details: { a: 1 } });
    expect(new RpcError('GenericError', 'x').details).toEqual({});
  });
});
