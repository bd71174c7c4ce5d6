// The simulated sensor's NTP: a server list, and the addresses the simulated
// network answers NTP on (a trainer may edit them in the state file). enable
// refuses a server that does not answer, as a real query would.
import * as z from 'zod/mini';
import ipaddr from 'ipaddr.js';
import type { Actor } from '../adapter.js';
import { applyAuditedAction, LOCAL_AUDIT_FILES } from '../audit-log.js';
import { actionFields } from '../audit-action.js';
import { MAX_NTP_SERVERS, NtpNoAnswerError, type NtpChange, type NtpPort, type NtpStatus } from '../ntp-port.js';
import type { SimulatorState } from './state.js';
import type { SimulatorFeatureDeps } from './feature-deps.js';
import { EXIT, OtshellError } from '../../errors.js';

/**
 * The `ntp` section of the simulator state (absent in older files: no servers, the default answering hosts).
 * Built on first use: see section() in state-shape.ts.
 */
export const simulatorNtpSchema = z.lazy(ntpSection);
/** The server list alone: a backup's ntp-servers.json. */
export const ntpServersSchema = z.lazy(() => simulatorNtpSchema._zod.innerType.shape.servers);

function ntpSection() {
  const ipv4 = z.string().check(z.refine((v) => ipaddr.IPv4.isValidFourPartDecimal(v) && !/(^|\.)0\d/.test(v), { error: 'expected an IPv4 address such as 10.1.0.1' }));

  return z.object({
    servers: z.array(ipv4).check(z.maxLength(MAX_NTP_SERVERS, { error: `expected at most ${MAX_NTP_SERVERS} servers` })),
    /** Addresses the simulated network answers NTP on. */
    answering: z.array(ipv4).check(z.maxLength(64, { error: 'expected at most 64 addresses' })),
  });
}

export type SimulatorNtpState = z.infer<typeof simulatorNtpSchema>;

/** The simulated site: the gateway and two time servers of the management subnet answer NTP. */
export const DEFAULT_NTP_ANSWERING = ['10.1.0.1', '10.1.0.4', '10.1.0.5'];

export function ntpStateOf(state: SimulatorState): SimulatorNtpState {
  return state.ntp ?? { servers: [], answering: [...DEFAULT_NTP_ANSWERING] };
}

export class SimulatorNtp implements NtpPort {
  constructor(private readonly deps: SimulatorFeatureDeps) {}

  async status(): Promise<NtpStatus> {
    const ntp = ntpStateOf(await this.deps.load());
    const reference = ntp.servers.find((s) => ntp.answering.includes(s)) ?? null;
    return {
      servers: ntp.servers.map((address) => ({
        address,
        state: address === reference ? 'synchronised' : ntp.answering.includes(address) ? 'candidate' : 'unreachable',
        stratum: ntp.answering.includes(address) ? 2 : null,
      })),
      synchronised: reference !== null,
      reference,
      stratum: reference ? 3 : null,
      // A steady, plausible offset: tens of microseconds, varying with time.
      offsetSeconds: reference ? Math.round(Math.sin(this.deps.clock() / 60_000) * 80) / 1_000_000 : null,
    };
  }

  async enable(address: string, by?: Actor): Promise<NtpChange> {
    // The check before anything changes (and before the lock: a refusal holds no one up).
    if (!ntpStateOf(await this.deps.load()).answering.includes(address)) {
      throw new NtpNoAnswerError(address, 'no reply within 5 s');
    }
    return this.change('ntp-enable', address, (servers) => (servers.includes(address) ? servers : [...servers, address]), by);
  }

  async disable(address: string, by?: Actor): Promise<NtpChange> {
    return this.change('ntp-disable', address, (servers) => servers.filter((s) => s !== address), by);
  }

  private change(action: 'ntp-enable' | 'ntp-disable', address: string, edit: (servers: string[]) => string[], by?: Actor): Promise<NtpChange> {
    return this.deps.locked(by, async () => {
      const state = await this.deps.load();
      const ntp = ntpStateOf(state);
      const servers = edit(ntp.servers);
      if (servers.length === ntp.servers.length && servers.every((s, i) => s === ntp.servers[i])) return { address, changed: false, servers };
      if (servers.length > MAX_NTP_SERVERS) throw new NtpTooManyError();
      await applyAuditedAction(LOCAL_AUDIT_FILES, this.deps.auditPaths, actionFields(by, this.deps.target, action, address, ntp.servers, servers), async () => {
        await this.deps.store.save({ ...state, ntp: { ...ntp, servers } });
      });
      return { address, changed: true, servers };
    });
  }
}

class NtpTooManyError extends OtshellError {
  constructor() {
    super(`At most ${MAX_NTP_SERVERS} NTP servers can be enabled; disable one first. Nothing was changed.`, EXIT.USAGE);
  }
}
