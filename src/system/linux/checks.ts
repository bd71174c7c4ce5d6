// Every external value is checked here before it may reach a command line,
// a file path or the revert script. Anything else is refused with the reason.
import ipaddr from 'ipaddr.js';
import { EXIT, OtshellError } from '../../errors.js';

/** A value from the target (ip output, the otshell config, services.yaml) otshell refuses to use. Exit 65, EX_DATAERR. */
export class InvalidValueError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.DATA);
  }
}

/** Linux interface names: 1-15 characters, no slash, space, colon or leading dash. */
export function checkInterfaceName(name: unknown): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,14}$/.test(name)) {
    throw new InvalidValueError(`"${String(name).slice(0, 40)}" is not a valid interface name.`);
  }
  return name;
}

/** A dotted-quad IPv4 address, four decimal parts, no leading zeros. */
export function checkIpv4(value: unknown, what = 'address'): string {
  if (typeof value !== 'string' || !/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(value)) {
    throw new InvalidValueError(`"${String(value).slice(0, 40)}" is not a valid IPv4 ${what}.`);
  }
  return ipaddr.IPv4.parse(value).toString();
}

export function checkPrefixLength(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 32) {
    throw new InvalidValueError(`"${String(value)}" is not a valid IPv4 prefix length.`);
  }
  return value;
}

/** An absolute path without control characters, "..", or a leading dash in any part. */
export function checkPath(value: unknown, what = 'path'): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.length > 1024 ||
    /[\u0000-\u001f\u007f]/.test(value) ||
    value.split('/').some((part) => part === '..' || part.startsWith('-'))
  ) {
    throw new InvalidValueError(`The ${what} "${String(value).slice(0, 80)}" must be an absolute path without control characters or "..".`);
  }
  return value;
}

/** systemd unit names as systemd allows them. */
export function checkUnitName(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9:_.\\@-]{1,255}$/.test(value) || value.startsWith('-')) {
    throw new InvalidValueError(`"${String(value).slice(0, 80)}" is not a valid systemd unit name.`);
  }
  return value.includes('.') ? value : `${value}.service`;
}

export function checkPort(value: unknown): number {
  const port = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidValueError(`"${String(value)}" is not a valid TCP port (1-65535).`);
  }
  return port;
}

/** Host names and IPv4/IPv6 literals (for ssh targets, TCP and HTTP checks). */
export function checkHost(value: unknown): string {
  if (typeof value !== 'string') throw new InvalidValueError('A host name is required.');
  if (ipaddr.isValid(value)) return value;
  if (/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(value)) return value;
  throw new InvalidValueError(`"${value.slice(0, 80)}" is not a valid host name or address.`);
}

export function checkUserName(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(value)) {
    throw new InvalidValueError(`"${String(value).slice(0, 40)}" is not a valid user name.`);
  }
  return value;
}

/** Process names as /proc/PID/comm holds them (or longer names to compare by prefix). */
export function checkProcessName(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255 || /[\u0000-\u001f\u007f/]/.test(value)) {
    throw new InvalidValueError(`"${String(value).slice(0, 40)}" is not a valid process name.`);
  }
  return value;
}

/** A positive process id. */
export function checkPid(value: unknown): number {
  const pid = typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid < 2) throw new InvalidValueError(`"${String(value)}" is not a process id.`);
  return pid;
}

/** Quotes one word for a POSIX shell (ssh passes its command line to the remote user's shell). */
export function shellQuote(word: string): string {
  if (word.includes('\u0000')) throw new InvalidValueError('A command argument contains a NUL byte.');
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
