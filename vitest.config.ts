import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter.js';
import LongFirstSequencer from './test/long-first-sequencer.js';

/**
 * Unit and capture tests run in-process (no terminal, namespace or signal of their own), so
 * they share their workers' module cache instead of each file loading the sources again in a
 * fresh process: measured back to back on the loaded 2-core machine, test/unit + test/capture
 * took 426 s isolated (275 s of it importing) and 176 s shared (60 s importing), all 1551 tests
 * passing either way.
 *
 * The files that spawn the CLI, tmux, workers or namespaces share their workers too: they change
 * nothing in their own process (no env, cwd, fake timer or global mock: checked with grep), and
 * what their helpers keep per process (namespace and socket counters, the bundled driver) stays
 * unique when files follow one another in one worker. Ten such files back to back at a load
 * average of 18: 56.6 s isolated (24.1 s importing), 45.5 s shared (15.4 s importing).
 * Fresh processes stay for the Ink component test and the files that replace globals
 * (Date.now spied by the training sessions), which would leak into the next file.
 */
const IN_PROCESS = ['test/unit/**/*.test.{ts,tsx}', 'test/capture/**/*.test.{ts,tsx}'];
const OWN_PROCESS = ['test/component/**/*.test.{ts,tsx}', 'test/hostile/training.test.ts'];

export default defineConfig({
  test: {
    // Three workers: many tests wait on processes, namespaces and timeouts rather than the CPU
    // (measured on 2 cores: 2 workers 419 s, 3 workers 291 s, 4 workers 293 s with more contention).
    maxWorkers: 3,
    // Longest files first, also on a fresh clone without vitest's results cache (see the sequencer).
    sequence: { sequencer: LongFirstSequencer },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
    projects: [
      { extends: true, test: { name: 'in-process', include: IN_PROCESS, isolate: false } },
      // 60 s per test: at a load average of 40 (other engineers' suites on the same 2 cores) a
      // real-host apply that takes 3 s alone passed 30 s; the bound is for a hang, not for speed.
      { extends: true, test: { name: 'processes', include: ['test/**/*.test.{ts,tsx}'], exclude: [...IN_PROCESS, ...OWN_PROCESS], isolate: false, testTimeout: 60_000 } },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, isolate: true, testTimeout: 60_000 } },
    ],
  },
});
