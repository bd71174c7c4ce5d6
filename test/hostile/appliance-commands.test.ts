// Hostile suite for ping, blink, statistics, version and date: arguments that
// look like options, control bytes, huge values and paths never reach a tool,
// never reach the terminal raw, and end in one line with a documented code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOtshell, tempStateDir } from '../helpers/cli.js';
import { expectExit, expectNoStackTrace, RAW_CONTROL } from './helpers.js';
import { EXIT } from '../../src/errors.js';

let temp: { dir: string; cleanup(): void };
beforeEach(() => {
  temp = tempStateDir();
});
afterEach(() => temp.cleanup());

const run = (args: string[], env?: Record<string, string>) => runOtshell(args, { stateDir: temp.dir, ...(env ? { env } : {}) });

function expectOneLine(result: { stdout: string; stderr: string }) {
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(RAW_CONTROL);
  expectNoStackTrace(result.stderr);
}

describe('arguments that look like options', () => {
  it.each([
    [['ping', '--', '-c'], 'starts with "-"'],
    [['ping', '--', '-I'], 'starts with "-"'],
    [['ping', '--', '--help=x'], 'starts with "-"'],
    [['ping', '-c', '1', '10.1.0.1'], 'unknown option -c'],
    [['network', 'ping', '-f', '10.1.0.1'], 'unknown option -f'],
    [['network', 'blink', '--', '-eth0'], 'not an interface name'],
    [['network', 'blink', 'eth1', '--', '-5'], 'SECONDS is a whole number'],
    [['network', 'statistics', '--', '-a'], 'not an interface name'],
    [['date', '--', '-s'], 'unexpected argument'],
    [['date', '-s', '2020-01-01'], 'unknown option -s'],
    [['system', 'version', '--', '--file=/etc/shadow'], 'unexpected argument'],
  ])('%j is refused: %s', async (args, message) => {
    const result = await run(args);
    expectExit(result.exitCode, EXIT.USAGE);
    expectOneLine(result);
    expect(result.stderr).toContain(message);
  });
});

describe('control bytes, huge values and paths', () => {
  it('an address with an escape sequence is shown escaped, never raw', async () => {
    const result = await run(['ping', '--', '\u001b]0;pwned\u0007']);
    expectExit(result.exitCode, EXIT.USAGE);
    expectOneLine(result);
    expect(result.stderr).toContain('\\x1b');
  });

  it('a 100 kB address (near the kernel limit of 128 kB for one argument) is cut, refused at once', async () => {
    const started = Date.now();
    const result = await run(['ping', 'a'.repeat(100_000)]);
    expectExit(result.exitCode, EXIT.USAGE);
    expectOneLine(result);
    expect(result.stderr.length).toBeLessThan(1000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('1 MB words in a piped script: each refused in one short line, nothing run', async () => {
    const huge = 'a'.repeat(1_000_000);
    const result = await runOtshell([], { stateDir: temp.dir, input: `ping ${huge}\nnetwork blink ${huge}\nnetwork statistics ${huge}\n` });
    expectExit(result.exitCode, EXIT.USAGE);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.length).toBeLessThan(1000);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expectNoStackTrace(result.stderr);
  });

  it.each([
    ['a path as an interface', ['network', 'blink', '../../etc/passwd']],
    ['an escape in an interface', ['network', 'blink', 'eth1\u001b[2J']],
    ['a 100 kB interface', ['network', 'blink', 'x'.repeat(100_000)]],
    ['a /sys path as an interface', ['network', 'statistics', '../../../sys/class/net/lo']],
    ['a relative path as an interface', ['network', 'statistics', 'eth0/../lo']],
    ['a huge blink duration', ['network', 'blink', 'eth1', '99999999999999999999999']],
    ['a blink duration in exponent form', ['network', 'blink', 'eth1', '1e3']],
    ['a huge sample', ['network', 'statistics', '--seconds', '1e9']],
    ['an escape as the sample', ['network', 'statistics', '--seconds', '\u001b[31m']],
  ])('%s is refused with nothing run', async (_name, args) => {
    const result = await run(args);
    expectExit(result.exitCode, EXIT.USAGE);
    expectOneLine(result);
  });

  it('a hostile sensor version in the state file is refused as a bad state file, never printed', async () => {
    expect((await run(['system', 'version'])).exitCode).toBe(EXIT.OK);
    const path = join(temp.dir, 'simulator.json');
    const state = JSON.parse(readFileSync(path, 'utf8'));
    state.diagnostics = { sensorVersion: '1.0\u001b]0;pwned\u0007' };
    writeFileSync(path, JSON.stringify(state));
    const result = await run(['system', 'version']);
    expectExit(result.exitCode, EXIT.CONFIG);
    expect(result.stderr).toContain('diagnostics.sensorVersion');
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stderr).not.toContain('pwned');
  });
});

describe('--target local: only a checked address reaches ping, as an argument array', () => {
  /** A fake ping first on PATH: records its arguments and answers with a hostile line. */
  function fakePing(): { bin: string; log: string; config: string } {
    const bin = join(temp.dir, 'bin');
    mkdirSync(bin);
    const log = join(temp.dir, 'ping-args');
    writeFileSync(
      join(bin, 'ping'),
      `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> '${log}'; done\nprintf 'PING x \\033]0;pwned\\007\\n5 packets transmitted, 5 received, 0%% packet loss, time 4004ms\\n'\n`,
    );
    chmodSync(join(bin, 'ping'), 0o755);
    const config = join(temp.dir, 'otshell.yaml');
    writeFileSync(config, `roles:\n  management: eth0\nstateDir: ${temp.dir}\n`);
    return { bin, log, config };
  }

  it('hostile addresses never start it; a valid one gets -c 5 -n -W 1 -I eth0 -- ADDRESS and its output is escaped', async () => {
    const { bin, log, config } = fakePing();
    const env = { PATH: `${bin}:${process.env.PATH}` };
    for (const bad of ['-c', '--', '-I', 'a;reboot', '$(reboot)', '10.1.0.1 -f']) {
      const result = await run(['--target', 'local', '--config', config, 'ping', '--', bad], env);
      expectExit(result.exitCode, EXIT.USAGE);
    }
    expect(existsSync(log)).toBe(false);
    const result = await run(['--target', 'local', '--config', config, 'ping', 'gw.example'], env);
    expectExit(result.exitCode, EXIT.OK);
    expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['-c', '5', '-n', '-W', '1', '-I', 'eth0', '--', 'gw.example']);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain('\\x1b]0;pwned\\x07');
  });
});

describe('troubleshoot with hostile input', () => {
  it('an SSH_CONNECTION with escape sequences is shown escaped in the measured facts and the JSON stays exact', async () => {
    const env = { SSH_CONNECTION: '10.1.0.31\u001b]0;pwned\u0007 5555 10.1.0.20 22' };
    const text = await run(['troubleshoot', 'web-ui', '--non-interactive'], env);
    expect(text.stdout).not.toMatch(RAW_CONTROL);
    expect(text.stdout).toContain('\\x1b]0;pwned\\x07');
    const json = await run(['troubleshoot', 'web-ui', '--json'], env);
    const measured = JSON.parse(json.stdout).steps.find((s: { id: string }) => s.id === 'same-network').measured[0];
    expect(measured).toContain('\u001b]0;pwned\u0007'); // exact in JSON; a JSON reader escapes it
    expect(json.stdout).not.toMatch(/[\u0007\u001b]/);
  });

  it.each([
    ['an unknown flow', ['troubleshoot', 'frobnicate'], 'Unknown command'],
    ['an option as a flow', ['troubleshoot', '--', '-x'], 'Unknown command'],
    ['an unknown option', ['troubleshoot', 'health', '--yes'], 'unknown option --yes'],
    ['an argument to a flow', ['troubleshoot', 'health', 'x'.repeat(100_000)], 'unexpected argument'],
    ['the menu without questions', ['troubleshoot', 'menu', '--json'], 'name a flow'],
  ])('%s is refused in one line', async (_name, args, message) => {
    const result = await run(args);
    expectExit(result.exitCode, EXIT.USAGE);
    expectOneLine(result);
    expect(result.stderr).toContain(message);
    expect(result.stderr.length).toBeLessThan(1000);
  });

  it('questions answered by closed input change nothing and stop with 130', async () => {
    const result = await runOtshell(['troubleshoot', 'web-ui'], { stateDir: temp.dir, input: '' });
    expectExit(result.exitCode, EXIT.INTERRUPTED);
    expect(result.stdout).toContain('Stopped by the user.');
    expect(result.stdout).toContain('Changed: nothing');
    expectNoStackTrace(result.stderr + result.stdout);
  });
});
