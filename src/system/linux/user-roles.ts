// Which otshell role a Unix user has on a real sensor. The operating system
// signs users in (login, sshd, PAM); this maps the signed-in account to a role:
// by name in /etc/otshell/roles.yaml, else by Unix group (otshell-viewer,
// otshell-support, otshell-root, or groups the file names). Root (uid 0) is
// always root. A user it cannot map is refused: a login shell must not guess.
// The role names and their order come from the caller (src/commands/roles.ts,
// a layer above this one), so this module only reads and checks the files.
//
//   # /etc/otshell/roles.yaml (root:root 0644)
//   users:
//     support: support
//     auditor: viewer
//   groups:
//     noc: viewer
import { readFile } from '../../lazy-fs.js';
import * as z from 'zod/mini';
import YAML, { LineCounter } from 'yaml';
import { EXIT, OtshellError } from '../../errors.js';

export const DEFAULT_ROLES_FILE = '/etc/otshell/roles.yaml';
/** Groups that give a role without any roles file. */
/** otshell's roles as the host sees them (src/system may not import src/commands/roles.ts: the same names and order). */
export const UNIX_ROLE_SCHEME = {
  parse: (name: string): 'viewer' | 'support' | 'root' | null =>
    name === 'viewer' || name === 'support' || name === 'root' ? name : name === 'admin' ? 'support' : name === 'cyberx' ? 'root' : null,
  order: ['viewer', 'support', 'root'] as const,
};

export const ROLE_GROUPS: Readonly<Record<string, string>> = { 'otshell-viewer': 'viewer', 'otshell-support': 'support', 'otshell-root': 'root' };

/** The roles as the command layer defines them: names (and aliases) to roles, and their order. */
export interface RoleScheme<R extends string> {
  parse(name: string): R | null;
  /** Ordered from least to most: later ones may do everything earlier ones may. */
  order: readonly R[];
}

/** POSIX portable user and group names (useradd's default rule, plus a trailing $ for machine accounts). */
const unixName = z.string().check(z.regex(/^[a-z_][a-z0-9_.-]{0,31}\$?$/, 'not a valid Unix user or group name'));
function rolesSchema<R extends string>(scheme: RoleScheme<R>) {
  const roleName = z.string().check(z.refine((name) => scheme.parse(name) !== null, `not a role (one of ${scheme.order.join(', ')}, or admin, cyberx)`));
  return z.strictObject({
    users: z.optional(z.nullable(z.record(unixName, roleName))),
    groups: z.optional(z.nullable(z.record(unixName, roleName))),
  });
}

export interface RolesConfig<R extends string> {
  users: Record<string, R>;
  groups: Record<string, R>;
}

/** The roles file is unusable: exit 78, naming the file, line and field. */
export class RolesConfigError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.CONFIG);
  }
}

/** The mapping from the file's text (null: no file, groups only). */
export function parseRolesConfig<R extends string>(path: string, text: string | null, scheme: RoleScheme<R>): RolesConfig<R> {
  if (text === null) return { users: {}, groups: {} };
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    throw new RolesConfigError(`The roles file ${path} is not valid YAML at line ${error.linePos?.[0].line ?? '?'}: ${error.message.split('\n')[0]}`);
  }
  const parsed = rolesSchema(scheme).safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path_ = issue.path.map(String);
    const node = doc.getIn(path_, true) as { range?: [number, number, number] } | undefined;
    const parent = doc.getIn(path_.slice(0, -1), true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0] ?? parent?.range?.[0];
    const where = offset === undefined ? '' : ` line ${lines.linePos(offset).line},`;
    // A bad user or group name is reported by zod as the key's own issue, nested.
    const message = issue.code === 'invalid_key' ? ((issue as { issues?: { message: string }[] }).issues?.[0]?.message ?? issue.message) : issue.message;
    const field = path_.join('.').replace(/[^\w.$-]/g, '?').slice(0, 80) || '(top)';
    throw new RolesConfigError(`The roles file ${path} is invalid at${where} "${field}": ${message}.`);
  }
  const toRoles = (entries: Record<string, string> | null | undefined) =>
    Object.fromEntries(Object.entries(entries ?? {}).map(([name, role]) => [name, scheme.parse(role)!])) as Record<string, R>;
  return { users: toRoles(parsed.data.users), groups: toRoles(parsed.data.groups) };
}

/** The Unix account as the roles config sees it. */
export interface UnixAccount {
  /** The invoking user is root (uid 0, or root under sudo): always the highest role. */
  root: boolean;
  user: string;
  groups: readonly string[];
}

/**
 * The account's role: root for uid 0, its entry under users, else the highest
 * role any of its groups gives; null when nothing maps it.
 */
export function roleOf<R extends string>(account: UnixAccount, config: RolesConfig<R>, scheme: RoleScheme<R>): R | null {
  if (account.root) return scheme.order[scheme.order.length - 1]!;
  if (Object.hasOwn(config.users, account.user)) return config.users[account.user]!;
  let best: R | null = null;
  for (const group of account.groups) {
    const role = Object.hasOwn(config.groups, group) ? config.groups[group]! : Object.hasOwn(ROLE_GROUPS, group) ? scheme.parse(ROLE_GROUPS[group]!) : null;
    if (role && (best === null || scheme.order.indexOf(role) > scheme.order.indexOf(best))) best = role;
  }
  return best;
}

/** The names of the groups `user` belongs to: its primary group (passwd) and those listing it (group). */
export function groupsOf(user: string, passwdText: string, groupText: string): string[] {
  const primary = passwdText
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === user)?.[3];
  const names = new Set<string>();
  for (const line of groupText.split('\n')) {
    const [name, , gid, members] = line.split(':');
    if (!name || gid === undefined) continue;
    if (gid === primary || (members ?? '').split(',').includes(user)) names.add(name);
  }
  return [...names];
}

export interface RoleFiles {
  roles?: string;
  passwd?: string;
  group?: string;
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new RolesConfigError(`The roles file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`);
  }
}

/** The local Unix user's role, or a refusal (exit 77) naming the user. */
export async function localUserRole<R extends string>(root: boolean, user: string, scheme: RoleScheme<R>, files: RoleFiles = {}): Promise<R> {
  const rolesPath = files.roles ?? DEFAULT_ROLES_FILE;
  const config = parseRolesConfig(rolesPath, root ? null : await readOrNull(rolesPath), scheme);
  const groups = root ? [] : groupsOf(user, (await readOrNull(files.passwd ?? '/etc/passwd')) ?? '', (await readOrNull(files.group ?? '/etc/group')) ?? '');
  const role = roleOf({ root, user, groups }, config, scheme);
  if (role === null) {
    throw new OtshellError(
      `otshell: the user "${user.replace(/[^a-zA-Z0-9_.$-]/g, '?')}" has no otshell role (add it to ${rolesPath} or to a group otshell-viewer, otshell-support or otshell-root).`,
      EXIT.NO_PERMISSION,
    );
  }
  return role;
}
