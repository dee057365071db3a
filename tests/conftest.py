"""Fixtures shared by unit and integration tests: stores on SQLite and on a local PostgreSQL.

PostgreSQL runs once per session in a temporary folder on a free loopback port
(``riverboat.devserver.postgres.LocalPostgres``); each test gets a database of its own. Without
PostgreSQL's binaries the ``postgresql`` cases are skipped, naming the Debian package.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from riverboat.devserver.postgres import PACKAGE, LocalPostgres, postgres_installed
from riverboat.store.store import Store

NO_POSTGRES = f"PostgreSQL is not installed (Debian package '{PACKAGE}')"


def _no_postgres() -> None:
    """Skip on a developer's machine without PostgreSQL; fail in CI, where `./dev` installs it,
    so the PostgreSQL half of the suite can never be skipped there unnoticed."""
    if os.environ.get("CI"):
        pytest.fail(NO_POSTGRES + ": CI must run the store tests on PostgreSQL")
    pytest.skip(NO_POSTGRES)


@pytest.fixture(scope="session")
def local_postgres() -> Iterator[LocalPostgres]:
    """One PostgreSQL server for the whole session, stopped (by its own pg_ctl) at the end."""
    if not postgres_installed():
        _no_postgres()
    # Not under pytest's tmp_path: as root the server runs as 'postgres', which must reach the
    # folder, and /tmp/pytest-of-root is private to root.
    folder = Path(tempfile.mkdtemp(prefix="riverboat-pg-"))
    server = LocalPostgres(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_url(local_postgres: LocalPostgres) -> str:
    """The URL of the session's PostgreSQL database ``riverboat``."""
    return local_postgres.url


@pytest.fixture
def pg_store_url(local_postgres: LocalPostgres) -> str:
    """A new, empty PostgreSQL database for this test."""
    return local_postgres.create_database(f"test_{secrets.token_hex(6)}")


@pytest.fixture
def sqlite_store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'riverboat.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'riverboat.db'}"
    if not postgres_installed():
        _no_postgres()
    url: str = request.getfixturevalue("pg_store_url")
    return url


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[Store]:
    """An open store on each database (see ``store_url``), closed after the test."""
    opened = await Store.open(store_url)
    try:
        yield opened
    finally:
        await opened.close()
