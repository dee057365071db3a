"""The game server's store: tables rebuilt at start-up, journals for the actors, wallets at sit.

``open_persistence`` opens the store, restores every saved table (the configured ones and those
an admin opened at run time) from its checkpoint and journal, and hands the component the tables
with their players' names. Buy-ins come from the player's wallet (``fund``).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from riverboat.protocol.intents import Intent, IntentKind
from riverboat.server.journal import TableJournal, restore
from riverboat.server.settings import ServerSettings
from riverboat.store import Store
from riverboat.store.deck_cipher import DeckCipher, load_or_create_key
from riverboat.store.errors import UnknownTableError
from riverboat.store.records import SavedTable
from riverboat.table.config import TableConfig
from riverboat.table.errors import InsufficientChipsError
from riverboat.table.events import PlayerId
from riverboat.table.state import config_from_dict, config_to_dict
from riverboat.table.table import Table

log = logging.getLogger(__name__)
DECK_KEY_ENV = "RIVERBOAT_DECK_KEY"


@dataclass
class Persistence:
    """The store as one game server sees it.

    In the store a table is known by its JID (``t1@games.example.org``), not by the local id
    the component uses (``t1``): several game servers (one component domain each) can share one
    PostgreSQL store, each restoring only its own tables.
    """

    store: Store
    cipher: DeckCipher
    domain: str
    names: dict[str, dict[PlayerId, str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    clock: Callable[[], float] = time.time

    def store_id(self, table_id: str) -> str:
        return f"{table_id}@{self.domain}"

    def local_id(self, store_id: str) -> str | None:
        """The local id of one of this server's tables; ``None`` for another server's."""
        local, at, domain = store_id.rpartition("@")
        return local if at and domain == self.domain else None

    def store_titles(self, titles: dict[str, str]) -> dict[str, str]:
        """``titles`` (by local id) by store id, for wallets and histories that name tables."""
        return {self.store_id(t): title for t, title in titles.items()}

    async def save_table(self, table_id: str, title: str, config: TableConfig) -> None:
        await self.store.save_table(self.store_id(table_id), title, config_to_dict(config))

    def journal_for(
        self, table_id: str, names: dict[PlayerId, str], config: TableConfig
    ) -> TableJournal:
        return TableJournal(
            self.store, self.store_id(table_id), names, self.cipher, config, self.clock
        )

    async def fund(
        self, player: PlayerId, name: str | None, intent: Intent, config: TableConfig
    ) -> Intent:
        """A buy-in (``sit``) or a top-up (``add``) checked against the player's wallet.

        A bare ``sit`` brings the table's default buy-in, or the whole wallet if it holds less
        (but at least the table's minimum). The store debits the wallet when the table accepts.
        """
        wallet = await self.store.touch_player(player, name)
        low, _ = config.buy_in_range
        if intent.kind is IntentKind.SIT and intent.amount is None:
            amount = min(config.buy_in, wallet.balance)
            if amount < low:
                raise InsufficientChipsError(
                    f"your wallet holds {wallet.balance} chips: the minimum buy-in is {low}"
                )
            return replace(intent, amount=amount)
        if intent.amount is not None and intent.amount > wallet.balance:
            raise InsufficientChipsError(
                f"your wallet holds {wallet.balance} chips: not enough for {intent.amount}"
            )
        return intent


def deck_key(settings: ServerSettings) -> bytes:
    if settings.deck_key is not None:
        return settings.deck_key
    env = os.environ.get(DECK_KEY_ENV)
    if env:
        return env.encode()
    return load_or_create_key(settings.data_dir / "deck.key")


async def open_persistence(
    settings: ServerSettings, url: str, clock: Callable[[], float] = time.time
) -> tuple[Persistence, dict[str, Table]]:
    """The store, and every table it holds or the settings name, rebuilt (configured first)."""
    store = await Store.open(url)
    try:
        persistence = Persistence(
            store, DeckCipher(deck_key(settings)), settings.component, clock=clock
        )
        saved = await _own_saved_tables(persistence)
        tables: dict[str, Table] = {}
        configured = {spec.table_id: spec for spec in settings.tables}
        for table_id in [*configured, *(t for t in saved if t not in configured)]:
            spec = configured.get(table_id)
            config = spec.config if spec is not None else config_from_dict(saved[table_id].config)
            title = spec.name if spec is not None else saved[table_id].title
            if table_id in saved:
                try:
                    restored = restore(saved[table_id], persistence.cipher, clock, config)
                except Exception:
                    # Not one table's trouble for the others: this one stays closed, its
                    # stored state untouched, for the operator to look at.
                    log.exception("table %s cannot be restored: it is not opened", table_id)
                    continue
                tables[table_id] = restored.table
                persistence.names[table_id] = restored.names
                log.info(
                    "table %s restored: hand %d%s, %d seated", table_id, restored.table.hand_no,
                    " in progress" if restored.table.hand else "", len(restored.table.seats),
                )
            else:
                tables[table_id] = Table(config, clock=clock)
            persistence.titles[table_id] = title
            await persistence.save_table(table_id, title, config)
    except BaseException:
        await store.close()
        raise
    return persistence, tables


async def _own_saved_tables(persistence: Persistence) -> dict[str, SavedTable]:
    """This server's saved tables by local id. Tables saved under a bare id (``t1``, before
    store ids were table JIDs) are taken over: renamed to this server's JID for them."""
    store = persistence.store
    own: dict[str, SavedTable] = {}
    for saved in await store.saved_tables():
        if "@" not in saved.table_id:
            new = persistence.store_id(saved.table_id)
            try:
                await store.rename_table(saved.table_id, new)
            except UnknownTableError:  # another server starting meanwhile took it over
                continue
            log.info("table %s is now stored as %s", saved.table_id, new)
            own[saved.table_id] = replace(saved, table_id=new)
        elif (local := persistence.local_id(saved.table_id)) is not None:
            own[local] = saved
    return own
