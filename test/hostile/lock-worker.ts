// A small worker for the lock and kill tests (bundled with esbuild by
// lock-harness.ts, run as its own process so the lock, the signals and the
// kernel see separate processes). It loads only the adapter and the command
// modules, and runs the real command path: resolveWords + executeCommand.
//
//   {"mode":"editor",...}  long-lived: each stdin line "go ROUND ARGS_JSON" runs
//                          that command line, retrying while the lock is held
//                          (75) or the sensor restarts (69); prints
//                          "done ROUND EXIT ATTEMPTS TEXT_JSON".
//   {"mode":"kill",...}    prints "ready" once loaded, then runs edit-settings
//                          with the options of its first stdin line (JSON);
//                          prints "A" (synchronously) just before the adapter
//                          applies, so the test can signal it at a random
//                          point of the apply; then "R EXIT TEXT_JSON".
//   {"mode":"race",...}    waits for "go" on stdin, tries the lock once; while
//                          holding it, creates HOLDING with O_EXCL (a second
//                          holder at the same time would fail: "DOUBLE").
import { openSync, closeSync, existsSync, unlinkSync, writeSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { executeCommand } from '../../src/commands/execute.js';
import type { AnyCommand, CommandContext } from '../../src/commands/types.js';
import type { Prompter } from '../../src/commands/prompter.js';
import type { SystemAdapter } from '../../src/system/adapter.js';
import editSettings from '../../src/commands/network/edit-settings.js';
import reboot from '../../src/commands/system/reboot.js';
import { createStyle } from '../../src/output/style.js';

interface Request {
  mode: 'editor' | 'kill' | 'race';
  target: 'simulator' | 'local';
  stateDir: string;
  configPath?: string;
  user: string;
  /** race: the file a holder creates exclusively while it holds the lock. */
  holding?: string;
  /** Where the lock file lives (the simulator's state dir, the target's stateDir): editors wait for it to change. */
  lockDir?: string;
  /** Simulator clock for the rebooter of the reboot-vs-edit race (see lock.test.ts). */
  rebooterClock?: boolean;
}

const request = JSON.parse(process.argv[2] ?? '{}') as Request;

function say(line: string): void {
  writeSync(1, `${line}\n`);
}

/** Only the adapter asked for is loaded (a separate chunk): workers start in a fraction of the CLI's time. */
async function adapter(): Promise<SystemAdapter> {
  if (request.target === 'local') {
    const [{ LinuxAdapter }, { LocalRunner }] = await Promise.all([import('../../src/system/linux/linux-adapter.js'), import('../../src/system/linux/runner.js')]);
    return new LinuxAdapter(new LocalRunner({ PATH: process.env.PATH }), { configPath: request.configPath });
  }
  const { SimulatorAdapter } = await import('../../src/system/simulator/simulator-adapter.js');
  if (request.rebooterClock) {
    // The boot time 3 s back and every "still restarting?" check far ahead, so
    // neither this rebooter nor the editors wait out the 3 s restart window.
    return new SimulatorAdapter(request.stateDir, () => (new Error().stack!.includes('booted') ? Date.now() - 3_000 : Date.now() + 3_600_000));
  }
  return new SimulatorAdapter(request.stateDir);
}

const NO_PROMPTS: Prompter = {
  confirm: () => Promise.reject(new Error('no prompt expected')),
  text: () => Promise.reject(new Error('no prompt expected')),
  choose: () => Promise.reject(new Error('no prompt expected')),
  chooseMany: () => Promise.reject(new Error('no prompt expected')),
  say: () => {},
};

function context(system: SystemAdapter): CommandContext {
  return {
    system,
    prompter: NO_PROMPTS,
    style: createStyle({ ascii: true, color: false, width: 80 }),
    caller: { user: request.user, tty: '/dev/pts/9', role: 'support' },
    signal: new AbortController().signal,
    progress: () => {},
    json: false,
  };
}

const COMMANDS: Record<string, AnyCommand> = { 'network edit-settings': editSettings as AnyCommand, 'system reboot': reboot as AnyCommand };

/** "network edit-settings --dns 10.0.0.53 --yes" through executeCommand, as the shell runs it once the words are parsed. */
async function run(system: SystemAdapter, words: string[]): Promise<{ exitCode: number; text: string }> {
  const command = COMMANDS[words.slice(0, 2).join(' ')];
  if (!command) throw new Error(`not a command here: ${words.join(' ')}`);
  const options: Record<string, string | boolean> = {};
  for (let i = 2; i < words.length; i += 1) {
    const name = words[i]!.replace(/^--/, '');
    if (words[i + 1] !== undefined && !words[i + 1]!.startsWith('--')) options[name] = words[++i]!;
    else options[name] = true;
  }
  return executeCommand(command, { args: {}, options }, { json: false, help: false }, context(system));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves when the lock file changes or goes (its holder released it), or
 * after ms: watching the lock file itself wakes this editor once per release,
 * not at every write in the state directory.
 */
function lockChangeOrTimeout(lockPath: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let watcher: FSWatcher | null = null;
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      watcher?.close();
      resolve();
    }
    try {
      watcher = watch(lockPath, done);
    } catch {
      done(); // already gone: try again now
    }
  });
}

async function editor(): Promise<void> {
  const system = await adapter();
  const lockPath = join(request.lockDir ?? request.stateDir, 'edit-settings.lock');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [word, round, json] = line.split(' ', 3);
    if (word !== 'go') break;
    const words = JSON.parse(json!) as string[];
    let attempts = 0;
    let outcome: { exitCode: number; text: string };
    for (;;) {
      attempts += 1;
      outcome = await run(system, words);
      if ((outcome.exitCode !== 75 && outcome.exitCode !== 69) || attempts >= 5000) break;
      // Like a person who tries again when the other session ends: woken by
      // the release, and trying only while the lock looks free (several still
      // see it free at once and race for real).
      if (outcome.exitCode === 75) {
        do {
          await lockChangeOrTimeout(lockPath, 100);
          await sleep(Math.random() * 2);
        } while (existsSync(lockPath));
      } else await sleep(5);
    }
    say(`done ${round} ${outcome.exitCode} ${attempts} ${JSON.stringify(outcome.text)}`);
  }
  await system.close();
}

async function kill(): Promise<void> {
  // Loaded and waiting: the test sends the options when it is ready to time its signal.
  const system = await adapter();
  const apply = system.applyNetworkSettings.bind(system);
  system.applyNetworkSettings = (next, options) => {
    say('A');
    return apply(next, options);
  };
  say('ready');
  const line = await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
  const options = JSON.parse(line) as Record<string, string | boolean>;
  const outcome = await run(system, ['network', 'edit-settings', ...Object.entries(options).flatMap(([k, v]) => (v === true ? [`--${k}`] : [`--${k}`, String(v)]))]);
  say(`R ${outcome.exitCode} ${JSON.stringify(outcome.text)}`);
  await system.close();
  process.exit(outcome.exitCode);
}

async function race(): Promise<void> {
  const system = await adapter();
  say('ready');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  let lock;
  try {
    lock = await system.acquireEditLock({ user: request.user });
  } catch (error) {
    say(`held ${(error as { exitCode?: number }).exitCode ?? '?'}`);
    process.exit(0);
  }
  let fd: number;
  try {
    fd = openSync(request.holding!, 'wx');
  } catch {
    say(`DOUBLE ${readFileSync(request.holding!, 'utf8')}`);
    process.exit(0);
  }
  writeSync(fd, request.user);
  await sleep(30);
  closeSync(fd);
  unlinkSync(request.holding!);
  await lock.release();
  say('won');
  process.exit(0);
}

switch (request.mode) {
  case 'editor':
    await editor();
    break;
  case 'kill':
    await kill();
    break;
  case 'race':
    await race();
    break;
}
