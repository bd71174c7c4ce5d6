// Ink, React and ink-select-input as the built otshell loads them.
//
// The build (scripts/build.mjs) makes otshell one CommonJS bundle, so that V8 can cache
// its compiled code (bin/load-bundle.js). Ink and yoga use top-level await, which a
// CommonJS bundle cannot hold: they are built as their own ES module,
// dist/ink-runtime.mjs (src/ui/ink-runtime-entry.ts), and in the bundle every import
// of 'ink', 'react', 'react/jsx-runtime' and 'ink-select-input' becomes a small module
// that reads its exports from here. The shell calls loadInkRuntime() before it loads
// its views; a one-shot command never loads Ink at all. Run from source (vitest), those
// imports go to the packages themselves and loadInkRuntime() has nothing to do.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** In the CommonJS bundle only (scripts/build.mjs): bin/load-bundle.js's import(). */
declare const __OTSHELL_IMPORT__: ((specifier: string) => Promise<unknown>) | undefined;

type Namespace = Record<string, unknown>;
let loaded: Record<string, Namespace> | undefined;

/** Loads dist/ink-runtime.mjs beside the bundle, once; does nothing when run from source. */
export async function loadInkRuntime(): Promise<void> {
  if (typeof __OTSHELL_IMPORT__ === 'undefined' || loaded) return;
  // __dirname: the bundle's folder (dist/), given to it by bin/load-bundle.js.
  const runtime = (await __OTSHELL_IMPORT__(pathToFileURL(join(__dirname, 'ink-runtime.mjs')).href)) as { modules: Record<string, Namespace> };
  loaded = runtime.modules;
}

/** One package's exports, for the bundle's stand-in modules (scripts/ink-runtime-imports.mjs). */
export function inkRuntimeModule(name: string): Namespace {
  const namespace = loaded?.[name];
  // A programming error, never the user's: a view was loaded before loadInkRuntime().
  if (!namespace) throw new Error(`otshell internal error: ${name} used before loadInkRuntime()`);
  return namespace;
}
