"""The passwords the KB holds, where they may appear, and masking them out of what is stored.

A password lives in an equipment row (``passwords``) or in the text of a secret topic ("Senha:
x"). :func:`leaks` finds one anywhere else (pasted into a public topic, a template, a note), and
a new one written there after "senha:" (:func:`written_secrets`), which ``kb validate`` (and
every load and reload) refuses: a public topic's answer goes to any allowed chat and is offered
by inline mode, which no credential policy guards.

:func:`mask` removes passwords from text the bot stores (the gaps log, the audit log, the console's
history), for every door: every password the KB knows, as a whole word; the value typed after
"senha", "senha do wifi:", "password", "pppoe ...:" whatever its shape
(:mod:`bot.knowledge.typed_passwords`, which the log redactor uses too); and, in a credential
topic's command (``/senha``) or any question about passwords,
every word shaped like one (letters with digits or signs) that is not a model the KB knows, an IP
or an address; in a credential command also a lower-case word that is no ISP, equipment or common
word (a password typed in lower case has no shape to tell it by).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.knowledge.derive import derived
from bot.knowledge.schema import Provider
from bot.knowledge.typed_passwords import (
    IP_OR_URL,
    MASK,
    PASSWORD_CUES,
    TRIM,
    Words,
    mask_shaped,
    mask_typed,
)
from bot.reading.text import STOPWORDS, compact, normalize

if TYPE_CHECKING:
    from bot.knowledge.kb import KB

MIN_SECRET = 4
"""Shorter "passwords" ("-") are not masked: they would mask ordinary words."""
PLAIN_WORD = 5
"""Nor letters-only ones this short ("admin")."""
MIN_PIN = 6
"""Digits alone written after "senha:" in a KB text are a password from this length ("senha:
12345678"); shorter, a count or a part of a number ("Senha: 4 primeiros dígitos")."""
_LABEL = rf"\b(?:{PASSWORD_CUES})"
_GIVEN = r"(?:\s*[:=]\s*|\s+(?:é|eh|is|=)\s+)"
LABELLED_SECRET = re.compile(rf"(?i){_LABEL}\b(?:[ \t]+[^\s:=]+){{0,4}}?{_GIVEN}(\S+)")
"""A password as a KB text labels one, with up to four words between on the line: "Senha: x",
"Senha do painel: x", "senha de acesso é x"."""
COMMAND = re.compile(r"^\s*/(\w+)(?:@\S+)?")


@derived
def known_secrets(kb: KB) -> tuple[str, ...]:
    """Every password the KB holds (equipment rows, and "Senha: x", "a senha do painel é x" in
    the text, templates and notes of credential topics), longest first; except those that are
    also an ISP's name ("sejafibra") or a short plain word ("admin"), which name things in
    ordinary questions."""
    names = {compact(n) for p in kb.providers.values() for n in p.names()}
    found = {s for provider in kb.providers.values() for s in _held(kb, provider)}
    # Typed without its closing sign ("Qv7-Brisa" of "Qv7-Brisa!") it is still the password,
    # as the reader reads it (``telling_secrets``): masked so too.
    found |= {s.strip(TRIM) for s in found}
    return maskable(found, names)


def kb_secrets(kb: KB) -> tuple[str, ...]:
    """Every password of the KB a log line must never show: the known ones
    (:func:`known_secrets`) and those written as a range ("1 ao 5": :func:`range_secrets`)."""
    return (*known_secrets(kb), *range_secrets(kb))


def _held(kb: KB, provider: Provider) -> set[str]:
    """The passwords one ISP's file holds: its equipment rows', and those its credential
    topics' texts, templates and notes label."""
    found: set[str] = set()
    for item in provider.equipment:
        found.update(item.passwords)
    for topic_id, entry in provider.topics.items():
        if kb.is_secret(provider, topic_id):
            texts = [entry.text, *(t.text for t in entry.templates), *entry.notes]
            found.update(s for text in texts for s in labelled_secrets(text))
    return found


LABELLED_LINE = re.compile(rf"(?im)^[^\S\n]*[-•*]?[^\S\n]*(?:{PASSWORD_CUES})[^\S\n]*[:=]([^\n]+)$")
"""A line that is a password's label and value: "Senha: 1 ao 5" (the value: the rest of the
line)."""
RANGE_WORDS = frozenset({"a", "ao", "ate", "até", "e"})
"""The words that join the numbers of a password written as a range ("1 ao 5": 12345)."""


def _ranges(text: str) -> Iterator[str]:
    """The passwords a credential topic's text writes as a range of digits ("Senha: 1 ao 5"),
    their words joined by one space: a value of several words, each a number or a word of
    :data:`RANGE_WORDS`, two numbers at least. A description ("Senha: 4 primeiros números do
    CPF") is none."""
    for found in LABELLED_LINE.finditer(text):
        words = found.group(1).strip(TRIM + " ").split()
        numbers = sum(w.isdigit() for w in words)
        ranged = all(w.isdigit() or w.casefold() in RANGE_WORDS for w in words)
        if 2 <= len(words) <= 4 and numbers >= 2 and ranged:
            yield " ".join(words).casefold()


@derived
def telling_ranges(kb: KB) -> Mapping[str, str]:
    """The KB's passwords written as a range of digits ("1 ao 5", normalised) that one ISP
    holds, -> that ISP's id. Its words are ordinary: typed, it names the ISP only right after
    a password word ("senha da central é 1 ao 5?": ``codes.password_clue``)."""
    owners: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        for topic_id, entry in provider.topics.items():
            if kb.is_secret(provider, topic_id):
                for value in _ranges(entry.text):
                    owners.setdefault(normalize(value), set()).add(provider.id)
    return {value: next(iter(ids)) for value, ids in sorted(owners.items()) if len(ids) == 1}


@derived
def range_secrets(kb: KB) -> tuple[str, ...]:
    """Every password a credential topic writes as a range of digits ("1 ao 5"), whoever holds
    it (one ISP or several: masked alike), as written (case folded) and normalised ("1 até 5",
    "1 ate 5"); longest first."""
    found = {
        spelling
        for provider in kb.providers.values()
        for topic_id, entry in provider.topics.items()
        if kb.is_secret(provider, topic_id)
        for value in _ranges(entry.text)
        for spelling in (value, normalize(value))
    }
    return tuple(sorted(found, key=lambda v: (-len(v), v)))


@derived
def range_topics(kb: KB) -> Mapping[str, frozenset[str]]:
    """A password written as a range (normalised, as in :func:`telling_ranges`) -> the ids of
    the topics whose credential text writes it ("1 ao 5" -> "central")."""
    topics: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        for topic_id, entry in provider.topics.items():
            if kb.is_secret(provider, topic_id):
                for value in _ranges(entry.text):
                    topics.setdefault(normalize(value), set()).add(topic_id)
    return {value: frozenset(ids) for value, ids in topics.items()}


def _mask_ranges(kb: KB, text: str) -> str:
    """``text`` with each of the KB's passwords written as a range ("1 ao 5") masked whole --
    a range two ISPs hold too, which names no one (``telling_ranges``) but is still a
    password."""
    for value in range_secrets(kb):
        spaced = r"\s+".join(re.escape(w) for w in value.split())
        text = re.sub(rf"(?i)(?<![^\W_]){spaced}(?![^\W_])", MASK, text)
    return text


TELLING_LENGTH = 6
"""A password names its ISP from this many characters ("Lnt12345@", "net2019*", "deusefiel");
shorter ones ("1234", "admin") are anyone's."""


@derived
def telling_secrets(kb: KB) -> Mapping[str, str]:
    """The KB's passwords that name their ISP when an agent types one (case folded -> the ISP's
    id): held by exactly one ISP (not "admin", which two hold), and distinctive
    (:func:`distinctive`). What the reader takes for a context clue ("senha Lnt12345@ não
    entra": LaserNet), never quoted as the reason."""
    owners: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        for secret in _held(kb, provider):
            owners.setdefault(secret.strip(TRIM).casefold(), set()).add(provider.id)
    words = _question_words(kb) | _isp_words(kb)
    return {
        secret: next(iter(ids))
        for secret, ids in sorted(owners.items())
        if len(ids) == 1 and distinctive(secret, words)
    }


def distinctive(secret: str, kb_words: Collection[str] = frozenset()) -> bool:
    """Whether a password, typed, can only be that password: at least :data:`TELLING_LENGTH`
    characters; not digits alone (a number is anyone's: a phone, a contract, a customer's own
    PIN, "12345678"); not a word the KB asks with or an ISP's name or one of its words
    (``kb_words``, normalised); letters alone only when no common Portuguese or English word
    (:data:`COMMON_ZIPF`: "deusefiel" is none, "fortaleza" and "internet" are). Alike for a
    customer's own password: "a senha do wifi dele é fortaleza" names no one."""
    core = secret.strip(TRIM)
    if len(core) < TELLING_LENGTH or core.isdigit() or IP_OR_URL.match(core):
        return False
    if compact(core) in kb_words:
        return False
    if core.isalpha():
        from wordfreq import zipf_frequency  # the reader loads it too; not needed by validate

        folded = core.casefold()
        return all(zipf_frequency(folded, lang) < COMMON_ZIPF for lang in ("pt", "en"))
    return True


def labelled_secrets(text: str) -> Iterator[str]:
    """The passwords a credential topic's text labels (:data:`LABELLED_SECRET`) and that look
    like one (:func:`looks_secret`): what the KB, and ``kb import`` before it, knows of them."""
    for written in LABELLED_SECRET.findall(text):
        core = written.strip(TRIM)
        if looks_secret(core):
            yield core


def maskable(found: Iterable[str], names: Iterable[str] = ()) -> tuple[str, ...]:
    """The passwords of ``found`` worth masking, longest first: not those that are also an ISP's
    name (compacted ``names``), too short or a short plain word ("admin")."""
    named = set(names)
    kept = {
        s
        for s in found
        if len(s) >= MIN_SECRET
        and compact(s) not in named
        and not (s.isalpha() and len(s) <= PLAIN_WORD)
        and s != MASK
    }
    return tuple(sorted(kept, key=len, reverse=True))


def looks_secret(word: str) -> bool:
    """A password, not a description ("4 primeiros números"): long, with a digit or a sign."""
    return len(word) >= 6 and any(not ch.isalpha() for ch in word) and "://" not in word


@lru_cache(maxsize=4096)
def _whole_word(secret: str, fold: bool = False) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(secret)}(?![^\W_])", re.IGNORECASE if fold else 0)


def _any_secret(secrets: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern finding any of ``secrets`` as a whole word, where :func:`_whole_word` of each
    would (at each place the engine tries every alternative before moving on); ``None`` for none.
    One search instead of one per secret: the KB's load looks for leaks in every public text."""
    alternatives = "|".join(re.escape(s) for s in secrets)
    if not alternatives:
        return None
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def contains_secret(kb: KB, text: str) -> bool:
    pattern = _any_secret(known_secrets(kb))
    return pattern is not None and pattern.search(text) is not None


def mask_secrets(kb: KB, text: str) -> str:
    """``text`` with every known password in it (as a whole word, in any case: "LNT12345@" is
    LaserNet's as the reader reads it) masked."""
    return mask_known(text, known_secrets(kb), fold=True)


def mask_known(text: str, secrets: Iterable[str], *, fold: bool = False) -> str:
    """``text`` with each of ``secrets`` (as a whole word; longest first; ``fold``: in any
    case) masked."""
    for secret in secrets:
        text = _whole_word(secret, fold).sub(MASK, text)
    return text


@derived
def _known_words(kb: KB) -> frozenset[str]:
    """What an argument of a credential command may be and still be kept: an ISP's names and the
    KB's equipment (models, aliases, kinds), whole and word by word, compacted."""
    words: set[str] = set()
    for provider in kb.providers.values():
        names = list(provider.names())
        for item in provider.equipment:
            names += [item.model, *item.aliases, item.kind]
        for name in names:
            words.add(compact(name))
            words.update(compact(w) for w in name.split())
    words.discard("")
    return frozenset(words)


def _known(kb: KB, word: str) -> bool:
    return compact(word.strip(TRIM)) in _known_words(kb)


def _is_credential_command(kb: KB, typed: str) -> re.Match[str] | None:
    found = COMMAND.match(typed)
    if found is None:
        return None
    topic = kb.command_topics.get(found.group(1).casefold())
    return found if topic is not None and topic.secret else None


def _mask_words(text: str, secret: Callable[[str], bool]) -> str:
    return re.sub(r"\S+", lambda m: MASK if secret(m.group(0)) else m.group(0), text)


COMMON_ZIPF = 2.0
"""A lower-case word at least this frequent in Portuguese or English (``wordfreq``'s Zipf scale)
is a word, not a password: "roteador" 3.2, "huawei" 3.3 (English), "intelbras" 1.6 is not (but
the KB knows it); a made-up password ("minhasenhasecreta") is 0."""


def _rare_word(kb: KB, word: str) -> bool:
    """A lower-case word in a credential command that may be a password typed without a digit,
    sign or capital: five letters or more, not an ISP (nor a close spelling of one: "lasernt"),
    not the KB's equipment, not a common Portuguese or English word."""
    core = word.strip(TRIM)
    letters = core.replace("-", "").replace("'", "").replace(".", "")
    if len(letters) < PLAIN_WORD or not letters.isalpha() or not core.islower():
        return False
    if _known(kb, core):
        return False
    from wordfreq import zipf_frequency  # the reader loads it too; not needed by kb validate

    if any(zipf_frequency(core, lang) >= COMMON_ZIPF for lang in ("pt", "en")):
        return False
    word_ = compact(core)
    return not any(fuzz.ratio(word_, name) >= NEAR_NAME for name in _isp_names(kb))


NEAR_NAME = 80
"""How alike (rapidfuzz's ratio) a word and an ISP's name must be for the word to be taken for a
misspelling of the name ("lasernt" 93) rather than a password."""


@derived
def _isp_names(kb: KB) -> frozenset[str]:
    return frozenset(compact(n) for p in kb.providers.values() for n in p.names()) - {""}


def mask(kb: KB, typed: str, *, credential: bool = False) -> str:
    """What an agent typed, fit to store (gaps and audit logs, console history, every door):
    known passwords masked; the value typed after "senha", "senha é", "senha do wifi:",
    "password", "pppoe do cliente:" masked whatever its shape
    (:func:`~bot.knowledge.typed_passwords.mask_typed`: the KB's ISP names and topic words stay);
    the bot's @mention kept; in a credential command (``/senha lasernet W5-1200G x``) or a
    question about passwords,
    every password-shaped word (an unknown model, "archer c6", is kept: the gaps log is there to
    learn it); in a credential command (or all of ``typed`` when ``credential``) also a
    lower-case word that is no ISP, equipment or common
    word (``/senha lasernet minhasenha``: a password has no shape to tell it by)."""
    masked = mask_typed(_mask_ranges(kb, mask_secrets(kb, typed)), typed_words(kb))
    command = _is_credential_command(kb, masked)
    if command is not None or credential:
        start = command.end() if command is not None else 0
        head, rest = masked[:start], masked[start:]
        masked = head + _mask_words(rest, lambda w: MASK not in w and _rare_word(kb, w))
    # The shape pass the log redactor runs too (without the KB's models).
    return mask_shaped(masked, partial(_known, kb), always=command is not None or credential)


ECHO_CHARS = 80
"""How much of what an agent typed a reply quotes back ("Não entendi a pergunta “...”")."""


def echo(kb: KB, typed: str, *, credential: bool = False) -> str:
    """What an agent typed, fit to quote back in a reply: masked as :func:`mask` masks it (the
    reply may go to a group, where a password must not be repeated) and cut to
    :data:`ECHO_CHARS`. ``credential``: the words of a credential command (``/senha lasernet
    x``'s "x"), where every rare or password-shaped word is taken for a password."""
    shown = mask(kb, " ".join(typed.split()), credential=credential)
    return shown if len(shown) <= ECHO_CHARS else shown[: ECHO_CHARS - 3].rstrip() + "..."


@derived
def _question_words(kb: KB) -> frozenset[str]:
    """The normalised words the KB asks with: the topics' keywords, titles and commands, the
    vocabulary, the ISPs' names and the equipment's names (never a text: a secret topic's text
    holds passwords)."""
    phrases: list[str] = []
    for topic in kb.catalogue.topics:
        phrases += [topic.id, topic.title, *topic.keywords, *topic.commands]
    for typed, meant in kb.catalogue.vocabulary.items():
        phrases += [typed, meant]
    for provider in kb.providers.values():
        phrases += provider.names()
        for item in provider.equipment:
            phrases += [item.model, *item.aliases, item.kind]
    models = {
        compact(name)
        for provider in kb.providers.values()
        for item in provider.equipment
        for name in (item.model, *item.aliases)
    }  # whole, as typed glued ("W5-1200G": "w51200g")
    return frozenset(word for phrase in phrases for word in normalize(phrase).split()) | models


@derived
def _isp_words(kb: KB) -> frozenset[str]:
    """An ISP's names compacted ("lasernet", "vmnet") and their words ("laser", "fibra")."""
    words = set(_isp_names(kb))
    for provider in kb.providers.values():
        for name in provider.names():
            words.update(w for w in normalize(name).split() if w not in STOPWORDS)
    return frozenset(words - {""})


def _names_isp(words: frozenset[str], names: frozenset[str], word: str) -> bool:
    """Whether ``word`` names an ISP (one of ``words``) or is a close spelling of one of its
    ``names`` ("lasernt")."""
    key = compact(word)
    if not key:
        return False
    if key in words:
        return True
    return (
        len(key) >= PLAIN_WORD
        and key.isalpha()
        and any(fuzz.ratio(key, name) >= NEAR_NAME for name in names)
    )


@derived
def typed_words(kb: KB) -> Words:
    """What :func:`~bot.knowledge.typed_passwords.mask_typed` knows of this KB (sets, not the
    KB: kept in the KB, a closure over it would keep old KBs alive in a cycle)."""
    question, isp_words, names = _question_words(kb), _isp_words(kb), _isp_names(kb)
    return Words(
        question=question.__contains__,
        isp=partial(_names_isp, isp_words, names),
        isp_name=partial(_names_isp, names, names),
        kb=True,
    )


@dataclass(frozen=True)
class Leak:
    provider: str
    where: str
    """The topic id, or the field ("notes", "coverage notes") holding the password."""
    loc: tuple[str | int, ...] = ()
    """Where in the provider file: keys and list indexes down to the text (its line)."""
    offset: int = 0
    """Where in that text the password starts (its line inside a text block)."""
    written: bool = False
    """A password written after "senha:" that the KB does not hold elsewhere (no equipment row,
    no secret topic has it): found by its shape, not by its value."""


def _public_texts(kb: KB, provider: Provider) -> Iterator[tuple[str, tuple[str | int, ...], str]]:
    """(where, location in the file, text) of every text of this ISP that is no credential: every
    field of its YAML (names, notes, coverage, sectors, ``fidelity_skip``, the equipment's models,
    ports and kinds...) but the secret topics and the equipment's ``passwords`` and ``notes``
    (shown only with its credentials). The location is the keys and list indexes down to the
    text, as far as the file writes them (a topic written as one string has no ``text`` key)."""
    for topic_id, entry in provider.topics.items():
        if kb.is_secret(provider, topic_id):
            continue
        for loc, text in _strings(entry.model_dump(mode="json"), ("topics", topic_id)):
            yield topic_id, loc, text
    for i, item in enumerate(provider.equipment):
        shown = item.model_dump(mode="json", exclude={"passwords", "notes"})
        for key, value in shown.items():
            for loc, text in _strings(value, ("equipment", i, key)):
                yield f"equipment {item.model} {key}", loc, text
    data = provider.model_dump(mode="json", exclude={"topics", "equipment"})
    for key, value in data.items():
        if key == "sectors":
            for s, sector in enumerate(value):
                for loc, text in _strings(sector, ("sectors", s)):
                    yield f"sector {sector.get('id')} notes", loc, text
            continue
        where = {"coverage": "coverage notes"}.get(key, key)
        for loc, text in _strings(value, (key,)):
            yield where, loc, text


def _strings(
    value: object, loc: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text in a YAML value (maps, lists, scalars), with its location under ``loc``."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*loc, i))


def written_secrets(kb: KB, text: str) -> Iterator[re.Match[str]]:
    """Each "senha: x" / "a senha do painel é x" (:data:`LABELLED_SECRET`) in ``text`` whose
    ``x`` (group 1) is shaped like a password: letters with digits ("upcall2025"), a sign with
    letters or digits ("Olt#2026x", "@MFibra"), or six digits or more. What a KB text says
    *about* a password is not one: "Senha: 4 primeiros números do CPF", "a senha é o ID do
    contrato", "Senha: CPF/CNPJ do titular", "senha: admin" (a short plain word: the masker
    leaves those too). A password of letters only ("Senha: upcallmutum") has no shape to tell
    it from a word, and is not found."""
    for found in LABELLED_SECRET.finditer(text):
        if _written_secret(kb, found.group(1)):
            yield found


def _written_secret(kb: KB, word: str) -> bool:
    core = word.strip(TRIM)
    if len(core) < PLAIN_WORD or IP_OR_URL.match(core) or _known(kb, core):
        return False
    letters = any(ch.isalpha() for ch in core)
    digits = any(ch.isdigit() for ch in core)
    signs = any(not ch.isalnum() and ch not in "-'./" for ch in core)
    pin = core.isdigit() and len(core) >= MIN_PIN
    return (letters and digits) or (signs and (letters or digits)) or pin


def leaks(kb: KB) -> list[Leak]:
    """Where a password appears outside the secret topics and equipment rows: one the KB holds
    (an equipment row's, a secret topic's), or one written after "senha:" in a public text
    (:func:`written_secrets`). One per text."""
    pattern = _any_secret(known_secrets(kb))
    found: list[Leak] = []
    for provider in kb.providers.values():
        for where, loc, text in _public_texts(kb, provider):
            known = pattern.search(text) if pattern is not None else None
            written = next(written_secrets(kb, text), None)
            if known is not None:
                found.append(Leak(provider.id, where, loc, known.start()))
            elif written is not None:
                found.append(Leak(provider.id, where, loc, written.start(), written=True))
    return found
