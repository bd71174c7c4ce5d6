// The fast, deterministic unit tests Stryker runs against each mutant (npm run test:mutation).
// No end-to-end (tmux, child processes), real-host (root, namespaces), component (Ink) or
// tshark-reference tests: they are slow, need system tools, and cover the same core through
// the public functions the unit tests already call. The fuzz test is excluded too: it is
// randomised and covers every reader line, so it would run for every reader mutant. The JSON
// schema, README example, parallel sign-in and simulated-requirements tests run the built CLI (dist/), which Stryker
// neither copies nor mutates: they cannot kill a mutant, and fail in the sandbox for want of dist/.
import { defineConfig } from 'vitest/config';

// For the capture modules (every packet runs the analyzer and the detectors, so nearly every
// capture test covers each of their mutants, and a surviving mutant runs them all) two slow
// files are left out: the simulator's capture check (15 tests, 14 s: whole simulated captures
// through the command) and the capture command test (a 50 MB file for the progress line).
// They check the command around the analyzer, not its counts; the focused tests in
// test/capture and test/unit check those. A mutant only they would kill counts as surviving:
// the score stays a lower bound.
const CAPTURE_MODULES = ['analyzer-and-verdict', 'detectors'];
const captureOnly = CAPTURE_MODULES.includes(process.env.MUTATION_MODULE ?? '')
  ? ['test/unit/capture-check-simulator.test.ts', 'test/capture/command.test.ts']
  : [];

// The analyzer alone: its focused tests are in test/capture (each decoding branch, every
// verdict threshold); the unit tests that reach it do so through whole simulated captures
// (troubleshoot span, capture checks: seconds per test), which made every surviving mutant
// cost about a minute (428 of 1037 mutants in 20 minutes, then one a minute). Measured against
// test/capture only, the score is a lower bound: a mutant only a unit test would kill counts
// as surviving.
const analyzerOnly = process.env.MUTATION_MODULE === 'analyzer-and-verdict';

export default defineConfig({
  test: {
    include: analyzerOnly ? ['test/capture/**/*.test.ts'] : ['test/unit/**/*.test.{ts,tsx}', 'test/capture/**/*.test.ts'],
    exclude: [
      'test/capture/tshark-reference.test.ts',
      'test/capture/fuzz.test.ts',
      'test/unit/design.test.ts',
      'test/unit/json-schemas.test.ts',
      'test/unit/readme-examples.test.ts',
      // Runs six built CLIs at once (sign-in bookkeeping across processes): dist/ again.
      'test/unit/sign-in-parallel.test.ts',
      'test/unit/requirements-simulator.test.ts',
      ...captureOnly,
    ],
    testTimeout: 30_000,
  },
});
