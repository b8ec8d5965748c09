"""The value an agent types after a password word, found whatever its shape.

Agents give a customer's password in everyday wording: "senha 998877", "a senha joaozinho",
"a senha do wifi é minha casa 2020", "senha do wifi: minha casa 2020 netcenter não conecta",
"pppoe do cliente: joao123 senha 998877 mutum". :func:`mask_typed` finds the value after a
*cue* (``senha``, ``senhas``, ``password``, ``passwords``, ``passwd``, ``pass``, ``pwd``,
``pppoe``) and masks
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

A word of an ISP's name that is not a whole name ("fibra", "laser") may start a value ("senha
fibra rapida 2020", "a senha é fibra rapida"); only a whole name ends one. Without a KB (the log
redactor) the words that may be qualifiers or a value's next words are masked too. Around all
that, :func:`mask_shaped` masks every word shaped like a password in a text about passwords
("troquei a senha para Maria123"); the stores and the redactor both run it.

A password changed is given in more ways (:func:`changed_values`), when a verb of changing
("trocou", "mudei", "alterada", "colocou", "usa"...: :data:`CHANGE_VERB`) is said with a cue:
after "para", "pra", "pro", "por", "p/" ("trocou a senha do wifi para ubatuba", "mudou pra
ubatuba a senha"), after "virou", after "agora é" / "a nova é" ("mudou a senha, agora é
ubatuba"), and before "como senha" / "de senha" ("colocou ubatuba como senha"). Such a value is
one word or more, as after "é"; a word of a question (the KB's), an ISP's name, a small word or
a verb's infinitive ("pra acessar") is none.

Masking too much in a stored line costs a supervisor a word; masking too little leaks a password:
where the two conflict, this module masks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.reading.text import STOPWORDS, compact, normalize

MASK = "•••"
PASSWORD_CUES = r"senhas?|passwords?|passwd|pass|pwd"
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


PASSWORD_WORD = re.compile(rf"(?i)\b(?:{PASSWORD_CUES}|pppoe|login|credenciais?)\b")
"""A question about passwords: the context in which password-shaped words are masked."""
BOT_MENTION = re.compile(r"@[A-Za-z][A-Za-z0-9_]{1,29}bot[.,;:!?]*", re.IGNORECASE)
"""A Telegram bot's @username (they all end in "bot"): the mention of the bot, not a password."""
TRIM = ".,;:!?()[]{}\"'"
"""Punctuation around a word, not part of it ("(W5-1200G)," is the model, "agora?" a word)."""
LABEL_END = re.compile(rf"(?i)(?:{PASSWORD_CUES}|pppoe)[:=]$")
"""A word ending in a cue and its separator: a label, not a value."""
TRACEBACK_FRAME = re.compile(r'^\s*File "[^"\n]*", line \d+')
"""A traceback's frame line: a place in the code, never what anyone typed."""


def password_shaped(word: str, known: Callable[[str], bool] = lambda _word: False) -> bool:
    """Lower-case letters with digits, signs or inner capitals ("Xy7-8899!", "MinhaSenha"), or
    signs with letters or digits ("AB12#"); not a ``known`` word (the KB's models), an IP, an
    address or the bot's @mention. Model names ("HG8245H", "archer c6") and ordinary words
    ("wi-fi", "8080", "Roteador") are not."""
    core = word.strip(TRIM)
    if len(core) < 5 or IP_OR_URL.match(core) or BOT_MENTION.fullmatch(word) or known(core):
        return False
    lower = any(ch.islower() for ch in core)
    digits = any(ch.isdigit() for ch in core)
    signs = any(not ch.isalnum() and ch not in "-'./" for ch in core)
    inner_capital = any(ch.isupper() for ch in core[1:])
    return (lower and (digits or signs or inner_capital)) or (
        signs and (digits or lower or inner_capital or any(ch.isalpha() for ch in core))
    )


def mask_shaped(
    text: str,
    known: Callable[[str], bool] = lambda _word: False,
    replacement: str = MASK,
    *,
    always: bool = False,
) -> str:
    """In a text about passwords (:data:`PASSWORD_WORD`; or ``always``), every password-shaped
    word (:func:`password_shaped`) replaced: "troquei a senha para Maria123", "o cliente usa
    flamengo10 como senha". What is masked already stays; so do a traceback's frame lines."""
    if not always and PASSWORD_WORD.search(text) is None:
        return text

    def shaped(found: re.Match[str]) -> str:
        word = found.group(0)
        if MASK in word or replacement in word or LABEL_END.search(word):
            return word  # masked already; a label glued to what comes before ("text='Senha:")
        return replacement if password_shaped(word, known) else word

    lines = text.split("\n")
    return "\n".join(
        line if TRACEBACK_FRAME.match(line) else re.sub(r"\S+", shaped, line) for line in lines
    )


PASSWORD_SIGNS = frozenset("@#$%&*_+=")
"""Signs that join no words of a question ("2@2", "casa#1"); "-", "." and "/" do ("wi-fi")."""


def _code_shaped(word: str, parts: list[str]) -> bool:
    """A word of password signs inside ("2@2", "a#1") or of figures with signs ("12-34", "2---"),
    whose normalised pieces may each be a KB's word ("2") but which, whole, is none."""
    core = word.strip(TRIM)
    if BOT_MENTION.fullmatch(word):
        return False
    if any(ch in PASSWORD_SIGNS for ch in core) and any(ch.isalnum() for ch in core):
        return True
    return (
        bool(parts)
        and all(part.isdigit() for part in parts)
        and any(not ch.isalnum() for ch in core)
        and not IP_OR_URL.match(core)
    )


@dataclass(frozen=True)
class Words:
    """What the masker knows of the KB: words of a question (never a value) and ISP names (they
    end a value). Without a KB: Portuguese's small words and the describing ones only."""

    question: Callable[[str], bool] = field(default=lambda _word: False)
    """True for a normalised word the KB uses to ask (a topic keyword, a model, an ISP)."""
    isp: Callable[[str], bool] = field(default=lambda _word: False)
    """True for a word that names an ISP (or a close spelling of one), or is a word of a name
    ("fibra" of "Mutum Fibra", "vm" of "VM NET"): it qualifies a cue ("senha da vm é x")."""
    isp_name: Callable[[str], bool] | None = None
    """True for an ISP's whole name (or a close spelling of one): it ends a value ("senha: x
    mutum"); a word of a name only ("fibra", "laser") may start one ("senha: fibra rapida
    2020"). ``None``: :attr:`isp`."""
    kb: bool = False
    """Built from a KB: an unknown word after a cue is a value. Without one (the log redactor)
    it may be an ISP's name qualifying the cue ("senha lasernet: x", "senha da mutum é x")."""

    def is_qualifier(self, word: str) -> bool:
        """May stand between a cue and its ":"/"é" ("do wifi", "da mutum")."""
        return not self.kb or self.is_question_word(word)

    def names_isp(self, word: str) -> bool:
        """``word`` is an ISP's whole name (a word of a name is not)."""
        return (self.isp_name or self.isp)(word)

    def is_name_part(self, word: str) -> bool:
        """``word`` is only a word of an ISP's name ("fibra", "laser", "vm")."""
        return self.isp(word) and not self.names_isp(word)

    def is_question_word(self, word: str) -> bool:
        parts = normalize(word).split()
        if _code_shaped(word, parts):
            return False  # "2@2-", "12-34", "a#1": a code of signs and figures, no question's word
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


QUOTED_VALUE = re.compile(
    rf"(?i)(?<![^\W\d_])(?:{PASSWORD_CUES}|pppoe)(?![^\W\d_])"
    r"(?:[ \t]+(?:d[aeo]s?|no|na|wifi|wi-fi|rede|roteador|central|app|cliente|dele|dela"
    r"|nova|novo))*"
    r"[ \t]*(?:[:=]|[ \t](?:é|e|eh|era|ficou|virou))?[ \t]*"
    r"(?P<open>[\"'“‘«])(?P<value>[^\"'“”‘’«»\n]{1,60})[\"'”’»]"
)
"""A value typed between quotes after a cue ('senha "minha casa" não entra', "senha do wifi:
'abrir ordem de serviço'"): every word inside the quotes, whatever they are."""


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
    spans.extend(changed_values(tokens, words))
    spans.extend(m.span("value") for m in QUOTED_VALUE.finditer(text))
    for start, end in reversed(_merged(sorted(spans), text)):
        text = text[:start] + replacement + text[end:]
    return text


CHANGE_VERB = re.compile(
    r"^(?:troc(?:ar|ou|a|as|ado|ada|aram|ando|ava|arem|aria)|troq(?:uei|ue|uem)|troca"
    r"|mud(?:ar|ou|ei|a|as|ado|ada|aram|ando|ava|e|em|anca)"
    r"|alter(?:ar|ou|ei|a|ado|ada|aram|ando|e|em|acao)"
    r"|redefin(?:ir|iu|i|ido|ida|iram|indo|e|icao)|reset(?:ar|ou|ei|a|ado|ada|aram|ando)"
    r"|atualiz(?:ar|ou|a|ado|ada|aram|ando)|atualizei"
    r"|coloc(?:ar|ou|a|ado|ada|aram|ando)|coloq(?:uei|ue)|bot(?:ar|ou|ei|aram|ando)"
    r"|defin(?:ir|iu|i|ido|ida|iram)|cadastr(?:ar|ou|ei|a|ado|ada|aram)"
    r"|configur(?:ar|ou|ei|ado|ada|aram)|us(?:ar|ou|ei|a|ava|ando|aram))$"
)
"""A verb of changing or setting (normalised: "trocou", "troquei", "mudança", "alterada",
"colocou", "usa"): said with a cue, what follows "para" / "virou" / "agora é" is the new
password."""
CHANGE_TO = frozenset({"para", "pra", "pro", "por", "p", "virou"})
"""Words after which a changed password is given ("trocou a senha para x"; "p/" is "p")."""
NOW_IS = frozenset({"agora", "nova", "novo", "atual"})
"""Words that, with a separator after them, give the new password ("agora é x", "a nova: x")."""
AS_CUE = frozenset({"como", "de"})
"""Between a value and the cue after it ("colocou x como senha", "botou x de senha")."""
CHANGE_SPAN = 8
"""How many words after a cue or a verb of changing "para" may give the password."""


def changed_password(text: str) -> bool:
    """Whether ``text`` speaks of a password changed or set ("trocou a senha", "senha nova"):
    a cue with a verb of changing, or with "nova"/"novo" beside it."""
    if ANY_CUE.search(text) is None:
        return False
    plain = normalize(text).split()
    return any(CHANGE_VERB.match(w) for w in plain) or bool(
        re.search(
            rf"(?i)\b(?:nov[ao]s?\s+(?:{PASSWORD_CUES})|(?:{PASSWORD_CUES})\s+nov[ao]s?)\b", text
        )
    )


def changed_values(tokens: list[_Token], words: Words) -> list[tuple[int, int]]:
    """The spans of a password given as a change (see the module's text): only in a text with a
    cue and a verb of changing, and where the change is the password's, not the customer's
    ("mudou pra Ubatuba, qual a senha?" is a move: the place stays):

    * "para x" / "virou x": a cue before it in the same clause, and a verb before it ("trocou
      a senha do wifi para x", "a senha foi trocada pra x"); or the verb just before and the
      cue just after the value ("trocou pra x a senha");
    * "agora é x" / "a nova é x": a cue before it ("mudou a senha, agora é x");
    * "x como senha": a verb up to three words before ("colocou x como senha")."""
    plain = [normalize(t.core) for t in tokens]
    cues = {i for i, t in enumerate(tokens) if CUE.fullmatch(t.text)}
    verbs = [i for i, w in enumerate(plain) if CHANGE_VERB.match(w)]
    if not cues or not verbs:
        return []
    spans: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        if index + 2 in cues and plain[index + 1] in AS_CUE:
            if any(0 < index - v <= 3 for v in verbs):
                spans += _as_value(tokens, index, words)  # "colocou x como senha"
            continue
        if token.ends_clause:
            continue
        start = _value_start(tokens, index, plain[index])
        if start is None or not _a_passwords_change(tokens, plain, index, start, cues, verbs):
            continue
        spans += _changed_value(tokens, start, words)
    return spans


def _a_passwords_change(
    tokens: list[_Token],
    plain: list[str],
    index: int,
    start: int,
    cues: set[int],
    verbs: list[int],
) -> bool:
    """Does the word at ``index`` (giving a value at ``start``) give the password changed, not
    the place a customer moved to (:func:`changed_values`)?"""
    before = [c for c in cues if 0 < index - c <= CHANGE_SPAN]
    if start > index + 1:  # "agora é x", "a nova: x"
        return bool(before)
    same_clause = [c for c in before if not any(t.ends_clause for t in tokens[c:index])]
    if same_clause and any(v < index for v in verbs):
        return True  # "trocou a senha para x", "a senha foi trocada para x"
    if index - 1 not in verbs:
        return False
    after = start + 1  # "trocou pra x a senha": the cue right after the value
    while after < len(tokens) and plain[after] in {"a", "o", "sua", "seu", "da", "do"}:
        after += 1
    return after in cues and not tokens[start].ends_clause


def _value_start(tokens: list[_Token], index: int, word: str) -> int | None:
    """Where a changed password starts when ``tokens[index]`` gives one ("para", "virou",
    "agora é", "a nova:"); ``None`` when it gives none."""
    if word in CHANGE_TO or tokens[index].core.lower() == "p/":
        return index + 1
    if word not in NOW_IS or index + 1 >= len(tokens):
        return None
    if tokens[index].text.endswith((":", "=")):
        return index + 1
    after = tokens[index + 1]
    joined = normalize(after.core) in WEAK_SEPARATORS and not after.ends_clause
    return index + 2 if joined or _sign_separator(after.text.strip("\"'")) else None


def _no_value(token: _Token, words: Words) -> bool:
    """Not a changed password's first word: a small, describing or clause word, an ISP's name,
    a word of a question (unless shaped like a password), a verb's infinitive ("pra acessar"),
    an IP or an address."""
    core = token.core
    plain = normalize(core)
    if not plain or IP_OR_URL.match(core) or CUE.fullmatch(token.text) or MASK in core:
        return True
    if plain in STOPWORDS or plain in WEAK_STOP or plain in DESCRIBING or plain in CLAUSE_WORDS:
        return True
    if words.names_isp(core):
        return True
    if words.is_question_word(core) and not (_shaped(core) and any(c.isdigit() for c in core)):
        return True
    return bool(re.fullmatch(r"[a-z]{3,}(?:ar|er|ir|or)", plain)) and _common(core)


def _changed_value(tokens: list[_Token], start: int, words: Words) -> list[tuple[int, int]]:
    """The value at ``start`` and the words after it up to a small word, a clause word, an ISP
    or a word of a question (as after "é")."""
    if start >= len(tokens) or tokens[start].line_break_before:
        return []
    if _no_value(tokens[start], words):
        return []
    spans = [_span(tokens[start])]
    index = start + 1
    while index < len(tokens) and not tokens[index - 1].ends_clause:
        token = tokens[index]
        plain = normalize(token.core)
        if token.line_break_before or plain == "e" or _no_value(token, words):
            break
        spans.append(_span(token))
        index += 1
    return spans


def _as_value(tokens: list[_Token], index: int, words: Words) -> list[tuple[int, int]]:
    """The word before "como senha" / "de senha", when it may be a password."""
    token = tokens[index]
    if token.ends_clause or _no_value(token, words):
        return []
    return [_span(token)]


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
    question (:data:`QUALIFIER_SPAN` of them but small words); else the value is one word.

    Without a KB any word may qualify the cue ("senha lasernet: x"), but it may as well be the
    value ("senha ok ficou x"): such words are masked too, the log losing an ISP's name rather
    than a password."""
    unknown: list[tuple[int, int]] = []  # words of no question, taken for qualifiers (no KB)
    content = 0
    for ahead in range(index + 1, min(index + 1 + 2 * QUALIFIER_SPAN, len(tokens))):
        token = tokens[ahead]
        if token.line_break_before or CUE.fullmatch(token.text):
            break
        bare = token.text.strip("\"'“”«»()")
        found = _separated_value(tokens, ahead, bare, words)
        if found is not None:
            spans, after = found
            return unknown + spans, after
        if token.ends_clause or not words.is_qualifier(token.text):
            break
        if not words.is_question_word(token.text):
            unknown.append(_span(token))
        if normalize(token.text) not in STOPWORDS:
            content += 1
            if content >= QUALIFIER_SPAN:
                break
    return _one_word(tokens, index, words, direct=not login)


def _separated_value(
    tokens: list[_Token], ahead: int, bare: str, words: Words
) -> tuple[list[tuple[int, int]], int] | None:
    """The value after ``tokens[ahead]`` when it is a separator (":", "->", "é") or ends with one
    ("wifi:x"); ``None`` when it is none."""
    token = tokens[ahead]
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
    return None


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
        if not first and (words.names_isp(token.core) or normalize(token.core) in CLAUSE_WORDS):
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
            not plain or plain in WEAK_STOP or plain in DESCRIBING or words.names_isp(token.core)
        ):
            break
        if spans and (
            words.names_isp(token.core)
            or plain in CLAUSE_WORDS
            or plain in WEAK_STOP
            or plain == "e"
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
            return _and_unknown_after(tokens, position, words)
        if direct and _starts_value(tokens, position, words):
            return _and_unknown_after(tokens, position, words, name_part=True)
        if token.ends_clause:
            break
    return [], index + 1


def _starts_value(tokens: list[_Token], position: int, words: Words) -> bool:
    """A word of an ISP's name right after the cue, followed on its line by a word no question
    uses: a password's first word ("senha fibra rapida 2020"), not the ISP ("senha laser onu")."""
    token = tokens[position]
    if token.ends_clause or not words.is_name_part(token.core):
        return False
    plain = normalize(token.core)
    if plain in STOPWORDS or (words.question(plain) and not words.isp(token.core)):
        return False
    if position + 1 >= len(tokens):
        return False
    after = tokens[position + 1]
    return (
        not after.line_break_before
        and bool(normalize(after.core))
        and not words.is_question_word(after.core)
        and not CUE.fullmatch(after.text)
        and not IP_OR_URL.match(after.core)
    )


def _and_unknown_after(
    tokens: list[_Token], position: int, words: Words, *, name_part: bool = False
) -> tuple[list[tuple[int, int]], int]:
    """The value at ``position``; with the words after it that no question uses when it starts
    with a word of an ISP's name (``name_part``: "fibra rapida 2020"), or without a KB (nothing
    tells a password's second word from an ISP's or a model's: the log loses them instead)."""
    spans = [_span(tokens[position])]
    after = position + 1
    if words.kb and not name_part:
        # Figures in groups are one value ("senha 0800 680", "senha 12 - 34"): all of them.
        while tokens[after - 1].core.isdigit() and not tokens[after - 1].ends_clause:
            step = 2 if after < len(tokens) and _sign_separator(tokens[after].text) else 1
            last = after + step - 1
            if last >= len(tokens) or not tokens[last].core.isdigit():
                break
            if any(t.line_break_before for t in tokens[after : last + 1]):
                break
            spans.extend(_span(t) for t in tokens[after : last + 1])
            after = last + 1
        return spans, after
    while after < len(tokens) and not tokens[after - 1].ends_clause:
        token = tokens[after]
        plain = normalize(token.core)
        if (
            token.line_break_before
            or not plain
            or words.is_question_word(token.core)
            or CUE.fullmatch(token.text)
            or IP_OR_URL.match(token.core)
        ):
            break
        spans.append(_span(token))
        after += 1
    return spans, after


def _is_value(token: _Token, words: Words, *, direct: bool) -> bool:
    core = token.core
    if not core or IP_OR_URL.match(core) or CUE.fullmatch(core):
        return False
    if words.is_question_word(core) and not (direct and _glued_code(core, words)):
        return False
    if direct:
        return True
    if _model_code(core):
        return False  # "/senhas mutum HG8245H": a model the KB may not know yet
    return _shaped(core) or not _common(core)


def _glued_code(word: str, words: Words) -> bool:
    """Digits and letters joined by a sign ("2-RF", "ab-12") that no question writes whole (the
    KB's models are written whole: "W5-1200G"): each part may be a word of a question, the
    whole is a password's shape."""
    parts = normalize(word).split()
    return (
        len(parts) > 1
        and any(ch.isdigit() for ch in word)
        and any(ch.isalpha() for ch in word)
        and not words.question(compact(word))
    )


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
