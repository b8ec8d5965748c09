"""A message that only greets or is a courtesy ("boa noite", "oi", "obrigado", "ok", "tchau"):
answered in kind with a hint of what to ask, never "não entendi" and never an ISP's data or a
menu. A greeting inside a question ("boa noite, qual o dns da mutum?") is not this: the question
is read as usual.

Words are matched with repeated letters collapsed ("bom diaa", "oiii", "okk", "vlww"), so the
patterns below are written collapsed too ("pesoal" is "pessoal")."""

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
_THANKS_WORDS = r"obrigad[oa]s?|obrigadao|brigad[oa]|obg|obgd|valeu|vlw|agradeco|grat[oa]|tmj"
_THANKS = re.compile(rf"\b({_THANKS_WORDS})\b")
_FAREWELL_WORDS = (
    r"tchau|xau|ate (mais|logo|amanha|a proxima|breve|depois)|falou|flw"
    r"|bom descanso|bom trabalho|bom plantao"
)
_FAREWELL = re.compile(rf"\b({_FAREWELL_WORDS})\b")
_COURTESY_WORDS = (
    r"ok|okay|certo|entendi|entendido|show|perfeito|tranquilo|combinado|anotado|de nada"
    r"|ta (bom|certo|ok)|beleza|blz|joia"
)
_COURTESY = re.compile(rf"\b({_COURTESY_WORDS})\b")
_WORDS = (
    r"oi|oie|ola|alo|opa|hey|helo|hi|salve|eai|e ai|fala|bom dia|boa tarde|boa noite"
    r"|boa madrugada|tudo (bem|bom|certo|joia)|td (bem|bom)|como vai|como (voce )?esta"
    rf"|muito obrigad[oa]s?|{_THANKS_WORDS}|{_FAREWELL_WORDS}|{_COURTESY_WORDS}"
    r"|pesoal|galera|gente|amigo|amiga|equipe|turma|a todos|todos|colegas|bot|robo|upcal"
)
_ONLY_GREETING = re.compile(rf"^(?:(?:{_WORDS})\s*)+$")
"""The whole message, normalised, is greeting words: nothing asked."""


_REPEATS = re.compile(r"(\w)\1+")


def _collapsed(question: str) -> str:
    """Normalised, each run of one letter written once: "Bom diaa!" -> "bom dia"."""
    return _REPEATS.sub(r"\1", normalize(question))


def only_greets(question: str) -> bool:
    words = _collapsed(question)
    return bool(words) and _ONLY_GREETING.match(words) is not None


def greeting(kb: KB, question: str) -> Reply:
    """The greeting back (:func:`salute`), then an example question from the KB's first ISP,
    and /ajuda."""
    return Reply(ReplyKind.GREETING, (text(f"{salute(question)} {_hint(kb)}"),))


def salute(question: str) -> str:
    """The agent's own salute ("Boa noite!"), "De nada!" for thanks, "Olá!" otherwise."""
    words = _collapsed(question)
    back = next((back for said, back in _SALUTES if said in words), None)
    if back is None:
        back = next(
            (
                back
                for said, back in (
                    (_THANKS, msg.GREETING_THANKS),
                    (_FAREWELL, msg.GREETING_BYE),
                    (_COURTESY, msg.GREETING_NOTED),
                )
                if said.search(words)
            ),
            msg.GREETING_HELLO,
        )
    return back


def _hint(kb: KB) -> str:
    provider = next(iter(kb.providers.values()), None)
    if provider is None:
        return msg.GREETING_HELP
    topic = "dns" if "dns" in kb.topics else next(iter(kb.topics), "")
    example = f"qual o {topic} da {provider.name.lower()}?" if topic else ""
    return msg.GREETING_HINT.format(example=example) if example else msg.GREETING_HELP
