"""Detached server processes, found again by PID: start, check, stop, read their logs."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

from riverboat.devserver.launch import Launch

_POLL = 0.05

# Servers started by this process, kept so they can be reaped (no zombies, no ResourceWarning
# from a collected ``Popen`` whose child still runs). Other processes find them by PID only.
_children: dict[int, subprocess.Popen[bytes]] = {}


def spawn(launch: Launch, console_log: Path) -> int:
    """Start ``launch`` in a session of its own, detached from the caller; return its PID.

    Its stdin is ``/dev/null`` and its stdout and stderr are appended to ``console_log``, so
    the server survives the command that started it and a terminal closing.
    """
    env = {**os.environ, **launch.env}
    with console_log.open("ab") as log:
        process = subprocess.Popen(
            launch.argv,
            cwd=launch.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    _children[process.pid] = process
    return process.pid


def _reap(pid: int) -> bool:
    """Collect ``pid`` if it is a finished child of this process; True if it was."""
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return False
        del _children[pid]
        return True
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == pid


def _proc_stat_state(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rpartition(")")[2].split()[0]


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    if pid <= 0 or _reap(pid):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _proc_stat_state(pid) not in ("Z", "X")


def pid_matches(pid: int, marker: str) -> bool:
    """Whether ``pid``'s command line mentions ``marker`` (guards against a reused PID).

    Where ``/proc`` is not available, a live PID is taken at its word.
    """
    if not Path("/proc/self").exists():
        return pid_alive(pid)
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return marker.encode() in cmdline


def wait_exit(pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for ``pid`` to end; True if it did."""
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL)
    return True


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def terminate(pid: int, timeout: float = 10.0) -> bool:
    """Stop ``pid``: SIGTERM, wait up to ``timeout``, then SIGKILL.

    The server was started as the leader of its own session, so helpers it spawned (Erlang's
    port programs) are in process group ``pid``; whatever is left of that group is killed too.
    Returns True if the process had to be killed.
    """
    killed = False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if not wait_exit(pid, timeout):
        killed = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        wait_exit(pid, 5.0)
    if os.getpgid(0) != pid:
        _signal_group(pid, signal.SIGKILL)
    return killed


def read_pid_file(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def write_pid_file(path: Path, pid: int) -> None:
    path.write_text(f"{pid}\n")


def tail(paths: Iterable[Path], lines: int = 25) -> str:
    """The last ``lines`` lines of each existing, non-empty file, each under its name."""
    parts = []
    for path in paths:
        try:
            text = path.read_text(errors="replace")
        except OSError:
            continue
        if text.strip():
            last = "\n".join(text.rstrip().splitlines()[-lines:])
            parts.append(f"--- {path} (last {lines} lines)\n{last}")
    return "\n".join(parts) if parts else "(no log output)"


def port_in_use(host: str, port: int) -> bool:
    """Whether something listens on (or holds) ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """``count`` distinct TCP ports nobody listens on right now (the kernel's picks)."""
    with contextlib.ExitStack() as stack:
        sockets = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((host, 0))
            sockets.append(sock)
        return [int(sock.getsockname()[1]) for sock in sockets]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the kernel's pick)."""
    return free_ports(1, host)[0]
