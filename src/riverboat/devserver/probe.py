"""Is the server answering? Open an XMPP client stream and wait for its features."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

_FEATURES = b"<stream:features"
_STREAM_ERROR = b"<stream:error"


def _stream_header(domain: str) -> bytes:
    return (
        "<?xml version='1.0'?>"
        f"<stream:stream to='{domain}' version='1.0' xml:lang='en' "
        "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
    ).encode()


def stream_answers(host: str, port: int, domain: str, timeout: float = 2.0) -> bool:
    """Whether ``host:port`` answers a client stream to ``domain`` with stream features."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(_stream_header(domain))
            received = b""
            deadline = time.monotonic() + timeout
            while _FEATURES not in received:
                if _STREAM_ERROR in received or time.monotonic() >= deadline:
                    return False
                chunk = sock.recv(4096)
                if not chunk:
                    return False
                received += chunk
            sock.sendall(b"</stream:stream>")
            return True
    except OSError:
        return False


def wait_for_stream(
    host: str,
    port: int,
    domain: str,
    timeout: float,
    still_starting: Callable[[], bool] = lambda: True,
) -> bool:
    """Poll until the server answers a stream (True), ``timeout`` passes or
    ``still_starting()`` says the process died (False)."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        if stream_answers(host, port, domain, timeout=min(2.0, max(0.2, timeout))):
            return True
        if not still_starting() or time.monotonic() >= deadline:
            return False
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)
