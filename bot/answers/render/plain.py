"""A :class:`~bot.answers.reply.Reply` as plain text: the console, ``upcall-bot coverage``."""

from __future__ import annotations

from bot.answers.reply import BlockKind, Reply


def to_plain(reply: Reply) -> str:
    """The reply as console text; buttons become a numbered list."""
    out: list[str] = []
    for block in reply.blocks:
        if block.kind is BlockKind.HEADING:
            out.append(f"== {block.plain} ==")
        elif block.kind is BlockKind.NOTE:
            out.append(f"({block.plain})")
        elif block.kind is BlockKind.TEMPLATE:
            body = "\n".join(f"  | {line}" for line in block.plain.strip().splitlines())
            out.append(f"{block.title}:\n{body}")
        else:
            out.append(block.plain)
    text = "\n\n".join(out)
    if reply.buttons:
        options = "\n".join(f"  [{i}] {b.label}" for i, b in enumerate(reply.buttons, start=1))
        text = f"{text}\n\n{options}" if text else options
    return text
