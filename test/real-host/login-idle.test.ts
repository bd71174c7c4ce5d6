// Idle sign-out over a real sshd: `ssh -tt sensor --idle-timeout 3` (otshell's
// own option as the login shell's command line) shows the warning line first,
// then ends the session (a real host has no login: prompt of otshell's to return to).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSensorNamespace, missingParts, removeStaleNamespaces, type Namespace } from './harness.js';
import { startLoginSshd, USERS, type LoginSshd } from './login-sshd.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const skip = missingParts(['root', 'ip', 'sshd', 'ssh']);

describe.skipIf(skip !== null)('idle sign-out of the login shell over a real sshd', { timeout: 60_000 }, () => {
  let ns: Namespace;
  let sshd: LoginSshd;
  beforeAll(async () => {
    removeStaleNamespaces();
    ns = await createSensorNamespace();
    sshd = await startLoginSshd(ns, 30000 + ((process.pid * 13 + 7) % 9000));
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
    await ns?.remove();
  });

  it('ssh -tt with --idle-timeout 3: the prompt, the warning line, then the session ends', async () => {
    const term = await TmuxTerminal.start([], {
      stateDir: sshd.dir,
      command: ['ip', 'netns', 'exec', ns.name, 'ssh', '-tt', ...sshd.sshArgs(USERS.support), '--', '--idle-timeout 3'],
    });
    try {
      await term.waitFor(/shell>/, { timeoutMs: 15_000 });
      const shownAt = Date.now();
      const screen = await term.waitFor(/\[exited \d+\]/, { timeoutMs: 15_000 });
      expect(Date.now() - shownAt).toBeGreaterThanOrEqual(1500);
      const lines = screen.split('\n');
      const warning = lines.findIndex((l) => /^No input for 2 s: you will be signed out in 1 s unless you press a key\./.test(l));
      const out = lines.findIndex((l) => l.startsWith('Signed out after 3 s without input.'));
      expect(warning, screen).toBeGreaterThanOrEqual(0);
      expect(out).toBeGreaterThan(warning);
    } finally {
      await term.stop();
    }
  });

});
