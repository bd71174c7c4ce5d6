// node:fs/promises, loaded on first use. Node 20's module brings readline's interface
// and more with it: about 1.6 ms of every start, and a one-shot command that only reads
// (the simulator's state and intent files are read synchronously) never needs it.
// Each function here has the type of its node:fs/promises namesake and calls it.
// Every module takes these from here; test/unit/design-rules.ts holds them to it.
import { createRequire } from 'node:module';

type FsPromises = typeof import('node:fs/promises');
let loaded: FsPromises | undefined;
const fsPromises = (): FsPromises => (loaded ??= createRequire(import.meta.url)('node:fs/promises') as FsPromises);

function onUse<K extends keyof FsPromises>(name: K): FsPromises[K] {
  return ((...args: unknown[]) => (fsPromises()[name] as (...a: unknown[]) => unknown)(...args)) as FsPromises[K];
}

export const access = onUse('access');
export const link = onUse('link');
export const lstat = onUse('lstat');
export const mkdir = onUse('mkdir');
export const open = onUse('open');
export const readdir = onUse('readdir');
export const readFile = onUse('readFile');
export const realpath = onUse('realpath');
export const rename = onUse('rename');
export const rm = onUse('rm');
export const stat = onUse('stat');
export const unlink = onUse('unlink');
