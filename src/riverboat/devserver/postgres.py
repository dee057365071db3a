"""A throwaway PostgreSQL cluster in a folder, on a free loopback port: for tests and benchmarks.

Debian's ``postgresql`` package puts ``initdb`` and ``pg_ctl`` in ``/usr/lib/postgresql/<v>/bin``
(not on ``PATH``). ``initdb`` refuses to run as root: as root the folder is given to the
``postgres`` user and every command runs through ``runuser -u postgres --``. The cluster trusts
local connections (``-A trust``) with the superuser ``riverboat``; it listens on 127.0.0.1 only,
its socket in the folder itself.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

from riverboat.devserver.errors import ServerNotInstalledError, ServerStartError
from riverboat.devserver.process import free_port

PACKAGE = "postgresql"
USER = "riverboat"
DATABASE = "riverboat"
HOST = "127.0.0.1"
_RUN_AS = "postgres"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def postgres_bin_dir() -> Path:
    """The newest installed ``/usr/lib/postgresql/<version>/bin`` holding ``initdb``."""
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda path: _version(path.parent.name),
    )
    if not found:
        raise ServerNotInstalledError(
            f"PostgreSQL is not installed: install the Debian package '{PACKAGE}' "
            f"(sudo apt-get install {PACKAGE})")
    return found[-1]


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


def postgres_installed() -> bool:
    try:
        postgres_bin_dir()
    except ServerNotInstalledError:
        return False
    return True


class LocalPostgres:
    """A PostgreSQL cluster in ``folder``: ``start()``, ``url``, ``create_database()``, ``stop()``.

    The folder holds the cluster (``data/``), its socket and its log (``postgres.log``). As
    root, ``folder`` and every folder above it must be reachable by the ``postgres`` user
    (e.g. a folder made with ``tempfile.mkdtemp()`` under ``/tmp``).
    """

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder.absolute()
        self.port = port or 0
        self.bin_dir = postgres_bin_dir()
        self._as_root = os.geteuid() == 0
        self.running = False

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    @property
    def log_file(self) -> Path:
        return self.folder / "postgres.log"

    @property
    def url(self) -> str:
        return self.url_for(DATABASE)

    def url_for(self, database: str) -> str:
        return f"postgresql://{USER}@{HOST}:{self.port}/{database}"

    def start(self) -> LocalPostgres:
        """Create the cluster if the folder has none, start it, create database ``riverboat``."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._as_root:
            if shutil.which("runuser") is None:
                raise ServerStartError("running as root needs 'runuser' (util-linux)")
            shutil.chown(self.folder, _RUN_AS, _RUN_AS)
        if not (self.data_dir / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.data_dir), "-A", "trust", "-U", USER,
                      "-E", "UTF8", "--no-sync")
        if not self.port:
            self.port = free_port(HOST)
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={HOST}"
        self._run("pg_ctl", "-D", str(self.data_dir), "-o", options, "-l", str(self.log_file),
                  "-w", "-t", "60", "start")
        self.running = True
        self.create_database(DATABASE, exist_ok=True)
        return self

    def create_database(self, name: str, *, exist_ok: bool = False) -> str:
        """Create database ``name`` (lowercase letters, digits, ``_``); returns its URL."""
        if not _NAME.fullmatch(name):
            raise ValueError(f"not a plain database name: {name!r}")
        exists = self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip()
        if not exists:
            self._psql(f'CREATE DATABASE "{name}"')
        elif not exist_ok:
            raise ValueError(f"database {name!r} already exists")
        return self.url_for(name)

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are cut); the folder stays."""
        if not self.running:
            return
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
        self.running = False

    def __enter__(self) -> LocalPostgres:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _psql(self, sql: str) -> str:
        return self._run("psql", "-X", "-q", "-t", "-A", "-h", HOST, "-p", str(self.port),
                         "-U", USER, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql)

    def _run(self, program: str, *args: str) -> str:
        argv = [str(self.bin_dir / program), *args]
        if self._as_root:
            argv = ["runuser", "-u", _RUN_AS, "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, check=False,
                              stdin=subprocess.DEVNULL, timeout=120)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip()[-2000:]
            if program == "pg_ctl" and self.log_file.exists():
                tail += "\n" + self.log_file.read_text(errors="replace")[-2000:]
            raise ServerStartError(f"{program} failed (exit {done.returncode}): {tail}")
        return done.stdout
