"""The suite never touches the network: the guard refuses everything but loopback."""

import socket

import httpx
import pytest
from telegram import Bot

from tests.support.network_guard import NetworkBlocked


def test_connecting_to_a_public_address_is_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkBlocked):
        sock.connect(("149.154.167.220", 443))  # one of Telegram's addresses


def test_looking_up_telegram_is_refused() -> None:
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("api.telegram.org", 443)


async def test_a_real_bot_without_the_fake_cannot_reach_telegram() -> None:
    bot = Bot("123456789:TESTtokenTESTtokenTESTtokenTESTtok")
    with pytest.raises(Exception) as raised:
        await bot.get_me()
    chain = [raised.value, raised.value.__cause__, raised.value.__context__]
    assert any(isinstance(e, NetworkBlocked | httpx.ConnectError) or "tests may not" in str(e)
               for e in chain if e is not None)


def test_loopback_is_allowed() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
