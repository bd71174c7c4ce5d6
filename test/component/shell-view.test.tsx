// The Ink shell as a component: typing, editing, history, completion, Ctrl-C.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { ShellView } from '../../src/ui/shell-view.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { PLAIN } from '../../src/output/style.js';
import { tempStateDir } from '../helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function mount(history: string[] = []) {
  const state = tempStateDir();
  cleanups.push(state.cleanup);
  const saved: string[][] = [];
  let exitCode: number | null = null;
  const session = { system: new SimulatorAdapter(state.dir), style: PLAIN, caller: { user: 'tester', role: 'support' as const } };
  const app = render(
    <ShellView session={session} history={history} onExit={(code) => (exitCode = code)} saveHistory={(_user, e) => saved.push([...e])} loadHistory={async () => []} />,
  );
  cleanups.push(() => app.unmount());
  /** Everything written so far: Static output plus the current live area. */
  const output = () => app.frames.join('\n');
  const live = () => app.lastFrame() ?? '';
  /** Types keys. Nothing is awaited here: each assertion after it waits for what it expects. */
  const type = async (data: string) => {
    app.stdin.write(data);
  };
  /** Waits for an event (a rendered frame, an exit), polling every 10 ms, for up to 10 s. */
  const until = async (test: () => boolean, what: string) => {
    for (let i = 0; i < 1000 && !test(); i += 1) await new Promise((r) => setTimeout(r, 10));
    if (!test()) throw new Error(`timed out waiting for ${what}; output:\n${output()}\nlive:\n${live()}`);
  };
  /** Waits until the live area (the prompt line) shows `expected`. */
  const sees = (expected: string | RegExp) =>
    until(() => (typeof expected === 'string' ? live().includes(expected) : expected.test(live())), `the live area to show ${String(expected)}`);
  return { app, output, live, type, until, sees, saved, exitCode: () => exitCode };
}

describe('ShellView', () => {
  it('shows the prompt and runs an abbreviated command', async () => {
    const shell = mount();
    await shell.sees(/^shell>/m);
    await shell.type('net li eth0\r');
    await shell.until(() => shell.output().includes('inet 10.1.0.20  netmask 255.255.255.0'), 'network list output');
    expect(shell.output()).toContain('shell> net li eth0');
    expect(shell.saved.at(-1)).toEqual(['net li eth0']);
  });

  it('edits the line: left/right, home/end, backspace/delete, Ctrl-A/E/U/W', async () => {
    const shell = mount();
    await shell.type('sytem');
    await shell.type('\x1b[D\x1b[D\x1b[D'); // cursor after "sy"
    await shell.type('s'); // "sysstem"? no: "sys" + "tem"
    await shell.sees('shell> system');
    await shell.type('\x01X'); // Ctrl-A, insert at start
    await shell.sees('shell> Xsystem');
    await shell.type('\x1b[D\x1b[3~'); // Left, then Delete removes X
    await shell.type('\x05 san'); // Ctrl-E then append
    await shell.sees('shell> system san');
    await shell.type('\x17'); // Ctrl-W removes "san"
    await shell.sees(/shell> system\s*$/m);
    await shell.type('\x7f\x7f'); // two backspaces
    await shell.sees(/shell> syste\s*$/m);
    await shell.type('\x15'); // Ctrl-U clears
    await shell.sees(/shell>\s*$/m);
    await shell.type('\x1b[H!\x1b[F?'.replace('?', '.'));
    await shell.sees('shell> !.');
  });

  it('recalls history with Up and Down', async () => {
    const shell = mount(['system sanity', 'network list']);
    await shell.type('draft');
    await shell.type('\x1b[A');
    await shell.sees('shell> network list');
    await shell.type('\x1b[A');
    await shell.sees('shell> system sanity');
    await shell.type('\x1b[B\x1b[B');
    await shell.sees('shell> draft');
  });

  it('completes with Tab, and lists choices when several fit', async () => {
    const shell = mount();
    await shell.type('net\t');
    await shell.until(() => shell.live().includes('shell> network'), 'completed category');
    await shell.type('li\t'); // the completion added the space: "network li"
    await shell.until(() => shell.live().includes('shell> network list'), 'completed command');
    await shell.type('e\t');
    await shell.until(() => shell.live().includes('shell> network list eth'), 'shared prefix');
    await shell.type('\t');
    await shell.until(() => shell.output().includes('eth0  eth1  eth2  eth3'), 'candidate list');
  });

  it('switches to category mode and back', async () => {
    const shell = mount();
    await shell.type('network\r');
    await shell.until(() => /^network>/m.test(shell.live()), 'network prompt');
    await shell.type('li eth1\r');
    await shell.until(() => shell.output().includes('eth1: flags=4419<UP,BROADCAST,RUNNING,PROMISC,MULTICAST>'), 'list in mode');
    await shell.type('back\r');
    await shell.until(() => /^shell>/m.test(shell.live()), 'shell prompt');
  });

  it('Ctrl-C cancels the line and keeps the shell; Ctrl-D on an empty line exits', async () => {
    const shell = mount();
    await shell.type('network li\x03');
    await shell.until(() => shell.output().includes('shell> network li^C'), 'the cancelled line');
    await shell.sees(/shell>\s*$/m);
    expect(shell.exitCode()).toBeNull();
    await shell.type('x');
    await shell.sees('shell> x');
    await shell.type('\x04'); // Ctrl-D on a non-empty line does not exit
    await shell.type('y'); // keys are handled in order: once "xy" shows, Ctrl-D was handled
    await shell.sees('shell> xy');
    expect(shell.exitCode()).toBeNull();
    await shell.type('\x15\x04');
    await shell.until(() => shell.exitCode() !== null, 'the exit');
    expect(shell.exitCode()).toBe(0);
  });

  it('shows one clear line for an unknown command', async () => {
    const shell = mount();
    await shell.type('netwrk lst\r');
    await shell.until(() => shell.output().includes('did you mean "network list"?'), 'suggestion');
    expect(shell.output()).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('"?" shows what may come next without losing the line', async () => {
    const shell = mount();
    await shell.type('network ?');
    await shell.until(() => /^ {2}list\s+Show every interface/m.test(shell.output()), 'the list of what comes next');
    await shell.sees('shell> network ');
  });
});
