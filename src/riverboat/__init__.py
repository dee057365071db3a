"""Riverboat: multiplayer poker whose network layer is XMPP."""

__version__ = "0.1.0"
