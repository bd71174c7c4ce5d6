// Feeds frames straight into an Analyzer (no capture file around them), each placed inside a
// larger buffer with filler bytes before and after it, the way a reader hands over a record in
// the middle of its chunk: a decoder that reads one byte before its start or past its end then
// reads the filler, and its result changes (issue 17: mutants that move an index by one).
import { Analyzer } from '../../../src/capture/analyzer.js';
import { buildReport } from '../../../src/capture/report.js';
import type { CaptureReport, HierarchyNode } from '../../../src/capture/types.js';

export interface FeedOptions {
  /** Seconds; NaN for a record without a timestamp. Default 1. */
  ts?: number;
  /** Original length (default: the frame's length). */
  origLen?: number;
  /** Filler byte around the frame (default 0xee). */
  fill?: number;
  /** Filler bytes before the frame (default 5). */
  before?: number;
  /** Filler bytes after the frame (default 96). */
  after?: number;
}

export function feed(an: Analyzer, linkType: number, frame: Uint8Array, o: FeedOptions = {}): void {
  const before = o.before ?? 5;
  const buf = new Uint8Array(before + frame.length + (o.after ?? 96)).fill(o.fill ?? 0xee);
  buf.set(frame, before);
  an.packet(linkType, buf, new DataView(buf.buffer), before, frame.length, o.origLen ?? frame.length, o.ts ?? 1);
}

/** A fresh analyzer fed these frames of one link type. */
export function fed(linkType: number, frames: Uint8Array[], o: FeedOptions = {}, limits: { maxFlows?: number } = {}): Analyzer {
  const an = new Analyzer(limits);
  for (const f of frames) feed(an, linkType, f, o);
  return an;
}

export const reportOf = (an: Analyzer): CaptureReport => buildReport('direct', 'pcap', an, null, false, 'direct');

/** The hierarchy as "eth/ip/tcp 3" lines (packets only), depth first. */
export function tree(r: CaptureReport): string[] {
  const out: string[] = [];
  const walk = (nodes: HierarchyNode[], at: string) => {
    for (const n of nodes) {
      out.push(`${at}${n.name} ${n.packets}`);
      walk(n.children, `${at}${n.name}/`);
    }
  };
  walk(r.hierarchy, '');
  return out;
}

/** Where packets ended ("eth/ip/tcp/http 2"): each node with its own packets (not its children's). */
export function ends(r: CaptureReport): string[] {
  const out: string[] = [];
  const walk = (nodes: HierarchyNode[], at: string) => {
    for (const n of nodes) {
      const own = n.packets - n.children.reduce((a, c) => a + c.packets, 0);
      if (own > 0) out.push(`${at}${n.name} ${own}`);
      walk(n.children, `${at}${n.name}/`);
    }
  };
  walk(r.hierarchy, '');
  return out.sort();
}

export const detail = (r: CaptureReport, id: string) => r.verdict.checks.find((c) => c.id === id)?.detail;
