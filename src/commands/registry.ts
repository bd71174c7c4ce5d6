// Categories, the shell's own words, and lookups over the command list (command-list.ts).
import type { AnyCommand, Category } from './types.js';
import { roleAllows, type Role } from './roles.js';
import { COMMANDS } from './command-list.js';

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

export { COMMANDS };

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
