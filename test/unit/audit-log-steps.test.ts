// The audit log's steps one at a time, against in-memory files (issue 17: each test here
// fails on a mutant Stryker found surviving in src/system/audit-log.ts). The real files, the
// lock and signals are covered by test/hostile/audit.test.ts and kill-during-apply.test.ts.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyAudited,
  auditFields,
  AuditUnavailableError,
  completeIntent,
  LOCAL_AUDIT_FILES,
  parseAuditLogDetailed,
  parseSessionEvents,
  sessionLine,
  type AuditFiles,
} from '../../src/system/audit-log.js';
import type { AuditEntry, NetworkSettings, SessionEvent } from '../../src/system/adapter.js';
import { StateDirError } from '../../src/system/errors.js';
import { EXIT } from '../../src/errors.js';

const OLD: NetworkSettings = {
  managementInterface: 'eth0', ip: '10.1.0.20', prefixLength: 24, gateway: '10.1.0.1', dns: ['10.1.0.2'], inputInterfaces: ['eth1'], bridgeInterface: null,
};
const NEW: NetworkSettings = { ...OLD, ip: '10.1.0.30' };
const PATHS = { log: '/state/audit.jsonl', intent: '/state/apply-intent.json' };
const ENTRY = { time: '2026-11-29T00:00:00.000Z', user: 'alice', target: 'simulator', old: OLD, new: NEW };

type Failing = Partial<Record<keyof AuditFiles, unknown>>;

/** Files in a Map; each operation is logged, and the ones in `fail` throw the given error. */
function memoryFiles(initial: Record<string, string> = {}, fail: Failing = {}) {
  const files = new Map(Object.entries(initial));
  const calls: string[] = [];
  const maybeFail = (op: keyof AuditFiles) => {
    if (op in fail) throw fail[op];
  };
  const api: AuditFiles = {
    async checkAppendable(path) {
      calls.push(`check ${path}`);
      maybeFail('checkAppendable');
    },
    async writeFileAtomic(path, data, mode) {
      calls.push(`write ${path} ${mode.toString(8)}`);
      maybeFail('writeFileAtomic');
      files.set(path, data);
    },
    async appendDurably(path, line) {
      calls.push(`append ${path}`);
      maybeFail('appendDurably');
      files.set(path, `${files.get(path) ?? ''}${line}\n`);
    },
    async readFile(path) {
      maybeFail('readFile');
      return files.get(path) ?? null;
    },
    async remove(path) {
      calls.push(`remove ${path}`);
      maybeFail('remove');
      files.delete(path);
    },
  };
  return { api, files, calls };
}

const logEntries = (text: string | undefined) => parseAuditLogDetailed(text ?? '').entries;

describe('applyAudited', () => {
  it('intent first (0640), then the change, then the audit line with the same id, then the intent removed', async () => {
    const { api, files, calls } = memoryFiles();
    let intentDuringApply: AuditEntry | null = null;
    const result = await applyAudited(api, PATHS, ENTRY, async () => {
      intentDuringApply = JSON.parse(files.get(PATHS.intent)!);
      expect(files.has(PATHS.log)).toBe(false);
      return 'applied';
    });
    expect(result).toBe('applied');
    expect(calls).toEqual([`check ${PATHS.log}`, `write ${PATHS.intent} 640`, `append ${PATHS.log}`, `remove ${PATHS.intent}`]);
    const [logged] = logEntries(files.get(PATHS.log));
    expect(intentDuringApply).toEqual(logged);
    expect(logged).toMatchObject(ENTRY);
    expect(logged!.id).toMatch(/^[0-9a-f]{16}$/);
    expect(files.has(PATHS.intent)).toBe(false);
  });

  it('each change gets its own id', async () => {
    const { api, files } = memoryFiles();
    await applyAudited(api, PATHS, ENTRY, async () => {});
    await applyAudited(api, PATHS, ENTRY, async () => {});
    const [a, b] = logEntries(files.get(PATHS.log));
    expect(a!.id).not.toBe(b!.id);
  });

  it('a log that cannot be opened: refused before anything, the path and the reason named', async () => {
    const { api, files } = memoryFiles({}, { checkAppendable: Object.assign(new Error('permission denied.'), {}) });
    let applied = false;
    const error = await applyAudited(api, PATHS, ENTRY, async () => (applied = true)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditUnavailableError);
    expect((error as AuditUnavailableError).exitCode).toBe(EXIT.CONFIG);
    expect((error as Error).message).toBe(`The audit log ${PATHS.log} cannot be written (permission denied). Nothing was applied.`);
    expect(applied).toBe(false);
    expect(files.size).toBe(0);
  });

  it('a state-directory error keeps its own words, "is" becoming "it is"', async () => {
    const { api } = memoryFiles({}, { checkAppendable: new StateDirError(PATHS.log, 'is a directory', 'use') });
    const error = await applyAudited(api, PATHS, ENTRY, async () => {}).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`The audit log ${PATHS.log} cannot be written (it is a directory). Nothing was applied.`);
  });

  it.each([
    ['EACCES', 'permission denied'],
    ['EISDIR', 'it is a directory'],
    // "is " is replaced only at the start: this reason keeps its own "is"
    ['ENAMETOOLONG', 'the path is too long'],
  ])('an errno error (%s) is named in the state directory words: %s', async (code, words) => {
    const { api } = memoryFiles({}, { checkAppendable: Object.assign(new Error(`${code}: open`), { code }) });
    const error = await applyAudited(api, PATHS, ENTRY, async () => {}).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`The audit log ${PATHS.log} cannot be written (${words}). Nothing was applied.`);
  });

  it('a thrown non-Error is shown as text', async () => {
    const { api } = memoryFiles({}, { checkAppendable: 'boom' });
    const error = await applyAudited(api, PATHS, ENTRY, async () => {}).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`The audit log ${PATHS.log} cannot be written (boom). Nothing was applied.`);
  });

  it('only a final full stop is dropped from an error message; a thrown null is shown as "null"', async () => {
    const dotted = memoryFiles({}, { checkAppendable: new Error('quota 1.5 GB reached.') });
    const error = await applyAudited(dotted.api, PATHS, ENTRY, async () => {}).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`The audit log ${PATHS.log} cannot be written (quota 1.5 GB reached). Nothing was applied.`);
    const nothing = memoryFiles({}, { checkAppendable: null });
    const second = await applyAudited(nothing.api, PATHS, ENTRY, async () => {}).catch((e: unknown) => e);
    expect((second as Error).message).toBe(`The audit log ${PATHS.log} cannot be written (null). Nothing was applied.`);
  });

  it('an intent that cannot be written: nothing applied, the intent path named', async () => {
    const { api, files } = memoryFiles({}, { writeFileAtomic: new Error('disk full') });
    let applied = false;
    const error = await applyAudited(api, PATHS, ENTRY, async () => (applied = true)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditUnavailableError);
    expect((error as Error).message).toBe(`The change record ${PATHS.intent} cannot be written (disk full). Nothing was applied.`);
    expect(applied).toBe(false);
    expect(files.has(PATHS.log)).toBe(false);
  });

  it('a failed change (rolled back) removes the intent, writes no line and throws the change error', async () => {
    const { api, files } = memoryFiles();
    const boom = new Error('apply failed');
    await expect(applyAudited(api, PATHS, ENTRY, async () => Promise.reject(boom))).rejects.toBe(boom);
    expect(files.has(PATHS.intent)).toBe(false);
    expect(files.has(PATHS.log)).toBe(false);
  });

  it('a failed change whose rollback is incomplete keeps the intent for the next start', async () => {
    const { api, files } = memoryFiles();
    const boom = Object.assign(new Error('rollback failed'), { rollbackIncomplete: true });
    await expect(applyAudited(api, PATHS, ENTRY, async () => Promise.reject(boom))).rejects.toBe(boom);
    expect(files.has(PATHS.intent)).toBe(true);
  });

  it('a failed change whose intent cannot be removed still throws the change error', async () => {
    const { api } = memoryFiles({}, { remove: new Error('EIO') });
    const boom = new Error('apply failed');
    await expect(applyAudited(api, PATHS, ENTRY, async () => Promise.reject(boom))).rejects.toBe(boom);
  });

  it('applied but the line cannot be appended: the intent stays and the message says so', async () => {
    const { api, files } = memoryFiles({}, { appendDurably: new Error('no space left on device') });
    const error = await applyAudited(api, PATHS, ENTRY, async () => 'ok').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditUnavailableError);
    expect((error as Error).message).toBe(
      `The settings were applied, but their audit line could not be written to ${PATHS.log} (no space left on device). ` +
        `The change is kept in ${PATHS.intent} and recorded as interrupted once the log can be written.`,
    );
    expect(files.has(PATHS.intent)).toBe(true);
  });
});

describe('LOCAL_AUDIT_FILES.remove', () => {
  it('a missing file is already removed; any other failure is thrown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otshell-audit-'));
    try {
      await expect(LOCAL_AUDIT_FILES.remove(join(dir, 'missing.json'))).resolves.toBeUndefined();
      writeFileSync(join(dir, 'present.json'), '{}');
      await LOCAL_AUDIT_FILES.remove(join(dir, 'present.json'));
      expect(existsSync(join(dir, 'present.json'))).toBe(false);
      mkdirSync(join(dir, 'a-directory'));
      await expect(LOCAL_AUDIT_FILES.remove(join(dir, 'a-directory'))).rejects.toMatchObject({ code: expect.stringMatching(/^(EISDIR|EPERM)$/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('completeIntent', () => {
  const intent: AuditEntry = { id: 'abcd1234abcd1234', ...ENTRY };

  it('no intent: none, nothing touched', async () => {
    const { api, calls } = memoryFiles();
    expect(await completeIntent(api, PATHS, async () => NEW)).toBe('none');
    expect(calls).toEqual([]);
  });

  it('an unreadable intent: refused, the path and the reason named', async () => {
    const { api } = memoryFiles({}, { readFile: new Error('EIO: i/o error.') });
    const error = await completeIntent(api, PATHS, async () => NEW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditUnavailableError);
    expect((error as Error).message).toBe(`The change record ${PATHS.intent} cannot be read (EIO: i/o error). Nothing was applied.`);
  });

  it.each([
    ['not JSON', '{"id": "ab'],
    ['JSON but not an entry', '[]'],
    ['null', 'null'],
    ['an entry without old', JSON.stringify({ ...intent, old: undefined })],
    ['an entry with old null', JSON.stringify({ ...intent, old: null })],
    ['an entry with new a number', JSON.stringify({ ...intent, new: 5 })],
  ])('a foreign intent (%s) is kept aside as .bad and dropped', async (_name, text) => {
    const { api, files } = memoryFiles({ [PATHS.intent]: text });
    expect(await completeIntent(api, PATHS, async () => NEW)).toBe('dropped');
    expect(files.get(`${PATHS.intent}.bad`)).toBe(text);
    expect(files.has(PATHS.intent)).toBe(false);
    expect(files.has(PATHS.log)).toBe(false);
  });

  it('an intent whose line is already in the log is dropped without asking the target', async () => {
    const { api, files } = memoryFiles({ [PATHS.intent]: JSON.stringify(intent), [PATHS.log]: `${JSON.stringify(intent)}\n` });
    let asked = false;
    expect(await completeIntent(api, PATHS, async () => ((asked = true), NEW))).toBe('dropped');
    expect(asked).toBe(false);
    expect(files.has(PATHS.intent)).toBe(false);
    expect(logEntries(files.get(PATHS.log))).toHaveLength(1);
  });

  it('another entry in the log does not count as this one', async () => {
    const other = { ...intent, id: 'ffff0000ffff0000' };
    const { api, files } = memoryFiles({ [PATHS.intent]: JSON.stringify(intent), [PATHS.log]: `${JSON.stringify(other)}\n` });
    expect(await completeIntent(api, PATHS, async () => NEW)).toBe('recorded');
    expect(logEntries(files.get(PATHS.log)).map((e) => e.id)).toEqual([other.id, intent.id]);
  });

  it('the target still shows the old settings: nothing was applied, dropped', async () => {
    const { api, files } = memoryFiles({ [PATHS.intent]: JSON.stringify(intent) });
    expect(await completeIntent(api, PATHS, async () => ({ ...OLD }))).toBe('dropped');
    expect(files.has(PATHS.intent)).toBe(false);
    expect(files.has(PATHS.log)).toBe(false);
  });

  it('the target shows the new settings: recorded as interrupted, without "intended"', async () => {
    const { api, files } = memoryFiles({ [PATHS.intent]: JSON.stringify(intent) });
    expect(await completeIntent(api, PATHS, async () => ({ ...NEW }))).toBe('recorded');
    const [line] = files.get(PATHS.log)!.split('\n');
    expect(JSON.parse(line!)).toEqual({ ...intent, new: NEW, interrupted: true });
    expect(files.has(PATHS.intent)).toBe(false);
  });

  it('the target shows something else: recorded with what it shows and what was intended', async () => {
    const shown = { ...OLD, ip: '10.1.0.99' };
    const { api, files } = memoryFiles({ [PATHS.intent]: JSON.stringify(intent) });
    expect(await completeIntent(api, PATHS, async () => shown)).toBe('recorded');
    expect(logEntries(files.get(PATHS.log))).toEqual([{ ...intent, new: shown, interrupted: true, intended: NEW }]);
  });
});

describe('parseAuditLogDetailed', () => {
  const good = JSON.stringify({ id: 'a', ...ENTRY });

  it('malformed lines are numbered from 1; a torn last line is not counted', () => {
    const text = `${good}\nnot json\n{"time":"x"}\n${good}\n{"torn`;
    expect(parseAuditLogDetailed(text)).toEqual({ entries: [JSON.parse(good), JSON.parse(good)], malformedLines: [2, 3] });
  });

  it('a malformed line just before the last (complete) line is counted', () => {
    expect(parseAuditLogDetailed(`${good}\nbroken\n`).malformedLines).toEqual([2]);
  });

  it('blank and whitespace-only lines are neither entries nor malformed', () => {
    expect(parseAuditLogDetailed(`${good}\n\n   \n\t\n${good}\n`)).toEqual({ entries: [JSON.parse(good), JSON.parse(good)], malformedLines: [] });
  });

  it('a complete last line without its newline still counts', () => {
    expect(parseAuditLogDetailed(good).entries).toHaveLength(1);
  });

  // One field at a time wrong: the line is not an entry.
  const bad: [string, unknown][] = [
    ['time not a string', { ...ENTRY, time: 5 }],
    ['user not a string', { ...ENTRY, user: null }],
    ['target not a string', { ...ENTRY, target: 1 }],
    ['new missing', { ...ENTRY, new: undefined }],
    ['old null', { ...ENTRY, old: null }],
    ['old a string', { ...ENTRY, old: 'x' }],
    ['managementInterface not a string', { ...ENTRY, old: { ...OLD, managementInterface: 0 } }],
    ['ip not a string', { ...ENTRY, old: { ...OLD, ip: 10 } }],
    ['prefixLength not a number', { ...ENTRY, old: { ...OLD, prefixLength: '24' } }],
    ['gateway not a string', { ...ENTRY, old: { ...OLD, gateway: null } }],
    ['dns not an array', { ...ENTRY, old: { ...OLD, dns: '10.1.0.2' } }],
    ['a dns server not a string', { ...ENTRY, old: { ...OLD, dns: ['10.1.0.2', 3] } }],
    ['inputInterfaces not an array', { ...ENTRY, old: { ...OLD, inputInterfaces: 'eth1' } }],
    ['an input interface not a string', { ...ENTRY, old: { ...OLD, inputInterfaces: ['eth1', {}] } }],
    ['bridgeInterface a number', { ...ENTRY, old: { ...OLD, bridgeInterface: 3 } }],
    ['bridgeInterface missing', { ...ENTRY, old: { ...OLD, bridgeInterface: undefined } }],
    ['the line is null', null],
    ['the line is a number', 7],
  ];
  it.each(bad)('%s: skipped and listed', (_name, value) => {
    expect(parseAuditLogDetailed(`${JSON.stringify(value)}\n`)).toEqual({ entries: [], malformedLines: [1] });
  });

  it('a bridge interface name and several dns servers and inputs are fine', () => {
    const entry = { ...ENTRY, old: { ...OLD, bridgeInterface: 'eth3', dns: ['1.1.1.1', '8.8.8.8'], inputInterfaces: ['eth1', 'eth2'] } };
    expect(parseAuditLogDetailed(`${JSON.stringify(entry)}\n`).entries).toEqual([entry]);
  });
});

describe('auditFields', () => {
  it('the actor fields, the target, old and new, and the time now', () => {
    const before = Date.now();
    const fields = auditFields({ user: 'bob', tty: '/dev/pts/3', sshClient: '10.0.0.9 5000 22' }, 'ssh://sensor', OLD, NEW);
    expect(fields).toMatchObject({ user: 'bob', tty: '/dev/pts/3', sshClient: '10.0.0.9 5000 22', target: 'ssh://sensor', old: OLD, new: NEW });
    expect(Date.parse(fields.time)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(fields.time)).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('no tty or ssh client: the keys are absent; no actor: "unknown"', () => {
    expect(Object.keys(auditFields({ user: 'bob' }, 't', OLD, NEW)).sort()).toEqual(['new', 'old', 'target', 'time', 'user']);
    expect(auditFields(undefined, 't', OLD, NEW).user).toBe('unknown');
  });
});

describe('session events', () => {
  const event: SessionEvent = { time: '2026-11-29T00:00:00.000Z', kind: 'sign-in', user: 'alice', role: 'support', source: 'console', detail: 'ok' };

  it('sessionLine keeps only the known fields; role and detail only when set', () => {
    const withExtra = { ...event, password: 'secret' } as SessionEvent;
    expect(JSON.parse(sessionLine(withExtra))).toEqual(event);
    expect(Object.keys(JSON.parse(sessionLine({ time: 't', kind: 'failure', user: 'u', source: 's' })))).toEqual(['time', 'kind', 'user', 'source']);
  });

  it('parseSessionEvents reads the lines back and skips blank, torn, unknown-kind and incomplete ones', () => {
    const text = [
      sessionLine(event),
      '',
      '   ',
      '{"time":"t","kind":"sign',
      JSON.stringify({ ...event, kind: 'dance' }),
      JSON.stringify({ ...event, time: 1 }),
      JSON.stringify({ ...event, kind: 3 }),
      JSON.stringify({ ...event, user: undefined }),
      JSON.stringify({ ...event, source: null }),
      JSON.stringify({ time: 't', kind: 'timeout', user: 'u', source: 's', role: 5, detail: false, extra: 'x' }),
    ].join('\n');
    expect(parseSessionEvents(text)).toEqual([event, { time: 't', kind: 'timeout', user: 'u', source: 's' }]);
  });

  it('every kind is accepted', () => {
    const kinds = ['sign-in', 'failure', 'lockout', 'unlock', 'timeout', 'sign-out', 'password-change', 'root-shell'] as const;
    const text = kinds.map((kind) => sessionLine({ time: 't', kind, user: 'u', source: 's' })).join('\n');
    expect(parseSessionEvents(text).map((e) => e.kind)).toEqual(kinds);
  });
});
