// Shared by lock.test.ts and kill-during-apply.test.ts: the worker bundled once
// per file, a pool of long-lived editors synchronised by a barrier, and checks
// of what a state directory holds.
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { parseAuditLogDetailed } from '../../src/system/audit-log.js';
import type { AuditEntry, NetworkSettings } from '../../src/system/adapter.js';

let workerPath: Promise<string> | null = null;

/** The worker, bundled once per test file (readable by any user: the needs-root case runs as nobody). */
export function worker(): Promise<string> {
  workerPath ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otshell-lock-worker-'));
    const out = join(dir, 'lock-worker.mjs');
    await build({
      entryPoints: [join(REPO_ROOT, 'test/hostile/lock-worker.ts')],
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      splitting: true,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
      banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    });
    chmodSync(dir, 0o755);
    return out;
  })();
  return workerPath;
}

/** Removes the bundled worker (call in afterAll). */
export async function removeWorker(): Promise<void> {
  if (!workerPath) return;
  const path = await workerPath;
  workerPath = null;
  rmSync(dirname(path), { recursive: true, force: true });
}

export interface WorkerRequest {
  mode: 'editor' | 'kill' | 'race';
  target: 'simulator' | 'local';
  stateDir: string;
  configPath?: string;
  user: string;
  holding?: string;
  lockDir?: string;
  rebooterClock?: boolean;
}

/** Spawns the worker, inside the namespace when given; stdout lines go to onLine. */
export async function spawnWorker(request: WorkerRequest, options: { netns?: string; onLine?: (line: string) => void } = {}): Promise<ChildProcess> {
  const path = await worker();
  const argv = [process.execPath, path, JSON.stringify(request)];
  const [command, ...args] = options.netns ? ['ip', 'netns', 'exec', options.netns, ...argv] : argv;
  const child = spawn(command!, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    // No SSH_CONNECTION: a change on the management interface would otherwise wait for "network confirm".
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' },
  });
  child.stderr!.setEncoding('utf8');
  let stderr = '';
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  (child as ChildProcess & { stderrText: () => string }).stderrText = () => stderr;
  if (options.onLine) createInterface({ input: child.stdout! }).on('line', options.onLine);
  return child;
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Long-lived editors: each round, every editor gets its command line at once and answers when it is applied. */
export class EditorPool {
  private readonly waiting = new Map<string, (line: string) => void>();
  private constructor(readonly children: ChildProcess[]) {}

  static async start(count: number, request: (index: number) => WorkerRequest, netns?: string): Promise<EditorPool> {
    const children: ChildProcess[] = [];
    const pool = new EditorPool(children);
    for (let i = 0; i < count; i += 1) {
      children.push(
        await spawnWorker(request(i), {
          netns,
          onLine: (line) => {
            const [word, round] = line.split(' ');
            if (word === 'done') pool.waiting.get(`${i}:${round}`)?.(line);
          },
        }),
      );
    }
    return pool;
  }

  /** One round: sends every editor its words (the barrier: all are released together), resolves with each answer. */
  async round(round: number, words: (index: number) => string[]): Promise<{ exitCode: number; attempts: number; text: string }[]> {
    const answers = this.children.map(
      (_, i) =>
        new Promise<string>((resolve, reject) => {
          const onExit = (code: number | null) => reject(new Error(`editor ${i} exited (${code}): ${(this.children[i] as any).stderrText()}`));
          this.children[i]!.once('exit', onExit);
          this.waiting.set(`${i}:${round}`, (line) => {
            this.children[i]!.removeListener('exit', onExit);
            resolve(line);
          });
        }),
    );
    for (const child of this.children) child.setMaxListeners(0);
    for (const [i, child] of this.children.entries()) child.stdin!.write(`go ${round} ${JSON.stringify(words(i))}\n`);
    const lines = await Promise.all(answers);
    return lines.map((line) => {
      const [, , exitCode, attempts, ...rest] = line.split(' ');
      return { exitCode: Number(exitCode), attempts: Number(attempts), text: JSON.parse(rest.join(' ')) as string };
    });
  }

  async stop(): Promise<void> {
    for (const child of this.children) {
      child.removeAllListeners('exit');
      child.stdin!.end();
    }
    await Promise.all(this.children.map(exited));
  }
}

/** The audit log's entries; every line must be a complete entry. */
export function auditEntries(stateDir: string): AuditEntry[] {
  let text = '';
  try {
    text = readFileSync(join(stateDir, 'audit.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const { entries, malformedLines } = parseAuditLogDetailed(text);
  expect(malformedLines).toEqual([]);
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return entries;
}

/** 0 lost updates: each line's old value is the previous line's new value. */
export function expectChained(entries: AuditEntry[], key: (s: NetworkSettings) => unknown, first: unknown): void {
  let previous = first;
  entries.forEach((entry, index) => {
    expect(key(entry.old), `audit line ${index + 1}: old value is not the previous line's new value (a lost update)`).toEqual(previous);
    previous = key(entry.new);
  });
}

/** Temp files (atomic writes, lock records) anywhere under dir. */
export function tempFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.tmp')) found.push(path);
    }
  };
  walk(dir);
  return found;
}

/**
 * A throwaway state directory on tmpfs (/dev/shm) when there is one: these
 * loops test the lock and the order of writes, not the disk, and 1,000 fsynced
 * changes would otherwise cost the shared CI machine most of their time.
 * rename(), link() and O_EXCL behave the same there.
 */
export function fastStateDir(): { dir: string; cleanup(): void } {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'otshell-hostile-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
