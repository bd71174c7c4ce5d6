// The "runner": how the Linux adapter reaches its host. LocalRunner runs
// commands here (execa, argument arrays) and uses the file system directly;
// SshRunner (ssh-runner.ts) does the same on a remote host through ssh.
// The adapter's logic is written once, against this interface.
import { EXIT, OtshellError } from '../../errors.js';
import { execa } from 'execa';
import { reapWithOtshell } from './child-reaper.js';
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { readFile, readdir, rename, rm, access } from '../../lazy-fs.js';
import { constants } from 'node:fs';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import { writeFileAtomic, appendLineDurably, createFileExclusive, readFileIfExists, fileAgeSeconds, checkAppendable } from '../atomic-write.js';

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface Command {
  command: string;
  args: string[];
}

export interface BatchResult {
  /** Each command's result, as run() gives it. */
  results: RunResult[];
  /** Each file's text (null when it does not exist), or why it could not be read, as readFile() settles. */
  files: PromiseSettledResult<string | null>[];
}

/** A settled read's value, or its error thrown. */
export function settledValue<T>(settled: PromiseSettledResult<T>): T {
  if (settled.status === 'rejected') throw settled.reason;
  return settled.value;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
}

export interface ProcessInfo {
  pid: number;
  comm: string;
  /** Start time in clock ticks after boot (field 22 of /proc/PID/stat). */
  startTicks: number;
}

export interface ProcessTable {
  processes: ProcessInfo[];
  /** Seconds since boot, from /proc/uptime. */
  uptimeSeconds: number;
}

export interface Runner {
  /** "local" or "ssh://user@host:port". */
  readonly target: string;
  /** Runs one command with an argument array. Never throws for a non-zero exit; throws when the host cannot be reached. */
  run(command: string, args: string[], options?: RunOptions): Promise<RunResult>;
  /** The file's text, or null when it does not exist. */
  readFile(path: string): Promise<string | null>;
  /** Several commands and file reads at once: over ssh one process and one round trip instead of one each. */
  batch(commands: Command[], files: string[]): Promise<BatchResult>;
  /** Temp file beside the target, fsync, rename, fsync the directory. */
  writeFileAtomic(path: string, data: string, mode: number): Promise<void>;
  /** Appends a line and fsyncs it. */
  appendDurably(path: string, line: string): Promise<void>;
  /**
   * Creates the file only if it does not exist yet, with its whole content in
   * one step (a fsynced temp file link()ed to the name, as `ln` without -f):
   * never seen empty or half written. False when it exists.
   */
  createExclusive(path: string, data: string): Promise<boolean>;
  /** Seconds since the file was modified, by the host's clock; null when it does not exist. */
  ageSeconds(path: string): Promise<number | null>;
  /** Fails when the file cannot be opened for appending (it is created when missing). */
  checkAppendable(path: string): Promise<void>;
  /** rename(2); false when the source does not exist (someone else took it). */
  rename(from: string, to: string): Promise<boolean>;
  remove(path: string): Promise<void>;
  /** Whether the directory (or, when missing, its nearest existing parent) is writable by us. */
  canWrite(path: string): Promise<boolean>;
  /** Names in a directory; [] when it does not exist. */
  listDir(path: string): Promise<string[]>;
  /** Every process's name and start time, from procfs. */
  processTable(): Promise<ProcessTable>;
  /** A TCP connection made from the host (for port and HTTP checks). */
  openTcp(host: string, port: number): Promise<Duplex>;
  /** Starts a program detached from this session (own session, no terminal, stdio to /dev/null). */
  spawnDetached(command: string, args: string[]): Promise<void>;
  /** An environment variable of the session on the host (SSH_CONNECTION). */
  sessionEnv(name: string): Promise<string | undefined>;
  /** A long-running program whose stdout is read as a stream (dumpcap); killed with otshell. */
  spawnStream(command: string, args: string[]): StreamedProcess;
  close(): Promise<void>;
}

export interface StreamedProcess {
  readonly stdout: NodeJS.ReadableStream;
  /** Asks the program to stop (SIGINT: dumpcap closes its output cleanly); SIGKILL later if it does not. */
  stop(): void;
  /** Settles when the process has exited and been reaped: its exit code and the end of its stderr. */
  readonly exited: Promise<{ exitCode: number | null; stderr: string }>;
}

/** Wraps an execa child: stop() is SIGINT then, after `graceMs`, SIGKILL; stderr kept to its last 4 kB. */
export function streamedProcess(child: ReturnType<typeof execa>, graceMs = 3000): StreamedProcess {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4096);
  });
  const exited = (child as unknown as Promise<{ exitCode?: number }>).then(
    (r) => ({ exitCode: r.exitCode ?? null, stderr }),
    () => ({ exitCode: null, stderr }),
  );
  reapWithOtshell(child, exited);
  let stopping = false;
  return {
    stdout: child.stdout!,
    stop() {
      if (stopping || child.exitCode !== null) return;
      stopping = true;
      child.kill('SIGINT');
      const force = setTimeout(() => {
        if (child.exitCode === null) child.kill('SIGKILL');
      }, graceMs);
      force.unref();
    },
    exited,
  };
}

const SEARCH_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * How a streamed program is spawned, here or through ssh: output read as it comes, never
 * buffered; execa's own cleanup off, because it re-raises SIGINT and would kill otshell before
 * Ctrl-C can report (the child is reaped by child-reaper.ts or by closing the ssh channel).
 */
export const STREAM_SPAWN = { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false, cleanup: false } as const;

/** Here, under `setpriv --pdeathsig TERM`; reaped with otshell (child-reaper.ts). */
function spawnLocalStream(env: NodeJS.ProcessEnv, command: string, args: string[]): StreamedProcess {
  const child = execa('setpriv', ['--pdeathsig', 'TERM', '--', command, ...args], {
    ...STREAM_SPAWN,
    env: { PATH: `${env.PATH ?? ''}:${SEARCH_PATH}`, LC_ALL: 'C' },
    extendEnv: false,
  });
  return streamedProcess(child);
}

export class LocalRunner implements Runner {
  readonly target = 'local';

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  spawnStream(command: string, args: string[]): StreamedProcess {
    return spawnLocalStream(this.env, command, args);
  }

  async run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await execa(command, args, {
      input: options.input ?? '',
      reject: false,
      timeout: options.timeoutMs ?? 30_000,
      env: { PATH: `${this.env.PATH ?? ''}:${SEARCH_PATH}`, LC_ALL: 'C' },
      extendEnv: false,
      stripFinalNewline: false,
    });
    if (result.failed && result.exitCode === undefined) {
      const reason = result.timedOut ? `timed out after ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s` : (result.cause as Error | undefined)?.message ?? 'could not start';
      return { stdout: String(result.stdout ?? ''), stderr: `${command}: ${reason}`, exitCode: 127 };
    }
    return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? 1 };
  }

  async batch(commands: Command[], files: string[]): Promise<BatchResult> {
    const [results, texts] = await Promise.all([
      Promise.all(commands.map((c) => this.run(c.command, c.args))),
      Promise.allSettled(files.map((path) => this.readFile(path))),
    ]);
    return { results, files: texts };
  }

  readFile(path: string): Promise<string | null> {
    return readFileIfExists(path);
  }

  writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
    return writeFileAtomic(path, data, mode);
  }

  appendDurably(path: string, line: string): Promise<void> {
    return appendLineDurably(path, line);
  }

  createExclusive(path: string, data: string): Promise<boolean> {
    return createFileExclusive(path, data);
  }

  ageSeconds(path: string): Promise<number | null> {
    return fileAgeSeconds(path);
  }

  checkAppendable(path: string): Promise<void> {
    return checkAppendable(path);
  }

  async rename(from: string, to: string): Promise<boolean> {
    try {
      await rename(from, to);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true, recursive: true });
  }

  async canWrite(path: string): Promise<boolean> {
    for (let dir = path; ; dir = dirname(dir)) {
      try {
        await access(dir, constants.F_OK);
      } catch {
        if (dir === '/') return false;
        continue;
      }
      try {
        await access(dir, constants.W_OK);
        return true;
      } catch {
        return false;
      }
    }
  }

  async listDir(path: string): Promise<string[]> {
    try {
      return await readdir(path);
    } catch {
      return [];
    }
  }

  async processTable(): Promise<ProcessTable> {
    const uptimeSeconds = parseUptime(await readFile('/proc/uptime', 'utf8'));
    const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
    const processes: ProcessInfo[] = [];
    await Promise.all(
      pids.map(async (pid) => {
        try {
          const info = parseStatLine(await readFile(`/proc/${pid}/stat`, 'utf8'));
          if (info) processes.push(info);
        } catch {
          // gone since readdir
        }
      }),
    );
    return { processes, uptimeSeconds };
  }

  openTcp(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket: Socket = connect({ host, port });
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }

  async spawnDetached(command: string, args: string[]): Promise<void> {
    const child = spawn(command, args, {
      detached: true, // own session (setsid): survives the end of this one
      stdio: 'ignore',
      env: { PATH: SEARCH_PATH, LC_ALL: 'C' },
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    child.unref();
  }

  async sessionEnv(name: string): Promise<string | undefined> {
    return this.env[name];
  }

  get hostName(): string {
    return hostname();
  }

  async close(): Promise<void> {}
}

/** /proc/PID/stat: "pid (comm) state ppid ... starttime(22) ..."; comm may hold spaces and parentheses. */
export function parseStatLine(line: string): ProcessInfo | null {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(line.slice(0, open).trim());
  const rest = line.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); starttime is field 22.
  const startTicks = Number(rest[19]);
  if (!Number.isInteger(pid) || !Number.isFinite(startTicks)) return null;
  return { pid, comm: line.slice(open + 1, close), startTicks };
}

export function parseUptime(text: string): number {
  const value = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isFinite(value)) throw new OtshellError('unreadable /proc/uptime', EXIT.UNAVAILABLE);
  return value;
}
