// Live capture on a real host (local or over ssh): dumpcap, one process per
// interface, with an argument array, writing pcapng to stdout for `duration`
// seconds. The stream comes back through the runner (over ssh: through the
// master connection). Every process is reaped: stop() is SIGINT (dumpcap
// closes its output cleanly) then SIGKILL; otshell's exit or death by a signal
// kills it too (execa cleanup).
import type { CapturePort, CaptureSave, LiveCapture } from '../capture-port.js';
import { prepareLocalSave } from '../capture-save.js';
import type { NetworkSettings, NetworkSnapshot } from '../adapter.js';
import { checkInterfaceName } from './checks.js';
import type { Runner } from './runner.js';

/** dumpcap's arguments: one interface, pcapng (-n) to stdout, quiet, stop after `seconds`. */
export function dumpcapArgs(iface: string, seconds: number): string[] {
  return ['-q', '-n', '-i', checkInterfaceName(iface), '-a', `duration:${seconds}`, '-w', '-'];
}

/** dumpcap's last meaningful stderr line, or why it could not start. */
function failure(exitCode: number | null, stderr: string, target: string): string | null {
  if (exitCode === 0) return null;
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Capturing on|^File: |^Packets (captured|received)/.test(l));
  if (exitCode === 127 || (exitCode === null && lines.length === 0)) return `dumpcap is not installed on ${target} (Debian package wireshark-common or dumpcap)`;
  return lines.at(-1) ?? `dumpcap ended with exit code ${exitCode ?? 'unknown'}`;
}

export class LinuxCapture implements CapturePort {
  constructor(
    private readonly runner: () => Runner,
    private readonly settings: () => Promise<{ current: NetworkSettings }>,
    private readonly snapshot: () => Promise<NetworkSnapshot>,
  ) {}

  async monitorInterfaces(): Promise<string[]> {
    return (await this.settings()).current.inputInterfaces;
  }

  async interfaceNames(): Promise<string[]> {
    return (await this.snapshot()).interfaces.map((i) => i.name);
  }

  start(iface: string, seconds: number): LiveCapture {
    const runner = this.runner();
    const proc = runner.spawnStream('dumpcap', dumpcapArgs(iface, seconds));
    const target = runner.target;
    return {
      stream: proc.stdout as AsyncIterable<Uint8Array>,
      stop: () => proc.stop(),
      finished: proc.exited.then(({ exitCode, stderr }) => failure(exitCode, stderr, target)),
    };
  }

  prepareSave(path: string, streams: number): Promise<CaptureSave> {
    return prepareLocalSave(path, streams);
  }
}
