// The privileged helper (installed as /usr/local/libexec/otshell-priv, allowed
// by one sudoers line): the one way a login shell running as its Unix user does
// what needs root, in the manner of OpenSSH's privilege separation. It trusts
// only what sudo tells it (SUDO_UID, checked against passwd for the name) and
// the request on stdin, which parseRequest checks completely. The invoker's
// role comes from the roles config, as for the shell; the change and its audit
// line (with the invoker's name) are made by the Linux adapter as root.
import type { Actor, ApplyOutcome, NetworkSettings, SessionEvent } from '../../adapter.js';
import { EXIT, OtshellError, type ExitCode } from '../../../errors.js';
import { parseRequest, RequestRefused, type PrivilegedRequest } from './requests.js';

/** Least role each operation needs (the same as the commands that ask for it). */
const NEEDS: Record<PrivilegedRequest['op'], 'viewer' | 'support' | 'root'> = {
  'apply-network-settings': 'support',
  'confirm-network-settings': 'support',
  reboot: 'support',
  shutdown: 'support',
  'change-password': 'support',
  'record-session': 'viewer',
};

/** What the helper may do, as root; the real implementation is the Linux adapter on the local host. */
export interface PrivilegedOperations {
  /** The invoker's role from the roles config, or null when it has none. */
  roleOf(user: string): Promise<'viewer' | 'support' | 'root' | null>;
  applyNetworkSettings(settings: NetworkSettings, by: Actor, confirmTimeoutSeconds?: number): Promise<ApplyOutcome>;
  confirmNetworkSettings(by: Actor): Promise<{ confirmed: boolean; detail: string }>;
  reboot(by: Actor): Promise<void>;
  shutdown(by: Actor): Promise<void>;
  /** The current password checked (unix_chkpwd), chpasswd with "user:password" on stdin, and its audit line. */
  changePassword(user: string, current: string, next: string, by: Actor): Promise<void>;
  /** One line of the session audit. */
  recordSession(event: SessionEvent): Promise<void>;
}

export interface Invoker {
  uid: number;
  user: string;
}

export interface HelperResult {
  exitCode: ExitCode;
  /** One line: on success the result as JSON (stdout, read by PrivilegedClient), else the refusal (stderr). */
  line: string;
  ok: boolean;
}

const RANK = { viewer: 0, support: 1, root: 2 } as const;

/** Handles one request: refused (nothing run) or done. Never throws. */
export async function handleRequest(bytes: Buffer, invoker: Invoker, ops: PrivilegedOperations): Promise<HelperResult> {
  let request: PrivilegedRequest;
  try {
    request = parseRequest(bytes);
  } catch (error) {
    if (error instanceof RequestRefused) return refused(`refused: ${error.message}; nothing was changed.`, EXIT.USAGE);
    throw error;
  }
  const role = invoker.uid === 0 ? 'root' : await ops.roleOf(invoker.user);
  if (role === null || RANK[role] < RANK[NEEDS[request.op]]) {
    return refused(`refused: ${request.op} needs the ${NEEDS[request.op]} role; ${invoker.user} has ${role ?? 'none'}; nothing was changed.`, EXIT.NO_PERMISSION);
  }
  const by: Actor = { user: invoker.user, role, ...('source' in request && request.source ? { tty: request.source } : {}) };
  try {
    switch (request.op) {
      case 'apply-network-settings':
        return done(await ops.applyNetworkSettings(request.settings, by, request.confirmTimeoutSeconds));
      case 'confirm-network-settings':
        return done(await ops.confirmNetworkSettings(by));
      case 'reboot':
        await ops.reboot(by);
        return done({ done: 'reboot' });
      case 'shutdown':
        await ops.shutdown(by);
        return done({ done: 'shutdown' });
      case 'change-password': {
        // support changes its own password only; root any user the roles config maps.
        if (request.user !== invoker.user && role !== 'root') {
          return refused(`refused: ${invoker.user} may change only its own password; nothing was changed.`, EXIT.NO_PERMISSION);
        }
        if (request.user !== invoker.user && (await ops.roleOf(request.user)) === null) {
          return refused(`refused: ${request.user} is not an otshell user (not in the roles config); nothing was changed.`, EXIT.NO_PERMISSION);
        }
        await ops.changePassword(request.user, request.current, request.password, by);
        return done({ done: 'change-password', user: request.user });
      }
      case 'record-session':
        await ops.recordSession({
          time: new Date().toISOString(),
          kind: request.kind,
          user: invoker.user,
          role,
          source: request.source,
          ...(request.detail ? { detail: request.detail } : {}),
        });
        return done({ done: 'record-session' });
    }
  } catch (error) {
    const exitCode = error instanceof OtshellError ? error.exitCode : EXIT.INTERNAL;
    return refused(`${request.op} failed: ${(error as Error).message.split('\n')[0]}`, exitCode);
  }
}

function refused(line: string, exitCode: ExitCode): HelperResult {
  return { exitCode, line: `otshell-priv: ${line}`, ok: false };
}

function done(result: unknown): HelperResult {
  return { exitCode: EXIT.OK, line: JSON.stringify(result), ok: true };
}

/**
 * The invoker as sudo reports it: SUDO_UID must be a number and the helper
 * must run as root; the name comes from passwd for that uid (never SUDO_USER
 * alone). Null: not started by sudo as root.
 */
export function invokerFromSudo(env: NodeJS.ProcessEnv, euid: number, nameOf: (uid: number) => string | null): Invoker | null {
  if (euid !== 0) return null;
  const text = env.SUDO_UID;
  if (text === undefined) return { uid: 0, user: 'root' };
  if (!/^\d{1,10}$/.test(text)) return null;
  const uid = Number(text);
  const user = nameOf(uid);
  return user === null ? null : { uid, user };
}
