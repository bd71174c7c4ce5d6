// Open-addressing hash tables keyed by one to four 32-bit words, with
// per-entry packet/byte counters and a flags byte. Built for the per-packet
// hot path: no allocation per lookup, a cheap hash per key width, bounded
// size (new keys are refused once `maxEntries` is reached, so memory stays
// bounded on hostile input).

function hash1(a: number): number {
  const h = Math.imul(a, 0x9e3779b1);
  return h ^ (h >>> 16);
}
function hash2(a: number, b: number): number {
  const h = Math.imul(a ^ Math.imul(b, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 16);
}
function hash3(a: number, b: number, c: number): number {
  const h = Math.imul(a ^ Math.imul(b ^ Math.imul(c, 0xc2b2ae35), 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 16);
}
function hash4(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x7f4a7c15, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ b, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ c, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ d, 0x27d4eb2f);
  return h ^ (h >>> 15);
}

export class KeyTable {
  size = 0;
  /** Set once a new key was refused because the table is full. */
  saturated = false;
  private cap: number;
  private mask: number;
  keys: Int32Array;
  used: Uint8Array;
  packets: Float64Array;
  bytes: Float64Array;
  flags: Uint8Array;

  constructor(
    /** Key words used: 1, 2, 3 or 4; call the matching findN. */
    private readonly width: 1 | 2 | 3 | 4,
    private readonly withCounts: boolean,
    private readonly maxEntries = 1 << 19,
    initialCap = 256,
  ) {
    this.cap = initialCap;
    this.mask = initialCap - 1;
    this.keys = new Int32Array(initialCap * 4);
    this.used = new Uint8Array(initialCap);
    this.flags = new Uint8Array(initialCap);
    this.packets = new Float64Array(withCounts ? initialCap : 0);
    this.bytes = new Float64Array(withCounts ? initialCap : 0);
  }

  private hash(a: number, b: number, c: number, d: number): number {
    switch (this.width) {
      case 1:
        return hash1(a);
      case 2:
        return hash2(a, b);
      case 3:
        return hash3(a, b, c);
      default:
        return hash4(a, b, c, d);
    }
  }

  /** Slot of a one-word key, inserted when new; -1 when new and the table is full. */
  find1(a: number): number {
    const keys = this.keys;
    const used = this.used;
    const mask = this.mask;
    let i = hash1(a) & mask;
    for (;;) {
      if (used[i] === 0) return this.insert(i, a, 0, 0, 0);
      if (keys[i << 2] === a) return i;
      i = (i + 1) & mask;
    }
  }

  find2(a: number, b: number): number {
    const keys = this.keys;
    const used = this.used;
    const mask = this.mask;
    let i = hash2(a, b) & mask;
    for (;;) {
      if (used[i] === 0) return this.insert(i, a, b, 0, 0);
      const k = i << 2;
      if (keys[k] === a && keys[k + 1] === b) return i;
      i = (i + 1) & mask;
    }
  }

  find3(a: number, b: number, c: number): number {
    const keys = this.keys;
    const used = this.used;
    const mask = this.mask;
    let i = hash3(a, b, c) & mask;
    for (;;) {
      if (used[i] === 0) return this.insert(i, a, b, c, 0);
      const k = i << 2;
      if (keys[k] === a && keys[k + 1] === b && keys[k + 2] === c) return i;
      i = (i + 1) & mask;
    }
  }

  find4(a: number, b: number, c: number, d: number): number {
    const keys = this.keys;
    const used = this.used;
    const mask = this.mask;
    let i = hash4(a, b, c, d) & mask;
    for (;;) {
      if (used[i] === 0) return this.insert(i, a, b, c, d);
      const k = i << 2;
      if (keys[k] === a && keys[k + 1] === b && keys[k + 2] === c && keys[k + 3] === d) return i;
      i = (i + 1) & mask;
    }
  }

  private insert(i: number, a: number, b: number, c: number, d: number): number {
    if (this.size >= this.maxEntries) {
      this.saturated = true;
      return -1;
    }
    if ((this.size + 1) * 2 > this.cap) {
      this.grow();
      i = this.hash(a, b, c, d) & this.mask;
      while (this.used[i] !== 0) i = (i + 1) & this.mask;
    }
    this.used[i] = 1;
    const k = i << 2;
    this.keys[k] = a;
    this.keys[k + 1] = b;
    this.keys[k + 2] = c;
    this.keys[k + 3] = d;
    this.size++;
    return i;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldUsed = this.used;
    const oldPackets = this.packets;
    const oldBytes = this.bytes;
    const oldFlags = this.flags;
    const oldCap = this.cap;
    const cap = oldCap * 2;
    this.cap = cap;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap * 4);
    this.used = new Uint8Array(cap);
    this.flags = new Uint8Array(cap);
    this.packets = new Float64Array(this.withCounts ? cap : 0);
    this.bytes = new Float64Array(this.withCounts ? cap : 0);
    for (let j = 0; j < oldCap; j++) {
      if (oldUsed[j] === 0) continue;
      const k = j << 2;
      const a = oldKeys[k]!;
      const b = oldKeys[k + 1]!;
      const c = oldKeys[k + 2]!;
      const d = oldKeys[k + 3]!;
      let i = this.hash(a, b, c, d) & this.mask;
      while (this.used[i] !== 0) i = (i + 1) & this.mask;
      this.used[i] = 1;
      const n = i << 2;
      this.keys[n] = a;
      this.keys[n + 1] = b;
      this.keys[n + 2] = c;
      this.keys[n + 3] = d;
      this.flags[i] = oldFlags[j]!;
      if (this.withCounts) {
        this.packets[i] = oldPackets[j]!;
        this.bytes[i] = oldBytes[j]!;
      }
    }
  }

  /** Calls fn for each used slot. */
  forEach(fn: (slot: number) => void): void {
    for (let i = 0; i < this.cap; i++) if (this.used[i] !== 0) fn(i);
  }
}
