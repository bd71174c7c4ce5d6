import { describe, it, expect } from 'vitest';
import { createStyle } from '../../src/output/style.js';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import command, { PROGRESS_THRESHOLD_BYTES } from '../../src/commands/network/validate-capture.js';
import type { CommandContext, ProgressUpdate } from '../../src/commands/types.js';
import { completePath } from '../../src/capture/index.js';
import { ether, fixture, fixtureDir, ipv4, udp, writePcap, type Pkt } from './helpers/writer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pcaps = path.resolve(repoRoot, '../shared/pcaps');

function context(signal = new AbortController().signal): { ctx: CommandContext; progress: ProgressUpdate[] } {
  const progress: ProgressUpdate[] = [];
  const ctx = {
    system: {} as CommandContext['system'],
    prompter: {} as CommandContext['prompter'],
    style: createStyle({ ascii: true, color: false, width: 80 }),
    caller: { user: 'test', role: 'viewer' },
    signal,
    progress: (u: ProgressUpdate) => progress.push(u),
    json: false,
  } as CommandContext;
  return { ctx, progress };
}

describe('network validate-capture command', () => {
  it('is declared for the registry: network category, variadic required files with a path completer, viewer role', () => {
    expect(command.category).toBe('network');
    expect(command.name).toBe('validate-capture');
    expect(command.role).toBe('viewer');
    expect(command.args).toHaveLength(1);
    expect(command.args![0]).toMatchObject({ name: 'files', required: true, variadic: true });
    expect(typeof command.args![0]!.complete).toBe('function');
  });

  it('analyses every file, renders each, prints one JSON object per line, exit code from the worst file', async () => {
    const files = [path.join(pcaps, 'ModbusTCP_ModbusTCP.pcap'), path.join(fixtureDir(), 'nope.pcap'), path.join(pcaps, 'bro_dnp3_dnp3_read_p20001.pcap')];
    const { ctx, progress } = context();
    const result = await command.run(ctx, { args: { files }, options: {} });
    expect(result.reports.map((r) => r.file)).toEqual(files);
    const text = command.render(result, ctx.style);
    expect(text).toContain(`${files[1]}: no such file`);
    expect(text).toContain('mbtcp');
    const lines = command.json!(result).split('\n');
    expect(lines).toHaveLength(3);
    const parsed = lines.map((l) => JSON.parse(l));
    expect(Object.keys(parsed[0])).toEqual([
      'file', 'format', 'linkTypes', 'packets', 'bytes', 'firstTime', 'lastTime', 'durationSeconds', 'avgBitsPerSecond',
      'peakBitsPerSecond', 'truncated', 'error', 'traffic', 'hierarchy', 'otProtocols', 'otProtocolsByPortOnly', 'devices', 'verdict',
    ]);
    expect(parsed[0].packets).toBe(15387);
    expect(command.exitCode!(result)).toBe(2);
    expect(command.exitCode!({ reports: [result.reports[0]!] })).toBe(0);
    expect(command.exitCode!({ reports: [result.reports[0]!, result.reports[2]!] })).toBe(1);
    expect(progress).toEqual([]); // small files: no progress
  });

  it(`reports progress in bytes for files over ${PROGRESS_THRESHOLD_BYTES / 1e6} MB`, async () => {
    const frame = ether('00:00:00:00:00:02', '00:00:00:00:00:01', 0x0800, ipv4('10.0.0.1', '10.0.0.2', 17, udp(1, 2, new Uint8Array(9000))));
    const list: Pkt[] = [];
    for (let i = 0; i < 5700; i++) list.push({ ts: i, data: frame });
    const file = fixture('over-50mb.pcap', writePcap(list, { snaplen: 65535 }));
    const { ctx, progress } = context();
    const result = await command.run(ctx, { args: { files: [file] }, options: {} });
    expect(result.reports[0]!.packets).toBe(5700);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.every((p) => p.label === 'over-50mb.pcap' && p.total > PROGRESS_THRESHOLD_BYTES)).toBe(true);
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
    const dones = progress.map((p) => p.done);
    expect([...dones].sort((a, b) => a - b)).toEqual(dones);
  });

  it('stops when the signal is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const { ctx } = context(ac.signal);
    const result = await command.run(ctx, { args: { files: [path.join(pcaps, 'ModbusTCP_ModbusTCP.pcap')] }, options: {} });
    expect(result.reports).toEqual([]);
  });
});

describe('path completion', () => {
  const root = path.join(fixtureDir(), 'complete');
  mkdirSync(path.join(root, 'captures', 'site-a'), { recursive: true });
  writeFileSync(path.join(root, 'captures', 'span.pcap'), '');
  writeFileSync(path.join(root, 'captures', 'span.pcapng'), '');
  writeFileSync(path.join(root, 'captures', '.hidden.pcap'), '');
  writeFileSync(path.join(root, 'other.txt'), '');
  try {
    symlinkSync(path.join(root, 'captures', 'site-a'), path.join(root, 'captures', 'link-to-dir'));
  } catch {
    /* exists from an earlier run */
  }

  it('lists matching entries, directories with a trailing slash, hidden only on request', () => {
    expect(completePath('captures/', root)).toEqual(['captures/link-to-dir/', 'captures/site-a/', 'captures/span.pcap', 'captures/span.pcapng']);
    expect(completePath('captures/sp', root)).toEqual(['captures/span.pcap', 'captures/span.pcapng']);
    expect(completePath('captures/.h', root)).toEqual(['captures/.hidden.pcap']);
    expect(completePath('capt', root)).toEqual(['captures/']);
    expect(completePath(`${root}/oth`)).toEqual([`${root}/other.txt`]);
    expect(completePath('no-such-dir/x', root)).toEqual([]);
  });

  it('is the files argument completer', async () => {
    const c = command.args![0]!.complete!;
    const got = await c({ system: {} as never }, `${root}/captures/span.pcapn`);
    expect(got).toEqual([`${root}/captures/span.pcapng`]);
  });
});
