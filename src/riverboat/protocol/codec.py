"""Table events and snapshots <-> the JSON carried in Riverboat's payload elements.

A payload is one element in :data:`riverboat.protocol.namespace.NS` whose attributes say what
it is (``type``, ``seq``, ``table``) and whose text is a JSON object of the fields (in the
manner of XEP-0335 JSON containers).
"""

from __future__ import annotations

import dataclasses
import json
import re
from enum import Enum
from typing import Any

from riverboat.table import events as ev
from riverboat.table.errors import IllegalActionError

EVENT_TYPES: dict[str, type[ev.Event]] = {}


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


for _cls in vars(ev).values():
    if isinstance(_cls, type) and issubclass(_cls, ev.Event) and _cls is not ev.Event:
        EVENT_TYPES[_kebab(_cls.__name__)] = _cls
TYPE_OF: dict[type[ev.Event], str] = {cls: name for name, cls in EVENT_TYPES.items()}


def event_type(event: ev.Event) -> str:
    return TYPE_OF[type(event)]


def _plain(value: Any) -> Any:
    """What JSON cannot encode by itself (tuples and lists it can): an enum, as its value."""
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
# One encoder for every event (``json.dumps`` with options builds a new one per call).
_ENCODER = json.JSONEncoder(separators=(",", ":"), default=_plain)


def event_to_json(event: ev.Event) -> str:
    cls = type(event)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(event))
    return _ENCODER.encode({n: getattr(event, n) for n in names})


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def event_from_json(kind: str, text: str) -> ev.Event:
    """Decode a payload; raises IllegalActionError (bad-request) on anything malformed."""
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise IllegalActionError(f"unknown event type {kind!r}")
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise TypeError("not an object")
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: _tuples(v) for k, v in data.items() if k in names}
        if "action" in kwargs:
            kwargs["action"] = ev.ActionKind(kwargs["action"])
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise IllegalActionError(f"malformed {kind} payload: {exc}") from exc
