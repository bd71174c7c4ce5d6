// Goal checks of a training scenario, against the simulated sensor's state
// (what is in effect now), never against what was typed. Each check kind is
// declared once (src/net/training-scenario.ts) and evaluated here once.
import type { Goal } from '../../net/training-scenario.js';
import type { GoalResult } from '../training-port.js';
import type { SimulatorState } from './state.js';
import { answerOf, diagnosticsOf } from './diagnostics.js';
import { DEFAULT_SITE_NETWORK, outcomeFor } from './site-network.js';
import { mirrorOf } from './span-state.js';
import { ntpStateOf } from './ntp.js';

type Verdict = Omit<GoalResult, 'goal'>;

function serviceRunning(state: SimulatorState, name: string, now: number): string {
  const service = state.services.find((s) => s.name === name);
  if (!service) return 'no such service';
  if (service.fault === 'stopped') return 'stopped';
  if (service.fault === 'hung') return 'not responding';
  if (service.fault === 'crashing') return 'crashing (restarting)';
  return Date.parse(service.startedAt) > now ? 'starting' : 'running';
}

export function evaluateGoal(goal: Goal, state: SimulatorState, now: number): Verdict {
  const settings = state.settings;
  switch (goal.check) {
    case 'management-address': {
      const actual = `${settings.ip}/${settings.prefixLength}`;
      return { label: `management address is ${goal.equals}`, met: actual === goal.equals, actual };
    }
    case 'gateway':
      return { label: `default gateway is ${goal.equals}`, met: settings.gateway === goal.equals, actual: settings.gateway };
    case 'dns':
      return { label: `DNS servers include ${goal.includes}`, met: settings.dns.includes(goal.includes), actual: settings.dns.join(', ') || 'none' };
    case 'site-reachable': {
      const met = answerOf(goal.host, settings, diagnosticsOf(state).site) !== null;
      return { label: `${goal.host} answers the sensor`, met, actual: met ? 'answers' : 'no answer' };
    }
    case 'management-carrier': {
      const cabled = diagnosticsOf(state).site.cabledInterface;
      return { label: `the GUI cable is in the management port (${settings.managementInterface})`, met: cabled === settings.managementInterface, actual: `cable in ${cabled}` };
    }
    case 'monitor-interfaces':
      return {
        label: `input interfaces include ${goal.include.join(', ')}`,
        met: goal.include.every((name) => settings.inputInterfaces.includes(name)),
        actual: settings.inputInterfaces.join(', ') || 'none',
      };
    case 'span-mirror': {
      const actual = mirrorOf(state.span, goal.interface);
      return { label: `the mirror to ${goal.interface} is ${goal.equals}`, met: actual === goal.equals, actual };
    }
    case 'service': {
      const actual = serviceRunning(state, goal.name, now);
      return { label: `${goal.name} is running`, met: actual === 'running', actual };
    }
    case 'all-services-running': {
      const down = state.services.filter((s) => serviceRunning(state, s.name, now) !== 'running').map((s) => s.name);
      return { label: 'every service is running', met: down.length === 0, actual: down.length === 0 ? 'all running' : `not running: ${down.join(', ')}` };
    }
    case 'path-open': {
      const transport = goal.transport ?? 'tcp';
      const actual = outcomeFor(state.siteNetwork ?? DEFAULT_SITE_NETWORK, goal.host, goal.port, transport);
      return { label: `${goal.host} ${transport} ${goal.port} is open from the sensor`, met: actual === 'open', actual };
    }
    case 'ntp-synchronised': {
      const ntp = ntpStateOf(state);
      const reference = ntp.servers.find((s) => ntp.answering.includes(s));
      return { label: 'the clock follows an NTP server that answers', met: reference !== undefined, actual: reference ? `synchronised to ${reference}` : `servers: ${ntp.servers.join(', ') || 'none'}` };
    }
    case 'no-pending-reboot':
      return { label: 'no settings wait for a restart', met: state.pendingSettings === null, actual: state.pendingSettings === null ? 'none pending' : 'settings pending' };
    case 'source-unlocked': {
      const lock = state.sourceLocks.find((l) => l.source === goal.source && l.lockedUntil !== null && Date.parse(l.lockedUntil) > now);
      return { label: `sign-in from ${goal.source} is not locked`, met: !lock, actual: lock ? 'locked' : 'unlocked' };
    }
  }
}
