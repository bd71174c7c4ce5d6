// esbuild plugin for the CommonJS bundle: src/commands/command-list.ts (the one list of
// commands) becomes a list of lazyCommand() stand-ins (src/commands/lazy-command.ts), each
// loading its command's module only when the command is used. Start-up speed: a one-shot
// command no longer initialises every command module (docs/benchmarks-startup.md).
//
// At build time the real list is bundled and run once here; for each command this finds the
// module and export it comes from (a default export, a named one, or an entry of an exported
// array such as FLOW_COMMANDS), keeps its data (names, options, role, help text) as JSON and
// notes where its functions are. A function this file does not know, or a value that is not
// plain data, fails the build: the next person decides how it may be stood in for.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const listFile = fileURLToPath(new URL('../src/commands/command-list.ts', import.meta.url));
const lazyCommandFile = fileURLToPath(new URL('../src/commands/lazy-command.ts', import.meta.url));
/** Functions a stand-in may load the module for (they may answer with a promise). */
const LOADING = new Set(['run', 'complete']);
/** Functions only ever given a result of run(): the module is loaded by then. */
const SYNC = new Set(['render', 'json', 'exitCode']);
/** Parts of a command the built otshell never reads (docs/schemas and tests read them from source). */
const DROPPED = new Set(['resultSchema']);

/** `import x from './a.js'` and `import { A, B } from './b.js'` of command-list.ts: the modules commands come from. */
function commandModules(source) {
  return [...source.matchAll(/^import\s+(?!type\b)(?:\w+|\{[^}]*\})\s+from\s+'(\.[^']+)';$/gm)].map((m) => m[1]);
}

/** The command list and every module it imports, bundled and run here (objects compared by identity). */
async function loadRealList(buildOptions, modules) {
  const probe = [`export { COMMANDS } from './command-list.js';`, ...modules.map((m, i) => `export * as m${i} from ${JSON.stringify(m)};`)].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'otshell-lazy-commands-'));
  try {
    const outfile = join(dir, 'probe.cjs');
    await build({ ...buildOptions, stdin: { contents: probe, resolveDir: dirname(listFile), loader: 'ts' }, outfile, minify: false, sourcemap: false, plugins: [] });
    const loaded = createRequire(outfile)(outfile);
    return { commands: loaded.COMMANDS, namespaces: modules.map((m, i) => [m, loaded[`m${i}`]]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The expression that picks `command` out of its module `m`. */
export function exportOf(command, namespaces) {
  const same = (c) => c.category === command.category && c.name === command.name;
  for (const [specifier, namespace] of namespaces) {
    for (const [name, value] of Object.entries(namespace)) {
      const access = name === 'default' ? 'm.default' : `m[${JSON.stringify(name)}]`;
      if (value === command) return { specifier, pick: access };
      if (Array.isArray(value) && value.includes(command)) return { specifier, pick: `${access}.find((c) => c.category === ${JSON.stringify(command.category)} && c.name === ${JSON.stringify(command.name)})` };
    }
  }
  throw new Error(`lazy commands: ${command.category} ${command.name} is not exported by any module command-list.ts imports`);
}

/** The command as JSON data, and the paths of its functions. */
export function describeCommand(command) {
  const functions = [];
  const where = `${command.category} ${command.name}`;
  const copy = (value, path) => {
    if (typeof value === 'function') {
      const name = path[path.length - 1];
      if (!LOADING.has(name) && !SYNC.has(name)) throw new Error(`lazy commands: ${where} has a function at ${path.join('.')}; scripts/lazy-commands.mjs does not know how to stand in for it`);
      functions.push({ path, loads: LOADING.has(name) });
      return undefined;
    }
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value;
    if (Array.isArray(value)) return value.map((v, i) => copy(v, [...path, i]));
    if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const out = {};
      for (const [key, v] of Object.entries(value)) {
        if (path.length === 0 && DROPPED.has(key)) continue;
        if (v !== undefined) out[key] = copy(v, [...path, key]);
      }
      return out;
    }
    throw new Error(`lazy commands: ${where} holds a value that is not plain data at ${path.join('.') || '(the command)'}`);
  };
  return { data: copy(command, []), functions };
}

/** The plugin; `buildOptions`: the bundle's own esbuild options (defines, banner), for the probe. */
export function lazyCommands(buildOptions) {
  return {
    name: 'lazy-commands',
    setup(esbuild) {
      esbuild.onLoad({ filter: /[\\/]src[\\/]commands[\\/]command-list\.ts$/ }, async () => {
        const modules = commandModules(readFileSync(listFile, 'utf8'));
        const { commands, namespaces } = await loadRealList(buildOptions, modules);
        const entries = commands.map((command) => {
          const { specifier, pick } = exportOf(command, namespaces);
          return `  lazyCommand(${JSON.stringify(describeCommand(command))}, () => import(${JSON.stringify(specifier)}).then((m) => ${pick})),`;
        });
        const contents = [
          '// Made by scripts/lazy-commands.mjs from command-list.ts: each command loads its module when used.',
          `import { lazyCommand } from ${JSON.stringify(lazyCommandFile)};`,
          `import type { AnyCommand } from './types.js';`,
          `export const COMMANDS: AnyCommand[] = [`,
          ...entries,
          '];',
        ].join('\n');
        return { contents, loader: 'ts', resolveDir: dirname(listFile) };
      });
    },
  };
}
