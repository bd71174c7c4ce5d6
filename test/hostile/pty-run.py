# Runs one command with stdout and stderr on a real pseudo-terminal (stdin a
# pty too, or a pipe fed from a file) and reports what the terminal received.
# Input (stdin): JSON {argv, env, cols, rows, stdinFile (optional), timeoutMs}.
# Output (stdout): JSON {exitCode, output (base64 of every byte), timedOut}.
import base64
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


def main():
    spec = json.loads(sys.stdin.read())
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", spec.get("rows", 24), spec.get("cols", 80), 0, 0))
    stdin_file = spec.get("stdinFile")
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            if stdin_file:
                fd = os.open(stdin_file, os.O_RDONLY)
                os.dup2(fd, 0)
            else:
                os.dup2(slave, 0)
            os.dup2(slave, 1)
            os.dup2(slave, 2)
            os.close(master)
            os.execvpe(spec["argv"][0], spec["argv"], spec["env"])
        finally:
            os._exit(127)
    os.close(slave)
    out = bytearray()
    deadline = time.monotonic() + spec.get("timeoutMs", 15000) / 1000.0
    timed_out = False
    status = None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
            break
        ready, _, _ = select.select([master], [], [], min(remaining, 0.05))
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            if data:
                out.extend(data)
                continue
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            # drain what is left
            while True:
                ready, _, _ = select.select([master], [], [], 0.05)
                if not ready:
                    break
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break
                if not data:
                    break
                out.extend(data)
            break
    if status is None:
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"exitCode": code, "output": base64.b64encode(bytes(out)).decode(), "timedOut": timed_out}))


main()
