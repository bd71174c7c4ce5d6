// What `network list` and the settings are made of, read from a real sensor in
// one runner.batch (over ssh one round trip instead of five), and the settings
// shown from such a read. The adapter reads through here; the two-batch apply
// turns its own first batch into the same NetworkRead (settingsOf).
import type { NetworkSettings, NetworkSnapshot } from '../adapter.js';
import { checkPath } from './checks.js';
import { ConfigError, parseConfig, type OtshellConfig, DEFAULT_NETPLAN_FILE } from './config.js';
import { defaultGateway, ipJsonOf, LINKS_COMMAND, ROUTES_COMMAND, toInterface, type IpLink, type IpRoute } from './iproute.js';
import { parseNetplan } from './netplan.js';
import { settledValue, type Runner } from './runner.js';
import { managementOf, roleOf } from './settings-plan.js';
import { withStateDir } from './state-dir-option.js';

export const RESOLV_CONF = '/etc/resolv.conf';

/** What network list and the settings are made of, read at once. */
export interface NetworkRead {
  config: OtshellConfig;
  links: IpLink[];
  routes: IpRoute[];
  /** otshell's netplan file; null when missing or unreadable (0600 without root: the runtime state stands in). */
  netplan: string | null;
  resolv: string | null;
}

/** A read's text, or null when it failed. */
export function quietly(settled: PromiseSettledResult<string | null>): string | null {
  return settled.status === 'fulfilled' ? settled.value : null;
}

export class NetworkReader {
  constructor(
    private readonly runner: Runner,
    private readonly configPath: string,
    /** --state-dir, when given (state-dir-option.ts). */
    private readonly stateDirOption: string | undefined,
  ) {}

  private networkRead: Promise<NetworkRead> | null = null;

  /**
   * The config, ip addr, ip route, otshell's netplan file and resolv.conf in one
   * runner.batch: over ssh one round trip instead of five. The netplan file is
   * read at its default path speculatively; only a config that names another
   * file costs a second read. Callers at the same moment (network validate asks
   * for the settings and the list together) share one batch.
   */
  read(): Promise<NetworkRead> {
    this.networkRead ??= this.batchNetworkRead().finally(() => {
      this.networkRead = null;
    });
    return this.networkRead;
  }

  private async batchNetworkRead(): Promise<NetworkRead> {
    checkPath(this.configPath, 'config file');
    const { results, files } = await this.runner.batch([LINKS_COMMAND, ROUTES_COMMAND], [this.configPath, DEFAULT_NETPLAN_FILE, RESOLV_CONF]);
    const config = withStateDir(parseConfig(this.configPath, settledValue(files[0]!)), this.stateDirOption);
    const links = ipJsonOf<IpLink[]>(LINKS_COMMAND, results[0]!);
    const routes = ipJsonOf<IpRoute[]>(ROUTES_COMMAND, results[1]!);
    const netplan = config.netplanFile === DEFAULT_NETPLAN_FILE ? quietly(files[1]!) : await this.readNetplanQuietly(config);
    return { config, links, routes, netplan, resolv: quietly(files[2]!) };
  }

  async listInterfaces(): Promise<NetworkSnapshot> {
    const { config, links, routes, netplan, resolv } = await this.read();
    const management = managementOf(config, routes, links);
    const dns = await this.dnsServers(management, netplan, resolv);
    return {
      interfaces: links.map((link) => toInterface(link, roleOf(link, config, management))),
      gateway: defaultGateway(routes),
      dns,
    };
  }

  /** DNS: otshell's netplan file, else resolvectl (systemd-resolved's stub), else /etc/resolv.conf. */
  private async dnsServers(management: string | null, netplan: string | null, resolvText: string | null): Promise<string[]> {
    if (netplan !== null && management) {
      const values = parseNetplan(netplan, management);
      if (values.dns && values.dns.length > 0) return values.dns;
    }
    const resolv = resolvText ?? '';
    const servers = [...resolv.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!).filter((s) => /^\d+\.\d+\.\d+\.\d+$/.test(s));
    if (servers.length > 0 && servers.every((s) => s.startsWith('127.0.0.5'))) {
      const result = await this.runner.run('resolvectl', ['dns'], { timeoutMs: 3000 });
      if (result.exitCode === 0) {
        const upstream = [...new Set([...result.stdout.matchAll(/\b(\d+\.\d+\.\d+\.\d+)\b/g)].map((m) => m[1]!))];
        if (upstream.length > 0) return upstream;
      }
    }
    return servers;
  }

  /** netplan files are private (0600): without root, reads fall back to the runtime state. */
  private async readNetplanQuietly(config: OtshellConfig): Promise<string | null> {
    try {
      return await this.runner.readFile(config.netplanFile);
    } catch {
      return null;
    }
  }

  /** The settings shown now, from one read of the network (read or the apply's first batch). */
  async settingsOf({ config, links, routes, netplan: netplanText, resolv }: NetworkRead): Promise<NetworkSettings> {
    const management = managementOf(config, routes, links);
    if (!management) throw new ConfigError(`No management interface: set roles.management in ${config.path}.`);
    const link = links.find((l) => l.ifname === management);
    const runtime = link?.addr_info?.find((a) => a.family === 'inet');
    const fromFile = netplanText ? parseNetplan(netplanText, management) : { ip: null, prefixLength: null, gateway: null, dns: null };
    const current: NetworkSettings = {
      managementInterface: management,
      ip: fromFile.ip ?? runtime?.local ?? '0.0.0.0',
      prefixLength: fromFile.prefixLength ?? runtime?.prefixlen ?? 24,
      gateway: fromFile.gateway ?? defaultGateway(routes) ?? '0.0.0.0',
      dns: fromFile.dns ?? (await this.dnsServers(management, netplanText, resolv)),
      inputInterfaces: config.roles.monitor.length > 0 ? config.roles.monitor : links.filter((l) => l.flags.includes('PROMISC')).map((l) => l.ifname),
      bridgeInterface: config.roles.bridge,
    };
    return current;
  }
}
