"""``riverboat xmpp up|down|status``: the local development XMPP server.

Only argparse is imported here; the handlers import the rest when they run.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

SERVERS = ("ejabberd", "prosody")
EXIT_NOT_RUNNING = 3  # `status` when no server runs (as LSB init scripts do)

_DESCRIPTION = """\
Run an ejabberd or Prosody server for development: project-local configuration, data and logs
in the data folder, listening on 127.0.0.1 only. `up` returns once the server answers XMPP;
`down` stops it by its PID; `status` exits 0 when it runs, 3 when it does not.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "xmpp",
        help="run a local XMPP server (ejabberd or Prosody) for development",
        description=_DESCRIPTION,
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data folder (default: $RIVERBOAT_HOME, else ./.riverboat)",
    )
    common.add_argument("--json", action="store_true", help="print one JSON object")
    common.add_argument(
        "--server",
        choices=SERVERS,
        help="server to run (up: default ejabberd, or the one used last in DIR)",
    )
    actions = parser.add_subparsers(dest="xmpp_action", required=True, metavar="ACTION")

    up = actions.add_parser(
        "up", parents=[common], help="start the server; wait until it answers XMPP"
    )
    up.add_argument("--domain", help="virtual host (default riverboat.localhost)")
    up.add_argument("--c2s-port", type=int, metavar="PORT", help="client port (default 15222)")
    up.add_argument(
        "--component-port", type=int, metavar="PORT", help="XEP-0114 port (default 15347)"
    )
    up.add_argument("--http-port", type=int, metavar="PORT", help="websocket port (default 15280)")
    up.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for the server (30)"
    )
    up.set_defaults(func=_up)

    down = actions.add_parser("down", parents=[common], help="stop the server by its PID")
    down.add_argument(
        "--timeout", type=float, default=10.0, help="seconds before SIGKILL follows SIGTERM (10)"
    )
    down.set_defaults(func=_down)

    status = actions.add_parser("status", parents=[common], help="say whether the server runs")
    status.set_defaults(func=_status)


def _fail(message: str) -> int:
    print(f"riverboat xmpp: error: {message}", file=sys.stderr)
    return 1


def _report(args: argparse.Namespace, running: bool, server: Any) -> None:
    """Print the state as one flat JSON object (``--json``) or as readable lines."""
    import json
    from pathlib import Path

    from riverboat.devserver.layout import state_file
    from riverboat.devserver.settings import default_data_dir

    if args.json:
        keys = ("server", "domain", "client_host", "client_port", "component",
                "component_port", "muc", "pubsub", "websocket", "pid")  # fmt: skip
        data: dict[str, Any] = dict.fromkeys(keys)
        if server is not None:
            data.update(server.describe())
        else:
            folder = Path(args.data_dir) if args.data_dir else default_data_dir()
            data["state_file"] = str(state_file(folder).absolute())
        data["running"] = running
        print(json.dumps(data, sort_keys=True))
        return
    if server is None:
        folder = args.data_dir or default_data_dir()
        print(f"no XMPP server was started in {folder} (run `riverboat xmpp up`)")
        return
    if not running:
        print(f"{server.server.value} is not running (data in {server.data_dir})")
        return
    print(f"{server.server.value} is running (pid {server.pid}), data in {server.data_dir}")
    print(f"  clients    {server.client_host}:{server.client_port}  domain {server.domain}")
    print(
        f"  component  {server.component} on {server.component_host}:{server.component_port}"
        f"  (secret in {state_file(server.data_dir)})"
    )
    print(f"  rooms      {server.muc}")
    print(f"  pubsub     {server.pubsub}")
    print(f"  websocket  {server.websocket}")


def _up(args: argparse.Namespace) -> int:
    from riverboat.devserver.errors import DevServerError
    from riverboat.devserver.lifecycle import start_server
    from riverboat.devserver.settings import ServerKind

    try:
        server = start_server(
            args.data_dir,
            kind=ServerKind.from_name(args.server) if args.server else None,
            domain=args.domain,
            c2s_port=args.c2s_port,
            component_port=args.component_port,
            http_port=args.http_port,
            timeout=args.timeout,
        )
    except (DevServerError, ValueError) as exc:
        return _fail(str(exc))
    _report(args, True, server)
    return 0


def _matches(args: argparse.Namespace, server: Any) -> bool:
    """``--server`` given to down/status: only that kind counts."""
    return server is not None and (args.server is None or server.server.value == args.server)


def _down(args: argparse.Namespace) -> int:
    from riverboat.devserver.errors import DevServerError
    from riverboat.devserver.lifecycle import server_status, stop_server

    try:
        current = server_status(args.data_dir)
        stopped = False
        if _matches(args, current.server):
            stopped = stop_server(args.data_dir, timeout=args.timeout)
        after = server_status(args.data_dir)
    except DevServerError as exc:
        return _fail(str(exc))
    if args.json:
        _report(args, after.running, after.server)
    else:
        name = current.server.server.value if current.server else "XMPP server"
        print(f"{name} stopped" if stopped else f"{name} was not running")
    return 0


def _status(args: argparse.Namespace) -> int:
    from riverboat.devserver.errors import DevServerError
    from riverboat.devserver.lifecycle import server_status

    try:
        current = server_status(args.data_dir)
    except DevServerError as exc:
        return _fail(str(exc))
    running = current.running and _matches(args, current.server)
    _report(args, running, current.server)
    return 0 if running else EXIT_NOT_RUNNING
