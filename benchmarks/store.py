"""The table journal alone: CPU per hand of storing a table's inputs and finished hands.

One 6-max NLHE table of calling stations is played in this process, each input applied and
recorded as the table actor does it (``apply_entry`` then ``TableJournal.record``), without
XMPP. The same hands run without a store (the baseline: the table runtime) and on each store;
CPU is this process's (SQLite's work, in aiosqlite's thread, included), and PostgreSQL's own
server CPU is reported beside it.

    python benchmarks/store.py --hands 300 --stores none,sqlite,postgresql
    python benchmarks/store.py --hands 300 --stores sqlite --profile 25   # cProfile, top 25
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet

from _store_bench import Stores, parse_kinds
from riverboat.protocol.intents import Intent, IntentKind
from riverboat.server.journal import Entry, TableJournal, apply_entry, intent_entry, start_entry
from riverboat.store import Store
from riverboat.store.deck_cipher import DeckCipher
from riverboat.table.config import TableConfig, Variant
from riverboat.table.events import PlayerId
from riverboat.table.state import config_to_dict
from riverboat.table.table import Table

PLAYERS = [PlayerId(f"bot{i}@bench.localhost") for i in range(6)]


async def play(table: Table, journal: TableJournal | None, hands: int, cipher: DeckCipher) -> int:
    """Seat six players, play ``hands`` hands; returns the inputs applied."""
    inputs = 0
    clock = time.time

    async def run(entry: Entry, deck: object = None) -> None:
        nonlocal inputs
        events = apply_entry(table, entry, deck=deck, cipher=cipher)  # type: ignore[arg-type]
        if journal is not None and events:
            await journal.record(table, entry, events)
        inputs += 1

    for player in PLAYERS:
        await run(intent_entry(player, Intent(IntentKind.SIT, amount=200), clock(), "bot"))
    for _ in range(hands):
        for seat in list(table.seats.values()):  # busted players buy chips again
            if seat.stack == 0:
                add = Intent(IntentKind.ADD_CHIPS, amount=200)
                await run(intent_entry(seat.player, add, clock()))
        if not table.can_start_hand():
            raise RuntimeError("the table cannot start a hand")
        deck = table.new_cards()
        await run(start_entry(clock(), deck, cipher), deck)
        while table.hand is not None:
            legal = table.legal_actions()
            kind = IntentKind.CHECK if legal.check else IntentKind.CALL
            await run(intent_entry(legal.player, Intent(kind), clock()))
    return inputs


async def measure(
    kind: str, url: str, hands: int, profile: int, database: Callable[[], float] | None
) -> tuple[float, int, float | None]:
    config = TableConfig(variant=Variant.NLHE, seats=6, blinds=(1, 2))
    cipher = DeckCipher(Fernet.generate_key())
    table = Table(config)
    store = None if url == "none" else await Store.open(url)
    journal = None
    if store is not None:
        await store.save_table("t1", "bench", config_to_dict(config))
        journal = TableJournal(store, "t1", {}, cipher, config, time.time)
    profiler = cProfile.Profile(time.process_time) if profile else None
    start, db0 = time.process_time(), database() if database else 0.0
    if profiler is not None:
        profiler.enable()
    try:
        inputs = await play(table, journal, hands, cipher)
    finally:
        if profiler is not None:
            profiler.disable()
        cpu = time.process_time() - start
        db = database() - db0 if database else None  # before the backends exit
        if store is not None:
            await store.close()
    if profiler is not None:
        print(f"\n--- {kind}: cProfile (CPU clock), top {profile} by cumulative time")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    return cpu, inputs, db


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hands", type=int, default=300)
    parser.add_argument("--stores", default="none,sqlite,postgresql")
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N")
    args = parser.parse_args()
    try:
        kinds = parse_kinds(args.stores)
    except ValueError as exc:
        parser.error(str(exc))
    stores = Stores()
    rows = []
    try:
        for kind in kinds:
            with tempfile.TemporaryDirectory(prefix="riverboat-bench-") as tmp:
                url = stores.url(kind, Path(tmp))
                database = stores.cpu_probe(kind)
                cpu, inputs, db = asyncio.run(
                    measure(kind, url, args.hands, args.profile, database)
                )
            rows.append((kind, cpu, inputs, db))
    finally:
        stores.close()
    base = next((cpu for kind, cpu, _, _ in rows if kind == "none"), None)
    print(f"\n{args.hands} hands, one 6-max table of calling stations, no XMPP")
    print("| store | CPU / hand | inputs / hand | extra CPU / input | PostgreSQL CPU / hand |")
    print("|---|---|---|---|---|")
    for kind, cpu, inputs, db in rows:
        extra = f"{(cpu - base) / inputs * 1e3:.2f} ms" if base is not None else "—"
        pg = f"{db / args.hands * 1e3:.1f} ms" if db is not None else "—"
        print(
            f"| {kind} | {cpu / args.hands * 1e3:.1f} ms | {inputs / args.hands:.1f}"
            f" | {extra} | {pg} |"
        )


if __name__ == "__main__":
    main()
