// The confirm-or-revert timer: a small sh script written to the sensor and
// started detached (own session), so it still reverts when the SSH session that
// applied the change is gone, and needs nothing but sh and ip on the sensor.
// It is generated from validated values only; every word is quoted.
import { shellQuote } from './checks.js';
import type { Step } from './iproute.js';

export interface TimerFiles {
  /** Exists while the change waits; whoever renames it first (confirm or timer) wins. */
  marker: string;
  /** Where the timer moves the marker when it claims it. */
  claim: string;
  pidFile: string;
  /** Written after a revert: change id and time. */
  lastRevert: string;
  /** Appended after every revert, never removed: "id time" lines, so `system audit` can mark reverted changes. */
  revertedLog: string;
}

export function revertScript(options: { id: string; seconds: number; files: TimerFiles; steps: Step[]; revertAt: string }): string {
  const q = shellQuote;
  const { files } = options;
  if (!/^[a-f0-9]{8,32}$/.test(options.id)) throw new Error('bad change id');
  const seconds = Math.max(1, Math.round(options.seconds));
  const lines = [
    '#!/bin/sh',
    `# otshell confirm-or-revert timer for change ${options.id}: unless "network confirm"`,
    `# takes ${files.marker} first, the previous runtime network state comes back at ${options.revertAt}.`,
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'export PATH',
    `echo $$ > ${q(files.pidFile)}`,
    `trap 'kill "$s" 2>/dev/null; exit 0' TERM`,
    `sleep ${seconds} & s=$!`,
    'wait "$s"',
    `mv -f ${q(files.marker)} ${q(files.claim)} 2>/dev/null || exit 0`,
    ...options.steps.map((step) => `${step.argv.map(q).join(' ')} >/dev/null 2>&1 || true`),
    `printf '%s %s\\n' ${q(options.id)} "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > ${q(files.lastRevert)}`,
    `printf '%s %s\\n' ${q(options.id)} "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> ${q(files.revertedLog)}`,
    `rm -f ${q(files.claim)} ${q(files.pidFile)}`,
    '',
  ];
  return lines.join('\n');
}
