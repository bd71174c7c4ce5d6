// Who may steer otshell. In a privileged context (under sudo, as a login shell,
// or with real and effective ids that differ) a caller who is not root must not
// choose what otshell reads, writes or runs with more rights than their own: the
// OTSHELL_* environment is ignored, and --config, --state-dir, --ssh-option,
// --identity-file and an ssh:// target are refused (exit 77).
//
//  - under sudo: SUDO_UID set, and the effective uid is 0 or not SUDO_UID
//    (`sudo otshell`, `sudo -u support otshell`). SUDO_UID is believed only
//    when real and effective ids agree (sudo sets both); with a setuid-style
//    start anyone could write it, so the real uid is the invoker then.
//  - login shell: see isLoginShell.
//  - real and effective uid or gid differ.
// The invoker is root (and keeps every option) when SUDO_UID, else the real uid, is 0.
// --target simulator and local stay allowed: local is what a support user runs
// sudo for, and it checks for root itself. ssh:// is refused because as root it
// would log in to other hosts with root's keys, agent and ~/.ssh/config.
import { EXIT, type ExitCode } from '../errors.js';

export interface ProcessIds {
  uid: number;
  euid: number;
  gid: number;
  egid: number;
}

export interface Privilege {
  /** The context gives otshell more rights than the invoker has (or is a login shell). */
  privileged: boolean;
  /** Why, for the refusal: "under sudo", "as a login shell", "with a different effective user". */
  reason: string;
  /** The invoking user is root: nothing is restricted. */
  invokerIsRoot: boolean;
}

/**
 * otshell as a user's login shell: argv0 starting with "-" (how login(1) and
 * sshd start one, when a binary launcher keeps it), or the marker that
 * bin/otshell-login sets after clearing the environment (a `#!` script loses
 * argv0). src/cli/login-shell.ts also counts `otshell -c LINE`.
 */
export function isLoginShell(argv0: string, env: NodeJS.ProcessEnv): boolean {
  return argv0.startsWith('-') || env.OTSHELL_LOGIN === '1';
}

export function currentIds(): ProcessIds {
  return {
    uid: process.getuid?.() ?? 0,
    euid: process.geteuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    egid: process.getegid?.() ?? 0,
  };
}

export function assessPrivilege(ids: ProcessIds, env: NodeJS.ProcessEnv, argv0: string): Privilege {
  const idsDiffer = ids.uid !== ids.euid || ids.gid !== ids.egid;
  const sudoText = env.SUDO_UID;
  const sudoUid = sudoText !== undefined && /^\d{1,10}$/.test(sudoText) ? Number(sudoText) : undefined;
  const underSudo = !idsDiffer && sudoText !== undefined && (ids.euid === 0 || sudoUid !== ids.euid);
  const loginShell = isLoginShell(argv0, env);
  // A SUDO_UID that is not a number under sudo: the invoker is unknown, so not root.
  const invoker = idsDiffer ? ids.uid : underSudo ? sudoUid : ids.uid;
  // SUDO_UID=0 with a non-root effective user is what ~/.ssh/environment or AcceptEnv
  // could forge into a login shell; root itself needs no sudo to keep its options.
  const forgedRoot = underSudo && invoker === 0 && ids.euid !== 0;
  const reason = idsDiffer ? 'with a different effective user' : underSudo ? 'under sudo' : loginShell ? 'as a login shell' : '';
  return { privileged: idsDiffer || underSudo || loginShell, reason, invokerIsRoot: invoker === 0 && !forgedRoot };
}

/** The global options as parsed (main.ts's GLOBAL_OPTIONS). */
export interface GlobalChoices {
  target?: string;
  'state-dir'?: string;
  config?: string;
  'ssh-option'?: string[];
  'identity-file'?: string;
}

export interface Settings {
  target: string;
  /** undefined: the default state directory. */
  stateDir?: string;
  configPath?: string;
  sshOptions: string[];
  identityFile?: string;
  /** The environment otshell may read: without OTSHELL_* when they are ignored. */
  env: NodeJS.ProcessEnv;
  /** One line for stderr, or null. */
  notice: string | null;
}

export interface Refusal {
  refusal: string;
  exitCode: ExitCode;
}

const PATH_OPTIONS = ['state-dir', 'config', 'identity-file'] as const;

/**
 * The target, state directory, config, ssh options and identity file otshell
 * will use, from the options and (when trusted) the OTSHELL_* environment;
 * or the one-line refusal with its exit code.
 */
export function resolveSettings(globals: GlobalChoices, env: NodeJS.ProcessEnv, privilege: Privilege): Settings | Refusal {
  // An empty path would mean the current directory: never what was meant.
  for (const option of PATH_OPTIONS) {
    if (globals[option] === '') return { refusal: `otshell: --${option} needs a path, not an empty value.`, exitCode: EXIT.USAGE };
  }
  const restricted = privilege.privileged && !privilege.invokerIsRoot;
  if (restricted) {
    const chosen = [
      ...(['config', 'state-dir', 'identity-file', 'ssh-option'] as const).filter((option) => globals[option] !== undefined).map((o) => `--${o}`),
      ...(globals.target?.startsWith('ssh://') ? ['--target ssh://'] : []),
    ];
    if (chosen.length > 0) {
      return {
        refusal: `otshell: ${chosen.join(', ')} ${chosen.length > 1 ? 'are' : 'is'} not allowed ${privilege.reason} unless the invoking user is root (only --target simulator or local, and --ascii, may be chosen).`,
        exitCode: EXIT.NO_PERMISSION,
      };
    }
  }
  const ignored = restricted ? Object.keys(env).filter((name) => name.startsWith('OTSHELL_')).sort() : [];
  const trusted: NodeJS.ProcessEnv = { ...env };
  for (const name of ignored) delete trusted[name];
  const emptyEnv = (['OTSHELL_STATE_DIR', 'OTSHELL_CONFIG'] as const).find((name) => trusted[name] === '');
  if (emptyEnv) return { refusal: `otshell: ${emptyEnv} is set but empty; give a path or unset it.`, exitCode: EXIT.USAGE };
  return {
    target: globals.target ?? trusted.OTSHELL_TARGET ?? 'simulator',
    stateDir: globals['state-dir'] ?? trusted.OTSHELL_STATE_DIR,
    configPath: globals.config ?? trusted.OTSHELL_CONFIG,
    sshOptions: globals['ssh-option'] ?? [],
    identityFile: globals['identity-file'],
    env: trusted,
    notice:
      ignored.length > 0
        ? `otshell: ignored ${ignored.map((name) => name.replace(/[^A-Z0-9_]/gi, '?')).join(', ')} (the environment cannot steer otshell ${privilege.reason}).`
        : null,
  };
}
