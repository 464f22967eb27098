// The dashboard's copy of the backend's role rules (src/capabilities/security/roles.ts), only
// to decide which forms to offer; the backend still decides and its refusal is shown as is.

import type { Role } from '../../api/types';

export const ROLES: Role[] = ['owner', 'admin', 'operator', 'viewer'];
const RANK: Record<Role, number> = { owner: 3, admin: 2, operator: 1, viewer: 0 };

export const isRole = (value: string): value is Role => value in RANK;
export const mayAdminister = (role: string) => isRole(role) && RANK[role] >= RANK.admin;
/** Owners manage everyone; admins manage operators and viewers only. */
export const mayManage = (actor: string, target: Role) => actor === 'owner' || (actor === 'admin' && RANK[target] < RANK.admin);
/** The roles an actor may hand out. */
export const grantable = (actor: string) => ROLES.filter((role) => mayManage(actor, role));

/** What a new user or key gets unless chosen otherwise: the everyday role, if the actor may grant it. */
export const defaultRole = (actor: string): Role => (mayManage(actor, 'operator') ? 'operator' : 'viewer');

/** A labelled choice among the roles the actor may hand out. */
export function RoleSelect({ actor, value, onChange }: { actor: string; value: Role; onChange: (role: Role) => void }) {
  return (
    <label>
      Role
      <select value={value} onChange={(event) => isRole(event.currentTarget.value) && onChange(event.currentTarget.value)}>
        {grantable(actor).map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
    </label>
  );
}
