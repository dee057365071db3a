"""Stores for ``benchmarks/server.py``: none, SQLite, a throwaway PostgreSQL; CPU from /proc.

``Stores`` hands out one fresh store URL per run (a new SQLite file, a new PostgreSQL
database) and, for PostgreSQL, the CPU its server spent: the postmaster with every backend
(live children's time plus what the reaped ones left in the postmaster's ``cutime``/``cstime``).
The PostgreSQL cluster lives in a temporary folder and is stopped with its own ``pg_ctl``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from riverboat.devserver.postgres import LocalPostgres

KINDS = ("none", "sqlite", "postgresql")
TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    # Fields after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime,
    # [13] cutime, [14] cstime (proc(5), counted from field 3).
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICKS


def system_seconds(pid: int) -> float:
    """System (kernel) CPU of one process."""
    return int(_stat(pid)[12]) / TICKS


def tree_cpu_seconds(pid: int) -> float:
    """CPU of a process, of its live children, and of the children it has reaped."""
    fields = _stat(pid)
    total = sum(int(f) for f in fields[11:15])
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            child = _stat(int(entry.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(child[1]) == pid:
            total += int(child[11]) + int(child[12])
    return total / TICKS


def parse_kinds(text: str) -> list[str]:
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"--stores takes a comma-separated list of {', '.join(KINDS)}")
    return kinds


class Stores:
    """One store URL per run; ``close()`` stops the PostgreSQL server if one was started."""

    def __init__(self) -> None:
        self._postgres: LocalPostgres | None = None
        self._runs = 0

    def url(self, kind: str, data_dir: Path) -> str:
        self._runs += 1
        if kind == "none":
            return "none"
        if kind == "sqlite":
            return f"sqlite:///{data_dir / 'riverboat.db'}"
        return self._pg().create_database(f"bench_{self._runs}")

    def cpu_probe(self, kind: str) -> Callable[[], float] | None:
        """A reading of the database server's CPU seconds (PostgreSQL only)."""
        if kind != "postgresql":
            return None
        pid = int((self._pg().data_dir / "postmaster.pid").read_text().split()[0])
        return lambda: tree_cpu_seconds(pid)

    def _pg(self) -> LocalPostgres:
        if self._postgres is None:
            # Under /tmp, not a private folder: as root the server runs as 'postgres'.
            server = LocalPostgres(Path(tempfile.mkdtemp(prefix="riverboat-bench-pg-")))
            self._postgres = server
            server.start()
        return self._postgres

    def close(self) -> None:
        if self._postgres is not None:
            try:
                self._postgres.stop()
            finally:
                shutil.rmtree(self._postgres.folder, ignore_errors=True)
                self._postgres = None


def print_table(rows: list[dict[str, float | str | None]]) -> None:
    """store, hands/s, component CPU per hand, ratio against 'none', ejabberd, PostgreSQL."""
    base = next((r["component"] for r in rows if r["store"] == "none"), None)
    print(
        "\n| store | hands/s | component CPU / hand | vs none | ejabberd CPU / hand"
        " | PostgreSQL CPU / hand |"
    )
    print("|---|---|---|---|---|---|")
    for row in rows:
        comp = row["component"]
        ratio = (
            f"{comp / base:.2f}×"
            if isinstance(comp, float) and isinstance(base, float) and base
            else "—"
        )
        pg = row.get("postgres")
        print(
            f"| {row['store']} | {row['rate']:.1f} | {_ms(comp)} | {ratio}"
            f" | {_ms(row['ejabberd'])} | {_ms(pg) if pg is not None else '—'} |"
        )


def _ms(value: float | str | None) -> str:
    return f"{value:.1f} ms" if isinstance(value, float) else "—"
