// Faults a simulated sensor can take, each a function of the state registered
// by name: training scenarios inject them, tests and demos may too. Each builds
// on the state section that already models the part (settings in effect, the
// site the cable goes to, the site network, NTP, the mirror, services, sign-in
// locks), and where two views see the same thing (an NTP server that does not
// answer: `ntp status` and `network requirements`) the fault sets both.
import type { Fault } from '../../../net/training-scenario.js';
import type { SimulatorState } from '../state.js';
import { defaultDiagnostics } from '../diagnostics-state.js';
import { DEFAULT_SITE_NETWORK } from '../site-network.js';
import { DEFAULT_NTP_ANSWERING, ntpStateOf } from '../ntp.js';

export type FaultFunction = (state: SimulatorState, now: number) => SimulatorState;

/** A scenario's service status and the simulator's service fault it becomes. */
const SERVICE_FAULTS = { stopped: 'stopped', slow: 'hung', crashing: 'crashing' } as const;

type FaultOf<K extends Fault['fault']> = Extract<Fault, { fault: K }>;
type FaultTable = { [K in Fault['fault']]: (spec: FaultOf<K>) => FaultFunction };

/** The one table of faults: a fault's name, its parameters (src/net/training-scenario.ts), what it does. */
export const FAULTS: FaultTable = {
  /** A wrong address, mask or gateway in effect (a bad edit, then a restart). */
  'management-address': (spec) => (state) => ({
    ...state,
    settings: { ...state.settings, ip: spec.ip ?? state.settings.ip, prefixLength: spec.prefixLength ?? state.settings.prefixLength, gateway: spec.gateway ?? state.settings.gateway },
  }),
  'dns-server': (spec) => (state) => ({ ...state, settings: { ...state.settings, dns: [...spec.servers] } }),
  /** The GUI cable in another port: the management interface has no carrier, the site hears nothing. */
  'gui-cable-in': (spec) => (state) => {
    const diagnostics = state.diagnostics ?? defaultDiagnostics();
    return { ...state, diagnostics: { ...diagnostics, site: { ...diagnostics.site, cabledInterface: spec.interface } } };
  },
  /** A SPAN port left out of the input interfaces: down, not promiscuous, nothing recorded. */
  'monitor-interface-removed': (spec) => (state) => ({
    ...state,
    settings: { ...state.settings, inputInterfaces: state.settings.inputInterfaces.filter((name) => name !== spec.interface) },
  }),
  'span-mirror': (spec) => (state) => {
    const span = state.span ?? { mirror: 'healthy' as const, interfaces: {} };
    return { ...state, span: spec.interface ? { ...span, interfaces: { ...span.interfaces, [spec.interface]: spec.mirror } } : { ...span, mirror: spec.mirror } };
  },
  /** stopped: `system sanity` shows it stopped; slow: its check never answers (not responding); crashing: starting or down by turns, never up. */
  service: (spec) => (state) => ({
    ...state,
    services: state.services.map((s) => (s.name === spec.name ? { ...s, fault: SERVICE_FAULTS[spec.status] } : s)),
  }),
  /** A site firewall that blocks a path: first in the rule list, so it wins. */
  firewall: (spec) => (state) => {
    const network = state.siteNetwork ?? DEFAULT_SITE_NETWORK;
    const rule = { host: spec.host, outcome: spec.outcome, ...(spec.port !== undefined ? { port: spec.port } : {}), ...(spec.transport ? { transport: spec.transport } : {}) };
    return { ...state, siteNetwork: { ...network, rules: [rule, ...network.rules] } };
  },
  /** The configured NTP server does not answer: `ntp status` shows it unreachable, `network requirements` sees UDP 123 dropped. */
  'ntp-server-silent': (spec) => (state) => {
    const ntp = ntpStateOf(state);
    const network = state.siteNetwork ?? DEFAULT_SITE_NETWORK;
    return {
      ...state,
      ntp: { servers: [spec.address], answering: (ntp.answering.length > 0 ? ntp.answering : DEFAULT_NTP_ANSWERING).filter((a) => a !== spec.address) },
      siteNetwork: { ...network, rules: [{ host: spec.address, port: 123, transport: 'udp' as const, outcome: 'dropped' as const }, ...network.rules] },
    };
  },
  /** A name the site's DNS does not resolve (the guide's "DNS must resolve ..."): `network requirements` shows it. */
  'dns-unresolved': (spec) => (state) => {
    const network = state.siteNetwork ?? DEFAULT_SITE_NETWORK;
    return { ...state, siteNetwork: { ...network, rules: [{ host: spec.name, outcome: 'unresolved' as const }, ...network.rules] } };
  },
  /** Too many failed sign-ins from a source: locked for `minutes`. */
  'locked-out': (spec) => (state, now) => ({
    ...state,
    sourceLocks: [
      ...state.sourceLocks.filter((l) => l.source !== spec.source),
      { source: spec.source, failures: state.signInPolicy.maxFailures, lockedUntil: new Date(now + (spec.minutes ?? 30) * 60_000).toISOString() },
    ],
  }),
  /** Settings applied and never restarted into (a forgotten `system reboot`). */
  'pending-reboot': (spec) => (state) => ({ ...state, pendingSettings: { ...state.settings, dns: spec.dns ? [...spec.dns] : [...state.settings.dns] } }),
  /** The backup folder's disk is full: "system backup" fails (exit 74) until the folder moves ("system backup-path"). */
  'backup-disk-full': () => (state) => ({ ...state, disk: { ...state.disk, backupFolderFull: true } }),
};

/** The state function of one fault spec. */
export function faultFunction(spec: Fault): FaultFunction {
  return (FAULTS[spec.fault] as (s: Fault) => FaultFunction)(spec);
}

/** Every fault in order, applied to a state. */
export function applyFaults(state: SimulatorState, faults: readonly Fault[], now: number): SimulatorState {
  return faults.reduce((current, spec) => faultFunction(spec)(current, now), state);
}
