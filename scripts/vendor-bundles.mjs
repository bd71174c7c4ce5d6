// Large packages that only some commands use live in bundles of their own,
// dist/vendor-<name>.cjs, each with its code cache, loaded on first use: the Linux
// targets' yaml and execa, the backups' tar-stream. The main bundle's code cache is
// read and deserialised at every start, and these packages were about a third of it
// (docs/benchmarks-startup.md). Only third-party packages are split off: they import
// nothing of otshell's, so no module of ours ever exists twice (a class in two bundles
// would break instanceof).
//
// In the main bundle each import of such a package becomes a stand-in module that takes
// the package's names from __otshellLoadVendor(name) (bin/load-bundle.js); the names are
// read from the package itself at build time, as scripts/ink-runtime-imports.mjs does.
import { createRequire } from 'node:module';

/** Bundle name -> package. */
export const VENDOR_PACKAGES = { yaml: 'yaml', execa: 'execa', tar: 'tar-stream' };
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const byPackage = new Map(Object.entries(VENDOR_PACKAGES).map(([name, pkg]) => [pkg, name]));

async function exportNames(pkg) {
  const namespace = await import(pkg);
  return { names: Object.keys(namespace).filter((n) => n !== 'default' && IDENTIFIER.test(n)), hasDefault: 'default' in namespace };
}

/** The plugin for the main bundle: imports of the packages above load their vendor bundle. */
export const vendorImports = {
  name: 'vendor-imports',
  setup(build) {
    const filter = new RegExp(`^(${[...byPackage.keys()].map((p) => p.replace(/[/-]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'vendor' }));
    build.onLoad({ filter: /.*/, namespace: 'vendor' }, async (args) => {
      const { names } = await exportNames(args.path);
      const lines = [`const m = __otshellLoadVendor(${JSON.stringify(byPackage.get(args.path))});`, ...names.map((n) => `export const ${n} = m.${n};`), 'export default m.default;'];
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

/** The entry of one vendor bundle: the package's names, its default too when it has one. */
export async function vendorEntry(pkg) {
  const { hasDefault } = await exportNames(pkg);
  return `export * from ${JSON.stringify(pkg)};${hasDefault ? ` export { default } from ${JSON.stringify(pkg)};` : ''}`;
}

// Resolved from this project, as the main bundle resolves them.
export const resolveDir = createRequire(import.meta.url).resolve('../package.json').replace(/package\.json$/, '');
