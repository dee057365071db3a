"""Prosody: the project-local configuration (Lua) and the command line that runs it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from string import Template

from riverboat.devserver.errors import ServerNotInstalledError
from riverboat.devserver.launch import Launch
from riverboat.devserver.layout import ServerLayout
from riverboat.devserver.settings import WEBSOCKET_PATH, DevServerSettings

PACKAGE = "prosody"

_CONFIG = Template("""\
-- Riverboat development Prosody: rendered by `riverboat xmpp up`; edits are overwritten.
-- Loopback only, no TLS, no s2s, no HTTP API. Not a production configuration.
run_as_root = $run_as_root
pidfile = $pid_file
data_path = $data_path
certificates = $certs_dir   -- empty: no TLS on loopback
plugin_paths = { }
log = {
	{ levels = { min = "info" }, to = "file", filename = $server_log };
	{ levels = { min = "warn" }, to = "console" };
}

-- network: everything on $host only, non-default ports
interfaces = { $host }
local_interfaces = { $host }
c2s_ports = { $c2s_port }
c2s_direct_tls_ports = { }
legacy_ssl_ports = { }
component_ports = { $component_port }
component_interfaces = { $host }
http_ports = { $http_port }
http_interfaces = { $host }
https_ports = { }
https_interfaces = { }
s2s_ports = { }
network_settings = { tcp_backlog = 1024 }   -- the default (128) drops SYNs under load tests
http_default_host = $domain
http_paths = { websocket = "$ws_path" }

-- no TLS on loopback: plaintext login (otherwise clients wait for STARTTLS forever)
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
consider_websocket_secure = true
s2s_require_encryption = false
authentication = "internal_hashed"
storage = "internal"

-- in-band registration (XEP-0077); mod_register_limits exempts 127.0.0.1 and ::1
allow_registration = true
registration_throttle_max = 1000
registration_throttle_period = 1

modules_enabled = {
	"roster"; "saslauth"; "disco"; "register"; "pep"; "private"; "blocklist";
	"carbons"; "smacks"; "vcard4"; "vcard_legacy"; "ping"; "time"; "uptime"; "version";
	"posix"; "websocket";
}
-- no federation, no TLS, no c2s rate limits
modules_disabled = { "s2s"; "tls"; "limits"; "admin_telnet"; "admin_shell" }

VirtualHost $domain

-- Rooms open unlocked; anyone connected may create one, which on this server means local
-- users and the Riverboat component (there is no federation). restrict_room_creation = "local"
-- would refuse the component: it only admits JIDs of the MUC host's parent domain.
Component $muc "muc"
	restrict_room_creation = false
	muc_room_locking = false
	muc_room_default_persistent = false

-- the component may create nodes (admins of this service are owners of every node)
Component $pubsub "pubsub"
	admins = { $component }

-- XEP-0114 external component: the Riverboat game server
Component $component
	component_secret = $secret
""")


def _lua(value: str) -> str:
    """A Lua string literal."""
    if any(ord(c) < 32 for c in value):
        raise ValueError(f"control character in {value!r}")
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def render_prosody_config(settings: DevServerSettings, layout: ServerLayout) -> str:
    """The Prosody Lua configuration for ``settings``, with its files under ``layout``."""
    return _CONFIG.substitute(
        run_as_root="true" if os.geteuid() == 0 else "false",
        pid_file=_lua(str(layout.pid_file)),
        data_path=_lua(str(layout.database_dir)),
        certs_dir=_lua(str(layout.certs_dir)),
        server_log=_lua(str(layout.server_log)),
        host=_lua(settings.host),
        c2s_port=settings.c2s_port,
        component_port=settings.component_port,
        http_port=settings.http_port,
        domain=_lua(settings.domain),
        ws_path=WEBSOCKET_PATH,
        muc=_lua(settings.muc_domain),
        pubsub=_lua(settings.pubsub_domain),
        component=_lua(settings.component_domain),
        secret=_lua(settings.component_secret),
    )


_CANDIDATES = ("/usr/bin/prosody", "/usr/local/bin/prosody")


def find_prosody() -> str:
    prosody = shutil.which("prosody") or next((p for p in _CANDIDATES if Path(p).is_file()), None)
    if prosody is None:
        raise ServerNotInstalledError(
            f"Prosody is not installed (no `prosody` program): install the Debian package "
            f"{PACKAGE!r} (`./dev setup`, or `sudo apt-get install {PACKAGE}`)"
        )
    return prosody


def prosody_launch(layout: ServerLayout) -> Launch:
    """The command line that runs Prosody in the foreground (``-F``); its PID is Prosody's."""
    argv = (find_prosody(), "-F", "--config", str(layout.config_file))
    return Launch(argv=argv, cwd=layout.root, env={"HOME": str(layout.root)})
