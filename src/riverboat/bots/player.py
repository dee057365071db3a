"""One bot: an ordinary XMPP user who sits at one table and plays when the dealer asks.

It connects (registering its account the first time), watches its table, sits (or comes back
if it was sitting out, adding chips if it busted), and answers every ``action-required`` for
itself after a short think. When the connection drops it reconnects with a back-off and does
it all again: rejoin the room, sit again only if the seat was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from riverboat.bots.strategy import Decision, Situation, Strategy, big_blind_of
from riverboat.client import (
    ClientError,
    RiverboatClient,
    ServerAddress,
    TableInfo,
    TableWatch,
)
from riverboat.table import events as ev
from riverboat.table.errors import (
    AlreadySeatedError,
    AmountOutOfRangeError,
    HandInProgressError,
    InsufficientChipsError,
    NoHandError,
    NotYourTurnError,
    RateLimitedError,
    SeatTakenError,
    TableError,
)

log = logging.getLogger(__name__)
RATE_LIMIT_PAUSES = (0.2, 0.4, 0.8)
"""Seconds to wait before sending again an action the server refused as too frequent."""


@dataclass(frozen=True, slots=True)
class Think:
    """Seconds a bot waits before acting, drawn uniformly in [low, high]."""

    low: float = 0.3
    high: float = 0.8

    def draw(self, rng: random.Random) -> float:
        return rng.uniform(self.low, max(self.low, self.high))


class Bot:
    def __init__(
        self,
        address: ServerAddress,
        user: str,
        password: str,
        table: TableInfo,
        strategy: Strategy,
        *,
        think: Think | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.address = address
        self.user = user
        self.password = password
        self.table = table
        self.strategy = strategy
        self.think = think or Think()
        self.rng = rng or random.Random()
        self.big_blind = big_blind_of(table.stakes)
        self.client: RiverboatClient | None = None
        self.watch: TableWatch | None = None
        self.sessions = 0
        """Connections that reached a session (more than one: it reconnected)."""
        self.decisions = 0
        self.errors = 0
        self._registered = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._turn_task: asyncio.Task[None] | None = None
        self._turn_again = False
        self._awaiting_answer = False

    def __repr__(self) -> str:
        return f"Bot({self.user!r}, {self.table.table_id!r}, {self.strategy.name})"

    # --- lifecycle ----------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Play until ``stop`` is set, reconnecting after any lost connection."""
        delay = 0.5
        while not stop.is_set():
            client = RiverboatClient(self.address, self.user, self.password, resource="bot")
            self.client = client
            try:
                await client.connect(register=not self._registered)
                self._registered = True
                self.sessions += 1
                delay = 0.5
                await self._session(client, stop)
            except (ClientError, TableError, OSError) as exc:
                log.warning("%s: %s", self.user, exc)
            except Exception:  # a bot plays on whatever happens: log it, start again
                log.exception("%s: unexpected error", self.user)
            finally:
                for task in self._tasks:
                    task.cancel()
                await client.close()
            if stop.is_set():
                break
            log.info("%s: reconnecting in %.1f s", self.user, delay)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await stop.wait()
            delay = min(delay * 2, 30.0)

    async def _session(self, client: RiverboatClient, stop: asyncio.Event) -> None:
        watch = await client.watch(self.table, nick=self.user)
        self.watch = watch

        def after_resync(_: TableWatch) -> None:
            mirror = watch.state
            if mirror.my_turn:  # the action-required may be among the missed events
                self._take_turn(client, watch)
            seat = mirror.my_seat
            if seat is None or seat.sitting_out:  # e.g. the game server restarted
                self._spawn(self._later(0.2, lambda: self._take_seat(client, watch)))

        watch.on_resync = after_resync
        await self._take_seat(client, watch)
        if watch.state.my_turn:  # back in time for a turn announced while we were away
            self._take_turn(client, watch)
        stopping = asyncio.create_task(stop.wait())
        try:
            events = aiter(watch)
            while True:
                following = asyncio.ensure_future(anext(events))
                done, _ = await asyncio.wait(
                    {following, stopping}, return_when=asyncio.FIRST_COMPLETED
                )
                if following not in done:
                    following.cancel()
                    return
                try:
                    event = following.result()
                except StopAsyncIteration:
                    return  # the connection is gone: reconnect
                self._on_event(client, watch, event)
        finally:
            stopping.cancel()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            if isinstance(exc, (ClientError, TableError)):
                log.info("%s: %s", self.user, exc)
            else:
                log.error("%s: unexpected error", self.user, exc_info=exc)

    # --- seat ---------------------------------------------------------------------------------

    def _on_event(self, client: RiverboatClient, watch: TableWatch, event: ev.Event) -> None:
        me = watch.state.me
        match event:
            case ev.ActionRequired(player=player) if player == me:
                self._take_turn(client, watch)
            case ev.PlayerSatOut(player=player) if player == me:
                self._spawn(self._later(0.1, lambda: self._come_back(client, watch)))
            case ev.PlayerLeft(player=player) if player == me or watch.state.my_seat is None:
                self._spawn(self._later(0.2, lambda: self._take_seat(client, watch)))
            case ev.TableResumed():
                # The game server was away: a request of ours (sit, add, back) may have been
                # lost with it. Take the seat again or come back if the mirror says we must.
                self._spawn(self._later(0.2, lambda: self._take_seat(client, watch)))

    def _take_turn(self, client: RiverboatClient, watch: TableWatch) -> None:
        """Play the turn the mirror says is ours. A new turn announced while the last action
        still waits for its answer supersedes it: that answer no longer matters (the action
        went through, or it was lost with a game server that restarted and asks again)."""
        if self._turn_task is not None and not self._turn_task.done():
            if self._awaiting_answer:
                self._turn_task.cancel()
            else:
                self._turn_again = True  # still thinking: it looks at the mirror again
                return
        self._turn_task = self._spawn(self._turns(client, watch))

    async def _turns(self, client: RiverboatClient, watch: TableWatch) -> None:
        again = True
        while again:
            self._turn_again = False
            await self._turn(client, watch)
            again = self._turn_again

    async def _later(self, delay: float, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        await asyncio.sleep(delay)
        await work()

    async def _take_seat(self, client: RiverboatClient, watch: TableWatch) -> None:
        seat = watch.state.my_seat
        if seat is not None:
            if seat.sitting_out:
                await self._come_back(client, watch)
            return
        try:
            await client.sit(self.table)
        except AlreadySeatedError:
            return
        except SeatTakenError as exc:  # also TableFullError
            log.info("%s: no seat at %s: %s", self.user, self.table.table_id, exc)

    async def _come_back(self, client: RiverboatClient, watch: TableWatch) -> None:
        seat = watch.state.my_seat
        if seat is None or not seat.sitting_out:
            return
        if seat.stack + seat.pending == 0:
            await self._add_chips(client, self.table.buy_in_max or 100 * self.big_blind)
        try:
            await client.back(self.table)
        except InsufficientChipsError:
            await self._add_chips(client, self.table.buy_in_max or 100 * self.big_blind)
            await client.back(self.table)
        except TableError as exc:
            log.info("%s: cannot come back: %s", self.user, exc)

    async def _add_chips(self, client: RiverboatClient, amount: int) -> None:
        try:
            await client.add_chips(self.table, amount)
        except AmountOutOfRangeError as exc:
            if exc.maximum > 0:
                await client.add_chips(self.table, exc.maximum)

    # --- play ---------------------------------------------------------------------------------

    async def _turn(self, client: RiverboatClient, watch: TableWatch) -> None:
        await asyncio.sleep(self.think.draw(self.rng))
        mirror = watch.state
        if not mirror.my_turn:
            return  # it moved on (timed out, or a re-sync says otherwise)
        if mirror.cards_stale or (mirror.hand_in_progress and not mirror.my_cards):
            await watch.refresh()
        situation = Situation.from_mirror(watch.state, self.big_blind)
        if situation is None:
            return
        decision = self.strategy.decide(situation, self.rng)
        self.decisions += 1
        log.debug("%s: %s facing %s -> %s", self.user, situation.cards, situation.to_call, decision)
        await self._play(client, decision, situation)

    async def _send(self, client: RiverboatClient, decision: Decision) -> None:
        """Send ``decision``; when rate-limited (an error of type "wait"), wait and send again."""
        self._awaiting_answer = True
        try:
            for pause in (*RATE_LIMIT_PAUSES, None):
                try:
                    await client.act(
                        self.table, decision.kind, amount=decision.amount,
                        cards=decision.cards or None,
                    )
                    return
                except RateLimitedError:
                    if pause is None:
                        raise
                    await asyncio.sleep(pause)
        finally:
            self._awaiting_answer = False

    async def _play(
        self, client: RiverboatClient, decision: Decision, situation: Situation
    ) -> None:
        """Send ``decision``; if refused, clamp its amount or fall back to a passive action."""
        try:
            await self._send(client, decision)
            return
        except (NotYourTurnError, NoHandError, HandInProgressError, RateLimitedError) as exc:
            log.debug("%s: %s refused: %s", self.user, decision, exc)
            return
        except AmountOutOfRangeError as exc:
            self.errors += 1
            if decision.amount is not None and exc.maximum >= exc.minimum > 0:
                amount = min(max(decision.amount, exc.minimum), exc.maximum)
                with contextlib.suppress(TableError):
                    await self._send(client, Decision(decision.kind, amount))
                    return
        except TableError:
            self.errors += 1
        order = ("call", "check") if situation.to_call else ("check", "call")
        for kind in (*order, "bringin", "discard", "fold"):
            try:
                await self._send(client, Decision(kind))
                return
            except (NotYourTurnError, NoHandError, HandInProgressError, RateLimitedError):
                return
            except TableError:
                continue
        log.info("%s: nothing was accepted at %s", self.user, self.table.table_id)
