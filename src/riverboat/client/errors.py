"""The client's errors: the table's own error types back from the wire, and transport errors.

A refusal from the component (an IQ error with an application condition in
``urn:riverboat:0``) is raised as the very exception type the table core raised, with its
message and, for amounts, its allowed range (:func:`riverboat.protocol.errors.error_from_wire`).
Problems of the connection itself are :class:`ClientError`.
"""

from __future__ import annotations

from typing import Any

from riverboat.protocol.errors import error_from_wire
from riverboat.protocol.namespace import NS
from riverboat.table.errors import TableError


class ClientError(Exception):
    """The client could not do what was asked for reasons other than the game's rules."""


class ConnectError(ClientError, ConnectionError):
    """The server could not be reached, or refused the login."""


class RegistrationError(ClientError):
    """In-band registration was refused (other than 'the account exists')."""


class NotConnectedError(ClientError, ConnectionError):
    """The client is not connected (or lost its connection)."""


class RequestTimeoutError(ClientError, TimeoutError):
    """No answer to a request in time."""


class XmppError(ClientError):
    """An XMPP error without a Riverboat condition (e.g. the component is not running)."""

    def __init__(self, message: str, condition: str, error_type: str) -> None:
        super().__init__(message)
        self.condition = condition
        self.error_type = error_type


def app_condition(error: Any) -> tuple[str | None, dict[str, str]]:
    """The application condition element in Riverboat's namespace of a stanza ``<error/>``."""
    for child in error.xml:
        tag = child.tag
        if isinstance(tag, str) and tag.startswith(f"{{{NS}}}"):
            return tag.split("}", 1)[1], {str(k): str(v) for k, v in child.attrib.items()}
    return None, {}


def error_from_stanza(stanza: Any) -> TableError | XmppError:
    """The Python error for a stanza of type ``error`` (an IQ result that failed)."""
    error = stanza["error"]
    condition, attrs = app_condition(error)
    text = error["text"] or ""
    if condition is None:
        xmpp_condition = error["condition"] or "undefined-condition"
        return XmppError(text or xmpp_condition, xmpp_condition, error["type"] or "cancel")
    return error_from_wire(condition, text, attrs)
