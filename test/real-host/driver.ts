// A small program that drives the adapter port directly (bundled by the tests
// with esbuild, run inside a namespace with `ip netns exec`). Prints one JSON line.
import { openTarget } from '../../src/system/targets.js';

const request = JSON.parse(process.argv[2] ?? '{}');
const system = await openTarget({
  target: request.target ?? 'local',
  stateDir: request.stateDir ?? '/tmp',
  configPath: request.configPath,
  sshOptions: request.sshOptions ?? [],
  identityFile: request.identityFile,
  env: process.env,
});
let exitCode = 0;
try {
  let result: unknown;
  switch (request.op) {
    case 'apply':
      result = await system.applyNetworkSettings(request.settings, request.confirmTimeoutSeconds === undefined ? {} : { confirmTimeoutSeconds: request.confirmTimeoutSeconds });
      break;
    case 'apply-held': {
      // As network edit-settings does: the lock taken first and held across the apply, released after.
      const by = { user: 'driver' };
      const lock = await system.acquireEditLock(by);
      try {
        result = await system.applyNetworkSettings(request.settings, { by, lock, old: (await system.getNetworkSettings()).current });
      } finally {
        await lock.release();
      }
      break;
    }
    case 'settings':
      result = await system.getNetworkSettings();
      break;
    case 'confirm':
      result = await system.confirmNetworkSettings();
      break;
    case 'reboot':
      result = await system.reboot();
      break;
    case 'shutdown':
      result = await system.shutdown();
      break;
    default:
      throw new Error(`unknown op ${request.op}`);
  }
  process.stdout.write(`${JSON.stringify({ ok: true, result })}\n`);
} catch (error) {
  exitCode = 1;
  process.stdout.write(`${JSON.stringify({ ok: false, name: (error as Error).name, message: (error as Error).message })}\n`);
} finally {
  await system.close();
}
process.exit(exitCode);
