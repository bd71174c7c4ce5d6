// Hostile suite, class 6: output errors. A reader that goes away (EPIPE) ends
// otshell quietly with 141 (128 + SIGPIPE, as `yes | head` ends); a full disk
// or an I/O error gives one line on stderr (when stderr can take it) and 74.
// Never a stack trace, although Node reports these as asynchronous 'error' events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { execa } from 'execa';
import { BIN } from '../helpers/cli.js';
import { defaultSimulatorState, STATE_FILE_NAME } from '../../src/system/simulator/state.js';
import { guardOutputStreams } from '../../src/output/sink.js';
import { EXIT } from '../../src/errors.js';
import { expectExit, expectNoStackTrace } from './helpers.js';

let dir: string;
let bigState: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'otshell-output-errors-'));
  // A sensor with 255 interfaces (the schema's limit is 256): "network list" prints about 100 kB, more than a pipe holds.
  bigState = join(dir, 'big');
  const state = defaultSimulatorState(new Date());
  const template = state.interfaces.find((i) => i.name === 'eth3')!;
  state.interfaces = [...state.interfaces, ...Array.from({ length: 250 }, (_, n) => ({ ...template, name: `span${n}` }))];
  mkdirSync(bigState, { recursive: true });
  writeFileSync(join(bigState, STATE_FILE_NAME), JSON.stringify(state));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A shell pipeline; prints "rc=A B C" (PIPESTATUS) last on stdout. */
async function pipeline(script: string) {
  const result = await execa('bash', ['-c', `${script}; echo "rc=\${PIPESTATUS[*]}"`], {
    reject: false,
    timeout: 20_000,
    env: { LANG: 'C.UTF-8', NO_COLOR: '1', OTSHELL: `node ${BIN}`, STATE: join(dir, 'state') },
  });
  const codes = /rc=([\d ]+)\s*$/.exec(result.stdout)?.[1]!.trim().split(' ').map(Number) ?? [];
  return { stdout: result.stdout.replace(/rc=[\d ]+\s*$/, ''), stderr: result.stderr, codes };
}

describe.concurrent('EPIPE: the reader went away', () => {
  it("yes 'network list' | head -300 | otshell | head -1: exit 141, nothing on stderr", async () => {
    const r = await pipeline(`yes 'network list' | head -300 | $OTSHELL --state-dir "$STATE" | head -1`);
    expect(r.stdout.trim()).toBe('eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500');
    expectExit(r.codes[2]!, EXIT.BROKEN_PIPE);
    expect(r.stderr).toBe('');
  });

  it('otshell network list | head -1 with long output: exit 141, nothing on stderr', async () => {
    const r = await pipeline(`$OTSHELL --state-dir "${bigState}" network list | head -1`);
    expect(r.stdout.trim()).toBe('eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500');
    expectExit(r.codes[0]!, EXIT.BROKEN_PIPE);
    expect(r.stderr).toBe('');
  });

  it('otshell network list --json | head -c 20 with long output: exit 141', async () => {
    const r = await pipeline(`$OTSHELL --state-dir "${bigState}" network list --json | head -c 20`);
    expect(r.stdout).toBe('{"interfaces":[{"nam');
    expectExit(r.codes[0]!, EXIT.BROKEN_PIPE);
    expect(r.stderr).toBe('');
  });

  it('EPIPE on stderr (2>&1 into a closed reader) also ends with 141 and no trace', async () => {
    // 800 unknown commands of 150 letters (too long for a "did you mean" search): 160 kB of messages.
    const lines = Array.from({ length: 800 }, () => 'q'.repeat(150)).join('\n');
    writeFileSync(join(dir, 'bad-lines'), `${lines}\n`);
    const r = await pipeline(`$OTSHELL --state-dir "$STATE" < "${join(dir, 'bad-lines')}" 2>&1 | head -1`);
    expect(r.stdout.trim()).toBe(`Unknown command "${'q'.repeat(150)}". Type "help" to list commands.`);
    expectExit(r.codes[0]!, EXIT.BROKEN_PIPE);
    expectNoStackTrace(r.stderr);
  });
});

describe.concurrent('ENOSPC: output to /dev/full', () => {
  const FULL = 'otshell: cannot write the output: no space left on device (ENOSPC).\n';

  it('otshell network list > /dev/full: one line on stderr, exit 74', async () => {
    const r = await pipeline(`$OTSHELL --state-dir "$STATE" network list > /dev/full`);
    expectExit(r.codes[0]!, EXIT.IO);
    expect(r.stderr).toBe(FULL.trimEnd());
  });

  it('otshell system sanity --json > /dev/full: exit 74', async () => {
    const r = await pipeline(`$OTSHELL --state-dir "$STATE" system sanity --json > /dev/full`);
    expectExit(r.codes[0]!, EXIT.IO);
    expect(r.stderr).toBe(FULL.trimEnd());
  });

  it('a piped script writing to /dev/full: exit 74', async () => {
    const r = await pipeline(`echo 'network list' | $OTSHELL --state-dir "$STATE" > /dev/full`);
    expectExit(r.codes[1]!, EXIT.IO);
    expect(r.stderr).toBe(FULL.trimEnd());
  });

  it('otshell --version > /dev/full (before any target is opened): exit 74', async () => {
    const r = await pipeline(`$OTSHELL --version > /dev/full`);
    expectExit(r.codes[0]!, EXIT.IO);
    expect(r.stderr).toBe(FULL.trimEnd());
  });

  it('an error message to a full stderr: exit 74, nothing else', async () => {
    const r = await pipeline(`$OTSHELL --state-dir "$STATE" no-such-command 2> /dev/full`);
    expectExit(r.codes[0]!, EXIT.IO);
    expect(r.stdout).toBe('');
  });

  it('stdout and stderr both full: exit 74, no hang', async () => {
    const r = await pipeline(`$OTSHELL --state-dir "$STATE" network list > /dev/full 2> /dev/full`);
    expectExit(r.codes[0]!, EXIT.IO);
  });
});

describe('guardOutputStreams (the handler itself)', () => {
  const streams = () => {
    const stdout = Object.assign(new EventEmitter(), { write: () => true });
    const written: string[] = [];
    const stderr = Object.assign(new EventEmitter(), { write: (s: string) => written.push(s) });
    const codes: number[] = [];
    guardOutputStreams(stdout, stderr, (code) => codes.push(code));
    return { stdout, stderr, written, codes };
  };
  const error = (code: string) => Object.assign(new Error(`write ${code}`), { code });

  it('EPIPE on stdout: 141 and not a word', () => {
    const s = streams();
    s.stdout.emit('error', error('EPIPE'));
    expect(s.codes).toEqual([EXIT.BROKEN_PIPE]);
    expect(s.written).toEqual([]);
  });

  it('EIO on stdout (the SSH session dropped): one line, 74', () => {
    const s = streams();
    s.stdout.emit('error', error('EIO'));
    expect(s.codes).toEqual([EXIT.IO]);
    expect(s.written).toEqual(['otshell: cannot write the output: input/output error (EIO).\n']);
  });

  it('a second error after the first is ignored (one line, one exit)', () => {
    const s = streams();
    s.stdout.emit('error', error('ENOSPC'));
    s.stderr.emit('error', error('EPIPE'));
    s.stdout.emit('error', error('ENOSPC'));
    expect(s.codes).toEqual([EXIT.IO]);
    expect(s.written).toHaveLength(1);
  });

  it('an error on stderr itself: 74 without trying stderr again', () => {
    const s = streams();
    s.stderr.emit('error', error('ENOSPC'));
    expect(s.codes).toEqual([EXIT.IO]);
    expect(s.written).toEqual([]);
  });
});
