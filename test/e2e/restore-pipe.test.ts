// system restore asks the appliance's two questions word for word, answers piped.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOtshell, tempStateDir } from '../helpers/cli.js';

describe('system restore through a pipe', () => {
  it('asks both questions exactly; Enter takes yes; then restores', async () => {
    const temp = tempStateDir();
    try {
      await runOtshell(['system', 'backup', 'create'], { stateDir: temp.dir });
      await runOtshell(['ntp', 'enable', '10.1.0.4'], { stateDir: temp.dir });
      const list = await runOtshell(['system', 'backup', 'list', '--json'], { stateDir: temp.dir });
      const name = JSON.parse(list.stdout).files[0].name as string;
      const result = await runOtshell(['system', 'restore'], { stateDir: temp.dir, input: '\ny\n' });
      expect(result.stdout).toContain(`Use backup file as "${name}" ? [Y/n]: `);
      expect(result.stdout).toContain(
        'WARNING - the following procedure will restore data. do not stop or power off the server machine while this procedure is running. Are you sure you wish to proceed? [Y/n]: ',
      );
      expect(result.stdout).toMatch(/ntp-servers\.json\s+will be restored \(differs from now\)/);
      expect(result.stdout).toContain(`Restored ${join(temp.dir, 'backups', name)}: network-settings.json, ntp-servers.json.`);
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(readFileSync(join(temp.dir, 'simulator.json'), 'utf8')).ntp.servers).toEqual([]);
    } finally {
      temp.cleanup();
    }
  });

  it('closed input at a question: cancelled, exit 130, nothing restored', async () => {
    const temp = tempStateDir();
    try {
      await runOtshell(['system', 'backup'], { stateDir: temp.dir });
      await runOtshell(['ntp', 'enable', '10.1.0.4'], { stateDir: temp.dir });
      const before = readFileSync(join(temp.dir, 'simulator.json'), 'utf8');
      const result = await runOtshell(['system', 'restore'], { stateDir: temp.dir, input: 'y\n' });
      expect(result.exitCode).toBe(130);
      expect(readFileSync(join(temp.dir, 'simulator.json'), 'utf8')).toBe(before);
    } finally {
      temp.cleanup();
    }
  });

  it('an audit log that cannot be written: refused (exit 78), the state unchanged', async () => {
    const temp = tempStateDir();
    try {
      await runOtshell(['system', 'backup'], { stateDir: temp.dir });
      await runOtshell(['ntp', 'enable', '10.1.0.4'], { stateDir: temp.dir });
      const before = readFileSync(join(temp.dir, 'simulator.json'), 'utf8');
      const { rmSync, mkdirSync } = await import('node:fs');
      rmSync(join(temp.dir, 'audit.jsonl'));
      mkdirSync(join(temp.dir, 'audit.jsonl'));
      const result = await runOtshell(['system', 'restore', '--yes'], { stateDir: temp.dir });
      expect(result.stderr).toMatch(/The audit log .* cannot be written .*Nothing was applied\./);
      expect(result.exitCode).toBe(78);
      expect(readFileSync(join(temp.dir, 'simulator.json'), 'utf8')).toBe(before);
    } finally {
      temp.cleanup();
    }
  });
});
