"""A player's wallet and recent hands, as JSON (IQ answers) and as plain text (chat answers)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence

from riverboat.protocol.codec import event_to_json, event_type
from riverboat.store import Wallet
from riverboat.table.events import Event
from riverboat.table.past_hands import PastHand


def wallet_json(wallet: Wallet) -> str:
    return json.dumps(
        {
            "balance": wallet.balance,
            "on_tables": dict(wallet.on_tables),
            "total": wallet.total,
            "last_topup": wallet.last_topup.isoformat() if wallet.last_topup else None,
        }
    )


def wallet_text(wallet: Wallet, titles: Mapping[str, str]) -> str:
    text = f"wallet: {wallet.balance} chips"
    if wallet.on_tables:
        at = ", ".join(f"{n} at {titles.get(t, t)}" for t, n in sorted(wallet.on_tables.items()))
        text += f"; on tables: {at}; total {wallet.total}"
    return text


def history_json(hands: Sequence[tuple[str, dt.datetime, list[Event]]]) -> str:
    """Each hand: its table, when it ended and its events (already filtered for the asker)."""
    return json.dumps(
        [
            {
                "table": table_id,
                "ended": ended.isoformat(),
                "events": [
                    {"type": kind, **json.loads(payload)}
                    for kind, payload in (_typed(e) for e in events)
                ],
            }
            for table_id, ended, events in hands
        ]
    )


def _typed(event: Event) -> tuple[str, str]:
    return event_type(event), event_to_json(event)


def history_text(
    hands: Sequence[tuple[str, dt.datetime, PastHand]],
    titles: Mapping[str, str],
) -> str:
    if not hands:
        return "no hands played yet"
    lines = [f"your last {len(hands)} hands:"]
    for table_id, ended, hand in hands:
        line = (
            f"{titles.get(table_id, table_id)} #{hand.hand_no} "
            f"({ended.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC): "
            f"you held {' '.join(hand.held) or '?'}"
        )
        if hand.board:
            line += f", board {' '.join(hand.board)}"
        for player, cards in hand.shown:
            line += f", {player} showed {' '.join(cards)}"
        line += f", {'won' if hand.net > 0 else 'lost' if hand.net < 0 else 'net'} {abs(hand.net)}"
        lines.append(line)
    return "\n".join(lines)
