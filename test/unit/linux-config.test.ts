// The real-host config files: clear messages for bad YAML and bad fields.
import { describe, expect, it } from 'vitest';
import { parseServices } from '../../src/system/linux/services.js';
import { loadConfig, DEFAULT_NETPLAN_FILE } from '../../src/system/linux/config.js';
import type { Runner } from '../../src/system/linux/runner.js';

/** A runner that only reads one in-memory file: enough for loadConfig. */
function fileRunner(text: string | null): Runner {
  return { target: 'local', readFile: async () => text } as unknown as Runner;
}

describe('services.yaml', () => {
  it('parses every kind of check', () => {
    const file = parseServices(
      'profile: medium\nservices:\n  - { name: Core API, unit: core.service }\n  - { name: DB, tcp: "127.0.0.1:5432" }\n  - { name: Web, http: "http://127.0.0.1:8080/health" }\n  - { name: Cache, process: redis-server }\n',
      '/etc/otshell/services.yaml',
    );
    expect(file.profile).toBe('medium');
    expect(file.services.map((s) => s.name)).toEqual(['Core API', 'DB', 'Web', 'Cache']);
    expect(file.services[1]!.tcp).toEqual({ host: '127.0.0.1', port: 5432 });
  });

  it.each([
    ['services: [', /services\.yaml is not valid YAML/],
    ['services: []', /invalid at "services"/],
    ['services:\n  - { name: X }', /each service needs unit, process, tcp or http/],
    ['services:\n  - { name: X, unit: a.service, colour: red }', /invalid at "services\.0"/],
    ['services:\n  - { name: 7, unit: a.service }', /invalid at "services\.0\.name": Invalid input: expected string, received number/],
  ])('refuses %j with a clear message', (text, message) => {
    expect(() => parseServices(text, '/etc/otshell/services.yaml')).toThrow(message);
  });
});

describe('otshell.yaml', () => {
  it('falls back to defaults when the file is missing', async () => {
    const config = await loadConfig(fileRunner(null), '/etc/otshell/otshell.yaml');
    expect(config).toMatchObject({ exists: false, netplanFile: DEFAULT_NETPLAN_FILE, confirmTimeoutSeconds: 120 });
  });

  it('reads roles and paths', async () => {
    const config = await loadConfig(fileRunner('roles: { management: eth0, monitor: [eth1, eth2] }\nconfirmTimeoutSeconds: 30\n'), '/x.yaml');
    expect(config.roles).toEqual({ management: 'eth0', monitor: ['eth1', 'eth2'], bridge: null });
    expect(config.confirmTimeoutSeconds).toBe(30);
  });

  it.each([
    ['roles: { management: "eth0; reboot" }', /invalid at "roles\.management": not a valid interface name/],
    ['netplan: { file: relative.yaml }', /invalid at "netplan\.file": must be an absolute path/],
    ['confirmTimeoutSeconds: 2', /invalid at "confirmTimeoutSeconds"/],
    ['colour: red', /invalid at/],
    ['roles: [', /is not valid YAML/],
  ])('refuses %j with a clear message', async (text, message) => {
    await expect(loadConfig(fileRunner(text), '/etc/otshell/otshell.yaml')).rejects.toThrow(message);
  });
});
