"""ejabberd: the project-local configuration (YAML) and the command line that runs it.

ejabberd runs as a plain foreground Erlang VM (``erl -sname NODE -noinput -s ejabberd``), not
through ``ejabberdctl``: that works as any user, from a folder of the project's own, with no
epmd (a fixed distribution port on loopback) and a node name of its own, so several instances
can run side by side.
"""

from __future__ import annotations

import glob
import json
import shutil
from pathlib import Path
from string import Template

from riverboat.devserver.errors import ServerNotInstalledError
from riverboat.devserver.launch import Launch
from riverboat.devserver.layout import ServerLayout
from riverboat.devserver.settings import WEBSOCKET_PATH, DevServerSettings

PACKAGE = "ejabberd"

# Where Debian (and Erlang installs in general) put ejabberd's own application folder.
_LIB_PATTERNS = (
    "/usr/lib/*/ejabberd-*/ebin",
    "/usr/lib/erlang/lib/ejabberd-*/ebin",
    "/usr/local/lib/erlang/lib/ejabberd-*/ebin",
    "/opt/ejabberd*/lib/ejabberd-*/ebin",
)

_CONFIG = Template("""\
### Riverboat development ejabberd: rendered by `riverboat xmpp up`; edits are overwritten.
### Loopback only, no TLS, no s2s, no HTTP API. Not a production configuration.
loglevel: info
log_rotate_count: 0

hosts:
  - $domain

acme:
  auto: false            # no certificates: plaintext on loopback, never try ACME
s2s_access: none         # no federation: nothing leaves the machine

## tests register many accounts from 127.0.0.1 (the default allows one per IP per 600 s)
registration_timeout: infinity

auth_method: internal
auth_password_format: plain   # development only: PLAIN and SCRAM both work

listen:
  -
    port: $c2s_port
    ip: $host
    backlog: 1024        # the default (5) drops SYNs when many clients connect at once
    module: ejabberd_c2s
    max_stanza_size: 262144
    shaper: none
    access: c2s
    starttls: false
    starttls_required: false
  -
    port: $component_port
    ip: $host
    backlog: 1024
    module: ejabberd_service
    access: all
    shaper: none
    hosts:
      $component:
        password: $secret
  -
    port: $http_port
    ip: $host
    backlog: 1024
    module: ejabberd_http
    request_handlers:
      $ws_path: ejabberd_http_ws

acl:
  local:
    user_regexp: ""
  game_service:
    server:
      - $component
  loopback:
    ip:
      - 127.0.0.0/8
      - ::1/128

access_rules:
  local:
    allow: local
  c2s:
    allow: all
  muc_create:
    allow: local
    allow: game_service
  pubsub_createnode:
    allow: local
    allow: game_service
  trusted_network:
    allow: loopback
  register:
    allow: all

shaper_rules:
  max_user_sessions: 10
  max_user_offline_messages: 100
  c2s_shaper: none       # Debian's default is 3000 B/s per client: too slow for load tests
  s2s_shaper: none

modules:
  mod_adhoc: {}
  mod_caps: {}
  mod_carboncopy: {}
  mod_client_state: {}
  mod_disco: {}
  mod_last: {}
  mod_muc:
    host: $muc
    access:
      - allow
    access_create: muc_create
    access_persistent: muc_create
    default_room_options:
      mam: false
  mod_offline:
    access_max_user_messages: max_user_offline_messages
  mod_ping: {}
  mod_privacy: {}
  mod_private: {}
  mod_pubsub:
    host: $pubsub
    access_createnode: pubsub_createnode
    plugins:
      - flat
      - pep
  mod_register:
    access: register
    ip_access: trusted_network   # in-band registration only from loopback
  mod_roster:
    versioning: true
  mod_stream_mgmt:
    resend_on_timeout: if_offline
  mod_vcard:
    search: false
  mod_version:
    show_os: false
""")


def _yaml(value: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(value)


def render_ejabberd_config(settings: DevServerSettings) -> str:
    """The ejabberd YAML configuration for ``settings``."""
    return _CONFIG.substitute(
        domain=_yaml(settings.domain),
        host=_yaml(settings.host),
        c2s_port=settings.c2s_port,
        component_port=settings.component_port,
        http_port=settings.http_port,
        component=_yaml(settings.component_domain),
        secret=_yaml(settings.component_secret),
        muc=_yaml(settings.muc_domain),
        pubsub=_yaml(settings.pubsub_domain),
        ws_path=WEBSOCKET_PATH,
    )


def _missing(what: str) -> ServerNotInstalledError:
    return ServerNotInstalledError(
        f"ejabberd is not installed ({what}): install the Debian package {PACKAGE!r} "
        f"(`./dev setup`, or `sudo apt-get install {PACKAGE}`)"
    )


def find_ejabberd_libs() -> Path:
    """The folder that holds ejabberd's Erlang application (``ERL_LIBS``)."""
    for pattern in _LIB_PATTERNS:
        for ebin in sorted(glob.glob(pattern), reverse=True):
            if Path(ebin, "ejabberd.app").is_file():
                return Path(ebin).parent.parent
    raise _missing("no ejabberd Erlang application found")


def find_erl() -> str:
    erl = shutil.which("erl")
    if erl is None:
        raise _missing("no `erl` program")
    return erl


def _erlang_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def ejabberd_launch(settings: DevServerSettings, layout: ServerLayout, dist_port: int) -> Launch:
    """The command line that runs ejabberd in the foreground; its PID is the VM's PID.

    ``dist_port`` is the Erlang distribution port (loopback only; no epmd is started).
    ``HOME`` is the server's folder, so the Erlang cookie is made and kept there.
    """
    erl = find_erl()
    libs = find_ejabberd_libs()
    argv = (
        erl,
        "-sname", settings.node_name,
        "-noinput",
        "+P", "250000",
        "-kernel", "inet_dist_use_interface", "{127,0,0,1}",
        "-erl_epmd_port", str(dist_port),
        "-start_epmd", "false",
        "-mnesia", "dir", _erlang_string(str(layout.database_dir)),
        "-s", "ejabberd",
    )  # fmt: skip
    env = {
        "EJABBERD_CONFIG_PATH": str(layout.config_file),
        "EJABBERD_LOG_PATH": str(layout.server_log),
        "ERL_CRASH_DUMP": str(layout.log_dir / "erl_crash.dump"),
        "ERL_CRASH_DUMP_BYTES": "0",
        "ERL_LIBS": str(libs),
        "ERL_MAX_PORTS": "32000",
        "ERL_MAX_ETS_TABLES": "1400",
        "HOME": str(layout.root),
    }
    return Launch(argv=argv, cwd=layout.database_dir, env=env)
