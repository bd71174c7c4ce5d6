// `system sanity` on a real sensor: the services listed in services.yaml, each
// checked by systemd unit state, process name (procfs), TCP port or HTTP URL.
// Process, port and HTTP checks need no systemd (containers).
import * as z from 'zod/mini';
import YAML from 'yaml';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { SanityReport, ServiceState } from '../adapter.js';
import { runServiceChecks, type ServiceCheck } from '../sanity.js';
import { checkHost, checkPort, checkProcessName, checkUnitName } from './checks.js';
import { ConfigError } from './config.js';
import type { ProcessTable, Runner } from './runner.js';

/** USER_HZ: the unit of /proc/PID/stat start times, 100 on every Linux architecture otshell runs on. */
const CLOCK_TICKS = 100;

const ServiceSchema = z
  .strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(80)),
    unit: z.optional(z.string()),
    process: z.optional(z.string()),
    tcp: z.optional(z.union([z.string(), z.number()])),
    http: z.optional(z.string()),
  })
  .check(z.refine((s) => Boolean(s.unit || s.process || s.tcp !== undefined || s.http), 'each service needs unit, process, tcp or http'));

const ServicesSchema = z.strictObject({
  profile: z.optional(z.string().check(z.maxLength(40))),
  services: z.array(ServiceSchema).check(z.minLength(1)),
});

export interface ServiceSpec {
  name: string;
  unit?: string;
  process?: string;
  tcp?: { host: string; port: number };
  http?: URL;
}

export interface ServicesFile {
  profile: string;
  services: ServiceSpec[];
}

export function parseServices(text: string, path: string): ServicesFile {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = ServicesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${path} is invalid at "${issue.path.join('.') || '(top)'}": ${issue.message}.`);
  }
  const services = parsed.data.services.map((s): ServiceSpec => {
    try {
      const spec: ServiceSpec = { name: s.name };
      if (s.unit) spec.unit = checkUnitName(s.unit);
      if (s.process) spec.process = checkProcessName(s.process);
      if (s.tcp !== undefined) spec.tcp = parseTcp(String(s.tcp));
      if (s.http) {
        const url = new URL(s.http);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${s.http}" is not an http(s) URL`);
        checkHost(url.hostname.replace(/^\[|\]$/g, ''));
        spec.http = url;
      }
      return spec;
    } catch (error) {
      throw new ConfigError(`${path}: service "${s.name}": ${(error as Error).message}`);
    }
  });
  return { profile: parsed.data.profile ?? 'default', services };
}

function parseTcp(value: string): { host: string; port: number } {
  const match = /^(?:\[?([^\]]+?)\]?:)?(\d{1,5})$/.exec(value.trim());
  if (!match) throw new Error(`tcp "${value}" must be PORT or HOST:PORT`);
  return { host: checkHost(match[1] ?? '127.0.0.1'), port: checkPort(match[2]) };
}

type Outcome = Omit<ServiceState, 'name'>;

/** Runs every service's checks on the host; all of a service's checks must pass. */
export async function checkServicesOn(runner: Runner, file: ServicesFile, timeoutMs: number): Promise<SanityReport> {
  // Shared reads, once per report, started only when some service needs them.
  let table: Promise<ProcessTable> | null = null;
  const processTable = () => (table ??= runner.processTable());
  const unitNames = [...new Set(file.services.flatMap((s) => (s.unit ? [s.unit] : [])))];
  let units: Promise<Map<string, UnitState>> | null = null;
  const unitStates = () => (units ??= readUnits(runner, unitNames));
  const streams = new Set<Duplex>();

  const checks: ServiceCheck[] = file.services.map((spec) => ({
    name: spec.name,
    check: async (): Promise<Outcome> => {
      const parts: Promise<Outcome>[] = [];
      if (spec.unit) parts.push(unitCheck(spec.unit, unitStates, processTable));
      if (spec.process) parts.push(processCheck(spec.process, processTable));
      if (spec.tcp) parts.push(tcpCheck(runner, spec.tcp, streams));
      if (spec.http) parts.push(httpCheck(runner, spec.http, streams));
      const outcomes = await Promise.all(parts);
      const bad = outcomes.find((o) => o.status !== 'running');
      if (bad) return bad;
      const uptime = outcomes.find((o) => o.uptimeSeconds !== undefined)?.uptimeSeconds;
      return uptime === undefined ? { status: 'running' } : { status: 'running', uptimeSeconds: uptime };
    },
  }));
  try {
    return await runServiceChecks(checks, timeoutMs, file.profile);
  } finally {
    // A hung check was reported as not responding; drop its connection now.
    for (const stream of streams) stream.destroy();
  }
}

// ---------------------------------------------------------------- systemd

interface UnitState {
  activeState: string;
  subState: string;
  loadState: string;
  mainPid: number;
  activeEnterMonotonicUs: number;
}

async function readUnits(runner: Runner, names: string[]): Promise<Map<string, UnitState>> {
  const states = new Map<string, UnitState>();
  if (names.length === 0) return states;
  const booted = await runner.run('test', ['-d', '/run/systemd/system']);
  if (booted.exitCode !== 0) throw new Error('systemd is not running on this host (use process, tcp or http checks)');
  const result = await runner.run('systemctl', [
    'show', '--property=Id,LoadState,ActiveState,SubState,MainPID,ActiveEnterTimestampMonotonic', '--', ...names,
  ]);
  if (result.exitCode !== 0 && result.stdout.trim() === '') throw new Error(`systemctl show failed: ${result.stderr.trim()}`);
  // One block per unit, in the order asked, separated by blank lines.
  const blocks = result.stdout.trim().split(/\n\s*\n/);
  blocks.forEach((block, index) => {
    const props = Object.fromEntries(block.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    const name = names[index];
    if (!name) return;
    states.set(name, {
      activeState: props.ActiveState ?? 'unknown',
      subState: props.SubState ?? '',
      loadState: props.LoadState ?? '',
      mainPid: Number(props.MainPID ?? 0),
      activeEnterMonotonicUs: Number(props.ActiveEnterTimestampMonotonic ?? 0),
    });
  });
  return states;
}

export function unitOutcome(state: UnitState | undefined, uptimeSeconds: number): Outcome {
  if (!state || state.loadState === 'not-found') return { status: 'stopped', detail: 'unit not found' };
  switch (state.activeState) {
    case 'active':
    case 'reloading':
      return {
        status: 'running',
        ...(state.activeEnterMonotonicUs > 0 ? { uptimeSeconds: Math.max(0, Math.floor(uptimeSeconds - state.activeEnterMonotonicUs / 1e6)) } : {}),
      };
    case 'activating':
      return { status: 'starting', detail: `unit ${state.subState || 'activating'}` };
    default:
      return { status: 'stopped', detail: `unit ${state.activeState}${state.subState ? ` (${state.subState})` : ''}` };
  }
}

async function unitCheck(unit: string, states: () => Promise<Map<string, UnitState>>, table: () => Promise<ProcessTable>): Promise<Outcome> {
  const [map, procs] = await Promise.all([states(), table()]);
  return unitOutcome(map.get(unit), procs.uptimeSeconds);
}

// ---------------------------------------------------------------- procfs

/** comm is the executable name cut to 15 characters; a longer configured name matches by that cut. */
export function matchesProcess(comm: string, name: string): boolean {
  return comm === name || (name.length > 15 && comm === name.slice(0, 15));
}

async function processCheck(name: string, table: () => Promise<ProcessTable>): Promise<Outcome> {
  const { processes, uptimeSeconds } = await table();
  const matches = processes.filter((p) => matchesProcess(p.comm, name));
  if (matches.length === 0) return { status: 'stopped', detail: `no process named ${name}` };
  const oldest = Math.min(...matches.map((p) => p.startTicks));
  return { status: 'running', uptimeSeconds: Math.max(0, Math.floor(uptimeSeconds - oldest / CLOCK_TICKS)) };
}

// ---------------------------------------------------------------- TCP and HTTP

async function tcpCheck(runner: Runner, { host, port }: { host: string; port: number }, streams: Set<Duplex>): Promise<Outcome> {
  try {
    const stream: Duplex & { remoteAccepted?: Promise<boolean> } = await runner.openTcp(host, port);
    streams.add(stream);
    stream.on('error', () => {});
    // Over ssh -W the stream exists before the sensor's connect() is known: running only
    // once ssh reported the connection accepted. No report in time is "not-responding"
    // (the sanity timeout, src/system/sanity.ts), never "running".
    const accepted = stream.remoteAccepted ? await stream.remoteAccepted : true;
    stream.destroy();
    streams.delete(stream);
    return accepted
      ? { status: 'running' }
      : { status: 'not-responding', detail: `TCP ${host}:${port}: the sensor could not connect (refused, unreachable or unknown host)` };
  } catch (error) {
    return { status: 'stopped', detail: `TCP ${host}:${port}: ${describeSocketError(error)}` };
  }
}

function describeSocketError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  return (error as Error).message;
}

async function httpCheck(runner: Runner, url: URL, streams: Set<Duplex>): Promise<Outcome> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  let stream: Duplex;
  try {
    stream = await runner.openTcp(host, port);
  } catch (error) {
    return { status: 'stopped', detail: `${url.href}: ${describeSocketError(error)}` };
  }
  streams.add(stream);
  if (url.protocol === 'https:') {
    // Sensors use self-signed certificates: this checks the service answers, not who it is.
    stream = tlsConnect({ socket: stream as never, servername: /^[\d.:]+$/.test(host) ? undefined : host, rejectUnauthorized: false });
    streams.add(stream);
  }
  const s = stream;
  return new Promise<Outcome>((resolve) => {
    let head = '';
    s.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const line = head.split('\r\n')[0] ?? '';
      if (head.includes('\r\n')) {
        const status = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(line)?.[1]);
        s.destroy();
        if (!Number.isFinite(status)) resolve({ status: 'stopped', detail: `${url.href}: not an HTTP answer` });
        else if (status < 400) resolve({ status: 'running' });
        else resolve({ status: 'stopped', detail: `${url.href}: HTTP ${status}` });
      }
    });
    s.on('error', (error) => resolve({ status: 'stopped', detail: `${url.href}: ${describeSocketError(error)}` }));
    s.on('close', () => resolve({ status: 'stopped', detail: `${url.href}: connection closed without an answer` }));
    const path = `${url.pathname}${url.search}`;
    s.write(`GET ${path} HTTP/1.0\r\nHost: ${url.host}\r\nUser-Agent: otshell-sanity\r\nConnection: close\r\n\r\n`);
  });
}
