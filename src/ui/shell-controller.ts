// The interactive shell's behaviour as plain data and methods: keys in,
// a snapshot out. The Ink view (shell-view.tsx) only draws the snapshot.
// Keeping this out of React means a chunk of several keys ("net li\t") is
// applied in order against current state, never against a stale render.
import type { Caller, Category, CommandContext, ProgressUpdate, RenderStyle } from '../commands/types.js';
import type { SystemAdapter } from '../system/adapter.js';
import { dispatchLine } from '../commands/dispatch.js';
import { commandsFor } from '../commands/registry.js';
import { describeFailure } from '../commands/execute.js';
import { InkPrompter, type ActiveQuestion } from './ink-prompter.js';
import type { Key } from './keys.js';
import * as edit from './line-editor.js';
import { HistoryCursor, remember } from './history.js';
import { repeatGlobals } from '../output/hints.js';
import { editingKey } from './editing-keys.js';
import { ChoiceCursor } from './choice-cursor.js';
import { completeWord, nextWords, type WordHelp } from './word-help.js';
import type { Prompter } from '../commands/prompter.js';
import { effectiveIdleSeconds, sessionEndEvent, type SignedIn } from '../commands/session.js';
import { IdleClock } from './idle-clock.js';
import { EXIT } from '../errors.js';
import { promptFor, type OutputEntry, type ShellSnapshot } from './shell-snapshot.js';

export { promptFor, type OutputEntry, type ShellSnapshot };

export interface ShellSession {
  system: SystemAdapter;
  style: RenderStyle;
  caller: Caller;
  /** The simulator's sign-in, run before the first prompt (src/commands/session.ts). */
  signIn?: (prompter: Prompter) => Promise<SignedIn>;
  /** Sign out after this many seconds without a key (a waiting prompt or question included). */
  idleTimeoutSeconds?: number;
  /** The user's global options, repeated in every quoted otshell hint (src/output/hints.ts). */
  hintGlobals?: readonly string[];
  /** The first lines (the usual banner or the sign-in screen); shown again when an idle sign-out returns to the sign-in. */
  banner?: string;
  /** The session's training run, whose title and time left the live area shows. */
  training?: CommandContext['training'];
}

export interface ShellHooks {
  /** Called after every change; the view re-renders from snapshot(). */
  changed(): void;
  /** `audited`: settles once the session's last audit line is on disk (await it before the process exits). */
  exit(code: number, audited?: Promise<void>): void;
  /** Clears the terminal once the output printed so far has been drawn, then calls `cleared`. */
  clearScreen(cleared?: () => void): void;
  /** Each user has their own history: the signed-in one's (the caller's when there is no sign-in). */
  saveHistory(user: string, entries: readonly string[]): void;
  loadHistory(user: string): Promise<string[]>;
  /** Stops reading the terminal (cooked mode, no key listener) until the returned function is called. */
  releaseTerminal?(): () => void;
}

export class ShellController {
  private entries: OutputEntry[] = [];
  private nextId = 0;
  private editor: edit.EditorState = edit.EMPTY_LINE;
  private mode: Category | null = null;
  private busy = false;
  private question: ActiveQuestion | null = null;
  private readonly choice = new ChoiceCursor();
  private progress: ProgressUpdate | null = null;
  private progressStartedAt = 0;
  private history: string[];
  private historyCursor: HistoryCursor;
  private abort: AbortController | null = null;
  private exiting = false;
  /** Keys typed while a command runs wait here, as a terminal's line discipline would keep them. */
  private typeAhead: Key[] = [];
  private readonly prompter: InkPrompter;
  /** Set once someone signed in (or no sign-in was asked for): sign-out is then audited. */
  private signedIn = false;
  /** A cut-off question is cancelled (a wizard cut off changes nothing), then the session ends. */
  private readonly idleClock = new IdleClock({ warn: (text) => this.print(text), expire: (seconds) => this.signOutIdle(seconds) });
  private timedOut = false;
  /** Seconds without a key before sign-out: the role's limit applied once signed in. */
  private idleSeconds: number;

  /** Who ran otshell, before anyone signed in: a return to the sign-in starts from here. */
  private readonly unsigned: Caller;

  constructor(
    private session: ShellSession,
    history: readonly string[],
    private readonly hooks: ShellHooks,
  ) {
    this.unsigned = session.caller;
    this.idleSeconds = effectiveIdleSeconds(session.idleTimeoutSeconds, session.caller.role);
    this.history = [...history];
    this.historyCursor = new HistoryCursor(this.history);
    this.prompter = new InkPrompter(
      (question) => this.setQuestion(question),
      (text) => this.print(text),
    );
  }

  snapshot(): ShellSnapshot {
    return {
      entries: this.entries,
      editor: this.editor,
      mode: this.mode,
      busy: this.busy,
      question: this.question,
      choiceIndex: this.choice.index,
      choiceMarked: this.choice.marked,
      progress: this.progress,
      progressStartedAt: this.progressStartedAt,
      exiting: this.exiting,
      training: this.session.training?.liveStatus() ?? null,
    };
  }

  print(text: string, tone?: OutputEntry['tone'], json?: boolean): void {
    this.entries = [...this.entries, { id: this.nextId++, text, tone, json }];
    this.hooks.changed();
  }

  /** Starts the session: the idle clock, and the sign-in when the target asks for one. */
  start(): void {
    if (this.session.banner) this.print(this.session.banner);
    this.armIdleTimer();
    if (this.session.signIn) void this.runSignIn(this.session.signIn);
    else this.signedIn = true;
  }

  private async runSignIn(signIn: (prompter: Prompter) => Promise<SignedIn>): Promise<void> {
    this.busy = true;
    try {
      const who = await signIn(this.prompter);
      this.session = { ...this.session, caller: { ...this.unsigned, user: who.user, role: who.role } };
      this.useHistory(await this.hooks.loadHistory(who.user));
      this.idleSeconds = effectiveIdleSeconds(this.session.idleTimeoutSeconds, who.role);
      this.signedIn = true;
      for (const line of who.banner) this.print(line);
      this.print(`Signed in as ${who.user} (${who.role} role). Type "help" for commands, Ctrl-D to leave.`);
    } catch (error) {
      if (!this.timedOut) {
        const failure = describeFailure(error);
        this.print(failure.text, 'error');
        this.finish(failure.exitCode);
      }
    } finally {
      this.busy = false;
      this.question = null;
      if (this.timedOut) this.finish();
      this.hooks.changed();
      const pending = this.typeAhead.splice(0);
      if (pending.length > 0 && !this.exiting) this.handleKeys(pending);
    }
  }

  private useHistory(entries: readonly string[]): void {
    this.history = [...entries];
    this.historyCursor = new HistoryCursor(this.history);
  }

  /** At every key: a waiting prompt or question counts as idle too. */
  private armIdleTimer(): void {
    if (this.exiting) return;
    this.idleClock.restart(this.idleSeconds);
  }

  private signOutIdle(seconds: number): void {
    if (this.exiting) return;
    this.timedOut = true;
    if (this.question) this.question.cancel('interrupt');
    this.abort?.abort();
    // A running command or sign-in finishes its cancellation first (the wizard releases its lock), then the shell ends.
    if (!this.busy) this.finish();
  }


  handleKeys(keys: Key[]): void {
    if (this.exiting) return;
    this.armIdleTimer();
    // Keys typed right after Ctrl-L (one burst: "^L sys ?") wait for the clear to be drawn;
    // handled before it, their output would be printed and then wiped by the clear.
    if (this.keysAfterClear) {
      this.keysAfterClear.push(...keys);
      return;
    }
    for (let i = 0; i < keys.length; i += 1) {
      const key = keys[i]!;
      if (key.name === 'ctrl-l' && this.question?.kind !== 'choice' && !(this.busy && !this.question)) {
        this.keysAfterClear = keys.slice(i + 1);
        this.hooks.clearScreen(() => this.afterClear());
        break;
      }
      this.handleKey(key);
    }
    this.hooks.changed();
  }

  /** Keys that came after Ctrl-L, held until the clear was drawn. */
  private keysAfterClear: Key[] | null = null;

  private afterClear(): void {
    const rest = this.keysAfterClear ?? [];
    this.keysAfterClear = null;
    if (rest.length > 0) this.handleKeys(rest);
  }

  private handleKey(key: Key): void {
    if (this.question?.kind === 'choice') return this.choice.key(key, this.question, (text, tone) => this.print(text, tone));
    if (this.busy && !this.question) {
      if (key.name === 'ctrl-c') this.abort?.abort();
      else this.typeAhead.push(key);
      return;
    }
    if (key.name === 'text' && !this.question && key.text.includes('?')) return this.typeWithHelpKey(key.text);
    const edited = editingKey(this.editor, key);
    if (edited) {
      this.editor = edited;
      return;
    }
    switch (key.name) {
      case 'enter':
        return this.submit();
      case 'tab':
        if (!this.question) void this.completeWord();
        return;
      case 'up':
      case 'down':
        if (!this.question) this.browseHistory(key.name);
        return;
      case 'ctrl-l':
        this.hooks.clearScreen();
        return;
      case 'ctrl-c':
        return this.interrupt();
      case 'ctrl-d':
        if (this.question) return this.question.cancel('eof');
        if (this.editor.text === '') return this.leave();
        this.editor = edit.deleteForward(this.editor);
        return;
      default:
        return;
    }
  }

  private currentLabel(): string {
    return this.question?.label ?? promptFor(this.mode);
  }

  private interrupt(): void {
    const typed = this.question?.kind === 'line' && this.question.secret ? '' : this.editor.text;
    this.print(`${this.currentLabel()}${typed}^C`, 'echo');
    this.editor = edit.EMPTY_LINE;
    if (this.question) this.question.cancel('interrupt');
  }

  private leave(): void {
    this.print(`${promptFor(this.mode)}exit`, 'echo');
    this.finish();
  }

  /**
   * Leaving is a success: a typo made earlier in the session is not the shell's exit status.
   * An idle sign-out of someone signed in through the simulator's sign-in returns to its
   * `login:` prompt, as a console does; elsewhere (real hosts, or nobody signed in yet, as
   * login(1) gives up) the shell ends.
   */
  private finish(code: number = EXIT.OK): void {
    if (this.exiting) return;
    this.idleClock.stop();
    if (this.timedOut) this.print(`Signed out after ${this.idleSeconds} s without input.`);
    const record = this.recordEnd();
    if (this.timedOut && this.signedIn && this.session.signIn) return this.backToSignIn(this.session.signIn, record);
    this.exiting = true;
    this.hooks.changed();
    this.hooks.exit(code, record);
  }

  /** The session's last audit line: sign-out or timeout (none when nobody signed in and nothing timed out). */
  private recordEnd(): Promise<void> {
    const event = sessionEndEvent(this.session.caller, { signedIn: this.signedIn, timedOut: this.timedOut, idleSeconds: this.idleSeconds });
    if (!event) return Promise.resolve();
    // The session ends either way; a full disk must not keep it open.
    return this.session.system.recordSession(event).catch(() => {});
  }

  /** The signed-out user's mode, line and history are gone; the sign-in screen comes again. */
  private backToSignIn(signIn: (prompter: Prompter) => Promise<SignedIn>, recorded: Promise<void>): void {
    this.timedOut = false;
    this.signedIn = false;
    this.session = { ...this.session, caller: this.unsigned };
    this.mode = null;
    this.editor = edit.EMPTY_LINE;
    this.typeAhead = [];
    this.useHistory([]);
    this.idleSeconds = effectiveIdleSeconds(this.session.idleTimeoutSeconds, this.unsigned.role);
    this.hooks.changed();
    void recorded.then(() => {
      if (this.session.banner) this.print(this.session.banner);
      this.armIdleTimer();
      void this.runSignIn(signIn);
    });
  }

  private setQuestion(question: ActiveQuestion | null): void {
    this.question = question;
    this.editor = question?.kind === 'line' && question.initial ? edit.lineOf(question.initial) : edit.EMPTY_LINE;
    if (question?.kind === 'choice') this.choice.reset(question);
    // Keys typed while the command worked between two questions belong to this one
    // (a fast typist or pasted answers), not to the shell prompt after the command.
    if (question) for (const key of this.typeAhead.splice(0)) this.handleKey(key);
    this.hooks.changed();
  }

  private submit(): void {
    const line = this.editor.text;
    if (this.question?.kind === 'line') {
      const question = this.question;
      this.print(question.secret ? question.label : `${question.label}${line}`, 'echo');
      this.editor = edit.EMPTY_LINE;
      const error = question.submit(line);
      if (error) this.print(error, 'error');
      return;
    }
    this.print(`${promptFor(this.mode)}${line}`, 'echo');
    this.editor = edit.EMPTY_LINE;
    this.history = remember(this.history, line);
    this.historyCursor = new HistoryCursor(this.history);
    if (line.trim() !== '') this.hooks.saveHistory(this.session.caller.user, this.history);
    void this.run(line);
  }

  private async run(line: string): Promise<void> {
    this.busy = true;
    this.abort = new AbortController();
    const ctx: CommandContext = {
      ...this.session,
      prompter: this.prompter,
      signal: this.abort.signal,
      progress: (update) => {
        if (this.progress === null || this.progress.label !== update.label) this.progressStartedAt = Date.now();
        this.progress = update.done >= update.total ? null : update;
        this.hooks.changed();
      },
      json: false,
      ...(this.hooks.releaseTerminal ? { handOverTerminal: (work) => this.handOver(work) } : {}),
    };
    try {
      const result = await dispatchLine(line, { mode: this.mode, history: this.history }, ctx);
      this.mode = result.mode;
      if (result.outcome) {
        const text = result.outcome.json ? result.outcome.text : repeatGlobals(result.outcome.text, this.session.hintGlobals);
        if (text !== '') this.print(text, result.outcome.isError ? 'error' : undefined, result.outcome.json);
      }
      if (result.clearScreen) this.hooks.clearScreen();
      if (result.exit) this.finish();
    } catch (error) {
      this.print(repeatGlobals(describeFailure(error).text, this.session.hintGlobals), 'error');
    } finally {
      this.busy = false;
      this.question = null;
      this.progress = null;
      this.abort = null;
      if (this.timedOut) this.finish();
      this.hooks.changed();
      const pending = this.typeAhead.splice(0);
      if (pending.length > 0) this.handleKeys(pending);
    }
  }

  /** `system shell`: the program has the terminal; no idle sign-out while it runs (its own session). */
  private async handOver<T>(work: () => Promise<T>): Promise<T> {
    this.idleClock.stop();
    const reclaim = this.hooks.releaseTerminal!();
    try {
      return await work();
    } finally {
      reclaim();
      this.armIdleTimer();
    }
  }

  private browseHistory(direction: 'up' | 'down'): void {
    const entry = direction === 'up' ? this.historyCursor.up(this.editor.text) : this.historyCursor.down();
    if (entry !== null) this.editor = edit.lineOf(entry);
  }

  private async completeWord(): Promise<void> {
    const typed = this.editor.text;
    const help = await completeWord(this.editor, this.mode, this.session.system, commandsFor(this.session.caller.role), promptFor(this.mode));
    if (this.editor.text !== typed) return; // the user typed on meanwhile
    this.applyHelp(help);
  }

  /** "?" at the prompt is a key, not a character: it shows what may come next. */
  private typeWithHelpKey(text: string): void {
    text.split(/(\?)/).forEach((part) => {
      if (part === '?') this.applyHelp({ editor: this.editor, lines: nextWords(this.editor, this.mode, commandsFor(this.session.caller.role), promptFor(this.mode)) });
      else if (part) this.editor = edit.insert(this.editor, part);
    });
  }

  private applyHelp(help: WordHelp): void {
    this.editor = help.editor;
    for (const line of help.lines) this.print(line.text, line.tone);
    this.hooks.changed();
  }

  /** Reports a failure from outside a command (e.g. the history file) without a stack trace. */
  reportError(error: unknown): void {
    this.print(describeFailure(error).text, 'error');
  }
}

