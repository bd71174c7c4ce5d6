// Bundles otshell with esbuild. Startup speed is a feature: one bundle for the
// fast one-shot path, Ink and React split into a chunk loaded only by the shell.
import { build } from 'esbuild';
import { terminalPatches } from './terminal-patches.mjs';
import { readFile, rm, rename } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
// Built beside dist/ and swapped in, so a running otshell (or a test) never sees half a build.
const staging = `dist.${process.pid}.tmp`;
const retired = `dist.${process.pid}.old`;
await build({
  // priv-helper: the privileged helper's entry (bin/otshell-priv.js), sharing chunks with main.
  entryPoints: { main: 'src/cli/main.ts', 'priv-helper': 'src/cli/priv-helper.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
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
  // Some bundled CommonJS packages call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __otshellRequire } from 'node:module'; const require = __otshellRequire(import.meta.url);" },
  plugins: [terminalPatches],
  logLevel: 'warning',
});

await rename('dist', retired).catch(() => {});
await rename(staging, 'dist');
await rm(retired, { recursive: true, force: true });
