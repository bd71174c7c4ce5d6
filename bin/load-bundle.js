'use strict';
// Loads one of otshell's CommonJS bundles from dist/ with V8's code cache.
//
// Why by hand: compiling the bundle was the largest part of a one-shot command's
// start-up (docs/benchmarks-startup.md), and Node 20 has no module.enableCompileCache
// (Node 22) and no code cache for ES modules at all. vm.Script takes V8's cached data
// directly. The `v8-compile-cache` package does the same for require() but writes its
// cache at run time into a directory under tmpdir: for a login shell run as root that
// is a file another user could plant bytecode in. Here the cache is written only by the
// build (scripts/code-cache.cjs), beside the bundle, with the bundle's owner and rights,
// and never at run time.
//
// The cache file: one line `otshell-code-cache <build id>\n`, then V8's data. The build
// id is also the bundle's first line, so a bundle rebuilt without its cache (or the
// other way round) never runs with foreign bytecode; V8 itself rejects data made by
// another V8 version, other flags or a source of another length. A missing or rejected
// cache only costs time: the bundle is compiled as it would be without one.
const { readFileSync } = require('node:fs');
const { Script } = require('node:vm');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');

const CACHE_MAGIC = 'otshell-code-cache ';
const BUILD_ID_LINE = /^\/\* otshell build ([0-9a-f]+) \*\//;

/** The build id on a bundle's first line (scripts/build.mjs writes it). */
function buildIdOf(source) {
  return BUILD_ID_LINE.exec(source)?.[1];
}

/** V8's cached data, when the cache file beside the bundle was made from this build. */
function readCache(cacheFile, buildId) {
  let bytes;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const newline = bytes.indexOf(10);
  if (newline < 0 || bytes.toString('latin1', 0, CACHE_MAGIC.length) !== CACHE_MAGIC) return undefined;
  const id = bytes.toString('latin1', CACHE_MAGIC.length, newline);
  return id !== '' && id === buildId ? bytes.subarray(newline + 1) : undefined;
}

/**
 * Runs the bundle at `file` as a CommonJS module and returns its exports, with the
 * compiled script and the bundle's build id (the build writes the script's cached
 * data after a warm-up run, under that id).
 * `name`: the path the bundle has in stack traces; the build's warm-up reads the
 * bundle from its staging folder but names it by its final path, because V8 keeps
 * the name it was compiled under in the cache.
 */
function loadBundle(file, name = file) {
  // esbuild writes ASCII only (non-ASCII characters escaped): latin1 is exact, and faster.
  const source = readFileSync(file, 'latin1');
  const buildId = buildIdOf(source);
  const cachedData = buildId === undefined ? undefined : readCache(`${file}.cache`, buildId);
  // The bundle is already the module function (scripts/build.mjs): its text is compiled as it is.
  const script = new Script(source, { filename: name, cachedData });
  // What the bundle gets beside exports. importEsModule: dist/ink-runtime.mjs (Ink, an ES
  // module) is loaded through this import(); one inside the script itself would need vm's
  // importModuleDynamically callback, which a script deserialized from a code cache no
  // longer finds. loadVendor: the packages that live in bundles of their own
  // (scripts/vendor-bundles.mjs), each loaded once, with its code cache, on first use.
  const vendors = new Map();
  const loadVendor = (vendor) => {
    if (!/^[a-z]+$/.test(vendor)) throw new Error(`no vendor bundle "${vendor}"`);
    if (!vendors.has(vendor)) vendors.set(vendor, loadBundle(join(dirname(file), `vendor-${vendor}.cjs`), join(dirname(name), `vendor-${vendor}.cjs`)));
    return vendors.get(vendor).exports;
  };
  const module = { exports: {}, importEsModule: (specifier) => import(specifier), loadVendor };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, buildId, cacheUsed: cachedData !== undefined && !script.cachedDataRejected, vendors };
}

module.exports = { loadBundle, CACHE_MAGIC };
