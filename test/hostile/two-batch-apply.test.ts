// The two remote scripts of the apply over ssh (src/system/linux/two-batch-apply.ts)
// with hostile paths and texts: shell syntax, quotes, printf directives, control
// bytes, a torn audit log, a held lock. Run here through `sh` by a runner that
// runs a batch's commands in order, as the ssh runner's one remote script does;
// no ip step touches an interface (the one failing step names a device that does
// not exist). The lock step checks root (CapEff) as on a sensor: needs root.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRunner, type BatchResult, type Command } from '../../src/system/linux/runner.js';
import { LINKS_COMMAND, ROUTES_COMMAND } from '../../src/system/linux/iproute.js';
import { backupPlan, readAndLock, writeApplyAudit, type ApplyBatch } from '../../src/system/linux/two-batch-apply.js';

const notRoot = process.getuid?.() !== 0;
if (notRoot && process.env.CI !== 'true') console.log('test/hostile/two-batch-apply.test.ts skipped: the lock step checks root (CapEff), run as root');

/** LocalRunner, with a batch's commands run one after another (the ssh runner's order). */
class SequentialRunner extends LocalRunner {
  override async batch(commands: Command[], files: string[]): Promise<BatchResult> {
    const results = [];
    for (const c of commands) results.push(await this.run(c.command, c.args));
    const texts = await Promise.allSettled(files.map((path) => this.readFile(path)));
    return { results, files: texts };
  }
}

// Shell syntax that would run something if a value ever became code; each would create PWNED*.
const NASTY = '$(touch PWNED1) `touch PWNED2` ; touch PWNED3 \' " \\ %s %n %b \\n $HOME *';
const CONTROL = 'bell\u0007 esc\u001b[31m cr\r tab\t del\u007f';

describe.skipIf(notRoot && process.env.CI !== 'true')('two-batch apply scripts with hostile values', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function site() {
    const root = mkdtempSync(join(tmpdir(), 'otshell-two-batch-'));
    dirs.push(root);
    // A directory name with spaces, quotes and shell syntax (checkPath allows all but control bytes, ".." and a leading "-").
    const base = join(root, `we ird $(touch PWNED0) 'q' "d" x`);
    const stateDir = join(base, 'state dir');
    const netplanFile = join(base, 'netplan', '50 otshell;$(id).yaml');
    const configPath = join(base, 'etc', 'otshell.yaml');
    mkdirSync(join(base, 'netplan'), { recursive: true });
    mkdirSync(join(base, 'etc'), { recursive: true });
    const config = `stateDir: ${stateDir}\nnetplan:\n  file: ${netplanFile}\n# ${NASTY}\n`;
    writeFileSync(configPath, config);
    const previous = `# previous ${NASTY} ${CONTROL}\n`;
    writeFileSync(netplanFile, previous, { mode: 0o600 });
    return { root, base, stateDir, netplanFile, configPath, config, previous };
  }

  const holder = { user: `mallory ${NASTY} ${CONTROL}`, pid: process.pid, host: 'this-host', since: new Date().toISOString(), id: '00112233445566aa' };
  const read = (s: ReturnType<typeof site>, withHolder = true) =>
    readAndLock(new SequentialRunner(), { configPath: s.configPath, stateDirOption: undefined, holder: withHolder ? holder : null, links: LINKS_COMMAND, routes: ROUTES_COMMAND, resolv: '/etc/resolv.conf' });

  function batch(s: ReturnType<typeof site>, line: string, overrides: Partial<ApplyBatch> = {}): ApplyBatch {
    return {
      stateDir: s.stateDir, release: line, netplanFile: s.netplanFile, configPath: s.configPath,
      intentText: `{"id":"i1","user":${JSON.stringify(NASTY)}}\n`, auditLine: JSON.stringify({ id: 'i1', user: `${NASTY} ${CONTROL}` }),
      netplanText: `# new ${NASTY} ${CONTROL}\n`, configText: `${s.config}# new ${NASTY}\n`,
      previousNetplan: s.previous, previousConfig: s.config, backup: backupPlan(s.netplanFile, readdirSync(join(s.base, 'netplan'))),
      forward: '', restore: '', ...overrides,
    };
  }

  const pwned = (s: ReturnType<typeof site>) => [process.cwd(), s.root, s.base, join(s.base, 'state dir'), join(s.base, 'netplan')].flatMap((d) => (existsSync(d) ? readdirSync(d) : [])).filter((n) => n.startsWith('PWNED'));

  it('batch 1 takes the lock with the exact record at the literal paths, and reads through them; nothing in a value runs', async () => {
    const s = site();
    const r = await read(s);
    expect(r.lockState).toBe('taken');
    expect([r.stateDir, r.netplanFile]).toEqual([s.stateDir, s.netplanFile]);
    expect(readFileSync(join(s.stateDir, 'edit-settings.lock'), 'utf8')).toBe(`${JSON.stringify(holder)}\n`);
    expect(r.netplan.stdout).toBe(s.previous);
    expect([r.marker.exitCode, r.intent.exitCode]).toEqual([3, 3]);
    expect(r.netplanDir).toContain('50 otshell;$(id).yaml');
    expect(pwned(s)).toEqual([]);
    await r.lock!.release();
    expect(existsSync(join(s.stateDir, 'edit-settings.lock'))).toBe(false);
  });

  it('a lock already there (even unreadable) is left alone: "held", no record of ours written', async () => {
    const s = site();
    mkdirSync(s.stateDir, { recursive: true });
    writeFileSync(join(s.stateDir, 'edit-settings.lock'), 'torn {');
    const r = await read(s);
    expect(r.lockState).toBe('held');
    expect(r.lock).toBeNull();
    expect(readFileSync(join(s.stateDir, 'edit-settings.lock'), 'utf8')).toBe('torn {');
  });

  it('batch 2 writes every text byte for byte, keeps the old netplan as a numbered backup, starts a torn audit line anew, releases the lock', async () => {
    const s = site();
    const r = await read(s);
    // A crash mid-append left a line without its newline: ours must start on a fresh line.
    writeFileSync(join(s.stateDir, 'audit.jsonl'), '{"torn":');
    const b = batch(s, r.lock!.line);
    const result = await writeApplyAudit(new SequentialRunner(), b, { links: LINKS_COMMAND, routes: ROUTES_COMMAND });
    expect(result).toEqual({ kind: 'applied', released: true });
    expect(readFileSync(s.netplanFile, 'utf8')).toBe(b.netplanText);
    expect(readFileSync(s.configPath, 'utf8')).toBe(b.configText);
    expect(readFileSync(b.backup!.backup, 'utf8')).toBe(s.previous);
    expect(readFileSync(join(s.stateDir, 'audit.jsonl'), 'utf8')).toBe(`{"torn":\n${b.auditLine}\n`);
    expect(existsSync(join(s.stateDir, 'apply-intent.json'))).toBe(false);
    expect(existsSync(join(s.stateDir, 'edit-settings.lock'))).toBe(false);
    expect(pwned(s)).toEqual([]);
  });

  it('a lock that is no longer ours (taken over meanwhile) is not released by batch 2', async () => {
    const s = site();
    const r = await read(s);
    writeFileSync(join(s.stateDir, 'edit-settings.lock'), '{"user":"someone else"}\n');
    const result = await writeApplyAudit(new SequentialRunner(), batch(s, r.lock!.line), { links: LINKS_COMMAND, routes: ROUTES_COMMAND });
    expect(result).toEqual({ kind: 'applied', released: false });
    expect(readFileSync(join(s.stateDir, 'edit-settings.lock'), 'utf8')).toBe('{"user":"someone else"}\n');
  });

  it('a failing step: both files put back byte for byte, no audit line, the intent kept for the caller, the step named', async () => {
    const s = site();
    const r = await read(s);
    const b = batch(s, r.lock!.line, { forward: 'S link set dev otshell-nodev0 up' });
    const result = await writeApplyAudit(new SequentialRunner(), b, { links: LINKS_COMMAND, routes: ROUTES_COMMAND });
    expect(result.kind).toBe('failed');
    if (result.kind !== 'failed') return;
    expect(result.step).toBe(1);
    expect(result.stderr).toMatch(/otshell-nodev0|Cannot find device/);
    expect(readFileSync(s.netplanFile, 'utf8')).toBe(s.previous);
    expect(readFileSync(s.configPath, 'utf8')).toBe(s.config);
    expect(existsSync(join(s.stateDir, 'audit.jsonl')) ? readFileSync(join(s.stateDir, 'audit.jsonl'), 'utf8') : '').toBe('');
    expect(readFileSync(join(s.stateDir, 'apply-intent.json'), 'utf8')).toBe(b.intentText);
    // The lock stays: the caller releases it after its read-back.
    expect(readFileSync(join(s.stateDir, 'edit-settings.lock'), 'utf8')).toBe(r.lock!.line);
    expect(pwned(s)).toEqual([]);
  });

  it('an audit log that cannot be opened: nothing written, "no-audit"', async () => {
    const s = site();
    const r = await read(s);
    mkdirSync(join(s.stateDir, 'audit.jsonl')); // a directory where the log should be
    const result = await writeApplyAudit(new SequentialRunner(), batch(s, r.lock!.line), { links: LINKS_COMMAND, routes: ROUTES_COMMAND });
    expect(result.kind).toBe('no-audit');
    expect(readFileSync(s.netplanFile, 'utf8')).toBe(s.previous);
    expect(existsSync(join(s.stateDir, 'apply-intent.json'))).toBe(false);
  });
});
