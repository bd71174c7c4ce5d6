// Ping, blink, statistics, version and date on the simulated sensor, decided by
// its state: what answers depends on the settings in effect and the site
// network the management port is cabled to (diagnostics-state.ts), so a wrong
// address after edit-settings and a restart makes the gateway stop answering.
import { setTimeout as delay } from 'node:timers/promises';
import ipaddr from 'ipaddr.js';
import type { Actor, NetworkSettings, NetworkSnapshot } from '../adapter.js';
import type { BlinkResult, DiagnosticsPort, InterfaceStatistics, PingResult, StatisticsResult, VersionInfo } from '../diagnostics-port.js';
import { formatPing, PING_COUNT, type SimulatedProbe } from '../iputils.js';
import { defaultDiagnostics, type DiagnosticsState, type SiteNetwork } from './diagnostics-state.js';
import type { SimulatorState, SimulatorStore } from './state.js';
import { EXIT, OtshellError } from '../../errors.js';

/** Simulated time runs faster than a real ping's one probe a second, as the simulated restart does. */
const SIMULATED_PROBE_MS = 150;

export interface SimulatorDiagnosticsDeps {
  store: SimulatorStore;
  clock: () => number;
  /** The state, or SensorUnavailableError while powered off or restarting. */
  reachable(): Promise<SimulatorState>;
  snapshot(): Promise<NetworkSnapshot>;
  /** Runs `work` under the edit lock (every state change holds it). */
  locked<T>(by: Actor | undefined, work: () => Promise<T>): Promise<T>;
}

class NotBlinkable extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.PROBLEM);
  }
}

export class SimulatorDiagnostics implements DiagnosticsPort {
  constructor(private readonly deps: SimulatorDiagnosticsDeps) {}

  async ping(typed: string, { signal }: { signal: AbortSignal }): Promise<PingResult> {
    const state = await this.deps.reachable();
    const diag = diagnosticsOf(state);
    const settings = state.settings;
    const address = this.resolve(typed, settings, diag.site);
    const route = answerOf(address, settings, diag.site);
    const random = seeded(this.deps.clock());
    const probes: SimulatedProbe[] = [];
    for (let i = 0; i < PING_COUNT && !signal.aborted; i += 1) {
      if (i > 0) await sleep(SIMULATED_PROBE_MS, signal);
      if (signal.aborted) break;
      probes.push(route ? { ttl: route.ttl, timeMs: route.baseMs * (0.8 + random() * 0.5) } : { ttl: 0, timeMs: null });
    }
    const elapsedMs = Math.max(0, probes.length - 1) * 1000 + (route ? 1 + Math.floor(random() * 8) : 60 + Math.floor(random() * 40));
    return formatPing({ typed, address, source: settings.ip, iface: settings.managementInterface, probes, elapsedMs });
  }

  /** Like the resolver on the sensor: names of the site through its DNS server, which must answer. */
  private resolve(typed: string, settings: NetworkSettings, site: SiteNetwork): string {
    if (ipaddr.IPv4.isValidFourPartDecimal(typed)) return typed;
    const name = typed.toLowerCase().replace(/\.$/, '');
    if (name === 'localhost') return '127.0.0.1';
    const dnsAnswers = settings.dns.includes(site.dns) && answerOf(site.dns, settings, site) !== null;
    if (!dnsAnswers) throw new OtshellError(`ping: ${typed}: Temporary failure in name resolution`, EXIT.PROBLEM);
    const host = [...site.hosts, ...site.remote].find((h) => h.name === name || h.name?.split('.')[0] === name);
    if (!host) throw new OtshellError(`ping: ${typed}: Name or service not known`, EXIT.PROBLEM);
    return host.address;
  }

  async blink(iface: string, seconds: number, { signal, by }: { signal: AbortSignal; by: Actor }): Promise<BlinkResult> {
    const state = await this.deps.reachable();
    if (!state.interfaces.some((i) => i.name === iface)) throw unknownInterface(iface, state);
    if (iface === 'lo') throw new NotBlinkable(`${iface} cannot blink: the loopback interface has no port LED.`);
    const until = new Date(this.deps.clock() + seconds * 1000).toISOString();
    await this.updateLeds(by, (leds) => [...leds.filter((l) => l.interface !== iface), { interface: iface, until }]);
    await sleep(seconds * 1000, signal);
    if (signal.aborted) {
      // Stopped early: the LED goes dark now, as ethtool -p stops blinking when interrupted.
      await this.updateLeds(by, (leds) => leds.filter((l) => l.interface !== iface));
    }
    return { interface: iface, seconds, completed: !signal.aborted };
  }

  async blinking(): Promise<string[]> {
    const state = await this.deps.reachable();
    const now = this.deps.clock();
    return diagnosticsOf(state).leds.filter((l) => Date.parse(l.until) > now).map((l) => l.interface);
  }

  private async updateLeds(by: Actor, change: (leds: DiagnosticsState['leds']) => DiagnosticsState['leds']): Promise<void> {
    await this.deps.locked(by, async () => {
      const state = await this.deps.reachable();
      const diag = diagnosticsOf(state);
      const now = this.deps.clock();
      const leds = change(diag.leds.filter((l) => Date.parse(l.until) > now));
      await this.deps.store.save({ ...state, diagnostics: { ...diag, leds } });
    });
  }

  async statistics(iface: string | undefined, sampleSeconds: number, { signal }: { signal: AbortSignal }): Promise<StatisticsResult> {
    const first = await this.deps.snapshot();
    if (iface !== undefined && !first.interfaces.some((i) => i.name === iface)) {
      throw new OtshellError(`No interface named "${iface}". Interfaces: ${first.interfaces.map((i) => i.name).join(', ')}.`, EXIT.PROBLEM);
    }
    const started = this.deps.clock();
    await sleep(sampleSeconds * 1000, signal);
    const second = await this.deps.snapshot();
    const elapsed = Math.max(0.001, (this.deps.clock() - started) / 1000);
    const before = new Map(first.interfaces.map((i) => [i.name, i]));
    const interfaces: InterfaceStatistics[] = second.interfaces
      .filter((i) => iface === undefined || i.name === iface)
      .map((now) => {
        const then = before.get(now.name) ?? now;
        const counters: Record<string, number> = {
          rx_packets: now.rx.packets,
          rx_bytes: now.rx.bytes,
          rx_errors: now.rx.errors,
          rx_dropped: now.rx.dropped,
          rx_over_errors: now.rx.overruns ?? 0,
          rx_frame_errors: now.rx.frame ?? 0,
          tx_packets: now.tx.packets,
          tx_bytes: now.tx.bytes,
          tx_errors: now.tx.errors,
          tx_dropped: now.tx.dropped,
          tx_carrier_errors: now.tx.carrier ?? 0,
          collisions: now.tx.collisions ?? 0,
        };
        // An e1000e-like driver's own counters; the loopback driver has none.
        const driver: Record<string, number> =
          now.role === 'loopback'
            ? {}
            : {
                rx_packets: now.rx.packets,
                tx_packets: now.tx.packets,
                rx_bytes: now.rx.bytes,
                tx_bytes: now.tx.bytes,
                rx_broadcast: Math.floor(now.rx.packets / 50),
                tx_broadcast: Math.floor(now.tx.packets / 200),
                rx_multicast: Math.floor(now.rx.packets / 90),
                tx_multicast: 0,
                rx_errors: now.rx.errors,
                tx_errors: now.tx.errors,
                rx_crc_errors: 0,
                rx_missed_errors: now.rx.dropped,
                tx_aborted_errors: 0,
              };
        return {
          name: now.name,
          counters,
          driver,
          rxBitsPerSecond: (Math.max(0, now.rx.bytes - then.rx.bytes) * 8) / elapsed,
          txBitsPerSecond: (Math.max(0, now.tx.bytes - then.tx.bytes) * 8) / elapsed,
        };
      });
    return { sampleSeconds, interfaces };
  }

  async version(): Promise<VersionInfo> {
    const state = await this.deps.reachable();
    return { sensor: diagnosticsOf(state).sensorVersion, source: 'simulator' };
  }

  /** The web UI (443) answers while the "Web Apps" service runs; nothing else listens on the simulated sensor. */
  async listening(port: number): Promise<boolean | null> {
    const state = await this.deps.reachable();
    if (port !== 443) return false;
    const web = state.services.find((s) => s.name === 'Web Apps');
    return web !== undefined && web.fault === 'none' && Date.parse(web.startedAt) <= this.deps.clock();
  }

  async clock(): Promise<number> {
    const state = await this.deps.reachable();
    return this.deps.clock() + diagnosticsOf(state).clockOffsetMs;
  }
}

export function diagnosticsOf(state: SimulatorState): DiagnosticsState {
  return state.diagnostics ?? defaultDiagnostics();
}

function unknownInterface(name: string, state: SimulatorState): OtshellError {
  return new OtshellError(`No interface named "${name}". Interfaces: ${state.interfaces.map((i) => i.name).join(', ')}.`, EXIT.PROBLEM);
}

function inSubnet(address: string, network: string, prefixLength: number): boolean {
  return ipaddr.IPv4.parse(address).match(ipaddr.IPv4.parse(network), prefixLength);
}

/**
 * Whether `address` answers a ping from the sensor with these settings, and how
 * (TTL, typical round trip). The sensor reaches the site only from the port the
 * cable is in, with an address of the site's subnet that no other host uses; it
 * reaches beyond its subnet only through the site's real gateway.
 */
export function answerOf(address: string, settings: NetworkSettings, site: SiteNetwork): { ttl: number; baseMs: number } | null {
  if (address.startsWith('127.')) return { ttl: 64, baseMs: 0.03 };
  if (address === settings.ip) return { ttl: 64, baseMs: 0.04 };
  const linked =
    settings.managementInterface === site.cabledInterface &&
    inSubnet(settings.ip, site.network, site.prefixLength) &&
    !site.hosts.some((h) => h.address === settings.ip);
  if (!linked) return null;
  const onSite = site.hosts.some((h) => h.address === address) && inSubnet(address, site.network, site.prefixLength);
  if (inSubnet(address, settings.ip, settings.prefixLength)) return onSite ? { ttl: 64, baseMs: address === site.gateway ? 0.45 : 0.6 } : null;
  const viaGateway = settings.gateway === site.gateway && inSubnet(settings.gateway, settings.ip, settings.prefixLength);
  if (!viaGateway) return null;
  if (onSite) return { ttl: 64, baseMs: 0.9 };
  return site.remote.some((h) => h.address === address) ? { ttl: 62, baseMs: 2.1 } : null;
}

/** A small deterministic generator (mulberry32), so round trips vary but a test can reason about them. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Waits ms, or less when the signal aborts (then it resolves early: the caller reports what it has). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
