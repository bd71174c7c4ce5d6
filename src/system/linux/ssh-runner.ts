// The runner for --target ssh://user@host[:port]: every command runs on the
// remote host through the system ssh client (execa, argument arrays), over one
// ControlMaster connection per session whose socket lives in a private temp dir
// (made at the first ssh call, after the options were validated; removed with the
// master stopped at close, at process exit and on SIGTERM, SIGHUP and SIGINT).
// ssh hands its command line to the remote user's shell, so every word is
// quoted (shellQuote) and every value was validated before it got here.
import { EXIT, OtshellError } from '../../errors.js';
import { execa, execaSync, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex, PassThrough } from 'node:stream';
import { SensorUnavailableError } from '../errors.js';
import { validateSshOptions } from '../ssh-options.js';
import { checkHost, checkPath, checkPort, checkUserName, shellQuote, InvalidValueError } from './checks.js';
import {
  parseStatLine, parseUptime, streamedProcess, STREAM_SPAWN, type BatchResult, type Command, type ProcessTable, type RunOptions, type RunResult, type Runner, type StreamedProcess,
} from './runner.js';

export interface SshTarget {
  user: string;
  host: string;
  port: number;
}

export function parseSshTarget(target: string): SshTarget {
  const match = /^ssh:\/\/(?:([^@/]+)@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(target);
  if (!match) throw new InvalidValueError(`"${target}" is not an ssh target; use ssh://user@host[:port].`);
  const host = match[2]!.replace(/^\[|\]$/g, '');
  return { user: checkUserName(match[1] ?? 'root'), host: checkHost(host), port: match[3] ? checkPort(match[3]) : 22 };
}

export interface SshRunnerOptions {
  /** Extra ssh client options, each "Key=Value" (passed as -o). */
  options?: string[];
  identityFile?: string;
  connectTimeoutSeconds?: number;
  /** Upper bound on one remote command. */
  commandTimeoutMs?: number;
}

/** readFile's script: exit 3 says "no such file" apart from a failed read. */
const READ_SCRIPT = 'if [ -e "$1" ]; then exec cat -- "$1"; else exit 3; fi';

/**
 * The remote script of a batch: it reads a delimiter from stdin (so it is on no
 * command line, not even in `ps`), then runs each already-quoted line with stdin
 * from /dev/null and frames what it printed and how it ended:
 *   stdout: "D i\n" output "\nD i CODE\n"      stderr: "D i\n" output "\nD i\n"
 * The delimiter is random per call, so no output can forge or end a frame.
 */
export function batchScript(lines: string[]): string {
  const frames = lines.map(
    (line, i) => `printf '%s ${i}\\n' "$d"; printf '%s ${i}\\n' "$d" >&2; ${line} </dev/null; printf '\\n%s ${i} %s\\n' "$d" "$?"; printf '\\n%s ${i}\\n' "$d" >&2`,
  );
  return ['IFS= read -r d || exit 1', ...frames].join('\n');
}

/** Each command's result from a batch's framed output; null when a frame is missing (the script did not get through). */
export function parseBatch(stdout: string, stderr: string, delimiter: string, count: number): RunResult[] | null {
  const results: RunResult[] = [];
  let out = 0;
  let err = 0;
  for (let i = 0; i < count; i += 1) {
    const outStart = stdout.indexOf(`${delimiter} ${i}\n`, out);
    const outEnd = outStart < 0 ? -1 : stdout.indexOf(`\n${delimiter} ${i} `, outStart);
    const codeEnd = outEnd < 0 ? -1 : stdout.indexOf('\n', outEnd + 1);
    const errStart = stderr.indexOf(`${delimiter} ${i}\n`, err);
    const errEnd = errStart < 0 ? -1 : stderr.indexOf(`\n${delimiter} ${i}\n`, errStart);
    if (codeEnd < 0 || errEnd < 0) return null;
    const head = `${delimiter} ${i}\n`.length;
    const exitCode = Number(stdout.slice(outEnd + head + 1, codeEnd));
    if (!Number.isInteger(exitCode)) return null;
    results.push({ stdout: stdout.slice(outStart + head, outEnd), stderr: stderr.slice(errStart + head, errEnd), exitCode });
    out = codeEnd + 1;
    err = errEnd + head + 1;
  }
  return results;
}

/** sshd allows 10 sessions per connection by default (MaxSessions): stay below. */
const MAX_CHANNELS = 8;

export class SshConnectionError extends SensorUnavailableError {}

export class SshRunner implements Runner {
  readonly target: string;
  /** The private ControlPath directory: made at the first ssh call, after every option was validated. */
  private controlDir: string | null = null;
  private readonly optionArgs: string[];
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly children = new Set<ResultPromise>();
  private masterStarted = false;
  private closed = false;

  constructor(
    private readonly remote: SshTarget,
    private readonly settings: SshRunnerOptions = {},
  ) {
    this.target = `ssh://${remote.user}@${remote.host.includes(':') ? `[${remote.host}]` : remote.host}:${remote.port}`;
    // Nothing is created or run before this: a refused option leaves nothing behind.
    const extra: string[] = [];
    for (const option of validateSshOptions(settings.options ?? [])) extra.push('-o', option);
    if (settings.identityFile !== undefined) extra.push('-i', checkPath(settings.identityFile, 'identity file'));
    this.optionArgs = extra;
  }

  /** Every ssh call's options; the first call creates the control directory and registers its cleanup. */
  private get baseArgs(): string[] {
    if (this.closed && this.controlDir === null) throw new SshConnectionError(`The ssh session to ${this.target} is closed.`);
    if (this.controlDir === null) {
      this.controlDir = mkdtempSync(join(tmpdir(), 'otshell-ssh-'));
      registerCleanup(this);
    }
    // ssh keeps the first value it reads for an option: the user's -o come first.
    return [
      ...this.optionArgs,
      '-o', 'BatchMode=yes',
      '-o', `ConnectTimeout=${this.settings.connectTimeoutSeconds ?? 10}`,
      '-o', 'ServerAliveInterval=5',
      '-o', 'ServerAliveCountMax=2',
      '-o', 'ControlMaster=auto',
      '-o', `ControlPath=${join(this.controlDir, 'cm')}`,
      '-o', 'ControlPersist=120',
      '-o', 'LogLevel=ERROR',
      '-p', String(this.remote.port),
      '-l', this.remote.user,
    ];
  }

  private get destination(): string {
    return this.remote.host;
  }

  /** One remote command line; the remote shell sees each word quoted. */
  private remoteLine(command: string, args: string[]): string {
    return [command, ...args].map(shellQuote).join(' ');
  }

  private async acquire(): Promise<() => void> {
    if (this.active >= MAX_CHANNELS) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.waiting.shift()?.();
    };
  }

  private async channel<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** The first command opens the master; others wait for it so they share it. */
  private async ensureMaster(): Promise<void> {
    if (this.masterStarted) return;
    if (this.closed) throw new SshConnectionError(`The ssh session to ${this.target} is closed.`);
    const result = await execa('ssh', [...this.baseArgs, '--', this.destination, 'true'], {
      reject: false,
      timeout: ((this.settings.connectTimeoutSeconds ?? 10) + 5) * 1000,
      stdin: 'ignore',
    });
    if (result.exitCode !== 0) throw this.connectionError(String(result.stderr), Boolean(result.timedOut));
    this.masterStarted = true;
  }

  private masterPromise: Promise<void> | null = null;
  /** `opening`, when given and no connection is up or underway, opens it instead of ensureMaster (see batch). */
  private connect(opening?: () => Promise<void>): Promise<void> {
    if (!this.masterPromise) {
      const open = opening && !this.closed ? opening().then(() => void (this.masterStarted = true)) : this.ensureMaster();
      this.masterPromise = open.catch((error) => {
        this.masterPromise = null;
        throw error;
      });
    }
    return this.masterPromise;
  }

  connectionError(stderr: string, timedOut: boolean): SshConnectionError {
    const where = `${this.remote.host} port ${this.remote.port}`;
    const last = stderr.trim().split('\n').filter(Boolean).at(-1) ?? '';
    if (timedOut || /timed out|Operation timed out/i.test(stderr)) {
      return new SshConnectionError(`Connection to ${where} timed out: the host did not answer in time. Check the address, the network path and that sshd runs.`);
    }
    if (/Connection refused/i.test(stderr)) {
      return new SshConnectionError(`Connection to ${where} was refused: nothing listens there. Check the port and that sshd runs on the sensor.`);
    }
    if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(stderr)) {
      return new SshConnectionError(
        `Host key mismatch for ${where}: the key it presents differs from the one in known_hosts. This may be a reinstalled sensor or an attack; verify the new key before removing the old one (ssh-keygen -R).`,
      );
    }
    if (/Host key verification failed|No .*host key is known/i.test(stderr)) {
      return new SshConnectionError(
        `The host key of ${where} is not in known_hosts, so the sensor cannot be verified. Connect once with ssh interactively (or add the verified key to known_hosts) and try again.`,
      );
    }
    if (/Permission denied|Too many authentication failures|no mutual signature/i.test(stderr)) {
      return new SshConnectionError(
        `Authentication as ${this.remote.user} on ${where} failed. otshell never prompts for passwords: use a key (--identity-file, ssh-agent or ~/.ssh/config).`,
      );
    }
    if (/Could not resolve hostname|Name or service not known/i.test(stderr)) {
      return new SshConnectionError(`The host name ${this.remote.host} could not be resolved.`);
    }
    if (/No route to host|Network is unreachable/i.test(stderr)) {
      return new SshConnectionError(`${where} cannot be reached: ${last}`);
    }
    return new SshConnectionError(`ssh to ${where} failed: ${last || 'no reason given'}`);
  }

  /** One ssh process running a remote command line. */
  private exec(line: string, options: RunOptions): Promise<RunResult & { timedOut: boolean }> {
    return this.channel(async () => {
      const child = execa('ssh', [...this.baseArgs, '--', this.destination, line], {
        input: options.input ?? '',
        reject: false,
        timeout: options.timeoutMs ?? this.settings.commandTimeoutMs ?? 30_000,
        stripFinalNewline: false,
      });
      this.children.add(child);
      const result = await child;
      this.children.delete(child);
      return { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), exitCode: result.exitCode ?? 1, timedOut: Boolean(result.timedOut) };
    });
  }

  async run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    await this.connect();
    const { timedOut, ...result } = await this.exec(this.remoteLine(command, args), options);
    // 255 is ssh's own failure (the remote command's exit code otherwise).
    if (result.exitCode === 255 && /^(ssh:|ssh_exchange|kex_|Connection|Host key|Permission denied|@@@)/m.test(result.stderr)) {
      throw this.connectionError(result.stderr, false);
    }
    if (timedOut) throw new SshConnectionError(`${command} on ${this.target} did not finish in time.`);
    return result;
  }

  /**
   * All commands and file reads in one ssh process (batchScript). The first
   * batch of a session also opens the connection (ControlMaster=auto makes its
   * ssh the master), so no `ssh true` or `-O check` goes before it: its result
   * tells a connection failure apart for sure, since the script always prints
   * its frames once it runs.
   */
  async batch(commands: Command[], files: string[]): Promise<BatchResult> {
    const all = [...commands, ...files.map((path) => ({ command: 'sh', args: ['-c', READ_SCRIPT, 'sh', checkPath(path)] }))];
    let results: RunResult[] | undefined;
    await this.connect(async () => {
      results = await this.runBatch(all);
    });
    results ??= await this.runBatch(all);
    const done = results;
    return {
      results: done.slice(0, commands.length),
      files: files.map((path, i): PromiseSettledResult<string | null> => {
        try {
          return { status: 'fulfilled', value: this.fileText(path, done[commands.length + i]!) };
        } catch (reason) {
          return { status: 'rejected', reason };
        }
      }),
    };
  }

  private async runBatch(commands: Command[]): Promise<RunResult[]> {
    const delimiter = `otshell-${randomBytes(16).toString('hex')}`;
    const script = batchScript(commands.map((c) => this.remoteLine(c.command, c.args)));
    const result = await this.exec(this.remoteLine('sh', ['-c', script]), { input: `${delimiter}\n` });
    const parsed = parseBatch(result.stdout, result.stderr, delimiter, commands.length);
    if (parsed) return parsed;
    const started = result.stdout.includes(delimiter);
    if (started && result.timedOut) throw new SshConnectionError(`Commands on ${this.target} did not finish in time.`);
    // No frame at all: ssh itself failed (255) or never got through.
    if (!started && (result.timedOut || result.exitCode === 255)) throw this.connectionError(result.stderr, result.timedOut);
    throw new OtshellError(`Commands on ${this.target} failed: ${result.stderr.trim().split('\n').at(-1) || `exit code ${result.exitCode}`}`, EXIT.PROBLEM);
  }

  /** A fixed script with positional parameters: values never become shell code. */
  private sh(script: string, args: string[], options?: RunOptions): Promise<RunResult> {
    return this.run('sh', ['-c', script, 'sh', ...args], options);
  }

  async readFile(path: string): Promise<string | null> {
    return this.fileText(path, await this.sh(READ_SCRIPT, [checkPath(path)]));
  }

  private fileText(path: string, result: RunResult): string | null {
    if (result.exitCode === 3) return null;
    if (result.exitCode !== 0) throw new OtshellError(`Cannot read ${path} on ${this.target}: ${result.stderr.trim()}`, EXIT.CONFIG);
    return result.stdout;
  }

  async writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
    const script = [
      'set -e',
      'd=$(dirname -- "$1"); mkdir -p -- "$d"',
      't="$d/.$(basename -- "$1").$$.tmp"',
      'trap \'rm -f -- "$t"\' EXIT',
      "trap 'exit 1' HUP INT TERM",
      'umask 077; cat > "$t"; chmod "$2" "$t"; sync "$t"',
      'mv -f -- "$t" "$1"; trap - EXIT; sync "$d" 2>/dev/null || true',
    ].join('\n');
    const result = await this.sh(script, [checkPath(path), mode.toString(8)], { input: data });
    if (result.exitCode !== 0) throw new OtshellError(`Cannot write ${path} on ${this.target}: ${result.stderr.trim()}`, EXIT.CONFIG);
  }

  async appendDurably(path: string, line: string): Promise<void> {
    // A line torn by a crash (no final newline) must not swallow this one: start on a fresh line.
    const script = 'set -e; mkdir -p -- "$(dirname -- "$1")"; if [ -s "$1" ] && [ -n "$(tail -c 1 -- "$1")" ]; then printf "\\n" >> "$1"; fi; cat >> "$1"; sync "$1"';
    const result = await this.sh(script, [checkPath(path)], {
      input: line.endsWith('\n') ? line : `${line}\n`,
    });
    if (result.exitCode !== 0) throw new OtshellError(`Cannot append to ${path} on ${this.target}: ${result.stderr.trim()}`, EXIT.CONFIG);
  }

  async createExclusive(path: string, data: string): Promise<boolean> {
    // The whole content goes to a synced temp file first; `ln` (no -f) then
    // creates the name atomically or fails because it exists: never an empty file.
    const script = [
      'd=$(dirname -- "$1"); mkdir -p -- "$d" || exit 2',
      't="$d/.$(basename -- "$1").$$.tmp"',
      'trap \'rm -f -- "$t"\' EXIT',
      "trap 'exit 1' HUP INT TERM",
      'umask 022; cat > "$t" || exit 2; sync "$t" 2>/dev/null',
      'if ln -- "$t" "$1" 2>/dev/null; then sync "$d" 2>/dev/null; exit 0; fi',
      '[ -e "$1" ] && exit 3; exit 2',
    ].join('\n');
    const result = await this.sh(script, [checkPath(path)], { input: data });
    if (result.exitCode === 3) return false;
    if (result.exitCode !== 0) throw new OtshellError(`Cannot create ${path} on ${this.target}: ${result.stderr.trim() || 'ln failed'}`, EXIT.CONFIG);
    return true;
  }

  async ageSeconds(path: string): Promise<number | null> {
    const result = await this.sh('m=$(stat -c %Y -- "$1" 2>/dev/null) || exit 3; echo $(( $(date +%s) - m ))', [checkPath(path)]);
    if (result.exitCode === 3) return null;
    const age = Number(result.stdout.trim());
    if (result.exitCode !== 0 || !Number.isFinite(age)) throw new Error(`Cannot read the age of ${path} on ${this.target}: ${result.stderr.trim()}`);
    return age;
  }

  async checkAppendable(path: string): Promise<void> {
    const result = await this.sh('mkdir -p -- "$(dirname -- "$1")" && : >> "$1"', [checkPath(path)]);
    if (result.exitCode !== 0) {
      const error = new Error(`${path} on ${this.target}: ${result.stderr.trim().split('\n').at(-1) ?? 'not writable'}`) as NodeJS.ErrnoException;
      if (/Permission denied/i.test(result.stderr)) error.code = 'EACCES';
      else if (/No space/i.test(result.stderr)) error.code = 'ENOSPC';
      else if (/Is a directory/i.test(result.stderr)) error.code = 'EISDIR';
      throw error;
    }
  }

  async rename(from: string, to: string): Promise<boolean> {
    const result = await this.sh('[ -e "$1" ] || exit 3; exec mv -f -- "$1" "$2"', [checkPath(from), checkPath(to)]);
    if (result.exitCode === 3) return false;
    if (result.exitCode !== 0) {
      if (/No such file/.test(result.stderr)) return false;
      throw new OtshellError(`Cannot rename ${from} on ${this.target}: ${result.stderr.trim()}`, EXIT.CONFIG);
    }
    return true;
  }

  async remove(path: string): Promise<void> {
    await this.run('rm', ['-rf', '--', checkPath(path)]);
  }

  async canWrite(path: string): Promise<boolean> {
    const result = await this.sh('d="$1"; while [ ! -e "$d" ]; do d=$(dirname -- "$d"); done; [ -w "$d" ]', [checkPath(path)]);
    return result.exitCode === 0;
  }

  async listDir(path: string): Promise<string[]> {
    const result = await this.run('ls', ['-1A', '--', checkPath(path)]);
    return result.exitCode === 0 ? result.stdout.split('\n').filter(Boolean) : [];
  }

  async processTable(): Promise<ProcessTable> {
    // One round trip: the uptime, then every /proc/PID/stat line (the glob is the remote shell's).
    const result = await this.sh('cat /proc/uptime; for f in /proc/[0-9]*/stat; do read -r l < "$f" 2>/dev/null && printf "%s\\n" "$l"; done', []);
    const [first, ...lines] = result.stdout.split('\n');
    if (!first) throw new OtshellError(`Cannot read /proc on ${this.target}: ${result.stderr.trim()}`, EXIT.UNAVAILABLE);
    return {
      uptimeSeconds: parseUptime(first),
      processes: lines.map(parseStatLine).filter((p): p is NonNullable<typeof p> => p !== null),
    };
  }

  /** ssh -W: a TCP stream from the remote host, through the master connection. */
  async openTcp(host: string, port: number): Promise<Duplex> {
    await this.connect();
    const target = `${host.includes(':') ? `[${checkHost(host)}]` : checkHost(host)}:${checkPort(port)}`;
    const release = await this.acquire();
    // LogLevel DEBUG1 (-v): through the master, ssh prints "master session id" only once the sensor's
    // connect() succeeded (OpenSSH's mux waits for the channel confirmation) and
    // "Stdio forwarding request failed" when it did not. That line, not silence, is success.
    // (-o LogLevel=ERROR in baseArgs would win over -v: the first value of an option counts.)
    const args = this.baseArgs.map((arg) => (arg === 'LogLevel=ERROR' ? 'LogLevel=DEBUG1' : arg));
    const child = execa('ssh', [...args, '-W', target, '--', this.destination], {
      reject: false,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
    });
    this.children.add(child);
    // Our writes go through a PassThrough: when the sensor's side closes, ssh exits and its
    // stdin pipe closes before it "finished", which Duplex.from takes for a premature close of
    // the whole stream and destroys it, dropping the answer still buffered on stdout (a server
    // that answers and closes at once: an HTTP proxy, a CRL server). Writes after that are moot.
    const input = new PassThrough();
    child.stdin!.on('error', () => {});
    input.pipe(child.stdin!);
    const stream = Duplex.from({ readable: child.stdout!, writable: input });
    const stderr: Buffer[] = [];
    let settleAccepted: (accepted: boolean) => void = () => {};
    const accepted = new Promise<boolean>((resolve) => (settleAccepted = resolve));
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      const text = Buffer.concat(stderr).toString();
      if (/master session id/.test(text)) settleAccepted(true);
      else if (/forwarding request failed|open failed|connect failed/i.test(text)) settleAccepted(false);
    });
    void child.then(() => settleAccepted(false));
    const done = () => {
      this.children.delete(child);
      release();
      if (!child.killed && child.exitCode === null) child.kill('SIGTERM');
    };
    stream.on('close', done);
    // ssh -W gives the stream before the remote connect is known; this settles
    // with the refusal (or null when ssh ended cleanly: connected, then closed).
    const outcome = child.then((result) => {
      const text = Buffer.concat(stderr).toString();
      return result.exitCode !== 0 && /open failed|connect failed|refused|administratively prohibited|forwarding request failed/i.test(text)
        ? new Error(/refused/i.test(text) ? 'connection refused' : text.trim().split('\n').at(-1) ?? 'connect failed')
        : null;
    });
    (stream as Duplex & { remoteOutcome?: Promise<Error | null> }).remoteOutcome = outcome;
    (stream as RemoteTcpStream).remoteAccepted = accepted;
    outcome.then((error) => {
      if (error) stream.destroy(error);
      // A clean exit: the sensor's side closed. What ssh already wrote must still be
      // read to its end: destroying here raced the last bytes ("Premature close" for
      // an HTTP answer). Ending our side lets the stream finish and close by itself.
      else stream.end();
    });
    return stream;
  }

  /**
   * The program on the remote host, its stdout streamed back through the
   * master connection. Stopping or killing ssh closes the channel; the remote
   * program then gets EPIPE on its next write (dumpcap also stops by itself:
   * -a duration). The connection must be open (connect() first).
   */
  spawnStream(command: string, args: string[]): StreamedProcess {
    // setpriv: the remote program dies with its parent (the session sshd ends when the channel closes)
    const line = this.remoteLine('setpriv', ['--pdeathsig', 'TERM', '--', command, ...args]);
    const child = execa('ssh', [...this.baseArgs, '--', this.destination, line], STREAM_SPAWN);
    this.children.add(child);
    void child.then(
      () => this.children.delete(child),
      () => this.children.delete(child),
    );
    return streamedProcess(child);
  }

  async spawnDetached(command: string, args: string[]): Promise<void> {
    // setsid: own session, so neither the end of this ssh channel nor a hangup stops it.
    const result = await this.sh('setsid "$@" </dev/null >/dev/null 2>&1 &', [command, ...args]);
    if (result.exitCode !== 0) throw new OtshellError(`Cannot start ${command} on ${this.target}: ${result.stderr.trim()}`, EXIT.PROBLEM);
  }

  async sessionEnv(name: string): Promise<string | undefined> {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new InvalidValueError(`"${name}" is not an environment variable name.`);
    const result = await this.run('printenv', [name]);
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const child of this.children) child.kill('SIGTERM');
    const dir = this.controlDir;
    if (dir === null) return;
    // By the socket, not masterStarted: a batch that opened the master and then failed leaves one too.
    if (existsSync(join(dir, 'cm'))) {
      await execa('ssh', [...this.baseArgs, '-O', 'exit', '--', this.destination], { reject: false, timeout: 5000, stdin: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
    unregisterCleanup(this);
  }

  /**
   * The same, synchronously, for process exit and fatal signals: stop the
   * running ssh children, ask the master to exit, remove the directory.
   */
  cleanupNow(): void {
    this.closed = true;
    for (const child of this.children) child.kill('SIGTERM');
    const dir = this.controlDir;
    if (dir === null) return;
    if (existsSync(join(dir, 'cm'))) {
      execaSync('ssh', ['-o', `ControlPath=${join(dir, 'cm')}`, '-O', 'exit', '--', this.destination], { reject: false, timeout: 3000, stdin: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
    unregisterCleanup(this);
  }
}

// ---------------------------------------------------------------- cleanup on exit and signals

/** Runners whose control directory exists; cleaned on exit and on SIGTERM, SIGHUP, SIGINT. */
const live = new Set<SshRunner>();
const FATAL_SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;

function cleanupAll(): void {
  for (const runner of [...live]) {
    try {
      runner.cleanupNow();
    } catch {
      // best effort: the process is ending
    }
  }
}

/**
 * A fatal signal: clean up now. When no one else handles the signal, die by it
 * as if we had not listened (the default action); otherwise the other handler
 * (the one-shot's Ctrl-C, a deferral during apply) decides, and the exit hook
 * has nothing left to do.
 */
function onSignal(signal: NodeJS.Signals): void {
  cleanupAll();
  // Another listener, or one that already ran and set the exit code (main's Ctrl-C: 130), owns the exit.
  if (process.listenerCount(signal) > 1 || process.exitCode !== undefined) return;
  removeListeners();
  process.kill(process.pid, signal);
}

const handlers = new Map(FATAL_SIGNALS.map((signal) => [signal, () => onSignal(signal)]));

function removeListeners(): void {
  process.removeListener('exit', cleanupAll);
  for (const [signal, handler] of handlers) process.removeListener(signal, handler);
}

function registerCleanup(runner: SshRunner): void {
  if (live.size === 0) {
    process.on('exit', cleanupAll);
    for (const [signal, handler] of handlers) process.on(signal, handler);
  }
  live.add(runner);
}

function unregisterCleanup(runner: SshRunner): void {
  if (!live.delete(runner) || live.size > 0) return;
  removeListeners();
}

/** A stream from `ssh -W`: `remoteAccepted` settles true once ssh reported the sensor's connect() succeeded. */
export type RemoteTcpStream = Duplex & { remoteAccepted?: Promise<boolean> };
