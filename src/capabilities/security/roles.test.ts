import { describe, expect, it } from 'vitest';
import { atLeast, commandMinRole, mayManage, routeMinRole } from './roles.js';

describe('roles', () => {
  it('orders the roles owner > admin > operator > viewer', () => {
    expect(atLeast('owner', 'admin')).toBe(true);
    expect(atLeast('admin', 'admin')).toBe(true);
    expect(atLeast('operator', 'admin')).toBe(false);
    expect(atLeast('viewer', 'operator')).toBe(false);
  });

  it('lets owners manage everyone and admins only operators and viewers', () => {
    expect(mayManage('owner', 'owner')).toBe(true);
    expect(mayManage('owner', 'admin')).toBe(true);
    expect(mayManage('admin', 'admin')).toBe(false);
    expect(mayManage('admin', 'owner')).toBe(false);
    expect(mayManage('admin', 'operator')).toBe(true);
    expect(mayManage('operator', 'viewer')).toBe(false);
  });

  it('guards every route: reading needs a viewer, changing an operator, unless the route says more', () => {
    expect(routeMinRole('GET', undefined)).toBe('viewer');
    expect(routeMinRole('POST', undefined)).toBe('operator');
    expect(routeMinRole('DELETE', undefined)).toBe('operator');
    expect(routeMinRole('GET', 'admin')).toBe('admin');
  });

  it('keeps commands that change what a station trusts for admins', () => {
    expect(commandMinRole('Reset', { type: 'Soft' })).toBe('operator');
    expect(commandMinRole('ChangeConfiguration', { key: 'HeartbeatInterval', value: '60' })).toBe('operator');
    expect(commandMinRole('ChangeConfiguration', { key: 'authorizationKey', value: 'ab' })).toBe('admin');
    expect(commandMinRole('ChangeConfiguration', { key: 'SecurityProfile', value: '2' })).toBe('admin');
    expect(commandMinRole('InstallCertificate', {})).toBe('admin');
    expect(commandMinRole('CertificateSigned', {})).toBe('admin');
    expect(commandMinRole('DeleteCertificate', {})).toBe('admin');
    expect(commandMinRole('ChangeConfiguration', null)).toBe('operator');
  });
});
