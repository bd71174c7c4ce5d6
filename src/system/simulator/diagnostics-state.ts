// The simulated sensor's surroundings for ping, blink, version and date: the
// site network its management port is cabled to (which hosts answer), the
// sensor's version, its clock, and LEDs blinking. An optional section of the
// state file: older files load with the defaults below.
import * as z from 'zod/mini';
import ipaddr from 'ipaddr.js';

/** What the published reference shows as the sensor's version. */
export const DEFAULT_SENSOR_VERSION = '22.2.5.9-r-2121448';

function isIpv4(value: unknown): boolean {
  return typeof value === 'string' && ipaddr.IPv4.isValidFourPartDecimal(value) && !/(^|\.)0\d/.test(value);
}

export interface SiteHost {
  address: string;
  name?: string | undefined;
}

export interface SiteNetwork {
  cabledInterface: string;
  network: string;
  prefixLength: number;
  gateway: string;
  hosts: SiteHost[];
  remote: SiteHost[];
  dns: string;
}

export interface DiagnosticsState {
  sensorVersion: string;
  clockOffsetMs: number;
  site: SiteNetwork;
  leds: { interface: string; until: string }[];
}

// Built on first use: see section() in state-shape.ts.
export const diagnosticsStateSchema: z.ZodMiniType<DiagnosticsState> = z.lazy(diagnosticsSchema);

function diagnosticsSchema(): z.ZodMiniType<DiagnosticsState> {
  const ipv4 = z.custom<string>(isIpv4, { error: 'expected an IPv4 address such as 10.1.0.1' });
  const hostName = z.custom<string>(
    (v) => typeof v === 'string' && v.length <= 253 && /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(v),
    { error: 'expected a lower-case host name' },
  );
  const ifname = z.custom<string>((v) => typeof v === 'string' && /^[!-~]{1,15}$/.test(v) && !/[/:]/.test(v), { error: 'expected an interface name' });
  const isoTime = z.custom<string>((v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && Number.isFinite(Date.parse(v)), { error: 'expected an ISO time' });

  const hostSchema = z.object({ address: ipv4, name: z.optional(hostName) });

  return z.object({
    sensorVersion: z._default(
      z.custom<string>((v) => typeof v === 'string' && /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/.test(v), { error: 'expected a version such as 22.2.5.9-r-2121448' }),
      DEFAULT_SENSOR_VERSION,
    ),
    /** The simulated clock's offset from this machine's, ms. */
    clockOffsetMs: z._default(z.custom<number>((v) => typeof v === 'number' && Number.isSafeInteger(v) && Math.abs(v) <= 10 * 365 * 86_400_000, { error: 'expected a whole number of ms within ten years' }), 0),
    /** The network the management port is cabled to. */
    site: z._default(
      z.object({
        /** The port the cable is in (the guide: "is the GUI cable in the management port?"). */
        cabledInterface: ifname,
        network: ipv4,
        prefixLength: z.custom<number>((v) => typeof v === 'number' && Number.isInteger(v) && v >= 8 && v <= 30, { error: 'expected a prefix length from 8 to 30' }),
        gateway: ipv4,
        /** Hosts on the site network that answer (the gateway and DNS server among them). */
        hosts: z.array(hostSchema).check(z.maxLength(64)),
        /** Hosts beyond the gateway that answer. */
        remote: z.array(hostSchema).check(z.maxLength(64)),
        dns: ipv4,
      }),
      () => defaultSite(),
    ),
    /** Ports whose LED blinks, and until when. */
    leds: z._default(z.array(z.object({ interface: ifname, until: isoTime })).check(z.maxLength(256)), () => []),
  });
}


/** The factory sensor's site: 10.1.0.0/24 behind 10.1.0.1, DNS 10.1.0.2, the management console and two engineering hosts. */
export function defaultSite(): SiteNetwork {
  return {
    cabledInterface: 'eth0',
    network: '10.1.0.0',
    prefixLength: 24,
    gateway: '10.1.0.1',
    dns: '10.1.0.2',
    hosts: [
      { address: '10.1.0.1', name: 'gateway.plant.local' },
      { address: '10.1.0.2', name: 'dns.plant.local' },
      { address: '10.1.0.10', name: 'cm.plant.local' },
      { address: '10.1.0.31', name: 'eng-ws1.plant.local' },
      { address: '10.1.0.32', name: 'eng-ws2.plant.local' },
    ],
    remote: [
      { address: '10.2.0.5', name: 'portal.corp.local' },
      { address: '172.16.10.4', name: 'historian.corp.local' },
    ],
  };
}

export function defaultDiagnostics(): DiagnosticsState {
  return { sensorVersion: DEFAULT_SENSOR_VERSION, clockOffsetMs: 0, site: defaultSite(), leds: [] };
}
