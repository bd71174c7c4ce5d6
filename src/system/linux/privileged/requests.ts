// The privileged helper's whole vocabulary: the SystemAdapter operations that
// need root, each with exactly its arguments. A request is one JSON object on
// stdin, at most MAX_REQUEST_BYTES; anything else (unknown operation, a field
// too many, a value of the wrong type or outside the rules) is refused before
// anything runs. The values are checked again with the rules the editor uses
// (src/net/settings-rules.ts and checks.ts), because the caller is not trusted.
import * as z from 'zod/mini';
import { validateAddress, validateDns, validateMask } from '../../../net/settings-rules.js';
import { checkSettings } from '../settings-plan.js';
import type { NetworkSettings } from '../../adapter.js';

/** Large enough for any real request (a few hundred bytes), small enough to read whole. */
export const MAX_REQUEST_BYTES = 16 * 1024;

const unixUser = z.string().check(z.regex(/^[a-z_][a-z0-9_.-]{0,31}$/, 'not a valid user name'));
const name = z.string().check(z.maxLength(15));
/** Where the caller says it is: a TTY path, "console", or an SSH client address (as the caller reports it). */
const source = z.string().check(z.regex(/^[A-Za-z0-9_.:/-]{1,64}$/, 'not a TTY or an address'));
const address = z.string().check(z.maxLength(15));
const settings = z.strictObject({
  managementInterface: name,
  ip: address,
  prefixLength: z.int().check(z.minimum(1), z.maximum(32)),
  gateway: address,
  dns: z.array(address).check(z.maxLength(3)),
  inputInterfaces: z.array(name).check(z.maxLength(64)),
  bridgeInterface: z.nullable(name),
});

const RequestSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('apply-network-settings'), settings, confirmTimeoutSeconds: z.optional(z.int().check(z.minimum(5), z.maximum(3600))) }),
  z.strictObject({ op: z.literal('confirm-network-settings') }),
  z.strictObject({ op: z.literal('reboot') }),
  z.strictObject({ op: z.literal('shutdown') }),
  // The password is checked for what chpasswd's "user:password" line can carry; strength rules are the command's.
  // The current one goes to unix_chkpwd, NUL-terminated: no control characters either.
  z.strictObject({
    op: z.literal('change-password'),
    user: unixUser,
    current: z.string().check(z.minLength(1), z.maxLength(256), z.regex(/^[^\x00-\x1f\x7f]*$/, 'contains a control character')),
    password: z.string().check(z.minLength(8), z.maxLength(256), z.regex(/^[^\x00-\x1f\x7f:]*$/, 'contains a control character or a colon')),
    source: z.optional(source),
  }),
  // The login shell's own session lines; who it is comes from sudo, never from the request.
  z.strictObject({
    op: z.literal('record-session'),
    kind: z.enum(['sign-in', 'sign-out', 'timeout']),
    source,
    detail: z.optional(z.string().check(z.maxLength(120), z.regex(/^[ -~]*$/, 'not printable ASCII'))),
  }),
]);

export type PrivilegedRequest = z.infer<typeof RequestSchema>;
export const OPERATIONS = ['apply-network-settings', 'confirm-network-settings', 'reboot', 'shutdown', 'change-password', 'record-session'] as const;

/** A request refused: one line saying why; nothing was run. */
export class RequestRefused extends Error {}

/** The request from stdin's bytes, checked completely, or RequestRefused. */
export function parseRequest(bytes: Buffer): PrivilegedRequest {
  if (bytes.length > MAX_REQUEST_BYTES) throw new RequestRefused(`the request is larger than ${MAX_REQUEST_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RequestRefused('the request is not one JSON object');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new RequestRefused('the request is not one JSON object');
  const op = (raw as Record<string, unknown>).op;
  if (typeof op !== 'string' || !(OPERATIONS as readonly string[]).includes(op)) {
    throw new RequestRefused(`unknown operation (allowed: ${OPERATIONS.join(', ')})`);
  }
  const parsed = RequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const extra = issue.code === 'unrecognized_keys' ? ((issue as { keys?: string[] }).keys ?? []).join(', ') : '';
    const field = [...issue.path.map(String), ...(extra ? [extra] : [])].join('.') || '(request)';
    throw new RequestRefused(`${op}: "${field.replace(/[^\w.,-]/g, '?').slice(0, 80)}" ${issue.code === 'unrecognized_keys' ? 'is not a field of this operation' : 'is invalid'}`);
  }
  const request = parsed.data;
  if (request.op === 'apply-network-settings') request.settings = recheck(request.settings);
  return request;
}

/** The editor's rules, again: a value the wizard would refuse is refused here too. */
function recheck(next: NetworkSettings): NetworkSettings {
  let checked: NetworkSettings;
  try {
    checked = checkSettings(next);
  } catch (error) {
    throw new RequestRefused(`apply-network-settings: ${(error as Error).message}`);
  }
  const mask = validateMask(`/${checked.prefixLength}`);
  if (!mask.ok) throw new RequestRefused(`apply-network-settings: prefixLength: ${mask.reason}`);
  const ip = validateAddress(checked.ip, checked.prefixLength);
  if (!ip.ok) throw new RequestRefused(`apply-network-settings: ip: ${ip.reason}`);
  const dns = validateDns(checked.dns.join(','));
  if (checked.dns.length > 0 && !dns.ok) throw new RequestRefused(`apply-network-settings: dns: ${dns.reason}`);
  return checked;
}
