"""pokerkit's automatic show-or-muck, decided by Riverboat: the same decisions, at a fraction of
the cost.

With ``Automation.HOLE_CARDS_SHOWING_OR_MUCKING``, pokerkit shows the next hand in its showdown
order if ``state.all_in_status or state.can_win_now(player)``, and mucks it otherwise. It asks
``can_win_now`` twice per player (``can_show_or_muck_hole_cards()``, then
``show_or_muck_hole_cards()``), and every call rebuilds the pots and evaluates every player's up
hand again; its hand killing then asks once more for every hand still in: a third of a calling
station's hand. So the live table leaves that automation off and calls
:func:`show_or_muck_next` whenever pokerkit waits at a showdown: it takes pokerkit's decision
once and hands pokerkit an explicit ``bool``, which pokerkit verifies and applies exactly as its
automation would (same operations, same order). :func:`speed_up` gives a state a
``can_win_now`` that answers as pokerkit's does, with less work (for the decision above and for
the hand killing).

Both follow pokerkit 0.7.7's ``State`` step for step; ``tests/unit/test_showdown.py`` plays
random hands both ways.
"""

from __future__ import annotations

from itertools import compress
from weakref import ref

from pokerkit import Card, Hand, State, max_or_none

__all__ = ["CanWinNow", "show_or_muck_next", "speed_up"]

_Cards = tuple[Card, ...]


def show_or_muck_next(state: State) -> bool:
    """Show or muck the next hand of a showdown, as pokerkit's automation would.

    Returns False, changing nothing, where the automation would not act either (no showdown is
    waiting, or pokerkit refuses the decision, e.g. an unknown card would be shown).
    """
    # The automation acts if ``can_show_or_muck_hole_cards()``: these are its checks before the
    # decision; pokerkit checks the rest once the decision is known.
    if state.street is None or not state.showdown_indices:
        return False
    player = state.showdown_indices[0]
    if not state.statuses[player]:
        return False
    status = state.all_in_status or state.can_win_now(player)  # pokerkit's rule
    if not state.can_show_or_muck_hole_cards(status):
        return False
    state.show_or_muck_hole_cards(status)
    return True


def speed_up(state: State) -> State:
    """Give ``state`` a :class:`CanWinNow` in place of its ``can_win_now`` (an instance attribute
    shadows the method, and pokerkit's own calls find it too)."""
    state.can_win_now = CanWinNow(state)  # type: ignore[method-assign]
    return state


class CanWinNow:
    """``State.can_win_now`` for one state, step for step, without pokerkit's repeated work.

    The same boards, hand types and pots in the same order, the same ``max``/``<=`` comparisons
    and the same exceptions caught. Players with no card up share one evaluation, and the
    players of each pot are remembered while nothing they depend on changes.
    """

    __slots__ = ("_key", "_pots", "_state")

    def __init__(self, state: State) -> None:
        # A weak reference: the state holds this object, and no cycle delays freeing it.
        self._state = ref(state)
        self._key: tuple[tuple[object, ...], ...] | None = None
        self._pots: list[tuple[int, ...]] = []

    def __call__(self, player_index: int) -> bool:
        state = self._live_state()
        pots = self._pot_players(state)
        for board_index in state.board_indices:
            board = tuple(state.get_board_cards(board_index))
            for hand_type in state.hand_types:
                hands = _up_hands(state, hand_type, board)
                hand = _hand(state, player_index, hand_type, board)
                for players in pots:
                    if player_index not in players:
                        continue
                    best = max_or_none(map(hands.__getitem__, players))
                    if hand is not None and (best is None or best <= hand):
                        return True
        return False

    def _live_state(self) -> State:
        state = self._state()
        if state is None:  # pragma: no cover - the state calls this object
            raise ReferenceError("the state is gone")
        return state

    def _pot_players(self, state: State) -> list[tuple[int, ...]]:
        """``pot.player_indices`` for ``state.pots``.

        pokerkit derives them from the players' bets, payoffs and statuses (folded or not);
        once it pushes chips (``street`` is None) it keeps its own copy: not remembered then.
        """
        if state.street is None:
            return [pot.player_indices for pot in state.pots]
        key = (tuple(state.statuses), tuple(state.bets), tuple(state.payoffs))
        if key != self._key:
            self._key = key
            self._pots = [pot.player_indices for pot in state.pots]
        return self._pots


def _hand(state: State, player: int, hand_type: type[Hand], board: _Cards) -> Hand | None:
    """``State.get_hand``: the player's known cards with the board (None if it fails)."""
    if not state.statuses[player]:
        return None
    try:
        return hand_type.from_game(tuple(filter(None, state.hole_cards[player])), board)
    except (KeyError, ValueError):
        return None


def _up_hands(state: State, hand_type: type[Hand], board: _Cards) -> list[Hand | None]:
    """``State.get_up_hands``: each player's face-up cards with the board (None if folded or if
    it fails), by player index. Players with no card up (all of them, in hold'em, until they
    show) share one evaluation."""
    hands: list[Hand | None] = []
    no_card_up: list[Hand | None] = []  # its hand, once evaluated
    for cards, ups, active in zip(
        state.hole_cards, state.hole_card_statuses, state.statuses, strict=True
    ):
        if not active:
            hands.append(None)
        elif any(ups):
            hands.append(_up_hand(hand_type, tuple(compress(cards, ups)), board))
        else:
            if not no_card_up:
                no_card_up.append(_up_hand(hand_type, (), board))
            hands.append(no_card_up[0])
    return hands


def _up_hand(hand_type: type[Hand], cards: _Cards, board: _Cards) -> Hand | None:
    """``State.get_up_hand`` for an active player."""
    try:
        return hand_type.from_game(cards, board)
    except ValueError:
        return None
