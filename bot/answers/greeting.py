"""A message that only greets ("boa noite", "oi", "obrigado"): greeted back with a hint of what to
ask, never "não entendi" and never an ISP's data. A greeting inside a question ("boa noite, qual
o dns da mutum?") is not this: the question is read as usual."""

from __future__ import annotations

import re

from bot.answers import messages as msg
from bot.answers.reply import Reply, ReplyKind, text
from bot.knowledge.kb import KB
from bot.reading.text import normalize

_SALUTES = (
    ("bom dia", "Bom dia!"),
    ("boa tarde", "Boa tarde!"),
    ("boa noite", "Boa noite!"),
    ("boa madrugada", "Boa madrugada!"),
)
_THANKS = re.compile(r"\b(obrigad[oa]s?|brigad[oa]|valeu|vlw|agradeco)\b")
_WORDS = (
    r"oi+e?|ola+|opa+|hey|hello|hi|salve|eai|e ai|fala|bom dia|boa tarde|boa noite|boa madrugada"
    r"|tudo (bem|bom|certo|joia)|td (bem|bom)|como vai|como (voce )?esta|beleza|blz|joia"
    r"|obrigad[oa]s?|brigad[oa]|valeu|vlw|muito obrigad[oa]s?|agradeco"
    r"|pessoal|galera|gente|amigo|amiga|bot|robo|upcall"
)
_ONLY_GREETING = re.compile(rf"^(?:(?:{_WORDS})\s*)+$")
"""The whole message, normalised, is greeting words: nothing asked."""


def only_greets(question: str) -> bool:
    words = normalize(question)
    return bool(words) and _ONLY_GREETING.match(words) is not None


def greeting(kb: KB, question: str) -> Reply:
    """The greeting back: the agent's own salute ("Boa noite!"), "De nada!" for thanks, "Olá!"
    otherwise; then an example question from the KB's first ISP, and /ajuda."""
    words = normalize(question)
    salute = next((back for said, back in _SALUTES if said in words), None)
    if salute is None:
        salute = msg.GREETING_THANKS if _THANKS.search(words) else msg.GREETING_HELLO
    return Reply(ReplyKind.GREETING, (text(f"{salute} {_hint(kb)}"),))


def _hint(kb: KB) -> str:
    provider = next(iter(kb.providers.values()), None)
    if provider is None:
        return msg.GREETING_HELP
    topic = "dns" if "dns" in kb.topics else next(iter(kb.topics), "")
    example = f"qual o {topic} da {provider.name.lower()}?" if topic else ""
    return msg.GREETING_HINT.format(example=example) if example else msg.GREETING_HELP
