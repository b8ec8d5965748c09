"""Inline mode: ``@UpcallBot dns mutum`` in any chat offers the answer as an article to post.

Where the core offers a choice (``@UpcallBot dns``: which ISP?), each option becomes its own
article, so the agent picks the answer directly from the list. Results are personal (they depend on
who asks) and not offered to anyone who may not ask.

Answers that carry credentials are not offered here: an inline result can be posted in any chat,
where no access rule applies. A button points to the private chat instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import logging
from dataclasses import replace

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import InlineQueryLimit
from telegram.ext import BaseHandler, InlineQueryHandler

from bot.answers import messages as msg
from bot.answers.core import answer
from bot.answers.render.telegram import TELEGRAM_LIMIT, to_html_parts
from bot.answers.reply import BlockKind, Reply
from bot.knowledge.kb import KB
from bot.knowledge.passwords import contains_secret
from handlers.telegram.access import may_ask_as_user
from handlers.telegram.state import Context, kb_of, now_of

log = logging.getLogger(__name__)

CACHE_SECONDS = 10
"""Short: a KB reload shows in inline mode within seconds."""
TITLE_MAX, DESCRIPTION_MAX = 100, 160
CUT_ROOM = 200
"""Room left in an inline result's message for the line saying it was cut."""
CREDENTIALS_BUTTON = "🔒 Senhas: pergunte no grupo ou no privado"
CREDENTIALS_START = "ajuda"


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def article(reply: Reply, key: str) -> InlineQueryResultArticle:
    blocks = [b for b in reply.blocks if b.plain.strip()]
    head = next((b for b in blocks if b.kind is BlockKind.HEADING), blocks[0] if blocks else None)
    rest = " ".join(b.plain for b in blocks if b is not head)
    return InlineQueryResultArticle(
        id=hashlib.sha256(key.encode()).hexdigest()[:32],
        title=_shorten(head.plain if head else key, TITLE_MAX),
        description=_shorten(rest, DESCRIPTION_MAX) or None,
        input_message_content=InputTextMessageContent(message_html(reply, key)),
    )


def message_html(reply: Reply, ask: str) -> str:
    """The message an inline result posts: one message only, so an answer longer than that is
    cut between blocks, and says so with what to ask the bot for the rest (it was cut silently)."""
    whole = to_html_parts(reply)
    if len(whole) == 1:
        return whole[0]
    parts = to_html_parts(reply, TELEGRAM_LIMIT - CUT_ROOM)
    said = msg.INLINE_CUT.format(ask=_shorten(ask, TITLE_MAX))
    return f"{parts[0]}\n\n<i>{html.escape(said, quote=False)}</i>"


def inline_replies(kb: KB, query: str, now: dt.datetime) -> list[tuple[str, Reply]]:
    """(ask, reply) pairs to offer: the answer, or the answer of each option of a choice."""
    reply = answer(kb, query, now)
    if not reply.buttons:
        return [(query, reply)]
    options = [(b.ask, answer(kb, b.ask, now)) for b in reply.buttons]
    if reply.credentials:
        # The choice is a credential answer ("deusefiel, cancelar ou bloqueio?": the ISP came
        # from a KB password typed): each option tells whose password it is, as the choice does.
        options = [(ask, replace(r, credentials=True)) for ask, r in options]
    answered = [(ask, r) for ask, r in options if not r.buttons]
    return answered or [(query, reply)]


def inline_results(
    kb: KB, query: str, now: dt.datetime
) -> tuple[list[InlineQueryResultArticle], bool]:
    """The articles, and whether some answer was held back because it carries credentials."""
    replies = inline_replies(kb, query, now)
    # A password in a public topic is refused at load (bot.knowledge.passwords); checked here
    # again because an inline result can be posted in any chat.
    offered = [
        (ask, r)
        for ask, r in replies
        if not r.credentials and not any(contains_secret(kb, b.plain) for b in r.blocks)
    ]
    results = [article(r, ask) for ask, r in offered[: InlineQueryLimit.RESULTS]]
    return results, len(offered) < len(replies)


async def on_inline_query(update: Update, context: Context) -> None:
    query = update.inline_query
    if query is None:
        return
    text = query.query.strip()
    if not text or not await may_ask_as_user(query.from_user.id, context):
        await query.answer([], cache_time=0, is_personal=True)
        return
    results, withheld = inline_results(kb_of(context), text, now_of(context))
    button = (
        InlineQueryResultsButton(text=CREDENTIALS_BUTTON, start_parameter=CREDENTIALS_START)
        if withheld
        else None
    )
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True, button=button)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [InlineQueryHandler(on_inline_query)]
