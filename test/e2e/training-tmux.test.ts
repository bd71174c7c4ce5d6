// One training scenario played end to end in a real terminal (tmux, 80x24):
// the picker (ink-select-input), the live area's title and time left ticking
// above the prompt, the fix, the grade and the report; the live line goes at the end.
import { afterEach, describe, expect, it } from 'vitest';
import { TmuxTerminal } from '../helpers/tmux.js';
import { skipWithout } from '../helpers/tool.js';
import { tempStateDir } from '../helpers/cli.js';

const noTmux = skipWithout('tmux');
const LIVE_LINE = /^Training: Web UI unreachable - the cable is in the wrong port \| (\d+:\d\d) left$/m;

describe.skipIf(noTmux)('training in tmux at 80x24', () => {
  let state: ReturnType<typeof tempStateDir>;
  let term: TmuxTerminal | undefined;
  afterEach(async () => {
    await term?.stop();
    state.cleanup();
  });

  it('gui-cable: picked from the list, time left ticking in the live area, solved, graded, reported', async () => {
    state = tempStateDir();
    const t = (term = await TmuxTerminal.start([], { stateDir: state.dir }));
    await t.waitForInputLine(/^shell>\s*$/);
    await t.type('training start');
    await t.keys('Enter');
    const picker = await t.waitFor((s) => s.includes('Which scenario?') && s.includes('Ctrl-C cancels'), { timeoutMs: 20_000 });
    expect(picker).toMatch(/\u276f Firewall rule missing for the management console/);
    await t.keys('Down');
    await t.waitFor((s) => /\u276f Web UI unreachable - the cable is in the wrong port/.test(s), { timeoutMs: 10_000 });
    await t.keys('Enter');

    // The live area: the title and the time left, right above the prompt.
    const started = await t.waitFor((s) => LIVE_LINE.test(s) && /^shell> *$/m.test(s), { timeoutMs: 20_000 });
    const rows = started.split('\n').map((r) => r.trimEnd());
    const prompt = rows.length - 1 - [...rows].reverse().findIndex((r) => r.startsWith('shell>'));
    expect(rows[prompt - 1]).toMatch(LIVE_LINE);
    const first = LIVE_LINE.exec(started)![1]!;
    expect(['10:00', '9:59', '9:58']).toContain(first);
    // It ticks while the trainee thinks.
    const later = await t.waitFor((s) => (LIVE_LINE.exec(s)?.[1] ?? first) !== first, { timeoutMs: 20_000 });
    expect(LIVE_LINE.exec(later)![1]).toMatch(/^9:5\d$/);

    await t.type('training check');
    await t.keys('Enter');
    await t.waitFor((s) => s.includes('Goal not met yet.'), { timeoutMs: 20_000 });
    await t.type('network list eth0');
    await t.keys('Enter');
    const listed = await t.waitFor((s) => s.includes('role management'), { timeoutMs: 20_000 });
    expect(listed).toMatch(/eth0: flags=\d+<UP,BROADCAST,MULTICAST>/);
    await t.type('training outside move-cable eth0');
    await t.keys('Enter');
    await t.waitFor((s) => s.includes('You moved the GUI cable from eth1 to eth0.'), { timeoutMs: 20_000 });
    await t.type('training end');
    await t.keys('Enter');
    const report = await t.waitFor((s) => s.includes('Kept in') && /^shell> *$/m.test(s), { timeoutMs: 20_000 });
    expect(report).toContain('Result: SOLVED');
    expect(report).toContain('Score: 100 of 100');
    expect(report).toMatch(/\[exit {3}1\] training check/);
    expect(report).toMatch(/\[exit {3}0\] training outside move-cable eth0/);
    // The run is over: no live line any more.
    expect(report).not.toMatch(LIVE_LINE);
  }, 120_000);
});
