// The built otshell is one CommonJS bundle run through V8's code cache
// (bin/load-bundle.js, scripts/code-cache.cjs). These check on the real build that
// the cache is made and used, that a cache which does not belong to the bundle is
// never used (it could hold other bytecode), and that a missing or broken cache only
// costs time: otshell still runs and answers the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { REPO_ROOT } from '../helpers/cli.js';

type Main = (argv: string[], env: NodeJS.ProcessEnv, streams: object) => Promise<number>;
interface Loaded {
  exports: { main: Main };
  cacheUsed: boolean;
  /** The vendor bundles the run loaded (scripts/vendor-bundles.mjs), by name. */
  vendors: Map<string, Loaded>;
}
const { loadBundle, CACHE_MAGIC } = createRequire(import.meta.url)(join(REPO_ROOT, 'bin/load-bundle.js')) as {
  loadBundle(file: string): Loaded;
  CACHE_MAGIC: string;
};

let root: string;
let state: string;
// A copy of bin/ and dist/ per case, so a damaged cache never touches the real build.
function install(name: string): { bin: string; bundle: string; cache: string } {
  const dir = join(root, name);
  cpSync(join(REPO_ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(REPO_ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  return { bin: join(dir, 'bin/otshell.js'), bundle: join(dir, 'dist/otshell.cjs'), cache: join(dir, 'dist/otshell.cjs.cache') };
}
async function networkList(bin: string) {
  const run = await execa('node', [bin, '--state-dir', state, 'network', 'list', '--json'], { reject: false, env: { LANG: 'C.UTF-8' } });
  // The simulated counters grow with the clock: everything else must be the same.
  const stdout = run.stdout.replace(/"(packets|bytes)":\d+/g, '"$1":0');
  return { exitCode: run.exitCode, stdout, stderr: run.stderr };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'otshell-code-cache-'));
  state = join(root, 'state');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the code cache of the built otshell', () => {
  let reference: Awaited<ReturnType<typeof networkList>>;
  beforeAll(async () => {
    reference = await networkList(join(REPO_ROOT, 'bin/otshell.js'));
  });

  it('the build makes it beside the bundle with the bundle build id, and V8 takes it', () => {
    const bundle = readFileSync(join(REPO_ROOT, 'dist/otshell.cjs'), 'latin1');
    const id = /^\/\* otshell build ([0-9a-f]{16}) \*\//.exec(bundle)?.[1];
    expect(id).toBeDefined();
    const cache = readFileSync(join(REPO_ROOT, 'dist/otshell.cjs.cache'));
    expect(cache.subarray(0, cache.indexOf(10)).toString('latin1')).toBe(`${CACHE_MAGIC}${id}`);
    // More than a header: the warm-up compiled the one-shot path.
    expect(cache.length).toBeGreaterThan(100_000);
    expect(loadBundle(join(REPO_ROOT, 'dist/otshell.cjs')).cacheUsed).toBe(true);
    expect(reference.exitCode, reference.stderr).toBe(0);
    expect(JSON.parse(reference.stdout).interfaces.length).toBeGreaterThan(0);
  });

  it('a cache made for another build is not used, even when V8 would take it', () => {
    const { bundle, cache } = install('other-build');
    // The same bytes of V8 data (same source length, same V8): only the id tells them apart.
    const data = readFileSync(cache);
    writeFileSync(cache, Buffer.concat([Buffer.from(`${CACHE_MAGIC}0123456789abcdef\n`), data.subarray(data.indexOf(10) + 1)]));
    expect(loadBundle(bundle).cacheUsed).toBe(false);
  });

  it('a bundle without a build id line never takes a cache', () => {
    const { bundle } = install('no-id');
    const source = readFileSync(bundle, 'latin1');
    writeFileSync(bundle, source.replace(/^\/\* otshell build /, '/* otshell built '), 'latin1');
    expect(loadBundle(bundle).cacheUsed).toBe(false);
  });

  it.each([
    ['missing', (cache: string) => rmSync(cache)],
    ['empty', (cache: string) => writeFileSync(cache, '')],
    ['only a header', (cache: string) => writeFileSync(cache, readFileSync(cache).subarray(0, readFileSync(cache).indexOf(10) + 1))],
    ['cut in half', (cache: string) => writeFileSync(cache, readFileSync(cache).subarray(0, statSync(cache).size >> 1))],
    ['its data overwritten', (cache: string) => {
      const bytes = readFileSync(cache);
      bytes.fill(0x41, bytes.indexOf(10) + 1);
      writeFileSync(cache, bytes);
    }],
  ])('a cache %s: otshell runs without it and answers the same', async (_name, damage) => {
    const { bin, bundle, cache } = install(`damaged-${_name.replace(/\W+/g, '-')}`);
    damage(cache);
    expect(loadBundle(bundle).cacheUsed).toBe(false);
    const run = await networkList(bin);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(reference.stdout);
  });

  describe('the vendor bundles (yaml, execa, tar-stream: scripts/vendor-bundles.mjs)', () => {
    const VENDORS = ['yaml', 'execa', 'tar'];
    /** main() of a freshly loaded bundle, in this process: which vendor bundles did the command load? */
    async function runInProcess(bundle: string, argv: string[], input = '') {
      const loaded = loadBundle(bundle);
      let out = '';
      const sink = () => new Writable({ write(chunk, _encoding, done) { out += chunk; done(); } });
      const code = await loaded.exports.main(argv, { LANG: 'C.UTF-8', PATH: process.env.PATH }, { stdin: Readable.from([input]), stdinIsTTY: false, stdout: sink(), stderr: sink(), exit: () => {} });
      return { code, out, vendors: loaded.vendors };
    }

    it('each is of this build, with its cache, which V8 takes', () => {
      const id = /^\/\* otshell build ([0-9a-f]{16}) \*\//.exec(readFileSync(join(REPO_ROOT, 'dist/otshell.cjs'), 'latin1'))![1];
      for (const name of VENDORS) {
        const file = join(REPO_ROOT, `dist/vendor-${name}.cjs`);
        expect(readFileSync(file, 'latin1').startsWith(`/* otshell build ${id} */`)).toBe(true);
        const cache = readFileSync(`${file}.cache`);
        expect(cache.subarray(0, cache.indexOf(10)).toString('latin1')).toBe(`${CACHE_MAGIC}${id}`);
        expect(loadBundle(file).cacheUsed).toBe(true);
      }
    });

    it('a simulator command loads none; a backup loads tar-stream, once, and works', async () => {
      const dir = mkdtempSync(join(root, 'vendor-'));
      const list = await runInProcess(join(REPO_ROOT, 'dist/otshell.cjs'), ['--state-dir', dir, 'network', 'list', '--json']);
      expect(list.code, list.out).toBe(0);
      expect([...list.vendors.keys()]).toEqual([]);
      const backup = await runInProcess(join(REPO_ROOT, 'dist/otshell.cjs'), ['--state-dir', dir, '--user', 'cyberx', '--password-stdin', 'system', 'backup'], 'cyberx\n');
      expect(backup.code, backup.out).toBe(0);
      expect(backup.out).toMatch(/Finished backup\./);
      expect([...backup.vendors.keys()]).toEqual(['tar']);
      expect(backup.vendors.get('tar')!.cacheUsed).toBe(true);
    });

    it('a vendor bundle whose cache is another build\'s, or damaged, is loaded without it and works the same', async () => {
      const { bundle } = install('vendor-damaged');
      const tarCache = join(bundle, '../vendor-tar.cjs.cache');
      const data = readFileSync(tarCache);
      writeFileSync(tarCache, Buffer.concat([Buffer.from(`${CACHE_MAGIC}0123456789abcdef\n`), data.subarray(data.indexOf(10) + 1)]));
      const dir = mkdtempSync(join(root, 'vendor-'));
      const backup = await runInProcess(bundle, ['--state-dir', dir, '--user', 'cyberx', '--password-stdin', 'system', 'backup'], 'cyberx\n');
      expect(backup.code, backup.out).toBe(0);
      expect(backup.vendors.get('tar')!.cacheUsed).toBe(false);
      const yamlCache = join(bundle, '../vendor-yaml.cjs.cache');
      writeFileSync(yamlCache, readFileSync(yamlCache).subarray(0, 100));
      expect(loadBundle(join(bundle, '../vendor-yaml.cjs')).cacheUsed).toBe(false);
    });

    it('only a name of letters names a vendor bundle: no path reaches the loader', () => {
      const dir = mkdtempSync(join(root, 'probe-'));
      const probe = join(dir, 'probe.cjs');
      writeFileSync(join(dir, 'vendor-abc.cjs'), '/* otshell build 00 */\n(function (exports, require, module) { exports.loaded = "abc"; })');
      writeFileSync(probe, '/* otshell build 00 */\n(function (exports, require, module) { exports.load = (name) => module.loadVendor(name); })');
      const { load } = loadBundle(probe).exports as unknown as { load(name: string): unknown };
      expect(load('abc')).toEqual({ loaded: 'abc' });
      expect(load('abc')).toBe(load('abc')); // loaded once
      for (const name of ['../abc', 'abc/../abc', '/etc/passwd', 'ABC', '']) expect(() => load(name)).toThrow(/no vendor bundle/);
    });
  });
});
