// Replaced at build time by esbuild's define; "dev" when run from source.
declare const __OTSHELL_VERSION__: string | undefined;
export const VERSION = typeof __OTSHELL_VERSION__ === 'string' ? __OTSHELL_VERSION__ : 'dev';
