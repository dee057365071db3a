"""Store URLs: what users write (``sqlite:///PATH``, ``postgresql://…``) to async drivers."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from riverboat.store.errors import StoreURLError

DB_FILE = "riverboat.db"
STORE_ENV = "RIVERBOAT_STORE"

_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


def async_url(url: str | URL) -> URL:
    """``url`` with the async driver the store uses; refuses other databases and drivers."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreURLError(f"not a database URL: {str(url)!r}") from None
    driver = _DRIVERS.get(parsed.drivername)
    if driver is None:
        known = "sqlite:///PATH, postgresql://USER@HOST:PORT/DB"
        raise StoreURLError(
            f"unsupported store URL scheme {parsed.drivername!r}; use {known}") from None
    parsed = parsed.set(drivername=driver)
    if is_sqlite(parsed) and parsed.database in (None, "", ":memory:"):
        raise StoreURLError(f"the store needs a database file, not {str(url)!r}")
    return parsed


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def sqlite_path(url: str | URL) -> Path | None:
    """The database file of a SQLite URL, None for other databases."""
    parsed = async_url(url)
    return Path(parsed.database or "") if is_sqlite(parsed) else None


def default_store_url(data_dir: str | Path | None = None) -> str:
    """``sqlite:///<data_dir>/riverboat.db``; ``data_dir`` defaults to the project's data folder."""
    if data_dir is None:
        from riverboat.devserver.settings import default_data_dir

        data_dir = default_data_dir()
    return f"sqlite:///{Path(data_dir).absolute() / DB_FILE}"


def display_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"
