import { build } from 'esbuild';
import { terminalPatches } from '/work/wt-startup/scripts/terminal-patches.mjs';
const external = { name: 'ext', setup(b) { b.onResolve({ filter: /ui\/interactive\.js$/ }, (a) => ({ path: a.path, external: true })); } };
await build({
  entryPoints: { main: 'src/cli/main.ts' }, outdir: '/tmp/exp/out', bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: !process.env.NOMIN,
  external: ['react-devtools-core'], alias: { 'is-in-ci': './src/ui/not-in-ci.ts' },
  define: { __OTSHELL_VERSION__: '"0.1.0"', 'process.env.NODE_ENV': '"production"', 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  plugins: [terminalPatches, external], logLevel: 'warning', outExtension: { '.js': '.cjs' },
});
