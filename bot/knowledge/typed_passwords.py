"""The value an agent types after a password word, found whatever its shape.

Agents give a customer's password in everyday wording: "senha 998877", "a senha joaozinho",
"a senha do wifi é minha casa 2020", "senha do wifi: minha casa 2020 netcenter não conecta",
"pppoe do cliente: joao123 senha 998877 mutum". :func:`mask_typed` finds the value after a
*cue* (``senha``, ``senhas``, ``password``, ``passwd``, ``pass``, ``pwd``, ``pppoe``) and masks
it, so that what the bot stores (audit and gaps logs, the console's history) and logs never holds
it. No KB is needed (the log redactor has none); :mod:`bot.knowledge.passwords` passes the KB's
words (ISP names, equipment, topic keywords) so that a question's ISP and topic stay readable.

How far a value goes depends on what joins it to the cue:

- ``:`` or ``=`` ("senha: x", "senha do wifi: x y z"): the value may hold spaces. Every word is
  masked up to the end of the line, a word ending with ``,`` or ``;`` (``!``, ``?``, ``.`` may
  be part of a password), an ISP name or a word that starts a new clause ("não", "mas",
  "porque"...); the first word always. The words masked become one ``•••``.
- ``é``, ``eh``, ``e``, ``era``, ``ficou``... ("a senha é x"): the same, but an ordinary short word
  (an article, a preposition, "e") also ends it, and a first word that describes rather than
  gives ("a senha é padrão", "é da lasernet") is no value.
- nothing ("senha 998877", "senha do wifi joaozinho"): one word, the first after the cue (or after
  one qualifier: "do wifi", "lasernet"), unless it is a word of a question (the KB's words,
  an ISP's name or a close spelling of one, "padrão", "errada", "do"...) or an IP/address.

Masking too much in a stored line costs a supervisor a word; masking too little leaks a password:
where the two conflict, this module masks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.reading.text import STOPWORDS, normalize

MASK = "•••"
PASSWORD_CUES = r"senhas?|password|passwd|pass|pwd"
"""The words that label a password (a regex alternation), for what agents type and what the KB
writes alike (:mod:`bot.knowledge.passwords` builds its patterns from it too)."""
CUE = re.compile(
    rf"[^\w:=]*(?P<cue>{PASSWORD_CUES}|pppoe)"
    r"(?:(?P<sep>[:=])(?P<rest>.*)|(?P<tail>[^\w:=]*))",
    re.IGNORECASE | re.DOTALL,
)
"""A token that is a cue: "senha", "Senha:", "senha:abc", "(senha", "senha?"."""
ANY_CUE = re.compile(r"(?i)senha|pass|pwd|pppoe")
"""A quick test: most text (a log line) has no cue and is left as it is."""
WEAK_SEPARATORS = frozenset({"e", "eh", "is", "era", "ficou", "fica", "seria", "virou"})
"""Words joining a cue to its value ("a senha é x"; normalised: "é" is "e")."""
QUALIFIER_SPAN = 4
"""How many words may sit between a cue and its ``:`` or ``é`` ("senha do wifi do cliente:")."""
CLAUSE_END = ",;?!."
"""A word ending with one of these ends a question's clause ("qual a senha?"); a value only
ends at a comma or semicolon ("!", "?" and "." may be part of a password)."""
CLAUSE_WORDS = frozenset(
    "nao mas porque pq pois como qual quais quando onde quem tb tambem entao ai".split()  # noqa: SIM905
)
"""Words that start a new clause after a value ("senha: x não entra")."""
DESCRIBING = frozenset(
    """
    padrao fabrica default nova novo antiga antigo atual errada errado incorreta incorreto invalida
    correta certa mesma mesmo diferente trocada trocou mudou mudada alterada alterou esqueceu
    esquecida expirou bloqueada bloqueou resetada resetou funciona funcionou aceita entra
    wifi wi fi rede roteador modem onu equipamento acesso admin adm usuario user login
    provisoria temporaria forte fraca segura
    """.split()  # noqa: SIM905
)
"""Words that describe a password instead of giving one ("senha padrão", "senha errada")."""
IP_OR_URL = re.compile(
    r"(?i)^(?:\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?|[a-z][a-z0-9+.-]*://\S*|www\.\S*)$"
)
WEAK_STOP = frozenset("a o as os um uma do da de dos das no na nos nas em com para pra".split())  # noqa: SIM905
"""After "é", these are no value and end one ("a senha é a mesma", "senha é do wifi")."""


@dataclass(frozen=True)
class Words:
    """What the masker knows of the KB: words of a question (never a value) and ISP names (they
    end a value). Without a KB: Portuguese's small words and the describing ones only."""

    question: Callable[[str], bool] = field(default=lambda _word: False)
    """True for a normalised word the KB uses to ask (a topic keyword, a model, an ISP)."""
    isp: Callable[[str], bool] = field(default=lambda _word: False)
    """True for a word that names an ISP (or a close spelling of one)."""
    kb: bool = False
    """Built from a KB: an unknown word after a cue is a value. Without one (the log redactor)
    it may be an ISP's name qualifying the cue ("senha lasernet: x", "senha da mutum é x")."""

    def is_qualifier(self, word: str) -> bool:
        """May stand between a cue and its ":"/"é" ("do wifi", "da mutum")."""
        return not self.kb or self.is_question_word(word)

    def is_question_word(self, word: str) -> bool:
        parts = normalize(word).split()
        known = bool(parts) and all(
            p in STOPWORDS or p in DESCRIBING or p in CLAUSE_WORDS or self.question(p)
            for p in parts
        )
        return known or self.isp(word)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    line_break_before: bool

    @property
    def core(self) -> str:
        return self.text.strip(".,;:!?()[]{}\"'«»“”‘’")

    @property
    def ends_value(self) -> bool:
        """A comma or semicolon after it: a value ends here ("!", "?", "." may be its own)."""
        return self.text.rstrip("\"'»”’)]}")[-1:] in ",;"

    @property
    def ends_clause(self) -> bool:
        return self.text.rstrip("\"'»”’)]}")[-1:] in CLAUSE_END


WORD = re.compile(r"(?:(?!\\[nrt])\S)+")
"""A word: no spaces, nor an escaped line break (a log line quotes a question with ``repr``)."""


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    last = 0
    for match in WORD.finditer(text):
        between = text[last : match.start()]
        broken = "\n" in between or "\\n" in between
        found.append(_Token(match.start(), match.end(), match.group(0), broken))
        last = match.end()
    return found


def _shaped(word: str) -> bool:
    """Digits or signs in it, or a capital inside: a password's shape ("998877", "Xy!12")."""
    return any(not ch.isalpha() for ch in word) or any(ch.isupper() for ch in word[1:])


def mask_typed(text: str, words: Words | None = None, replacement: str = MASK) -> str:
    """``text`` with every value typed after a password word replaced by ``replacement``."""
    if ANY_CUE.search(text) is None:  # most text: a log line, a question about plans
        return text
    words = words or Words()
    tokens = _tokens(text)
    spans: list[tuple[int, int]] = []  # (start, end) of the text to replace
    index = 0
    while index < len(tokens):
        found = _value_after(tokens, index, words)
        if found is None:
            index += 1
            continue
        new_spans, index = found
        spans.extend(new_spans)
    for start, end in reversed(_merged(sorted(spans), text)):
        text = text[:start] + replacement + text[end:]
    return text


def _merged(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Spans only spaces apart made one ("minha casa 2020" is one mask: not three, which would
    say how many words the password has)."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (not text[merged[-1][1] : start].strip(" \t") or start <= merged[-1][1]):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _value_after(
    tokens: list[_Token], index: int, words: Words
) -> tuple[list[tuple[int, int]], int] | None:
    """The spans to mask after the cue at ``tokens[index]`` and where to look next; ``None`` when
    the token is no cue."""
    token = tokens[index]
    cue = CUE.fullmatch(token.text)
    if cue is None:
        return None
    if cue.group("sep") is not None:
        spans: list[tuple[int, int]] = []
        rest = cue.group("rest")
        if rest:  # "senha:abc"
            spans.append((token.start + cue.start("rest"), token.end))
            if token.ends_value:
                return spans, index + 1
            more, after = _strong_value(tokens, index + 1, words, first_masked=True)
        else:
            more, after = _strong_value(tokens, index + 1, words, first_masked=False)
        return spans + more, after
    if any(ch in CLAUSE_END for ch in cue.group("tail") or ""):
        return [], index + 1  # "qual a senha?"
    return _after_words(tokens, index, words, login=cue.group("cue").lower() == "pppoe")


def _after_words(
    tokens: list[_Token], index: int, words: Words, *, login: bool
) -> tuple[list[tuple[int, int]], int]:
    """The cue at ``index`` has no ``:``: look for one (or an "é") among the next few words of a
    question; else the value is one word."""
    for ahead in range(index + 1, min(index + 1 + QUALIFIER_SPAN, len(tokens))):
        token = tokens[ahead]
        if token.line_break_before or CUE.fullmatch(token.text):
            break
        bare = token.text.strip("\"'“”«»()")
        if _sign_separator(bare):
            return _strong_value(tokens, ahead + 1, words, first_masked=False)
        head, sep, rest = _split_separator(bare)
        if sep and (not head or words.is_qualifier(head)):
            if rest:
                start = token.start + token.text.index(bare) + len(head) + 1
                spans = [(start, token.end)]
                if token.ends_value:
                    return spans, ahead + 1
                more, after = _strong_value(tokens, ahead + 1, words, first_masked=True)
                return spans + more, after
            return _strong_value(tokens, ahead + 1, words, first_masked=False)
        if normalize(token.text) in WEAK_SEPARATORS and not token.ends_clause:
            return _weak_value(tokens, ahead + 1, words)
        if token.ends_clause or not words.is_qualifier(token.text):
            break
    return _one_word(tokens, index, words, direct=not login)


def _sign_separator(word: str) -> bool:
    """Signs alone between a cue and its value: ":", "=", "-", "->", "→", "—", ">>" ("senha ->
    x"); not a clause's end ("?", "..."), nor a value masked already ("senha •••")."""
    return (
        bool(word) and MASK not in word and not any(ch.isalnum() or ch in CLAUSE_END for ch in word)
    )


def _split_separator(word: str) -> tuple[str, str, str]:
    """("wifi", ":", "abc") for "wifi:abc"; ("", "", "") when no ``:``/``=`` is in it."""
    match = re.search(r"[:=]", word)
    if match is None or "://" in word:
        return "", "", ""
    return word[: match.start()], match.group(0), word[match.end() :]


def _strong_value(
    tokens: list[_Token], start: int, words: Words, *, first_masked: bool
) -> tuple[list[tuple[int, int]], int]:
    """After ``:``: every word up to the end of the clause (the first one always)."""
    spans: list[tuple[int, int]] = []
    index = start
    first = not first_masked
    while index < len(tokens):
        token = tokens[index]
        if token.line_break_before and not first:
            break
        if not first and (words.isp(token.core) or normalize(token.core) in CLAUSE_WORDS):
            break
        spans.append(_span(token))
        index += 1
        first = False
        if token.ends_value:
            break
    return spans, index


def _weak_value(
    tokens: list[_Token], start: int, words: Words
) -> tuple[list[tuple[int, int]], int]:
    """After "é": the words up to the end of the clause or a small word; none when the first
    describes ("padrão", "a mesma", "da lasernet")."""
    spans: list[tuple[int, int]] = []
    index = start
    while index < len(tokens):
        token = tokens[index]
        plain = normalize(token.core)
        if token.line_break_before and spans:
            break
        if not spans and (
            not plain or plain in WEAK_STOP or plain in DESCRIBING or words.isp(token.core)
        ):
            break
        if spans and (
            words.isp(token.core) or plain in CLAUSE_WORDS or plain in WEAK_STOP or plain == "e"
        ):
            break
        if IP_OR_URL.match(token.core):
            break
        spans.append(_span(token))
        index += 1
        if token.ends_value:
            break
    return spans, max(index, start)


def _one_word(
    tokens: list[_Token], index: int, words: Words, *, direct: bool
) -> tuple[list[tuple[int, int]], int]:
    """No ``:`` nor "é": the word after the cue, or after one qualifier ("do wifi", "lasernet"),
    unless it is a word of a question; after a qualifier (or after "pppoe", which is also a
    topic: "pppoe caiu"), only a word with a password's shape or no word of the dictionary
    ("roteador travou" stays)."""
    candidates: list[tuple[int, bool]] = [(index + 1, direct)]
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    if after is not None and not after.ends_clause:
        plain = normalize(after.core)
        if plain in {"do", "da", "de", "dos", "das", "no", "na"}:
            candidates.append((index + 3, False))
        elif words.is_question_word(after.core) and plain not in STOPWORDS:
            candidates.append((index + 2, False))
    for position, direct in candidates:
        if position >= len(tokens):
            break
        token = tokens[position]
        if token.line_break_before and not direct:
            break
        if position == index + 3 and not words.is_question_word(tokens[index + 2].core):
            break
        if _is_value(token, words, direct=direct):
            return [_span(token)], position + 1
        if token.ends_clause:
            break
    return [], index + 1


def _is_value(token: _Token, words: Words, *, direct: bool) -> bool:
    core = token.core
    if not core or IP_OR_URL.match(core) or CUE.fullmatch(core):
        return False
    if words.is_question_word(core):
        return False
    if direct:
        return True
    if _model_code(core):
        return False  # "/senhas mutum HG8245H": a model the KB may not know yet
    return _shaped(core) or not _common(core)


def _model_code(word: str) -> bool:
    """Capitals with digits, no lower case nor signs but "-" ("HG8245H", "W5-1200G")."""
    plain = word.replace("-", "")
    return (
        plain.isalnum()
        and not any(ch.islower() for ch in plain)
        and any(ch.isdigit() for ch in plain)
        and any(ch.isalpha() for ch in plain)
    )


def _common(word: str) -> bool:
    from wordfreq import zipf_frequency  # loaded by the reader too

    return any(zipf_frequency(word.lower(), lang) >= 3.0 for lang in ("pt", "en"))


def _span(token: _Token) -> tuple[int, int]:
    """The token without a trailing comma or semicolon (it says where the clause ends)."""
    end = token.end
    while end > token.start + 1 and token.text[end - token.start - 1] in ",;":
        end -= 1
    return token.start, end
