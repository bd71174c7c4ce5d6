// The one list of commands. Adding a command: write its file, add it here.
import type { AnyCommand, Category } from './types.js';
import { roleAllows, type Role } from './roles.js';
import networkList from './network/list.js';
import systemSanity from './system/sanity.js';
import networkEditSettings from './network/edit-settings.js';
import networkValidate from './network/validate.js';
import systemReboot from './system/reboot.js';
import systemShutdown from './system/shutdown.js';
import systemAudit from './system/audit.js';
import networkConfirm from './network/confirm.js';
import networkValidateCapture from './network/validate-capture.js';
import networkCaptureCheck from './network/capture-check.js';
import systemPassword from './system/password.js';
import systemUnlock from './system/unlock.js';
import systemShell from './system/shell.js';
import networkPing from './network/ping.js';
import networkBlink from './network/blink.js';
import networkStatistics from './network/statistics.js';
import systemVersion from './system/version.js';
import systemDate from './system/date.js';
import { FLOW_COMMANDS, menuCommand } from './troubleshoot/commands.js';
import ntpEnable from './ntp/enable.js';
import ntpDisable from './ntp/disable.js';
import ntpStatus from './ntp/status.js';
import systemBackup from './system/backup.js';
import systemBackupList from './system/backup-list.js';
import systemBackupPath from './system/backup-path.js';
import systemRestore from './system/restore.js';
import networkRequirements from './network/requirements.js';
import { TRAINING_COMMANDS } from './training/index.js';
import fleetReport from './fleet/report.js';

/** `alone`: the command a category runs when typed by itself (`troubleshoot` offers its menu). */
export const CATEGORIES: { name: Category; summary: string; alone?: string }[] = [
  { name: 'network', summary: 'Interfaces, management settings and SPAN-port validation' },
  { name: 'system', summary: 'Sensor services, restart and maintenance' },
  { name: 'troubleshoot', summary: 'Guided troubleshooting flows from the guide', alone: 'menu' },
  { name: 'ntp', summary: 'NTP servers the sensor clock follows' },
  { name: 'training', summary: 'Training scenarios on a simulated sensor: goals, hints, grading' },
  { name: 'fleet', summary: 'Reports of Ansible runs across many sensors' },
];

/** Words the shell itself understands, in every mode. */
export const BUILTINS: { name: string; summary: string; usage?: string }[] = [
  { name: 'help', summary: 'Show commands; "help network", "help network list"', usage: 'help [category [command]]' },
  { name: 'back', summary: 'Leave the category (network> to shell>)' },
  { name: 'history', summary: 'Show the commands typed before' },
  { name: 'clear', summary: 'Clear the screen' },
  { name: 'exit', summary: 'Leave the shell' },
  { name: 'logout', summary: 'Leave the shell' },
];

export const COMMANDS: AnyCommand[] = [
  networkList,
  networkEditSettings,
  networkValidate,
  networkConfirm,
  networkValidateCapture,
  networkPing,
  networkBlink,
  networkStatistics,
  networkRequirements,
  networkCaptureCheck,
  systemSanity,
  systemVersion,
  systemDate,
  systemReboot,
  systemShutdown,
  systemAudit,
  systemPassword,
  systemUnlock,
  systemShell,
  ...FLOW_COMMANDS,
  menuCommand,
  ntpEnable,
  ntpDisable,
  ntpStatus,
  systemBackup,
  systemBackupList,
  systemBackupPath,
  systemRestore,
  ...TRAINING_COMMANDS,
  fleetReport,
];

/** What a role may run: help, "?" and Tab completion show only these (the dispatcher still resolves the rest, to refuse them by name). */
export function commandsFor(role: Role, commands: AnyCommand[] = COMMANDS): AnyCommand[] {
  return commands.filter((c) => roleAllows(role, c.role));
}

export function commandsIn(category: Category, commands: AnyCommand[] = COMMANDS): AnyCommand[] {
  return commands.filter((c) => c.category === category);
}

export function fullName(command: AnyCommand): string {
  return `${command.category} ${command.name}`;
}
