"""Turns per chat (bot/app/ordering.py): one chat's work in arrival order, other chats free."""

from __future__ import annotations

import asyncio

from bot.app.ordering import ChatTurns


async def test_one_chat_in_order_other_chats_meanwhile() -> None:
    turns = ChatTurns()
    done: list[str] = []

    async def work(chat: int | None, name: str, seconds: float) -> None:
        async with turns.turn(chat):
            await asyncio.sleep(seconds)
            done.append(name)

    await asyncio.gather(
        work(1, "1a", 0.05),  # slow first: 1b and 1c wait for it
        work(1, "1b", 0.0),
        work(2, "2a", 0.01),  # another chat: not held by chat 1
        work(1, "1c", 0.0),
        work(None, "inline", 0.0),  # no chat: no turn
    )
    assert [n for n in done if n.startswith("1")] == ["1a", "1b", "1c"]
    assert done.index("2a") < done.index("1a") and done.index("inline") < done.index("1a")
    assert len(turns) == 0  # nothing kept once no one waits


async def test_a_failing_turn_passes_the_turn_on() -> None:
    turns = ChatTurns()

    async def fail() -> None:
        async with turns.turn(1):
            raise RuntimeError("boom")

    results = await asyncio.gather(fail(), fail(), return_exceptions=True)
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    async with turns.turn(1):
        pass
    assert len(turns) == 0
