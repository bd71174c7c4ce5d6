// `network requirements` on real sensors: each rule probed from where the
// target is. Local target: sockets from this host, bound to the management
// address. SSH target: TCP and TLS through `ssh -W host:port` (the sensor makes
// the connection), UDP rules through the sensor's own tools (dig, chronyd,
// bash's /dev/udp), or "cannot check over ssh: <tool> missing".
// --from-workstation rows always use sockets from this host.
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { readFile } from '../../lazy-fs.js';
import { connect, isIP, isIPv6, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { EXIT, OtshellError } from '../../errors.js';
import { UDP_UNCONFIRMED, type ProbeRequest, type ProbeResult } from '../../net/requirements.js';
import type { ReachabilityPort, SiteFileText } from '../reachability-port.js';
import { TIMED_OUT } from '../timeout.js';
import { statusOfCode, statusOfSshFailure } from '../probes/classify.js';
import { describeDnsAnswer, dnsQuery, parseDnsReply } from '../probes/dns-query.js';
import { sntpQuery } from '../probes/sntp.js';
import { onConnected } from '../probes/stream-probes.js';
import { loadConfig } from './config.js';
import { listensOn, parseProcNetTcp } from './proc-net-tcp.js';
import { udpFromSensor } from './remote-udp.js';
import type { Runner } from './runner.js';
import type { RemoteTcpStream } from './ssh-runner.js';

/** The site file could not be read: exit 2, as for a missing or invalid one. */
export class SiteFileReadError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.INCOMPLETE);
  }
}

/** What a probe opened: closed when it ends or runs out of time. */
interface Closable {
  destroy?(): void;
  close?(): void;
}

/** A failure with the status it means, thrown inside a probe. */
class ProbeFailure extends Error {
  constructor(readonly result: ProbeResult) {
    super(result.detail);
  }
}

/** How long an ssh probe may wait for a free channel before its own timeout starts. */
const SSH_QUEUE_LIMIT_MS = 30_000;

const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

export class LinuxReachability implements ReachabilityPort {
  /** Asked when used: the adapter's fields are set after its field initializers run. */
  constructor(private readonly where: () => { runner: Runner; configPath: string }) {}

  private get runner(): Runner {
    return this.where().runner;
  }

  private get configPath(): string {
    return this.where().configPath;
  }

  private get overSsh(): boolean {
    return this.runner.target !== 'local';
  }

  async readSiteFile(override?: string): Promise<SiteFileText> {
    if (override !== undefined) {
      // The engineer's copy, where otshell runs (like validate-capture's files).
      try {
        return { path: override, text: await readFile(override, 'utf8') };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { path: override, text: null };
        throw new SiteFileReadError(`Cannot read the site file ${override}: ${code ?? (error as Error).message}.`);
      }
    }
    const config = await loadConfig(this.runner, this.configPath);
    try {
      return { path: config.siteFile, text: await this.runner.readFile(config.siteFile) };
    } catch (error) {
      if (error instanceof OtshellError && error.exitCode === EXIT.UNAVAILABLE) throw error;
      throw new SiteFileReadError(`Cannot read the site file ${config.siteFile}: ${(error as Error).message}.`);
    }
  }

  async probe(request: ProbeRequest, options: { timeoutMs: number; managementAddress: string | null }): Promise<ProbeResult> {
    const open = new Set<Closable>();
    const track = (thing: Closable & { on?: (event: string, listener: () => void) => unknown }) => {
      open.add(thing);
      thing.on?.('error', () => {});
    };
    // Over ssh a probe may first wait for a free channel (MAX_CHANNELS; dropped rules hold
    // theirs for the whole timeout): its timeout starts when its connection does, not before.
    // Once ssh reports a failed connect, asking the sensor why gets a timeout of its own.
    const queued = this.overSsh && request.from !== 'workstation';
    let stage = queued ? 'queued' : 'connect';
    let timer: NodeJS.Timeout | undefined;
    let expire: () => void = () => {};
    const expired = new Promise<typeof TIMED_OUT>((resolve) => (expire = () => resolve(TIMED_OUT)));
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(expire, ms);
    };
    arm(queued ? options.timeoutMs + SSH_QUEUE_LIMIT_MS : options.timeoutMs);
    const setStage = (next: string) => {
      if (next !== stage && (stage === 'queued' || next === 'diagnose')) arm(options.timeoutMs);
      stage = next;
    };
    const work = this.run(request, options, track, setStage).catch((error: unknown) =>
      error instanceof ProbeFailure ? error.result : ({ status: 'failed', detail: `${hostPort(request.host, request.port)}: ${(error as Error).message}` } as ProbeResult),
    );
    const result = await Promise.race([work, expired]);
    clearTimeout(timer);
    // Outermost first: destroying a TCP socket and then the TLS socket on it in the same
    // tick crashes Node 20 (SIGSEGV); the TLS socket first ends both cleanly.
    for (const thing of [...open].reverse()) {
      try {
        thing.destroy?.();
        thing.close?.();
      } catch {
        // already closed
      }
    }
    if (result !== TIMED_OUT) return result;
    if (stage === 'queued') return { status: 'cannot check', detail: `cannot check over ssh: the sensor did not answer within ${(options.timeoutMs + SSH_QUEUE_LIMIT_MS) / 1000} s` };
    if (stage === 'diagnose') return { status: 'failed', detail: `${hostPort(request.host, request.port)}: the sensor could not connect, and did not say why in time` };
    const seconds = `${Math.round(options.timeoutMs / 100) / 10} s`;
    if (stage === 'resolve') return { status: 'name not resolved', detail: `${request.host}: no DNS answer for the name within ${seconds}` };
    if (stage === 'answer') return { status: 'failed', detail: `${hostPort(request.host, request.port)}: connected, but no answer within ${seconds}` };
    return { status: 'no answer', detail: `${hostPort(request.host, request.port)}: no answer within ${seconds} (dropped by a firewall, or nothing routed)` };
  }

  private async run(
    request: ProbeRequest,
    options: { timeoutMs: number; managementAddress: string | null },
    track: (thing: Closable & { on?: (event: string, listener: () => void) => unknown }) => void,
    setStage: (stage: string) => void,
  ): Promise<ProbeResult> {
    const fromHere = request.from === 'workstation' || !this.overSsh;
    const bindTo = request.from === 'workstation' ? null : options.managementAddress;
    const what = hostPort(request.host, request.port);

    if (request.kind === 'listen') return this.listening(request, options, track, setStage);

    if (request.transport === 'udp') {
      if (!fromHere) return udpFromSensor(this.runner, request, options.timeoutMs);
      setStage('resolve');
      const address = await resolve(request.host);
      setStage('connect');
      const local = sameFamily(bindTo, address);
      if (request.kind === 'ntp') {
        try {
          const answer = await sntpQuery(address, { port: request.port, timeoutMs: options.timeoutMs + 1000, localAddress: local });
          return { status: 'open', detail: `NTP answered: stratum ${answer.stratum}, offset ${answer.offsetMs.toFixed(1)} ms, delay ${answer.delayMs.toFixed(1)} ms` };
        } catch (error) {
          throw new ProbeFailure(statusOfCode((error as { code?: string }).code, (error as Error).message, what));
        }
      }
      return this.udpFromHere(request, address, local, options.timeoutMs, track);
    }

    let stream: Duplex;
    if (fromHere) {
      setStage('resolve');
      const address = await resolve(request.host);
      setStage('connect');
      stream = await connectFromHere(address, request.port, sameFamily(bindTo, address), track);
    } else {
      stream = await this.connectFromSensor(request.host, request.port, track, setStage);
    }
    setStage('answer');
    try {
      return await onConnected(stream, request, track as never);
    } catch (error) {
      throw new ProbeFailure({ status: 'failed', detail: `${what}: connected, then ${(error as Error).message}` });
    }
  }

  /** Inbound rules: the sensor listens on its management address (procfs of the target), and its certificate on 443. */
  private async listening(
    request: ProbeRequest,
    options: { timeoutMs: number; managementAddress: string | null },
    track: (thing: Closable) => void,
    setStage: (stage: string) => void,
  ): Promise<ProbeResult> {
    const [v4, v6] = await Promise.all([this.runner.readFile('/proc/net/tcp'), this.runner.readFile('/proc/net/tcp6')]);
    const sockets = [...parseProcNetTcp(v4 ?? '', 4), ...parseProcNetTcp(v6 ?? '', 6)];
    const where = hostPort(request.host, request.port);
    if (!listensOn(sockets, request.host, request.port)) {
      return { status: 'refused', detail: `nothing listens on ${where} (the sensor's management address)` };
    }
    if (!request.tls) return { status: 'open', detail: `the sensor listens on ${where}` };
    const stream = this.overSsh
      ? await this.connectFromSensor(request.host, request.port, track, setStage)
      : await connectFromHere(request.host, request.port, undefined, track);
    setStage('answer');
    const result = await onConnected(stream, { ...request, kind: 'tls' }, track as never).catch(
      (error: Error): ProbeResult => ({ status: 'failed', detail: `listens on ${where}, then ${error.message}` }),
    );
    return { ...result, detail: `the sensor listens on ${where}; ${result.detail}` };
  }

  private async connectFromSensor(
    host: string,
    port: number,
    track: (thing: Closable) => void,
    setStage: (stage: string) => void,
  ): Promise<Duplex> {
    const started = () => setStage('connect');
    const diagnosing = () => setStage('diagnose');
    const what = hostPort(host, port);
    const stream = (await this.runner.openTcp(host, port)) as RemoteTcpStream & { remoteOutcome?: Promise<Error | null> };
    started();
    track(stream);
    stream.on('error', () => {});
    const accepted = stream.remoteAccepted ? await stream.remoteAccepted : true;
    if (accepted) return stream;
    diagnosing();
    // Through the ControlMaster, every failed ssh -W reads "Session open refused by peer":
    // refused, unroutable and unresolvable look alike. The sensor's own connect says which.
    const diagnosis = await this.runner.run('bash', ['-c', 'exec 3<>"/dev/tcp/$1/$2"', 'otshell', host, String(port)], { timeoutMs: 10_000 });
    if (diagnosis.exitCode === 0) throw new ProbeFailure({ status: 'failed', detail: `${what}: ssh -W could not connect from the sensor, a second try did` });
    if (diagnosis.exitCode === 127 && !/\/dev\/tcp/.test(diagnosis.stderr)) {
      throw new ProbeFailure({ status: 'failed', detail: `${what}: the sensor could not connect (ssh does not say why, and bash is missing to ask)` });
    }
    throw new ProbeFailure(statusOfSshFailure(diagnosis.stderr, what));
  }

  /** A datagram with no reply protocol: only an ICMP port unreachable (seen as ECONNREFUSED) can come back. */
  private udpFromHere(request: ProbeRequest, address: string, local: string | undefined, timeoutMs: number, track: (thing: Closable) => void): Promise<ProbeResult> {
    const what = hostPort(request.host, request.port);
    return new Promise((resolve) => {
      const socket = dgram.createSocket(isIPv6(address) ? 'udp6' : 'udp4');
      track(socket);
      let settled = false;
      const settle = (result: ProbeResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      // A refusal comes back within a round trip; waiting half the timeout (at most 1 s) is plenty.
      const timer = setTimeout(() => settle({ status: 'unconfirmed', detail: `${what}: ${UDP_UNCONFIRMED}` }), Math.min(1000, timeoutMs / 2));
      socket.on('error', (error: NodeJS.ErrnoException) => settle(statusOfCode(error.code, error.message, what)));
      if (request.kind === 'dns') {
        const query = dnsQuery(request.name ?? '.');
        clearTimeout(timer);
        socket.on('message', (message) => {
          try {
            settle({ status: 'open', detail: describeDnsAnswer(request.name ?? '.', parseDnsReply(message, query)) });
          } catch (error) {
            settle({ status: 'failed', detail: `${what}: ${(error as Error).message}` });
          }
        });
        const start = () => socket.connect(request.port, address, () => socket.send(query));
        if (local) socket.bind({ address: local, port: 0 }, start);
        else start();
        return;
      }
      const start = () => socket.connect(request.port, address, () => socket.send(Buffer.from(request.payload ?? '')));
      if (local) socket.bind({ address: local, port: 0 }, start);
      else start();
    });
  }
}

/** An IP address for a name (IPv4 first), or the failure "name not resolved". */
async function resolve(host: string): Promise<string> {
  if (isIP(host)) return host;
  try {
    const all = await lookup(host, { all: true });
    return (all.find((a) => a.family === 4) ?? all[0]!).address;
  } catch (error) {
    throw new ProbeFailure(statusOfCode((error as NodeJS.ErrnoException).code ?? 'ENOTFOUND', (error as Error).message, host));
  }
}

/** The management address, when it can be the source of a connection to `address` (same family, not loopback). */
function sameFamily(local: string | null, address: string): string | undefined {
  if (!local || isIP(local) !== isIP(address) || address.startsWith('127.') || address === '::1') return undefined;
  return local;
}

function connectFromHere(host: string, port: number, localAddress: string | undefined, track: (thing: Closable) => void): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port, localAddress });
    track(socket);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      socket.on('error', () => {});
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => reject(new ProbeFailure(statusOfCode(error.code, error.message, hostPort(host, port)))));
  });
}
