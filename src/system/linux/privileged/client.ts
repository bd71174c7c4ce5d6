// The login shell's side of privilege separation: a Linux adapter on the local
// host that is not root sends the operations that need root to the privileged
// helper through `sudo -n` (never a password prompt; an argument array, the
// request as JSON on stdin) instead of failing with "needs root".
import type { Actor, ApplyOutcome, NetworkSettings, SessionEvent } from '../../adapter.js';
import { EXIT, EXIT_CODES, OtshellError, type ExitCode } from '../../../errors.js';
import type { Runner } from '../runner.js';
import type { PrivilegedRequest } from './requests.js';

/** Where the helper is installed; the sudoers line names exactly this path. */
export const PRIV_HELPER_PATH = '/usr/local/libexec/otshell-priv';
/** What the helper accepts as a source (requests.ts). */
const SOURCE = /^[A-Za-z0-9_.:/-]{1,64}$/;
/** How much of an unexpected answer a message quotes. */
const SHOWN_CHARS = 160;

export class PrivilegedClient {
  constructor(
    private readonly runner: Runner,
    private readonly helperPath: string = PRIV_HELPER_PATH,
  ) {}

  applyNetworkSettings(settings: NetworkSettings, confirmTimeoutSeconds?: number): Promise<ApplyOutcome> {
    return this.call({ op: 'apply-network-settings', settings, ...(confirmTimeoutSeconds === undefined ? {} : { confirmTimeoutSeconds }) }) as Promise<ApplyOutcome>;
  }

  confirmNetworkSettings(): Promise<{ confirmed: boolean; detail: string }> {
    return this.call({ op: 'confirm-network-settings' }) as Promise<{ confirmed: boolean; detail: string }>;
  }

  async reboot(): Promise<void> {
    await this.call({ op: 'reboot' });
  }

  async shutdown(): Promise<void> {
    await this.call({ op: 'shutdown' });
  }

  /** The passwords travel on stdin inside the request, never in argv. */
  async changePassword(user: string, current: string, password: string, source?: string): Promise<void> {
    await this.call({ op: 'change-password', user, current, password, ...(source && SOURCE.test(source) ? { source } : {}) });
  }

  /** The login shell's sign-in, sign-out and timeout; the helper names the user (from sudo) and the role. */
  async recordSession(event: SessionEvent): Promise<void> {
    if (event.kind !== 'sign-in' && event.kind !== 'sign-out' && event.kind !== 'timeout') return;
    const source = SOURCE.test(event.source) ? event.source : 'unknown';
    await this.call({ op: 'record-session', kind: event.kind, source, ...(event.detail ? { detail: event.detail.replace(/[^ -~]/g, '?').slice(0, 120) } : {}) });
  }

  /** Who asks is what sudo reports to the helper (SUDO_UID): the Actor is not sent. */
  private async call(request: PrivilegedRequest, _by?: Actor): Promise<unknown> {
    const result = await this.runner.run('sudo', ['-n', '--', this.helperPath], { input: JSON.stringify(request), timeoutMs: 180_000 });
    const line = (result.exitCode === 0 ? result.stdout : result.stderr).trim().split('\n').at(-1) ?? '';
    if (result.exitCode === 0) {
      try {
        return JSON.parse(line);
      } catch {
        throw new OtshellError(`The privileged helper gave an answer otshell cannot read: ${line.slice(0, SHOWN_CHARS)}`, EXIT.DATA);
      }
    }
    // sudo's own refusals (no sudoers line, a password required) or no sudo at all.
    if (!line.startsWith('otshell-priv:')) {
      throw new OtshellError(
        `This needs root, through the privileged helper: "sudo -n ${this.helperPath}" was refused (${line.slice(0, SHOWN_CHARS) || `exit ${result.exitCode}`}); ask an administrator to install the sudoers line (see the README). Nothing was changed.`,
        EXIT.NO_PERMISSION,
      );
    }
    const code = (EXIT_CODES.includes(result.exitCode) ? result.exitCode : EXIT.PROBLEM) as ExitCode;
    throw new OtshellError(line.replace(/^otshell-priv:\s*/, ''), code);
  }
}
