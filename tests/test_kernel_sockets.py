"""A kernel reply that arrives while the client sends on the same socket is still noticed.

This replays, step by step and without a kernel, what made headless runs stall: the client waits
for a reply on its shell socket with no timeout, the reply arrives, and before the event loop
looks the client sends on that socket (as nbclient does for every output of an Output widget).
The send consumes the socket's edge-triggered wake-up signal; unpatched, the wait never ends.
"""

from __future__ import annotations

import asyncio
import itertools
import select
import time
from collections.abc import Iterator
from contextlib import contextmanager
from queue import Empty

import pytest
import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session

from helpers.runner.kernel_sockets import notice_replies_after_sends

# Far longer than a reply takes to be read once it has arrived; only a lost wake-up reaches it.
GIVE_UP_SECONDS = 5.0
# libzmq lets a send process the socket's pending commands (and so consume the wake-up) only
# when about a millisecond has passed since it last did; waiting this long makes it certain.
PAST_THE_COMMAND_THROTTLE = 0.02
_addresses = itertools.count()


def fresh_channel_class() -> type[AsyncZMQSocketChannel]:
    """jupyter_client's channel as shipped (conftest has patched the real one), in a subclass a
    test may patch on its own."""
    shipped_send = getattr(AsyncZMQSocketChannel.send, "__wrapped__", AsyncZMQSocketChannel.send)
    return type("Channel", (AsyncZMQSocketChannel,), {"send": shipped_send})


@contextmanager
def kernel_and_client(
    channel_class: type[AsyncZMQSocketChannel],
) -> Iterator[tuple[zmq.Socket, zmq.asyncio.Socket, AsyncZMQSocketChannel, Session]]:
    """A kernel's shell ROUTER and a client's channel, joined in process (no I/O thread, so each
    step happens exactly when the test makes it happen)."""
    context = zmq.asyncio.Context()
    kernel_side = zmq.Context.shadow(context.underlying).socket(zmq.ROUTER)
    client_side = context.socket(zmq.DEALER)
    address = f"inproc://shell-{next(_addresses)}"
    try:
        kernel_side.bind(address)
        client_side.connect(address)
        session = Session(key=b"test")
        yield kernel_side, client_side, channel_class(client_side, session), session
    finally:
        client_side.close(linger=0)
        kernel_side.close(linger=0)
        context.term()


async def wait_while_a_reply_arrives_and_the_client_sends(
    channel_class: type[AsyncZMQSocketChannel],
) -> dict:
    with kernel_and_client(channel_class) as (kernel_side, client_side, channel, session):
        channel.send(session.msg("kernel_info_request"))
        identity = kernel_side.recv_multipart()[0]

        waiting = asyncio.ensure_future(channel.get_msg(timeout=None))
        for _ in range(3):  # let the wait register its poll with the event loop
            await asyncio.sleep(0)
        session.send(kernel_side, "execute_reply", {"status": "ok"}, ident=identity)
        # select() sees the socket's signal without consuming it: the reply has arrived.
        arrived, _, _ = select.select([client_side.FD], [], [], GIVE_UP_SECONDS)
        assert arrived, "the reply never reached the client socket"
        time.sleep(PAST_THE_COMMAND_THROTTLE)
        channel.send(session.msg("comm_msg", {"comm_id": "output-widget", "data": {}}))
        return await asyncio.wait_for(waiting, GIVE_UP_SECONDS)


def test_unpatched_a_send_while_waiting_hides_the_arrived_reply():
    """The cause, shown: jupyter_client as shipped never wakes for a reply that is there."""
    with pytest.raises(TimeoutError):
        asyncio.run(wait_while_a_reply_arrives_and_the_client_sends(fresh_channel_class()))


def test_patched_the_arrived_reply_ends_the_wait():
    channel_class = fresh_channel_class()
    notice_replies_after_sends(channel_class)
    notice_replies_after_sends(channel_class)  # applying twice changes nothing
    reply = asyncio.run(wait_while_a_reply_arrives_and_the_client_sends(channel_class))
    assert reply["msg_type"] == "execute_reply"
    assert reply["content"] == {"status": "ok"}


def test_patched_a_wait_with_nothing_to_read_still_ends_at_its_timeout():
    channel_class = fresh_channel_class()
    notice_replies_after_sends(channel_class)

    async def wait_for_a_reply_that_never_comes() -> None:
        with kernel_and_client(channel_class) as (_, _, channel, session):
            waiting = asyncio.ensure_future(channel.get_msg(timeout=0.2))
            await asyncio.sleep(0)
            channel.send(session.msg("kernel_info_request"))  # read, never answered
            with pytest.raises(Empty):
                await waiting

    asyncio.run(wait_for_a_reply_that_never_comes())
