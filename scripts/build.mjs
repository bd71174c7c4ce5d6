// Bundles otshell with esbuild. Startup speed is a feature (docs/benchmarks-startup.md):
//   dist/otshell.cjs      everything otshell runs, one CommonJS bundle: bin/otshell.js loads
//                         it with V8's code cache (bin/load-bundle.js), which the ES module
//                         loader of Node 20 cannot take; each command's module initialises
//                         only when the command is used (scripts/lazy-commands.mjs);
//   dist/otshell.cjs.cache  that cache, made here by a warm-up run (scripts/code-cache.cjs);
//   dist/ink-runtime.mjs  Ink, React and ink-select-input (top-level await: an ES module),
//                         loaded only by the interactive shell (src/ui/ink-runtime.ts);
//   dist/priv-helper.cjs  the privileged helper (bin/otshell-priv.js).
import { build } from 'esbuild';
import { terminalPatches } from './terminal-patches.mjs';
import { inkRuntimeImports } from './ink-runtime-imports.mjs';
import { lazyCommands } from './lazy-commands.mjs';
import { VENDOR_PACKAGES, resolveDir, vendorEntry, vendorImports } from './vendor-bundles.mjs';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm, rename } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
// Built beside dist/ and swapped in, so a running otshell (or a test) never sees half a build.
const staging = `dist.${process.pid}.tmp`;
const retired = `dist.${process.pid}.old`;
// Ties the code cache to this bundle (bin/load-bundle.js).
const buildId = randomBytes(8).toString('hex');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // Ink optionally loads React devtools; it is never installed on a sensor.
  external: ['react-devtools-core'],
  // The shell starts only on a terminal; Ink must draw live frames even when CI=true is set.
  alias: { 'is-in-ci': './src/ui/not-in-ci.ts' },
  define: { __OTSHELL_VERSION__: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};
// import.meta.url in CommonJS: the bundle's own URL, worked out when first asked for (by
// lazy-fs.ts, node-crypto.ts and training.ts; node:url's parser is not free at start-up).
const BUNDLE_URL = "const __otshellBundle = { get url() { return require('node:url').pathToFileURL(__filename).href; } };";
const commonJs = {
  ...common,
  format: 'cjs',
  // bin/load-bundle.js runs the bundle as a vm.Script, where import() has no loader (and a
  // script from the code cache cannot be given one): every import() becomes a require().
  supported: { 'dynamic-import': false },
  define: { ...common.define, 'import.meta.url': '__otshellBundle.url' },
  // "use strict" first: esbuild's own comes after this line, where it is no directive.
  banner: { js: `/* otshell build ${buildId} */\n"use strict";${BUNDLE_URL}` },
};
// The main bundle is written as the function Node's loader wraps a module in (Module.wrap):
// bin/load-bundle.js compiles the file's text as it is, without joining 800 kB to a prefix
// (a copy, and a flattened copy, at every start: docs/benchmarks-startup.md).
const moduleFunction = (prelude = '') => ({
  ...commonJs,
  banner: { js: `/* otshell build ${buildId} */\n(function (exports, require, module, __filename, __dirname) {"use strict";${BUNDLE_URL}${prelude}` },
  footer: { js: '\n})' },
});
// The main bundle's way to its vendor bundles (scripts/vendor-bundles.mjs): the module
// object bin/load-bundle.js passes in.
const mainBundle = moduleFunction('const __otshellLoadVendor = (name) => module.loadVendor(name);');

try {
  await Promise.all([
    build({ ...mainBundle, entryPoints: { otshell: 'src/cli/main.ts' }, outdir: staging, outExtension: { '.js': '.cjs' }, define: { ...commonJs.define, __OTSHELL_IMPORT__: 'module.importEsModule' }, plugins: [inkRuntimeImports, vendorImports, lazyCommands(commonJs)] }),
    ...Object.entries(VENDOR_PACKAGES).map(async ([name, pkg]) =>
      build({ ...moduleFunction(), stdin: { contents: await vendorEntry(pkg), resolveDir, loader: 'js' }, outfile: `${staging}/vendor-${name}.cjs` }),
    ),
    build({ ...commonJs, entryPoints: { 'priv-helper': 'src/cli/priv-helper.ts' }, outdir: staging, outExtension: { '.js': '.cjs' } }),
    build({
      ...common,
      entryPoints: { 'ink-runtime': 'src/ui/ink-runtime-entry.ts' },
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      format: 'esm',
      // Ink imports its devtools (and react-devtools-core, not installed) only when asked: a chunk of its own.
      splitting: true,
      // Some bundled CommonJS packages call require(); give the ES module one.
      banner: { js: "import { createRequire as __otshellRequire } from 'node:module'; const require = __otshellRequire(import.meta.url);" },
      plugins: [terminalPatches],
    }),
  ]);
  // The code cache: a warm-up run of the bundle in its own process, which then writes V8's data.
  execFileSync(process.execPath, [new URL('./code-cache.cjs', import.meta.url).pathname, `${staging}/otshell.cjs`, 'dist/otshell.cjs'], { stdio: 'inherit' });
} catch (error) {
  // Nothing half-built is left beside dist/.
  await rm(staging, { recursive: true, force: true });
  throw error;
}

await rename('dist', retired).catch(() => {});
await rename(staging, 'dist');
await rm(retired, { recursive: true, force: true });
