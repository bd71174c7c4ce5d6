// ntp enable/status/disable with --target local against real chrony: a private
// `chronyd -x` serves NTP in one namespace; the sensor namespace runs its own
// private chronyd (sourcedir, command socket, pid file all in the test's folder)
// that otshell's sources file feeds. Nothing of this machine's chrony is used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSensorNamespace, missingParts, removeStaleNamespaces, type Namespace } from './harness.js';
import { hasTool } from '../helpers/tool.js';

function noChrony(): string | null {
  if (hasTool('chronyd', ['--version']) && hasTool('chronyc', ['--version'])) return null;
  const reason = 'the NTP tests need chrony (chronyd, chronyc)';
  if (process.env.CI === 'true') throw new Error(`${reason}: CI must have it installed (.ci/run)`);
  console.warn(`skipping: ${reason} (these tests run in CI)`);
  return reason;
}

const skip = missingParts(['root', 'ip']) ?? noChrony();
const SERVER = '10.78.0.1';
const SILENT = '10.78.0.9';

describe.skipIf(skip !== null)('ntp with --target local and a real chronyd', () => {
  let ns: Namespace;
  let serverNs: string;
  const daemons: ResultPromise[] = [];
  let sourcesFile: string;
  let clientSocket: string;
  let auditFile: string;

  /** A private folder chrony accepts for its command socket (not world-accessible). */
  function runDir(name: string): string {
    const dir = join(ns.dir, name);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o700);
    return dir;
  }

  async function waitForSocket(path: string): Promise<void> {
    for (let i = 0; i < 100 && !existsSync(path); i += 1) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(path)) throw new Error(`chronyd did not create ${path}`);
  }

  beforeAll(async () => {
    removeStaleNamespaces();
    ns = await createSensorNamespace();
    serverNs = `${ns.name}ntp`;
    await execa('ip', ['netns', 'add', serverNs]);
    // One veth pair between the sensor's namespace and the server's: nothing in this machine's own.
    await execa('ip', ['-n', ns.name, 'link', 'add', 'ntp0', 'type', 'veth', 'peer', 'name', 'ntp1', 'netns', serverNs]);
    await execa('ip', ['-n', ns.name, 'addr', 'add', '10.78.0.2/24', 'dev', 'ntp0']);
    await execa('ip', ['-n', ns.name, 'link', 'set', 'ntp0', 'up']);
    await execa('ip', ['-n', serverNs, 'addr', 'add', `${SERVER}/24`, 'dev', 'ntp1']);
    await execa('ip', ['-n', serverNs, 'link', 'set', 'ntp1', 'up']);
    await execa('ip', ['-n', serverNs, 'link', 'set', 'lo', 'up']);

    const serverRun = runDir('server-run');
    writeFileSync(join(ns.dir, 'server.conf'), ['allow all', 'local stratum 8', 'cmdport 0', `bindcmdaddress ${serverRun}/chronyd.sock`, `pidfile ${serverRun}/chronyd.pid`, `bindaddress ${SERVER}`, ''].join('\n'));
    daemons.push(execa('ip', ['netns', 'exec', serverNs, 'chronyd', '-d', '-x', '-u', 'root', '-f', join(ns.dir, 'server.conf')], { reject: false }));
    await waitForSocket(`${serverRun}/chronyd.sock`);

    const clientRun = runDir('client-run');
    const sourcesDir = join(ns.dir, 'etc/chrony/sources.d');
    mkdirSync(sourcesDir, { recursive: true });
    sourcesFile = join(sourcesDir, 'otshell.sources');
    clientSocket = `${clientRun}/chronyd.sock`;
    writeFileSync(join(ns.dir, 'client.conf'), [`sourcedir ${sourcesDir}`, `bindcmdaddress ${clientSocket}`, 'cmdport 0', 'port 0', `pidfile ${clientRun}/chronyd.pid`, ''].join('\n'));
    daemons.push(execa('ip', ['netns', 'exec', ns.name, 'chronyd', '-d', '-x', '-u', 'root', '-f', join(ns.dir, 'client.conf')], { reject: false }));
    await waitForSocket(clientSocket);

    appendFileSync(ns.configPath, ['ntp:', `  sourcesFile: ${sourcesFile}`, `  chronycSocket: ${clientSocket}`, ''].join('\n'));
    auditFile = join(ns.stateDir, 'audit.jsonl');
  }, 60_000);

  afterAll(async () => {
    for (const daemon of daemons) daemon.kill('SIGKILL');
    await Promise.allSettled(daemons);
    await execa('ip', ['netns', 'del', serverNs], { reject: false });
    await ns?.remove();
  });

  const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : null);

  it('a server that does not answer is refused with nothing changed', async () => {
    const result = await ns.otshell(['--target', 'local', 'ntp', 'enable', SILENT]);
    expect(result.stderr).toContain(`${SILENT} does not answer NTP on UDP port 123 (no reply within 5 s). Nothing was changed.`);
    expect(result.exitCode).toBe(69);
    expect(read(sourcesFile)).toBeNull();
    expect(read(auditFile)).toBeNull();
  }, 60_000);

  it('ntp enable writes the sources file, chrony reloads it, ntp status shows the server synchronised', async () => {
    const result = await ns.otshell(['--target', 'local', 'cyberx-xsense-ntp-enable', SERVER]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`NTP server ${SERVER} enabled`);
    expect(result.exitCode).toBe(0);
    expect(read(sourcesFile)).toMatch(new RegExp(`^server ${SERVER.replace(/\./g, '\\.')} iburst$`, 'm'));
    // chrony's own view, straight from chronyc: the source is known to the daemon.
    const chronyc = await ns.exec('chronyc', ['-h', clientSocket, '-n', '-c', 'sources']);
    expect(chronyc.stdout).toContain(`,${SERVER},`);
    let status: { servers: { address: string; state: string }[]; synchronised: boolean; reference: string | null } | null = null;
    // iburst: four samples two seconds apart before chrony selects it; bounded for a loaded machine.
    for (let i = 0; i < 40; i += 1) {
      const out = await ns.otshell(['--target', 'local', 'ntp', 'status', '--json']);
      status = JSON.parse(out.stdout);
      // chronyc's tracking and sources are two readings: right after the selection, tracking may
      // already name the server while its sources line still marks it "+" (candidate), for a moment.
      if (status?.synchronised && status.servers.every((s) => s.state === 'synchronised')) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(status).toMatchObject({ synchronised: true, reference: SERVER, servers: [{ address: SERVER, state: 'synchronised' }] });
    const text = await ns.otshell(['--target', 'local', 'ntp', 'status']);
    expect(text.stdout).toMatch(new RegExp(`Clock: synchronised to ${SERVER.replace(/\./g, '\\.')} \\(stratum 9\\)`));
    const audit = read(auditFile)!.trim().split('\n').map((l) => JSON.parse(l));
    expect(audit).toEqual([expect.objectContaining({ action: 'ntp-enable', subject: SERVER, old: [], new: [SERVER], target: 'local' })]);
  }, 120_000);

  it('a failed chronyc reload puts the sources file back', async () => {
    const before = read(sourcesFile);
    const auditBefore = read(auditFile);
    const config = readFileSync(ns.configPath, 'utf8');
    writeFileSync(ns.configPath, config.replace(clientSocket, join(ns.dir, 'client-run/nothing.sock')));
    try {
      const result = await ns.otshell(['--target', 'local', 'ntp', 'disable', SERVER]);
      expect(result.stderr).toMatch(/^chronyc reload sources failed \(.+\); the sources file was put back\. Nothing was changed\.$/);
      expect(result.exitCode).toBe(1);
      expect(read(sourcesFile)).toBe(before);
      expect(read(auditFile)).toBe(auditBefore);
    } finally {
      writeFileSync(ns.configPath, config);
    }
  }, 60_000);

  it('ntp disable removes it', async () => {
    const result = await ns.otshell(['--target', 'local', 'ntp', 'disable', SERVER]);
    expect(result.stdout).toBe(`NTP server ${SERVER} disabled.`);
    expect(read(sourcesFile)).not.toContain(SERVER);
    const chronyc = await ns.exec('chronyc', ['-h', clientSocket, '-n', '-c', 'sources']);
    expect(chronyc.stdout).not.toContain(`,${SERVER},`);
  }, 60_000);
});
