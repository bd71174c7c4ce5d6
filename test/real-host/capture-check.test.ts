// Issue 12 acceptance: the live SPAN check with real parts. Two namespaces
// the test creates: the sensor (createSensorNamespace) and a "switch", joined
// by a veth pair (mon1 in the sensor, mir1 in the switch). tcpreplay replays
// shared industrial captures into mir1; otshell --target local captures on
// mon1 with dumpcap. Never this machine's own interfaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { join, resolve } from 'node:path';
import { createSensorNamespace, missingParts, removeStaleNamespaces, startSshd, type Namespace } from './harness.js';
import { mkdirSync } from 'node:fs';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tool.js';
import { arp, ether, fixture, writePcap } from '../capture/helpers/writer.js';

const skip = missingParts(['root', 'ip', 'sshd', 'ssh']) ?? (skipWithout('tcpreplay', ['-V']) || skipWithout('dumpcap', ['-v']) ? 'tools' : null);
const PCAPS = resolve(REPO_ROOT, '../shared/pcaps');
const OT_REPLAY = [
  ['bro_modbus_modbusSmall.pcap', 'mbtcp'],
  ['s7_s7comm_reading_plc_status.pcap', 's7comm'],
  ['IEC60870-5-104_TestDissectIec104.pcap', 'iec60870_104'],
  ['EthernetIP_enip_test.pcap', 'enip'],
] as const;

describe.skipIf(skip !== null)('network capture-check on a veth pair fed by tcpreplay', () => {
  let ns: Namespace;
  const sw = `otsh${process.pid}sw`;
  const inSwitch = (command: string, args: string[]) => execa('ip', ['netns', 'exec', sw, command, ...args], { reject: false });

  beforeAll(async () => {
    removeStaleNamespaces();
    await execa('ip', ['netns', 'del', sw], { reject: false });
    ns = await createSensorNamespace();
    await execa('ip', ['netns', 'add', sw]);
    await execa('ip', ['link', 'add', 'mon1', 'netns', ns.name, 'type', 'veth', 'peer', 'name', 'mir1', 'netns', sw]);
    await execa('ip', ['-n', ns.name, 'link', 'set', 'mon1', 'up', 'promisc', 'on']);
    await execa('ip', ['-n', sw, 'link', 'set', 'mir1', 'up']);
    // no IPv6 neighbour discovery of our own on the link: only replayed frames
    await execa('ip', ['netns', 'exec', ns.name, 'sysctl', '-q', '-w', 'net.ipv6.conf.mon1.disable_ipv6=1'], { reject: false });
    await execa('ip', ['netns', 'exec', sw, 'sysctl', '-q', '-w', 'net.ipv6.conf.mir1.disable_ipv6=1'], { reject: false });
  });
  afterAll(async () => {
    await execa('ip', ['netns', 'del', sw], { reject: false });
    await ns?.remove();
  });

  /** otshell in the sensor namespace, not awaited: the test signals it. */
  function startCheck(args: string[], target: string[] = ['--target', 'local'], env: Record<string, string> = {}): ResultPromise<{ reject: false; timeout: number }> {
    return execa(
      'ip',
      ['netns', 'exec', ns.name, 'node', BIN, '--state-dir', ns.stateDir, '--config', ns.configPath, ...target, 'network', 'capture-check', ...args],
      { reject: false, timeout: 90_000, env: { LANG: 'C.UTF-8', NO_COLOR: '1', ...env } },
    );
  }

  /** Replays `files` into mir1 over and over until `until` settles. */
  async function replayWhile(files: string[], until: Promise<unknown>): Promise<number> {
    let running = true;
    void until.finally(() => (running = false));
    let rounds = 0;
    while (running) {
      const r = await inSwitch('tcpreplay', ['-q', '-t', '-i', 'mir1', ...files]);
      if (r.exitCode !== 0) throw new Error(`tcpreplay failed: ${r.stderr}`);
      rounds++;
      await new Promise((done) => setTimeout(done, 200));
    }
    return rounds;
  }

  /** dumpcap processes in the sensor namespace. */
  async function dumpcaps(): Promise<number[]> {
    const pids = String((await execa('ip', ['netns', 'pids', ns.name], { reject: false })).stdout).split('\n').filter(Boolean);
    const out: number[] = [];
    for (const pid of pids) {
      const comm = await execa('cat', [`/proc/${pid}/comm`], { reject: false });
      if (String(comm.stdout).trim() === 'dumpcap') out.push(Number(pid));
    }
    return out;
  }

  it('replayed OT captures: the replayed protocols are reported and the verdict is PASS', async () => {
    const check = startCheck(['mon1', '--seconds', '5', '--json']);
    const rounds = await replayWhile(OT_REPLAY.map(([f]) => join(PCAPS, f)), check);
    const result = await check;
    expect(result.stderr).toBe('');
    expect(rounds).toBeGreaterThan(0);
    const json = JSON.parse(String(result.stdout));
    const report = json.interfaces[0];
    expect(report.file).toBe('mon1');
    const found = report.otProtocols.map((p: { name: string }) => p.name);
    for (const [, proto] of OT_REPLAY) expect(found).toContain(proto);
    expect(report.verdict.checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual([
      'file-complete:pass', 'unicast:pass', 'arp-share:pass', 'ot-protocols:pass', 'tcp-directions:pass', 'duration:pass',
    ]);
    expect(report.verdict.status).toBe('pass');
    expect(json.overall.verdict.status).toBe('pass');
    expect(json.interrupted).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(await dumpcaps()).toEqual([]);
  }, 120_000);

  it('an ARP-only stream: FAIL with the ARP-share reason', async () => {
    const frames = Array.from({ length: 50 }, (_, i) => ({
      ts: 1_700_000_000 + i * 0.01,
      data: ether('ff:ff:ff:ff:ff:ff', `02:00:00:00:01:${(i % 200).toString(16).padStart(2, '0')}`, 0x0806, arp(1, `02:00:00:00:01:${(i % 200).toString(16).padStart(2, '0')}`, `10.9.0.${i + 1}`, '10.9.0.254')),
    }));
    const file = fixture('arp-only.pcap', writePcap(frames));
    const check = startCheck(['mon1', '--seconds', '3', '--json']);
    await replayWhile([file], check);
    const result = await check;
    const report = JSON.parse(String(result.stdout)).interfaces[0];
    expect(report.packets).toBeGreaterThan(0);
    expect(report.traffic.arp / report.packets).toBeGreaterThan(0.95);
    expect(report.verdict.status).toBe('fail');
    const arpShare = report.verdict.checks.find((c: { id: string }) => c.id === 'arp-share');
    expect(arpShare.status).toBe('fail');
    expect(arpShare.detail).toMatch(/^most frames are ARP \((9[5-9]|100)\.\d%\): the switch mirror is likely misconfigured$/);
    expect(result.exitCode).toBe(1);
  }, 120_000);

  it('Ctrl-C (SIGINT) at 2 s still reports what was seen, exit 130, no dumpcap left', async () => {
    const check = startCheck(['mon1', '--seconds', '60', '--json']);
    const replay = replayWhile([join(PCAPS, 'bro_modbus_modbusSmall.pcap')], check);
    await waitFor(async () => (await dumpcaps()).length === 1, 20_000);
    await new Promise((done) => setTimeout(done, 2000));
    check.kill('SIGINT');
    const result = await check;
    await replay;
    expect(result.exitCode).toBe(130);
    const json = JSON.parse(String(result.stdout));
    expect(json.interrupted).toBe(true);
    expect(json.elapsedSeconds).toBeGreaterThanOrEqual(1.5);
    expect(json.elapsedSeconds).toBeLessThan(30);
    expect(json.interfaces[0].packets).toBeGreaterThan(0);
    expect(json.interfaces[0].otProtocols.map((p: { name: string }) => p.name)).toContain('mbtcp');
    expect(json.interfaces[0].verdict.checks.find((c: { id: string }) => c.id === 'duration').detail).toMatch(/^stopped after .* of 60 s asked$/);
    await waitFor(async () => (await dumpcaps()).length === 0, 10_000);
  }, 120_000);

  it('over ssh: dumpcap runs on the remote host and its capture streams back; none is left', async () => {
    const sshd = await startSshd(ns);
    const sshTmp = join(ns.dir, 'client-tmp');
    mkdirSync(sshTmp, { recursive: true });
    try {
      const target = ['--target', `ssh://root@127.0.0.1:${sshd.port}`, ...sshd.clientArgs];
      const check = startCheck(['mon1', '--seconds', '4', '--json'], target, { TMPDIR: sshTmp });
      await replayWhile([join(PCAPS, 'bro_modbus_modbusSmall.pcap')], check);
      const result = await check;
      expect(result.stderr).toBe('');
      const report = JSON.parse(String(result.stdout)).interfaces[0];
      expect(report.packets).toBeGreaterThan(0);
      expect(report.otProtocols.map((p: { name: string }) => p.name)).toContain('mbtcp');
      await waitFor(async () => (await dumpcaps()).length === 0, 10_000);
    } finally {
      await sshd.stop();
    }
  }, 120_000);

  it('SIGTERM to otshell leaves no dumpcap process', async () => {
    const check = startCheck(['mon1', '--seconds', '60']);
    await waitFor(async () => (await dumpcaps()).length === 1, 20_000);
    const [pid] = await dumpcaps();
    check.kill('SIGTERM');
    const result = await check;
    expect(result.exitCode).toBe(143);
    await waitFor(async () => (await dumpcaps()).length === 0, 10_000);
    // Gone, or at most a zombie waiting for its reaper (not running, holds nothing). A killed
    // process may spend a moment in the kernel's exit path (state D, no files left) on a loaded
    // machine: wait for that to end rather than catch it half-way.
    const state = async () => {
      const status = await execa('cat', [`/proc/${pid}/status`], { reject: false });
      return status.exitCode === 0 ? (/^State:\s+(\S)/m.exec(String(status.stdout))?.[1] ?? '?') : 'gone';
    };
    await waitFor(async () => ['gone', 'Z'].includes(await state()), 10_000);
  }, 120_000);
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await condition()) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`condition not met in ${timeoutMs} ms`);
}
