// Types keys one at a time into the built shell under a real 80x24 pseudo-terminal
// and returns the bytes written after each: the PTY driver of `npm run
// bench:startup` (bench/lib/pty-session.py), so the test and the bench count alike.
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN, REPO_ROOT } from './cli.js';
import { TEST_PASSWORD } from './sign-in.js';

const DRIVER = join(REPO_ROOT, 'bench/lib/pty-session.py');

export interface KeyBytes {
  key: string;
  bytes: string;
}

/** One session signed in as support (the state prepared by prepareSignedInState) typing `keys`. */
export async function typeUnderPty(stateDir: string, keys: string[]): Promise<KeyBytes[]> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), LANG: 'C.UTF-8', TERM: 'xterm-256color' };
  // Ink draws no live frames when it thinks it runs in CI; a console is not CI.
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'COLUMNS', 'LINES', 'NODE_OPTIONS', 'FORCE_COLOR', 'NO_COLOR']) delete env[name];
  const spec = {
    argv: [process.execPath, BIN, '--state-dir', stateDir, '--user', 'support'],
    env,
    cols: 80,
    rows: 24,
    prompt: 'shell> ',
    dialog: [['Password:', `${TEST_PASSWORD}\r`]],
    keys,
    // A key's frame is complete once nothing more came for this long (generous on a loaded machine).
    quietMs: 120,
    keyTimeoutMs: 5000,
    promptTimeoutMs: 30_000,
    exitTimeoutMs: 5000,
  };
  const r = await execa('python3', [DRIVER], { input: JSON.stringify(spec), reject: false, timeout: 120_000 });
  const result = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ok: boolean; error?: string; keys: KeyBytes[] };
  if (!result.ok) throw new Error(`PTY session failed: ${result.error ?? r.stderr}`);
  return result.keys;
}
