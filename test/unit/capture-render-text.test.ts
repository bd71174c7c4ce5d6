// The capture report's text, line by line, for hand-made reports (issue 17: mutation testing of
// the renderers). A tagging style shows which text is painted in which tone and which went
// through `untrusted`, so a dropped colour or escape is seen, not only a changed word.
import { describe, expect, it } from 'vitest';
import { formatBitRate, formatBytes, renderCaptureReport, type CaptureRenderStyle } from '../../src/capture/render.js';
import type { CaptureReport } from '../../src/capture/types.js';
import { analyzeBuffer } from '../../src/capture/index.js';
import { writePcap } from '../capture/helpers/writer.js';

const style = (ascii: boolean, width: number): CaptureRenderStyle => ({
  ascii,
  width,
  paint: (tone, text) => `<${tone}>${text}</${tone}>`,
  untrusted: (text) => `{${text}}`,
});

function report(over: Partial<CaptureReport> = {}): CaptureReport {
  return {
    file: 'plant.pcap',
    format: 'pcap',
    linkTypes: ['ETHERNET'],
    packets: 1234,
    bytes: 98765,
    firstTime: '2024-01-02T03:04:05.000001Z',
    lastTime: '2024-01-02T03:05:10.500000Z',
    durationSeconds: 65.499999,
    avgBitsPerSecond: 12345,
    peakBitsPerSecond: 999,
    truncated: false,
    error: null,
    traffic: { unicast: 1000, broadcast: 200, multicast: 30, arp: 40 },
    hierarchy: [
      { name: 'eth', packets: 1234, bytes: 98765, children: [{ name: 'ip', packets: 1200, bytes: 90000, children: [{ name: 'tcp', packets: 1100, bytes: 80000, children: [] }] }] },
      { name: 'arp', packets: 4, bytes: 240, children: [] },
    ],
    otProtocols: [
      { name: 'mbtcp', packets: 600, bytes: 40000, ports: [502] },
      { name: 'enip', packets: 300, bytes: 20000, ports: [44818, 2222] },
      { name: 'goose', packets: 10, bytes: 1000, ports: [] },
    ],
    otProtocolsByPortOnly: [{ name: 'opcua-tls', packets: 5, bytes: 500, ports: [4843] }],
    devices: {
      macs: 12,
      ipv4: { private: 9, public: 1 },
      ipv6: { private: 2, public: 0 },
      topTalkers: [{ address: '192.168.0.10', kind: 'ipv4', packets: 700, bytes: 50000 }],
    },
    verdict: {
      status: 'warn',
      checks: [
        { id: 'file-complete', status: 'pass', detail: 'the file was read to the end' },
        { id: 'ot-protocols', status: 'warn', detail: 'no industrial protocols found' },
        { id: 'unicast', status: 'fail', detail: 'no unicast frames' },
      ],
    },
    ...over,
  };
}

/** A chain of `levels` nested protocols, a > b > c ... */
function deep(levels: number): CaptureReport['hierarchy'] {
  let node: CaptureReport['hierarchy'] = [];
  for (let i = levels - 1; i >= 0; i--) node = [{ name: String.fromCharCode(97 + i), packets: i + 1, bytes: 10 * (i + 1), children: node }];
  return node;
}

describe('capture report text, line by line', () => {
  it('a full report, Unicode, 80 columns: rules, aligned tables, ports, colours, untrusted file name', () => {
    expect(renderCaptureReport(report(), style(false, 80)).split('\n')).toEqual([
      "══ <bold>{plant.pcap}</bold> ═════════════════════════════════════════════════════════ <yellow>WARN</yellow> ═",
      "Format      pcap",
      "Link types  ETHERNET",
      "Packets     1,234, 98.8 kB",
      "Time        2024-01-02 03:04:05.000001Z → 2024-01-02 03:05:10.500000Z",
      "Duration    65.500 s",
      "Bit rate    average 12.3 kbit/s, peak 999 bit/s (1 s bins)",
      "Traffic     unicast 1,000 (81.3%), broadcast 200 (16.3%), multicast 30 (2.4%), ARP 40 (3.2%)",
      "",
      "<bold>Protocol hierarchy                                           packets       bytes</bold>",
      "  eth                                                          1,234      98,765",
      "    ip                                                         1,200      90,000",
      "      tcp                                                      1,100      80,000",
      "  arp                                                              4         240",
      "",
      "<bold>OT protocols                                                 packets       bytes</bold>",
      "  mbtcp                                                          600      40,000",
      "    port 502",
      "  enip                                                           300      20,000",
      "    ports 44818, 2222",
      "  goose                                                           10       1,000",
      "<bold>OT protocols by port only (not confirmed by payload)         packets       bytes</bold>",
      "  opcua-tls                                                        5         500",
      "    port 4843",
      "",
      "Devices     12 MAC addresses; IPv4 9 private, 1 public; IPv6 2 private, 0 public",
      "<bold>Top talkers                                                  packets       bytes</bold>",
      "  192.168.0.10                                                   700      50,000",
      "",
      "<bold>Verdict</bold>     <yellow>WARN</yellow>",
      "  [<green>PASS</green>] file-complete   the file was read to the end",
      "  [<yellow>WARN</yellow>] ot-protocols    no industrial protocols found",
      "  [<red>FAIL</red>] unicast         no unicast frames",
    ]);
  });

  it('ASCII: "=" rules, "->", non-ASCII in names and details as "?"; a 500-column terminal is held to 120', () => {
    const r = report({ file: 'anlage-\u00e9\u2603.pcap', verdict: { status: 'fail', checks: [{ id: 'duration', status: 'pass', detail: 'caf\u00e9 \u2192 ok' }] } });
    expect(renderCaptureReport(r, style(true, 500)).split('\n')).toEqual([
      "== <bold>{anlage-??.pcap}</bold> ============================================================================================= <red>FAIL</red> =",
      "Format      pcap",
      "Link types  ETHERNET",
      "Packets     1,234, 98.8 kB",
      "Time        2024-01-02 03:04:05.000001Z -> 2024-01-02 03:05:10.500000Z",
      "Duration    65.500 s",
      "Bit rate    average 12.3 kbit/s, peak 999 bit/s (1 s bins)",
      "Traffic     unicast 1,000 (81.3%), broadcast 200 (16.3%), multicast 30 (2.4%), ARP 40 (3.2%)",
      "",
      "<bold>Protocol hierarchy                                                                                   packets       bytes</bold>",
      "  eth                                                                                                  1,234      98,765",
      "    ip                                                                                                 1,200      90,000",
      "      tcp                                                                                              1,100      80,000",
      "  arp                                                                                                      4         240",
      "",
      "<bold>OT protocols                                                                                         packets       bytes</bold>",
      "  mbtcp                                                                                                  600      40,000",
      "    port 502",
      "  enip                                                                                                   300      20,000",
      "    ports 44818, 2222",
      "  goose                                                                                                   10       1,000",
      "<bold>OT protocols by port only (not confirmed by payload)                                                 packets       bytes</bold>",
      "  opcua-tls                                                                                                5         500",
      "    port 4843",
      "",
      "Devices     12 MAC addresses; IPv4 9 private, 1 public; IPv6 2 private, 0 public",
      "<bold>Top talkers                                                                                          packets       bytes</bold>",
      "  192.168.0.10                                                                                           700      50,000",
      "",
      "<bold>Verdict</bold>     <red>FAIL</red>",
      "  [<green>PASS</green>] duration        caf? ? ok",
    ]);
  });

  it('an unknown width is 80; long names, titles and port lists are cut with an ellipsis; no empty tables', () => {
    const r = report({
      file: 'x'.repeat(90),
      otProtocols: [{ name: 'n'.repeat(70), packets: 1, bytes: 2, ports: Array.from({ length: 30 }, (_, i) => 40000 + i) }],
      otProtocolsByPortOnly: [],
      devices: { macs: 0, ipv4: { private: 0, public: 0 }, ipv6: { private: 0, public: 0 }, topTalkers: [] },
    });
    expect(renderCaptureReport(r, style(false, 0)).split('\n')).toEqual([
      "══ <bold>{xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…</bold> ══ <yellow>WARN</yellow> ═",
      "Format      pcap",
      "Link types  ETHERNET",
      "Packets     1,234, 98.8 kB",
      "Time        2024-01-02 03:04:05.000001Z → 2024-01-02 03:05:10.500000Z",
      "Duration    65.500 s",
      "Bit rate    average 12.3 kbit/s, peak 999 bit/s (1 s bins)",
      "Traffic     unicast 1,000 (81.3%), broadcast 200 (16.3%), multicast 30 (2.4%), ARP 40 (3.2%)",
      "",
      "<bold>Protocol hierarchy                                           packets       bytes</bold>",
      "  eth                                                          1,234      98,765",
      "    ip                                                         1,200      90,000",
      "      tcp                                                      1,100      80,000",
      "  arp                                                              4         240",
      "",
      "<bold>OT protocols                                                 packets       bytes</bold>",
      "  nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn…           1           2",
      "    ports 40000, 40001, 40002, 40003, 40004, 40005, 40006, 40007, 40008, 40009,…",
      "",
      "Devices     0 MAC addresses; IPv4 0 private, 0 public; IPv6 0 private, 0 public",
      "",
      "<bold>Verdict</bold>     <yellow>WARN</yellow>",
      "  [<green>PASS</green>] file-complete   the file was read to the end",
      "  [<yellow>WARN</yellow>] ot-protocols    no industrial protocols found",
      "  [<red>FAIL</red>] unicast         no unicast frames",
    ]);
  });

  it('an unrecognised file: the title and the error only', () => {
    expect(renderCaptureReport(report({ format: null, error: 'no such file', packets: 0 }), style(true, 80)).split('\n')).toEqual([
      "== <bold>{plant.pcap}</bold> ========================================================= <yellow>WARN</yellow> =",
      "<red>{plant.pcap}: {no such file}</red>",
    ]);
  });

  it('no packets: no times, no tables, straight to the verdict; a 30-column terminal is held to 60', () => {
    const r = report({ packets: 0, bytes: 0, firstTime: null, lastTime: null, verdict: { status: 'pass', checks: [] } });
    expect(renderCaptureReport(r, style(false, 30)).split('\n')).toEqual([
      "══ <bold>{plant.pcap}</bold> ═════════════════════════════════════ <green>PASS</green> ═",
      "Format      pcap",
      "Link types  ETHERNET",
      "Packets     0, 0 B",
      "<bold>Verdict</bold>     <green>PASS</green>",
    ]);
  });

  it('a time out of range, no decoded frames ("-" shares), no OT protocol, a hierarchy deeper than 12 levels', () => {
    const r = report({ firstTime: null, error: 'cut short', otProtocols: [], traffic: { unicast: 0, broadcast: 0, multicast: 0, arp: 0 }, hierarchy: deep(14) });
    expect(renderCaptureReport(r, style(false, 80)).split('\n')).toEqual([
      "══ <bold>{plant.pcap}</bold> ═════════════════════════════════════════════════════════ <yellow>WARN</yellow> ═",
      "<red>{plant.pcap}: {cut short}</red>",
      "Format      pcap",
      "Link types  ETHERNET",
      "Packets     1,234, 98.8 kB",
      "Time        out of range → 2024-01-02 03:05:10.500000Z",
      "Duration    65.500 s",
      "Bit rate    average 12.3 kbit/s, peak 999 bit/s (1 s bins)",
      "Traffic     unicast 0 (-), broadcast 0 (-), multicast 0 (-), ARP 0 (0.0%)",
      "",
      "<bold>Protocol hierarchy                                           packets       bytes</bold>",
      "  a                                                                1          10",
      "    b                                                              2          20",
      "      c                                                            3          30",
      "        d                                                          4          40",
      "          e                                                        5          50",
      "            f                                                      6          60",
      "              g                                                    7          70",
      "                h                                                  8          80",
      "                  i                                                9          90",
      "                    j                                             10         100",
      "                      k                                           11         110",
      "                        l                                         12         120",
      "                          m                                       13         130",
      "                          n                                       14         140",
      "",
      "<bold>OT protocols</bold>  none found",
      "<bold>OT protocols by port only (not confirmed by payload)         packets       bytes</bold>",
      "  opcua-tls                                                        5         500",
      "    port 4843",
      "",
      "Devices     12 MAC addresses; IPv4 9 private, 1 public; IPv6 2 private, 0 public",
      "<bold>Top talkers                                                  packets       bytes</bold>",
      "  192.168.0.10                                                   700      50,000",
      "",
      "<bold>Verdict</bold>     <yellow>WARN</yellow>",
      "  [<green>PASS</green>] file-complete   the file was read to the end",
      "  [<yellow>WARN</yellow>] ot-protocols    no industrial protocols found",
      "  [<red>FAIL</red>] unicast         no unicast frames",
    ]);
  });
});

describe('capture units', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [9_994, '9.99 kB'],
    [10_000, '10.0 kB'],
    [99_940, '99.9 kB'],
    [100_000, '100 kB'],
    [999_999, '1000 kB'],
    [1_000_000, '1.00 MB'],
    [2.5e9, '2.50 GB'],
    [3e12, '3.00 TB'],
    [4e15, '4000 TB'],
  ])('formatBytes(%d) = %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it.each([
    [0, '0 bit/s'],
    [999.4, '999 bit/s'],
    [1000, '1.00 kbit/s'],
    [12_345, '12.3 kbit/s'],
    [123_456, '123 kbit/s'],
    [1e6, '1.00 Mbit/s'],
    [2e9, '2.00 Gbit/s'],
    [5e12, '5000 Gbit/s'],
  ])('formatBitRate(%d) = %s', (n, text) => {
    expect(formatBitRate(n)).toBe(text);
  });
});

describe('capture report text: the branches the first mutation run showed unchecked', () => {
  const lines = (r: CaptureReport, ascii = false) => renderCaptureReport(r, style(ascii, 80)).split('\n');

  it('no link type is "-"; by-port-only protocols with no port, two ports, and a list cut at the width', () => {
    const r = report({
      linkTypes: [],
      otProtocolsByPortOnly: [
        { name: 'opcua-tls', packets: 5, bytes: 500, ports: [] },
        { name: 'mqtt-tls', packets: 6, bytes: 600, ports: [8883, 8884] },
        { name: 'many', packets: 7, bytes: 700, ports: Array.from({ length: 30 }, (_, i) => 40000 + i) },
      ],
    });
    const text = lines(r);
    expect(text[2]).toBe('Link types  -');
    const at = text.indexOf('<bold>OT protocols by port only (not confirmed by payload)         packets       bytes</bold>');
    expect(text.slice(at + 1, at + 6)).toEqual([
      '  opcua-tls                                                        5         500',
      '  mqtt-tls                                                         6         600',
      '    ports 8883, 8884',
      '  many                                                             7         700',
      '    ports 40000, 40001, 40002, 40003, 40004, 40005, 40006, 40007, 40008, 40009,…',
    ]);
  });

  it('a name of exactly the column width is whole; one longer is cut, with "..." in ASCII', () => {
    const exact = 'e'.repeat(54);
    const long = 'l'.repeat(55);
    const r = report({ otProtocols: [{ name: exact, packets: 1, bytes: 1, ports: [] }, { name: long, packets: 2, bytes: 2, ports: [] }] });
    const unicode = lines(r);
    expect(unicode).toContain(`  ${exact}           1           1`);
    expect(unicode).toContain(`  ${'l'.repeat(53)}…           2           2`);
    expect(lines(r, true)).toContain(`  ${'l'.repeat(51)}...           2           2`);
  });

  it('an unsupported link type gets its own line under the link types', () => {
    const r = analyzeBuffer(writePcap([{ ts: 1_700_000_000, data: Buffer.alloc(30, 1) }], { linkType: 195 }), 'zig.pcap');
    expect(lines(r).slice(1, 5)).toEqual([
      'Format      pcap 2.4, microsecond timestamps, little-endian, snaplen 65535',
      'Link types  IEEE802_15_4_WITHFCS',
      '            unsupported link type 195 (IEEE802_15_4_WITHFCS): packets counted, not decoded',
      'Packets     1, 30 B',
    ]);
  });

  it.each([
    [10_000, '10.0 kbit/s'],
    [100_000, '100 kbit/s'],
    [9_999, '10.00 kbit/s'],
  ])('formatBitRate(%d) = %s (the decimals change at 10 and 100)', (n, text) => {
    expect(formatBitRate(n)).toBe(text);
  });
});
