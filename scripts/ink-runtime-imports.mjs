// esbuild plugin for the CommonJS bundle: each import of a package that lives in
// dist/ink-runtime.mjs (see src/ui/ink-runtime.ts) becomes a stand-in module that
// re-exports the package's names from inkRuntimeModule(). The names are read from the
// package itself at build time, so a name the views import that the package lacks
// still fails the build as it would without the stand-in.
import { fileURLToPath } from 'node:url';

export const INK_RUNTIME_PACKAGES = ['ink', 'react', 'react/jsx-runtime', 'ink-select-input'];
const holder = fileURLToPath(new URL('../src/ui/ink-runtime.ts', import.meta.url));
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export const inkRuntimeImports = {
  name: 'ink-runtime-imports',
  setup(build) {
    const filter = new RegExp(`^(${INK_RUNTIME_PACKAGES.map((p) => p.replace(/[/]/g, '\\/')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'ink-runtime' }));
    build.onLoad({ filter: /.*/, namespace: 'ink-runtime' }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((n) => n !== 'default' && IDENTIFIER.test(n));
      const lines = [
        `import { inkRuntimeModule } from ${JSON.stringify(holder)};`,
        `const m = inkRuntimeModule(${JSON.stringify(args.path)});`,
        ...names.map((n) => `export const ${n} = m.${n};`),
        'export default m.default;',
      ];
      return { contents: lines.join('\n'), loader: 'js', resolveDir: fileURLToPath(new URL('..', import.meta.url)) };
    });
  },
};
