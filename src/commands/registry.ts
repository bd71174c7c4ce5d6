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

export const CATEGORIES: { name: Category; summary: string }[] = [
  { name: 'network', summary: 'Interfaces, management settings and SPAN-port validation' },
  { name: 'system', summary: 'Sensor services, restart and maintenance' },
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
  networkCaptureCheck,
  systemSanity,
  systemReboot,
  systemShutdown,
  systemAudit,
  systemPassword,
  systemUnlock,
  systemShell,
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
