#!/usr/bin/env node
// Prints the mutation score per module and every survivor from Stryker's JSON report.
// Usage: node scripts/mutation-report.mjs [--check]   (reads every reports/mutation/*.json)
//   --check: exit 1 when any module scores under the goal (85%).
//   --only a,b: check only these modules (slugs); the others are listed but not checked.
// Survivors listed in docs/mutation.md (a line "- `file:line:col Mutator`", with the reason) are
// equivalent mutants: no test can tell them from the original. The table shows Stryker's own
// score and the score without those; the 85% goal (--check) applies to the second.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { MODULES, moduleOf, slug } from './mutation-modules.mjs';

const GOAL = 85;
const args = process.argv.slice(2);
const check = args.includes('--check');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',').filter(Boolean)) : null;
const checked = (name) => only === null || only.has(slug(name));
const dir = 'reports/mutation';
const reportNames = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
const reports = reportNames.map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')));
// A module with no report of its own in this checkout (not run here) is shown from its committed
// incremental file, which holds the results of its last run, marked "(baseline)": so the table
// always shows every module's latest known score, and says which ones were not run now.
const fromBaseline = new Set();
for (const m of MODULES) {
  const s = slug(m.name);
  const baseline = `reports/stryker-incremental/${s}.json`;
  if (reportNames.includes(`${s}.json`) || reportNames.includes('all.json') || !existsSync(baseline)) continue;
  reports.unshift(JSON.parse(readFileSync(baseline, 'utf8')));
  fromBaseline.add(m.name);
}
const files = Object.assign({}, ...reports.map((r) => r.files));

const equivalent = new Set();
if (existsSync('docs/mutation.md')) {
  for (const m of readFileSync('docs/mutation.md', 'utf8').matchAll(/^- `([^`]+:\d+:\d+ \w+)`/gm)) equivalent.add(m[1]);
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = new Map(MODULES.map((m) => [m.name, { killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0, equivalent: 0, equivalentNoCoverage: 0 }]));
const survivors = [];
const seen = new Set();
for (const [path, { mutants }] of Object.entries(files)) {
  const rel = path.replace(/\\/g, '/').replace(/^.*?(src\/)/, '$1');
  const name = moduleOf(rel) ?? rel;
  if (!rows.has(name)) rows.set(name, { killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0, equivalent: 0, equivalentNoCoverage: 0 });
  const row = rows.get(name);
  for (const m of mutants) {
    // the end too: two sub-expressions that start at the same place (`a < b || c` and `a < b`,
    // both -> false) are two mutants, and one may survive while the other is killed
    const id = `${path}:${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column}:${m.mutatorName}:${m.replacement}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (m.status === 'Killed') row.killed++;
    else if (m.status === 'Timeout') row.timeout++;
    else if (m.status === 'Survived') row.survived++;
    else if (m.status === 'NoCoverage') row.noCoverage++;
    else if (m.status === 'CompileError' || m.status === 'RuntimeError') row.errors++;
    if (UNDETECTED.has(m.status)) {
      const key = `${rel}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}`;
      survivors.push({ key, module: name, status: m.status, replacement: (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 70), equivalent: equivalent.has(key) });
      if (equivalent.has(key)) {
        row.equivalent++;
        if (m.status === 'NoCoverage') row.equivalentNoCoverage++;
      }
    }
  }
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`\n${pad('module', 22)}${lpad('score', 8)}${lpad('w/o equiv', 11)}${lpad('killed', 8)}${lpad('timeout', 9)}${lpad('survived', 10)}${lpad('equiv', 7)}${lpad('no cov', 8)}${lpad('errors', 8)}`);
let failing = [];
for (const [name, r] of rows) {
  const detected = r.killed + r.timeout;
  const valid = detected + r.survived + r.noCoverage;
  if (valid + r.errors === 0) {
    if (checked(name)) failing.push(name);
    console.log(`${pad(name, 22)}${lpad('-', 8)}  not run`);
    continue;
  }
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  const netValid = valid - r.equivalent;
  const net = netValid === 0 ? 100 : (100 * detected) / netValid;
  if (net < GOAL && checked(name)) failing.push(name);
  console.log(
    `${pad(name, 22)}${lpad(score.toFixed(1) + '%', 8)}${lpad(net.toFixed(1) + '%', 11)}${lpad(r.killed, 8)}${lpad(r.timeout, 9)}${lpad(r.survived - (r.equivalent - r.equivalentNoCoverage), 10)}${lpad(r.equivalent, 7)}${lpad(r.noCoverage - r.equivalentNoCoverage, 8)}${lpad(r.errors, 8)}${net < GOAL ? '  < ' + GOAL + '%' : ''}${fromBaseline.has(name) ? '  (baseline)' : ''}`,
  );
}
const open = survivors.filter((s) => !s.equivalent);
const eq = survivors.length - open.length;
if (fromBaseline.size > 0) console.log('(baseline): not run now; from the committed reports/stryker-incremental/<module>.json of its last run');
console.log(`\nsurvivors: ${survivors.length} (${eq} listed as equivalent in docs/mutation.md)`);
for (const s of survivors) {
  console.log(`  ${s.equivalent ? 'equivalent ' : ''}${s.status === 'NoCoverage' ? 'no coverage ' : ''}${s.key}  -> ${s.replacement}`);
}
if (failing.length > 0) console.log(`\nmutation: under ${GOAL}%: ${failing.join(', ')}`);
else console.log(`\nmutation: every ${only ? `checked module (${[...only].join(', ')})` : 'module'} at or above ${GOAL}%`);
if (check && failing.length > 0) process.exit(1);
