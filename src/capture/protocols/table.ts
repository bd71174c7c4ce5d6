// The dissector table. Each protocol file declares itself once with
// `defineProtocol` (its Wireshark display-filter name, OT or not, where it is
// found, the first payload bytes its heuristic trusts, its confirm function and
// an example payload); the table assigns the id and fills the lookup tables the
// analyzer's hot path reads: port -> check, EtherType -> check, first payload
// byte -> heuristic checks, and the ISO-on-TCP sub-table (first byte of COTP
// data -> checks). Non-OT traffic costs one array lookup per packet.
//
// A check gets the packet bytes, the payload range [s, e) and the analyzer's
// per-segment context. A protocol's confirm says yes or no and the table keeps
// its id beside it (CHECK_IDS): the hot path calls the confirm function itself,
// with no wrapper call in between; a carrier (ISO-on-TCP) returns the id of
// what rides on it, or -1.

import { protoId } from '../protocols.js';

/** What a check may know about the TCP segment it is looking at (TPKT continuations). */
export interface SegmentContext {
  /** A hash of the TCP flow (addresses and ports, direction included); 0 off TCP. */
  segmentFlow: number;
  /** Per-analysis state of flows with a PDU continued in later segments: flow -> (bytes left, protocol id). */
  continued: Map<number, { left: number; id: number }>;
}

export type Confirm = (b: Uint8Array, s: number, e: number, cx: SegmentContext) => boolean;
/** A carrier's check: the id of the protocol it carries, or -1. */
export type CarrierCheck = (b: Uint8Array, s: number, e: number, cx: SegmentContext) => number;
export type Check = Confirm | CarrierCheck;

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

const NONE: Confirm = () => false;
/** A protocol known by its port: any payload. */
const ANY_PAYLOAD: Confirm = (_b, s, e) => e > s;
/** CHECK_IDS value of a carrier: its check returns the id itself. */
export const CARRIER = -2;

/** Check index 0 is "none"; ports, EtherTypes and heuristics index into it. */
export const CHECKS: Check[] = [NONE];
/** The protocol id a confirm at the same index stands for (CARRIER for a carrier's check). */
export const CHECK_IDS: number[] = [-1];
export const tcpPorts = new Uint8Array(65536);
export const udpPorts = new Uint8Array(65536);
export const etherTypes = new Map<number, number>();
export const heuristics: number[][] = Array.from({ length: 256 }, () => []);
/** ISO-on-TCP sub-table: first byte of COTP data -> what rides on it (confirm and id). */
export const cotpPayloads: { confirm: Confirm; id: number }[][] = Array.from({ length: 256 }, () => []);

const registered: Protocol[] = [];
const byId = new Map<number, Protocol>();

/** Every registered protocol, in registration order. */
export function protocols(): readonly Protocol[] {
  return registered;
}
export function protocolById(id: number): Protocol | undefined {
  return byId.get(id);
}

function index(check: Check, id: number): number {
  let i = 1;
  while (i < CHECKS.length && !(CHECKS[i] === check && CHECK_IDS[i] === id)) i++;
  if (i === CHECKS.length) {
    CHECKS.push(check);
    CHECK_IDS.push(id);
  }
  if (i > 255) throw new Error('dissector table: more than 255 checks');
  return i;
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
  const main = decl.confirm ?? ANY_PAYLOAD;
  for (const b of decl.bindings) {
    if (b.confirm && !b.example) throw new Error(`${decl.name}: a binding with its own confirm needs its own example`);
    const check = b.confirm ?? main;
    for (const v of b.values) {
      if (b.on === 'tcp') claim(tcpPorts, v, index(check, id), decl.name, 'tcp');
      else if (b.on === 'udp') claim(udpPorts, v, index(check, id), decl.name, 'udp');
      else if (b.on === 'cotp') cotpPayloads[v]!.push({ confirm: check, id });
      else {
        if (etherTypes.has(v)) throw new Error(`${decl.name}: EtherType 0x${v.toString(16)} is already registered`);
        etherTypes.set(v, index(check, id));
      }
    }
  }
  if (decl.heuristic) {
    if (!decl.confirm) throw new Error(`${decl.name}: a heuristic needs a confirm function`);
    const i = index(main, id);
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
export function registerCarrier(bindings: { tcp: number[]; heuristic: number[] }, check: CarrierCheck): void {
  const i = index(check, CARRIER);
  for (const p of bindings.tcp) claim(tcpPorts, p, i, 'carrier', 'tcp');
  for (const f of bindings.heuristic) if (!heuristics[f]!.includes(i)) heuristics[f]!.push(i);
}
