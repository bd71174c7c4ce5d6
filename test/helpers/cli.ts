// Runs the built otshell as a user would, with its own throwaway state directory.
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(REPO_ROOT, 'bin/otshell.js');

export function tempStateDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'otshell-test-'));
  // Retries: an otshell just signalled (tmux kill-server) may still write its history file while
  // the directory is removed (ENOTEMPTY, seen once in a full run at a load average of 16).
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 }) };
}

export async function runOtshell(args: string[], options: { stateDir: string; input?: string; env?: Record<string, string> }) {
  const result = await execa('node', [BIN, '--state-dir', options.stateDir, ...args], {
    input: options.input ?? '',
    reject: false,
    timeout: 20_000,
    env: { LANG: 'C.UTF-8', NO_COLOR: '1', ...options.env },
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}
