// Address formatting and classification (kept off the per-packet path).

const hex2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');

/** MAC from the two key words (hi = first 2 bytes, lo = last 4). */
export function formatMac(hi: number, lo: number): string {
  return [hi >>> 8, hi, lo >>> 24, lo >>> 16, lo >>> 8, lo].map(hex2).join(':');
}

export function formatIpv4(a: number): string {
  return `${(a >>> 24) & 0xff}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

/** RFC 5952 text form of an IPv6 address given as four 32-bit words. */
export function formatIpv6(w: ArrayLike<number>): string {
  const groups: number[] = [];
  for (let i = 0; i < 4; i++) {
    groups.push((w[i]! >>> 16) & 0xffff, w[i]! & 0xffff);
  }
  // IPv4-mapped ::ffff:a.b.c.d
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${formatIpv4(w[3]!)}`;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const part = (a: number[]) => a.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return part(groups);
  return `${part(groups.slice(0, bestStart))}::${part(groups.slice(bestStart + bestLen))}`;
}

/** Private or otherwise non-routable IPv4 unicast ranges. */
export function isPrivateIpv4(a: number): boolean {
  const o1 = (a >>> 24) & 0xff;
  const o2 = (a >>> 16) & 0xff;
  return (
    o1 === 10 ||
    o1 === 127 ||
    o1 === 0 ||
    (o1 === 172 && o2 >= 16 && o2 <= 31) ||
    (o1 === 192 && o2 === 168) ||
    (o1 === 169 && o2 === 254) ||
    (o1 === 100 && o2 >= 64 && o2 <= 127) ||
    (o1 === 192 && o2 === 0 && ((a >>> 8) & 0xff) === 0) ||
    (o1 === 198 && (o2 === 18 || o2 === 19))
  );
}

/** Unique-local, link-local, site-local, loopback, or IPv4-mapped private. */
export function isPrivateIpv6(w: ArrayLike<number>): boolean {
  const top = (w[0]! >>> 16) & 0xffff;
  if ((top & 0xfe00) === 0xfc00) return true; // fc00::/7
  if ((top & 0xffc0) === 0xfe80 || (top & 0xffc0) === 0xfec0) return true; // fe80::/10, fec0::/10
  if (w[0] === 0 && w[1] === 0) {
    if (w[2] === 0 && w[3] === 1) return true; // ::1
    if (w[2] === 0xffff) return isPrivateIpv4(w[3]! >>> 0);
  }
  return false;
}
