// `network requirements` against the simulator: the probes answer from the
// state file's simulated site network (site-network.ts), with the delays and
// details a real check would have, so training scenarios read like the field.
import { readFile } from '../../lazy-fs.js';
import { join } from 'node:path';
import { UDP_UNCONFIRMED, type ProbeRequest, type ProbeResult, type TlsDetails } from '../../net/requirements.js';
import { describeTls } from '../probes/tls-details.js';
import type { ReachabilityPort, SiteFileText } from '../reachability-port.js';
import { EXIT, OtshellError } from '../../errors.js';
import { DEFAULT_SITE_NETWORK, outcomeFor } from './site-network.js';
import type { SimulatorState } from './state.js';
import { answerOf, diagnosticsOf } from './diagnostics.js';

/** The site file of the simulated sensor, in its state directory. */
export const SIMULATOR_SITE_FILE = 'site.yaml';

const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;
const DAY = 86_400_000;

export class SimulatorReachability implements ReachabilityPort {
  constructor(
    private readonly load: () => Promise<SimulatorState>,
    private readonly stateDir: () => string,
    private readonly clock: () => number,
  ) {}

  async readSiteFile(override?: string): Promise<SiteFileText> {
    const path = override ?? join(this.stateDir(), SIMULATOR_SITE_FILE);
    try {
      return { path, text: await readFile(path, 'utf8') };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { path, text: null };
      throw new OtshellError(`Cannot read the site file ${path}: ${code ?? (error as Error).message}.`, EXIT.INCOMPLETE);
    }
  }

  async probe(request: ProbeRequest, options: { timeoutMs: number; managementAddress: string | null }): Promise<ProbeResult> {
    const state = await this.load();
    const network = state.siteNetwork ?? DEFAULT_SITE_NETWORK;
    const where = hostPort(request.host, request.port);
    await delay(3 + (request.port % 17)); // a real probe takes a few ms

    if (request.kind === 'listen') {
      if (!network.listening.includes(request.port)) return { status: 'refused', detail: `nothing listens on ${where} (the sensor's management address)` };
      if (!request.tls) return { status: 'open', detail: `the sensor listens on ${where}` };
      // The certificate generated at install: self-signed, three years.
      const tls: TlsDetails = {
        subject: `CN=${state.hostname}`,
        issuer: `CN=${state.hostname}`,
        validTo: new Date(Date.parse(state.createdAt) + 3 * 365 * DAY).toISOString(),
        selfSigned: true,
      };
      return { status: 'open', detail: `the sensor listens on ${where}; ${describeTls(tls, this.clock())}`, tls };
    }

    // One site, seen the same by ping and by these probes: a sensor whose gateway does not answer
    // (the GUI cable in another port, a wrong address) reaches nothing beyond itself.
    const site = diagnosticsOf(state).site;
    if (answerOf(site.gateway, state.settings, site) === null) return { status: 'no route', detail: `${where}: no route to the host (the sensor's gateway ${site.gateway} does not answer)` };

    switch (outcomeFor(network, request.host, request.port, request.transport)) {
      case 'unresolved':
        // node:net loads here, not with every command (start-up).
        if ((await import('node:net')).isIP(request.host) === 0) return { status: 'name not resolved', detail: `${request.host}: the name does not resolve (ENOTFOUND)` };
        return { status: 'no route', detail: `${where}: no route to the host` };
      case 'no-route':
        return { status: 'no route', detail: `${where}: no route to the host` };
      case 'refused':
        return { status: 'refused', detail: `${where}: connection refused (RST or ICMP port unreachable)` };
      case 'dropped':
        if (request.kind === 'udp') return { status: 'unconfirmed', detail: `${where}: ${UDP_UNCONFIRMED}` };
        await delay(options.timeoutMs);
        return { status: 'no answer', detail: `${where}: no answer within ${Math.round(options.timeoutMs / 100) / 10} s (dropped by a firewall, or nothing routed)` };
      case 'open':
        return this.answer(request, where);
    }
  }

  private answer(request: ProbeRequest, where: string): ProbeResult {
    switch (request.kind) {
      case 'tls': {
        const tls: TlsDetails = {
          subject: `CN=${request.host}`,
          issuer: 'CN=Simulated Site CA',
          validTo: new Date(this.clock() + 200 * DAY).toISOString(),
          selfSigned: false,
        };
        return { status: 'open', detail: describeTls(tls, this.clock()), tls };
      }
      case 'smtp':
        return { status: 'open', detail: `SMTP banner: 220 ${request.host} ESMTP ready` };
      case 'http':
        return { status: 'open', detail: 'HTTP 200' };
      case 'proxy':
        return { status: 'open', detail: `the proxy answered CONNECT ${request.through}: 200` };
      case 'dns':
        return { status: 'open', detail: `answered: ${request.name ?? '.'} -> 10.1.0.80` };
      case 'ntp':
        return { status: 'open', detail: 'NTP answered: stratum 2, offset 0.4 ms, delay 1.2 ms' };
      case 'udp':
        return { status: 'unconfirmed', detail: `${where}: ${UDP_UNCONFIRMED}` };
      default:
        return { status: 'open', detail: 'TCP connected' };
    }
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
