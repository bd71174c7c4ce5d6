// Drives otshell in a real terminal: tmux at 80x24, send-keys to type,
// capture-pane to read the screen, as a PuTTY user would see it.
import { execa } from 'execa';
import { execFile } from 'node:child_process';
import { BIN, REPO_ROOT } from './cli.js';
import { prepareSignedInState, TEST_PASSWORD } from './sign-in.js';

let counter = 0;

export class TmuxTerminal {
  private constructor(
    private readonly socket: string,
    readonly session: string,
  ) {}

  /**
   * Runs `node bin/otshell.js --state-dir DIR ARGS`, or `command` (an argv) when given.
   * Without `command`, the simulated sensor's users get TEST_PASSWORD and the
   * helper signs in as `signIn` (default support) at the Password: prompt;
   * `signIn: false` leaves the sign-in to the test.
   */
  static async start(
    args: string[],
    options: { stateDir: string; width?: number; height?: number; env?: Record<string, string>; command?: string[]; signIn?: string | false },
  ) {
    // Only the interactive shell signs in: a one-shot command (a word such as "network") does not.
    const interactive = !args.some((arg) => /^[a-z]/.test(arg));
    const signInAs = options.command || options.signIn === false || !interactive ? null : (options.signIn ?? 'support');
    if (signInAs) {
      prepareSignedInState(options.stateDir);
      args = ['--user', signInAs, ...args];
    }
    const socket = `otshell-test-${process.pid}-${counter++}`;
    const session = 'main';
    const env = { LANG: 'C.UTF-8', TERM: 'xterm-256color', ...options.env };
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    // "; sleep" keeps the pane (and its last screen) readable after otshell exits.
    const program = options.command ?? ['node', BIN, '--state-dir', options.stateDir, ...args];
    const command = ['env', ...envArgs, ...program]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    await execa('tmux', [
      '-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', session,
      '-x', String(options.width ?? 80), '-y', String(options.height ?? 24),
      '-c', REPO_ROOT,
      `${command}; echo "[exited $?]"; sleep 30`,
    ]);
    const terminal = new TmuxTerminal(socket, session);
    if (signInAs) {
      await terminal.waitForInputLine(/^Password:\s*$/, 15_000);
      await terminal.type(TEST_PASSWORD);
      await terminal.keys('Enter');
    }
    return terminal;
  }

  /**
   * One tmux client command. node's execFile, not execa: waitFor runs this every 50 ms, and
   * execa's own work cost 9.3 ms of CPU per capture against 5.3 ms (100 captures each, the
   * shared machine at load 10), on the 2 cores the otshell under test needs.
   */
  private tmux(args: string[]): Promise<{ stdout: string }> {
    return new Promise((resolve, reject) => {
      execFile('tmux', ['-L', this.socket, ...args], { timeout: 5000, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(Object.assign(error, { stderr }));
        else resolve({ stdout: stdout.replace(/\r?\n$/, '') }); // as execa: without the final newline
      });
    });
  }

  /** Keys by tmux name: 'Enter', 'Tab', 'C-c', 'Up', 'BSpace'... */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', this.session, ...keys]);
  }

  /** Literal text, typed as is. */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', this.session, '-l', text]);
  }

  async screen(): Promise<string> {
    return (await this.tmux(['capture-pane', '-p', '-t', this.session])).stdout;
  }

  /** Screen rows, with the scrollback (for output longer than 24 lines). */
  async history(): Promise<string> {
    return (await this.tmux(['capture-pane', '-p', '-S', '-2000', '-t', this.session])).stdout;
  }

  async cursor(): Promise<{ x: number; y: number }> {
    const out = (await this.tmux(['display-message', '-p', '-t', this.session, '#{cursor_x} #{cursor_y}'])).stdout;
    const [x, y] = out.trim().split(' ').map(Number);
    return { x: x!, y: y! };
  }

  /** Waits until the screen (or scrollback) matches; fails with the screen shown. */
  async waitFor(pattern: RegExp | ((screen: string) => boolean), options: { timeoutMs?: number; scrollback?: boolean } = {}): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 8000);
    const test = typeof pattern === 'function' ? pattern : (s: string) => pattern.test(s);
    let last = '';
    while (Date.now() < deadline) {
      last = options.scrollback ? await this.history() : await this.screen();
      if (test(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${String(pattern)}; screen was:\n${last}`);
  }

  /** Waits until the line being edited (the last non-empty line) matches. */
  async waitForInputLine(pattern: RegExp, timeoutMs = 8000): Promise<void> {
    await this.waitFor((screen) => {
      const lines = screen.split('\n').filter((l) => l.trim() !== '');
      return pattern.test(lines.at(-1) ?? '');
    }, { timeoutMs });
  }

  /**
   * Types a command line, waits for its echo, presses Enter and waits for the next prompt.
   * Waiting for the prompt alone can be met by the screen from before the keys arrived (the
   * prompt a Ctrl-L left): tmux hands keys over without waiting for the shell to read them.
   */
  async runCommand(text: string, prompt: RegExp, timeoutMs = 8000): Promise<void> {
    await this.type(text);
    const echoed = new RegExp(`${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    await this.waitForInputLine(echoed, timeoutMs);
    await this.keys('Enter');
    await this.waitForInputLine(prompt, timeoutMs);
  }

  /** The last non-empty line on screen. */
  async lastLine(): Promise<string> {
    const lines = (await this.screen()).split('\n').filter((l) => l.trim() !== '');
    return lines.at(-1) ?? '';
  }

  /** Resizes the terminal, as a PuTTY window dragged to another size (SIGWINCH). */
  async resize(width: number, height: number): Promise<void> {
    await this.tmux(['resize-window', '-t', this.session, '-x', String(width), '-y', String(height)]);
  }

  async stop(): Promise<void> {
    await execa('tmux', ['-L', this.socket, 'kill-server'], { reject: false, timeout: 5000 });
  }
}
