// The troubleshooting flows, as data: each an ordered list of steps (steps.ts)
// following the guide. A new flow is one more entry here (its command is made
// from it: commands.ts); a new step is one more element of a list.
import type { Flow } from './flow.js';
import { CAPTURE_CHECK, CABLE, CONNECT_AGAIN, MONITOR_INTERFACES, PING_GATEWAY, PING_SELF, SAME_NETWORK, SANITY, SIGNED_IN, VALIDATE, VERSION, WEB_LISTENS } from './steps.js';

export const FLOWS: Flow[] = [
  {
    name: 'web-ui',
    title: 'Can\'t connect by using the web interface',
    summary: 'Guided: the web UI cannot be reached (network, cable, address, restart)',
    description:
      'The guide\'s "Can\'t connect by using a web interface": same network? GUI cable in the management port? ping; at the console "network list"; if the settings are wrong "network edit-settings" and a restart; verify with "network list"; ping and connect again.',
    steps: [SAME_NETWORK, CABLE, PING_GATEWAY, VALIDATE, WEB_LISTENS, CONNECT_AGAIN],
  },
  {
    name: 'not-responding',
    title: 'Appliance isn\'t responding',
    summary: 'Guided: the appliance does not respond (sign in, every process running)',
    description: 'The guide\'s "Appliance isn\'t responding": connect with a monitor and keyboard or PuTTY, sign in as support, run "system sanity" and check that every process runs.',
    steps: [SIGNED_IN, SANITY, WEB_LISTENS],
  },
  {
    name: 'health',
    title: 'Health check',
    summary: 'Guided: sanity, version, network list and the monitor interfaces',
    description: 'The guide\'s health check: "system sanity" (all green, System is UP!), "system version", "network list" (the expected monitor interfaces are there), then ping the management address and open the web UI.',
    steps: [SANITY, VERSION, VALIDATE, MONITOR_INTERFACES, PING_SELF, WEB_LISTENS],
  },
  {
    name: 'span',
    title: 'Network validation (SPAN port)',
    summary: 'Guided: the monitor interfaces, then a live check of what the SPAN ports receive',
    description:
      'The guide\'s network validation, without a laptop on the SPAN port: the monitor interfaces are up and promiscuous, then a live capture on each (network capture-check) judges the mirror: unicast traffic, ARP share, industrial protocols, both directions of TCP.',
    steps: [MONITOR_INTERFACES, CAPTURE_CHECK],
    // A live capture needs the support role, as network capture-check does.
    role: 'support',
  },
];
