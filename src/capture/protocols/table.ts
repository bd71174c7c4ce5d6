// The dissector table. Each protocol file declares itself once with
// `defineProtocol` (its Wireshark display-filter name, OT or not, where it is
// found, the first payload bytes its heuristic trusts, its confirm function and
// an example payload); the table assigns the id and fills the lookup tables the
// analyzer's hot path reads: port -> check, EtherType -> check, first payload
// byte -> heuristic checks, and the ISO-on-TCP sub-table (first byte of COTP
// data -> checks). Non-OT traffic costs one array lookup per packet.
//
// A check gets the packet bytes, the payload range [s, e) and the analyzer's
// per-segment context, and returns a protocol id or -1.

import { protoId } from '../protocols.js';

/** What a check may know about the TCP segment it is looking at (TPKT continuations). */
export interface SegmentContext {
  /** A hash of the TCP flow (addresses and ports, direction included); 0 off TCP. */
  segmentFlow: number;
  /** Per-analysis state of flows with a PDU continued in later segments: flow -> (bytes left, protocol id). */
  continued: Map<number, { left: number; id: number }>;
}

export type Check = (b: Uint8Array, s: number, e: number, cx: SegmentContext) => number;
export type Confirm = (b: Uint8Array, s: number, e: number, cx: SegmentContext) => boolean;

/** Where a protocol is found: TCP/UDP ports, EtherTypes, or the first byte of COTP data (ISO-on-TCP). */
export interface Binding {
  on: 'tcp' | 'udp' | 'ether' | 'cotp';
  values: number[];
  /** Overrides the declaration's confirm for this binding (e.g. FINS over UDP)... */
  confirm?: Confirm;
  /** ...and then says what it accepts. */
  example?: () => Uint8Array;
}

export interface ProtocolDeclaration {
  /** The Wireshark display-filter name, e.g. "mbtcp"; the report and hierarchy name. */
  name: string;
  /** Industrial (reported under OT protocols and judged by the verdict) or not. */
  ot: boolean;
  bindings: Binding[];
  /** First payload bytes on which `confirm` is tried on any TCP/UDP port. */
  heuristic?: number[];
  /** Payload check; absent: the protocol is known by its port only (encrypted or unconfirmable). */
  confirm?: Confirm;
  /** A payload this declaration identifies (for cotp bindings: the COTP data), to build test and simulator traffic. */
  example: () => Uint8Array;
}

export interface Protocol extends Readonly<ProtocolDeclaration> {
  readonly id: number;
  /** true when only the port identifies it (no confirm function). */
  readonly byPortOnly: boolean;
}

const NONE: Check = () => -1;

/** Check index 0 is "none"; ports, EtherTypes and heuristics index into it. */
export const CHECKS: Check[] = [NONE];
export const tcpPorts = new Uint8Array(65536);
export const udpPorts = new Uint8Array(65536);
export const etherTypes = new Map<number, number>();
export const heuristics: number[][] = Array.from({ length: 256 }, () => []);
/** ISO-on-TCP sub-table: first byte of COTP data -> checks of what rides on it. */
export const cotpPayloads: Check[][] = Array.from({ length: 256 }, () => []);

const registered: Protocol[] = [];
const byId = new Map<number, Protocol>();

/** Every registered protocol, in registration order. */
export function protocols(): readonly Protocol[] {
  return registered;
}
export function protocolById(id: number): Protocol | undefined {
  return byId.get(id);
}

function index(check: Check): number {
  let i = CHECKS.indexOf(check);
  if (i < 0) {
    i = CHECKS.length;
    CHECKS.push(check);
  }
  if (i > 255) throw new Error('dissector table: more than 255 checks');
  return i;
}

/** A check that returns `id` when `confirm` accepts (or always, for a port-only protocol). */
function checkFor(id: number, confirm: Confirm | undefined): Check {
  if (!confirm) return (_b, s, e) => (e > s ? id : -1);
  return (b, s, e, cx) => (confirm(b, s, e, cx) ? id : -1);
}

function claim(table: Uint8Array, port: number, check: number, name: string, on: string): void {
  if (table[port] !== 0) throw new Error(`${name}: ${on} port ${port} is already registered`);
  table[port] = check;
}

/**
 * Registers a protocol: assigns its id and fills the tables. A second
 * declaration of the same name, or a port/EtherType someone else holds, is an
 * error at load time (a test loads every file).
 */
export function defineProtocol(decl: ProtocolDeclaration): Protocol {
  if (registered.some((p) => p.name === decl.name)) throw new Error(`protocol ${decl.name} is registered twice`);
  const id = protoId(decl.name);
  if (id >= 256) throw new Error(`protocol ${decl.name}: no id left below 256`);
  const protocol: Protocol = Object.freeze({ ...decl, id, byPortOnly: decl.confirm === undefined });
  const main = checkFor(id, decl.confirm);
  for (const b of decl.bindings) {
    if (b.confirm && !b.example) throw new Error(`${decl.name}: a binding with its own confirm needs its own example`);
    const check = b.confirm ? checkFor(id, b.confirm) : main;
    for (const v of b.values) {
      if (b.on === 'tcp') claim(tcpPorts, v, index(check), decl.name, 'tcp');
      else if (b.on === 'udp') claim(udpPorts, v, index(check), decl.name, 'udp');
      else if (b.on === 'cotp') cotpPayloads[v]!.push(check);
      else {
        if (etherTypes.has(v)) throw new Error(`${decl.name}: EtherType 0x${v.toString(16)} is already registered`);
        etherTypes.set(v, index(check));
      }
    }
  }
  if (decl.heuristic) {
    if (!decl.confirm) throw new Error(`${decl.name}: a heuristic needs a confirm function`);
    const i = index(main);
    for (const f of decl.heuristic) if (!heuristics[f]!.includes(i)) heuristics[f]!.push(i);
  }
  registered.push(protocol);
  byId.set(id, protocol);
  return protocol;
}

/**
 * A carrier (ISO-on-TCP) registers its own check on ports and first bytes
 * without being a reported protocol itself.
 */
export function registerCarrier(bindings: { tcp: number[]; heuristic: number[] }, check: Check): void {
  const i = index(check);
  for (const p of bindings.tcp) claim(tcpPorts, p, i, 'carrier', 'tcp');
  for (const f of bindings.heuristic) if (!heuristics[f]!.includes(i)) heuristics[f]!.push(i);
}
