// Starts the interactive Ink shell. Imported lazily by src/cli/main.ts.
import { render } from 'ink';
import { ShellView } from './shell-view.js';
import type { ShellSession } from './shell-controller.js';
import { EXIT } from '../errors.js';

/** Where the shell's history lives; the CLI supplies it (the UI does no file I/O of its own). */
export interface HistoryStore {
  load(user: string): Promise<string[]>;
  save(user: string, entries: readonly string[]): Promise<void>;
}

export interface InteractiveOptions extends ShellSession {
  target: string;
  history: HistoryStore;
  /**
   * The first lines: the usual banner (src/ui/banner.ts; the CLI may already have drawn it
   * with an early prompt), or the simulator's sign-in screen.
   */
  banner: string;
}

export async function runInteractiveShell(options: InteractiveOptions): Promise<number> {
  // Before a sign-in this is the invoking user's; the shell loads the signed-in user's own.
  const history = options.signIn ? [] : await options.history.load(options.caller.user);
  let exitCode: number = EXIT.OK;
  let saving: Promise<void> = Promise.resolve();
  let audited: Promise<void> = Promise.resolve();
  const app = render(
    <ShellView
      session={options}
      history={history}
      saveHistory={(user, entries) => {
        // Serialised so an older list never overwrites a newer one.
        saving = saving.then(() => options.history.save(user, entries)).catch(() => {});
      }}
      loadHistory={(user) => saving.then(() => options.history.load(user))}
      onExit={(code, lastAudit) => {
        exitCode = code;
        if (lastAudit) audited = lastAudit;
        // After the frame that shows the echoed "exit" line and an empty live area.
        setTimeout(() => app.unmount(), 30);
      }}
    />,
    { exitOnCtrlC: false, patchConsole: false, incrementalRendering: true },
  );
  await app.waitUntilExit();
  await saving;
  // The sign-out or timeout line reaches the session audit before the process exits.
  await audited;
  return exitCode;
}
