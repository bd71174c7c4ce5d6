// Property-based tests: each validator accepts exactly what an independent
// oracle, written here with plain arithmetic on 32-bit numbers, says is valid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../helpers/property-runs.js';
import {
  quoteInput,
  validateAddress,
  validateBridge,
  validateDns,
  validateGateway,
  validateInputInterfaces,
  validateMask,
  type InterfaceRules,
} from '../../src/net/settings-rules.js';

const RUNS = propertyRuns(3000);

/**
 * Counts the oracle's verdicts so a property also proves its generators reach
 * both sides: a generator producing only invalid input would pass vacuously.
 */
function verdicts() {
  const seen = { valid: 0, invalid: 0 };
  return {
    note(valid: boolean) {
      seen[valid ? 'valid' : 'invalid']++;
      return valid;
    },
    expectBoth(minShare = 0.1) {
      const total = seen.valid + seen.invalid;
      expect(seen.valid / total).toBeGreaterThan(minShare);
      expect(seen.invalid / total).toBeGreaterThan(minShare);
    },
  };
}

// ------------------------------------------------------------------ oracle

/** Strict dotted quad -> 32-bit number, or null. No ipaddr.js here. */
function oracleParse(text: string): number | null {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    n = n * 256 + value;
  }
  return n;
}

const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

function oracleUnicast(n: number): boolean {
  const first = n >>> 24;
  return first !== 0 && first !== 127 && first < 224; // 0/8, loopback, 224/4 multicast and 240/4 (incl. broadcast)
}

function oracleHost(n: number, prefix: number): boolean {
  const host = (n & ~maskOf(prefix)) >>> 0;
  return host !== 0 && host !== (~maskOf(prefix) >>> 0);
}

function oracleAddress(text: string, prefix?: number): boolean {
  const n = oracleParse(text);
  if (n === null || !oracleUnicast(n)) return false;
  return prefix === undefined || oracleHost(n, prefix);
}

function oracleMask(text: string): number | null {
  const t = text.trim();
  const prefixForm = /^\/?(0|[1-9][0-9]*)$/.exec(t);
  if (prefixForm) {
    const p = Number(prefixForm[1]);
    return p >= 1 && p <= 30 ? p : null;
  }
  const n = oracleParse(t);
  if (n === null) return null;
  // Contiguous: the inverted mask is 2^k - 1.
  const inverted = ~n >>> 0;
  if (((inverted + 1) & inverted) >>> 0 !== 0 && inverted !== 0xffffffff) return null;
  let p = 0;
  for (let bit = 31; bit >= 0; bit--) if ((n >>> bit) & 1) p++;
  return p >= 1 && p <= 30 ? p : null;
}

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

// ------------------------------------------------------------------ generators

/** Mostly well-formed quads with interesting octets, sometimes zero-padded, short, long or out of range. */
const octet = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, 1, 10, 100, 126, 127, 128, 169, 192, 223, 224, 239, 240, 254, 255) },
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 255 }) },
  { weight: 1, arbitrary: fc.integer({ min: 256, max: 1000 }) },
);
const partCount = fc.oneof({ weight: 8, arbitrary: fc.constant(4) }, { weight: 2, arbitrary: fc.constantFrom(3, 5) });
/** Mostly well-formed quads with interesting octets, sometimes zero-padded, short, long or out of range. */
const quadLike = fc
  .record({
    octets: fc.array(octet, { minLength: 5, maxLength: 5 }),
    count: partCount,
    padAt: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }) }),
    spaces: fc.constantFrom('', '', ' ', '\t'),
  })
  .map(({ octets, count, padAt, spaces }) => {
    const parts = octets.slice(0, count).map((o, i) => (i === padAt ? `0${o}` : String(o)));
    return spaces + parts.join('.') + spaces;
  });

const junk = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789./ :x-;$()'.split('')), maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const anyAddressText = fc.oneof({ weight: 4, arbitrary: quadLike }, { weight: 1, arbitrary: junk });

const prefix = fc.integer({ min: 1, max: 30 });

// ------------------------------------------------------------------ properties

describe('validateAddress (property)', () => {
  it('accepts exactly the oracle-valid addresses, without a prefix', () => {
    const v = verdicts();
    fc.assert(
      fc.property(anyAddressText, (text) => {
        const result = validateAddress(text);
        expect(result.ok).toBe(v.note(oracleAddress(text)));
        if (result.ok) expect(result.value).toBe(text.trim());
      }),
      RUNS,
    );
    v.expectBoth();
  });

  it('accepts exactly the oracle-valid host addresses of their own subnet', () => {
    const v = verdicts();
    fc.assert(
      fc.property(anyAddressText, prefix, (text, p) => {
        expect(validateAddress(text, p).ok).toBe(v.note(oracleAddress(text, p)));
      }),
      RUNS,
    );
    v.expectBoth();
  });

  it('refuses network and broadcast addresses for any prefix, accepts the hosts next to them', () => {
    const net = fc
      .tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 0xffffff }), prefix)
      .filter(([first]) => first !== 127)
      .map(([first, rest, p]) => ({ network: ((first * 2 ** 24 + rest) & maskOf(p)) >>> 0, p }))
      // On short prefixes the network address may fall in 0/8 or similar: keep the plain cases.
      .filter(({ network, p }) => oracleUnicast(network) && oracleUnicast((network | ~maskOf(p)) >>> 0));
    fc.assert(
      fc.property(net, ({ network, p }) => {
        const broadcast = (network | ~maskOf(p)) >>> 0;
        const first = validateAddress(dotted(network), p);
        const last = validateAddress(dotted(broadcast), p);
        expect(first.ok).toBe(false);
        expect(last.ok).toBe(false);
        if (!first.ok) expect(first.reason).toContain('network address');
        if (!last.ok) expect(last.reason).toContain('broadcast address');
        expect(validateAddress(dotted(network + 1), p).ok).toBe(true);
        expect(validateAddress(dotted(broadcast - 1), p).ok).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('validateMask (property)', () => {
  const contiguous = fc
    .tuple(fc.integer({ min: 0, max: 32 }), fc.option(fc.integer({ min: 0, max: 31 }), { freq: 2 }))
    .map(([p, flip]) => (flip === null ? maskOf(p) : (maskOf(p) ^ (1 << flip)) >>> 0));
  const dottedMask = fc.oneof(contiguous, fc.integer({ min: 0, max: 0xffffffff })).map(dotted);
  const prefixText = fc
    .tuple(fc.integer({ min: -3, max: 99 }), fc.constantFrom('', '/'), fc.constantFrom('', '0'), fc.constantFrom('', ' '))
    .map(([n, slash, zero, space]) => `${space}${slash}${zero}${n}${space}`);

  // The masks people actually type, so both verdicts are well represented in every run.
  const usualMask = fc
    .tuple(fc.integer({ min: 1, max: 32 }), fc.constantFrom('dotted', '/', ''))
    .map(([p, form]) => (form === 'dotted' ? dotted(maskOf(p)) : `${form}${p}`));

  it('accepts exactly the contiguous masks /1 to /30, in dotted, /prefix and bare form', () => {
    const v = verdicts();
    fc.assert(
      fc.property(fc.oneof(dottedMask, prefixText, usualMask, quadLike, junk), (text) => {
        const result = validateMask(text);
        const expected = oracleMask(text);
        v.note(expected !== null);
        expect(result.ok ? result.value : null).toBe(expected);
      }),
      RUNS,
    );
    v.expectBoth();
  });
});

describe('validateGateway (property)', () => {
  const subnet = fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), prefix)
    .filter(([n, p]) => oracleUnicast(n) && oracleHost(n, p))
    .map(([n, p]) => ({ ip: dotted(n), n, prefixLength: p }));
  // Gateways mostly near the subnet: same network bits, random host bits; sometimes anywhere.
  const candidate = (s: { n: number; prefixLength: number }) =>
    fc.oneof(
      fc.integer({ min: 0, max: 0xffffffff }).map((r) => dotted(((s.n & maskOf(s.prefixLength)) | (r & ~maskOf(s.prefixLength))) >>> 0)),
      fc.integer({ min: 0, max: 0xffffffff }).map(dotted),
      fc.constant(dotted(s.n)),
      quadLike,
    );

  it('accepts exactly the unicast hosts of the management subnet other than the sensor', () => {
    const v = verdicts();
    fc.assert(
      fc.property(
        subnet.chain((s) => fc.tuple(fc.constant(s), candidate(s))),
        ([s, text]) => {
          const g = oracleParse(text);
          const expected =
            g !== null &&
            oracleAddress(text, s.prefixLength) &&
            (g & maskOf(s.prefixLength)) >>> 0 === (s.n & maskOf(s.prefixLength)) >>> 0 &&
            g !== s.n;
          expect(validateGateway(text, s).ok).toBe(v.note(expected));
        },
      ),
      RUNS,
    );
    v.expectBoth();
  });
});

describe('validateDns (property)', () => {
  const entry = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 0xffffffff }).map(dotted) },
    { weight: 1, arbitrary: quadLike.map((q) => q.trim()).filter((q) => q !== '') },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789.:x;$'.split('')), minLength: 1, maxLength: 12 }) },
  );
  const separator = fc.constantFrom(',', ' ', ', ', ' , ', '\t', '  ', ',,', ', ,');
  const listing = fc
    .tuple(fc.array(entry, { minLength: 0, maxLength: 5 }), fc.array(separator, { minLength: 5, maxLength: 5 }), fc.constantFrom('', ' '))
    .map(([entries, seps, pad]) => ({
      entries,
      seps: seps.slice(0, Math.max(0, entries.length - 1)),
      text: pad + entries.map((e, i) => (i === 0 ? e : seps[i - 1] + e)).join('') + pad,
    }));

  it('accepts exactly one to three distinct unicast servers with single separators', () => {
    const v = verdicts();
    fc.assert(
      fc.property(listing, ({ entries, seps, text }) => {
        const parsed = entries.map(oracleParse);
        const expected =
          entries.length >= 1 &&
          entries.length <= 3 &&
          seps.every((s) => (s.match(/,/g) ?? []).length <= 1) &&
          entries.every((e) => oracleAddress(e)) &&
          new Set(parsed).size === parsed.length;
        const result = validateDns(text);
        expect(result.ok).toBe(v.note(expected));
        if (result.ok) expect(result.value).toEqual(entries);
      }),
      RUNS,
    );
    v.expectBoth();
  });
});

describe('interface rules (property)', () => {
  const roles = fc.constantFrom('monitor', 'unused', 'bridge');
  const sensor = fc.array(roles, { minLength: 0, maxLength: 5 }).map(
    (rs): InterfaceRules => ({
      managementInterface: 'eth0',
      interfaces: [
        { name: 'eth0', role: 'management' },
        { name: 'lo', role: 'loopback' },
        ...rs.map((role, i) => ({ name: `eth${i + 1}`, role })),
      ],
    }),
  );
  const name = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('eth1', 'eth2', 'eth3', 'eth4') },
    { weight: 1, arbitrary: fc.constantFrom('eth0', 'eth5', 'lo', 'bogus', '') },
  );
  const usable = (n: string, rules: InterfaceRules) =>
    rules.interfaces.some((i) => i.name === n) && n !== 'eth0' && n !== 'lo';

  it('input interfaces: exactly the non-empty, distinct lists of existing non-management interfaces', () => {
    const v = verdicts();
    fc.assert(
      fc.property(sensor, fc.array(name, { maxLength: 4 }), (rules, names) => {
        const expected = names.length > 0 && new Set(names).size === names.length && names.every((n) => usable(n, rules));
        expect(validateInputInterfaces(names, rules).ok).toBe(v.note(expected));
      }),
      RUNS,
    );
    v.expectBoth();
  });

  it('bridge: none, or an existing interface that is neither management nor an input', () => {
    const v = verdicts();
    fc.assert(
      fc.property(sensor, fc.option(name), fc.array(name, { maxLength: 3 }), (rules, bridge, inputs) => {
        const expected = bridge === null || (usable(bridge, rules) && !inputs.includes(bridge));
        expect(validateBridge(bridge, { ...rules, inputInterfaces: inputs }).ok).toBe(v.note(expected));
      }),
      RUNS,
    );
    v.expectBoth();
  });
});

describe('messages are safe to print (property)', () => {
  const hostile = fc.string({ unit: 'binary', maxLength: 600 });
  const reasons = (text: string) =>
    [
      validateAddress(text, 24),
      validateMask(text),
      validateGateway(text, { ip: '10.1.0.20', prefixLength: 24 }),
      validateDns(text),
      validateInputInterfaces([text], { managementInterface: 'eth0', interfaces: [{ name: 'eth1', role: 'monitor' }] }),
    ].flatMap((r) => (r.ok ? [] : [r.reason]));

  it('never contain control or non-ASCII characters, and stay short', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        for (const reason of reasons(text)) {
          expect(reason).toMatch(/^[\x20-\x7e]+$/);
          expect(reason.length).toBeLessThanOrEqual(240);
        }
      }),
      propertyRuns(2000),
    );
  });

  it('quoteInput shows short input whole and cuts long input, giving its length', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abc019.'.split('')), maxLength: 200 }), (text) => {
        const quoted = quoteInput(text);
        if (text.length <= 40) expect(quoted).toBe(`"${text}"`);
        else expect(quoted).toBe(`"${text.slice(0, 40)}..." (${text.length} characters)`);
      }),
      RUNS,
    );
  });
});
