"""Riverboat's client library: an async, typed client on slixmpp for players, bots and tests.

>>> client = RiverboatClient(ServerAddress("127.0.0.1", 5222, "example.org"), "alice", "pw")
>>> await client.connect(register=True)           # doctest: +SKIP
>>> tables = await client.list_tables()           # doctest: +SKIP
>>> watch = await client.watch(tables[0])         # doctest: +SKIP
>>> await client.sit(tables[0])                   # doctest: +SKIP
>>> async for event in watch: ...                 # doctest: +SKIP
"""

from riverboat.client.actions import TableRef
from riverboat.client.address import ServerAddress
from riverboat.client.errors import (
    ClientError,
    ConnectError,
    NotConnectedError,
    RegistrationError,
    RequestTimeoutError,
    XmppError,
)
from riverboat.client.lobby import TableInfo
from riverboat.client.mirror import SeatState, TableMirror, is_private
from riverboat.client.session import RiverboatClient
from riverboat.client.watch import TableWatch

__all__ = [
    "ClientError",
    "ConnectError",
    "NotConnectedError",
    "RegistrationError",
    "RequestTimeoutError",
    "RiverboatClient",
    "SeatState",
    "ServerAddress",
    "TableInfo",
    "TableMirror",
    "TableRef",
    "TableWatch",
    "XmppError",
    "is_private",
]
