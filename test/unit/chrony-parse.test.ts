// chronyc's CSV output and otshell's sources file, as the Linux NTP adapter reads them.
import { describe, expect, it } from 'vitest';
import { parseChronySources, parseChronyTracking, parseSourcesFile, sourcesFileText } from '../../src/system/linux/ntp.js';
import { backupFileName, isBackupFileName } from '../../src/system/backup/archive.js';

describe('chrony output', () => {
  it('sources: the selected one, candidates, unreachable, other modes ignored', () => {
    const csv = ['^,*,10.78.0.1,8,6,377,33,0.000001,0.000001,0.000027', '^,+,10.78.0.2,2,6,377,30,0.1,0.1,0.1', '^,?,10.78.0.9,0,6,0,-,0,0,0', '^,?,10.78.0.3,3,6,3,2,0,0,0', '#,*,PPS,0,4,377,1,0,0,0', 'garbage'].join('\n');
    expect(Object.fromEntries(parseChronySources(csv))).toEqual({
      '10.78.0.1': { state: 'synchronised', stratum: 8 },
      '10.78.0.2': { state: 'candidate', stratum: 2 },
      '10.78.0.9': { state: 'unreachable', stratum: null },
      '10.78.0.3': { state: 'candidate', stratum: 3 },
    });
  });

  it('tracking: synchronised, and not', () => {
    expect(parseChronyTracking('0A4E0001,10.78.0.1,9,1764385000.1,-0.000012,0.0,0.0,1.0,0.0,0.1,0.0001,0.001,64.0,Normal\n')).toEqual({ synchronised: true, reference: '10.78.0.1', stratum: 9, offsetSeconds: -0.000012 });
    expect(parseChronyTracking('00000000,,0,0.000000000,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000,1.000000000,1.000000000,0.0,Not synchronised\n').synchronised).toBe(false);
    expect(parseChronyTracking('').synchronised).toBe(false);
  });

  it('the sources file round-trips and ignores comments', () => {
    expect(parseSourcesFile(sourcesFileText(['10.1.0.4', '10.1.0.5']))).toEqual(['10.1.0.4', '10.1.0.5']);
    expect(parseSourcesFile('# server 1.2.3.4\npool 10.0.0.1 iburst\n')).toEqual(['10.0.0.1']);
    expect(parseSourcesFile(null)).toEqual([]);
  });
});

describe('backup file names', () => {
  it('<hostname>-backup-version-<version>-<UTC time>.tar, no ":" and nothing unsafe', () => {
    const name = backupFileName('D4Iot', '22.2.5.9-r-2121448', new Date('2026-11-29T03:15:02.123Z'));
    expect(name).toBe('D4Iot-backup-version-22.2.5.9-r-2121448-2026-11-29T03-15-02Z.tar');
    expect(isBackupFileName(name)).toBe(true);
    expect(backupFileName('a/../b', 'v 1', new Date(0))).toBe('a_.._b-backup-version-v_1-1970-01-01T00-00-00Z.tar');
  });
});
