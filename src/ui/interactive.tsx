// Starts the interactive Ink shell. Imported lazily by src/cli/main.ts.
import { render } from 'ink';
import { ShellView } from './shell-view.js';
import type { ShellSession } from './shell-controller.js';
import { historyPath, loadHistory, saveHistory } from '../cli/history-file.js';

export interface InteractiveOptions extends ShellSession {
  stateDir: string;
  target: string;
}

export async function runInteractiveShell(options: InteractiveOptions): Promise<number> {
  const path = historyPath(options.stateDir, options.caller.user);
  const history = await loadHistory(path);
  let exitCode = 0;
  let saving: Promise<void> = Promise.resolve();
  const banner = `otshell on ${options.target} as ${options.caller.user}. Type "help" for commands, Ctrl-D to leave.`;
  const app = render(
    <ShellView
      session={options}
      history={history}
      banner={banner}
      saveHistory={(entries) => {
        // Serialised so an older list never overwrites a newer one.
        saving = saving.then(() => saveHistory(path, entries)).catch(() => {});
      }}
      onExit={(code) => {
        exitCode = code;
        // After the frame that shows the echoed "exit" line and an empty live area.
        setTimeout(() => app.unmount(), 30);
      }}
    />,
    { exitOnCtrlC: false, patchConsole: false, incrementalRendering: true },
  );
  await app.waitUntilExit();
  await saving;
  return exitCode;
}
