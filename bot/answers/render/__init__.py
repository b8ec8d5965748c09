"""One renderer per output format, all from the same :class:`~bot.answers.reply.Reply`:

* :mod:`bot.answers.render.telegram`: Telegram HTML, cut to Telegram's limits;
* :mod:`bot.answers.render.whatsapp`: WhatsApp markup (``*bold*``, ``_italic_``, code blocks);
* :mod:`bot.answers.render.plain`: plain text, for the console.

The names of the former single module stay importable from here (``to_html``, ``to_plain``...).
"""

from bot.answers.render.plain import to_plain
from bot.answers.render.telegram import (
    CAPTION_LIMIT,
    TELEGRAM_LIMIT,
    block_html,
    caption_html,
    to_html,
    to_html_parts,
)

__all__ = [
    "CAPTION_LIMIT",
    "TELEGRAM_LIMIT",
    "block_html",
    "caption_html",
    "to_html",
    "to_html_parts",
    "to_plain",
]
