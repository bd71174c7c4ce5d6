import { describe, expect, it } from 'vitest';
import { detectStyle, localeIsUtf8, detectCaller } from '../../src/cli/environment.js';

describe('terminal style', () => {
  it('falls back to ASCII when the locale is not UTF-8 or --ascii is given', () => {
    expect(localeIsUtf8({ LANG: 'en_US.UTF-8' })).toBe(true);
    expect(localeIsUtf8({ LC_ALL: 'C', LANG: 'en_US.UTF-8' })).toBe(false); // LC_ALL wins
    expect(localeIsUtf8({ LANG: 'en_US.ISO-8859-1' })).toBe(false);
    expect(detectStyle({ LANG: 'C' }, { isTTY: true }, false).ascii).toBe(true);
    expect(detectStyle({ LANG: 'C.utf8' }, { isTTY: true }, true).ascii).toBe(true);
    expect(detectStyle({ LANG: 'C.utf8' }, { isTTY: true }, false).ascii).toBe(false);
  });
  it('uses colour only on a terminal without NO_COLOR', () => {
    expect(detectStyle({ LANG: 'C.UTF-8' }, { isTTY: true, columns: 120 }, false)).toMatchObject({ ascii: false, color: true, width: 120 });
    expect(detectStyle({ NO_COLOR: '' }, { isTTY: true }, false).color).toBe(false);
    expect(detectStyle({}, { isTTY: false }, false)).toMatchObject({ color: false, width: 80 });
  });
  it('knows the SSH client from SSH_CONNECTION', () => {
    expect(detectCaller({ SSH_CONNECTION: '192.0.2.7 51000 192.0.2.1 22', SSH_TTY: '/dev/pts/3' }, true)).toMatchObject({
      sshClient: '192.0.2.7',
      tty: '/dev/pts/3',
    });
  });
});
