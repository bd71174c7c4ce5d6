#!/usr/bin/env node
// npm run test:mutation: StrykerJS over the core (stryker.config.mjs), then the score per
// module and the survivors (scripts/mutation-report.mjs). Prints the run time.
//   (always incremental: reuses reports/stryker-incremental.json, and updates it)
//   --full          test every mutant again (stryker --force)
//   --check         exit 1 when a module scores under 85% (the report script's check)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const root = resolve(import.meta.dirname, '..');
process.chdir(root);

// The capture tests read the shared captures at ../shared relative to the repository; Stryker
// runs them in .stryker-tmp/sandbox-XXXX, so give the sandboxes a ../shared too.
const tmp = resolve(root, '.stryker-tmp');
mkdirSync(tmp, { recursive: true });
const link = resolve(tmp, 'shared');
rmSync(link, { force: true });
if (existsSync(resolve(root, '../shared'))) symlinkSync(resolve(root, '../shared'), link);

const started = Date.now();
const strykerArgs = ['run', ...(args.includes('--full') ? ['--force'] : [])];
const run = spawnSync(process.execPath, [resolve(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'), ...strykerArgs], { stdio: 'inherit' });
const seconds = Math.round((Date.now() - started) / 1000);
if (run.status !== 0) {
  console.log(`mutation: stryker failed (exit ${run.status}) after ${seconds} s`);
  process.exit(1);
}
console.log(`\nmutation run time: ${Math.floor(seconds / 60)} min ${seconds % 60} s${args.includes('--full') ? ' (full)' : ' (incremental)'}`);
try {
  execFileSync(process.execPath, [resolve(root, 'scripts/mutation-report.mjs'), ...(args.includes('--check') ? ['--check'] : [])], { stdio: 'inherit' });
} catch {
  process.exit(1);
}
