// The modules of issue 17 and the code each covers. Line ranges pick the render functions
// out of command files whose other parts are run logic (not mutated here); they were last
// checked against the command files on 29 November (renderNetworkList, renderValidate,
// renderConfirm, renderDiff, nextStep + renderEditSettings, renderSanity, audit's render and
// its helpers): when a command file changes above or inside its renderer, update its range.
import { readdirSync } from 'node:fs';

// one file per protocol: the detector module is whatever the directory holds
const protocolFiles = readdirSync(new URL('../src/capture/protocols/', import.meta.url))
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .map((f) => `src/capture/protocols/${f}`);
export const MODULES = [
  { name: 'address rules', files: ['src/net/settings-rules.ts', 'src/net/ipv4.ts'] },
  { name: 'capture readers', files: ['src/capture/pcap.ts', 'src/capture/pcapng.ts', 'src/capture/linktypes.ts', 'src/capture/sniff.ts'] },
  { name: 'detectors', files: ['src/capture/protocols.ts', 'src/capture/port-names.ts', ...protocolFiles] },
  { name: 'analyzer and verdict', files: ['src/capture/analyzer.ts', 'src/capture/report.ts:192-298'] },
  { name: 'sanity status', files: ['src/system/sanity.ts'] },
  { name: 'audit log', files: ['src/system/audit-log.ts'] },
  { name: 'edit lock', files: ['src/system/edit-lock.ts'] },
  { name: 'command resolution', files: ['src/commands/resolve.ts', 'src/commands/tokenize.ts'] },
  {
    name: 'renderers',
    files: [
      'src/capture/render.ts',
      'src/commands/network/list.ts:42-80',
      'src/commands/network/validate.ts:231-255',
      'src/commands/network/confirm.ts:29-31',
      'src/commands/network/settings-diff.ts:51-54',
      'src/commands/network/edit-settings.ts:307-337',
      'src/commands/system/sanity.ts:31-54',
      'src/commands/system/audit.ts:73-129',
    ],
  },
  { name: 'netplan rendering', files: ['src/system/linux/netplan.ts'] },
];

export const MUTATE = MODULES.flatMap((m) => m.files);

/** A file-name-safe name for a module: "analyzer and verdict" -> "analyzer-and-verdict". */
export const slug = (name) => name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

/** The module a (repo-relative) source file belongs to. */
export function moduleOf(file) {
  const matches = (pattern) => {
    const path = pattern.split(':')[0];
    if (!path.includes('*')) return path === file;
    const [dir, ext] = path.split('/*');
    return file.startsWith(`${dir}/`) && !file.slice(dir.length + 1).includes('/') && file.endsWith(ext);
  };
  return MODULES.find((m) => m.files.some(matches))?.name ?? null;
}
