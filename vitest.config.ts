import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter.js';
import LongFirstSequencer from './test/long-first-sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Three workers: many tests wait on processes, namespaces and timeouts rather than the CPU
    // (measured on 2 cores: 2 workers 419 s, 3 workers 291 s, 4 workers 293 s with more contention).
    maxWorkers: 3,
    // Longest files first, also on a fresh clone without vitest's results cache (see the sequencer).
    sequence: { sequencer: LongFirstSequencer },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
  },
});
