"""What the game server runs: where it connects and which tables it opens."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from riverboat.table.config import TableConfig, Variant


@dataclass(frozen=True, slots=True)
class TableSpec:
    table_id: str
    name: str
    config: TableConfig


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A token bucket: ``burst`` requests at once, refilled at ``per_second``."""

    burst: float = 20.0
    per_second: float = 10.0


@dataclass(frozen=True, slots=True)
class ServerSettings:
    component: str
    secret: str
    host: str
    port: int
    muc: str
    data_dir: Path
    tables: tuple[TableSpec, ...] = ()
    next_hand_delay: float = 2.0
    """Seconds between the end of a hand and the start of the next (at most 3 by default)."""
    start_delay: float = 1.0
    """Seconds after a sit before a first hand starts (others may sit meanwhile)."""
    action_limit: RateLimit = field(default_factory=RateLimit)
    chat_limit: RateLimit = field(default_factory=lambda: RateLimit(burst=8.0, per_second=1.0))
    admins: tuple[str, ...] = ()
    """Bare JIDs allowed to administer the game server (the ad-hoc command ``open-table``)."""
    store_url: str | None = None
    """Where tables, wallets and hands are kept (``sqlite:///…`` or ``postgresql://…``); None
    keeps nothing: every ``sit`` brings the table's default play-money buy-in."""
    hands_kept: int = 0
    """Finished hands each table keeps in memory as PHH (``GameComponent.histories``: tests
    and debugging). Writing a hand's PHH is about a millisecond of CPU, so none by default;
    a store keeps every hand for good either way."""
    deck_key: bytes | None = None
    """The key that encrypts stored decks (default: ``$RIVERBOAT_DECK_KEY``, else the data
    folder's ``deck.key``, created on first use)."""


class _XmppServer(Protocol):
    """What the settings need of a server record (``riverboat.devserver.LocalServer``)."""

    @property
    def component(self) -> str: ...
    @property
    def component_secret(self) -> str: ...
    @property
    def component_host(self) -> str: ...
    @property
    def component_port(self) -> int: ...
    @property
    def muc(self) -> str: ...
    @property
    def data_dir(self) -> Path: ...


def settings_for_server(
    server: _XmppServer, tables: tuple[TableSpec, ...], **overrides: Any
) -> ServerSettings:
    """Settings to run ``tables`` against ``server`` (its component domain, secret, ports, MUC
    service and data folder); ``overrides`` sets any other field (``data_dir`` included)."""
    fields: dict[str, Any] = {
        "component": server.component,
        "secret": server.component_secret,
        "host": server.component_host,
        "port": server.component_port,
        "muc": server.muc,
        "data_dir": server.data_dir,
        "tables": tables,
    }
    fields.update(overrides)
    return ServerSettings(**fields)


def default_tables(action_time: float = 20.0) -> tuple[TableSpec, ...]:
    """The demo's tables: NLHE, PLO and FLHE, six seats each."""

    def config(variant: Variant, **kwargs: object) -> TableConfig:
        return TableConfig(variant=variant, seats=6, action_time=action_time, **kwargs)  # type: ignore[arg-type]

    return (
        TableSpec("t1", "No-Limit Hold'em 1/2", config(Variant.NLHE, blinds=(1, 2))),
        TableSpec("t2", "Pot-Limit Omaha 1/2", config(Variant.PLO, blinds=(1, 2))),
        TableSpec(
            "t3", "Fixed-Limit Hold'em 2/4",
            config(Variant.FLHE, blinds=(1, 2), small_bet=2, big_bet=4),
        ),
        TableSpec("t4", "No-Limit Hold'em 5/10", config(Variant.NLHE, blinds=(5, 10))),
    )


def many_tables(count: int, action_time: float = 20.0) -> tuple[TableSpec, ...]:
    """``count`` NLHE 1/2 six-max tables (benchmarks)."""
    return tuple(
        TableSpec(
            f"t{i}", f"No-Limit Hold'em 1/2 #{i}",
            TableConfig(variant=Variant.NLHE, seats=6, blinds=(1, 2), action_time=action_time),
        )
        for i in range(1, count + 1)
    )
