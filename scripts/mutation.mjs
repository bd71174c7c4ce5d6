#!/usr/bin/env node
// npm run test:mutation: StrykerJS over the core (stryker.config.mjs), one Stryker run per module
// (scripts/mutation-modules.mjs), then the score per module and the survivors
// (scripts/mutation-report.mjs). Prints each module's run time and the total.
//   Always incremental: reuses reports/stryker-incremental/<module>.json (committed) and updates it.
//   --full            test every mutant again (stryker --force)
//   --module SLUG     only that module (repeatable), e.g. --module sanity-status
//   --check           exit 1 when a module scores under 85%
//   --baselined       only the modules with a committed incremental file (CI: a module's first,
//                     full run takes 15-60 minutes on 2 cores; --check then checks those only)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { MODULES, slug } from './mutation-modules.mjs';

const args = process.argv.slice(2);
const root = resolve(import.meta.dirname, '..');
process.chdir(root);
const picked = args.flatMap((a, i) => (a === '--module' ? [args[i + 1]] : []));
// Smallest first, so a run stopped early has scored the most modules.
const ORDER = ['sanity-status', 'audit-log', 'edit-lock', 'netplan-rendering', 'command-resolution', 'renderers', 'capture-readers', 'detectors', 'address-rules', 'analyzer-and-verdict'];
const baselined = args.includes('--baselined');
const hasBaseline = (module) => existsSync(resolve(root, `reports/stryker-incremental/${module}.json`));
const modules = MODULES.map((m) => slug(m.name))
  .sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))
  .filter((s) => picked.length === 0 || picked.includes(s))
  .filter((s) => !baselined || hasBaseline(s));
if (baselined) {
  const missing = MODULES.map((m) => slug(m.name)).filter((s) => !hasBaseline(s));
  if (missing.length > 0) console.log(`mutation: no committed baseline yet, not run: ${missing.join(', ')}`);
}

// The capture tests read the shared captures at ../shared relative to the repository; Stryker
// runs them in .stryker-tmp/sandbox-XXXX, so give the sandboxes a ../shared too.
const tmp = resolve(root, '.stryker-tmp');
mkdirSync(tmp, { recursive: true });
const link = resolve(tmp, 'shared');
rmSync(link, { force: true });
if (existsSync(resolve(root, '../shared'))) symlinkSync(resolve(root, '../shared'), link);

const fmt = (ms) => `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
const started = Date.now();
const times = [];
let failed = false;
for (const module of modules) {
  const t0 = Date.now();
  console.log(`\n== mutation: ${module}`);
  const run = spawnSync(
    process.execPath,
    [resolve(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', ...(args.includes('--full') ? ['--force'] : [])],
    { stdio: 'inherit', env: { ...process.env, MUTATION_MODULE: module } },
  );
  times.push(`${module} ${fmt(Date.now() - t0)}`);
  if (run.status !== 0) {
    console.log(`mutation: stryker failed for ${module} (exit ${run.status})`);
    failed = true;
  }
}
console.log(`\nmutation run time: ${fmt(Date.now() - started)} (${args.includes('--full') ? 'full' : 'incremental'}; ${times.join(', ')})`);
const reportArgs = [...(args.includes('--check') ? ['--check'] : []), ...(baselined || picked.length > 0 ? ['--only', modules.join(',')] : [])];
const report = spawnSync(process.execPath, [resolve(root, 'scripts/mutation-report.mjs'), ...reportArgs], { stdio: 'inherit' });
process.exit(failed || report.status !== 0 ? 1 : 0);
