"""Kernel replies noticed as soon as they arrive, even when a message is sent while waiting for one.

The cause of the stall this fixes (jupyter_client 8.10, pyzmq 27, nbclient 0.11). nbclient waits for
a cell's ``execute_reply`` with ``await shell_channel.get_msg(timeout)``, a ``zmq.asyncio`` poll
that sleeps until the socket's file descriptor (``ZMQ_FD``) becomes readable. That descriptor is
edge-triggered: it signals once when libzmq has news for the socket, and any libzmq call on the
socket (a send, or reading ``ZMQ_EVENTS``) consumes the signal. ``zmq.asyncio`` therefore re-reads
``ZMQ_EVENTS`` after each of its own operations. But ``Session.send`` in jupyter_client sends on a
plain ``zmq.Socket`` shadow of the asyncio socket, so nothing re-reads the events after it.

While a cell runs, nbclient sends on that same shell socket: it mirrors an ``ipywidgets.Output``
widget and sends a ``comm_msg`` back to the kernel for every output that lands in one. When the
reply arrives just before such a send, the send consumes the signal, the reply sits readable in
the socket, and the poll wakes only when its timeout fires (it then finds the reply at once);
with no timeout it waits for ever. ``tests/test_kernel_sockets.py`` reproduces this step by step.

The fix is the re-check ``zmq.asyncio`` makes after its own sends: after the shadow send, read
``ZMQ_EVENTS`` through the asyncio socket, which wakes any waiter whose message is already there.
"""

from __future__ import annotations

import functools

import zmq
from jupyter_client.channels import AsyncZMQSocketChannel


def notice_replies_after_sends(
    channel: type[AsyncZMQSocketChannel] = AsyncZMQSocketChannel,
) -> None:
    """Make ``channel.send`` wake a pending ``get_msg`` whose message arrived before the send.

    Applied once per process before a kernel client is used (by the runner's workers, the tests
    and ``helpers.store``); idempotent.
    """
    if getattr(channel.send, "notices_replies", False):
        return
    send_on_shadow = channel.send

    @functools.wraps(send_on_shadow)  # keeps jupyter_client's own send as __wrapped__
    def send(self: AsyncZMQSocketChannel, msg: dict) -> None:
        send_on_shadow(self, msg)
        if self.socket is not None and not self.socket.closed:
            # zmq.asyncio's Socket.get(EVENTS) schedules its own event handler when a message
            # is waiting, which resolves the pending poll.
            self.socket.get(zmq.EVENTS)

    send.notices_replies = True  # type: ignore[attr-defined]
    channel.send = send  # type: ignore[method-assign]
