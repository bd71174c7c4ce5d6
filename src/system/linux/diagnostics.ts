// Ping, blink, statistics, version and date on a real sensor (local or over
// ssh, through the runner): iputils ping, ethtool -p / -S, /sys/class/net
// counters, the sensor's version file and the target's clock.
import { setTimeout as delay } from 'node:timers/promises';
import type { Actor } from '../adapter.js';
import type { BlinkResult, DiagnosticsPort, InterfaceStatistics, PingResult, StatisticsResult, VersionInfo } from '../diagnostics-port.js';
import { parsePing, PING_COUNT } from '../iputils.js';
import type { OtshellConfig } from './config.js';
import type { Runner, RunResult } from './runner.js';
import { checkInterfaceName } from './checks.js';
import { EXIT, OtshellError } from '../../errors.js';

/** The kernel's standard counters (every netdev has them in /sys/class/net/NAME/statistics). */
export const KERNEL_COUNTERS = [
  'rx_packets', 'rx_bytes', 'rx_errors', 'rx_dropped', 'rx_over_errors', 'rx_frame_errors', 'rx_crc_errors', 'rx_fifo_errors', 'rx_missed_errors', 'rx_length_errors', 'multicast',
  'tx_packets', 'tx_bytes', 'tx_errors', 'tx_dropped', 'tx_carrier_errors', 'tx_fifo_errors', 'tx_aborted_errors', 'collisions',
] as const;

const SYS_NET = '/sys/class/net';

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}

export class LinuxDiagnostics implements DiagnosticsPort {
  /** Ports this process is blinking (ethtool -p runs as long as the blink). */
  private readonly blinkingNow = new Set<string>();

  constructor(
    private readonly runner: Runner,
    private readonly config: () => Promise<OtshellConfig>,
  ) {}

  async ping(address: string): Promise<PingResult> {
    const iface = (await this.config()).roles.management;
    // -c 5 probes, -n numeric, -W 1 s per reply, from the management interface; "--" ends options, though the address is checked already.
    const args = ['-c', String(PING_COUNT), '-n', '-W', '1', ...(iface ? ['-I', iface] : []), '--', address];
    const result = await this.runner.run('ping', args, { timeoutMs: (PING_COUNT + 10) * 1000 });
    if (result.exitCode === 127) throw new OtshellError(`ping is not installed on ${this.runner.target} (Debian package iputils-ping).`, EXIT.UNAVAILABLE);
    // iputils: 0 some replies, 1 none, 2 any other error (unknown host, bad interface).
    if (result.exitCode !== 0 && result.exitCode !== 1) throw new OtshellError(firstLine(result.stderr) || `ping failed (exit ${result.exitCode}).`, EXIT.PROBLEM);
    return parsePing(address, iface, result.stdout);
  }

  async blink(iface: string, seconds: number, _options: { signal: AbortSignal; by: Actor }): Promise<BlinkResult> {
    checkInterfaceName(iface);
    this.blinkingNow.add(iface);
    let result: RunResult;
    try {
      result = await this.runner.run('ethtool', ['-p', iface, String(seconds)], { timeoutMs: (seconds + 15) * 1000 });
    } finally {
      this.blinkingNow.delete(iface);
    }
    if (result.exitCode === 0) return { interface: iface, seconds, completed: true };
    if (result.exitCode === 127) throw new OtshellError(`ethtool is not installed on ${this.runner.target} (Debian package ethtool).`, EXIT.UNAVAILABLE);
    const reason = firstLine(result.stderr);
    if (/Operation not supported/i.test(reason)) throw new OtshellError(`${iface} cannot blink: its driver has no port identification (LED) support.`, EXIT.PROBLEM);
    if (/No such device/i.test(reason)) throw new OtshellError(`No interface named "${iface}".`, EXIT.PROBLEM);
    if (/Operation not permitted/i.test(reason)) throw new OtshellError(`Blinking ${iface} needs root (CAP_NET_ADMIN) on ${this.runner.target}.`, EXIT.NO_PERMISSION);
    throw new OtshellError(`ethtool -p ${iface} failed: ${reason || `exit ${result.exitCode}`}`, EXIT.PROBLEM);
  }

  async blinking(): Promise<string[]> {
    return [...this.blinkingNow];
  }

  async statistics(iface: string | undefined, sampleSeconds: number, { signal }: { signal: AbortSignal }): Promise<StatisticsResult> {
    const all = (await this.runner.listDir(SYS_NET)).filter(isSafeName).sort();
    if (iface !== undefined && !all.includes(iface)) throw new OtshellError(`No interface named "${iface}". Interfaces: ${all.join(', ')}.`, EXIT.PROBLEM);
    const names = iface === undefined ? all : [iface];
    const bytesFiles = names.flatMap((name) => [`${SYS_NET}/${name}/statistics/rx_bytes`, `${SYS_NET}/${name}/statistics/tx_bytes`]);
    const first = await this.runner.batch([], bytesFiles);
    const started = performance.now();
    await sleep(sampleSeconds * 1000, signal);
    const counterFiles = names.flatMap((name) => KERNEL_COUNTERS.map((counter) => `${SYS_NET}/${name}/statistics/${counter}`));
    const second = await this.runner.batch(
      names.map((name) => ({ command: 'ethtool', args: ['-S', name] })),
      counterFiles,
    );
    const elapsed = Math.max(0.001, (performance.now() - started) / 1000);
    const interfaces: InterfaceStatistics[] = names.map((name, n) => {
      const counters: Record<string, number> = {};
      KERNEL_COUNTERS.forEach((counter, c) => {
        const value = numberOf(second.files[n * KERNEL_COUNTERS.length + c]);
        if (value !== null) counters[counter] = value;
      });
      const rxBefore = numberOf(first.files[n * 2]) ?? 0;
      const txBefore = numberOf(first.files[n * 2 + 1]) ?? 0;
      return {
        name,
        counters,
        driver: parseEthtoolStats(second.results[n]!),
        rxBitsPerSecond: (Math.max(0, (counters.rx_bytes ?? rxBefore) - rxBefore) * 8) / elapsed,
        txBitsPerSecond: (Math.max(0, (counters.tx_bytes ?? txBefore) - txBefore) * 8) / elapsed,
      };
    });
    return { sampleSeconds, interfaces };
  }

  async version(): Promise<VersionInfo> {
    const path = (await this.config()).sensorVersionFile;
    const text = await this.runner.readFile(path);
    return { sensor: sensorVersionOf(text), source: path };
  }

  async listening(port: number): Promise<boolean | null> {
    try {
      const socket = await this.runner.openTcp('127.0.0.1', port);
      socket.destroy();
      return true;
    } catch (error) {
      return /ECONNREFUSED|refused/i.test(String((error as Error).message ?? error)) ? false : null;
    }
  }

  async clock(): Promise<number> {
    const result = await this.runner.run('date', ['-u', '+%s.%N'], { timeoutMs: 10_000 });
    const seconds = Number(result.stdout.trim());
    if (result.exitCode !== 0 || !Number.isFinite(seconds)) throw new OtshellError(`Could not read the clock of ${this.runner.target}: ${firstLine(result.stderr) || 'date printed no time'}.`, EXIT.DATA);
    return Math.round(seconds * 1000);
  }
}

function isSafeName(name: string): boolean {
  try {
    checkInterfaceName(name);
    return true;
  } catch {
    return false;
  }
}

function numberOf(settled: PromiseSettledResult<string | null> | undefined): number | null {
  if (!settled || settled.status === 'rejected' || settled.value === null) return null;
  const value = Number(settled.value.trim());
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** `ethtool -S` ("NIC statistics:" then "     name: value"); {} when the driver has none or ethtool is missing. */
export function parseEthtoolStats(result: RunResult): Record<string, number> {
  if (result.exitCode !== 0) return {};
  const stats = new Map<string, number>();
  for (const line of result.stdout.split('\n')) {
    const match = /^\s+([^:]{1,64}):\s+(\d{1,20})$/.exec(line);
    if (match && stats.size < 4096) stats.set(match[1]!.trim(), Number(match[2]));
  }
  // fromEntries defines own properties: a counter named "__proto__" stays a counter.
  return Object.fromEntries(stats);
}

/** Waits ms, or less when the signal aborts (then it resolves early: the caller reports what it has). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * The sensor version from its version file: "Version: 22.2.5.9-r-2121448" (as the appliance prints
 * it) or the bare version; null when the file is missing or holds something else. Backups are
 * named by it and restore compares it, so both read it here.
 */
export function sensorVersionOf(text: string | null): string | null {
  const version = text?.trim().split('\n')[0]?.trim().replace(/^Version:\s*/i, '');
  return version && /^[A-Za-z0-9._-]{1,64}$/.test(version) ? version : null;
}
