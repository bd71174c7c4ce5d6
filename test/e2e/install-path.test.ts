// The README's install step puts `otshell` on the PATH: in a fresh copy of the
// repository, after `npm install` (here: the dependencies this checkout already
// has, linked instead of downloaded again, then the build `npm install` runs as
// `prepare`), `npm link` or `npm install -g .` into a temporary prefix gives
// PREFIX/bin/otshell, which runs the copy as a user would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { readFileSync } from 'node:fs';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SKIPPED = new Set(['node_modules', 'dist', '.git', 'reports', '.stryker-tmp']);

describe('install: otshell on the PATH', () => {
  let root: string;
  let clone: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'otshell-install-'));
    clone = join(root, 'otshell');
    cpSync(REPO_ROOT, clone, { recursive: true, filter: (src) => !SKIPPED.has(relative(REPO_ROOT, src).split('/')[0]!) });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'));
    await execa('npm', ['run', 'prepare'], { cwd: clone });
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([[['npm', 'link']], [['npm', 'install', '-g', '.']]])('"%j" puts otshell on the PATH', async (command) => {
    const prefix = join(root, `prefix-${command.length}`);
    const env = { npm_config_prefix: prefix, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    await execa(command[0]!, command.slice(1), { cwd: clone, env });
    const PATH = `${join(prefix, 'bin')}:${process.env.PATH}`;
    const version = await execa('otshell', ['--version'], { env: { PATH }, reject: false });
    expect(version.stdout).toBe(`otshell ${VERSION}`);
    const state = join(root, `state-${command.length}`);
    const list = await execa('otshell', ['--state-dir', state, 'network', 'list', 'eth1'], { env: { PATH, LANG: 'C.UTF-8' }, reject: false });
    expect(list.exitCode, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^eth1: flags=/);
  }, 120_000);
});
