// Starts the interactive Ink shell. Imported lazily by src/cli/main.ts.
import { render } from 'ink';
import { ShellView } from './shell-view.js';
import type { ShellSession } from './shell-controller.js';
import { EXIT } from '../errors.js';

/** Where the shell's history lives; the CLI supplies it (the UI does no file I/O of its own). */
export interface HistoryStore {
  load(): Promise<string[]>;
  save(entries: readonly string[]): Promise<void>;
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
  const history = await options.history.load();
  let exitCode: number = EXIT.OK;
  let saving: Promise<void> = Promise.resolve();
  let audited: Promise<void> = Promise.resolve();
  const banner = options.banner;
  const app = render(
    <ShellView
      session={options}
      history={history}
      banner={banner}
      saveHistory={(entries) => {
        // Serialised so an older list never overwrites a newer one.
        saving = saving.then(() => options.history.save(entries)).catch(() => {});
      }}
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
