// The steps the flows are made of: each a check through the SystemAdapter (or a
// question with what otshell can measure), with the guide's words for what to
// do next, and the fixes the guide names (edit-settings, reboot) as commands.
import { setTimeout as delay } from 'node:timers/promises';
import ipaddr from 'ipaddr.js';
import type { NetworkSettings } from '../../system/adapter.js';
import { EXIT, OtshellError } from '../../errors.js';
import editSettings from '../network/edit-settings.js';
import { validateSettings, SUCCESS } from '../network/validate.js';
import { actorOf } from '../system/power-action.js';
import type { CheckStep, Fix, FlowRun, QuestionStep } from './flow.js';
import { runCaptureCheck } from '../../capture/index.js';

/** How long a fix waits for a restarted sensor to answer and its services to start. */
const RESTART_WAIT_MS = 180_000;
const POLL_MS = 500;

async function settingsOf(run: FlowRun): Promise<NetworkSettings> {
  return (await run.ctx.system.getNetworkSettings()).current;
}

function inSubnet(address: string, settings: NetworkSettings): boolean | null {
  try {
    return ipaddr.IPv4.parse(address).match(ipaddr.IPv4.parse(settings.ip), settings.prefixLength);
  } catch {
    return null;
  }
}

function subnetOf(settings: NetworkSettings): string {
  const network = ipaddr.IPv4.networkAddressFromCIDR(`${settings.ip}/${settings.prefixLength}`).toString();
  return `${network}/${settings.prefixLength}`;
}

/** Waits ms, or less when the signal aborts (then it resolves early: the caller reports what it has). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}

// ------------------------------------------------------------------ fixes

/** The guide's fix for wrong settings: the edit-settings wizard (its own questions, its own "Apply?"). */
export const EDIT_SETTINGS_FIX: Fix = {
  offer: 'Run "network edit-settings" now to correct the management settings?',
  role: 'support',
  async run(run) {
    const result = await editSettings.run(run.ctx, { args: {}, options: {} });
    if (!result.applied) return null;
    const what = result.changes.map((c) => `${c.label} ${c.old} -> ${c.new}`).join('; ');
    return `network edit-settings: ${what || 'applied'}${result.outcome?.kind === 'pending-restart' ? ' (takes effect after a restart)' : ''}`;
  },
};

/** The guide's restart: asked once here (the offer), then waits until the sensor answers and its services have started. */
export const REBOOT_FIX: Fix = {
  offer: 'Restart the sensor now ("system reboot")?',
  role: 'support',
  async run(run) {
    const { pending } = await run.ctx.system.getNetworkSettings();
    await run.ctx.system.reboot(actorOf(run.ctx.caller));
    run.ctx.prompter.say('  The sensor is restarting; waiting for it to answer and its services to start ...');
    await waitForSensor(run);
    return `system reboot${pending ? ': the saved network settings took effect' : ''}`;
  },
};

/** Polls until the sensor answers and no service is still starting (bounded, Ctrl-C stops). */
export async function waitForSensor(run: FlowRun): Promise<void> {
  const deadline = Date.now() + RESTART_WAIT_MS;
  while (Date.now() < deadline && !run.ctx.signal.aborted) {
    try {
      const report = await run.ctx.system.checkServices({ timeoutMs: 3000 });
      if (report.status !== 'starting') return;
    } catch (error) {
      if (!(error instanceof OtshellError) || error.exitCode !== EXIT.UNAVAILABLE) throw error;
    }
    await sleep(POLL_MS, run.ctx.signal);
  }
}

// ------------------------------------------------------------------ web UI

export const SAME_NETWORK: QuestionStep = {
  kind: 'question',
  id: 'same-network',
  title: 'Your computer is on the appliance\'s network',
  question: 'Is the computer you connect from on the same network as the appliance\'s management address?',
  next: 'Connect from a computer on the same network as the appliance\'s management address (or route to it), then try again.',
  async measure(run) {
    const settings = await settingsOf(run);
    const client = run.ctx.caller.sshClient;
    const subnet = subnetOf(settings);
    if (!client) return { verdict: 'unknown', finding: `The management subnet is ${subnet}.`, measured: [`management subnet ${subnet}; this session is not over SSH, so the client address is unknown`] };
    const inside = inSubnet(client, settings);
    const fact = `SSH client ${client} is ${inside ? 'inside' : 'outside'} the management subnet ${subnet}`;
    return { verdict: inside ? 'pass' : 'unknown', finding: `Your SSH client ${client} is ${inside ? 'inside' : 'outside'} ${subnet}.`, measured: [fact] };
  },
};

export const CABLE: QuestionStep = {
  kind: 'question',
  id: 'cable',
  title: 'The GUI cable is in the management port',
  question: 'Is the GUI cable connected to the management port?',
  next: 'Connect the GUI cable to the management port (the interface "network list" shows with role management).',
  async measure(run) {
    const settings = await settingsOf(run);
    const name = settings.managementInterface;
    const first = (await run.ctx.system.listInterfaces()).interfaces.find((i) => i.name === name);
    if (!first) return { verdict: 'fail', finding: `The management interface ${name} does not exist.`, measured: [`${name}: missing`] };
    await sleep(1000, run.ctx.signal);
    const second = (await run.ctx.system.listInterfaces()).interfaces.find((i) => i.name === name) ?? first;
    const grew = second.rx.packets - first.rx.packets;
    const fact = `${name}: ${second.running ? 'carrier (RUNNING)' : 'no carrier'}, RX packets ${second.rx.packets} (+${grew} in 1 s)`;
    if (!second.running) return { verdict: 'fail', finding: `${name} has no carrier: no cable, or nothing at the other end.`, measured: [fact] };
    return { verdict: grew > 0 ? 'pass' : 'unknown', finding: grew > 0 ? `${name} has carrier and receives traffic.` : `${name} has carrier but received nothing in 1 s.`, measured: [fact] };
  },
};

export const PING_GATEWAY: CheckStep = {
  kind: 'check',
  id: 'ping-gateway',
  title: 'The appliance reaches its gateway (ping)',
  next: 'Sign in at the console as support and run "network list": if the IP address is wrong, run "network edit-settings", restart, sign in again and check with "network list"; then ping and connect from the GUI again.',
  fixes: [EDIT_SETTINGS_FIX, REBOOT_FIX],
  async check(run) {
    const settings = await settingsOf(run);
    const result = await run.ctx.system.diagnostics.ping(settings.gateway, { signal: run.ctx.signal });
    const summary = result.lines.find((l) => /packets transmitted/.test(l)) ?? `${result.transmitted} packets transmitted, ${result.received} received`;
    const measured = [`ping ${settings.gateway} from ${settings.ip}/${settings.prefixLength}: ${summary}`];
    if (result.received > 0) return { verdict: 'pass', finding: `The gateway ${settings.gateway} answers (${result.received} of ${result.transmitted}).`, measured };
    return {
      verdict: 'fail',
      finding: `The gateway ${settings.gateway} does not answer from ${settings.ip}/${settings.prefixLength}: the management address, mask or gateway is wrong for this network.`,
      measured,
    };
  },
};

export const VALIDATE: CheckStep = {
  kind: 'check',
  id: 'network-validate',
  title: 'The interfaces carry the configured settings (network validate)',
  next: 'Run "network edit-settings" to correct the settings, restart ("system reboot"), then check with "network validate".',
  fixes: [REBOOT_FIX],
  async check(run) {
    const [{ current, pending }, snapshot] = await Promise.all([run.ctx.system.getNetworkSettings(), run.ctx.system.listInterfaces()]);
    const result = validateSettings(current, pending, snapshot);
    if (result.match) return { verdict: 'pass', finding: SUCCESS };
    return { verdict: 'fail', finding: result.mismatches.map((m) => m.message.split('\n')[0]).join(' '), measured: result.mismatches.map((m) => `${m.check}: ${m.message.split('\n')[0]}`) };
  },
};

export const WEB_LISTENS: CheckStep = {
  kind: 'check',
  id: 'web-listens',
  title: 'The web UI listens on port 443',
  next: 'Nothing answers on 443: run "troubleshoot not-responding" (the Web Apps service must be running).',
  async check(run) {
    const listening = await run.ctx.system.diagnostics.listening(443);
    if (listening === null) return { verdict: 'unknown', finding: 'Could not tell whether anything listens on 443.' };
    return listening ? { verdict: 'pass', finding: 'Something accepts connections on 443.' } : { verdict: 'fail', finding: 'Nothing accepts connections on 443.' };
  },
};

export const CONNECT_AGAIN: QuestionStep = {
  kind: 'question',
  id: 'connect-again',
  title: 'The web UI loads from your computer',
  question: 'From your computer, ping the appliance and open https://<its management address>: does the web UI load?',
  next: 'Check proxies and firewalls between your computer and the appliance; if it still fails, contact support with the report above.',
  async measure(run) {
    const settings = await settingsOf(run);
    return { verdict: 'unknown', finding: `Open https://${settings.ip} from your computer.`, measured: [`management address ${settings.ip}`] };
  },
};

// ------------------------------------------------------------------ not responding, health

export const SIGNED_IN: CheckStep = {
  kind: 'check',
  id: 'signed-in',
  title: 'Signed in at the console or over SSH (PuTTY)',
  next: 'Connect a monitor and keyboard, or use PuTTY, and sign in as support.',
  stopOnFail: true,
  async check(run) {
    const { user, role, tty, sshClient } = run.ctx.caller;
    await run.ctx.system.getNetworkSettings(); // the sensor answers at all
    return { verdict: 'pass', finding: `Signed in as ${user} (${role}) from ${sshClient ? `SSH client ${sshClient}` : tty ?? 'this terminal'}; the sensor answers.` };
  },
};

export const SANITY: CheckStep = {
  kind: 'check',
  id: 'system-sanity',
  title: 'Every process runs (system sanity)',
  next: 'Every process must be running: restart the appliance ("system reboot") and run "system sanity" again; if a service stays stopped, contact support with the sanity output and "system audit".',
  fixes: [REBOOT_FIX],
  async check(run) {
    const report = await run.ctx.system.checkServices({ timeoutMs: 3000 });
    const bad = report.services.filter((s) => s.status !== 'running');
    const measured = bad.map((s) => `${s.name}: ${s.status}${s.detail ? ` (${s.detail})` : ''}`);
    if (report.status === 'up') return { verdict: 'pass', finding: `System is UP! (${report.profile}): all ${report.services.length} services running.` };
    if (report.status === 'starting') return { verdict: 'unknown', finding: `Still starting: ${bad.map((s) => s.name).join(', ')}.`, measured };
    const stopped = bad.filter((s) => s.status === 'stopped').map((s) => s.name);
    const hung = bad.filter((s) => s.status === 'not-responding').map((s) => s.name);
    const parts = [...(stopped.length ? [`stopped: ${stopped.join(', ')}`] : []), ...(hung.length ? [`not responding: ${hung.join(', ')}`] : [])];
    return { verdict: 'fail', finding: `System is DOWN: ${parts.join('; ')}.`, measured };
  },
};

export const VERSION: CheckStep = {
  kind: 'check',
  id: 'system-version',
  title: 'The sensor reports its version (system version)',
  next: 'The sensor\'s version file is missing: reinstall or contact support.',
  async check(run) {
    const info = await run.ctx.system.diagnostics.version();
    return info.sensor ? { verdict: 'pass', finding: `Version: ${info.sensor}` } : { verdict: 'fail', finding: `No version file at ${info.source}.` };
  },
};

export const MONITOR_INTERFACES: CheckStep = {
  kind: 'check',
  id: 'monitor-interfaces',
  title: 'The expected monitor interfaces are there (network list)',
  next: 'Check the SPAN cables and run "network edit-settings" to choose the input interfaces; "network list" shows them.',
  async check(run) {
    const [settings, snapshot] = await Promise.all([settingsOf(run), run.ctx.system.listInterfaces()]);
    if (settings.inputInterfaces.length === 0) return { verdict: 'fail', finding: 'No monitor (input) interface is configured.' };
    const problems: string[] = [];
    const measured: string[] = [];
    for (const name of settings.inputInterfaces) {
      const iface = snapshot.interfaces.find((i) => i.name === name);
      if (!iface) problems.push(`${name} does not exist`);
      else if (!iface.up || !iface.running) problems.push(`${name} is ${iface.up ? 'without link' : 'down'}`);
      else if (!iface.promisc) problems.push(`${name} is not promiscuous`);
      measured.push(iface ? `${name}: ${iface.flags.join(',')}, RX packets ${iface.rx.packets}` : `${name}: missing`);
    }
    return problems.length === 0
      ? { verdict: 'pass', finding: `Monitor interfaces ${settings.inputInterfaces.join(', ')} are up and promiscuous.`, measured }
      : { verdict: 'fail', finding: `${problems.join('; ')}.`, measured };
  },
};

export const PING_SELF: CheckStep = {
  kind: 'check',
  id: 'ping-management',
  title: 'The management address answers (ping)',
  next: 'Run "troubleshoot web-ui".',
  async check(run) {
    const settings = await settingsOf(run);
    const result = await run.ctx.system.diagnostics.ping(settings.ip, { signal: run.ctx.signal });
    return result.received > 0
      ? { verdict: 'pass', finding: `${settings.ip} answers (${result.received} of ${result.transmitted}).` }
      : { verdict: 'fail', finding: `${settings.ip} does not answer.` };
  },
};

/** How long `troubleshoot span` listens on each monitor port: long enough for a healthy OT mix to show, short enough to wait for. */
export const SPAN_CHECK_SECONDS = 10;

/** The guide's network validation, live: what the monitor ports receive, judged as validate-capture judges a file. */
export const CAPTURE_CHECK: CheckStep = {
  kind: 'check',
  id: 'capture-check',
  title: `The SPAN ports carry the plant's traffic (network capture-check, ${SPAN_CHECK_SECONDS} s)`,
  next:
    'Check the switch\'s SPAN (port mirror) session: mirror both directions of the OT ports or VLANs to the sensor\'s monitor port, not only broadcasts; then run "network capture-check" again.',
  async check(run) {
    const port = run.ctx.system.capture;
    if (!port) return { verdict: 'unknown', finding: `Live capture is not available on ${run.ctx.system.target}.` };
    const result = await runCaptureCheck(port, {
      seconds: SPAN_CHECK_SECONDS,
      signal: run.ctx.signal,
      onProgress: (p) => run.ctx.progress({ label: `capture: ${p.packets.toLocaleString('en-US')} packets`, done: p.elapsedSeconds, total: p.seconds, unit: 'seconds' }),
    });
    const measured = result.interfaces.map((r) => {
      const protocols = r.otProtocols.map((p) => p.name).join(', ') || 'no industrial protocol';
      return `${r.file}: ${r.packets.toLocaleString('en-US')} packets, ${protocols}, ${r.verdict.status.toUpperCase()}`;
    });
    const failing = result.interfaces.flatMap((r) => r.verdict.checks.filter((c) => c.status !== 'pass').map((c) => `${r.file}: ${c.detail}`));
    if (result.overall.verdict.status === 'pass' && failing.length === 0) {
      return { verdict: 'pass', finding: `The mirror passes on ${result.interfaces.map((r) => r.file).join(', ')}.`, measured };
    }
    return { verdict: 'fail', finding: `${failing.join('; ')}.`, measured };
  },
};
