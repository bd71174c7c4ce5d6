'use strict';
// Makes dist's code cache (bin/load-bundle.js): loads the bundle given as argument the
// way bin/otshell.js does, runs a few everyday one-shot commands against a throw-away
// simulated sensor so V8 compiles what they use, then writes V8's data beside the
// bundle with the bundle's build id, and the same for the vendor bundles beside it. Run by
// scripts/build.mjs on the staging folder.
const { mkdtempSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join, resolve } = require('node:path');
const { Writable, Readable } = require('node:stream');
const { loadBundle, CACHE_MAGIC } = require('../bin/load-bundle.js');

const WARM_UP = [
  ['network', 'list', '--json'],
  ['network', 'list'],
  ['help'],
];

async function warmUp() {
  const bundle = resolve(process.argv[2]);
  const { exports, script, buildId } = loadBundle(bundle, resolve(process.argv[3]));
  if (!buildId) throw new Error(`${bundle} has no build id on its first line`);
  const stateDir = mkdtempSync(join(tmpdir(), 'otshell-code-cache-'));
  const env = { PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: stateDir };
  try {
    for (const words of WARM_UP) {
      let output = '';
      const sink = () => new Writable({ write(chunk, _encoding, done) { output += chunk; done(); } });
      const streams = { stdin: Readable.from([]), stdout: sink(), stderr: sink(), exit: () => {} };
      const code = await exports.main(['--state-dir', stateDir, ...words], env, streams);
      // The warm-up doubles as a smoke test of the bundle.
      if (code !== 0) throw new Error(`otshell ${words.join(' ')} exited ${code}: ${output.slice(0, 500)}`);
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
  writeCache(bundle, buildId, script);
  // The vendor bundles (scripts/vendor-bundles.mjs): the warm-up runs none of their code, so
  // their caches hold what compiling them made (their functions compile on first use, as they
  // did inside the main bundle). Loaded here when the warm-up did not.
  for (const file of readdirSync(dirname(bundle)).filter((f) => /^vendor-[a-z]+\.cjs$/.test(f))) {
    const vendor = join(dirname(bundle), file);
    const loaded = loadBundle(vendor, join(dirname(resolve(process.argv[3])), file));
    if (loaded.buildId !== buildId) throw new Error(`${vendor} is not of build ${buildId}`);
    writeCache(vendor, buildId, loaded.script);
  }
}

function writeCache(bundle, buildId, script) {
  writeFileSync(`${bundle}.cache`, Buffer.concat([Buffer.from(`${CACHE_MAGIC}${buildId}\n`, 'latin1'), script.createCachedData()]));
}

warmUp().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`code cache: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
