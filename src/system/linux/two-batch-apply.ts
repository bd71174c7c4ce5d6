// An apply in two round trips (issue #14): over ssh each runner call is one
// round trip, and the step-by-step apply (privileges, lock, reads, intent,
// backup, writes, each ip step, audit line, release) made about two dozen.
// Here the same steps go in two Runner.batch calls:
//
//   1. read + lock: root/CAP_NET_ADMIN and writable directories checked first
//      (a caller who may not change anything never creates the lock), then the
//      lock taken with the same temp-file + link() step as edit-lock.ts, then
//      (after the lock) the change marker, the intent, ip addr/route, the
//      session's SSH_CONNECTION, the config, netplan and resolv.conf files.
//   2. write + apply + audit: audit log writable, intent record, numbered
//      netplan backup, netplan and config files (atomic), the ip steps; on the
//      first failure the files and the runtime state are put back (rollback);
//      on success the audit line, the intent removed and the lock released;
//      then ip addr/route read back.
//
// Only the uncontended, unsurprising case is fast. Anything else (the lock
// held or stale, no rights, a config whose paths the script cannot read the
// same way as the YAML parser, an intent left by an interrupted change, a
// confirm-or-revert apply) returns to the step-by-step code, which says
// exactly what is wrong. This file is the transport: scripts and their
// results; the decisions are in two-batch-decisions.ts.
//
// The remote scripts ignore SIGHUP and SIGPIPE: when otshell is killed while
// batch 2 runs, the connection drops, and the script still finishes the
// transaction (the audit line included) instead of dying at its next write.
import { basename, dirname, join } from 'node:path';
import type { EditLock, LockHolder } from '../adapter.js';
import { onSignalExit } from '../critical-section.js';
import { checkPath } from './checks.js';
import type { Command, Runner, RunResult } from './runner.js';
import type { Step } from './iproute.js';
import { KEEP_BACKUPS } from './netplan.js';

export const LOCK_FILE = 'edit-settings.lock';

/**
 * Shell prelude: $1 config path, $2 the --state-dir option ('' when none).
 * Sets $sd (state directory) and $np (netplan file) the way a plain config
 * names them (`stateDir: /x`, `netplan:` / `  file: /y`), else the defaults.
 * The adapter parses the config properly and uses these paths only when they
 * agree with it.
 */
const PATHS = [
  'cfg=$1; sd=$2',
  `[ -n "$sd" ] || sd=$(sed -n 's/^stateDir:[[:space:]]*//p' "$cfg" 2>/dev/null | head -n 1)`,
  `np=$(awk '/^netplan:/{n=1;next} /^[^[:space:]#]/{n=0} n&&/^[[:space:]]+file:/{sub(/^[[:space:]]+file:[[:space:]]*/,"");print;exit}' "$cfg" 2>/dev/null)`,
  '[ -n "$sd" ] || sd=/var/lib/otshell',
  '[ -n "$np" ] || np=/etc/netplan/50-otshell.yaml',
].join('\n');

/** $3: the lock record. Prints the paths, then one word: taken, held, noroot or nodir. */
const LOCK_SCRIPT = [
  PATHS,
  `printf '%s\\n%s\\n' "$sd" "$np"`,
  // Root or CAP_NET_ADMIN (bit 12 of CapEff), and the three directories writable (their nearest existing parent).
  `cap=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)`,
  '[ -n "$cap" ] && [ $(( (0x$cap >> 12) & 1 )) -eq 1 ] || { echo noroot; exit 0; }',
  'for d in "$(dirname -- "$np")" "$(dirname -- "$cfg")" "$sd"; do while [ ! -e "$d" ]; do d=$(dirname -- "$d"); done; [ -w "$d" ] || { echo noroot; exit 0; }; done',
  `lock="$sd/${LOCK_FILE}"`,
  '[ -e "$lock" ] && { echo held; exit 0; }',
  'mkdir -p -- "$sd" || { echo nodir; exit 0; }',
  't="$sd/.' + LOCK_FILE + '.$$.tmp"',
  `trap 'rm -f -- "$t"' EXIT`,
  `( umask 022; printf '%s' "$3" > "$t" ) || { echo nodir; exit 0; }`,
  'sync "$t" 2>/dev/null',
  'if ln -- "$t" "$lock" 2>/dev/null; then sync "$sd" 2>/dev/null; echo taken; else echo held; fi',
].join('\n');

/** A file under the derived paths ($4: sd or np, $5: name under sd), exit 3 when missing (as readFile). */
const READ_DERIVED = [PATHS, 'case $3 in np) f=$np ;; *) f="$sd/$4" ;; esac', 'if [ -e "$f" ]; then exec cat -- "$f"; else exit 3; fi'].join('\n');

export interface LockedRead {
  /** What the lock step said: the lock is ours only when "taken". */
  lockState: 'taken' | 'held' | 'noroot' | 'nodir' | 'unknown';
  /** The paths the script derived from the config (checked against the parsed config by the caller). */
  stateDir: string;
  netplanFile: string;
  links: RunResult;
  routes: RunResult;
  sshConnection: string;
  marker: RunResult;
  intent: RunResult;
  netplan: RunResult;
  netplanDir: string[];
  config: PromiseSettledResult<string | null>;
  resolv: PromiseSettledResult<string | null>;
  /** The lock as the adapter holds it (release: read back and remove, one round trip); null unless taken. */
  lock: FastLock | null;
}

/** A lock taken by batch 1. released() marks it given back by batch 2's script (no round trip left to do). */
export interface FastLock extends EditLock {
  holder: LockHolder;
  readonly line: string;
  releasedRemotely(): void;
}

/** Batch 1: the lock (unless `holder` is null: the caller holds it already) and every read the apply needs. */
export async function readAndLock(
  runner: Runner,
  request: { configPath: string; stateDirOption: string | undefined; holder: LockHolder | null; links: Command; routes: Command; resolv: string },
): Promise<LockedRead> {
  const args = [checkPath(request.configPath, 'config file'), request.stateDirOption === undefined ? '' : checkPath(request.stateDirOption, '--state-dir')];
  const line = request.holder ? `${JSON.stringify(request.holder)}\n` : '';
  const sh = (script: string, extra: string[] = []): Command => ({ command: 'sh', args: ['-c', script, 'sh', ...args, ...extra] });
  const commands: Command[] = [
    // With no lock to take, the script still derives the paths; "held" then only means someone (the caller) holds it.
    sh(request.holder ? LOCK_SCRIPT : `${PATHS}\nprintf '%s\\n%s\\nnone\\n' "$sd" "$np"`, [line]),
    sh(READ_DERIVED, ['sd', 'pending-confirmation.json']),
    sh(READ_DERIVED, ['sd', 'apply-intent.json']),
    request.links,
    request.routes,
    { command: 'sh', args: ['-c', 'printf %s "$SSH_CONNECTION"'] },
    sh(READ_DERIVED, ['np', '']),
    sh(`${PATHS}\nls -1A -- "$(dirname -- "$np")" 2>/dev/null; exit 0`),
  ];
  const { results, files } = await runner.batch(commands, [request.configPath, request.resolv]);
  const [lockStep, marker, intent, links, routes, session, netplan, listing] = results as [RunResult, RunResult, RunResult, RunResult, RunResult, RunResult, RunResult, RunResult];
  const [stateDir = '', netplanFile = '', word = ''] = lockStep.stdout.split('\n');
  const lockState = (['taken', 'held', 'noroot', 'nodir'] as const).find((w) => w === word) ?? 'unknown';
  let lock: FastLock | null = null;
  if (lockState === 'taken' && request.holder) lock = fastLock(runner, join(stateDir, LOCK_FILE), request.holder, line);
  return {
    lockState, stateDir, netplanFile, links, routes, marker, intent, netplan, lock,
    sshConnection: session.stdout,
    netplanDir: listing.stdout.split('\n').filter(Boolean),
    config: files[0]!,
    resolv: files[1]!,
  };
}

/** The lock taken by batch 1, given back as edit-lock.ts does: only while it still holds our record. */
function fastLock(runner: Runner, path: string, holder: LockHolder, line: string): FastLock {
  let done = false;
  const release = async () => {
    unregister();
    if (done) return;
    done = true;
    if ((await runner.readFile(path)) === line) await runner.remove(path);
  };
  const unregister = onSignalExit(release);
  return {
    holder,
    line,
    release,
    releasedRemotely() {
      done = true;
      unregister();
    },
  };
}

/** The numbered backup of the netplan file to write, and the old ones to drop (as backupNumbered). */
export function backupPlan(netplanFile: string, names: string[]): { backup: string; drop: string[] } {
  const base = basename(netplanFile);
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.~(\\d+)~$`);
  const numbers = names
    .map((name) => pattern.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const next = (numbers.at(-1) ?? 0) + 1;
  const dir = dirname(netplanFile);
  return {
    backup: join(dir, `${base}.~${next}~`),
    drop: numbers.slice(0, Math.max(0, numbers.length + 1 - KEEP_BACKUPS)).map((n) => join(dir, `${base}.~${n}~`)),
  };
}

const SAFE_ARG = /^[A-Za-z0-9_.:/@-]+$/;

/**
 * The steps as lines the script runs as `ip -4 ARGS` (T: tolerant, S: stops the
 * apply); null when a step is not an ip command or has an argument that is not
 * a plain word (then the step-by-step code runs them).
 */
export function stepLines(steps: Step[]): string | null {
  const lines: string[] = [];
  for (const step of steps) {
    if (step.argv[0] !== 'ip') return null;
    const args = step.argv.slice(step.argv[1] === '-4' ? 2 : 1);
    if (!args.every((a) => SAFE_ARG.test(a))) return null;
    lines.push(`${step.tolerant ? 'T' : 'S'} ${args.join(' ')}`);
  }
  return lines.join('\n');
}

/**
 * Batch 2's script. Positional parameters (see writeApplyAudit); prints one
 * result line last: "applied [released]", "no-audit", "no-intent",
 * "audit-line-failed [released]" or "failed STEP" (STEP: a step number, or
 * "file PATH"), and before it "restore-failed ..." lines; the failing step's
 * stderr goes to stderr.
 */
const APPLY_SCRIPT = [
  "trap '' HUP PIPE",
  'set -f',
  'sd=$1 holder=$2 np=$3 cfg=$4 intent_text=$5 line=$6 new_np=$7 new_cfg=$8 old_np=$9',
  'shift 9',
  'has_old_np=$1 old_cfg=$2 has_old_cfg=$3 backup=$4 drop=$5 fwd=$6 back=$7',
  `log="$sd/audit.jsonl" intent="$sd/apply-intent.json" lock="$sd/${LOCK_FILE}"`,
  'err=$(mktemp) || exit 1',
  'cleanup() { rm -f -- "$err"; }',
  'trap cleanup EXIT',
  // Atomic write: temp file beside the target, fsync, rename, fsync the directory.
  'put() {',
  '  d=$(dirname -- "$1"); mkdir -p -- "$d" || return 1',
  '  t="$d/.$(basename -- "$1").$$.tmp"',
  `  if ( umask 077; printf '%s' "$3" > "$t" ) && chmod "$2" "$t" && sync "$t" && mv -f -- "$t" "$1"; then sync "$d" 2>/dev/null; return 0; fi`,
  '  rm -f -- "$t"; return 1',
  '}',
  'release() {',
  `  if [ -n "$holder" ] && [ "$(cat -- "$lock" 2>/dev/null; printf x)" = "\${holder}x" ]; then rm -f -- "$lock" && printf ' released'; fi`,
  '}',
    // ( ) around the redirection: a failed redirection of a special built-in would end the script.
  '{ mkdir -p -- "$sd" && ( : >> "$log" ); } 2>"$err" || { cat -- "$err" >&2; echo no-audit; exit 0; }',
  'put "$intent" 640 "$intent_text" 2>"$err" || { cat -- "$err" >&2; echo no-intent; exit 0; }',
  "fail=''",
  'if [ -n "$backup" ]; then put "$backup" 600 "$old_np" 2>"$err" || fail="file $backup"; fi',
  'if [ -z "$fail" ]; then',
  '  printf "%s\\n" "$drop" | while IFS= read -r f; do [ -n "$f" ] && rm -f -- "$f"; done',
  '  put "$np" 600 "$new_np" 2>"$err" || fail="file $np"',
  'fi',
  '[ -n "$fail" ] || put "$cfg" 644 "$new_cfg" 2>"$err" || fail="file $cfg"',
  'if [ -z "$fail" ]; then',
  '  n=0',
  '  while IFS= read -r s; do',
  '    [ -n "$s" ] || continue',
  '    n=$((n + 1))',
  '    ip -4 ${s#? } </dev/null 2>"$err" && continue',
  '    [ "${s%% *}" = T ] && continue',
  '    fail=$n; break',
  '  done <<EOF',
  '$fwd',
  'EOF',
  'fi',
  'if [ -n "$fail" ]; then',
  '  cat -- "$err" >&2',
  '  if [ "$has_old_np" = 1 ]; then put "$np" 600 "$old_np" || echo "restore-failed file $np"; else rm -f -- "$np"; fi',
  '  if [ "$has_old_cfg" = 1 ]; then put "$cfg" 644 "$old_cfg" || echo "restore-failed file $cfg"; else rm -f -- "$cfg"; fi',
  '  n=0',
  '  while IFS= read -r s; do',
  '    [ -n "$s" ] || continue',
  '    n=$((n + 1))',
  `    ip -4 \${s#? } </dev/null 2>"$err" || printf 'restore-failed %s %s\\n' "$n" "$(tail -n 1 -- "$err")"`,
  '  done <<EOF',
  '$back',
  'EOF',
  // The intent stays: the caller removes it once the read-back shows the rollback complete.
  '  echo "failed $fail"; exit 0',
  'fi',
  // appendDurably: a line torn by a crash must not swallow this one.
  `if [ -s "$log" ] && [ -n "$(tail -c 1 -- "$log")" ]; then printf '\\n' >> "$log"; fi`,
  `if printf '%s\\n' "$line" >> "$log" && sync "$log"; then rm -f -- "$intent"; printf applied; else printf audit-line-failed; fi`,
  'release; echo',
].join('\n');

export interface ApplyBatch {
  stateDir: string;
  /** The lock record to give back at the end, or null to keep the lock (the caller holds it across a wizard). */
  release: string | null;
  netplanFile: string;
  configPath: string;
  intentText: string;
  auditLine: string;
  netplanText: string;
  configText: string;
  previousNetplan: string | null;
  previousConfig: string | null;
  /** From backupPlan; null when there is no previous netplan file. */
  backup: { backup: string; drop: string[] } | null;
  forward: string;
  restore: string;
}

export type ApplyBatchResult =
  | { kind: 'applied'; released: boolean }
  | { kind: 'audit-line-failed'; released: boolean }
  | { kind: 'no-audit' | 'no-intent'; stderr: string }
  | { kind: 'failed'; step: number | null; file: string | null; stderr: string; restoreProblems: string[]; links: RunResult; routes: RunResult }
  | { kind: 'unknown'; stdout: string; stderr: string };

/** Batch 2: the whole change, its rollback and its audit line in one remote script, then ip addr/route read back. */
export async function writeApplyAudit(runner: Runner, batch: ApplyBatch, readBack: { links: Command; routes: Command }): Promise<ApplyBatchResult> {
  const args = [
    checkPath(batch.stateDir, 'state directory'), batch.release ?? '', checkPath(batch.netplanFile, 'netplan file'), checkPath(batch.configPath, 'config file'),
    batch.intentText, batch.auditLine, batch.netplanText, batch.configText, batch.previousNetplan ?? '',
    batch.previousNetplan === null ? '0' : '1', batch.previousConfig ?? '', batch.previousConfig === null ? '0' : '1',
    batch.backup?.backup ?? '', (batch.backup?.drop ?? []).join('\n'), batch.forward, batch.restore,
  ];
  const { results } = await runner.batch([{ command: 'sh', args: ['-c', APPLY_SCRIPT, 'sh', ...args] }, readBack.links, readBack.routes], []);
  const [script, links, routes] = results as [RunResult, RunResult, RunResult];
  const lines = script.stdout.split('\n').filter(Boolean);
  const last = lines.at(-1) ?? '';
  const released = / released$/.test(last);
  if (last.startsWith('applied')) return { kind: 'applied', released };
  if (last.startsWith('audit-line-failed')) return { kind: 'audit-line-failed', released };
  if (last === 'no-audit' || last === 'no-intent') return { kind: last, stderr: script.stderr };
  const failed = /^failed (?:(\d+)|file (.+))$/.exec(last);
  if (failed) {
    return {
      kind: 'failed',
      step: failed[1] ? Number(failed[1]) : null,
      file: failed[2] ?? null,
      stderr: script.stderr,
      restoreProblems: lines.filter((l) => l.startsWith('restore-failed ')).map((l) => l.slice('restore-failed '.length)),
      links,
      routes,
    };
  }
  return { kind: 'unknown', stdout: script.stdout, stderr: script.stderr };
}

/**
 * After a failed batch 2 whose rollback the read-back showed complete: the intent
 * removed (as applyAudited does) and the lock given back, in one round trip.
 */
export async function dropIntentAndRelease(runner: Runner, intentPath: string, lock: FastLock | null, lockPath: string): Promise<void> {
  const script = `rm -f -- "$1"; if [ -n "$2" ] && [ "$(cat -- "$3" 2>/dev/null; printf x)" = "\${2}x" ]; then rm -f -- "$3"; fi`;
  await runner.run('sh', ['-c', script, 'sh', checkPath(intentPath), lock?.line ?? '', checkPath(lockPath)]);
  lock?.releasedRemotely();
}
