// NTP on a real sensor: chrony. otshell owns one sources file
// (/etc/chrony/sources.d/otshell.sources by default, `ntp.sourcesFile` in the
// config), which chrony reads through its `sourcedir`; `chronyc reload sources`
// applies it. A server is probed with a real NTP query first (`chronyd -Q`, one
// sample, clock untouched), on the target itself, so over ssh too.
import type { Actor, EditLock } from '../adapter.js';
import { applyAuditedAction, type AuditPaths } from '../audit-log.js';
import { actionFields } from '../audit-action.js';
import { MAX_NTP_SERVERS, NtpNoAnswerError, type NtpChange, type NtpPort, type NtpSource, type NtpStatus } from '../ntp-port.js';
import type { OtshellConfig } from './config.js';
import type { Runner } from './runner.js';
import { EXIT, OtshellError } from '../../errors.js';

export interface LinuxFeatureDeps {
  runner: Runner;
  target: string;
  config(): Promise<OtshellConfig>;
  auditPaths(config: OtshellConfig): AuditPaths;
  /** Refuses (NeedsRootError, nothing changed) when these paths cannot be written. */
  requireWritable(what: string, paths: string[]): Promise<void>;
  /** Runs work under the edit lock (completing an interrupted change first); reuses `held` when this adapter holds it. */
  locked<T>(by: Actor | undefined, config: OtshellConfig, work: () => Promise<T>, held?: EditLock): Promise<T>;
  /** Takes the edit lock for several steps (release it in finally). */
  acquireLock(by: Actor): Promise<EditLock>;
}

const HEADER = '# Written by otshell ("ntp enable" / "ntp disable"). otshell rewrites this file; change it with those commands.\n';
/** How long the probe waits for an answer. */
export const PROBE_TIMEOUT_SECONDS = 5;

export class NtpFailedError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.PROBLEM);
  }
}

export function parseSourcesFile(text: string | null): string[] {
  if (text === null) return [];
  return text.split('\n').flatMap((line) => /^\s*(?:server|pool)\s+(\S+)/.exec(line)?.[1] ?? []);
}

export function sourcesFileText(servers: string[]): string {
  return HEADER + servers.map((s) => `server ${s} iburst\n`).join('');
}

/** `chronyc -n -c sources` lines: mode,state,address,stratum,poll,reach,... */
export function parseChronySources(csv: string): Map<string, { state: NtpSource['state']; stratum: number | null }> {
  const out = new Map<string, { state: NtpSource['state']; stratum: number | null }>();
  for (const line of csv.split('\n')) {
    const f = line.split(',');
    if (f.length < 6 || f[0] !== '^') continue;
    const [, mark, address, stratum, , reach] = f as [string, string, string, string, string, string];
    const state: NtpSource['state'] =
      mark === '*' ? 'synchronised' : mark === '+' || mark === '-' ? 'candidate' : mark === '?' ? (reach === '0' ? 'unreachable' : 'candidate') : 'unknown';
    const n = Number(stratum);
    out.set(address, { state, stratum: Number.isInteger(n) && n > 0 && n < 16 ? n : null });
  }
  return out;
}

/** `chronyc -n -c tracking`: refid,address,stratum,reftime,system offset,...,leap status (last). */
export function parseChronyTracking(csv: string): Pick<NtpStatus, 'synchronised' | 'reference' | 'stratum' | 'offsetSeconds'> {
  const f = csv.trim().split('\n')[0]?.split(',') ?? [];
  const leap = f.at(-1) ?? '';
  const synchronised = f.length >= 14 && f[0] !== '00000000' && leap !== 'Not synchronised';
  if (!synchronised) return { synchronised: false, reference: null, stratum: null, offsetSeconds: null };
  const stratum = Number(f[2]);
  const offset = Number(f[4]);
  return { synchronised: true, reference: f[1] || null, stratum: Number.isInteger(stratum) ? stratum : null, offsetSeconds: Number.isFinite(offset) ? offset : null };
}

export class LinuxNtp implements NtpPort {
  constructor(private readonly deps: LinuxFeatureDeps) {}

  private chronyc(config: OtshellConfig, args: string[]) {
    const socket = config.ntp.chronycSocket ? ['-h', config.ntp.chronycSocket] : [];
    return this.deps.runner.run('chronyc', [...socket, ...args], { timeoutMs: 10_000 });
  }

  async status(): Promise<NtpStatus> {
    const config = await this.deps.config();
    const servers = parseSourcesFile(await this.deps.runner.readFile(config.ntp.sourcesFile));
    const [sources, tracking] = await Promise.all([
      this.chronyc(config, ['-n', '-c', 'sources']).catch(() => null),
      this.chronyc(config, ['-n', '-c', 'tracking']).catch(() => null),
    ]);
    const known = sources && sources.exitCode === 0 ? parseChronySources(sources.stdout) : new Map();
    const clock = tracking && tracking.exitCode === 0 ? parseChronyTracking(tracking.stdout) : { synchronised: false, reference: null, stratum: null, offsetSeconds: null };
    return {
      servers: servers.map((address) => ({ address, state: known.get(address)?.state ?? 'unknown', stratum: known.get(address)?.stratum ?? null })),
      ...clock,
    };
  }

  /** One NTP query from the target: chronyd -Q takes one sample and leaves the clock alone. */
  private async probe(address: string): Promise<void> {
    let result;
    try {
      result = await this.deps.runner.run('chronyd', ['-Q', '-t', String(PROBE_TIMEOUT_SECONDS), `server ${address} iburst maxsamples 1`], { timeoutMs: (PROBE_TIMEOUT_SECONDS + 10) * 1000 });
    } catch (error) {
      throw new NtpFailedError(`The NTP query to ${address} could not be run (${(error as Error).message}); is chrony installed? Nothing was changed.`);
    }
    const said = `${result.stdout}\n${result.stderr}`;
    if (result.exitCode === 0 && /System clock wrong by/.test(said)) return;
    throw new NtpNoAnswerError(address, /Timeout reached/.test(said) ? `no reply within ${PROBE_TIMEOUT_SECONDS} s` : `chronyd -Q: ${said.trim().split('\n').at(-1) ?? `exit code ${result.exitCode}`}`);
  }

  async enable(address: string, by?: Actor): Promise<NtpChange> {
    await this.probe(address);
    return this.change('ntp-enable', address, (servers) => (servers.includes(address) ? servers : [...servers, address]), by);
  }

  async disable(address: string, by?: Actor): Promise<NtpChange> {
    return this.change('ntp-disable', address, (servers) => servers.filter((s) => s !== address), by);
  }

  private async change(action: 'ntp-enable' | 'ntp-disable', address: string, edit: (servers: string[]) => string[], by?: Actor): Promise<NtpChange> {
    const config = await this.deps.config();
    const file = config.ntp.sourcesFile;
    await this.deps.requireWritable('Changing the NTP servers', [file.slice(0, file.lastIndexOf('/')) || '/', config.stateDir]);
    return this.deps.locked(by, config, async () => {
      const before = await this.deps.runner.readFile(file);
      const old = parseSourcesFile(before);
      const servers = edit(old);
      if (servers.length === old.length && servers.every((s, i) => s === old[i])) return { address, changed: false, servers };
      if (servers.length > MAX_NTP_SERVERS) throw new OtshellError(`At most ${MAX_NTP_SERVERS} NTP servers can be enabled; disable one first. Nothing was changed.`, EXIT.USAGE);
      await applyAuditedAction(this.deps.runner, this.deps.auditPaths(config), actionFields(by, this.deps.target, action, address, old, servers), async () => {
        await this.deps.runner.writeFileAtomic(file, sourcesFileText(servers), 0o644);
        const reload = await this.chronyc(config, ['reload', 'sources']).catch((error: Error) => ({ exitCode: -1, stdout: '', stderr: error.message }));
        if (reload.exitCode !== 0) {
          // Back as it was: the file, and chrony's view of it.
          if (before === null) await this.deps.runner.remove(file);
          else await this.deps.runner.writeFileAtomic(file, before, 0o644);
          const why = (reload.stderr || reload.stdout).trim().split('\n')[0] || `exit code ${reload.exitCode}`;
          throw new NtpFailedError(`chronyc reload sources failed (${why}); the sources file was put back. Nothing was changed.`);
        }
      });
      return { address, changed: true, servers };
    });
  }
}

/** What an interrupted NTP action shows now: the servers in the sources file. */
export async function ntpShownNow(runner: Runner, config: OtshellConfig): Promise<string[]> {
  return parseSourcesFile(await runner.readFile(config.ntp.sourcesFile));
}
