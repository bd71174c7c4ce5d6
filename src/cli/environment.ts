// What the session looks like: who is calling, from where, on what terminal.
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Caller, RenderStyle } from '../commands/types.js';
import { createStyle } from '../output/style.js';

/**
 * `$XDG_STATE_HOME/otshell`, else `~/.local/state/otshell`. With `trustEnv`
 * false (a privileged context, src/cli/privilege.ts) neither XDG_STATE_HOME nor
 * HOME is read: the home directory comes from the effective user's passwd
 * entry, so the invoker cannot pick where a privileged otshell writes.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv, trustEnv = true): string {
  if (!trustEnv) {
    let home = '/var/lib/otshell';
    try {
      home = userInfo().homedir || home;
    } catch {
      // no passwd entry: a fixed system path (not writable means exit 78, never the caller's choice)
      return home;
    }
    return join(home, '.local', 'state', 'otshell');
  }
  const base = env.XDG_STATE_HOME || join(env.HOME || userInfo().homedir, '.local', 'state');
  return join(base, 'otshell');
}

/** UTF-8 only when the locale says so; PuTTY with a legacy charset gets ASCII. */
export function localeIsUtf8(env: NodeJS.ProcessEnv): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale);
}

export function detectStyle(env: NodeJS.ProcessEnv, stdout: { isTTY?: boolean; columns?: number }, asciiFlag: boolean): RenderStyle {
  const tty = Boolean(stdout.isTTY);
  return createStyle({
    ascii: asciiFlag || !localeIsUtf8(env),
    color: tty && env.NO_COLOR === undefined && env.TERM !== 'dumb',
    width: (tty && stdout.columns) || 80,
  });
}

export function detectCaller(env: NodeJS.ProcessEnv, interactive: boolean): Caller {
  let user = env.SUDO_USER || env.USER || 'unknown';
  try {
    user = env.SUDO_USER || userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  const ssh = env.SSH_CONNECTION || env.SSH_CLIENT;
  return {
    user,
    tty: env.SSH_TTY || (interactive ? 'console' : 'pipe'),
    sshClient: ssh ? ssh.split(' ')[0] : undefined,
    // Until sign-in arrives every session acts as the support user, as the appliance's CLI does.
    role: 'support',
  };
}
