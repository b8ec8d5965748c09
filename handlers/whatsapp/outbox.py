"""Everything the bot sends to WhatsApp goes through here: one lane per chat, paced, retried.

* Paced: at least ``WHATSAPP_SEND_INTERVAL_SECONDS`` (1 s) between two messages to one chat;
  WhatsApp bans numbers that flood. Chats do not wait for each other.
* In order: the parts of one answer go out together, in order, before the next answer's.
* Retried: a call certainly not carried out (no connection, a connection timeout, a 5xx) is
  tried again with growing waits (0.5 s doubling, at most 30 s apart) for up to ``retry_for``
  seconds: Evolution restarting, or down a while, costs no answer. A call that may have been
  carried out (no answer in time, a dropped connection) is not: a message never shows twice. A
  4xx is logged once and not retried (the same call fails again).
* Stopping (:meth:`Outbox.stopping`): no retry after it; a wait for one ends at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from handlers.whatsapp.evolution import (
    GatewayDown,
    GatewayRejected,
    GatewayStopping,
    GatewayUnsure,
    SentMessage,
)

log = logging.getLogger(__name__)

FIRST_WAIT = 0.5
MAX_WAIT = 30.0
RETRY_FOR = 600.0
"""Seconds an answer keeps being retried while Evolution is down, then it is dropped (logged)."""
MAX_IDLE_LANES = 1000
"""Lanes kept for chats that sent nothing lately; beyond, idle ones are dropped."""

Send = Callable[[], Awaitable[SentMessage]]


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last: float = float("-inf")


class Outbox:
    def __init__(self, interval: float, *, retry_for: float = RETRY_FOR) -> None:
        self.interval = interval
        self.retry_for = retry_for
        self._lanes: dict[str, _Lane] = {}
        self._stopping = asyncio.Event()

    def stopping(self) -> None:
        """The bot is stopping: a failed call is not tried again (a wait for a retry ends now)."""
        self._stopping.set()

    def _lane(self, chat: str) -> _Lane:
        lane = self._lanes.get(chat)
        if lane is None:
            if len(self._lanes) >= MAX_IDLE_LANES:
                for key in [k for k, v in self._lanes.items() if not v.lock.locked()]:
                    del self._lanes[key]
            lane = self._lanes[chat] = _Lane()
        return lane

    async def send(
        self, chat: str, sends: Sequence[Send], *, retry_for: float | None = None
    ) -> list[SentMessage]:
        """Run ``sends`` in order in ``chat``'s lane; what was sent. A message that keeps
        failing is dropped with the rest of the batch (logged); :class:`GatewayDown` is raised
        only when nothing was sent and the wait ran out, so a caller may try again later."""
        lane = self._lane(chat)
        sent: list[SentMessage] = []
        async with lane.lock:
            for send in sends:
                wait = lane.last + self.interval - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                try:
                    message = await self._retrying(send, retry_for)
                except GatewayRejected as exc:
                    log.warning("WhatsApp refused a message to %s (%s): not retried", chat, exc)
                    break
                except GatewayUnsure as exc:
                    # It may have gone out: sending it again could show it twice.
                    log.warning(
                        "a message to %s may not have been sent (%s): not sent again", chat, exc
                    )
                    continue
                except GatewayStopping as exc:
                    log.warning("the bot is stopping: gave up sending to %s (%s)", chat, exc)
                    if not sent:
                        raise
                    break
                except GatewayDown as exc:
                    log.error("WhatsApp unreachable; gave up sending to %s (%s)", chat, exc)
                    if not sent:
                        raise
                    break
                finally:
                    lane.last = time.monotonic()
                sent.append(message)
        return sent

    async def _retrying(self, send: Send, retry_for: float | None) -> SentMessage:
        budget = self.retry_for if retry_for is None else retry_for
        deadline = time.monotonic() + budget
        wait = FIRST_WAIT
        attempt = 1
        while True:
            try:
                return await send()
            except GatewayStopping:
                raise
            except GatewayDown as exc:
                left = deadline - time.monotonic()
                if self._stopping.is_set():
                    raise GatewayStopping(str(exc)) from None
                if left <= 0:
                    raise
                if attempt == 1:
                    log.warning("WhatsApp gateway unavailable (%s); retrying", exc)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), min(wait, left))
                if self._stopping.is_set():
                    raise GatewayStopping(str(exc)) from None
                wait = min(wait * 2, MAX_WAIT)
                attempt += 1
