// The interactive shell's behaviour as plain data and methods: keys in,
// a snapshot out. The Ink view (shell-view.tsx) only draws the snapshot.
// Keeping this out of React means a chunk of several keys ("net li\t") is
// applied in order against current state, never against a stale render.
import type { Caller, Category, CommandContext, ProgressUpdate, RenderStyle } from '../commands/types.js';
import type { SystemAdapter } from '../system/adapter.js';
import { dispatchLine } from '../commands/dispatch.js';
import { complete, commonPrefix } from '../commands/complete.js';
import { nextWordHelp } from '../commands/help.js';
import { commandsFor } from '../commands/registry.js';
import { tokenize } from '../commands/tokenize.js';
import { describeFailure } from '../commands/execute.js';
import { InkPrompter, type ActiveQuestion } from './ink-prompter.js';
import type { Key } from './keys.js';
import * as edit from './line-editor.js';
import { HistoryCursor, remember } from './history.js';
import { untrusted } from '../output/escape.js';
import { repeatGlobals } from '../output/hints.js';
import type { Prompter } from '../commands/prompter.js';
import { effectiveIdleSeconds, type SignedIn } from '../commands/session.js';
import { IdleClock } from './idle-clock.js';
import { EXIT } from '../errors.js';

export interface OutputEntry {
  id: number;
  text: string;
  tone?: 'error' | 'echo';
  /** --json output: shown exact (the output layer writes unsafe characters as \uXXXX). */
  json?: boolean;
}

export interface ShellSnapshot {
  entries: OutputEntry[];
  editor: edit.EditorState;
  mode: Category | null;
  /** A command is running (no prompt is shown unless it asks a question). */
  busy: boolean;
  question: ActiveQuestion | null;
  /** Highlighted row and marked rows of a choice question. */
  choiceIndex: number;
  choiceMarked: ReadonlySet<number>;
  progress: ProgressUpdate | null;
  /** When the current progress began (ms), for the rate and time left. */
  progressStartedAt: number;
  /** The shell is closing: the live area is left empty. */
  exiting: boolean;
}

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
}

export interface ShellHooks {
  /** Called after every change; the view re-renders from snapshot(). */
  changed(): void;
  /** `audited`: settles once the session's last audit line is on disk (await it before the process exits). */
  exit(code: number, audited?: Promise<void>): void;
  /** Clears the terminal once the output printed so far has been drawn, then calls `cleared`. */
  clearScreen(cleared?: () => void): void;
  saveHistory(entries: readonly string[]): void;
}

export function promptFor(mode: Category | null): string {
  return `${mode ?? 'shell'}> `;
}

export class ShellController {
  private entries: OutputEntry[] = [];
  private nextId = 0;
  private editor: edit.EditorState = edit.EMPTY_LINE;
  private mode: Category | null = null;
  private busy = false;
  private question: ActiveQuestion | null = null;
  private choiceIndex = 0;
  private choiceMarked = new Set<number>();
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

  constructor(
    private session: ShellSession,
    history: readonly string[],
    private readonly hooks: ShellHooks,
  ) {
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
      choiceIndex: this.choiceIndex,
      choiceMarked: this.choiceMarked,
      progress: this.progress,
      progressStartedAt: this.progressStartedAt,
      exiting: this.exiting,
    };
  }

  print(text: string, tone?: OutputEntry['tone'], json?: boolean): void {
    this.entries = [...this.entries, { id: this.nextId++, text, tone, json }];
    this.hooks.changed();
  }

  /** Starts the session: the idle clock, and the sign-in when the target asks for one. */
  start(): void {
    this.armIdleTimer();
    if (this.session.signIn) void this.runSignIn(this.session.signIn);
    else this.signedIn = true;
  }

  private async runSignIn(signIn: (prompter: Prompter) => Promise<SignedIn>): Promise<void> {
    this.busy = true;
    try {
      const who = await signIn(this.prompter);
      this.session = { ...this.session, caller: { ...this.session.caller, user: who.user, role: who.role } };
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
    if (this.question?.kind === 'choice') return this.choiceKey(key, this.question);
    if (this.busy && !this.question) {
      if (key.name === 'ctrl-c') this.abort?.abort();
      else this.typeAhead.push(key);
      return;
    }
    switch (key.name) {
      case 'text':
        if (!this.question && key.text.includes('?')) return this.typeWithHelpKey(key.text);
        this.editor = edit.insert(this.editor, key.text);
        return;
      case 'enter':
        return this.submit();
      case 'tab':
        if (!this.question) void this.completeWord();
        return;
      case 'backspace':
        this.editor = edit.backspace(this.editor);
        return;
      case 'delete':
        this.editor = edit.deleteForward(this.editor);
        return;
      case 'left':
        this.editor = edit.moveLeft(this.editor);
        return;
      case 'right':
        this.editor = edit.moveRight(this.editor);
        return;
      case 'home':
      case 'ctrl-a':
        this.editor = edit.moveHome(this.editor);
        return;
      case 'end':
      case 'ctrl-e':
        this.editor = edit.moveEnd(this.editor);
        return;
      case 'ctrl-u':
        this.editor = edit.killToStart(this.editor);
        return;
      case 'ctrl-k':
        this.editor = edit.killToEnd(this.editor);
        return;
      case 'ctrl-w':
        this.editor = edit.killWordBack(this.editor);
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

  /** Leaving is a success: a typo made earlier in the session is not the shell's exit status. */
  private finish(code: number = EXIT.OK): void {
    if (this.exiting) return;
    this.idleClock.stop();
    if (this.timedOut) this.print(`Signed out after ${this.idleSeconds} s without input.`);
    this.exiting = true;
    this.hooks.changed();
    const caller = this.session.caller;
    const audited = this.signedIn || this.timedOut;
    const record = audited
      ? this.session.system
          .recordSession({
            time: new Date().toISOString(),
            kind: this.timedOut ? 'timeout' : 'sign-out',
            user: caller.user,
            ...(this.signedIn ? { role: caller.role } : {}),
            source: caller.sshClient ?? caller.tty ?? 'unknown',
            ...(this.timedOut ? { detail: `after ${this.idleSeconds} s without input` } : {}),
          })
          .catch(() => {}) // the session ends either way; a full disk must not keep it open
      : Promise.resolve();
    this.hooks.exit(code, record);
  }

  private setQuestion(question: ActiveQuestion | null): void {
    this.question = question;
    this.editor = question?.kind === 'line' && question.initial ? edit.lineOf(question.initial) : edit.EMPTY_LINE;
    if (question?.kind === 'choice') {
      this.choiceMarked = new Set(question.choices.flatMap((c, i) => (question.initial.includes(c.value) ? [i] : [])));
      this.choiceIndex = Math.max(0, question.choices.findIndex((c) => question.initial.includes(c.value)));
    }
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
    if (line.trim() !== '') this.hooks.saveHistory(this.history);
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

  private browseHistory(direction: 'up' | 'down'): void {
    const entry = direction === 'up' ? this.historyCursor.up(this.editor.text) : this.historyCursor.down();
    if (entry !== null) this.editor = edit.lineOf(entry);
  }

  private async completeWord(): Promise<void> {
    const before = this.editor.text.slice(0, this.editor.cursor);
    const snapshotText = this.editor.text;
    const { start, end, candidates } = await complete(before, this.mode, this.session.system, commandsFor(this.session.caller.role));
    if (this.editor.text !== snapshotText) return; // the user typed on meanwhile
    if (candidates.length === 1) {
      // A folder ends in "/" and gets no space, so the next Tab goes on into it.
      const only = candidates[0]!;
      this.editor = edit.replaceRange(this.editor, start, end, only.endsWith('/') ? only : `${only} `);
    } else if (candidates.length > 1) {
      const shared = commonPrefix(candidates);
      if (shared.length > end - start) {
        this.editor = edit.replaceRange(this.editor, start, end, shared);
      } else {
        this.print(`${promptFor(this.mode)}${this.editor.text}`, 'echo');
        // Candidates are file and interface names: untrusted, shown escaped and cut.
        this.print(candidates.map((c) => untrusted(c)).join('  '));
      }
    }
    this.hooks.changed();
  }

  /** "?" at the prompt is a key, not a character: it shows what may come next. */
  private typeWithHelpKey(text: string): void {
    text.split(/(\?)/).forEach((part) => {
      if (part === '?') this.showNextWords();
      else if (part) this.editor = edit.insert(this.editor, part);
    });
  }

  private showNextWords(): void {
    const before = this.editor.text.slice(0, this.editor.cursor);
    let words: string[];
    try {
      words = tokenize(before).map((w) => w.text);
    } catch {
      words = [];
    }
    // "net?" asks about the word being typed; "net ?" asks what follows it.
    if (before !== '' && !/\s$/.test(before)) words.pop();
    this.print(`${promptFor(this.mode)}${this.editor.text}?`, 'echo');
    this.print(nextWordHelp(words, this.mode, commandsFor(this.session.caller.role)));
  }

  private choiceKey(key: Key, question: Extract<ActiveQuestion, { kind: 'choice' }>): void {
    const count = question.choices.length;
    switch (key.name) {
      case 'up':
        this.choiceIndex = (this.choiceIndex + count - 1) % count;
        return;
      case 'down':
        this.choiceIndex = (this.choiceIndex + 1) % count;
        return;
      case 'text':
        if (key.text === ' ' && question.multiple) this.toggleMark(this.choiceIndex);
        return;
      case 'enter': {
        const picked = question.multiple
          ? question.choices.filter((_, i) => this.choiceMarked.has(i))
          : [question.choices[this.choiceIndex]!];
        const error = question.submit(picked.map((c) => c.value));
        const shown = picked.map((c) => untrusted(c.label)).join(', ') || '(none)';
        this.print(`${question.label}: ${shown}`, 'echo');
        if (error) this.print(error, 'error');
        return;
      }
      case 'ctrl-c':
        this.print(`${question.label}: ^C`, 'echo');
        return question.cancel('interrupt');
      case 'ctrl-d':
        return question.cancel('eof');
      default:
        return;
    }
  }

  private toggleMark(index: number): void {
    const marked = new Set(this.choiceMarked);
    if (marked.has(index)) marked.delete(index);
    else marked.add(index);
    this.choiceMarked = marked;
  }

  /** Reports a failure from outside a command (e.g. the history file) without a stack trace. */
  reportError(error: unknown): void {
    this.print(describeFailure(error).text, 'error');
  }
}

