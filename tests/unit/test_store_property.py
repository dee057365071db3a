"""Random buy-ins, hands and stand-ups keep the ledger balanced (SQLite, hypothesis)."""

from __future__ import annotations

import asyncio
import random
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riverboat.store.records import BankrollPolicy, HandRecord, Transfer
from riverboat.store.store import Store
from riverboat.table.errors import InsufficientChipsError

PLAYERS = [f"p{i}@example.org" for i in range(4)]
POLICY = BankrollPolicy(initial_grant=2_000, topup_floor=500, topup_period=86_400.0)
TABLE = "t1"

Op = tuple[str, int, int]
ops = st.lists(
    st.one_of(
        st.tuples(st.just("sit"), st.integers(0, 3), st.integers(1, 2_500)),
        st.tuples(st.just("hand"), st.integers(0, 2**32), st.just(0)),
        st.tuples(st.just("stand"), st.integers(0, 3), st.booleans().map(int)),
        st.tuples(st.just("wait"), st.integers(6, 48), st.just(0)),
        st.tuples(st.just("touch"), st.integers(0, 3), st.just(0)),
    ),
    min_size=5,
    max_size=40,
)


@dataclass
class Model:
    """What the wallets and stacks should be: the store's behaviour written the simple way."""

    now: datetime = datetime(2025, 1, 1, tzinfo=UTC)
    wallets: dict[str, int] = field(default_factory=dict)
    last_topup: dict[str, datetime] = field(default_factory=dict)
    stacks: dict[str, int] = field(default_factory=dict)
    sources: int = 0
    hand_no: int = 0

    def touch(self, player: str) -> None:
        if player not in self.wallets:
            self.wallets[player] = POLICY.initial_grant
            self.last_topup[player] = self.now
            self.sources += POLICY.initial_grant
        elif (self.wallets[player] < POLICY.topup_floor
              and self.now - self.last_topup[player] >= timedelta(seconds=POLICY.topup_period)):
            self.sources += POLICY.topup_floor - self.wallets[player]
            self.wallets[player] = POLICY.topup_floor
            self.last_topup[player] = self.now

    def checkpoint(self) -> dict[str, object]:
        return {"seats": [
            {"player": p, "stack": s, "pending_chips": 0} for p, s in self.stacks.items()]}


def random_nets(stacks: dict[str, int], seed: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A zero-sum result: each player loses at most their stack, the pot goes to anyone."""
    rng = random.Random(seed)
    players = tuple(p for p, s in stacks.items() if s > 0)
    losses = [rng.randint(0, stacks[p]) for p in players]
    gains = [0] * len(players)
    for _ in range(sum(losses)):
        gains[rng.randrange(len(players))] += 1
    return players, tuple(g - loss for g, loss in zip(gains, losses, strict=True))


async def step(store: Store, model: Model, op: Op) -> None:
    kind, a, b = op
    if kind == "wait":
        model.now += timedelta(hours=a)
    elif kind == "touch":
        model.touch(PLAYERS[a])
        wallet = await store.touch_player(PLAYERS[a])
        assert wallet.balance == model.wallets[PLAYERS[a]]
    elif kind == "sit":
        player, amount = PLAYERS[a], b
        # A refused buy-in rolls back the touch too (creation, top-up): so does the model.
        before = (dict(model.wallets), dict(model.last_topup), model.sources)
        model.touch(player)
        try:
            await store.append(TABLE, {"op": "sit", "player": player},
                               [Transfer("buy_in", player, TABLE, amount)])
        except InsufficientChipsError:
            assert amount > model.wallets[player]
            model.wallets, model.last_topup, model.sources = before
            return
        assert amount <= model.wallets[player]
        model.wallets[player] -= amount
        model.stacks[player] = model.stacks.get(player, 0) + amount
    elif kind == "hand":
        players, net = random_nets(model.stacks, a)
        if len(players) < 2:
            return
        model.hand_no += 1
        for player, chips in zip(players, net, strict=True):
            model.stacks[player] += chips
        record = HandRecord(TABLE, model.hand_no, model.now, players, net, "hand = 1")
        await store.finish_hand(TABLE, record, model.checkpoint())
    elif kind == "stand":
        player = PLAYERS[a]
        if player not in model.stacks:
            return
        stack = model.stacks.pop(player)
        moves = [Transfer("cash_out", player, TABLE, stack)] if stack else []
        await store.append(TABLE, {"op": "stand", "player": player}, moves)
        model.wallets[player] += stack
        if b:
            await store.checkpoint(TABLE, model.checkpoint())


async def check(store: Store, model: Model) -> None:
    report = await store.audit()
    assert report.ok, report.discrepancies
    assert report.chips_in_play == report.sources == model.sources
    assert sum(model.wallets.values()) + sum(model.stacks.values()) == model.sources
    for player in PLAYERS:
        wallet = await store.wallet(player)
        assert wallet.balance == model.wallets.get(player, 0)
        held = model.stacks.get(player, 0)
        assert wallet.on_tables == ({TABLE: held} if held else {})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_random_play_keeps_the_ledger_balanced(script: list[Op]) -> None:
    model = Model()
    with tempfile.TemporaryDirectory() as folder, asyncio.Runner() as runner:
        url = f"sqlite:///{Path(folder) / 'riverboat.db'}"
        store = runner.run(Store.open(url, POLICY, clock=lambda: model.now))
        try:
            runner.run(store.save_table(TABLE, "Table 1", {}))
            for op in script:
                runner.run(step(store, model, op))
            runner.run(check(store, model))
        finally:
            runner.run(store.close())
