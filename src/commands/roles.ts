// Who may run what. Roles are ordered: each one may do everything the one
// before it may. The registry declares the least role a command needs; the
// dispatcher (execute.ts) is the one place that checks it.

export const ROLES = ['viewer', 'support', 'root'] as const;
export type Role = (typeof ROLES)[number];

/** The appliance's own names for the roles, across versions (support became admin in 23.2; cyberx is root). */
export const ROLE_ALIASES: Readonly<Record<string, Role>> = {
  viewer: 'viewer',
  support: 'support',
  admin: 'support',
  root: 'root',
  cyberx: 'root',
};

/** Whether a caller with role `have` may run something that needs `need`. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** A role from a name or alias, or null. */
export function parseRole(name: string): Role | null {
  return Object.hasOwn(ROLE_ALIASES, name) ? ROLE_ALIASES[name]! : null;
}
