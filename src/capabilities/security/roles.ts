// Who may do what. Four roles, strongest first: owner (everything, and the only one who manages
// admins and owners), admin (everything else: people, keys, station security), operator (runs
// the network: commands, sessions, id tags, stations' ordinary settings), viewer (reads only).
// A principal is a role today; a tenant will be added beside it, never folded into the role.

import type { Role } from './tables.js';

const RANK: Record<Role, number> = { owner: 3, admin: 2, operator: 1, viewer: 0 };

export const atLeast = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

/** Owners manage everyone; admins manage operators and viewers only. */
export const mayManage = (actor: Role, target: Role): boolean => actor === 'owner' || (actor === 'admin' && RANK[target] < RANK.admin);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A route's minimum role: what it declares, else reading for viewers and changing for operators. */
export function routeMinRole(method: string, declared: Role | undefined): Role {
  return declared ?? (SAFE_METHODS.has(method) ? 'viewer' : 'operator');
}

/** Configuration keys that carry a station's security (password, profile): setting them is an admin's. */
const SECURITY_KEYS = new Set(['authorizationkey', 'securityprofile']);
/** Commands that change what a station trusts. */
const SECURITY_COMMANDS = new Set(['CertificateSigned', 'InstallCertificate', 'DeleteCertificate']);

/** The role a command needs: security settings are an admin's, everything else an operator's. */
export function commandMinRole(action: string, body: unknown): Role {
  if (SECURITY_COMMANDS.has(action)) return 'admin';
  if (action === 'ChangeConfiguration') {
    const key = (body as { key?: unknown } | null)?.key;
    if (typeof key === 'string' && SECURITY_KEYS.has(key.toLowerCase())) return 'admin';
  }
  return 'operator';
}
