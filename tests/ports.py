"""A free loopback port for a server a test starts, one that nothing else is likely to take.

Asking the system for port 0 and closing the socket hands out an ephemeral port, and the system
hands the same port to the next process that asks (a kernel choosing its ports, another test's
server): under pytest-xdist a server was seen starting on a port a kernel had just taken. So the
port is drawn at random below the ephemeral range, which the system never hands out by itself,
and checked free; two test servers drawing the same one of some twenty thousand ports at the
same moment is far less likely than the reuse above. Servers that can report the port they chose
(JupyterLab with --port=0) need none of this.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

_EPHEMERAL = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST = 10_000


def free_port() -> int:
    """A port on 127.0.0.1 that is free now and outside the system's ephemeral range."""
    ephemeral_start = _ephemeral_start()
    for _ in range(100):
        port = random.randrange(_LOWEST, ephemeral_start)
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {_LOWEST} and {ephemeral_start} after 100 tries")


def _ephemeral_start() -> int:
    try:
        return int(_EPHEMERAL.read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default
