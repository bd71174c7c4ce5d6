// Test files in order of how long they take, longest first, so the few long
// real-host and hostile files start at once and the short ones fill the gaps at
// the end (a long file started last would leave the other workers idle).
//
// vitest does this itself from its results cache (node_modules/.vite/vitest),
// but a fresh clone (CI) has none and falls back to file size, which put the
// 80-second lock test among the last files. So: the cached duration when there
// is one, else the estimate below, else vitest's file-size order.
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { relative } from 'node:path';

/**
 * Seconds per file on a quiet 2-core machine (fresh clone, 3 workers), for the files
 * above about 8 s; refresh from a run's node_modules/.vite/vitest/.../results.json when
 * the order looks wrong. Only the order matters. Last refreshed from a full CI=true run on the
 * shared machine (load average 10-12), scaled by 0.65 (that run 493 s, the quiet CI run ~320 s).
 */
export const ESTIMATED_SECONDS: Record<string, number> = {
  'test/hostile/lock.test.ts': 76,
  'test/real-host/ansible-fleet.test.ts': 50,
  'test/real-host/ssh.test.ts': 43,
  'test/hostile/kill-during-apply.test.ts': 39,
  'test/real-host/network.test.ts': 31,
  'test/hostile/ntp-backup.test.ts': 25,
  'test/e2e/edit-settings-pipe.test.ts': 23,
  'test/hostile/capture-check.test.ts': 22,
  'test/capture/tshark-reference.test.ts': 22,
  'test/e2e/edit-settings.test.ts': 22,
  'test/hostile/requirements.test.ts': 21,
  'test/real-host/diagnostics.test.ts': 18,
  'test/e2e/troubleshoot-tmux.test.ts': 17,
  'test/real-host/capture-check.test.ts': 16,
  'test/hostile/appliance-commands.test.ts': 15,
  'test/real-host/login-shell.test.ts': 14,
  'test/real-host/ssh-apply-batches.test.ts': 14,
  'test/e2e/sign-in.test.ts': 13,
  'test/e2e/pipes.test.ts': 13,
  'test/hostile/sign-in.test.ts': 13,
  'test/hostile/escape.test.ts': 13,
  'test/hostile/fleet-report.test.ts': 13,
  'test/e2e/echo-bytes.test.ts': 13,
  'test/real-host/backup.test.ts': 12,
  'test/unit/readme-examples.test.ts': 12,
  'test/real-host/privileged-sudo.test.ts': 12,
  'test/e2e/shell-tmux.test.ts': 11,
  'test/real-host/ntp.test.ts': 11,
  'test/unit/troubleshoot.test.ts': 11,
  'test/hostile/leftovers.test.ts': 10,
  'test/e2e/shutdown.test.ts': 10,
  'test/real-host/requirements.test.ts': 10,
  'test/real-host/services.test.ts': 10,
  'test/e2e/screens.test.ts': 10,
  'test/real-host/ansible-sanity.test.ts': 9,
  'test/real-host/power.test.ts': 9,
  'test/hostile/prompt-echo.test.ts': 8,
  'test/e2e/install-path.test.ts': 8,
};

/**
 * The two files that keep both cores busy with their own processes (20 editors racing; hundreds
 * of workers signalled mid-apply). Started together they starve each other and the real-host
 * files beside them (an apply that takes 3 s alone timed out at 30 s): the second starts only
 * once one of the first files has ended.
 */
const CPU_HEAVY = new Set(['test/hostile/lock.test.ts', 'test/hostile/kill-during-apply.test.ts']);

export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const bySize = await super.sort(files); // vitest's own order breaks ties
    const rank = new Map(bySize.map((spec, index) => [spec, index]));
    const cache = this.ctx.cache;
    const seconds = (spec: TestSpecification): number => {
      const path = this.pathOf(spec);
      const cached = cache.getFileTestResults(`${spec.project.name}:${path}`);
      if (cached?.failed) return Number.POSITIVE_INFINITY; // failed last time: first, as vitest does
      if (cached) return cached.duration / 1000;
      return ESTIMATED_SECONDS[path] ?? 0;
    };
    const sorted = [...files].sort((a, b) => seconds(b) - seconds(a) || rank.get(a)! - rank.get(b)!);
    const heavy = sorted.filter((spec) => CPU_HEAVY.has(this.pathOf(spec)));
    if (heavy.length < 2) return sorted;
    // Keep the first where it is; the others go just after the first batch of workers.
    const rest = sorted.filter((spec) => !heavy.slice(1).includes(spec));
    const workers = Math.max(1, Number(this.ctx.config.maxWorkers) || 1);
    const at = Math.min(rest.length, rest.indexOf(heavy[0]!) + workers);
    rest.splice(at, 0, ...heavy.slice(1));
    return rest;
  }

  private pathOf(spec: TestSpecification): string {
    return relative(this.ctx.config.root, spec.moduleId).split('\\').join('/');
  }
}
