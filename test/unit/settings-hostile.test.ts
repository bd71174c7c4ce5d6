// The acceptance table of hostile inputs: each one is refused with a specific
// message, the same through the wizard's Validator and the flag form, and the
// current settings are left untouched.
import { describe, expect, it } from 'vitest';
import { settingsFromFlags } from '../../src/commands/network/settings-flags.js';
import { quoteInput } from '../../src/net/settings-rules.js';
import { current, flagOf, interfaces, table, wizardCheck } from './settings-hostile-table.js';

describe('hostile inputs', () => {
  it('has at least 40 rows', () => {
    expect(table.length).toBeGreaterThanOrEqual(40);
  });

  // Titles show the input the way the messages do: escaped and cut short.
  const rows = table.map(([field, input, ...fragments]) => ({ field, input, fragments, shown: quoteInput(input) }));
  it.each(rows)('$field $shown is refused with a specific message', ({ field, input, fragments }) => {
    const message = wizardCheck[field](input);
    expect(message).not.toBeNull();
    for (const fragment of fragments) expect(message).toContain(fragment);
    // Safe to print: plain ASCII, no control characters, never a flood.
    expect(message).toMatch(/^[\x20-\x7e]+$/);
    expect(message!.length).toBeLessThanOrEqual(240);

    // The flag form refuses it with the same words, prefixed by its flag.
    const [key, flag] = flagOf[field];
    const result = settingsFromFlags(current, { [key]: input }, interfaces);
    expect(result).toEqual({ ok: false, errors: [`${flag}: ${message}`] });
  });

  it('leaves the current settings untouched (frozen, and equal to the original)', () => {
    expect(JSON.stringify(current)).toBe(
      '{"managementInterface":"eth0","ip":"10.1.0.20","prefixLength":24,"gateway":"10.1.0.1",' +
        '"dns":["10.1.0.2"],"inputInterfaces":["eth1","eth2"],"bridgeInterface":null}',
    );
  });
});
