"""Store URLs and the deck cipher: what the server is configured with."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from riverboat.store.deck_cipher import DeckCipher, configured_key, load_or_create_key
from riverboat.store.errors import DeckKeyError, StoreURLError
from riverboat.store.urls import async_url, default_store_url, display_url


@pytest.mark.parametrize(("url", "driver", "database"), [
    ("sqlite:///data/r.db", "sqlite+aiosqlite", "data/r.db"),
    ("sqlite:////srv/r.db", "sqlite+aiosqlite", "/srv/r.db"),
    ("sqlite+aiosqlite:////srv/r.db", "sqlite+aiosqlite", "/srv/r.db"),
    ("postgresql://riverboat@127.0.0.1:5433/rb", "postgresql+asyncpg", "rb"),
    ("postgres://riverboat@127.0.0.1:5433/rb", "postgresql+asyncpg", "rb"),
    ("postgresql+asyncpg://riverboat@127.0.0.1/rb", "postgresql+asyncpg", "rb"),
])
def test_urls_get_the_async_driver(url: str, driver: str, database: str) -> None:
    parsed = async_url(url)
    assert (parsed.drivername, parsed.database) == (driver, database)


@pytest.mark.parametrize("url", [
    "mysql://u@h/db", "postgresql+psycopg2://u@h/db", "sqlite://", "sqlite:///:memory:", "nope",
])
def test_unusable_urls_are_refused(url: str) -> None:
    with pytest.raises(StoreURLError):
        async_url(url)


def test_default_store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_store_url(tmp_path) == f"sqlite:///{tmp_path}/riverboat.db"
    monkeypatch.setenv("RIVERBOAT_HOME", str(tmp_path / "home"))
    assert default_store_url() == f"sqlite:///{tmp_path}/home/riverboat.db"


def test_display_url_hides_the_password() -> None:
    assert display_url("postgresql://rb:s3cret@db/rb") == "postgresql://rb:***@db/rb"


def test_sealed_decks_open_with_the_key_only() -> None:
    cipher = DeckCipher(Fernet.generate_key())
    deck = {"cards": ["As", "Kd", "7h"], "hand_no": 12}
    token = cipher.seal(deck)
    # Neither the token nor its decoded bytes carry the plain deck (a two-letter card could
    # turn up in base64 by chance; these longer strings practically cannot).
    raw = base64.urlsafe_b64decode(token)
    for plain in ('"cards"', '"As", "Kd"', '"As","Kd"'):
        assert plain not in token
        assert plain.encode() not in raw
    assert cipher.open(token) == deck
    with pytest.raises(DeckKeyError, match="does not open with this key"):
        DeckCipher(Fernet.generate_key()).open(token)
    with pytest.raises(DeckKeyError, match="does not open"):
        cipher.open(token[:-4] + "AAAA")
    with pytest.raises(DeckKeyError, match="32 url-safe base64"):
        DeckCipher(b"not a key")


def test_key_file_is_made_private_once(tmp_path: Path) -> None:
    path = tmp_path / "data" / "deck.key"
    key = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key
    DeckCipher(key)  # a valid key


def test_configured_key_prefers_the_environment(tmp_path: Path) -> None:
    env_key = Fernet.generate_key()
    assert configured_key(tmp_path, {"RIVERBOAT_DECK_KEY": env_key.decode()}) == env_key
    assert not (tmp_path / "deck.key").exists()
    assert configured_key(tmp_path, {}) == (tmp_path / "deck.key").read_bytes().strip()
