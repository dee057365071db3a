"""Errors of the local development XMPP server tooling."""

from __future__ import annotations


class DevServerError(RuntimeError):
    """Base class: something about the local XMPP server went wrong."""


class ServerNotInstalledError(DevServerError):
    """The server's program is missing; the message names the Debian package to install."""


class ServerStartError(DevServerError):
    """The server did not come up; the message carries the tail of its logs."""


class ServerConflictError(DevServerError):
    """A server is already running in the data folder with other settings, or a port is taken."""


class NoLocalServerError(DevServerError):
    """The data folder holds no local server state: ``riverboat xmpp up`` was never run there."""


class RegistrationError(DevServerError):
    """In-band registration of an account was refused (a taken name, a policy) or timed out."""
