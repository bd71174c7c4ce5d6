// system sanity on a real host: real processes, a TCP port, an HTTP server and a hung one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createSensorNamespace, missingParts, removeStaleNamespaces, type Namespace } from './harness.js';
import { startTestServices, type TestServices } from './services-setup.js';

const skip = missingParts(['root', 'ip']);

describe.skipIf(skip !== null)('system sanity --target local with real services', () => {
  let ns: Namespace;
  let services: TestServices;
  beforeAll(async () => {
    removeStaleNamespaces();
    ns = await createSensorNamespace();
    services = await startTestServices(ns, 18080);
  });
  afterAll(async () => {
    await services?.stop();
    await ns?.remove();
  });

  it('sees every service up, with the process uptime', async () => {
    services.writeServices();
    const result = await ns.otshell(['--target', 'local', 'system', 'sanity', '--json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('up');
    expect(report.profile).toBe('test');
    expect(report.services.map((s: any) => [s.name, s.status])).toEqual([
      ['Core API', 'running'], ['Cache Layer', 'running'], ['Web Apps', 'running'], ['Health Monitor', 'running'],
    ]);
    const core = report.services[0];
    expect(core.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(core.uptimeSeconds).toBeLessThan(60);
    expect(result.exitCode).toBe(0);
    const text = await ns.otshell(['--target', 'local', 'system', 'sanity']);
    expect(text.stdout).toMatch(/\[\+\] Core API \| Running for 00:00:\d\d/);
    expect(text.stdout).toContain('System is UP! (test)');
  });

  it('a hung HTTP check is reported as not responding within the timeout', async () => {
    services.writeServices([`  - { name: Upload Manager Service, http: "http://127.0.0.1:${services.ports.hung}/" }`]);
    const started = Date.now();
    const result = await ns.otshell(['--target', 'local', 'system', 'sanity', '--timeout', '1', '--json']);
    const elapsed = Date.now() - started;
    const report = JSON.parse(result.stdout);
    expect(report.services.find((s: any) => s.name === 'Upload Manager Service')).toMatchObject({ status: 'not-responding' });
    expect(report.status).toBe('down');
    expect(result.exitCode).toBe(1);
    // Never hangs; the wall time includes node's start, which took 3.7 s at a load average of 40.
    // The timeout itself is pinned to the millisecond in test/unit/sanity-status.test.ts (fake timers).
    expect(elapsed).toBeLessThan(15_000);
    expect(report.services.find((s: any) => s.name === 'Upload Manager Service').detail).toBe('no answer within 1.0 s');
  });

  it('a systemd unit check says why it cannot run without systemd, or checks the unit', async () => {
    services.writeServices(['  - { name: Watch Dog, unit: otshell-test-missing.service }']);
    const report = JSON.parse((await ns.otshell(['--target', 'local', 'system', 'sanity', '--json'])).stdout);
    const watchDog = report.services.find((s: any) => s.name === 'Watch Dog');
    expect(watchDog.status).toBe('stopped');
    expect(watchDog.detail).toMatch(existsSync('/run/systemd/system') ? /unit not found|inactive/ : /systemd is not running/);
    expect(report.services.filter((s: any) => s.name !== 'Watch Dog').every((s: any) => s.status === 'running')).toBe(true);
  });

  it('sees them down after they are stopped', async () => {
    services.writeServices();
    await services.stop();
    const result = await ns.otshell(['--target', 'local', 'system', 'sanity', '--json']);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('down');
    expect(report.services.map((s: any) => s.status)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
    expect(report.services[1].detail).toMatch(/connection refused/);
    expect(result.exitCode).toBe(1);
    const text = await ns.otshell(['--target', 'local', 'system', 'sanity']);
    expect(text.stdout).toContain('[-] Core API | Stopped');
    expect(text.stdout).toMatch(/System is DOWN! \(test\) Failed: Core API, Cache Layer, Web Apps, Health Monitor/);
  });

  it('a missing services list gets a clear message', async () => {
    const result = await ns.otshell(['--target', 'local', '--config', '/nonexistent/otshell.yaml', 'system', 'sanity']);
    expect(result.exitCode).toBe(78);
    expect(result.stderr).toContain('No services list at /etc/otshell/services.yaml');
  });
});
