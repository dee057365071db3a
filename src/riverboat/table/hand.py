"""One hand in progress: a pokerkit ``State`` dealt from Riverboat's own cards.

:class:`HandRunner` builds the state for a :class:`HandPlan`, deals whenever pokerkit asks
(burns, hole cards, board cards), runs the player actions as verify / can / do triads, and turns
every pokerkit operation into table events (:mod:`riverboat.table.operations`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar, cast

from pokerkit import Automation, Card, HandHistory, Mode, Poker, State

from riverboat.table import rule_warnings
from riverboat.table.cards import CardSource, ShuffledDeck, parse_cards
from riverboat.table.config import TableConfig, Variant
from riverboat.table.errors import AmountOutOfRangeError, CardError, IllegalActionError
from riverboat.table.evaluation import fast_hand_types
from riverboat.table.events import Event, PlayerId, SeatNo
from riverboat.table.operations import OperationTranslator
from riverboat.table.showdown import show_or_muck_next, speed_up

T = TypeVar("T")

LIVE_AUTOMATIONS = (
    Automation.ANTE_POSTING,
    Automation.BET_COLLECTION,
    Automation.BLIND_OR_STRADDLE_POSTING,
    Automation.RUNOUT_COUNT_SELECTION,
    Automation.HOLE_CARDS_SHOWING_OR_MUCKING,
    Automation.HAND_KILLING,
    Automation.CHIPS_PUSHING,
    Automation.CHIPS_PULLING,
)
"""Everything but dealing (ours, from our cards); replays also show or muck by the record."""
GAME_AUTOMATIONS = tuple(
    a for a in LIVE_AUTOMATIONS if a is not Automation.HOLE_CARDS_SHOWING_OR_MUCKING
)
"""What pokerkit itself is asked to automate. Live hands show or muck exactly as its automation
would, but :func:`riverboat.table.showdown.show_or_muck_next` runs it (far cheaper); replays
show or muck as the record says."""


@dataclass(frozen=True, slots=True)
class HandPlan:
    """Who plays the next hand, in pokerkit's order (first after the button, button last)."""

    hand_no: int
    button: SeatNo | None
    seats: tuple[SeatNo, ...]
    players: tuple[PlayerId, ...]
    stacks: tuple[int, ...]
    dead_posts: frozenset[SeatNo] = frozenset()


@dataclass(frozen=True, slots=True)
class LegalActions:
    """What the player to act may do now, with the amounts that are allowed."""

    seat: SeatNo
    player: PlayerId
    fold: bool = False
    check: bool = False
    call: int | None = None
    """The amount a call adds (``None``: no call possible)."""
    raise_range: tuple[int, int] | None = None
    """Allowed (min, max) 'to' amounts for a bet, raise or completion."""
    bring_in: int | None = None
    discard: bool = False
    """Draw games: the player stands pat or discards."""


@lru_cache(maxsize=256)
def _game_for(config: TableConfig, antes: tuple[int, ...], trimming: bool) -> Poker:
    """The pokerkit game for these forced bets (cached: games are immutable recipes)."""
    game_type = HandHistory.game_types[config.variant.value]
    kwargs: dict[str, object] = {
        "automations": GAME_AUTOMATIONS,
        "ante_trimming_status": trimming,
        "raw_antes": antes,
        "mode": Mode.CASH_GAME,
    }
    fields = HandHistory.required_field_names[config.variant.value]
    if "blinds_or_straddles" in fields:
        kwargs["raw_blinds_or_straddles"] = config.blinds
    if "bring_in" in fields:
        kwargs["bring_in"] = config.bring_in
    if "min_bet" in fields:
        kwargs["min_bet"] = config.effective_min_bet
    if "small_bet" in fields:
        kwargs["small_bet"] = config.small_bet
        kwargs["big_bet"] = config.big_bet
    game: Poker = cast(Any, game_type)(**kwargs)
    # An instance attribute shadows the class's: same rules, faster evaluation.
    game.hand_types = fast_hand_types(type(game).hand_types)  # type: ignore[misc]
    return game


def _hand_antes(config: TableConfig, plan: HandPlan) -> tuple[tuple[int, ...], bool]:
    """Per-position antes for this hand: the configured ones plus any dead big blind posts."""
    n = len(plan.seats)
    if isinstance(config.antes, int):
        base = [config.antes] * n
        trimming = True
    else:
        base = [*config.antes[:n], *([0] * max(0, n - len(config.antes)))]
        trimming = False
    for position, seat in enumerate(plan.seats):
        if seat in plan.dead_posts:
            base[position] += config.big_blind
            trimming = False
    return tuple(base), trimming


class HandRunner:
    """Runs one hand. Player arguments are pokerkit player indices (positions in the plan)."""

    def __init__(
        self,
        config: TableConfig,
        plan: HandPlan,
        cards: CardSource,
        *,
        live: bool = True,
        ante_trimming: bool | None = None,
    ) -> None:
        self.config = config
        self.plan = plan
        self.live = live
        self._cards = cards
        antes, trimming = _hand_antes(config, plan)
        if ante_trimming is not None:
            trimming = ante_trimming
        self.game = _game_for(config, antes, trimming)
        self._dealt: set[Card] = set()
        self._guarded = False
        self._legal: tuple[int, int, LegalActions] | None = None
        self.translator = OperationTranslator(config, plan)
        self.state: State = speed_up(
            self._guard(lambda: self.game(list(plan.stacks), len(plan.seats)))
        )
        if isinstance(cards, ShuffledDeck):
            _order_deck(self.state, cards.undealt())

    # --- plumbing ---------------------------------------------------------------------------

    def _guard(self, call: Callable[[], T]) -> T:
        """Run pokerkit code with its rule warnings as errors (live) or ignored (replays), and
        its refusals translated into domain errors. Nested calls share the outer call's."""
        if self._guarded:
            return call()
        self._guarded = True
        previous = rule_warnings.set_mode(
            rule_warnings.Mode.STRICT if self.live else rule_warnings.Mode.QUIET
        )
        try:
            return call()
        except rule_warnings.RuleWarningError as exc:
            raise CardError(f"refused by the rules engine: {str(exc).lower()}") from exc
        except ValueError as exc:
            if isinstance(exc, IllegalActionError):
                raise
            raise IllegalActionError(_lower_first(str(exc))) from exc
        finally:
            rule_warnings.set_mode(previous)
            self._guarded = False

    def _new_events(self, next_seq: Callable[[], int]) -> list[Event]:
        return self.translator.translate(self.state, next_seq)

    def advance(self, next_seq: Callable[[], int]) -> list[Event]:
        """Deal whatever pokerkit waits for, then return the events of everything that happened."""
        self._guard(self._deal_pending)
        return self._new_events(next_seq)

    def step(self, action: Callable[[], None], next_seq: Callable[[], int]) -> list[Event]:
        """Run a player action and the dealing it leads to, under one guard."""

        def both() -> None:
            action()
            self._deal_pending()

        self._guard(both)
        return self._new_events(next_seq)

    def _deal_pending(self) -> None:
        """Deal what pokerkit waits for and, live, run its showdowns, until a player must act."""
        state = self.state
        # pokerkit's can_* checks scan the deck for every card: cheaper status reads decide.
        while state.status:
            if _burn_pending(state):
                if self._cards.remaining() == 0:
                    self._refill()
                state.burn_card(self._cards.burn_card())
            elif (index := _hole_dealee(state)) is not None:
                if self._cards.remaining() == 0:
                    self._refill()
                # All of this street's cards for the player at once: the deck is uniformly
                # shuffled, so the order of dealing changes nothing but the cost.
                count = min(len(state.hole_dealing_statuses[index]), self._cards.remaining())
                cards = tuple(self._take(self._cards.hole_card(index)) for _ in range(count))
                state.deal_hole(cards, index)
            elif count := state.board_dealing_count or 0:
                if self._cards.remaining() < count:
                    self._refill()  # stud with many players: the community card
                state.deal_board(tuple(self._take(self._cards.board_card()) for _ in range(count)))
            elif not (self.live and show_or_muck_next(state)):
                break

    def _refill(self) -> None:
        """Draw games can use up the deck: the burnt, mucked and discarded cards are reshuffled
        (from our CSPRNG) and dealt again, as pokerkit and card rooms do."""
        reserve = tuple(self.state.reserved_cards)
        self._dealt.difference_update(reserve)
        self._cards.refill(reserve)

    def _take(self, card: Card) -> Card:
        if card.unknown_status:
            return card
        if card in self._dealt:
            raise CardError(f"card {card!r} was dealt twice")
        self._dealt.add(card)
        return card

    # --- who acts ---------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return not self.state.status

    @property
    def to_act(self) -> int | None:
        """The player index whose decision the hand waits for, if any."""
        state = self.state
        if state.actor_index is not None:
            return state.actor_index
        if state.stand_patter_or_discarder_index is not None:
            return state.stand_patter_or_discarder_index
        if not self.live and state.status and state.showdown_index is not None:
            return state.showdown_index
        return None

    def legal_actions(self, index: int) -> LegalActions:
        """What player ``index`` may do now (cached until the hand moves on)."""
        marker = len(self.state.operations)
        if self._legal is not None and self._legal[:2] == (marker, index):
            return self._legal[2]
        legal = self._compute_legal(index)
        self._legal = (marker, index, legal)
        return legal

    def _compute_legal(self, index: int) -> LegalActions:
        state = self.state
        seat, player = self.plan.seats[index], self.plan.players[index]
        if state.stand_patter_or_discarder_index == index:
            return LegalActions(seat, player, discard=True)
        if state.actor_index != index:
            return LegalActions(seat, player)
        to_call = state.checking_or_calling_amount or 0
        raise_range = None
        # Each of pokerkit's amount properties re-verifies the whole betting state: ask once.
        low = state.min_completion_betting_or_raising_to_amount
        if low is not None:
            high = state.max_completion_betting_or_raising_to_amount
            if high is not None:
                raise_range = (low, high)
        bring_in = state.effective_bring_in_amount if state.can_post_bring_in() else None
        return LegalActions(
            seat,
            player,
            fold=bring_in is None and to_call > 0,
            check=bring_in is None and to_call == 0,
            call=to_call if bring_in is None and to_call > 0 else None,
            raise_range=raise_range,
            bring_in=bring_in,
        )

    # --- actions: verify (raises) / can (bool) / do ---------------------------------------

    def _verify_actor(self, index: int) -> None:
        if self.state.actor_index != index:
            raise IllegalActionError("it is not this player's turn to bet")

    def verify_fold(self, index: int) -> None:
        self._verify_actor(index)
        if self.state.can_post_bring_in():
            raise IllegalActionError("you must post the bring-in or complete")
        if not self.state.checking_or_calling_amount:
            raise IllegalActionError("nothing to call: check instead of folding")

    def verify_check(self, index: int) -> None:
        self._verify_actor(index)
        if self.state.can_post_bring_in():
            raise IllegalActionError("you must post the bring-in or complete")
        owed = self.state.checking_or_calling_amount
        if owed:
            raise IllegalActionError(f"cannot check: {owed} to call")

    def verify_call(self, index: int) -> None:
        self._verify_actor(index)
        if self.state.can_post_bring_in():
            raise IllegalActionError("you must post the bring-in or complete")
        if not self.state.checking_or_calling_amount:
            raise IllegalActionError("nothing to call: check instead")

    def verify_bet_or_raise_to(self, index: int, amount: int) -> None:
        self._verify_actor(index)
        state = self.state
        legal = self.legal_actions(index)
        if legal.raise_range is None:
            raise IllegalActionError("no bet or raise is possible now")
        low, high = legal.raise_range
        if not low <= amount <= high:
            word = "bet" if not any(state.bets) else "raise"
            if low == high:
                message = f"{word} must be exactly {low}, not {amount}"
            else:
                message = f"{word} must be between {low} and {high}, not {amount}"
            raise AmountOutOfRangeError(message, low, high)

    def verify_post_bring_in(self, index: int) -> None:
        self._verify_actor(index)
        if not self.state.can_post_bring_in():
            raise IllegalActionError("there is no bring-in to post")

    def verify_discard(self, index: int, cards: tuple[Card, ...]) -> None:
        state = self.state
        if state.stand_patter_or_discarder_index != index:
            raise IllegalActionError("it is not this player's turn to draw")
        self._guard(lambda: state.verify_standing_pat_or_discarding(cards))

    def fold(self, index: int) -> None:
        self.verify_fold(index)
        self._guard(self.state.fold)

    def check(self, index: int) -> None:
        self.verify_check(index)
        self._guard(self.state.check_or_call)

    def call(self, index: int) -> None:
        self.verify_call(index)
        self._guard(self.state.check_or_call)

    def bet_or_raise_to(self, index: int, amount: int) -> None:
        self.verify_bet_or_raise_to(index, amount)
        self._guard(lambda: self.state.complete_bet_or_raise_to(amount))

    def post_bring_in(self, index: int) -> None:
        self.verify_post_bring_in(index)
        self._guard(self.state.post_bring_in)

    def discard(self, index: int, cards: tuple[Card, ...]) -> None:
        self.verify_discard(index, cards)
        self._guard(lambda: self.state.stand_pat_or_discard(cards))

    def show_or_muck(self, index: int, cards: tuple[Card, ...] | bool | None) -> bool:
        """Show (or muck) at showdown, as a record says. Outside a showdown, showing is an
        all-in exposure: returns False and changes nothing in the hand (the caller reports it).
        """
        state = self.state
        if state.can_show_or_muck_hole_cards(cards, index):
            self._guard(lambda: state.show_or_muck_hole_cards(cards, index))
            return True
        if isinstance(cards, tuple) and state.status and state.actor_index is None:
            return False
        raise IllegalActionError("there is no showdown for this player now")

    def auto_show_or_muck(self) -> None:
        """Finish a recorded showdown the record left out: show if the hand can win."""
        state = self.state
        while state.status and state.showdown_index is not None:
            self._guard(state.show_or_muck_hole_cards)

    def timeout_action(self, index: int) -> None:
        """What the clock does for a player who did not act: check, else fold; stand pat."""
        state = self.state
        if state.stand_patter_or_discarder_index == index:
            self.discard(index, ())
        elif state.can_post_bring_in():
            self.post_bring_in(index)
        elif (state.checking_or_calling_amount or 0) == 0 and state.can_check_or_call():
            self.check(index)
        else:
            self.fold(index)

    # --- chips ------------------------------------------------------------------------------

    def chips_in_play(self) -> int:
        """Stacks + pots of the players in this hand: constant while the hand runs.
        (pokerkit counts the street's bets in its pots.)"""
        state = self.state
        return sum(state.stacks) + state.total_pot_amount

    def final_stacks(self) -> tuple[int, ...]:
        return tuple(self.state.stacks)


def _order_deck(state: State, cards: Sequence[Card]) -> None:
    """Put pokerkit's deck in the order ``cards`` will be dealt (the rest after, as they were).

    pokerkit keeps a deck of its own only to check and remove each card dealt to it, scanning
    it with a Python ``__eq__`` per card passed: a tenth of a hand. Once ordered, every card
    dealt is the first one it looks at. Its order is used for nothing else, since every card is
    dealt by name (only pokerkit's own dealing would take the first ones).

    Cards are matched by rank and suit, what makes them equal (hashing a ``Card`` itself runs
    Python code); the deck keeps pokerkit's own card objects.
    """
    deck = state.deck_cards
    remaining = {(card.rank, card.suit): card for card in deck}
    first = []
    for card in cards:
        mine = remaining.pop((card.rank, card.suit), None)
        if mine is not None:
            first.append(mine)
    deck.clear()
    deck.extend(first)
    deck.extend(remaining.values())


def _burn_pending(state: State) -> bool:
    """pokerkit's burn conditions (``_verify_card_burning``) without its scan of the deck."""
    return bool(
        state.card_burning_status
        and not any(state.standing_pat_or_discarding_statuses)
        and not (any(state.hole_dealing_statuses) and any(state.board_dealing_counts))
    )


def _hole_dealee(state: State) -> int | None:
    """The player pokerkit waits to deal hole cards to, if any (``_verify_hole_dealing``'s
    conditions, without its scan of the deck)."""
    if (
        (state.card_burning_status and not any(state.board_dealing_counts))
        or not any(state.hole_dealing_statuses)
        or any(state.standing_pat_or_discarding_statuses)
    ):
        return None
    index = state.hole_dealee_index
    if index is None or not state.hole_dealing_statuses[index]:
        return None
    return index


def _lower_first(text: str) -> str:
    text = text.strip()
    return text[:1].lower() + text[1:] if text else "illegal action"


def cards_arg(text: str) -> tuple[Card, ...]:
    return parse_cards(text)


VARIANT_GAMES: dict[Variant, type[Poker]] = {
    v: HandHistory.game_types[v.value] for v in Variant
}
