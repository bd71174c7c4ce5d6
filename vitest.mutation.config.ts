// The fast, deterministic unit tests Stryker runs against each mutant (npm run test:mutation).
// No end-to-end (tmux, child processes), real-host (root, namespaces), component (Ink) or
// tshark-reference tests: they are slow, need system tools, and cover the same core through
// the public functions the unit tests already call. The fuzz test is excluded too: it is
// randomised and covers every reader line, so it would run for every reader mutant. The JSON
// schema and README example tests run the built CLI (dist/), which Stryker neither copies nor
// mutates: they cannot kill a mutant, and fail in the sandbox for want of dist/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/capture/**/*.test.ts'],
    exclude: [
      'test/capture/tshark-reference.test.ts',
      'test/capture/fuzz.test.ts',
      'test/unit/design.test.ts',
      'test/unit/json-schemas.test.ts',
      'test/unit/readme-examples.test.ts',
    ],
    testTimeout: 30_000,
  },
});
