"""Where a local server keeps its files inside the data folder.

::

    DATA_DIR/
      xmpp.json             state file: what later commands need (see ``state.py``)
      xmpp.lock             taken while ``up`` / ``down`` run
      ejabberd/             one folder per server kind
        ejabberd.yml        rendered configuration
        ejabberd.pid        PID of the running server
        node                ejabberd's Erlang node name (its Mnesia database needs it)
        database/           Mnesia (ejabberd) or Prosody's data_path
        logs/console.log    the process's stdout and stderr
        logs/ejabberd.log   the server's own log
      prosody/
        prosody.cfg.lua ...
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from riverboat.devserver.settings import ServerKind

STATE_FILE = "xmpp.json"
LOCK_FILE = "xmpp.lock"


@dataclass(frozen=True, slots=True)
class ServerLayout:
    data_dir: Path
    kind: ServerKind

    @property
    def root(self) -> Path:
        return self.data_dir / self.kind.value

    @property
    def config_file(self) -> Path:
        name = "ejabberd.yml" if self.kind is ServerKind.EJABBERD else "prosody.cfg.lua"
        return self.root / name

    @property
    def pid_file(self) -> Path:
        return self.root / f"{self.kind.value}.pid"

    @property
    def database_dir(self) -> Path:
        return self.root / "database"

    @property
    def certs_dir(self) -> Path:
        return self.root / "certs"

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    @property
    def console_log(self) -> Path:
        return self.log_dir / "console.log"

    @property
    def server_log(self) -> Path:
        return self.log_dir / f"{self.kind.value}.log"

    @property
    def node_file(self) -> Path:
        """ejabberd's Erlang node name: its Mnesia database only opens under that name."""
        return self.root / "node"

    @property
    def log_files(self) -> tuple[Path, ...]:
        """The logs worth showing when the server fails.

        ejabberd's console output already repeats its log (and adds the VM's own errors).
        """
        if self.kind is ServerKind.EJABBERD:
            return (self.console_log,)
        return (self.console_log, self.server_log)

    def make_dirs(self) -> None:
        for folder in (self.root, self.database_dir, self.log_dir, self.certs_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o700)


def state_file(data_dir: Path) -> Path:
    return data_dir / STATE_FILE


def lock_file(data_dir: Path) -> Path:
    return data_dir / LOCK_FILE
