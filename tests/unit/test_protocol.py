"""The protocol layer: payload codec, event messages, text commands, error translation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riverboat.protocol.codec import EVENT_TYPES, event_from_json, event_to_json, event_type
from riverboat.protocol.errors import STANZA_ERRORS, error_from_wire, stanza_error
from riverboat.protocol.intents import IntentKind, NotACommandError, parse_command
from riverboat.protocol.namespace import NS
from riverboat.protocol.stanzas import event_items, event_message_xml, events_message_xml
from riverboat.protocol.text import describe, hole_cards_body
from riverboat.table import events as ev
from riverboat.table.errors import (
    AmountOutOfRangeError,
    IllegalActionError,
    NotYourTurnError,
    TableError,
    all_errors,
)
from riverboat.table.events import ActionKind, PlayerId, SeatNo

SAMPLES: list[ev.Event] = [
    ev.PlayerActed(
        seq=7,
        hand_no=2,
        seat=SeatNo(3),
        player=PlayerId("bob"),
        action=ActionKind.RAISE,
        amount=58,
        total=60,
    ),
    ev.HoleCardsDealt(
        seq=8,
        hand_no=2,
        seat=SeatNo(1),
        player=PlayerId("al"),
        cards=("Ah", None),
        face_up=(True, False),
    ),
    ev.PotAwarded(seq=9, hand_no=2, pot_index=1, amounts=((SeatNo(1), PlayerId("al"), 40),)),
    ev.HandEnded(
        seq=10,
        hand_no=2,
        seats=(SeatNo(1), SeatNo(3)),
        players=(PlayerId("al"), PlayerId("bob")),
        stacks=(240, 160),
        net=(40, -40),
    ),
    ev.ActionRequired(
        seq=11, hand_no=3, seat=SeatNo(3), player=PlayerId("bob"), deadline=1.5e9, time_bank=30.0
    ),
]


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).__name__)
def test_events_survive_the_codec(event: ev.Event) -> None:
    assert event_from_json(event_type(event), event_to_json(event)) == event


def test_every_event_type_has_a_wire_name() -> None:
    assert len(EVENT_TYPES) == len(set(EVENT_TYPES.values()))
    assert "player-acted" in EVENT_TYPES
    assert "hole-cards-dealt" in EVENT_TYPES


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"seq": "x", "nonsense": 1}'])
def test_malformed_payloads_are_refused(text: str) -> None:
    with pytest.raises(IllegalActionError):
        event_from_json("player-acted", text)
    with pytest.raises(IllegalActionError):
        event_from_json("no-such-event", "{}")


@given(st.text(), st.text(min_size=1).filter(lambda s: "\x00" not in s))
def test_event_message_xml_is_well_formed_and_carries_the_payload(body: str, nick: str) -> None:
    body = "".join(c for c in body if c.isprintable())
    event = ev.PlayerActed(
        seq=5,
        hand_no=1,
        seat=SeatNo(2),
        player=PlayerId(nick),
        action=ActionKind.CALL,
        amount=2,
        total=2,
    )
    text = event_message_xml(
        to="room@muc/x'\"<",
        sender="dealer@games/t1",
        mtype="groupchat",
        body=body,
        kind=event_type(event),
        seq=event.seq,
        table="t1",
        payload=event_to_json(event),
    )
    root = ET.fromstring(text)
    assert root.get("to") == "room@muc/x'\"<"
    assert root.findtext("body") == body
    payload = root.find(f"{{{NS}}}event")
    assert payload is not None
    assert payload.get("seq") == "5"
    assert event_from_json(payload.get("type") or "", payload.text or "") == event


@given(
    st.lists(st.sampled_from(SAMPLES), min_size=1, max_size=8),
    st.text().map(lambda t: "".join(c for c in t if c.isprintable())),
)
def test_a_room_message_carries_an_inputs_events_in_order(
    events: list[ev.Event], body: str
) -> None:
    items = [(event_type(e), 100 + i, event_to_json(e)) for i, e in enumerate(events)]
    text = events_message_xml(
        to="room@muc", sender="room@muc/Dealer", body=body, table="t'1", items=items
    )
    root = ET.fromstring(text)
    assert root.get("type") == "groupchat"
    assert root.findtext("body") == body
    batch = root.find(f"{{{NS}}}events")
    assert batch is not None
    assert batch.get("seq") == str(100 + len(events) - 1)  # the last event's
    read = event_items(root)
    assert [(i.kind, int(i.seq), i.json) for i in read] == items
    assert {i.table for i in read} == {"t'1"}
    assert [event_from_json(i.kind, i.json) for i in read] == events


def test_a_private_message_carries_one_event_and_others_none() -> None:
    event = SAMPLES[0]
    text = event_message_xml(
        to="bob@x/y", sender="dealer@games/t1", mtype="chat", body="b", kind=event_type(event),
        seq=event.seq, table="t1", payload=event_to_json(event),
    )
    (item,) = event_items(ET.fromstring(text))
    assert (item.kind, item.seq, item.table) == (event_type(event), str(event.seq), "t1")
    assert event_items(ET.fromstring("<message><body>hi</body></message>")) == []


def test_private_body_lists_exactly_the_hole_cards() -> None:
    assert hole_cards_body(("Ah", "Kd")) == "Ah Kd"
    assert describe(SAMPLES[0]) == "bob raises to 60"
    public = ev.HoleCardsDealt(
        seq=1,
        hand_no=1,
        seat=SeatNo(1),
        player=PlayerId("al"),
        cards=(None, None),
        face_up=(False, False),
    )
    assert "None" not in describe(public)


@pytest.mark.parametrize(
    ("line", "kind", "amount", "seat"),
    [
        ("sit", IntentKind.SIT, None, None),
        ("sit 3 200", IntentKind.SIT, 200, 3),
        ("raise to 60", IntentKind.RAISE, 60, None),
        ("Raise 60", IntentKind.RAISE, 60, None),
        ("bet 20", IntentKind.BET, 20, None),
        ("all-in", IntentKind.ALL_IN, None, None),
        ("all in", IntentKind.ALL_IN, None, None),
        ("sit out", IntentKind.SIT_OUT, None, None),
        ("sitout", IntentKind.SIT_OUT, None, None),
        ("  CALL ", IntentKind.CALL, None, None),
        ("/fold", IntentKind.FOLD, None, None),
    ],
)
def test_text_commands(line: str, kind: IntentKind, amount: int | None, seat: int | None) -> None:
    intent = parse_command(line)
    assert (intent.kind, intent.amount, intent.seat) == (kind, amount, seat)


def test_chat_is_not_a_command_and_bad_arguments_say_why() -> None:
    with pytest.raises(NotACommandError):
        parse_command("nice hand!")
    with pytest.raises(IllegalActionError, match="needs an amount"):
        parse_command("raise to lots")
    with pytest.raises(IllegalActionError, match="takes no arguments"):
        parse_command("fold now")
    assert parse_command("discard 7h 2c").cards == "7h2c"


def test_every_condition_has_a_stanza_error_and_comes_back_as_its_type() -> None:
    assert set(all_errors()) <= set(STANZA_ERRORS)
    for condition, cls in all_errors().items():
        error = cls("msg") if cls is not AmountOutOfRangeError else cls("msg", 4, 200)
        xmpp_condition, etype, attrs = stanza_error(error)
        assert xmpp_condition in {c for c, _ in STANZA_ERRORS.values()}
        assert etype in ("cancel", "modify", "wait", "auth")
        back = error_from_wire(condition, "msg", attrs)
        assert type(back) is cls
        assert str(back) == "msg"
    back = error_from_wire(
        "amount-out-of-range", "raise must be between 4 and 200", {"min": "4", "max": "200"}
    )
    assert isinstance(back, AmountOutOfRangeError)
    assert (back.minimum, back.maximum) == (4, 200)
    assert isinstance(error_from_wire("not-your-turn", "", {}), NotYourTurnError)
    assert type(error_from_wire("something-new", "x", {})) is TableError
