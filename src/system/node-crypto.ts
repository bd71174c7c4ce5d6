// node:crypto, loaded on first use. Most commands never hash, draw random bytes or
// check a password, and loading the module costs every one-shot command about
// 5 ms of a start-up budget of 36 (docs/benchmarks-startup.md). Synchronous, so the
// callers (a lock record's id, an audit entry's id) stay as they are; a literal
// specifier, resolved by Node itself, never a path.
import { createRequire } from 'node:module';

type NodeCrypto = typeof import('node:crypto');
let loaded: NodeCrypto | undefined;

export function nodeCrypto(): NodeCrypto {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto);
}

/** n random bytes as hex: the ids of lock records, audit entries and training runs. */
export function randomHex(bytes: number): string {
  return nodeCrypto().randomBytes(bytes).toString('hex');
}
