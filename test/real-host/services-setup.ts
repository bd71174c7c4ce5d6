// Real services for sanity tests: a process with its own name, a TCP port, an
// HTTP server and a hung HTTP server, all inside the test namespace.
import { execa, type ResultPromise } from 'execa';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Namespace } from './harness.js';

export interface TestServices {
  processName: string;
  ports: { tcp: number; http: number; hung: number };
  writeServices(extra?: string[]): void;
  stop(): Promise<void>;
}

export async function startTestServices(ns: Namespace, base: number): Promise<TestServices> {
  const processName = `otsvc${process.pid % 100000}p${base % 1000}`;
  const binary = join(ns.dir, processName);
  copyFileSync('/bin/sleep', binary);
  const ports = { tcp: base, http: base + 1, hung: base + 2 };
  const children: ResultPromise[] = [];
  const sleeper = execa('ip', ['netns', 'exec', ns.name, binary, '3600'], { reject: false });
  const servers = execa('ip', ['netns', 'exec', ns.name, 'node', join(import.meta.dirname, 'fixtures/servers.mjs'), String(ports.tcp), String(ports.http), String(ports.hung)], {
    reject: false,
  });
  children.push(sleeper, servers);
  await new Promise<void>((resolve, reject) => {
    servers.stdout!.once('data', () => resolve());
    servers.once('exit', () => reject(new Error('test servers exited')));
  });
  return {
    processName,
    ports,
    writeServices(extra = []) {
      writeFileSync(
        ns.servicesFile,
        [
          'profile: test',
          'services:',
          `  - { name: Core API, process: ${processName} }`,
          `  - { name: Cache Layer, tcp: "127.0.0.1:${ports.tcp}" }`,
          `  - { name: Web Apps, http: "http://127.0.0.1:${ports.http}/health" }`,
          `  - { name: Health Monitor, process: ${processName}, http: "http://127.0.0.1:${ports.http}/health" }`,
          ...extra,
          '',
        ].join('\n'),
      );
    },
    async stop() {
      for (const child of children) child.kill('SIGKILL');
      await Promise.allSettled(children);
    },
  };
}
