// The shell controller's session cycle: an idle sign-out of a simulator user
// returns to the sign-in (as a console does), the next user gets their own
// history, and a session without the simulator's sign-in still ends.
import { describe, expect, it } from 'vitest';
import { ShellController, type ShellHooks } from '../../src/ui/shell-controller.js';
import type { SessionEvent, SystemAdapter } from '../../src/system/adapter.js';
import type { Prompter } from '../../src/commands/prompter.js';
import type { SignedIn } from '../../src/commands/session.js';
import { PLAIN } from '../../src/output/style.js';
import type { Key } from '../../src/ui/keys.js';

const typed = (text: string): Key[] => [{ name: 'text', text }, { name: 'enter' }];

function harness(options: { withSignIn: boolean; idleSeconds: number }) {
  const events: SessionEvent[] = [];
  const system = { target: 'simulator', recordSession: async (e: SessionEvent) => void events.push(e) } as unknown as SystemAdapter;
  const histories: Record<string, string[]> = { alice: ['alice-old'], bob: ['bob-old'] };
  const saved: [string, string[]][] = [];
  let exited: number | null = null;
  let signIns = 0;
  const signIn = async (prompter: Prompter): Promise<SignedIn> => {
    signIns += 1;
    const user = await prompter.text('D4Iot login');
    return { user, role: 'support', banner: [] };
  };
  const hooks: ShellHooks = {
    changed: () => {},
    exit: (code) => void (exited = code),
    clearScreen: () => {},
    saveHistory: (user, entries) => void saved.push([user, [...entries]]),
    loadHistory: async (user) => histories[user] ?? [],
  };
  const shell = new ShellController(
    {
      system,
      style: PLAIN,
      caller: { user: 'unix-user', role: 'support', tty: 'console' },
      idleTimeoutSeconds: options.idleSeconds,
      banner: 'D4Iot (simulated sensor)',
      ...(options.withSignIn ? { signIn } : {}),
    },
    ['unix-old'],
    hooks,
  );
  const texts = () => shell.snapshot().entries.map((e) => e.text);
  const until = async (test: () => boolean, what: string, ms = 10_000) => {
    for (let waited = 0; !test(); waited += 10) {
      if (waited > ms) throw new Error(`timed out waiting for ${what}: ${texts().join(' | ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { shell, events, saved, texts, until, exited: () => exited, signIns: () => signIns };
}

describe('shell session cycle', () => {
  it('an idle sign-out returns to the login prompt; the next user has their own history, the first one\'s is gone', async () => {
    const h = harness({ withSignIn: true, idleSeconds: 1 });
    h.shell.start();
    await h.until(() => h.shell.snapshot().question?.label === 'D4Iot login: ', 'the login prompt');
    h.shell.handleKeys(typed('alice'));
    await h.until(() => h.shell.snapshot().question === null && !h.shell.snapshot().busy, 'the shell prompt');
    h.shell.handleKeys([{ name: 'up' }]);
    expect(h.shell.snapshot().editor.text).toBe('alice-old');
    h.shell.handleKeys([{ name: 'ctrl-u' }, ...typed('network list')]);
    await h.until(() => h.texts().some((t) => t === 'Signed out after 1 s without input.'), 'the idle sign-out');
    await h.until(() => h.signIns() === 2 && h.shell.snapshot().question?.label === 'D4Iot login: ', 'the login prompt again');
    expect(h.exited()).toBeNull();
    expect(h.texts().filter((t) => t === 'D4Iot (simulated sensor)')).toHaveLength(2);
    expect(h.events.map((e) => [e.kind, e.user])).toEqual([['timeout', 'alice']]);
    expect(h.saved.at(-1)).toEqual(['alice', ['alice-old', 'network list']]);
    h.shell.handleKeys(typed('bob'));
    await h.until(() => h.shell.snapshot().question === null && !h.shell.snapshot().busy, 'the shell prompt for bob');
    h.shell.handleKeys([{ name: 'up' }]);
    expect(h.shell.snapshot().editor.text).toBe('bob-old');
    h.shell.handleKeys([{ name: 'up' }]);
    expect(h.shell.snapshot().editor.text).toBe('bob-old'); // alice's lines are not bob's
    h.shell.handleKeys([{ name: 'ctrl-u' }, { name: 'ctrl-d' }]);
    await h.until(() => h.exited() !== null, 'the exit');
    expect(h.events.map((e) => [e.kind, e.user])).toEqual([['timeout', 'alice'], ['sign-out', 'bob']]);
  });

  it('idle at the login prompt with nobody signed in ends the shell, as login(1) gives up', async () => {
    const h = harness({ withSignIn: true, idleSeconds: 1 });
    h.shell.start();
    await h.until(() => h.exited() !== null, 'the exit');
    expect(h.signIns()).toBe(1);
    expect(h.events.map((e) => e.kind)).toEqual(['timeout']);
  });

  it('without the simulator\'s sign-in (a real host) the idle sign-out ends the shell; history is the Unix user\'s', async () => {
    const h = harness({ withSignIn: false, idleSeconds: 1 });
    h.shell.start();
    h.shell.handleKeys([{ name: 'up' }]);
    expect(h.shell.snapshot().editor.text).toBe('unix-old');
    h.shell.handleKeys([{ name: 'ctrl-u' }, ...typed('help')]);
    await h.until(() => h.exited() !== null, 'the exit');
    expect(h.saved[0]![0]).toBe('unix-user');
    expect(h.events.map((e) => [e.kind, e.user])).toEqual([['timeout', 'unix-user']]);
  });
});
