# PTY driver for bench/startup.mjs: runs one interactive otshell session under a
# real pseudo-terminal and reports timings and bytes as one JSON line on stdout.
#
# Input: one JSON object on stdin:
#   argv, env, cols, rows, prompt ("shell> "), keys (string typed one key at a
#   time), quietMs (settle: no new bytes for this long), keyTimeoutMs,
#   promptTimeoutMs, exitTimeoutMs.
# Every wait is bounded; on any timeout the child is killed (SIGTERM, then
# SIGKILL) and the result says what timed out.
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


def now_ms():
    return time.monotonic() * 1000.0


def main():
    spec = json.loads(sys.stdin.read())
    prompt = spec["prompt"].encode()
    quiet = spec.get("quietMs", 40)
    result = {"ok": False, "error": None, "promptMs": None, "keys": [], "startupBytes": 0,
              "exitCode": None, "exitMs": None, "killed": False}

    t0 = now_ms()
    pid, fd = pty.fork()
    if pid == 0:
        # Child: the pty slave is already stdin/stdout/stderr and the controlling tty.
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", spec["rows"], spec["cols"], 0, 0))
            os.execvpe(spec["argv"][0], spec["argv"], spec["env"])
        finally:
            os._exit(127)

    out = bytearray()
    eof = False
    # Ink trims trailing blanks of a line, so "shell> " is drawn as "shell>" plus a
    # cursor move to the column after the space. Accept either form, and count the
    # prompt as shown only once an open synchronized update (ESC[?2026h) is closed,
    # since a terminal paints the frame only then.
    trimmed = prompt.rstrip()
    BSU, ESU = b"\x1b[?2026h", b"\x1b[?2026l"

    def prompt_shown(buf):
        at = buf.find(prompt, seen)
        if at < 0:
            at = buf.find(trimmed, seen)
            if at < 0:
                return False
            result["promptForm"] = "trimmed"
        else:
            result["promptForm"] = "literal"
        return buf.rfind(BSU) <= buf.rfind(ESU)

    def read_some(deadline_ms):
        """Read what is available until deadline; return bytes read ('' on timeout/EOF)."""
        nonlocal eof
        remaining = max(0.0, deadline_ms - now_ms()) / 1000.0
        r, _, _ = select.select([fd], [], [], remaining)
        if not r:
            return b""
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            eof = True
        return data

    first_byte_at = [None]

    def settle(start_len, first_deadline_ms, hard_deadline_ms):
        """Wait for output to start (until first_deadline), then until it has been
        quiet for `quiet` ms with every synchronized update closed. Bounded by
        hard_deadline. Returns the bytes that arrived."""
        last = None
        first_byte_at[0] = None
        while not eof:
            chunk = out[start_len:]
            if not chunk:
                deadline = min(hard_deadline_ms, first_deadline_ms)
            elif chunk.count(BSU) > chunk.count(ESU):
                deadline = hard_deadline_ms
            else:
                deadline = min(hard_deadline_ms, last + quiet)
            if now_ms() >= deadline:
                break
            data = read_some(deadline)
            if data:
                out.extend(data)
                last = now_ms()
                if first_byte_at[0] is None:
                    first_byte_at[0] = last
        return bytes(out[start_len:])

    def kill():
        result["killed"] = True
        for sig, wait_s in ((signal.SIGTERM, 1.0), (signal.SIGKILL, 2.0)):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
            end = time.monotonic() + wait_s
            while time.monotonic() < end:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    return status
                time.sleep(0.01)
        return None

    status = None
    try:
        # 0. The simulator's sign-in, when the spec has one: each [expect, reply] in
        # turn (e.g. "Password: " -> the password and Enter) before the shell prompt.
        deadline = t0 + spec["promptTimeoutMs"]
        seen = 0
        for expect, reply in spec.get("dialog", []):
            while out.find(expect.encode(), seen) < 0:
                if eof or now_ms() >= deadline:
                    raise RuntimeError("no %r within %d ms (eof=%s); output so far: %r"
                                       % (expect, spec["promptTimeoutMs"], eof, bytes(out[-400:])))
                out.extend(read_some(deadline))
            seen = out.find(expect.encode(), seen) + len(expect)
            os.write(fd, reply.encode())
        # 1. Time to the first prompt.
        while not prompt_shown(out):
            if eof or now_ms() >= deadline:
                raise RuntimeError("no prompt %r within %d ms (eof=%s); output so far: %r"
                                   % (spec["prompt"], spec["promptTimeoutMs"], eof, bytes(out[-400:])))
            data = read_some(deadline)
            out.extend(data)
        result["promptMs"] = now_ms() - t0
        # otshell draws its first prompt before Ink has loaded (src/cli/early-prompt.ts),
        # then Ink erases it (ESC[J) and draws the same lines: the shell is ready for
        # keys once that second prompt is out. Measured apart, so neither figure hides.
        result["readyMs"] = result["promptMs"]
        if spec.get("earlyPrompt"):
            start = out.find(trimmed)
            while True:
                erase = out.find(b"\x1b[J", start)
                if erase >= 0 and out.find(trimmed, erase) >= 0:
                    break
                if eof or now_ms() >= deadline:
                    raise RuntimeError("the shell did not take over the early prompt within %d ms; output so far: %r"
                                       % (spec["promptTimeoutMs"], bytes(out[-400:])))
                out.extend(read_some(deadline))
            result["readyMs"] = now_ms() - t0
        # Let startup finish drawing so its tail is not counted against the first key.
        settle(len(out), now_ms() + 150, now_ms() + 1500)
        result["startupBytes"] = len(out)

        # 2. Type one key at a time; wait for the echo, then for output to go quiet.
        for ch in spec["keys"]:
            start = len(out)
            sent = now_ms()
            os.write(fd, ch.encode())
            chunk = settle(start, sent + spec["keyTimeoutMs"], sent + spec["keyTimeoutMs"])
            first_ms = first_byte_at[0] - sent if first_byte_at[0] is not None else None
            if not chunk:
                raise RuntimeError("no output for key %r within %d ms" % (ch, spec["keyTimeoutMs"]))
            if chunk.count(BSU) > chunk.count(ESU):
                raise RuntimeError("frame for key %r not finished within %d ms; got %r" % (ch, spec["keyTimeoutMs"], chunk))
            result["keys"].append({"key": ch, "bytes": chunk.decode("latin-1"), "firstByteMs": first_ms})

        # 3. Ctrl-U clears the line, Ctrl-D on the empty line leaves.
        start = len(out)
        os.write(fd, b"\x15")
        settle(start, now_ms() + spec["keyTimeoutMs"], now_ms() + spec["keyTimeoutMs"])
        sent = now_ms()
        os.write(fd, b"\x04")
        deadline = sent + spec["exitTimeoutMs"]
        while not eof and now_ms() < deadline:
            data = read_some(deadline)
            out.extend(data)
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
                break
        if status is None:
            end = now_ms() + 200
            while now_ms() < min(end, deadline + 200):
                done, st = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = st
                    break
                time.sleep(0.005)
        if status is None:
            raise RuntimeError("shell did not exit within %d ms of Ctrl-D" % spec["exitTimeoutMs"])
        result["exitMs"] = now_ms() - sent
        result["ok"] = True
    except Exception as e:  # noqa: BLE001 - reported to the Node side
        result["error"] = str(e)
        status = kill()
    finally:
        try:
            os.close(fd)
        except OSError:
            pass
    if status is not None:
        result["exitCode"] = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status
    result["totalBytes"] = len(out)
    sys.stdout.write(json.dumps(result) + "\n")


main()
