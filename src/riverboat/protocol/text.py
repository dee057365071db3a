"""Readable bodies for events, so that any XMPP client can follow the game."""

from __future__ import annotations

from riverboat.table import events as ev

_VERBS = {
    ev.ActionKind.FOLD: "folds",
    ev.ActionKind.CHECK: "checks",
    ev.ActionKind.CALL: "calls",
    ev.ActionKind.BET: "bets",
    ev.ActionKind.RAISE: "raises to",
    ev.ActionKind.BRING_IN: "brings in for",
    ev.ActionKind.COMPLETE: "completes to",
    ev.ActionKind.DISCARD: "discards",
    ev.ActionKind.STAND_PAT: "stands pat",
}


def hole_cards_body(cards: tuple[str | None, ...]) -> str:
    """The private body: exactly the hole cards, space-separated."""
    return " ".join(c for c in cards if c)


def describe(event: ev.Event) -> str:
    """The public body of an event (players named as in the event: their room nick)."""
    match event:
        case ev.PlayerActed(player=p, action=a, amount=amount, total=total, all_in=all_in):
            if a in (ev.ActionKind.FOLD, ev.ActionKind.CHECK, ev.ActionKind.STAND_PAT):
                text = f"{p} {_VERBS[a]}"
            elif a is ev.ActionKind.DISCARD:
                text = f"{p} discards {len(event.discarded)}"
            elif a in (ev.ActionKind.RAISE, ev.ActionKind.COMPLETE, ev.ActionKind.BET):
                shown = amount if a is ev.ActionKind.BET else total
                text = f"{p} {_VERBS[a]} {shown}"
            else:
                text = f"{p} {_VERBS[a]} {amount}"
            if all_in:
                text += " and is all-in"
            if event.timed_out:
                text += " (timed out)"
            return text
        case ev.ForcedBetPosted(player=p, kind=kind, amount=amount):
            return f"{p} posts {kind} {amount}"
        case ev.HoleCardsDealt(player=p, cards=cards):
            up = [c for c in cards if c]
            return f"{p} is dealt {len(cards)}" + (f" (showing {' '.join(up)})" if up else "")
        case ev.BoardDealt(cards=cards, board=board):
            return f"board: {' '.join(board)}" if len(board) > len(cards) else (
                f"flop: {' '.join(cards)}" if len(cards) == 3 else f"board: {' '.join(cards)}"
            )
        case ev.ActionRequired(player=p, seat=seat):
            return f"{p} (seat {seat}) to act"
        case ev.TimeBankUsed(player=p, time_bank_left=left):
            return f"{p} is using their time bank ({left:.0f} s)"
        case ev.CardsShown(player=p, cards=cards):
            return f"{p} shows {' '.join(cards)}"
        case ev.HandMucked(player=p):
            return f"{p} mucks"
        case ev.PotAwarded(amounts=amounts, pot_index=i):
            pot = "the pot" if i == 0 else f"side pot {i}"
            return "; ".join(f"{p} wins {a} from {pot}" for _, p, a in amounts) or f"{pot} split"
        case ev.HandStarted(hand_no=n, button=button, players=players):
            return f"hand #{n}: {len(players)} players, button on seat {button}"
        case ev.HandEnded(hand_no=n):
            return f"hand #{n} is over"
        case ev.PlayerSat(player=p, seat=seat, stack=stack):
            return f"{p} sits in seat {seat} with {stack}"
        case ev.PlayerLeft(player=p, seat=seat, stack=stack):
            return f"{p} leaves seat {seat} with {stack}"
        case ev.PlayerSatOut(player=p, reason=reason):
            return f"{p} sits out ({reason})"
        case ev.PlayerCameBack(player=p):
            return f"{p} is back"
        case ev.TableResumed():
            return "the dealer is back: play resumes"
        case ev.ChipsAdded(player=p, amount=amount, stack=stack):
            return f"{p} adds {amount} chips ({stack})"
    return type(event).__name__
