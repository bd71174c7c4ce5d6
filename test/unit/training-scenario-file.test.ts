// Scenario files: each schema rule broken once is refused with its line and
// field named; the built-ins are valid; `training validate` says the same.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, describeScenarioIssue, MAX_SCENARIO_BYTES } from '../../src/net/training-scenario.js';
import { tempStateDir } from '../helpers/cli.js';
import { startPipedSession } from '../helpers/training-session.js';
import { FAULTS } from '../../src/system/simulator/faults/index.js';
import { FAULT_NAMES } from '../../src/net/training-scenario.js';

const VALID = `id: drill
title: A drill
story: |
  Something broke.
faults:
  - fault: management-address
    ip: 10.1.9.20
goal:
  - check: management-address
    equals: 10.1.0.20/24
hints:
  - Look at the address.
timeLimitMinutes: 10
points: 100
hintPenalty: 20
roles: [support]
site:
  ntp: 10.1.0.9
`;

/** The valid file with line `line` (1-based) replaced. */
function withLine(line: number, text: string): string {
  const lines = VALID.split('\n');
  lines[line - 1] = text;
  return lines.join('\n');
}

const BROKEN: [string, string, { line: number | null; field: string; message: RegExp }][] = [
  ['id not a slug (a path)', withLine(1, 'id: ../../etc'), { line: 1, field: 'id', message: /slug/ }],
  // A missing field is named at its parent: here the top of the document (line 2, after the comment).
  ['id missing', withLine(1, '# no id'), { line: 2, field: 'id', message: /missing/ }],
  ['title with a control byte', withLine(2, 'title: "bad\\u001b[2Jtitle"'), { line: 2, field: 'title', message: /printable/ }],
  ['title too long', withLine(2, `title: ${'x'.repeat(81)}`), { line: 2, field: 'title', message: /at most 80/ }],
  ['story not text', VALID.replace('story: |\n  Something broke.', 'story: [1, 2]\n#'), { line: 3, field: 'story', message: /expected string/ }],
  ['no faults', withLine(5, 'faults: []').replace('  - fault: management-address\n    ip: 10.1.9.20\n', ''), { line: 5, field: 'faults', message: /at least one fault/ }],
  ['an unknown fault', withLine(6, '  - fault: melt-the-cpu'), { line: 6, field: 'faults.0.fault', message: /known fault/ }],
  ['a fault with a bad address', withLine(7, '    ip: 10.1.9.300'), { line: 7, field: 'faults.0.ip', message: /IPv4/ }],
  ['a fault naming a path', withLine(7, '    path: /etc/passwd'), { line: 7, field: 'faults.0.path', message: /not a scenario field/ }],
  ['an unknown check', withLine(9, '  - check: typed-the-right-command'), { line: 9, field: 'goal.0.check', message: /known check/ }],
  ['a check with a bad value', withLine(10, '    equals: 10.1.0.20'), { line: 10, field: 'goal.0.equals', message: /prefix length/ }],
  ['a hint that is not text', withLine(12, '  - 42'), { line: 12, field: 'hints.0', message: /expected string/ }],
  ['time limit 0', withLine(13, 'timeLimitMinutes: 0'), { line: 13, field: 'timeLimitMinutes', message: /1 to 240/ }],
  ['time limit not a number', withLine(13, 'timeLimitMinutes: ten'), { line: 13, field: 'timeLimitMinutes', message: /expected number/ }],
  ['points 0', withLine(14, 'points: 0'), { line: 14, field: 'points', message: /1 to 1000/ }],
  ['a negative penalty', withLine(15, 'hintPenalty: -5'), { line: 15, field: 'hintPenalty', message: /0 to 1000/ }],
  ['an unknown role', withLine(16, 'roles: [support, god]'), { line: 16, field: 'roles.1', message: /viewer, support or root/ }],
  ['no role', withLine(16, 'roles: []'), { line: 16, field: 'roles', message: /at least one role/ }],
  ['a role twice', withLine(16, 'roles: [support, support]'), { line: 16, field: 'roles', message: /each role once/ }],
  ['a bad site value', withLine(18, '  ntp: "-oProxyCommand=x"'), { line: 18, field: 'site.ntp', message: /host name or an IP/ }],
  ['an unknown top-level field', `${VALID}stateDir: /tmp/elsewhere\n`, { line: 19, field: 'stateDir', message: /not a scenario field/ }],
  ['a YAML syntax error', withLine(14, 'points: 100: 200'), { line: 14, field: '(yaml)', message: /./ }],
  ['a key given twice', withLine(15, 'points: 5'), { line: 15, field: '(yaml)', message: /unique/i }],
];

describe('scenario files', () => {
  it('the valid example parses', () => {
    const parsed = parseScenario(VALID);
    expect(parsed.ok && parsed.scenario.id).toBe('drill');
  });

  it.each(BROKEN)('%s: refused with the line and field named', (_, text, expected) => {
    const parsed = parseScenario(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const issue = parsed.issues.find((i) => i.field === expected.field);
    expect(issue, JSON.stringify(parsed.issues)).toBeDefined();
    expect(issue!.line).toBe(expected.line);
    expect(issue!.message).toMatch(expected.message);
    expect(describeScenarioIssue('my.yaml', issue!)).toMatch(new RegExp(`^my\\.yaml line ${expected.line}: ${expected.field.replace(/[.()]/g, '\\$&')}: `));
  });

  it('a file larger than the limit is refused before parsing', () => {
    const parsed = parseScenario(`${VALID}# ${'x'.repeat(MAX_SCENARIO_BYTES)}\n`);
    expect(!parsed.ok && parsed.issues[0]).toMatchObject({ field: '(file)', message: expect.stringContaining('KiB') });
  });

  it('an alias bomb is refused, not expanded', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [*${'abcdefghij'[i]}, *${'abcdefghij'[i]}, *${'abcdefghij'[i]}, *${'abcdefghij'[i]}, *${'abcdefghij'[i]}, *${'abcdefghij'[i]}, *${'abcdefghij'[i]}, *${'abcdefghij'[i]}, *${'abcdefghij'[i]}, *${'abcdefghij'[i]}]`)].join('\n');
    const parsed = parseScenario(bomb);
    expect(parsed.ok).toBe(false);
  });

  it('every fault the schema names is implemented once', () => {
    expect(Object.keys(FAULTS).sort()).toEqual([...FAULT_NAMES].sort());
  });
});

describe('training validate', () => {
  let state: ReturnType<typeof tempStateDir>;
  afterEach(() => state.cleanup());

  it('names the line and field of each problem (exit 65), and accepts a valid file (exit 0)', async () => {
    state = tempStateDir();
    const bad = join(state.dir, 'bad.yaml');
    const good = join(state.dir, 'good.yaml');
    writeFileSync(bad, withLine(13, 'timeLimitMinutes: 0'));
    writeFileSync(good, VALID);
    const session = startPipedSession(state.dir);
    await session.type([`training validate ${bad}`], 'timeLimitMinutes');
    await session.type([`training validate ${good}`], 'a valid scenario');
    await session.type([`training start --file ${bad}`], 'The scenario file is invalid');
    const { stdout, stderr, exitCode } = await session.end();
    expect(stdout).toContain(`${bad} line 13: timeLimitMinutes: expected 1 to 240 minutes`);
    expect(stdout).toContain(`${good}: a valid scenario, "drill" (A drill).`);
    expect(stderr).toContain(`The scenario file is invalid:\n${bad} line 13: timeLimitMinutes: expected 1 to 240 minutes`);
    expect(exitCode).toBe(65);
  });
});
