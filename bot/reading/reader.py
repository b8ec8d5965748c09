"""Reading a free-text question: which ISP(s), which topic, which equipment, and how sure we are.

"qual o dns da mutum?" -> (Mutum Fibra, dns); "senha do roteador W4-300F da lasernet" ->
(LaserNet, senha, W4-300F); "qnts dias p bloquear vmnet" -> (VM NET, bloqueio). The reader only
ranks; ``bot.answers.core`` decides whether to answer, ask or say it is unsure.

How a question is read, in order:

1. Words: case, accents and punctuation folded (``bot.reading.text.normalize``).
2. Names: ISPs (id, name, alias or former name, in 1-3 words; a misspelt one when the word is not
   a word of the KB; the first word of the name, "seja", unless grammar says it is the verb:
   "caso seja"), other companies' names (lookalikes) and equipment models. An equipment model
   that only one ISP has names that ISP. The words of a name never count as topic words ("fibra"
   in "Seja Fibra" is not the topic *tecnologias*).
3. The other words: chat abbreviations (qnts, p/, vc...) and the KB's ``vocabulary`` expanded;
   a word the KB never uses corrected to the closest KB word (one typo; two in long words).
4. Evidence per topic: the catalogue's keywords, commands and titles found (a phrase of n words
   scores n², in other forms of its words 80 % of that, with a corrected word 90 %), the
   equipment named (for ``senha``), and the coverage of the topic's best passage in the named
   ISP's answers (``bot.reading.search``: the share of the question's informative words it holds).
5. The kind of fact asked (a price, a site, hours, a time span): a topic whose passage holding
   the question also states one gains that passage's coverage (``FACT_KINDS``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.answers import clock
from bot.knowledge.kb import KB, derived
from bot.knowledge.schema import Equipment, Lookalike, Provider, Topic
from bot.reading import codes, moment
from bot.reading.context import (
    APP_NOUNS,
    CONNECTORS,
    PORT_TOPIC,
    SPEED_UNITS,
    ContextName,
    DottedRun,
    common_word,
    context_index,
    context_owners,
    dotted_numbers,
    find_context,
    find_terms,
    is_place,
    phrase_index,
    short_form_is_word,
    term_family,
    term_index,
)
from bot.reading.facts import name_slipped, narrowed_by_run, stated_facts
from bot.reading.resolve import (
    SUBJECT_VERBS,
    OtherCompany,
    alias_word_only,
    clause_breaks,
    dotted_runs,
    equipment_names,
    initials_of_one,
    label_positions,
    name_words_shared,
    not_served_names,
    other_companies_first_words,
    provider_names,
)
from bot.reading.search import Hit, Passage, passage_index, search_terms
from bot.reading.text import (
    PAYMENT_WORDS,
    SERVICE_ORDER,
    STOPWORDS,
    compact,
    fold,
    left_unpaid,
    normalize,
    service_orders,
    stem,
)

# Chat abbreviations agents type, expanded before matching (whole words only). Words of the
# business ("pgto", "bloq") live in the KB's vocabulary (knowledge/topics.yaml), where
# supervisors add more.
ABBREVIATIONS = {
    "qnts": "quantos",
    "qnt": "quanto",
    "qto": "quanto",
    "qnto": "quanto",
    "qtos": "quantos",
    "qts": "quantos",
    "p": "para",
    "pra": "para",
    "vc": "voce",
    "vcs": "voces",
    "tb": "tambem",
    "tbm": "tambem",
    "q": "que",
    "pq": "porque",
    "oq": "o que",
    "n": "nao",
    "nd": "nada",
    "msg": "mensagem",
    "hj": "hoje",
    "dps": "depois",
    "td": "tudo",
    "cx": "caixa",
    "wpp": "whatsapp",
    "zap": "whatsapp",
    "tel": "telefone",
    "ender": "endereco",
    "end": "endereco",
    "qdo": "quando",
    "qnd": "quando",
    "ql": "qual",
    "cli": "cliente",
    "s": "sem",
    "c": "com",
    "mt": "muito",
    "mto": "muito",
    "msm": "mesmo",
    "hr": "horario",
    "2a": "segunda",
    "pfv": "por favor",
}

FUZZY_NAME = 80.0
"""Score (0-100) from which a word the KB does not use counts as a misspelt ISP name."""
MIN_FUZZY_LEN = 5
"""Shorter words must name an ISP exactly (short words collide too easily)."""
MIN_PREFIX = 4
"""The first letters of an ISP's name ("seja", "laser") name it from this many on."""
GRAMMAR_BEFORE = frozenset(
    "que caso se talvez embora nem ou quando ainda mesmo nao qualquer onde como".split()  # noqa: SIM905
)
"""After these, a name that is also a pt-BR word ("seja") is the word, not the ISP."""
GRAMMAR_AFTER = frozenset(["de", "do", "da", "que", "pra", "para", "um", "uma", "o", "a", "os"])
"""After a short form, these say it is the word ("não dá mais pra", "da mais de"; accents are
folded, so "dá" reads "da")."""
VERB_FORMS = frozenset("seja sejam esteja estejam tenha tenham fique fiquem venha venham".split())  # noqa: SIM905
"""Subjunctive and imperative forms of common verbs: when an ISP's name starts with one
("Seja Fibra"), heading a message it is the ISP unless its predicate follows."""
PREDICATE_WORDS = frozenset(
    "bem mal mais menos muito muita tao sempre so mesmo la um uma uns umas nao sim".split()  # noqa: SIM905
)
"""After a verb form, these start its predicate: "seja bem claro", "seja um bom atendente"."""
FUTURE_OF_SER = frozenset(["for", "forem"])
""""seja como for", "seja qual for o plano", "seja la o que for": the verb."""
PREPOSITIONS = frozenset("da do na no pela pelo".split())  # noqa: SIM905
"""Of ``NAME_BEFORE``, the prepositions: a verb form after one is a name, whatever follows; an
ISP's initials inside a sentence count only after one."""
NAME_BEFORE = PREPOSITIONS | frozenset("pra pro cliente clientes provedor".split())  # noqa: SIM905
"""A short form of an ISP's name, or another company's name, that is also a common word ("nova",
"mais", "oi") names it only after one of these ("cliente da nova", "é da oi") or as the last word
of the question ("senha do roteador seja"); "senha nova", "oi, qual o dns?" are the words."""
COMPANY_BEFORE = NAME_BEFORE | frozenset("para operadora operadoras empresa".split())  # noqa: SIM905
"""A company UPCALL does not serve whose name is a common word ("claro", "vivo", "oi") names it
only right after one of these ("qual o dns da claro?", "é da tim", "operadora vivo"), never at
the question's end alone: "o cliente tá vivo?", "oi, qual o dns?" are the words."""
GREETING_AFTER = frozenset("boa bom tudo td tdb ola gente pessoal moco moca amigo amiga".split())  # noqa: SIM905
"""After "oi", a greeting goes on ("oi, boa tarde", "oi tudo bem"): a pasted message's opening,
not the company Oi, even after "cliente:" (QA 11)."""
COMPANY_WITH = ("com", "a")
"""... or right after these two words: "o contrato é com a giga"."""

EXACT, INFLECTED, CORRECTED = 1.0, 0.8, 0.9
"""Keyword evidence: a phrase as written, in another form (stem), with a corrected word."""
EQUIPMENT_EVIDENCE = 0.5
"""An equipment model named points to ``senha`` -- less than a keyword: "porta tplink" asks
for the port."""
EQUIPMENT_ALONE = 1.0
"""A model named and no keyword ("huawei v5 vmnet"): its password row is what is asked."""
SHARED_BRAND = 2
"""A brand or model this many ISPs list narrows the choice to them; more say nothing."""
CONTEXT_EVIDENCE = 0.3
"""A context name ("Kaspersky") points to the topics whose answers write it -- less than a
keyword: "cliente de Ubatuba sem sinal" asks about the signal, not the cities."""
CONTEXT_ALONE = 1.0
"""A context name and no keyword ("paramount plus não abre"): the topic that writes it."""
PASSAGE_WEIGHT = 1.0
"""A topic's best passage adds its coverage (about 0-1) times this: the answer texts back the
keywords and break their ties; alone they are weaker than one keyword."""
MIN_STEM = 4
"""Shorter stems match only as written ("sabe" and "sabado" share "sab")."""
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


PLACE_HOURS_TOPIC = "contato"
"""The topic that gives a place's opening hours ("Contatos, endereços e horários da loja")."""
OPENING_EVIDENCE = 1.0
"""Whether or when something opens, asked with no other topic's keyword: as much as the
keyword "horário da loja"."""

FACT_EVIDENCE = 1.0
"""The question asks for a kind of fact (a price, a site, hours, a time span) and a
topic's passage that holds the question's words holds one too: that passage's coverage times
this is added to the topic, as catalogue evidence ("combo 800 com fibra play premium qnto
sai?": the price list, not the TV app, though "play" is a TV keyword)."""
FACT_FLOOR = 0.3
"""Only passages holding at least this share of the question count for the kind of fact."""


@dataclass(frozen=True)
class FactKind:
    name: str
    asked: re.Pattern[str]
    """In the question's words (normalised, abbreviations expanded)."""
    held: re.Pattern[str]
    """In a passage's text as written."""
    nouns: frozenset[str] = frozenset()
    """Words naming the fact, which a passage stating it holds without writing them: "qual o
    link da central?" is held by "Central do assinante: https://..."."""


FACT_KINDS = (
    FactKind(
        "price",
        re.compile(
            r"\bquanto (custa|custam|sai|saem|cobra|cobram|fica|ficam|pago|paga|e)\b"
            r"|\b(valor|valores|preco|precos|custo|custa|custam)\b"
        ),
        re.compile(r"R\$ ?\d|\b\d+,\d\d\b|\breais\b", re.IGNORECASE),
        frozenset({"valor", "valores", "preco", "precos", "custo"}),
    ),
    FactKind(
        "site",
        re.compile(r"\b(site|sites|link|links|url|endereco do site|pagina)\b"),
        re.compile(r"https?://|www\.|\b[\w-]+\.(com|net|br)\b", re.IGNORECASE),
        frozenset({"site", "sites", "link", "links", "url", "pagina"}),
    ),
    FactKind(
        "hours",
        re.compile(
            r"\b(que horas|horario|horarios|ate quando)\b"
            r"|\b(abre|fecha|funciona) (as|a partir|ate|de|aos|no|nos|sabado|domingo)\b"
        ),
        re.compile(
            r"\b(?:[01]?\d|2[0-3])(?: ?h(?:\d{2})?\b|:\d{2}\b)(?! ?(?:corridas|[uú]teis))"
            r"|\b24 ?horas\b(?! ?(?:corridas|[uú]teis))",
            re.IGNORECASE,
        ),
    ),
    FactKind(
        "span",
        re.compile(r"\b(quantos dias|quantas horas|quanto tempo|prazo|dura|demora)\b"),
        re.compile(r"\b\d+ ?(dias?|horas?|h|meses|mes|uteis)\b", re.IGNORECASE),
    ),
)
"""Kinds of fact a question may ask for, and how a passage that states one looks."""


def facts_asked(words: Sequence[str]) -> tuple[FactKind, ...]:
    """The kinds of fact the question's words ask for."""
    said = " ".join(words)
    return tuple(kind for kind in FACT_KINDS if kind.asked.search(said))


def fact_scores(kinds: Sequence[FactKind], hits: Sequence[Hit]) -> dict[str, float]:
    """Topic id -> the coverage of its best passage that states a fact of a kind asked."""
    best: dict[str, float] = {}
    if not kinds:
        return best
    for hit in hits:
        topic_id = hit.passage.topic_id
        if hit.coverage < FACT_FLOOR or hit.coverage <= best.get(topic_id, 0.0):
            continue
        if any(kind.held.search(hit.passage.text) for kind in kinds):
            best[topic_id] = hit.coverage
    return best


@dataclass(frozen=True)
class TopicScore:
    topic: Topic
    score: float
    keywords: float = 0.0
    """Evidence from the catalogue (keywords, commands, title, equipment named)."""
    passages: float = 0.0
    """Evidence from the answer texts: the best passage's coverage."""


@dataclass(frozen=True)
class Reading:
    providers: tuple[Provider, ...]
    topics: tuple[TopicScore, ...]
    equipment: Equipment | None
    lookalike: OtherCompany | None
    """Another company named and no ISP: one an ISP's document lists, or one not served."""
    equipment_choices: tuple[Equipment, ...] = ()
    """Several models of the one ISP fit ("mercusys"): the agent must pick one."""
    equipment_typed: str = ""
    """The words that named the equipment, as normalised."""
    words: tuple[str, ...] = ()
    """The words about the topic: names removed, abbreviations expanded, typos corrected."""
    hits: tuple[Hit, ...] = ()
    """Passages of the named ISP(s) (of every ISP when none is named), best first."""
    context: tuple[ContextName, ...] = ()
    """No ISP named: the places, products, systems... only one or two ISPs' documents name."""
    beside: OtherCompany | None = None
    """Another company named beside an ISP ("disse que é da pantanet, é da mais fibra?")."""
    joined: tuple[str, str] | None = None
    """Two topics asked together ("o link do sistema e da central"), in that order."""
    clue_topic: str | None = None
    """The topic a clue, not a keyword, chose (``_clue_topic``, ``_measured_topic``; the days
    late told by two dates, a picture of a payment sent: ``_days_late_told``, ``_proof_asked``):
    a text that holds more of the question's other words without writing the clue does not
    overturn it ("cliente diz que é da <alias>, atende?": the lines naming the alias)."""
    by_equipment: bool = False
    """The one ISP was found by an equipment model or brand only it lists, not by its name
    ("roteador intelbras não conecta"): the answer says so in one line, as for a context name."""
    brand_port: str = ""
    """The port typed beside a brand two ISPs list that narrowed it to one ("tplink na 8080")."""

    @property
    def context_providers(self) -> frozenset[str]:
        """The ISP ids the context names point to together (empty: none, or too many)."""
        return context_owners(self.context)

    @property
    def best_topic(self) -> Topic | None:
        return self.topics[0].topic if self.topics else None

    def best_passage(self, topic_id: str) -> Passage | None:
        """The strongest passage of this topic among the hits."""
        return next((h.passage for h in self.hits if h.passage.topic_id == topic_id), None)

    @property
    def says_more(self) -> bool:
        """Besides names, does the question say anything (a word that is not a stop word)?"""
        return any(w not in STOPWORDS for w in self.words)


# --------------------------------------------------------------------------- words


def expand(text: str, vocabulary: Mapping[str, str] | None = None) -> list[str]:
    """Normalised words with chat abbreviations and the KB's vocabulary expanded."""
    return _expand(normalize(text).split(), vocabulary or {})


def _expand(words: Sequence[str], vocabulary: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    longest = _longest_key(vocabulary)
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            key = " ".join(words[i : i + n])
            if key in vocabulary:
                out += vocabulary[key].split()
                i += n
                break
        else:
            out += ABBREVIATIONS.get(words[i], words[i]).split()
            i += 1
    return out


def _longest_key(vocabulary: Mapping[str, str]) -> int:
    """How many words the vocabulary's longest key has: counted once per vocabulary (the
    current KB's lexicon's, nearly always), not at every question."""
    global _longest
    seen, longest = _longest
    if seen is not vocabulary:
        longest = max((len(k.split()) for k in vocabulary), default=1)
        _longest = (vocabulary, longest)
    return longest


_longest: tuple[Mapping[str, str] | None, int] = (None, 1)


def question_words(kb: KB, text: str) -> list[str]:
    """How the reader tokenises any text (the benchmark's baselines use it too)."""
    return expand(text, _lexicon(kb).vocabulary)


_Phrase = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], str]
"""(words, their stems, content words, their stems, topic id) of a keyword, command or title."""


@dataclass(frozen=True)
class _Lexicon:
    """What the reader knows of a KB's words, built once per KB."""

    vocabulary: Mapping[str, str]
    """The KB's vocabulary, keys and values normalised."""
    known: frozenset[str]
    """Every word the KB uses (texts, names, keywords) plus stop words: never a typo."""
    keyword_words: frozenset[str]
    """Words of the keywords, titles and commands."""
    corrections: tuple[tuple[str, ...], tuple[str, ...]]
    """What a typo may be corrected to: keyword words first, then the other words of the KB."""
    phrases: tuple[_Phrase, ...]
    """Every keyword, command and title."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Compact ISP name/alias -> ISP id."""
    prefixes: tuple[tuple[str, str], ...] = ()
    """(compact name, ISP id) of each ISP's name and id: "seja" names "sejafibra"."""
    short: Mapping[str, str] = field(default_factory=dict)
    """First word of a name of several words, when only one ISP's names start with it: "vm"."""
    shared: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """First word of a name that other ISPs' names have too ("fibra" of a "Fibra Fácil" beside
    Mutum Fibra) -> all those ISPs: it narrows the choice to them, never names one."""
    starts: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """First word, first stem or first content stem -> the phrases (indexes) that start so."""
    lookalikes: Mapping[str, tuple[Lookalike, Provider]] = field(default_factory=dict)
    """Normalised and compact names of other companies."""
    equipment: Mapping[str, tuple[_Model, ...]] = field(default_factory=dict)
    """ISP id -> its models' names, as the reader compares them."""


@dataclass(frozen=True)
class _Model:
    item: Equipment
    names: frozenset[str]
    """Compact names and aliases that say which model (not the plain ones: "padrão", "onu")."""
    words: frozenset[str]
    """Distinctive words of the names: brands in capitals, codes with digits."""
    loose: frozenset[str] = frozenset()
    """Compact codes typed without their last letter ("w51200" for W5-1200G): a model named,
    but less exactly than by any of ``names`` (another ISP's "MR30" beats "MR30G" typed "mr30")."""


@derived
def _lexicon(kb: KB) -> _Lexicon:
    vocabulary = {normalize(k): normalize(v) for k, v in kb.catalogue.vocabulary.items()}
    phrases: list[_Phrase] = []
    keyword_words: set[str] = set()
    for topic in kb.catalogue.topics:
        typed = {normalize(k) for k in (*topic.keywords, topic.title)} | set(topic.commands)
        typed |= {pronoun for phrase in typed for pronoun in _the_customer_as_a_pronoun(phrase)}
        for phrase in sorted(p for p in typed if p):
            words = tuple(phrase.split())
            core = tuple(w for w in words if w not in STOPWORDS)
            stems = tuple(stem(w) for w in words)
            phrases.append((words, stems, core, tuple(stem(w) for w in core), topic.id))
            keyword_words.update(words)
    text_words: set[str] = set()
    for provider in kb.providers.values():
        for entry in provider.topics.values():
            bodies = [entry.text, *entry.notes, *(f"{t.title}\n{t.text}" for t in entry.templates)]
            for body in bodies:
                text_words.update(normalize(service_orders(body, typed=False)).split())
        for name in provider_names(provider):
            text_words.update(normalize(name).split())
        for item in provider.equipment:
            for name in equipment_names(item):
                text_words.update(normalize(name).split())
    for key, value in vocabulary.items():
        keyword_words.update(value.split())
        text_words.update(key.split())
    common_to_many = name_words_shared(kb)
    names = {
        compact(n): p.id
        for p in kb.providers.values()
        for n in provider_names(p)
        if normalize(n) not in common_to_many or n in (p.id, p.name)
    }
    prefixes = tuple(
        (compact(n), p.id) for p in kb.providers.values() for n in {p.name, p.id} if compact(n)
    )
    first_words: dict[str, set[str]] = {}
    for p in kb.providers.values():
        for n in provider_names(p):
            parts = normalize(n).split()
            if len(parts) > 1 and len(parts[0]) >= 2 and parts[0].isalpha():
                if alias_word_only(kb, p, parts[0]):
                    continue  # "cabo" of "Cabo Imagem": the cable, wherever it stands
                first_words.setdefault(parts[0], set()).add(p.id)
    for word in other_companies_first_words(kb):  # "net" of NET CLARO is no short form
        first_words.setdefault(word, set()).add("")
    shared = {w: common_to_many[w] for w in first_words if w in common_to_many}
    short = {
        w: next(iter(ids))
        for w, ids in first_words.items()
        if len(ids) == 1 and "" not in ids and w not in shared
    }
    shared = {w: ids for w, ids in shared.items() if "" not in first_words[w]}
    for letters, pid in initials_of_one(kb).items():  # "nc" of "Net Center"
        if letters not in first_words and letters not in names:
            short.setdefault(letters, pid)
    known = frozenset(text_words | keyword_words | STOPWORDS | set(ABBREVIATIONS))
    plain = sorted(w for w in keyword_words if w.isalpha() and len(w) >= MIN_PREFIX)
    others = sorted(w for w in text_words - keyword_words if w.isalpha() and len(w) >= MIN_PREFIX)
    starts: dict[str, list[int]] = {}
    for index, (words, stems, _core, core_stems, _topic) in enumerate(phrases):
        for first in {words[0], stems[0], *core_stems[:1]}:
            starts.setdefault(first, []).append(index)
    lookalikes = {
        key: (lookalike, provider)
        for provider in kb.providers.values()
        for lookalike in provider.lookalikes
        for key in (normalize(lookalike.name), compact(lookalike.name))
    }
    equipment = {
        p.id: tuple(_model(item, frozenset(keyword_words)) for item in p.equipment)
        for p in kb.providers.values()
    }
    context_index(kb)  # built with the rest, at the first question, not in the middle of a burst
    term_index(kb)  # likewise (0.1 s)
    phrase_index(kb)  # likewise (0.1 s)
    portuguese_words()  # likewise (0.3 s)
    return _Lexicon(
        vocabulary,
        known,
        frozenset(keyword_words),
        (tuple(plain), tuple(others)),
        tuple(phrases),
        names,
        prefixes,
        short,
        shared,
        {k: tuple(v) for k, v in starts.items()},
        lookalikes,
        equipment,
    )


def _the_customer_as_a_pronoun(phrase: str) -> tuple[str, ...]:
    """A keyword ending in "o cliente" as agents also say it, the customer a pronoun:
    "localizar o cliente" -> "localizar ele", "localizar ela"."""
    head, _, rest = phrase.rpartition(" o cliente")
    if rest or not head:
        return ()
    return tuple(f"{head} {pronoun}" for pronoun in sorted(OBJECT_PRONOUNS))


def _model(item: Equipment, keyword_words: frozenset[str]) -> _Model:
    names: set[str] = set()
    words: set[str] = set()
    loose: set[str] = set()
    for name in equipment_names(item):
        plain = normalize(name).split()
        if not (len(plain) == 1 and (plain[0] in STOPWORDS or plain[0] in keyword_words)):
            names.add(compact(name))
            loose.update(_without_suffix_letter(compact(name)))
        for raw in re.split(r"[\W_]+", name):
            word = normalize(raw)
            distinctive = raw.isupper() or any(ch.isdigit() for ch in raw)
            if len(word) >= MIN_PREFIX and distinctive and word not in keyword_words:
                words.add(word)
    return _Model(item, frozenset(names), frozenset(words), frozenset(loose - names))


_MODEL_CODE = re.compile(r"[a-z]+\d*[a-z]*\d+[a-z]")
"""A model's code ending in a digit and one letter: "w51200g", "rf301k", "ac12g"."""


def _without_suffix_letter(key: str) -> tuple[str, ...]:
    """A compact model code typed without its last letter ("w5 1200" for W5-1200G, "rf301" for
    RF301K): agents drop the variant letter. Only when what is left has a letter, two digits
    and four characters at least ("ac12" for AC12G; not "a12"), so that it still says which
    model."""
    if not _MODEL_CODE.fullmatch(key):
        return ()
    rest = key[:-1]
    letters = sum(ch.isalpha() for ch in rest)
    digits = sum(ch.isdigit() for ch in rest)
    return (rest,) if letters >= 1 and digits >= 2 and letters + digits >= 4 else ()


@lru_cache(maxsize=1)
def portuguese_words() -> frozenset[str]:
    """Words of ordinary Portuguese, accents folded as questions are: wordfreq's small list,
    which holds the words from Zipf 3 up (about once in a million words: "casa" 6.0, "queria"
    5.5, "faço" 5.1, "apertei" 3.2). Such a word is a word, not a typo: it is never "corrected"
    to a KB word ("casa" is not "cada", "faço" is not "face"). Read in 0.3 s, once; not through
    ``normalize``, whose memo is for the KB's words (33,000 others would flush it)."""
    from wordfreq import top_n_list  # here: a process that reads no question never loads it

    words = top_n_list("pt", 1_000_000, wordlist="small")
    return frozenset(_NON_WORD.sub(" ", fold(w)).strip() for w in words)


PERSON_ENDINGS = ("o", "as", "es", "amos", "emos", "imos")
"""Endings of a verb's forms the small word list lacks, besides ``VERB_ENDINGS``: "somo" (I
add up), "zeras"."""


def _verb_form(word: str) -> bool:
    """Is the word a form of an ordinary verb ("somo" of "somar", "seguro" of "segurar"): the
    root left by one of its endings makes an infinitive of ordinary Portuguese? Such a word is
    not a typo of a KB word ("somo" is not "como")."""
    words = portuguese_words()
    for ending in (*VERB_ENDINGS, *PERSON_ENDINGS):
        root = word[: -len(ending)]
        if (
            word.endswith(ending)
            and len(root) >= 2
            and any(root + inf in words for inf in INFINITIVE)
        ):
            return True
    return False


def _typo_budget(word: str) -> int:
    return 1 if len(word) <= 7 else 2


@derived
def _known_stems(kb: KB) -> frozenset[str]:
    """The stems of the words the KB uses, long enough to mean something."""
    return frozenset(f for f in map(stem, _lexicon(kb).known) if len(f) >= MIN_STEM)


def correct(kb: KB, word: str) -> str | None:
    """The KB word a misspelt word stands for ("desbloqeio" -> "desbloqueio"), if one is close.

    Only words the KB never uses are corrected; keyword words are preferred to other text words.
    """
    lexicon = _lexicon(kb)
    if word in lexicon.known or len(word) < MIN_PREFIX or not word.isalpha():
        return None
    if word in portuguese_words() or _verb_form(word):
        return None
    form = stem(word)
    if len(form) >= MIN_STEM and form in _known_stems(kb):
        # Another form of a word the KB uses ("instalam" of "instalar"), not a typo of a
        # third ("instagram").
        return None
    budget = _typo_budget(word)
    for choices in lexicon.corrections:
        found = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=budget)
        if found is not None:
            return str(found[0])
    return None


# --------------------------------------------------------------------------- names


@dataclass(frozen=True)
class _Names:
    providers: list[Provider]
    used: set[int]
    """Positions of the words that were names (ISPs, other companies, equipment)."""
    lookalike: OtherCompany | None
    equipment: list[Equipment]
    equipment_at: set[int]
    context: list[ContextName] = field(default_factory=list)
    by_equipment: bool = False
    """No ISP's name: the one ISP was found by an equipment model or brand it alone lists."""
    port: str = ""
    """A brand two ISPs list was narrowed to one by this port typed beside it."""
    shared: Mapping[str, tuple[list[Equipment], set[int]]] = field(default_factory=dict)
    """No ISP's name, a brand two ISPs list ("tplink"): each one's models and their positions."""


def _spans(count: int, sizes: tuple[int, ...] = (3, 2, 1)) -> tuple[tuple[int, int], ...]:
    """(start, end) of every run of ``sizes`` words among ``count``, longest first."""
    if count > SPANS_REMEMBERED:  # a pasted message: not worth remembering
        return tuple((i, i + n) for n in sizes for i in range(count - n + 1))
    return _remembered_spans(count, sizes)


SPANS_REMEMBERED = 64
"""Questions up to so many words share their spans (every question of that length has them)."""


@lru_cache(maxsize=256)
def _remembered_spans(count: int, sizes: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    return tuple((i, i + n) for n in sizes for i in range(count - n + 1))


def _providers_named(
    kb: KB, words: Sequence[str], used: set[int], labels: frozenset[int] = frozenset()
) -> list[Provider]:
    """ISPs by exact name (1-3 words), else by a misspelt name, else by its first letters; with
    a name found, also another ISP's short form ("da mutum ou da vm")."""
    lexicon = _lexicon(kb)
    found: list[str] = []
    for start, end in _spans(len(words)):
        if not used.isdisjoint(range(start, end)):
            continue
        owner = lexicon.names.get(compact("".join(words[start:end])))
        if owner:
            used.update(range(start, end))
            if owner not in found:
                found.append(owner)
    if not found:
        found = _misspelt_providers(kb, words, used)
    if found:
        # A short form beside a full name is a second ISP ("da mutum ou da vm"): never dropped;
        # a word several names share ("fibra" beside "fibra facil") adds none.
        more = _provider_prefixes(kb, words, used, labels, alone=True)
        found.extend(pid for pid in more if pid not in found)
    else:
        found = _provider_prefixes(kb, words, used, labels)
    return [kb.providers[pid] for pid in found]


def _misspelt_providers(kb: KB, words: Sequence[str], used: set[int]) -> list[str]:
    lexicon = _lexicon(kb)
    found: list[str] = []
    for start, end in _spans(len(words), (2, 1)):
        span = words[start:end]
        if not used.isdisjoint(range(start, end)) or all(w in lexicon.known for w in span):
            continue
        gram = compact("".join(span))
        if len(gram) < MIN_FUZZY_LEN:
            continue
        cutoff = FUZZY_NAME if end - start == 1 else FUZZY_NAME + 5
        best = process.extractOne(gram, list(lexicon.names), scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is not None:
            owner = lexicon.names[best[0]]
            used.update(range(start, end))
            if owner not in found:
                found.append(owner)
    return found


def _provider_prefixes(
    kb: KB,
    words: Sequence[str],
    used: set[int],
    labels: frozenset[int] = frozenset(),
    alone: bool = False,
) -> list[str]:
    """ISPs by a short form: the first word of a name ("vm", "seja") or the first letters of
    the name or id ("laser", "mutu"), anywhere. One that is also an ordinary word ("seja",
    "nova", "mais") counts only where a name is expected (``_where_a_short_form_names``).
    ``alone``: only a short form of one ISP (not a word several names share)."""
    lexicon = _lexicon(kb)
    found: list[str] = []
    for i, word in enumerate(words):
        if i in used or not word.isalpha():
            continue
        owners: tuple[str, ...] = lexicon.shared.get(word, ())
        owner = lexicon.short.get(word)
        if owner is None and len(word) >= MIN_PREFIX and not owners:
            starting = _names_starting(kb, word)
            owner = starting.pop() if len(starting) == 1 else None
        if owner is not None:
            owners = (owner,)
        if not owners or (alone and len(owners) > 1):
            continue
        if i > 0 and word in initials_of_one(kb) and words[i - 1] not in PREPOSITIONS:
            # Two letters chat also writes for ordinary words ("nc": "nunca", "vn": "vem"):
            # an ISP's initials as the message's first word, where agents put the ISP ("nc
            # cliente gamer quer ip fixo"), or after "da", "do"... ("cliente da nc"); "cliente
            # nc recebeu", "disse que nc recebeu a fatura" are "nunca".
            continue
        if short_form_is_word(kb, word) and i > 0 and words[i - 1] in GRAMMAR_BEFORE:
            continue  # "caso seja", "que seja": the verb; "mutum ou vm" is two ISPs
        if short_form_is_word(kb, word):
            # A label or a subject is the ISP's current name ("seja"), not a former name's or
            # an alias's first word ("cabo, roteador e onu ok" is no Cabo Imagem).
            current = any(
                compact(kb.providers[pid].name).startswith(word) or pid.startswith(word)
                for pid in owners
            )
            if not _where_a_short_form_names(kb, words, i, labels, current):
                continue
        used.add(i)
        found.extend(pid for pid in owners if pid not in found)
    return found


@derived
def _sorted_prefixes(kb: KB) -> tuple[list[str], list[str]]:
    """The names a short form may start (``_Lexicon.prefixes``) in order, and their ISPs."""
    pairs = sorted(_lexicon(kb).prefixes)
    return [name for name, _ in pairs], [pid for _, pid in pairs]


def _names_starting(kb: KB, word: str) -> set[str]:
    """The ISPs with a name that ``word`` starts and is not: found by bisection in the sorted
    names, not by a scan of them all for each word of each question."""
    names, owners = _sorted_prefixes(kb)
    at = bisect_left(names, word)
    found = set()
    while at < len(names) and names[at].startswith(word):
        if names[at] != word:
            found.add(owners[at])
        at += 1
    return found


def _where_a_short_form_names(
    kb: KB, words: Sequence[str], i: int, labels: frozenset[int], current: bool = True
) -> bool:
    """A short form that is also a word ("seja") names its ISP written as a label ("seja: ...",
    "seja, cliente..."), first before a verb ("seja tem n2?") -- both only for the ISP's current
    name --, after "da", "cliente"... or as the question's last word; "que seja rápido", "uma
    senha nova" are the words."""
    first = i == 0 and len(words) > 1 and words[1] in SUBJECT_VERBS
    if current and (i in labels or first or _heads_as_a_label(kb, words, i)):
        return True
    if current and _verb_before_a_verb(words, i):
        return True
    if current and _verb_after_an_article(words, i):
        return True
    return _after_a_name_word(words, i)


ARTICLES = frozenset(["a", "o", "as", "os"])
CONNECTIVE_BEFORE = frozenset(["ou"])
""""ou seja" is a connective: a new clause, with its own verb, follows ("ou seja tem que
pagar")."""


def _verb_before_a_verb(words: Sequence[str], i: int) -> bool:
    """A short form that is a verb form ("seja") right before a verb a subject heads ("tem",
    "atende", "cobra": ``SUBJECT_VERBS``) is its ISP's name: the verb "seja" is never followed
    by another verb ("domingo de manhã, seja tem plantão?"). Not after "ou" ("ou seja tem que
    pagar": the connective); adjectives and adverbs ("o que mais tem") are no verb forms."""
    return (
        words[i] in VERB_FORMS
        and i + 1 < len(words)
        and words[i + 1] in SUBJECT_VERBS
        and (i == 0 or words[i - 1] not in CONNECTIVE_BEFORE)
    )


def _verb_after_an_article(words: Sequence[str], i: int) -> bool:
    """A verb form after a definite article ("a upcall já atende a seja?", "a seja tem
    paramount?") is no verb: an article never stands before one, so it is the name. ("ou seja"
    is no article; "nova", "mais" are no verb forms: "a nova senha" is the adjective.)"""
    return i > 0 and words[i] in VERB_FORMS and words[i - 1] in ARTICLES


_HOUR_OR_NUMBER = re.compile(r"\d+(h\d{0,2})?")
"""A time of day or a number ("21h", "8h30", "22"): never the predicate of a heading verb."""


def _heads_as_a_label(kb: KB, words: Sequence[str], i: int) -> bool:
    """A short form that is a verb form ("seja") heading the message, followed by what cannot be
    that verb's predicate -- a question word, a preposition, a definite article, a topic word, an
    abbreviation, another ISP, a time or a number: "seja com quantos dias bloqueia?", "seja cli
    pediu o boleto", "seja 21h cli quer ip fixo" are a label without its colon. Its predicate
    ("seja bem claro", "seja paciente", "seja um bom atendente", "seja como for") keeps it the
    verb. Adjectives and adverbs ("nova senha", "mais de 35 dias") are followed by nouns as a
    matter of course: they never head so."""
    if i != 0 or len(words) < 2 or words[0] not in VERB_FORMS:
        return False
    after = words[1]
    if after in PREDICATE_WORDS or any(w in FUTURE_OF_SER for w in words[1:5]):
        return False
    lexicon = _lexicon(kb)
    return (
        after in STOPWORDS
        or _HOUR_OR_NUMBER.fullmatch(after) is not None  # "seja 21h cli quer...": a moment
        or after in ABBREVIATIONS
        or after in lexicon.keyword_words
        or after in lexicon.short
        or after in lexicon.names
    )


def _after_a_name_word(words: Sequence[str], i: int) -> bool:
    if i == len(words) - 1:
        return True
    after = words[i + 1]
    if i > 0 and words[i - 1] in PREPOSITIONS and words[i] in VERB_FORMS:
        return True  # "o prazo da seja pra resolver": a verb never follows a preposition
    return i > 0 and words[i - 1] in NAME_BEFORE and after not in GRAMMAR_AFTER


def _lookalike_named(
    kb: KB, words: Sequence[str], used: set[int]
) -> tuple[Lookalike, Provider] | None:
    lookalikes = _lexicon(kb).lookalikes
    for start, end in _spans(len(words), (2, 1)):
        if not used.isdisjoint(range(start, end)):
            continue
        span = words[start:end]
        found = lookalikes.get(" ".join(span)) or lookalikes.get("".join(span))
        if found and start > 0 and words[start - 1].isdigit():
            continue  # "1 giga", "plano de 500 giga": a speed, not the company GIGA
        if found and end - start == 1 and not _named_as_company(kb, words, start):
            continue  # "plano giga", "internet giga": a speed, not the company GIGA
        if found:
            used.update(range(start, end))
            return found
    return None


def _not_served_named(kb: KB, words: Sequence[str], used: set[int]) -> OtherCompany | None:
    """A company UPCALL does not serve, named as a company: a name of several words anywhere,
    a one-word name that is a common word only after "da", "cliente"... (``COMPANY_BEFORE``)."""
    companies = not_served_names(kb)
    for start, end in _spans(len(words), (3, 2, 1)):
        if not used.isdisjoint(range(start, end)):
            continue
        found = companies.get(" ".join(words[start:end]))
        if found is None:
            continue
        if end - start == 1 and not _named_as_company(kb, words, start):
            continue  # "oi, qual o dns?", "o cliente tá vivo?": the words
        used.update(range(start, end))
        return found
    return None


def _named_as_company(kb: KB, words: Sequence[str], at: int) -> bool:
    """Does the one-word company name at ``at`` name the company? Always, unless it is also a
        common word or a speed ("oi", "claro", "giga": "plano giga", "internet giga"); then only
        right after "da", "cliente", "operadora"... (``COMPANY_BEFORE``): "cliente da giga", "é da
        giga", or after "com a" (companies take the feminine article: "o contrato é com a giga",
    "problema com a claro"). For the companies not served and the lookalikes alike."""
    word = words[at]
    if not common_word(kb, word) and word not in SPEED_UNITS:
        return True
    if words[at + 1 : at + 2] and words[at + 1] in GREETING_AFTER and words[at - 1 : at] != ["da"]:
        return False  # "cliente: oi, boa tarde, minha internet caiu": the customer greets
    return (at > 0 and words[at - 1] in COMPANY_BEFORE) or tuple(words[at - 2 : at]) == COMPANY_WITH


def equipment_named(
    kb: KB, provider: Provider, words: Sequence[str], used: set[int]
) -> tuple[list[Equipment], set[int]]:
    """Models of one ISP named in the words: exactly (1-3 words, any alias, not a plain word
    such as "padrão" or "onu"), else by a distinctive word of the model ("mercusys" fits both
    Mercusys rows: brands as the documents write them, in capitals, and codes with digits).
    Also the positions of those words."""
    items, where, _exact = _equipment_match(kb, provider, words, used)
    return items, where


MODEL_EXACT, MODEL_LOOSE, MODEL_PARTIAL = 2, 1, 0
"""How exactly a model was named: by a name or alias, by its code without the last letter, or
by a brand or a code's word."""


def _equipment_match(
    kb: KB, provider: Provider, words: Sequence[str], used: set[int]
) -> tuple[list[Equipment], set[int], int]:
    """``equipment_named``, and how exactly a model was named (``MODEL_EXACT``,
    ``MODEL_LOOSE``, ``MODEL_PARTIAL``)."""
    models = _lexicon(kb).equipment.get(provider.id, ())
    by_name, by_loose, by_word = _models_by_key(kb).get(provider.id, ({}, {}, {}))
    spans = [(s, e) for s, e in _spans(len(words)) if used.isdisjoint(range(s, e))]
    grams = {"".join(words[s:e]): (s, e) for s, e in reversed(spans)}
    where: set[int] = set()
    # A whole name or alias; else a code without its last letter ("w5 1200": W5-1200G).
    for level, keys in ((MODEL_EXACT, by_name), (MODEL_LOOSE, by_loose)):
        named = sorted({m for gram in grams.keys() & keys.keys() for m in keys[gram]})
        exact: list[Equipment] = []
        for m in named:
            if models[m].item not in exact:
                exact.append(models[m].item)
        if exact:
            for gram in grams.keys() & keys.keys():
                where.update(range(*grams[gram]))
            return exact, where, level
    partial: list[Equipment] = []
    for i, word in enumerate(words):
        if i in used:
            continue
        for m in by_word.get(word, ()):
            if models[m].item not in partial:
                partial.append(models[m].item)
            where.add(i)
    return partial, where, MODEL_PARTIAL


_ModelKeys = dict[str, tuple[int, ...]]


@derived
def _models_by_key(kb: KB) -> dict[str, tuple[_ModelKeys, _ModelKeys, _ModelKeys]]:
    """Per ISP, each name, loose code and word of its models -> the models' places in its list
    (ascending): a question's few words looked up, not every model's sets intersected."""
    out = {}
    for pid, models in _lexicon(kb).equipment.items():
        keyed: tuple[dict[str, list[int]], ...] = ({}, {}, {})
        for m, model in enumerate(models):
            for index, keys in zip(keyed, (model.names, model.loose, model.words), strict=True):
                for key in keys:
                    index.setdefault(key, []).append(m)
        out[pid] = tuple({k: tuple(v) for k, v in index.items()} for index in keyed)
    return out  # type: ignore[return-value]


@derived
def _equipment_index(kb: KB) -> tuple[Mapping[str, frozenset[str]], Mapping[str, frozenset[str]]]:
    """Model name -> ISP ids, distinctive word -> ISP ids: which ISPs a sentence may be naming."""
    by_name: dict[str, set[str]] = {}
    by_word: dict[str, set[str]] = {}
    for pid, models in _lexicon(kb).equipment.items():
        for model in models:
            for name in model.names | model.loose:
                by_name.setdefault(name, set()).add(pid)
            for word in model.words:
                by_word.setdefault(word, set()).add(pid)
    return _frozen(by_name), _frozen(by_word)


def _row_writes(items: Sequence[Equipment], words: Sequence[str], at: set[int]) -> bool:
    """Are the words a topic's keywords matched ("liberar", "acesso web") written in the notes
    of every model named, each with no port of its own ("ONU HUAWEI V2": "*Liberar Acesso
    Web")?"""
    if not at or any(item.port for item in items):
        return False
    asked = {words[i] for i in at}
    for item in items:
        notes = f" {normalize(' '.join(item.notes))} "
        if not all(f" {w} " in notes for w in asked):
            return False
    return True


def _ordinary_description(kb: KB, items: Sequence[Equipment], typed: Sequence[str]) -> bool:
    """Do ordinary words name these rows, as the KB writes them in lower or sentence case
    ("Equipamentos mais comuns", alias "padrão" of NETCENTER's row)? Such a row names no ISP
    alone: "quais os equipamentos mais comuns?" is asked of every ISP. A brand written as a
    name ("Via Real", "VIA REAL") or a code ("rf1200") still names its ISP."""
    if not all(w in STOPWORDS or w in portuguese_words() for w in typed):
        return False
    key = compact("".join(typed))
    written = [n for item in items for n in equipment_names(item) if key in compact(n)]
    return all(not any(c.isupper() for c in name[1:]) for name in written)


def _frozen(index: dict[str, set[str]]) -> Mapping[str, frozenset[str]]:
    return {key: frozenset(ids) for key, ids in index.items()}


def _equipment_owners(kb: KB, words: Sequence[str], used: set[int]) -> list[Provider]:
    """The ISPs owning a model some words may name (of 500 ISPs, usually none or one)."""
    by_name, by_word = _equipment_index(kb)
    owners: set[str] = set()
    for start, end in _spans(len(words)):
        if used.isdisjoint(range(start, end)):
            owners |= by_name.get("".join(words[start:end]), frozenset())
    for i, word in enumerate(words):
        if i not in used:
            owners |= by_word.get(word, frozenset())
    return [p for pid, p in kb.providers.items() if pid in owners]


def _brand_shared(
    kb: KB, words: Sequence[str], named: dict[str, tuple[list[Equipment], set[int]]]
) -> dict[str, tuple[list[Equipment], set[int]]]:
    """A brand (no model) named: the ISPs whose equipment rows list it, and those whose texts
    write it ("ONU (Fiberhome ou TPLink)" in an equipment answer): "porta do tplink" is one
    ISP's only when no other document writes TPLink. Too many say nothing (empty)."""
    at = {i for _items, where in named.values() for i in where}
    families = term_index(kb).families
    brands = {i for i in at if words[i] not in EQUIPMENT_WORDS}  # "onu" is everyone's
    owners = set(named)
    for i in brands:
        owners |= families.get(term_family(words[i]), frozenset())
    if len(owners) > SHARED_BRAND:
        return {}
    # Another brand typed beside, that not all of them write ("a onu é fiberhome ou tplink?"):
    # the ISPs whose texts write every brand typed. Those with a row of the model keep it (the
    # table's answer names them); else the brands are context names, read together
    # (``find_context``), and the reply says why.
    narrowed = set(owners)
    for word in _other_brands(kb, words, at):
        narrowed &= families.get(term_family(word), frozenset())
    if narrowed and narrowed != owners:
        if not narrowed <= set(named):
            return {}
        owners = narrowed
    return {pid: named.get(pid, ([], at)) for pid in kb.providers if pid in owners}


def _brand_at_its_port(
    kb: KB,
    words: Sequence[str],
    used: set[int],
    named: dict[str, tuple[list[Equipment], set[int]]],
) -> tuple[dict[str, tuple[list[Equipment], set[int]]], str]:
    """A brand two ISPs list, typed with a port only one of them writes ("fora a 8080 do tplink
    os outros precisam de porta?": VM NET's "TPLINK: 8080"; Seja Fibra's port is 2389): that
    one, and the port as typed (the reply says why). A web port alone names no one
    (``codes.WEB_PORTS``); beside the brand it narrows."""
    if len(named) < 2:
        return named, ""
    index = context_index(kb).names
    owners: set[str] = set()
    typed = ""
    for i, word in enumerate(words):
        if i in used or not codes.port_typed(words, i):
            continue
        entry = index.get(codes.PORT_KEY + str(int(word)))
        if entry is not None and entry.owners & set(named):
            owners |= entry.owners & set(named)
            typed = str(int(word))
    if len(owners) != 1:
        return named, ""
    (pid,) = owners
    return {pid: named[pid]}, typed


def _other_brands(kb: KB, words: Sequence[str], at: set[int]) -> list[str]:
    """The catalogue's brands (``generic`` names no ISP by context) typed besides those at
    ``at``, that at most ``SHARED_BRAND`` ISPs' texts write."""
    families = term_index(kb).families
    generic = {compact(g) for g in kb.catalogue.generic}
    return [
        w
        for i, w in enumerate(words)
        if i not in at
        and w not in EQUIPMENT_WORDS
        and compact(w) in generic
        and len(families.get(term_family(w), frozenset())) <= SHARED_BRAND
    ]


def _topics_writing(kb: KB, provider_id: str, names: Sequence[ContextName]) -> list[str]:
    """The ISP's topics whose answers write one of the names."""
    provider = kb.providers[provider_id]
    keys = [f" {n.typed} " for n in names if provider_id in n.owners]
    # A number ("3276-5247", "99,90") is found by its digits, however the text spaces them.
    numbers = [
        n.typed.replace(" ", "").replace(",", "")
        for n in names
        if provider_id in n.owners and n.typed.replace(" ", "").replace(",", "").isdigit()
    ]
    memo = _writing(kb)
    remembered = (provider_id, *keys) if not numbers else None  # names of the KB: few
    if remembered is not None and remembered in memo:
        return list(memo[remembered])
    out = []
    texts = _texts_by_topic(kb)
    for topic_id in provider.topics:
        body = texts.get((provider_id, topic_id), "")
        digits = body.replace(" ", "") if numbers else ""
        if any(key in body for key in keys) or any(number in digits for number in numbers):
            out.append(topic_id)
    if remembered is not None and len(memo) < WRITING_MEMO:
        memo[remembered] = tuple(out)
    return out


WRITING_MEMO = 4096
"""At most so many (ISP, names) remembered per KB by :func:`_topics_writing`."""


@derived
def _writing(kb: KB) -> dict[tuple[str, ...], tuple[str, ...]]:
    """(ISP id, names written) -> the ISP's topics whose answers write one: filled as asked."""
    return {}


@derived
def _texts_by_topic(kb: KB) -> dict[tuple[str, str], str]:
    return {
        (p.id, t): f" {normalize(e.text)} "
        for p in kb.providers.values()
        for t, e in p.topics.items()
    }


def _topic_text(kb: KB, provider_id: str, topic_id: str) -> str:
    return _texts_by_topic(kb).get((provider_id, topic_id), "")


def _names(
    kb: KB,
    words: Sequence[str],
    labels: frozenset[int] = frozenset(),
    dotted: Sequence[DottedRun] = (),
) -> _Names:
    used: set[int] = set()
    providers = _providers_named(kb, words, used, labels)
    named_isp = bool(providers)
    lookalike = _lookalike_named(kb, words, used) or _not_served_named(kb, words, used)
    equipment: list[Equipment] = []
    where: set[int] = set()
    port = ""
    shared: dict[str, tuple[list[Equipment], set[int]]] = {}
    if len(providers) == 1:
        equipment, where = equipment_named(kb, providers[0], words, used)
        used |= where
    elif not providers:
        # An equipment model only one ISP has names that ISP ("senha do W5-1200G").
        # A model named exactly ("huawei preta") beats a brand another ISP also has; a brand
        # two ISPs share asks between those two (a third is too many to say anything).
        named: dict[str, tuple[list[Equipment], set[int]]] = {}
        exactly: dict[str, int] = {}
        for provider in _equipment_owners(kb, words, used):
            items, where, exact = _equipment_match(kb, provider, words, used)
            if items and _ordinary_description(kb, items, [words[i] for i in sorted(where)]):
                continue  # "os equipamentos mais comuns": a row's description, no brand
            # A model's name that is a bare brand ("TPLINK", "Roteador TP Link"): a brand,
            # however the row says it.
            brand = [words[i] for i in where if words[i] not in EQUIPMENT_WORDS]
            bare = len(brand) == 1 and brand[0].isalpha()
            if items:
                named[provider.id] = (items, where)
                if exact and not bare:
                    exactly[provider.id] = exact
        if exactly:  # by a whole name, else by a code without its last letter
            best = max(exactly.values())
            named = {pid: found for pid, found in named.items() if exactly.get(pid) == best}
        elif named:
            named = _brand_shared(kb, words, named)
            named, port = _brand_at_its_port(kb, words, used, named)
        if len(named) == 1:
            ((pid, (equipment, where)),) = named.items()
            providers = [kb.providers[pid]]
            used |= where
        elif 1 < len(named) <= SHARED_BRAND:
            providers = [kb.providers[pid] for pid in named]
            shared = named
            for _items, where in named.values():
                used |= where
    context: list[ContextName] = []
    by_equipment = False
    if not providers:
        # Names only one or two ISPs' documents write ("Ubatuba"); they stay topic words too.
        people: set[int] = set()  # "o sr. Barroso": a person, no place, nothing to look for
        context = find_context(kb, words, set(used), _lexicon(kb).known, dotted, people)
        used |= people
    else:
        by_equipment = len(providers) == 1 and bool(equipment or port) and not named_isp
    at = where if equipment or port else set()
    return _Names(providers, used, lookalike, equipment, at, context, by_equipment, port, shared)


def places_holding_a_name(
    kb: KB, text: str, providers: Sequence[Provider]
) -> tuple[ContextName, ...]:
    """Places whose name holds a named ISP's name ("quem atende Nova Mutum?": Mutum Fibra's
    city, not the ISP Mutum): the context names of the whole text, the ISP's words not taken,
    that are places of their owners and hold a word of a named ISP's name or id."""
    words = normalize(text).split()
    own = {w for p in providers for w in (*normalize(p.name).split(), p.id)}
    found = find_context(kb, words, set(), _lexicon(kb).known)
    return tuple(
        c
        for c in found
        if len(c.typed.split()) > 1 and own & set(c.typed.split()) and is_place(kb, c)
    )


# --------------------------------------------------------------------------- topics


_HOST = re.compile(r"[^\W_]+(?:[.-][^\W_]+)*\.[^\W_]+")


@derived
def _hosts(kb: KB) -> frozenset[str]:
    """The host names the ISPs' answers write ("ixc.vitortelecom.com.br"), as normalised words
    joined by dots."""
    out = set()
    for provider in kb.providers.values():
        for entry in provider.topics.values():
            for host in _HOST.findall(fold(entry.text)):
                out.add(".".join(normalize(host).split()))
    return frozenset(out)


def _host_words(kb: KB, text: str, words: Sequence[str], names: _Names) -> set[int]:
    """Positions of the words typed joined by dots to a context name as part of a host an answer
    writes ("central no ixc.vitortelecom": "ixc" is the host's, not the system IXC asked
    about). (An ISP's own name in a host keeps the other words: "anlix.mutumfibra" asks about
    Anlix.)"""
    if "." not in text or not names.context:
        return set()
    named = {i for n in names.context for i in range(n.start, n.end)}
    out: set[int] = set()
    for run in dotted_runs(text):
        if not named & set(run) or run.stop > len(words):
            continue
        typed = ".".join(words[i] for i in run)
        if any(typed in host for host in _hosts(kb)):
            out.update(run)
    return out


def _app_named_after(kb: KB, words: Sequence[str], names: _Names) -> set[int]:
    """Positions of "app" typed before the ISP's name and a word after it that the ISP's
    document writes after its name ("pelo app mutum fibra wifi": Mutum's "App. (Mutum Fibra
    Wifi)", its Wi-Fi app): the app's name, not the TV apps' keyword "app"."""
    if len(names.providers) != 1:
        return set()
    texts = _provider_words(kb)[names.providers[0].id]
    out: set[int] = set()
    for i, word in enumerate(words[:-2]):
        if word not in APP_NOUNS or i + 1 not in names.used:
            continue
        end = i + 1
        while end in names.used:
            end += 1
        if end < len(words) and f" {' '.join(words[i + 1 : end + 1])} " in texts:
            out.add(i)
    return out


@derived
def _provider_words(kb: KB) -> dict[str, str]:
    """ISP id -> all its answers' words, normalised, one string with spaces around."""
    return {
        pid: " "
        + " ".join(
            normalize(body)
            for entry in provider.topics.values()
            for body in (entry.text, *entry.notes)
        )
        + " "
        for pid, provider in kb.providers.items()
    }


def _topic_words(kb: KB, words: Sequence[str], used: set[int]) -> tuple[list[str], set[int]]:
    """The words left once names are out, expanded and corrected; and which were corrected."""
    left = [w for i, w in enumerate(words) if i not in used]
    expanded = _expand(left, _lexicon(kb).vocabulary)
    out: list[str] = []
    corrected: set[int] = set()
    for word in expanded:
        base = diminutive_base(kb, word)
        if base is not None:
            out.append(base)  # another form of the word, not a typo
            continue
        fixed = correct(kb, word)
        if fixed is not None:
            corrected.add(len(out))
            out.append(fixed)
        else:
            out.append(word)
    return out, corrected


DIMINUTIVES = ("zinhos", "zinhas", "zinho", "zinha", "inhos", "inhas", "inho", "inha")
"""Endings of a word made small ("luzinhas", "lentinha", "botãozinho"): chat's affection, not
another word."""


def diminutive_base(kb: KB, word: str) -> str | None:
    """The KB word a diminutive stands for ("luzinhas" -> "luzes", "cabinho" -> "cabo",
    "roteadorzinho" -> "roteador"): a word that is not ordinary Portuguese ("vizinho", "cozinha",
    "caminho" are words of their own), whose root (3+ letters, no stop word) with a noun's or
    an adjective's ending is a word the KB uses."""
    lexicon = _lexicon(kb)
    if word in lexicon.known or not word.isalpha() or word in portuguese_words():
        return None
    for ending in DIMINUTIVES:
        root = word[: -len(ending)]
        if not word.endswith(ending) or len(root) < 3:
            continue
        plural = ending.endswith("s")
        tails = ("es", "os", "as", "s", "") if plural else ("o", "a", "e", "")
        for tail in tails:
            base = root + tail
            if base in lexicon.known and base not in STOPWORDS:
                return base
    return None


def _find(
    seq: Sequence[str], phrase: Sequence[str], starts: Sequence[int] | None = None
) -> list[int]:
    """Where the phrase stands in ``seq``; ``starts``: the only positions it may start at (those
    holding its first word, ascending), not every position of a long message."""
    n = len(phrase)
    return [i for i in _starts(len(seq) - n + 1, starts) if tuple(seq[i : i + n]) == tuple(phrase)]


def _starts(end: int, starts: Sequence[int] | None) -> Sequence[int]:
    return range(end) if starts is None else [i for i in starts if i < end]


def _positions(keys: Sequence[str]) -> dict[str, list[int]]:
    """Each key -> where it stands, ascending."""
    out: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        out.setdefault(key, []).append(i)
    return out


INFINITIVE = ("ar", "er", "ir")
VERB_ENDINGS = frozenset(
    "a e am em ou ei eu iu amos emos imos ava avam ia iam".split()  # noqa: SIM905
    + "ado ada ados adas ido ida ando endo indo".split()  # noqa: SIM905
)
"""A short verb's forms: "puxe", "puxa", "puxou", "puxado" are forms of the keyword's "puxar"
though their stem ("pux") is too short to compare alone. Not "-o": agents write of the customer,
and "lixo", "cabo" are nouns."""


def _short_verb_form(word: str, keyword: str, stem_: str) -> bool:
    """Is the word a form of the keyword, an infinitive of a short stem ("puxe" of "puxar")?
    Only an infinitive written in the keyword counts: "sábado" is no form of "saber", a
    stop word no keyword holds."""
    return (
        keyword not in STOPWORDS
        and keyword[len(stem_) :] in INFINITIVE
        and word[len(stem_) :] in VERB_ENDINGS
    )


def _forms_at(
    words: Sequence[str],
    stems: Sequence[str],
    phrase_stems: Sequence[str],
    phrase: Sequence[str],
    starts: Sequence[int] | None = None,
) -> list[int]:
    """Where the phrase appears in other forms of its words: equal stems, long enough to mean
    something ("sabe" and "sábado" share only "sab"; "pagou" and "pagar" are long words; a short
    word as written beside another form: "cabo" in "puxe cabo"), or forms of a short verb the
    keyword writes in the infinitive ("puxe" for "puxar"). A stop word is no other form of a
    keyword word ("saber" is not "sábado"). ``starts``: as for :func:`_find` (the positions
    holding the phrase's first stem)."""
    n = len(phrase)
    out = []
    for i in _starts(len(stems) - n + 1, starts):
        if all(
            stems[i + k] == phrase_stems[k]
            and (words[i + k] not in STOPWORDS or phrase[k] in STOPWORDS)
            and (
                len(phrase_stems[k]) >= MIN_STEM
                or min(len(words[i + k]), len(phrase[k])) >= MIN_FUZZY_LEN
                or (n > 1 and words[i + k] == phrase[k] not in STOPWORDS)
                or _short_verb_form(words[i + k], phrase[k], phrase_stems[k])
            )
            for k in range(n)
        ):
            out.append(i)
    return out


def keyword_scores(kb: KB, words: Sequence[str], corrected: set[int]) -> dict[str, float]:
    """Topic id -> evidence from the catalogue's phrases found in the words (see
    ``keyword_matches``)."""
    return keyword_matches(kb, words, corrected)[0]


def keyword_matches(
    kb: KB, words: Sequence[str], corrected: set[int]
) -> tuple[dict[str, float], dict[str, set[int]]]:
    """Topic id -> evidence from the catalogue's phrases found in the words.

    A phrase of n words found as written scores n²; in other forms of its words ("bloqueia"
    for "bloqueio"), or with other small words between its content words ("pausar o contrato"
    for "pausa no contrato"), 80 % of that, counting only its content words. Each word counts
    once per topic, for the best phrase that covers it: "desbloqueio de confiança" scores as
    one 3-word phrase, not also as "desbloqueio" and "confiança".
    """
    lexicon = _lexicon(kb)
    words = as_the_keywords_say(kb, words)
    stems = [stem(w) for w in words]
    content = [i for i, w in enumerate(words) if w not in STOPWORDS]
    content_stems = [stems[i] for i in content]
    content_words = [words[i] for i in content]
    found: dict[str, list[tuple[float, set[int]]]] = {}

    def add(topic_id: str, gain: float, where: set[int]) -> None:
        factor = CORRECTED if corrected & where else 1.0
        found.setdefault(topic_id, []).append((gain * factor, where))

    candidates: set[int] = set()
    for key in (*words, *stems):
        candidates.update(lexicon.starts.get(key, ()))
    # Where each word and stem stands: a phrase is looked for only where its first one does (a
    # pasted message of 700 words, against every phrase, was most of a 0.8 s answer).
    word_at, stem_at, content_at = _positions(words), _positions(stems), _positions(content_stems)
    needs, stems_said, content_said = _phrase_stems(kb), set(stems), set(content_stems)
    for index in sorted(candidates):
        every, of_core = needs[index]
        if not (of_core <= content_said or every <= stems_said):
            continue  # a word of it, in no form, is missing: no match of any kind below
        phrase, phrase_stems, core, core_stems, topic_id = lexicon.phrases[index]
        n = len(phrase)
        for at in _find(words, phrase, word_at.get(phrase[0], [])):
            if not _owner_not_subject(words, phrase, at):
                add(topic_id, float(n * n) * EXACT, set(range(at, at + n)))
        for at in _forms_at(words, stems, phrase_stems, phrase, stem_at.get(phrase_stems[0], [])):
            if not _owner_not_subject(words, phrase, at):
                add(topic_id, float(n * n) * INFLECTED, set(range(at, at + n)))
        negated = NEGATION in phrase
        if 1 < len(core) < n:
            # Only a core of two words or more: a keyword whose one content word stands among
            # stop words says more than that word ("atende em" is not "atendimento", "me
            # mudar" is not "mudar a senha", "novo cliente" is not "senha nova").
            m = len(core)
            starts = content_at.get(core_stems[0], [])
            for at in _forms_at(content_words, content_stems, core_stems, core, starts):
                where = {content[at + k] for k in range(m)}
                if not negated or _negated(words, where):
                    add(topic_id, float(m * m) * INFLECTED, where)
        if len(core) == 2 and n > 2:
            # The noun first and the other word made its adjective: "contrato pausado" is
            # "pausa no contrato", "endereço mudado" is "mudança de endereço".
            turned, turned_stems = (core[1], core[0]), (core_stems[1], core_stems[0])
            starts = content_at.get(turned_stems[0], [])
            for at in _forms_at(content_words, content_stems, turned_stems, turned, starts):
                if not _made_adjective(core[0], content_words[at + 1]):
                    continue  # "o roteador, passo a senha?" is no "passar o roteador"
                where = {content[at], content[at + 1]}
                if not negated or _negated(words, where):
                    add(topic_id, 4.0 * INFLECTED, where)
    scores: dict[str, float] = {}
    positions: dict[str, set[int]] = {}
    for topic_id, matches in found.items():
        taken: set[int] = set()
        for gain, where in sorted(matches, key=lambda m: -m[0]):
            if not taken & where:
                taken |= where
                scores[topic_id] = scores.get(topic_id, 0.0) + gain
        positions[topic_id] = taken
    return scores, positions


WISH = "quer"
INTENTS = frozenset(
    """
    quero queria querem gostaria vai vao vou ameaca ameacou ameacando ameacam ameacaram
    pretende pretendem pretendia decidiu decidiram resolveu resolveram deseja desejam planeja
    planejando pensa pensando
    """.split()  # noqa: SIM905
)
"""An intention said with another verb than "quer": "vai sair", "ameaçando cancelar",
"pensando em sair", "decidiu cancelar" say what the keywords' "quer sair" says."""
INTENT_LINKS = frozenset(["de", "em", "a"])
ASKING_HOW = frozenset(["como", "onde"])
PAST_AS_WRITTEN = ("eu", "iu", "ir", "er")
"""What a keyword writes of a verb whose first person's past ends in "-i" ("não resolvi" is
"não resolveu", "abri o atendimento" is "abrir o atendimento")."""
OBJECT_PRONOUNS = frozenset(["ele", "ela"])


@derived
def _wished(kb: KB) -> frozenset[str]:
    """What the keywords write after "quer" ("quer sair", "quer cancelar")."""
    return frozenset(p[0][1] for p in _lexicon(kb).phrases if len(p[0]) > 1 and p[0][0] == WISH)


def as_the_keywords_say(kb: KB, words: Sequence[str]) -> list[str]:
    """The words as the catalogue's keywords write them, one for one (positions kept):

    * an intention before an infinitive a keyword writes after "quer" (``INTENTS``, a
      "de"/"em" between) is the keywords' "quer" ("vai sair", "pensando em sair" -> "quer
      sair"; the link word moved before it); "vai viajar" is left to its own keyword;
    * a verb in the first person after "como"/"onde" ("como acho", "onde localizo", "como
      puxo") is the infinitive a keyword writes ("achar", "localizar", "puxar"): the "-o" a
      noun also ends with ("cabo", "acesso") is a verb only there ("como acho ele?" ->
      "achar ele": a keyword's "o cliente" is also read as a pronoun, ``_lexicon``);
    * the first person's past ("resolvi", "abri", "atendi", no keyword word itself) is the
      form a keyword writes of that verb ("não resolvi" -> "não resolveu", "abri o
      atendimento" -> "abrir o atendimento")."""
    keyword_words, wished = _lexicon(kb).keyword_words, _wished(kb)
    out = list(words)
    for i, word in enumerate(words):
        if word in INTENTS:
            j = i + 1 if i + 1 < len(words) and words[i + 1] in INTENT_LINKS else i
            if j + 1 < len(words) and words[j + 1] in wished:
                out[i], out[j] = words[j], WISH  # "pensando em sair" -> "em quer sair"
        elif word.endswith("i") and len(word) >= 4 and word not in keyword_words:
            root = word[:-1]  # "resolvi", "abri", "atendi": the first person's past
            said = next((root + e for e in PAST_AS_WRITTEN if root + e in keyword_words), None)
            out[i] = said or word
        elif word in ASKING_HOW:
            j = i + 2 if i + 2 < len(words) and words[i + 1] == "eu" else i + 1
            if j < len(words) and words[j].endswith("o") and len(words[j]) >= 4:
                verb = next(
                    (words[j][:-1] + e for e in INFINITIVE if words[j][:-1] + e in keyword_words),
                    None,
                )
                if verb is not None:
                    out[j] = verb
    return out


PARTICIPLES = ("ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas")


def _made_adjective(keyword_word: str, word: str) -> bool:
    """Is the word the keyword's word made an adjective after the noun? A verb only as its
    participle ("contrato pausado" for "pausar o contrato"; "roteador ... passo" is another
    verb's subject); a noun in any form ("prazo do suporte" for "suporte tem prazo")."""
    return keyword_word[-2:] not in INFINITIVE or word.endswith(PARTICIPLES)


PEOPLE = frozenset({"cliente"})
"""Who a keyword can make the subject of its verb ("cliente sumiu": the customer left the chat)."""
OWNER_BEFORE = frozenset({"do", "da", "de"})


def _owner_not_subject(words: Sequence[str], phrase: Sequence[str], at: int) -> bool:
    """Is the person a phrase starts with only the owner of the subject ("o app do cliente
    sumiu": the app is gone, not the customer from the chat)?"""
    return len(phrase) > 1 and phrase[0] in PEOPLE and at > 0 and words[at - 1] in OWNER_BEFORE


NEGATION = "nao"
NEGATION_BEFORE = 2
"""How many words before a keyword's content words its "não" may stand ("o wifi não chega":
"wifi não chega"; "não pega o wifi": "wifi não pega")."""


def _negated(words: Sequence[str], where: set[int]) -> bool:
    """Is there a "não" among or just before the words found? A keyword that denies ("internet
    não chega", "não usou") found with its "não" dropped (a stop word) says the opposite: "quer
    saber se chega internet lá" asks whether the service reaches a place, not about the wifi
    that does not reach a room."""
    first, last = min(where), max(where)
    return NEGATION in words[max(0, first - NEGATION_BEFORE) : last + 1]


@derived
def _phrase_stems(kb: KB) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Each phrase of the lexicon (same index): the stems of all its words, of its content
    words. A phrase matches in some form only where all of one or the other are said."""
    return tuple((frozenset(p[1]), frozenset(p[3])) for p in _lexicon(kb).phrases)


JOINERS = frozenset({"e", "ou"})
_LINKS = frozenset({"o", "a", "os", "as", "do", "da", "dos", "das", "de", "no", "na"})


def joined_topics(
    words: Sequence[str], positions: Mapping[str, set[int]]
) -> tuple[str, str] | None:
    """Two topics whose keywords stand on either side of "e"/"ou" ("o link do sistema e da
    central", "dns ou bloqueio"): both are asked, in that order."""
    owner = {i: t for t, where in positions.items() for i in where}
    for i, word in enumerate(words):
        if word not in JOINERS or i == 0:
            continue
        left = owner.get(i - 1)
        j = i + 1
        while j < len(words) and words[j] in _LINKS:
            j += 1
        right = owner.get(j)
        if left and right and left != right:
            return left, right
    return None


def passage_scores(hits: Sequence[Hit]) -> dict[str, float]:
    """Topic id -> the coverage of its best passage."""
    best: dict[str, float] = {}
    for hit in hits:
        topic_id = hit.passage.topic_id
        best[topic_id] = max(best.get(topic_id, 0.0), hit.coverage)
    return best


def rank_topics(
    kb: KB,
    keywords: Mapping[str, float],
    passages: Mapping[str, float],
) -> list[TopicScore]:
    ranked: list[TopicScore] = []
    order = _catalogue_order(kb)
    # Only the topics with evidence, in the catalogue's order (ties keep it), not every topic.
    for index in sorted(order[t] for t in {*keywords, *passages} if t in order):
        topic = kb.catalogue.topics[index]
        k, p = keywords.get(topic.id, 0.0), passages.get(topic.id, 0.0)
        if k or p:
            ranked.append(TopicScore(topic, k + PASSAGE_WEIGHT * p, k, p))
    ranked.sort(key=lambda t: (-t.score, -t.keywords))
    return ranked


@derived
def _catalogue_order(kb: KB) -> dict[str, int]:
    """Topic id -> its place in the catalogue."""
    return {topic.id: i for i, topic in enumerate(kb.catalogue.topics)}


_CIRCUMSTANCE = re.compile(
    r"\b(fora|apos|depois|antes|dentro) (d[oea]s?|o|a) (horario|expediente)s?\b"
)
"""When something happens, not what is asked: "quer contratar fora do horário" asks about
hiring (whose rule says what to do outside the hours), not about the coverage hours."""


def without_circumstances(words: Sequence[str]) -> list[str]:
    """The words with those of a circumstance ("fora do horário"; a moment stated or the day
    of the hours asked: ``bot.reading.moment.circumstances``) blanked for the keywords (the
    answer texts, which write the rules for "fora do horário", still see them)."""
    out = list(words)
    for i in moment.circumstances(words):
        out[i] = ""
    said = " ".join(words)
    if "horario" not in said and "expediente" not in said:
        return out
    return _blanked(out, said, _CIRCUMSTANCE)


def _blanked(out: list[str], said: str, pattern: re.Pattern[str]) -> list[str]:
    """``out`` with the words of each match of ``pattern`` in ``said`` (the words joined by
    single spaces) blanked."""
    for match in pattern.finditer(said):
        first = said[: match.start()].count(" ")
        for i in range(first, first + match.group(0).count(" ") + 1):
            out[i] = ""
    return out


_CHANNEL = re.compile(
    r"\b(no|pelo|por|via|na|pela) "
    r"(whatsapp|telefone|chat|email|e mail|ligacao|instagram|facebook)\b"
)
"""How something is sent or asked, not what: "pedindo o boleto no zap" asks about the invoice.
Blanked only when other words still name a topic ("tem atendimento pelo whatsapp?" is about
the contacts)."""


def without_channels(words: Sequence[str]) -> list[str]:
    """The words with a channel ("no zap", "pelo telefone") blanked."""
    return _blanked(list(words), " ".join(words), _CHANNEL)


REFUSALS = re.compile(
    r"\b(nao|nem) (quero|quer|queria|querem|pretendo|pretende|desejo|deseja) (\w+)"
)
""""não quero cancelar", "nem pretende mudar": what the customer does not want is not asked."""


def without_refusals(words: Sequence[str]) -> list[str]:
    """The words with the verb of a refusal ("não quero cancelar") blanked for the keywords
    (the answer texts still see it)."""
    out = list(words)
    if "nao" not in out and "nem" not in out:
        return out
    said = " ".join(words)
    for match in REFUSALS.finditer(said):
        at = said[: match.start(3)].count(" ")
        if out[at] not in STOPWORDS:
            out[at] = ""
    return out


CREDENTIAL_WORDS = frozenset(
    "senha senhas usuario usuarios login logins logar credencial credenciais".split()  # noqa: SIM905
)
"""Words that ask for a login and say nothing of what it opens."""


@derived
def credential_topics(kb: KB) -> tuple[str, ...]:
    """Topics other than the equipment passwords whose answers hold logins: marked secret in
    the catalogue, or with a keyword asking for one ("login da tv", "senha da central")."""
    return tuple(
        t.id
        for t in kb.catalogue.topics
        if t.id != PASSWORDS
        and (t.secret or any(set(normalize(k).split()) & CREDENTIAL_WORDS for k in t.keywords))
    )


EQUIPMENT_WORDS = frozenset(
    "roteador roteadores onu onus ont modem equipamento equipamentos".split()  # noqa: SIM905
)
"""A login asked beside these is the equipment's: "nenhuma senha entra no roteador"."""


REPEATERS_TOPIC = "repetidor"
"""The wifi's reach in the home (repeaters, mesh): not UPCALL's coverage (core's COVERAGE_TOPIC)."""
DEVICES = REPEATERS_TOPIC
"""The customer's other devices on the wifi (repeaters, mesh, cameras, alarms): a password asked
beside one ("o técnico do alarme pediu a senha do wifi") is asked for it -- whether the ISP
gives the wifi's data to who installs them --, not the routers' default passwords."""


def _credentials_of_what_is_named(
    kb: KB, keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """A login asked for ("usuário e senha", "senha") with no equipment word, beside what it
    opens (the TV app, the central, a system): that topic's login, not the routers' default
    passwords. The topic named takes the equipment topic's place (its evidence, if more)."""
    where = positions.get(PASSWORDS, set())
    if not where or any(words[i] not in CREDENTIAL_WORDS | STOPWORDS for i in where):
        return
    if EQUIPMENT_WORDS.intersection(words):
        return
    named = [t for t in (*credential_topics(kb), DEVICES) if keywords.get(t, 0.0) > 0]
    if named:
        owner = max(named, key=lambda t: keywords[t])
        keywords[owner] = max(keywords[owner], keywords.pop(PASSWORDS))


def _access_beside_what_is_asked(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """The equipment topic found only by the way in ("acessar o roteador", "acesso remoto"), no
    credential word, beside another topic's own keyword ("qual porta uso pra acessar o
    roteador?", "acessar o roteador pra trocar o dns"): the way in is what the question is
    about, the other keyword (with a word of its own) what it asks, and takes the equipment
    topic's place (its evidence, if more)."""
    where = positions.get(PASSWORDS, set())
    if not where or any(words[i] in CREDENTIAL_WORDS for i in where):
        return
    beside = [
        t
        for t, at in positions.items()
        if t != PASSWORDS and at - where and keywords.get(t, 0.0) >= EXACT
    ]
    if beside:
        owner = max(beside, key=lambda t: keywords[t])
        keywords[owner] = max(keywords[owner], keywords.pop(PASSWORDS))


ASKS_ACCESS = CREDENTIAL_WORDS | frozenset(
    "acesso acessos acessar acessa acessam acessando entrar entra password admin".split()  # noqa: SIM905
)
"""Words asking for a way in: a login, a password, access."""


def _model_words(provider: Provider) -> frozenset[str]:
    """The words of the ISP's equipment models and their aliases ("nokia", "1425g"), not the
    kind of device ("roteador", "onu")."""
    out: set[str] = set()
    for item in provider.equipment:
        for name in (item.model, *item.aliases):
            out.update(normalize(name).split())
    return frozenset(w for w in out if len(w) >= 3 and w not in STOPWORDS | EQUIPMENT_WORDS)


def credentials_unasked(
    kb: KB,
    providers: Sequence[Provider],
    keywords: Mapping[str, float],
    words: Sequence[str],
    equipment: bool,
) -> frozenset[str]:
    """The topics whose answers carry credentials (secret in the catalogue or for the ISP
    named) that nothing in the question asks for: no keyword of theirs, no word asking for a
    login or access, no equipment model named. Their texts holding the question's words
    ("o cliente resetou o roteador": the passwords' rule "informar só em caso de reset") is no
    evidence: a credential answer is only given when a credential is asked."""
    if equipment or ASKS_ACCESS.intersection(words):
        return frozenset()
    index = _credential_index(kb)
    if any(index.model_words[p.id].intersection(words) for p in providers):
        return frozenset()  # "porta do <brand>": the model's row of the table
    secret = set(index.catalogue)
    for provider in providers:
        secret |= index.secret[provider.id]
    return frozenset(t for t in secret if not keywords.get(t, 0.0))


@dataclass(frozen=True)
class _Credentials:
    model_words: Mapping[str, frozenset[str]]
    """Per ISP: :func:`_model_words`."""
    catalogue: frozenset[str]
    """The topics secret in the catalogue."""
    secret: Mapping[str, frozenset[str]]
    """Per ISP: the topics whose answers carry credentials."""


@derived
def _credential_index(kb: KB) -> _Credentials:
    """What :func:`credentials_unasked` reads of each ISP, once per KB (not per question)."""
    return _Credentials(
        model_words={pid: _model_words(p) for pid, p in kb.providers.items()},
        catalogue=frozenset(t.id for t in kb.catalogue.topics if t.secret),
        secret={
            pid: frozenset(t for t in p.topics if kb.is_secret(p, t))
            for pid, p in kb.providers.items()
        },
    )


ADDRESS_WORDS = frozenset(["endereco", "enderecos"])
"""The word that names the moving topic by its command ("/endereco") and asks where a place is."""


MOVE_HINTS = frozenset(
    """
    novo nova outro outra mudar mudou muda mudando mudanca trocar trocou troca alterar alterou
    levar levou transferir cliente cadastro cadastral instalacao
    """.split()  # noqa: SIM905
)
"""Words beside the address word that make it the customer's (moving, the registration)."""


def _address_of_the_isp(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """The moving topic found by the address word alone ("endereço da <ISP>", "endereço em
    <city>"), no word of moving: the ISP's address (its store, its office), which the contacts
    give, is asked. The contacts take the moving topic's place (its evidence, if more)."""
    where = positions.get(MOVE_TOPIC, set())
    if not where or any(words[i] not in ADDRESS_WORDS | STOPWORDS for i in where):
        return
    if MOVE_HINTS.intersection(words):
        return  # "endereço novo do cliente": where the customer moves
    moved = keywords.pop(MOVE_TOPIC)
    keywords[PLACE_HOURS_TOPIC] = max(keywords.get(PLACE_HOURS_TOPIC, 0.0), moved)


UNBLOCK = "desbloqueio"
"""Unblocking: what an agent asks when the customer is blocked or late."""
ACTIONS = (UNBLOCK, "comprovante")
"""What is asked for a blocked or late customer: unblocking, a payment's receipt."""
STATES = {
    "bloqueio": frozenset(
        """
        bloqueado bloqueada bloqueados bloqueadas atraso atrasos atrasado atrasada atrasados
        atrasadas atrasou dias dia reduzida reduzido velocidade cortado cortada cortou
        cortaram internet net falta pagamento inadimplente inadimplencia
        """.split()  # noqa: SIM905
    ),
    "pagamento": frozenset("pagou pagar paga pago pagando pagamento".split()),  # noqa: SIM905
    "fatura": frozenset(
        """
        fatura faturas boleto boletos vencida vencidas vencido vencidos atrasada atrasadas
        atrasado atrasados aberto aberta abertos abertas atraso
        """.split()  # noqa: SIM905
    ),
    "financeiro": frozenset("vencida vencidas vencido vencidos atraso devendo".split()),  # noqa: SIM905
}
"""Words that describe the customer's state (blocked, late, unpaid): said beside an unblocking
keyword, the state is why the agent asks, the unblocking what is asked."""


def _unblock_asked(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """The customer's state described ("com 40 dias de atraso", "ainda não pagou", "velocidade
    reduzida", "internet cortada") beside what is asked of it ("libero?", "pode desbloquear?",
    "quer religar", "mandou o comprovante"): the unblocking (or the receipt) leads. The state's
    topic keeps its evidence (it may still be shown beside), the action adds it to its own. A
    state's topic with a word of its own ("com quantos dias bloqueia", "pix") is asked too: left
    as it is."""
    for action in ACTIONS:
        if keywords.get(action, 0.0) <= 0.0:
            continue
        mine = positions.get(action, set())
        for rival, states in STATES.items():
            where = positions.get(rival, set()) - mine
            if not where or rival in ACTIONS or rival not in keywords:
                continue
            if all(words[i] in states or words[i] in STOPWORDS for i in where):
                keywords[action] += keywords[rival]


PROOF = "comprovante"
"""The receipt of a payment: what to do with one the customer sends."""
PICTURES = frozenset(
    """
    foto fotos print prints imagem imagens captura screenshot
    """.split()  # noqa: SIM905
)
"""What the customer sends to show something ("mandou foto do pix", "segue o print")."""
PAID_THINGS = frozenset(
    """
    pix pagamento pagamentos pago paga pagos agendamento agendado transferencia deposito ted doc
    boleto boletos fatura faturas
    """.split()  # noqa: SIM905
)
"""What a picture sent shows when it proves a payment."""
PICTURE_REACH = 4
"""How far after the picture word the paid thing may stand ("foto do agendamento do banco")."""
SENT = frozenset(
    """
    mandou mandaram mandei enviou enviaram enviei anexou anexaram anexei encaminhou
    encaminharam segue seguem mostrou mostrando mandando enviando
    """.split()  # noqa: SIM905
)
"""A picture said sent (not one the customer wants to send: "quer o whats pra mandar foto")."""
SENT_REACH = 3


def proof_shown(words: Sequence[str]) -> set[int]:
    """Where the question says the customer sent a picture of a payment ("mandou foto do pix
    pago", "segue o print do agendamento"): the picture's words and the payment's. That picture
    is a receipt, whatever it is called. Empty: no such picture, or one only wanted sent
    ("quer o whats pra mandar foto do boleto": where to send it)."""
    for i, w in enumerate(words):
        if w not in PICTURES or not SENT.intersection(words[max(0, i - SENT_REACH) : i]):
            continue
        shown = list(range(i + 1, min(len(words), i + 1 + PICTURE_REACH)))
        paid = [j for j in shown if words[j] in PAID_THINGS]
        if paid:
            return {i, *range(i + 1, paid[-1] + 1)}
    return set()


PAID = frozenset("pagou paguei pagaram pagamos".split())  # noqa: SIM905
"""A payment said made ("pagou", "paguei"; "pago" and "paga" are also the present)."""
MADE = frozenset("fez fiz efetuou efetuei realizou realizei".split())  # noqa: SIM905
STILL = frozenset("continua continuam segue seguem permanece ainda".split())  # noqa: SIM905
CUT = frozenset(
    """
    bloqueado bloqueada bloqueio cortado cortada reduzido reduzida lento lenta sem
    """.split()  # noqa: SIM905
)
STILL_REACH = 3
NOT_BACK = re.compile(
    r"\bnao (liberou|liberado|liberada|voltou|volta|desbloqueou|desbloqueado|desbloqueada"
    r"|compensou|caiu|baixou|deu baixa|constou|consta|aparece|apareceu|reconheceu)\b"
)
"""A payment made and its effect not seen: the service still cut, the system not showing it."""


def _payment_made(words: Sequence[str]) -> int | None:
    """Where a payment is said made ("pagou", "fez o pagamento"), not denied ("não pagou")."""
    for i, w in enumerate(words):
        before = words[max(0, i - NEGATION_BEFORE) : i]
        made = w in PAID or (w.startswith("pagamento") and bool(MADE.intersection(before)))
        if made and NEGATION not in before:
            return i
    return None


def paid_not_seen(words: Sequence[str]) -> bool:
    """Does the question say the customer paid and is still blocked, or the payment is not seen
    ("pagou o boleto e continua bloqueado", "já pagou e não liberou")? The receipt's rule (sent
    to the financial sector, the automatic write-off) is what is asked."""
    at = _payment_made(words)
    if at is None:
        return False
    after = words[at + 1 :]
    if any(
        w in STILL and CUT.intersection(after[j + 1 : j + 1 + STILL_REACH])
        for j, w in enumerate(after)
    ):
        return True
    return bool(NOT_BACK.search(" ".join(after)))


MONTH_WORDS = frozenset({"mes", "meses"})
LEFT_BEHIND = frozenset(
    """
    esqueceu esqueci esqueceram esquecido esquecida deixou deixei deixaram aberto aberta
    abertos abertas atrasado atrasada vencido vencida pendente pendentes tras
    """.split()  # noqa: SIM905
)
"""What says one month was left unpaid ("esqueceu março", "deixou o 2 aberto", "ficou pra
trás", "a de fevereiro continuava em aberto")."""
WRONG_ORDER = ("pagamento", "invertido")
"""The catalogue's keyword that names the case (`knowledge/topics.yaml`, Pagamento): a later
month paid, an earlier one left open. The question that tells it is read as if it named it."""


def _months_named(words: Sequence[str]) -> set[int]:
    """The months a question names: "março", "abril", "mês 3", "mês de março", "o do mês 03";
    after one "mês N", a bare "o 2" beside it ("pagou o mês 3 e deixou o 2 aberto")."""
    found: set[int] = set()
    said_month = False
    for i, w in enumerate(words):
        if w in moment.MONTHS:
            found.add(moment.MONTHS[w])
        elif w.isdigit() and 1 <= int(w) <= 12 and i > 0:
            before = words[i - 1]
            if before in MONTH_WORDS or (said_month and before in {"o", "a", "do", "da"}):
                found.add(int(w))
                said_month = said_month or before in MONTH_WORDS
    return found


def paid_out_of_order(words: Sequence[str]) -> bool:
    """Does the question tell a payment of one month made and another month left unpaid
    ("pagou abril e esqueceu março", "paguei o do mês 3, o do mês 2 ficou pra trás")? That
    is the case the catalogue calls "pagamento invertido", whatever words tell it: the one
    rule an ISP writes for it (LaserNet: no inversion, a longer release) is what is asked --
    not the receipt's rule that "pagou e continua bloqueado" alone asks."""
    if PAID.isdisjoint(words) or _payment_made(words) is None:
        return False
    unpaid = any(
        w in PAID and NEGATION in words[max(0, i - NEGATION_BEFORE) : i]
        for i, w in enumerate(words)
    )  # "a de fevereiro eu achei que já tinha pago e não paguei"
    if not (unpaid or LEFT_BEHIND.intersection(words)):
        return False
    return len(_months_named(words)) >= 2


def _proof_asked(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> str | None:
    """A picture of a payment sent ("mandou foto do pix pago"), or a payment made whose effect
    is not seen ("pagou e continua bloqueado"): the receipt's rule leads, as "mandou o
    comprovante" would. The picture's own words ("pix", "agendamento") describe the receipt:
    a topic they alone point to is not what is asked."""
    if keywords.get(PROOF, 0.0) > 0.0 and keywords[PROOF] >= max(keywords.values()):
        return None
    shown = proof_shown(words)
    if not (shown or paid_not_seen(words)):
        return None
    for topic_id in [t for t, at in positions.items() if at and at <= shown and t != PROOF]:
        keywords.pop(topic_id, None)
    keywords[PROOF] = max(keywords.values(), default=0.0) + EXACT
    return PROOF


NEEDS = frozenset(
    "precisa precisam precisando preciso necessita necessitam urgente urgencia".split()  # noqa: SIM905
)
"""The customer's need of the connection ("precisa da internet pra trabalhar")."""
UNPAID = ("bloqueio", "pagamento", "fatura", "financeiro")
"""Topics whose state words say the customer has not paid or is cut."""


def _need_while_unpaid(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """A customer who has not paid, is late or cut ("ainda não pagou", "tá bloqueado") and
    needs the connection ("precisa da internet pra trabalhar amanhã"), nothing else pointed
    to: what can be done is the trust unblocking. A payment said to be made ("pagou") is no
    unpaid state: only one denied ("não pagou", "sem pagar") counts."""
    if keywords.get(UNBLOCK, 0.0) > 0.0 or not NEEDS.intersection(words):
        return
    states = [t for t in keywords if keywords[t] > 0.0]
    if not states or any(t not in UNPAID for t in states):
        return
    for topic_id in states:
        where = positions.get(topic_id, set())
        if not where or any(words[i] not in STATES[topic_id] | STOPWORDS for i in where):
            return
        if topic_id == "pagamento" and not any(
            words[max(0, i - NEGATION_BEFORE) : i].count(NEGATION) or (i and words[i - 1] == "sem")
            for i in where
        ):
            return
    keywords[UNBLOCK] = sum(keywords[t] for t in states) + EXACT


BLOCKING = "bloqueio"
"""The days late that block or slow the connection (and how they are counted)."""
DAYS = frozenset(["dias"])
"""Days counted ("dia 25" is a date)."""
OVERDUE = ("fatura", "financeiro")
"""Topics whose state words ("3 boletos vencidos", "faturas atrasadas") say what is late."""
LATE = frozenset(
    """
    vencida vencidas vencido vencidos atrasada atrasadas atrasado atrasados atraso atrasos
    devendo
    """.split()  # noqa: SIM905
)
"""What says an invoice is overdue (not only named: "quantos dias o boleto chega antes?")."""
BILLS = frozenset("boleto boletos fatura faturas conta contas mensalidade mensalidades".split())  # noqa: SIM905
"""What is paid each month: "um boleto com 40 dias" is one 40 days late."""


def said_late(words: Sequence[str]) -> bool:
    """Does the question say an invoice is overdue or left unpaid ("vencidas", "em aberto",
    "um boleto com 40 dias")?"""
    if LATE.intersection(words):
        return True
    return any(left_unpaid(words, i) or _bill_aged(words, i) for i in range(len(words)))


def _bill_aged(words: Sequence[str], i: int) -> bool:
    """Is the word at ``i`` a bill said to be some days old ("boleto com 20 dias")?"""
    return (
        words[i] in BILLS
        and words[i + 1 : i + 2] == ["com"]
        and len(words) > i + 3
        and words[i + 2].isdigit()
        and words[i + 3] in DAYS
    )


DUE_WORDS = frozenset("venceu vence vencimento vencido vencida venc".split())  # noqa: SIM905
"""The due date said ("venceu dia 10", "vencimento dia 5")."""
PAST_DUE = frozenset("venceu vencido vencida".split())  # noqa: SIM905
TODAY_WORDS = frozenset(["hoje"])
DAY_REACH = 3
"""How far after the due word or "hoje" its day of the month may stand ("venceu no dia 10")."""
MONTH_DAYS = 31


def _day_after(words: Sequence[str], at: int) -> int | None:
    """The day of the month stated within DAY_REACH words after ``at`` ("dia 10", "é 14")."""
    for w in words[at + 1 : at + 1 + DAY_REACH]:
        if w.isdigit():
            day = int(w)
            return day if 1 <= day <= MONTH_DAYS else None
    return None


def days_since_due(words: Sequence[str]) -> int | None:
    """Days late told as two days of the month ("venceu dia 10, hoje é 14": 4; "vencimento dia
    25, hoje dia 3": 8, the next month), or None when the question does not say both."""
    due = next(
        (d for i, w in enumerate(words) if w in DUE_WORDS and (d := _day_after(words, i))),
        None,
    )
    today = next(
        (d for i, w in enumerate(words) if w in TODAY_WORDS and (d := _day_after(words, i))),
        None,
    )
    if due is None or today is None or due == today:
        return None
    if today > due:
        return today - due
    # Today before the due day: last month's bill -- only when said to be past ("venceu dia 25,
    # hoje é 3"); "vence dia 10, hoje é 8" is a bill not yet due.
    return today + 30 - due if PAST_DUE.intersection(words) else None


LATE_STATES = ("bloqueio", "pagamento", "fatura", "financeiro")
"""Topics a question telling how late the customer is may point to by its words (the due
date's, the bill's, the payment's) while what it asks is the blocking rule."""


def _days_late_told(keywords: dict[str, float], words: Sequence[str]) -> str | None:
    """The days late told by the due date and today ("venceu dia 10, hoje é 14, já cortou?",
    "vencimento dia 5, hoje dia 13, tá lento") with nothing else asked: the days late are the
    blocking rule's (with how many it blocks or slows), not the due date's own rules. Something
    else asked ("posso liberar?") keeps its topic: the days late are why it is asked."""
    if days_since_due(words) is None or any(t not in LATE_STATES for t in keywords):
        return None
    keywords[BLOCKING] = max(keywords.values(), default=0.0) + EXACT
    return BLOCKING


def _days_late_asked(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """Days counted over what is overdue ("3 boletos vencidos, somo os dias?", "faturas em
    atraso, conta os dias de qual?"), with nothing else pointed to: the days late, whose rule
    (how many block, and how they are counted) is the blocking topic's. The state's topics keep
    their evidence; the blocking topic adds it to its own."""
    counted = [i for i, w in enumerate(words) if w in DAYS]
    if not counted or any(i in at for at in positions.values() for i in counted):
        return
    if not said_late(words):
        return
    states = [t for t in keywords if keywords[t] > 0.0 and t != BLOCKING]
    if not states or any(t not in OVERDUE for t in states):
        return
    for topic_id in states:
        where = positions.get(topic_id, set())
        if not where or any(words[i] not in STATES[topic_id] | STOPWORDS for i in where):
            return
    keywords[BLOCKING] = keywords.get(BLOCKING, 0.0) + sum(keywords[t] for t in states)


MOVES = frozenset(
    """
    passar mudar mover levar tirar trocar colocar botar transferir instalar puxar
    """.split()  # noqa: SIM905
)
"""Verbs that carry something from one place to another (in any form: ``stem``)."""
MOVED = frozenset(
    "roteador roteadores onu modem aparelho equipamento ponto cabo fio antena".split()  # noqa: SIM905
)
"""What an agent says is carried: the equipment, the point, the cable."""
ROOMS = frozenset(
    """
    sala quarto quartos cozinha escritorio comodo comodos andar varanda garagem sotao corredor
    quintal fundos fundo frente lado area copa lavanderia suite
    """.split()  # noqa: SIM905
)
"""Parts of a home the equipment is carried to or from."""
TOWARDS = frozenset(["para", "pro", "pra", "ate", "no", "na", "em"])
WISHES = frozenset(["quer", "queria", "querem", "quero", "gostaria"])
MOVE_TOPIC = "mudanca"
MOVE_EVIDENCE = 4.0
"""As much as a two-word keyword ("de lugar")."""


@lru_cache(maxsize=1)
def _move_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in MOVES)


ONE_MORE = frozenset("mais outro outra segundo segunda novo nova extra".split())  # noqa: SIM905


def _one_more(words: Sequence[str], j: int) -> bool:
    """Is the device at ``j`` one more ("mais um aparelho", "outro roteador", "um segundo
    roteador"), added rather than carried: the coverage a repeater gives, not a move?"""
    before = words[max(0, j - 2) : j]
    return bool(ONE_MORE.intersection(before)) or (j + 1 < len(words) and words[j + 1] == "extra")


def adds_a_device(words: Sequence[str]) -> bool:
    """One more device wanted in a part of the home ("quer mais um aparelho pra pegar sinal lá
    no fundo", "um segundo roteador pro quarto"): the coverage a repeater or a mesh gives."""
    for j, word in enumerate(words):
        if word not in MOVED or not _one_more(words, j):
            continue
        tail = words[j + 1 : j + 9]
        if any(
            after in ROOMS and tail[k - 1] in TOWARDS | ARTICLES
            for k, after in enumerate(tail[1:], 1)
        ):
            return True
    return False


def moves_within_the_home(words: Sequence[str]) -> bool:
    """The equipment or the point ("roteador", "onu", "ponto", "cabo") going to a part of the
    home ("pro quarto", "na sala", "até o escritório") with a verb that carries it ("passar",
    "levar", "mudar", "colocar", in any form) or a wish ("quer") a few words before, or a verb
    that carries it a few words after: "passar o roteador da sala pro quarto", "quer a onu no
    escritório, a gente muda?". "O wifi não chega no quarto" is no move (nothing carried), nor
    "o roteador fica na sala" (no carrying)."""
    stems = _move_stems()

    def carries(word: str) -> bool:
        return word in WISHES or (word not in STOPWORDS and stem(word) in stems)

    for j, word in enumerate(words):
        if word not in MOVED or _one_more(words, j):
            continue
        tail = words[j + 1 : j + 8]
        room = next(
            (
                k
                for k, after in enumerate(tail[1:], 1)
                if after in ROOMS and tail[k - 1] in TOWARDS | ARTICLES
            ),
            None,
        )
        if room is None:
            continue
        before = words[max(0, j - 3) : j]
        after = words[j + 1 + room + 1 : j + 1 + room + 5]
        if any(carries(w) for w in before) or any(w not in WISHES and carries(w) for w in after):
            return True
    return False


REACH_FAILS = frozenset("chega pega alcanca funciona".split())  # noqa: SIM905
"""After "não": the wifi does not reach ("não chega no quarto", "não pega na cozinha")."""
WEAK = frozenset("fraco fraca ruim fracos fracas".split())  # noqa: SIM905


CABLES = frozenset("cabo cabos fio fios cabeamento".split())  # noqa: SIM905
DEVICES_CABLED = frozenset(
    """
    tv tvs televisao televisor smart videogame videogames console computador computadores pc
    notebook impressora
    """.split()  # noqa: SIM905
)
"""Where a cable is taken to: the customer's devices."""


def _give_way(
    keywords: dict[str, float],
    positions: Mapping[str, set[int]],
    span: set[int],
    topic_id: str,
) -> None:
    """The topics found only by the words of ``span`` give way to ``topic_id`` (a situation
    those words tell: a cable to a device, a room wanted)."""
    for other, where in list(positions.items()):
        if where and where <= span:
            keywords.pop(other, None)
    keywords[topic_id] = max(keywords.get(topic_id, 0.0), MOVE_EVIDENCE)


def _cable_to_a_device(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> bool:
    """A cable taken to a device ("puxar cabo até a smart tv", "passar fio pro computador"):
    the cabling of a point (the move's topic, "Não fazem cabeamento para outros
    equipamentos"), not the TV: a topic found only by the device's words gives way."""
    for j, word in enumerate(words):
        if word not in CABLES:
            continue
        for k in range(j + 1, min(len(words), j + 5)):
            if words[k] in DEVICES_CABLED and words[k - 1] in TOWARDS | ARTICLES | {"smart"}:
                if words[k - 1] == "smart" and words[k - 2] not in TOWARDS | ARTICLES:
                    continue
                device = set(range(k - 1, min(len(words), k + 2)))
                _give_way(keywords, positions, device, MOVE_TOPIC)
                return True
    return False


def misses_part_of_the_home(words: Sequence[str]) -> bool:
    """The wifi not reaching a part of the home -- "não chega/pega/alcança/funciona" or "fraco,
    ruim" followed by one ("no quarto", "lá no fundo", "na cozinha") --: the coverage a
    repeater or a mesh gives, the topic of repeaters. "Sinal fraco na ONU" names no room."""
    for i, word in enumerate(words):
        failed = word in WEAK or (word in REACH_FAILS and i > 0 and words[i - 1] == "nao")
        if not failed:
            continue
        tail = words[i + 1 : i + 5]
        for k, after in enumerate(tail[1:], 1):
            if after in ROOMS and tail[k - 1] in TOWARDS | ARTICLES:
                return True
    return False


CONNECTION = frozenset("internet net wifi sinal rede".split())  # noqa: SIM905
"""What a customer wants in a part of the home."""


def _wanted_in_a_room(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> bool:
    """The connection wanted in a part of the home ("quer internet também no quarto dos
    fundos", "queria wifi lá na cozinha"): the coverage there (a repeater, a point), not a new
    contract -- a topic found only by the wish's words ("quer internet": hiring) gives way to
    the repeaters' topic."""
    for i, word in enumerate(words):
        if word not in WISHES:
            continue
        wanted = [j for j in range(i + 1, min(len(words), i + 4)) if words[j] in CONNECTION]
        if not wanted:
            continue
        tail = words[wanted[0] + 1 : wanted[0] + 6]
        if not any(
            after in ROOMS and tail[k - 1] in TOWARDS | ARTICLES
            for k, after in enumerate(tail[1:], 1)  # the room's own word before it
        ):
            continue
        _give_way(keywords, positions, set(range(i, wanted[0] + 1)), REPEATERS_TOPIC)
        return True
    return False


OUTBUILDINGS = frozenset(
    """
    edicula ediculas barracao galpao anexo kitnet kitinete quitinete chale casinha
    """.split()  # noqa: SIM905
)
"""A separate building on the customer's plot: a connection wanted there is a new point (the
moving topic: "instalação de novo ponto"), which a repeater inside the house does not reach."""


def wanted_in_an_outbuilding(words: Sequence[str]) -> bool:
    """The connection wanted in a separate building of the plot ("quer internet também na
    edícula", "levar o wifi pro barracão do fundo"): a new point."""
    for i, word in enumerate(words):
        if word not in OUTBUILDINGS or i == 0 or words[i - 1] not in TOWARDS | ARTICLES:
            continue
        before = words[max(0, i - 6) : i]
        if CONNECTION.intersection(before) or any(
            w not in STOPWORDS and stem(w) in _move_stems() for w in before
        ):
            return True
    return False


HOMES = frozenset(
    """
    rua bairro cidade casa apartamento apto ap predio condominio endereco sitio chacara
    estado vila residencia
    """.split()  # noqa: SIM905
)
"""Where a customer lives: moving to another one is moving house."""
_MOVES_HOUSE = re.compile(
    r"\b(mudar|muda|mudando|mudou|mudei|mudaram|mude|mudara|mudaria|mudarei)"
    r"( de| pra| para| pro| pra a| pra o| para a| para o)"
    r"( a| o| uma| um| outra| outro| nova| novo| casa| ap| apartamento| apto| endereco)*"
    r" (?P<home>\w+)\b"
)


def moves_house(words: Sequence[str]) -> bool:
    """The customer moving to another home -- a form of "mudar" followed by "pra", "para",
    "de" and a street, neighbourhood, town or home ("vai mudar pra rua de trás", "mudou pro
    bairro novo", "vai mudar de cidade"): the change of address, the moving topic. Not what
    else changes ("mudar de plano", "mudar a senha": no home after it)."""
    if not any(w.startswith("mud") for w in words):
        return False
    return any(m.group("home") in HOMES for m in _MOVES_HOUSE.finditer(" ".join(words)))


CANCEL_TOPIC = "cancelamento"
_LEAVES_FOR_ANOTHER = re.compile(
    r"\b(ir|vai|vou|vao|indo|foi|quer|mudar|muda|mudando|trocar|troca|trocando|passar|passando"
    r"|migrar|migrando)( embora)?( para| pra| pro| de)( a| o| uma| um)?"
    r" ((outra|outro) (empresa|provedor|provedora|operadora|internet)|concorrente|concorrencia)\b"
)
"""Going over to another company ("vai pra outra empresa", "vai embora pra outra operadora",
"vai pra concorrente"; "quer mudar de operadora" is the keywords' "trocar de provedor"): the
customer leaving."""


def leaves_for_another(words: Sequence[str]) -> bool:
    """Does the customer say they are going over to another company ("cansou e vai pra outra
    empresa", "vou trocar pra outro provedor")? Only with a verb that goes: "cliente de outra
    empresa quer contratar" comes from one."""
    return _LEAVES_FOR_ANOTHER.search(" ".join(words)) is not None


GUIDANCE_TOPIC = "orientacoes"
_WORDING_ASKED = re.compile(
    r"\b(posso|pode|podemos|devo|deve|devemos|como) (eu )?(dizer|falar|informar|usar|chamar"
    r"|explicar|escrever|falo|digo|explico|escrevo|chamo)\b"
)
_TO_THE_CUSTOMER = re.compile(r"\b(pro|pra|para o|para a|ao|a|o) (cliente|assinante|titular)\b")


def wording_asked(words: Sequence[str]) -> bool:
    """How to put something to the customer ("posso dizer pro cliente que abri uma OS?", "como
    eu falo pro cliente...?"): the ISP's general guidance, which says what to say and what not
    ("Não usar 'abrir ordem de serviço', mas sim 'transferir ao setor responsável'"). Asked
    only where no keyword points anywhere."""
    said = " ".join(words)
    return bool(_WORDING_ASKED.search(said) and _TO_THE_CUSTOMER.search(said))


_QUOTED = re.compile(r"(?<!\w)[\"“][^\W\d_][^\"“”\n]{2,}[\"”]")
"""A phrase quoted in an answer ("Não usar \"abrir ordem de serviço\", mas sim ..."): the
quote opens after no letter or figure and a word follows it -- not the inch marks of "TV 32\" e
43\"" (" e 43" between them is no phrase quoted)."""


def prescribes_wording(provider: Provider) -> bool:
    """Does the ISP's guidance quote the words to use or avoid with the customer?"""
    entry = provider.topics.get(GUIDANCE_TOPIC)
    return entry is not None and _QUOTED.search(entry.text) is not None


PLACES_TOPIC = "cidades"
"""The cities and neighbourhoods an ISP serves (not UPCALL's coverage hours)."""
_SERVICE_REACHES = re.compile(
    r"\b(tem|chega|pega|existe|passa|atende|atendem|alcanca)( a| o)?"
    r" (internet|fibra|cobertura|rede|net|sinal)\b(?P<tail>( \w+){0,2})"
)
"""The service reaching somewhere: "chega internet lá?", "tem fibra no sítio?"."""
THERE = frozenset("la ali ai aqui onde em no na nos nas pra para ate num numa".split())  # noqa: SIM905
"""What a service reaching a place is followed by ("lá", "no sítio", "onde ele mora")."""
DWELLINGS = frozenset(
    """
    sitio sitios fazenda fazendas chacara chacaras roca interior povoado distrito vila vilas
    comunidade condominio loteamento assentamento rural zona
    """.split()  # noqa: SIM905
)
"""Where a customer lives that a city's coverage says whether it reaches."""
_WHERE_SERVED = re.compile(
    r"^(em )?onde (a |o )?(ela |ele |eles |voces )?(atende|atendem|atua|atuam|funciona|chega)"
    r"( hoje| agora)?$"
)
"""Where the ISP serves, asked with nothing else ("onde a <ISP> atende?", the name taken
out; "em onde eles atuam?"): the cities it serves."""


def asks_if_served(words: Sequence[str]) -> bool:
    """Is it asked whether the service reaches a place -- "quer saber se chega internet lá",
    "tem fibra no sítio dele?", "tem internet na <ISP>?" (the question ends there) --, no
    "não" before (a failure: "não chega internet no quarto"), no part of the home after ("tem
    internet na sala mas..."): the cities and neighbourhoods served."""
    said = " ".join(words)
    if _WHERE_SERVED.search(said):
        return True
    for match in _SERVICE_REACHES.finditer(said):
        first = said[: match.start()].count(" ")
        if NEGATION in words[max(0, first - NEGATION_BEFORE) : first]:
            continue
        tail = match.group("tail").split()
        if not tail:
            return True  # the question ends there
        if tail[0] not in THERE or any(w in ROOMS for w in tail) or "casa" in tail:
            continue
        at_end = match.end() == len(said) and len(tail) == 1
        if at_end or tail[0] in {"la", "ali", "ai", "onde"} or DWELLINGS.intersection(words):
            return True
    return False


FINANCE = "financeiro"
"""The financial sector's own rules: what is transferred to it, what is opened for it."""
MONEY_TOPICS = frozenset({"pagamento", "comprovante", "bloqueio", "desbloqueio"})
"""Matters the financial sector handles (not sending an invoice: the agent sends it)."""
INVOICE = "fatura"
MONEY_MATTERS = MONEY_TOPICS | {FINANCE, INVOICE}
"""The financial topics, whose short texts quote each other's rules (a receipt's rule in the
unblocking text, the pre-paid billing in the invoice's and the sector's)."""
_ROUTING = re.compile(
    r"\b(mando|mandar|manda|mande|envio|enviar|encaminho|encaminhar|jogo|passo|sinalizo"
    r"|sinalizar|coloco|informo|aviso) (\w+ ){0,6}"
    r"(no|pro|pra|para o|ao|pelo) grupo\b"
)
"""Where a case goes: "mando no grupo (ou abro ocorrência)?", "mando o caso de <matter> no
grupo?" -- the ISP's group, where its
staff take what the agent cannot settle. Not "abro OS?" alone (the matter's own rule says
whether one is opened: "Não é necessário abrir O.S." of a receipt), not "transfiro?" (the
matter's rule with the sector's state now, the clock's line)."""


def routing_asked(words: Sequence[str]) -> bool:
    """Is it asked whether the case goes to the ISP's group?"""
    return bool(_ROUTING.search(" ".join(words)))


def _with_the_sector(
    providers: Sequence[Provider], keywords: dict[str, float], words: Sequence[str]
) -> tuple[str, str] | None:
    """A financial matter ("pagamento invertido", "pagou o mês errado") and where it goes
    ("mando no grupo ou abro ocorrência?"): the financial sector's rules (what is transferred
    to it, what is opened for it: where it goes, what is asked) and the matter's own rule, as
    two sections -- the ISP's document writes the routing under one or the other."""
    if len(providers) != 1 or FINANCE not in providers[0].topics or not routing_asked(words):
        return None
    # The matter is what the keywords favour, the invoice aside ("pagou o boleto duas vezes":
    # the payment); a technician or a visit as strong is another matter (the escalation's).
    rivals = {t: k for t, k in keywords.items() if t != INVOICE and k > 0.0}
    best = max(rivals.values(), default=0.0)
    leaders = [t for t, k in rivals.items() if k == best]
    if not leaders or any(t not in MONEY_TOPICS for t in leaders):
        return None
    matter = leaders[0]
    keywords[FINANCE] = max(keywords.get(FINANCE, 0.0), max(keywords.values()) + EXACT)
    return FINANCE, matter


_WHAT_TO_DO = re.compile(
    r"\b(o que|que) (faco|fazer|fazemos|faz|eu faco)\b|\b(faco|fazer|fazemos|faz) o que\b"
    r"|\be agora\b|\bcomo (faz|faco|fazer|fazemos|proceder|procedo|procede|resolvo|resolve)\b"
    r"|\bqual (e )?(o )?procedimento\b"
)
"""The agent asks what to do with a case ("o que faço?", "e agora?", "como proceder?")."""


def asks_what_to_do(text: str) -> bool:
    """Does the text ask what to do with a case ("oq faço com esse caso?", "e agora?")?"""
    return _WHAT_TO_DO.search(" ".join(_expand(normalize(text).split(), {}))) is not None


_HANDS_OVER = re.compile(
    r"\bno grupo\b|\babrir (uma )?ocorrencia\b"
    r"|\b(encaminh|transfer|envi)\w* (ao|para o|pro|pra o) (setor )?financeiro\b"
)
"""A rule that hands the case to the ISP's staff: sent to its group, an occurrence opened for
it, forwarded to the financial sector (folded text of an answer)."""


def _handed_over(
    providers: Sequence[Provider],
    keywords: Mapping[str, float],
    words: Sequence[str],
    hits: Sequence[Hit],
    case_told: bool = False,
) -> tuple[str, str] | None:
    """What to do with a financial matter ("pagou o mês errado, o que faço?") whose answer
    for the one ISP named hands the case over ("Enviar caso no grupo dentro do horário
    comercial ou abrir Ocorrência fora dele"): the matter's rule, and beside it the financial
    sector's (what goes to it, when it is transferred, what is opened for it), as two
    sections -- the agent's next step is the sector's. Not when nothing is asked to do, unless
    the question describes the one case the matter's text treats apart (``_one_rule_asked``:
    "pagou o mês 3 e deixou o 2 aberto")."""
    if len(providers) != 1 or FINANCE not in providers[0].topics:
        return None
    # The matter: the keywords' favourite with its own text's share of the question, as the
    # topics are ranked ("pagou março e deixou fevereiro aberto, tá bloqueado": the inverted
    # payment's rule holds the case; "bloqueado" is the customer's state).
    own: dict[str, float] = {}
    for hit in hits:
        if not hit.passage.note and hit.passage.provider_id == providers[0].id:
            own.setdefault(hit.passage.topic_id, hit.coverage)
    rivals = {
        t: k + PASSAGE_WEIGHT * own.get(t, 0.0)
        for t, k in keywords.items()
        if t != INVOICE and k > 0.0
    }
    best = max(rivals.values(), default=0.0)
    leaders = [t for t, k in rivals.items() if k == best]
    if len(leaders) != 1 or leaders[0] not in MONEY_TOPICS:
        return None
    matter = leaders[0]
    # The ISP's own lines that matched, best first (a supervisor's note is no rule of the ISP's).
    mine = [
        h
        for h in hits
        if h.passage.topic_id == matter
        and not h.passage.note
        and h.passage.provider_id == providers[0].id
    ]
    if not mine:
        return None
    if case_told and any(_HANDS_OVER.search(normalize(h.passage.text)) for h in mine):
        # "pagou abril e esqueceu março" (``paid_out_of_order``): the case the catalogue
        # names is told; the matter's rule that hands it over is the one asked, whatever
        # other lines of the topic the story's words (pix, boleto) reached first.
        return matter, FINANCE
    if not _HANDS_OVER.search(normalize(mine[0].passage.text)):
        return None
    if _WHAT_TO_DO.search(" ".join(words)) or _one_rule_asked(mine):
        return matter, FINANCE
    return None


ONE_RULE_MARGIN = 0.15
"""A topic's passage that holds this much more of the question than each of the topic's other
passages is the one rule asked of it (a case the topic's text treats apart)."""


def _one_rule_asked(mine: Sequence[Hit]) -> bool:
    """Of a topic of several passages, is one clearly the rule the question describes
    ("pagou o mês 3 e deixou o 2 aberto": the inverted-payment rule among the payment
    methods)? Then the case is that rule's, and the question need not ask what to do."""
    if len(mine) < 2:
        return False
    return mine[0].coverage - mine[1].coverage >= ONE_RULE_MARGIN


LATE_SAID = LATE | frozenset("atrasou atrasei atrasaram atrasando inadimplente".split())  # noqa: SIM905
"""A customer said late with a payment ("atrasou", "fatura atrasada", "em atraso")."""
BLOCKED = frozenset("bloqueado bloqueada bloqueados bloqueadas".split())  # noqa: SIM905
"""A customer said blocked: the state, like a delay, that takes the services with it."""
_STOPPED = re.compile(
    r"\b(perdeu|perderam|perdendo|parou|pararam|parado|parada|caiu|cortou|cortaram|travou"
    r"|sumiu|sumiram|saiu do ar)\b"
    r"|\b(nao|nem) (\w+ ){0,4}(abre|abriu|abrem|funciona|funcionou|funcionam|pega|pegou"
    r"|entra|entrou|carrega|carregou|liga|ligou|roda|rodou)\b"
)
"""Something that stopped working ("o app parou", "nem o app de tv abre")."""


def _late_and_stopped(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """A customer late with a payment or blocked, and something that stopped or was lost
    ("atrasou e agora nem o app de tv abre", "fatura atrasada e o app parou junto", "bloqueado,
    perdeu os canais do app"): what the delay does to the service --
    the blocking (an ISP's text says what a blocked contract loses: "perde o acesso também aos
    apps") -- not the service's own topic. Only the blocking found by the delay's words, beaten
    by topics that are no money matter (the TV, an app); not when a payment is said made
    ("pagou a atrasada e o app parou": its receipt) or a money action is asked."""
    where = positions.get(BLOCKING, set())
    if not where or any(words[i] not in LATE_SAID | BLOCKED for i in where):
        return
    if _payment_made(words) is not None or not _STOPPED.search(" ".join(words)):
        return
    if ASKS_ACCESS.intersection(words):
        return  # "perdeu a senha do app": a way in lost, not the service
    late = LATE_SAID | BILLS | STOPWORDS

    def the_delay(topic_id: str) -> bool:  # "fatura atrasada": the delay's own words
        found = positions.get(topic_id, set())
        return bool(found) and all(words[i] in late for i in found)

    rivals = [t for t, k in keywords.items() if k >= keywords[BLOCKING] and t != BLOCKING]
    rivals = [t for t in rivals if not the_delay(t)]
    if not rivals or any(t in MONEY_MATTERS for t in rivals):
        return
    keywords[BLOCKING] = max(keywords.values()) + EXACT


AGAIN = re.compile(r"\b(de novo|novamente|outra vez|mais uma vez|pela segunda vez|denovo)\b")
RELEASED = frozenset(
    """
    liberei liberou liberaram liberamos liberado liberada desbloqueei desbloqueou
    desbloquearam desbloqueamos desbloqueado desbloqueada religado religada religou
    """.split()  # noqa: SIM905
)
"""An unblocking said done already ("já liberei", "foi liberado")."""


def _released_again(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """An unblocking done already and asked for again ("já liberei semana passada, pediu de
    novo", "foi liberado faz 15 dias e tá pedindo de novo"): the trust unblocking's rule (how
    often, for how many days) is what is asked, however weakly its past form matched."""
    where = positions.get(UNBLOCK, set())
    if not where or not any(words[i] in RELEASED for i in where):
        return
    if not AGAIN.search(" ".join(words)):
        return
    keywords[UNBLOCK] = max(keywords.values()) + EXACT


SPEED_TOPIC = "velocidade"
SITES = frozenset("site sites link pagina app aplicativo".split())  # noqa: SIM905
_SPEED_SITE = re.compile(
    r"\b(site|sites|link|pagina|app|aplicativo)\b( \w+){0,6}? (teste|testar|testa|testo|testei"
    r"|medir|mede|medicao|meco)\b"
    r"|\b(teste|testar|medir)\b( \w+){0,3}? (site|link|pagina)\b"
)
"""The site a speed test is made on asked ("qual site vocês usam pra medir?", "em qual site
eu faço o teste?", "link do teste"): the catalogue's "site padrão para medir a velocidade"."""


def _speed_site_asked(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """The site of the speed test asked: the speed test's topic leads; a topic found only by
    "site" or "link" (the contacts' web site) gives way."""
    if SITES.isdisjoint(words):
        return
    match = _SPEED_SITE.search(" ".join(words))
    if match is None or keywords.get(SPEED_TOPIC, 0.0) >= max(keywords.values(), default=0.0) > 0:
        return
    sites = {i for i, w in enumerate(words) if w in SITES - {"app", "aplicativo"}}
    for other, where in list(positions.items()):
        if where and where <= sites:
            keywords.pop(other, None)
    keywords[SPEED_TOPIC] = max(keywords.values(), default=0.0) + EXACT


_CHARGE_ASKED = (
    re.compile(
        r"\b(ter|tem|tenho|teria|vai|vou|vao|precisa|preciso|precisaria) (que |de )?"
        r"(?P<verb>pagar|paga)\b"
    ),
    re.compile(r"\b(?P<verb>paga|pagar|pago|pagam) ou nao\b"),
)
"""Whether something is charged ("vou ter que pagar?", "precisa pagar?", "paga ou não?"):
not how to pay."""
HOW = frozenset("como onde forma formas metodo metodos qual quais".split())  # noqa: SIM905
PAYMENT_TOPIC = "pagamento"


def _charge_asked(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """ "Vou ter que pagar?", "precisa pagar?": whether the matter told is charged -- that
    matter's rule, not the ways to pay. The payment methods found only by that verb keep half
    their evidence (no clear topic alone: a pasted message's story then says which)."""
    where = positions.get(PAYMENT_TOPIC, set())
    if not where or HOW.intersection(words):
        return
    said = " ".join(words)
    charged = set()
    for pattern in _CHARGE_ASKED:
        for match in pattern.finditer(said):
            charged.add(said[: match.start("verb")].count(" "))
    if where <= charged:
        keywords[PAYMENT_TOPIC] = keywords.get(PAYMENT_TOPIC, 0.0) * 0.5


PURCHASED = frozenset("comprou comprei compraram compramos comprado comprada".split())  # noqa: SIM905
SET_UP = frozenset(
    """
    configurar configure configura configuram configurem configuramos configurasse
    configuracao instalar instale instala instalam instalem
    """.split()  # noqa: SIM905
)
"""Setting a device up: what the customer wants done with one bought."""
PURCHASE_REACH = 6
"""How far after the purchase the place it was bought ("na loja") may stand."""


def _bought_and_set_up(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """A device the customer bought and wants set up ("comprou um roteador na loja e quer que
    a gente configure"): the support of equipment not the ISP's -- the repeaters' topic,
    where the documents rule on it ("Não prestam suporte a equipamentos de terceiros") --, not
    the routers' passwords (no way in asked: "senha", "acesso") nor the store the device was
    bought at ("na loja": where, not what). The topics found only by the purchase's words give
    way."""
    bought = [i for i, w in enumerate(words) if w in PURCHASED]
    if not bought or not SET_UP.intersection(words) or ASKS_ACCESS.intersection(words):
        return
    span = set(range(bought[0], min(len(words), bought[0] + PURCHASE_REACH + 1)))
    if not any(where and where <= span for where in positions.values()):
        return
    _give_way(keywords, positions, span, REPEATERS_TOPIC)
    keywords[REPEATERS_TOPIC] = max(keywords.values()) + EXACT


PIRATED = frozenset("pirata piratas pirataria piratao clandestino clandestina".split())  # noqa: SIM905
PIRATE_TOPIC = "iptv"
PIRATED_REACH = 4


def _pirated_tv(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """A TV app or box said pirated ("usa aquele app de tv pirata", "tv box pirata"): the
    pirate lists' topic (IPTV), not the ISP's own TV app -- a topic found only by the words
    the pirate word qualifies gives way."""
    if PIRATED.isdisjoint(words):
        return
    for i, word in enumerate(words):
        if word not in PIRATED:
            continue
        span = set(range(max(0, i - PIRATED_REACH), i + 1))
        if any(where and where <= span for t, where in positions.items() if t != PIRATE_TOPIC):
            for other, where in list(positions.items()):
                if other != PIRATE_TOPIC and where and where <= span:
                    keywords.pop(other, None)
            keywords[PIRATE_TOPIC] = max(keywords.values(), default=0.0) + EXACT
            return


def _without_the_field(words: Sequence[str]) -> list[str]:
    """ "técnico na rua", "equipe na rua": out in the field, at work -- no street, so no address
    line of the answers is searched for it."""
    if "rua" not in words and "ruas" not in words:
        return list(words)
    return [
        w
        for i, w in enumerate(words)
        if not (
            w in {"rua", "ruas"}
            and i >= 2
            and words[i - 1] in {"na", "nas"}
            and TECHNICIANS.intersection(words[max(0, i - 3) : i - 1])
        )
    ]


SHIFT_TOPIC = "plantao"
"""The technicians' weekend and holiday shift."""
WEEKEND = frozenset("sabado sabados domingo domingos feriado feriados".split())  # noqa: SIM905
TECHNICIANS = frozenset("tecnico tecnicos tecnica equipe manutencao".split())  # noqa: SIM905


def _shift_asked(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """A technician asked for on a weekend day or a holiday ("sábado 9h tem técnico na rua?",
    "domingo tem técnico trabalhando?"): the catalogue's weekend shift ("plantão técnico em
    fins de semana e feriados"), whose day words a stated moment takes for when -- not the
    visit's cost, found by the word "técnico" alone. Not its cost asked ("técnico no sábado
    cobra visita?"), nor a deadline (``_deadline_asked`` runs after)."""
    said = set(words)
    if TECHNICIANS.isdisjoint(said):
        return
    weekend = bool(WEEKEND & said) or bool(re.search(r"\b(fim|final) de semana\b", " ".join(words)))
    if not weekend or not TECHNICIANS & said or CHARGES & said or SHIFT_TOPIC in keywords:
        return
    techs = {i for i, w in enumerate(words) if w in TECHNICIANS}
    for other, where in list(positions.items()):
        if where and where <= techs:
            keywords.pop(other, None)
    keywords[SHIFT_TOPIC] = max(keywords.values(), default=0.0) + EXACT


TICKET_TOPIC = "n2"
"""Escalation: when and how a ticket (an OS to N2/N3, the field) is opened."""
VISIT = "visita"
VISIT_WANTED = frozenset("tecnico tecnica tecnicos visita".split())  # noqa: SIM905
"""The visit's words that say only that the customer wants a technician."""
CHARGES = PAYMENT_WORDS | frozenset(
    """
    cobram cobrado cobrada cobrar cobranca quanto improdutiva improdutivo dano danificou
    danificado danificar parcelar
    """.split()  # noqa: SIM905
)
"""What the visit's own topic answers: its cost and how it is paid."""
INSISTS = frozenset(
    """
    insiste insistindo insistiu insistir insistente satisfeito satisfeita exige exigindo exigiu
    exigir exigente teima teimando teimou teimoso teimosa sossega sossegar
    """.split()  # noqa: SIM905
)
"""The customer who wants a technician whatever the tests say: insisting, demanding ("exige
técnico"), satisfied or at peace only with one ("só sossega se for um técnico")."""


_INSISTS_SAID = re.compile(
    r"\bde (qualquer|qq|todo) (jeito|forma|modo)\b|\ba (qualquer|todo) custo\b"
)
"""Insisting said as a phrase: "quer o técnico de qualquer jeito", "a todo custo"."""
DEADLINE_TOPIC = "prazo"
DEADLINE_WORDS = frozenset("prazo prazos previsao".split())  # noqa: SIM905
"""Words asking how long until the support comes."""
DEADLINE_OF = VISIT_WANTED | frozenset("suporte chamado os atendimento reparo".split())  # noqa: SIM905
"""What the support's deadline is the deadline of: a visit, a technician, a ticket."""
DEADLINE_REACH = 4
DAYS_SAID = STOPWORDS | frozenset(
    "fim fins final finais semana semanas sabado sabados domingo domingos feriado feriados".split()  # noqa: SIM905
)
"""A day named beside the deadline asked: when it is asked for."""


def _deadline_asked(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """The deadline asked ("prazo no fim de semana", "qual o prazo pra visita técnica no
    sábado?", "previsão do técnico"): a day named says when it is asked for, not what (a topic
    found only by day words -- the weekend's shift -- is dropped); asked for a visit or a
    ticket, the support's deadline takes the lead over the visit's other rules."""
    asked = [i for i, w in enumerate(words) if w in DEADLINE_WORDS]
    if DEADLINE_TOPIC not in keywords or not asked:
        return
    for topic_id, where in positions.items():
        when = bool(where) and all(words[j] in DAYS_SAID for j in where)
        if topic_id != DEADLINE_TOPIC and when:
            keywords.pop(topic_id, None)
    if any(
        DEADLINE_OF.intersection(words[i + 1 : i + 1 + DEADLINE_REACH]) or _asked_for(words, i)
        for i in asked
    ):
        keywords[DEADLINE_TOPIC] = max(keywords.values()) + OPENING_EVIDENCE


def _asked_for(words: Sequence[str], i: int) -> bool:
    """Is the word at ``i`` what a question word asks for ("qual prazo", "qual o prazo?"): the
    situation told before it ("onu piscando los, qual prazo") is the circumstance."""
    before = [w for w in words[max(0, i - 2) : i] if w not in ("o", "a", "e", "eh")]
    return bool(before) and before[-1] in ASKING


ARRIVAL = frozenset(
    "vem vai vir vira viria chega chegar chegaria aparece aparecer passa passar".split()  # noqa: SIM905
)
"""Verbs of someone coming: "quando o técnico vem?" asks when, i.e. the support's deadline."""
ARRIVAL_REACH = 3


def _arrival_asked(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """When a technician, a visit or the support comes ("técnico vem qnd?", "quando chega o
    técnico?"): the support's deadline, not the visit's rules (the visit found only by the
    technician's word is dropped) -- unless what it costs is asked ("quando o técnico vem,
    cobra?": the visit's)."""
    if CHARGES.intersection(words):
        return
    for i, word in enumerate(words):
        if word != "quando":
            continue
        near = range(max(0, i - ARRIVAL_REACH), min(len(words), i + ARRIVAL_REACH + 1))
        for j in (j for j in near if words[j] in ARRIVAL):
            around = words[max(0, j - ARRIVAL_REACH) : j + ARRIVAL_REACH + 1]
            if VISIT_WANTED.intersection(around):
                where = positions.get(VISIT, set())
                if where and all(words[k] in VISIT_WANTED for k in where):
                    keywords.pop(VISIT, None)
                keywords[DEADLINE_TOPIC] = max(keywords.values(), default=0.0) + OPENING_EVIDENCE
                return


OPEN_VERBS = frozenset("abro abre abrimos".split())  # noqa: SIM905
"""Opening a ticket asked: "abro OS?", "abre a OS?" (not an instruction's "abrir": "não usar
'abrir ordem de serviço'", a document's line the importer reads)."""


def _ticket_opening_asked(words: Sequence[str]) -> bool:
    """Is a ticket's opening asked ("abro OS?", "abre uma os?"), not denied ("não abre OS")?"""
    for i, word in enumerate(words):
        if word == SERVICE_ORDER:
            before = [w for w in words[max(0, i - 3) : i] if w not in ("a", "uma", "o")]
            if len(before) >= 1 and before[-1] in OPEN_VERBS and NEGATION not in before[-2:-1]:
                return True
    return False


def _ticket_asked(
    providers: Sequence[Provider],
    keywords: dict[str, float],
    positions: Mapping[str, set[int]],
    words: Sequence[str],
) -> str | None:
    """A ticket asked ("abro OS?"), a customer insisting, or a blocked customer wanting a
    technician, beside only what describes the customer -- blocked or late ("bloqueado", "por
    falta de pagamento"), wanting a technician ("quer técnico", "visita técnica") with nothing
    asked of the visit's cost --: the escalation's rules (when an OS is opened, for whom) are
    what is asked, not the blocking days or the visit's price. Only for ISPs whose documents
    answer the escalation ("cliente bloqueado quer técnico, abro OS?").
    Returns the topic of what described the customer, shown beside the escalation."""
    insisting = bool(INSISTS.intersection(words) or _INSISTS_SAID.search(" ".join(words)))
    if not providers or not (any(t in keywords for t in (VISIT, "bloqueio")) or insisting):
        return None
    # (Insisting with nothing else pointing anywhere, "só sossega se for alguém na casa dele",
    # is the customer who wants a technician whatever the tests say: the escalation's rule.)
    # A blocked customer who wants a technician ("tá cortado e quer que eu mande técnico"):
    # whether a visit is opened for one is the escalation's rule, as an OS asked would be.
    blocked_wants_visit = "bloqueio" in keywords and bool(VISIT_WANTED.intersection(words))
    phrase = _INSISTS_SAID.search(" ".join(words))
    asked = SERVICE_ORDER in words or INSISTS.intersection(words) or phrase
    if not asked and not blocked_wants_visit:
        return None
    # ("a todo custo" insists; it asks no cost)
    unsaid = set(phrase.group(0).split()) if phrase else set()
    if CHARGES.intersection(w for w in words if w not in unsaid):
        return None
    if any(TICKET_TOPIC not in p.topics for p in providers):
        return None
    # "por falta de pagamento" describes the blocked customer, as "bloqueado" does.
    allowed = {VISIT: VISIT_WANTED, "bloqueio": STATES["bloqueio"], "pagamento": STATES["bloqueio"]}
    described, beside = 0.0, None
    for topic_id, gain in keywords.items():
        where = positions.get(topic_id, set())
        if topic_id == TICKET_TOPIC:
            continue
        if topic_id not in allowed or not where:
            return None  # another topic asked
        if any(words[i] not in allowed[topic_id] and words[i] not in STOPWORDS for i in where):
            return None
        if gain > described:
            described, beside = gain, topic_id
    keywords[TICKET_TOPIC] = keywords.get(TICKET_TOPIC, 0.0) + described + EXACT
    return beside


OUTAGE = re.compile(
    r"\bsem (a |o )?(internet|net|conexao|sinal|acesso|navegacao)\b"
    r"|\b(caiu|cai|parou|desconectou|desconecta) (a |o )?(internet|net|conexao|sinal)\b"
    r"|\b(internet|net|conexao|sinal) (caiu|cai|parou|sumiu)\b"
)
"""A customer without the connection ("sem net", "caiu a internet", "a conexão parou")."""


ASKING = frozenset("qual quais como onde".split())  # noqa: SIM905
"""Question words before what is asked ("qual a senha", "como configuro")."""


def _outage_described(
    keywords: dict[str, float], positions: Mapping[str, set[int]], words: Sequence[str]
) -> None:
    """A customer without the connection said as the circumstance of another question ("sem
    conexão, qual a senha do roteador?", "caiu a internet, como troco o DNS?"): a topic found
    only by the outage's words ("sem conexão": the escalation) gives way to the topic whose
    keyword follows the question word -- that is what is asked."""
    said = " ".join(words)
    spans = [m.span() for m in OUTAGE.finditer(said)]
    if not spans:
        return
    outage: set[int] = set()
    for start, end in spans:
        first = said[:start].count(" ")
        outage.update(range(first, first + said[start:end].count(" ") + 1))
    asked_at = [i for i, w in enumerate(words) if w in ASKING and i > max(outage)]
    if not asked_at:
        return
    after = set(range(asked_at[0] + 1, min(len(words), asked_at[0] + 4)))
    asked = [t for t, where in positions.items() if where & after and not where & outage]
    described = [t for t, where in positions.items() if where and where <= outage]
    if len(asked) != 1 or not described:
        return
    for topic_id in described:
        keywords.pop(topic_id, None)


_FOR_WHOM = re.compile(r"\b(abro|abre|abrimos) (a |o )?(pra|para|pro) (quem|qm|qual setor)\b")


def _opened_for_whom(words: Sequence[str]) -> bool:
    """ "sem net, abre pra quem?": a ticket opened, asked for whom, the OS left unsaid."""
    return bool(_FOR_WHOM.search(" ".join(words)))


def _outage_ticket(
    providers: Sequence[Provider],
    keywords: dict[str, float],
    positions: Mapping[str, set[int]],
    words: Sequence[str],
) -> bool:
    """A service order asked for a customer without the connection ("cliente de <lugar> sem
    internet, abro OS pra quem?", "sem sinal, abre OS?", "sem net, abre pra quem?"), nothing
    else asked -- keywords only within the outage's words ("sinal" of "sem sinal") or none (a
    place named the ISP): the escalation's rules (when and for whom an OS is opened) are what
    is asked. Only for ISPs whose documents answer the escalation."""
    if not (SERVICE_ORDER in words or _opened_for_whom(words)) or not providers:
        return False
    if any(TICKET_TOPIC not in p.topics for p in providers):
        return False
    said = " ".join(words)
    spans = [m.span() for m in OUTAGE.finditer(said)]
    if not spans:
        return False
    outage: set[int] = set()
    for start, end in spans:
        first = said[:start].count(" ")
        outage.update(range(first, first + said[start:end].count(" ") + 1))
    for topic_id, where in positions.items():
        if topic_id != TICKET_TOPIC and keywords.get(topic_id, 0.0) > 0.0 and not where <= outage:
            return False  # another matter asked ("sem net, abro OS pra visita paga?")
    keywords[TICKET_TOPIC] = max(keywords.values(), default=0.0) + EXACT
    return True


OF_THE_NAME = frozenset("do da de no na".split())  # noqa: SIM905


def _login_of_the_name(words: Sequence[str], named: set[str]) -> bool:
    """Is a login asked of a context name typed right after it ("senha do <system>", "login
    <app>")?"""
    for i, word in enumerate(words[:-1]):
        if word not in CREDENTIAL_WORDS:
            continue
        after = words[i + 2] if words[i + 1] in OF_THE_NAME and i + 2 < len(words) else words[i + 1]
        if after in named:
            return True
    return False


def _clear_favourite(keywords: Mapping[str, float]) -> str | None:
    """The topic the keywords favour, when no other has as much evidence."""
    ranked = sorted(keywords.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[1] >= ranked[0]):
        return None
    return max(keywords, key=lambda t: keywords[t])


def _silent_favourite(provider: Provider, keywords: Mapping[str, float], named: str) -> bool:
    """Do the keywords favour, over the topic whose answer writes a context name, a topic the
    ISP's document does not answer at all?"""
    best = max(keywords, key=lambda t: keywords[t])
    return best != named and best not in provider.topics


PASSWORDS = "senha"
"""The equipment's default passwords (the table of models): not an app's or a system's login."""


def _states_asked(
    kb: KB,
    owners: frozenset[str],
    names: Sequence[ContextName],
    named_topic: str,
    favourite: str,
    asked: Sequence[FactKind],
) -> bool:
    """Does the answer that writes the name state the kind of fact asked, while the keywords'
    favourite's answer does not write the name ("o Sumaré abre que horas?": the store's address
    and its hours are in the contacts; the support's deadline does not name the store)?"""
    if not asked or named_topic == favourite or any(is_place(kb, n) for n in names):
        return False  # a city names whom to ask, not a store
    for pid in owners:
        written = _topic_text(kb, pid, named_topic)
        if not any(f" {n.typed} " in written for n in names):
            return False
        entry = kb.providers[pid].topics.get(named_topic)
        if entry is None or not any(kind.held.search(entry.text) for kind in asked):
            return False
        if any(f" {n.typed} " in _topic_text(kb, pid, favourite) for n in names):
            return False
    return True


def _app_like(kb: KB, name: ContextName) -> bool:
    """Could the name be an app's, a product's or a system's (words, no place): not "Guarulhos",
    "porta 80", a phone number."""
    return name.typed.replace(" ", "").isalpha() and not is_place(kb, name)


def _name_topic(
    kb: KB,
    owners: frozenset[str],
    names: Sequence[ContextName],
    hits: Sequence[Hit],
    said_more: bool,
    favourite: str | None = None,
) -> str | None:
    """The topic whose answer writes the context names, for each of their one or two ISPs
    alike ("Kaspersky": the SVAs); written under several topics, the keywords' ``favourite``
    when it is one of them (the name confirms what is asked: "achou no Flashman, posso passar
    a senha?" is the passwords' answer, which writes Flashman too), else the one whose passage
    holds them most (BM25: the shortest, most to the point), when one does -- with nothing else
    said ("multitv: quantos aparelhos?"), the best passage even when another's is nearly as
    good."""
    if not names or not owners:
        return None
    chosen: set[str] = set()
    common = _written_by_all(kb, owners, names)
    for pid in owners:
        writing = _topics_writing(kb, pid, names)
        if len(writing) > 1 and favourite in writing:
            writing = [favourite]
        elif len(writing) > 1 and common is not None:
            # Two ISPs write it under several topics each, and under one topic both: that one
            # ("Paramount": the SVAs of both, the sectors of one, the TV apps of the other).
            writing = [common]
        elif len(writing) > 1 and len(_kind_named(kb, writing, names)) == 1:
            # The name says what it is ("Fibra Play": "play", the TV apps' keyword; "MG
            # Cobranças": the charges'): the topic of that kind, among those writing it.
            writing = _kind_named(kb, writing, names)
        elif len(writing) > 1 and not said_more and (whole := _covering(kb, pid, writing, names)):
            writing = [whole]
        elif len(writing) > 1:
            best: dict[str, float] = {}
            for hit in hits:
                topic_id = hit.passage.topic_id
                if hit.passage.provider_id == pid and topic_id in writing:
                    best[topic_id] = max(best.get(topic_id, 0), hit.score)
            ranked = sorted(best.items(), key=lambda item: -item[1])
            clear = len(ranked) == 1 or (len(ranked) > 1 and ranked[0][1] > ranked[1][1] * 1.05)
            writing = [ranked[0][0]] if ranked and (clear or not said_more) else []
        if len(writing) != 1:
            return None
        chosen.add(writing[0])
    return chosen.pop() if len(chosen) == 1 else None


@derived
def _lines(kb: KB) -> dict[tuple[str, str], tuple[str, ...]]:
    """(ISP id, topic id) -> its answer's lines, normalised."""
    return {
        (p.id, t): tuple(f" {normalize(line)} " for line in e.text.splitlines() if line.strip())
        for p in kb.providers.values()
        for t, e in p.topics.items()
    }


def _covering(
    kb: KB, provider_id: str, writing: Sequence[str], names: Sequence[ContextName]
) -> str | None:
    """Of the topics writing the names, the one whose answer holds every line the others write
    them in, and more ("o que vai pra <sector>?": the sectors' table lists each case the
    cancellation's and the finances' answers send there) -- the whole answer, not a part."""
    keys = [f" {n.typed} " for n in names if provider_id in n.owners]
    lines = _lines(kb)

    def naming(topic_id: str) -> set[str]:
        return {ln for ln in lines.get((provider_id, topic_id), ()) if any(k in ln for k in keys)}

    held = {t: naming(t) for t in writing}
    for topic_id, mine in held.items():
        others = [v for t, v in held.items() if t != topic_id]
        if all(v <= mine and v != mine for v in others):
            return topic_id
    return None


@derived
def _keyword_words(kb: KB) -> dict[str, frozenset[str]]:
    """Topic id -> its catalogue keywords of one word, and their stems."""
    out: dict[str, frozenset[str]] = {}
    for topic in kb.catalogue.topics:
        single = [normalize(k) for k in topic.keywords if len(normalize(k).split()) == 1]
        out[topic.id] = frozenset([*single, *(stem(k) for k in single)])
    return out


def _kind_named(kb: KB, writing: Sequence[str], names: Sequence[ContextName]) -> list[str]:
    """The topics, of those writing the names, whose one-word keywords a word of a name is
    (or its stem): what the name itself says it is ("Fibra Play" -> tv's "play"; "fibra" is
    Seja Fibra's own name, no kind)."""
    own = {
        w
        for n in names
        for pid in n.owners
        for name in (kb.providers[pid].name, *kb.providers[pid].aliases)
        for w in normalize(name).split()
    }
    # A name of one word that is a keyword ("Flashman", a system) is the thing itself, not a
    # word saying its kind: only names of two words or more.
    typed = {
        w
        for n in names
        if len(n.typed.split()) > 1
        for w in n.typed.split()
        if w not in STOPWORDS and w not in own
    }
    typed |= {stem(w) for w in typed}
    words = _keyword_words(kb)
    return [t for t in writing if typed & words.get(t, frozenset())]


def _written_by_all(kb: KB, owners: frozenset[str], names: Sequence[ContextName]) -> str | None:
    """The one topic whose answers write the names for each of two or more ISPs, if one."""
    if len(owners) < 2:
        return None
    common: set[str] | None = None
    for pid in owners:
        writing = set(_topics_writing(kb, pid, names))
        common = writing if common is None else common & writing
    return common.pop() if common is not None and len(common) == 1 else None


CLUE_CONFIDENT = 1.0
"""Keyword evidence that names a topic clearly (``core.CONFIDENT``): below it, the topic that
writes the clue which found the ISP is the answer; from it, that topic is a second section."""
STREETS = frozenset("rua avenida av travessa alameda estrada rodovia praca largo".split())  # noqa: SIM905
"""An address's first word: a street a document writes (its store's) is where a customer
lives too -- no clue to the topic ("cliente da travessa X quer cancelar")."""
CLUE_TOPICS = 2
"""A clue written under more of its ISP's topics than this says which ISP, not which topic."""


def _street(words: Sequence[str], name: ContextName) -> bool:
    """Is the name a street's ("travessa jonas bezerra", "av dos canários")?"""
    before = [w for w in words[max(0, name.start - 2) : name.start] if w not in CONNECTORS]
    head = before[-1:] if name.start and before else []
    return bool({name.typed.split()[0], *head} & STREETS)


def _clue_aliases(provider: Provider, words: Sequence[str]) -> list[ContextName]:
    """The ISP's aliases typed that share no word with its name or id ("Caboimagem", "Kaybee" of
    Seja Fibra: names customers know it by, that its document explains), as context names."""
    own = {*normalize(provider.name).split(), provider.id, compact(provider.name)}
    typed = f" {' '.join(words)} "
    out = []
    for alias in provider.aliases:
        key = normalize(alias)
        if key and not own & {*key.split(), compact(alias)} and f" {key} " in typed:
            out.append(ContextName(key, alias, frozenset({provider.id}), 0, 0))
    return out


def _clue_topic(
    kb: KB,
    names: _Names,
    words: Sequence[str],
    hits: Sequence[Hit],
    keywords: Mapping[str, float],
    said_more: bool,
) -> str | None:
    """The topic of the one ISP whose text holds the clue that found that ISP -- a context name
    or distinctive term that is no place, or an alias of its own ("SeAC", "Caboimagem") --
    when one or two of its topics write it (the one whose passage holds it best) and the
    keywords' favourite does not. An alias with nothing else said ("o que é caboimagem?") is
    left to ``core._provider_topics``: the lines naming it and the ISP's topics."""
    if names.providers:
        if len(names.providers) != 1 or names.context or names.lookalike or not said_more:
            return None
        clues = _clue_aliases(names.providers[0], words)
    else:
        clues = [n for n in names.context if not is_place(kb, n) and not _street(words, n)]
        if len(clues) != len(names.context):
            return None  # a place, a street, says whom to ask (or where the customer lives)
    owners = context_owners(clues)
    if not clues or len(owners) != 1:
        return None
    (pid,) = owners
    writing = _topics_writing(kb, pid, clues)
    if not 1 <= len(writing) <= CLUE_TOPICS:
        return None
    best = {t: 0.0 for t in writing}
    for hit in hits:
        topic_id = hit.passage.topic_id
        if hit.passage.provider_id == pid and topic_id in best:
            best[topic_id] = max(best[topic_id], hit.score)
    clue = max(writing, key=lambda t: best[t])
    favourite = max(keywords, key=lambda t: keywords[t]) if keywords else None
    if favourite is not None and favourite in writing:
        return None  # the keywords' topic holds the clue itself
    return clue


def _beside_the_equipment(
    kb: KB,
    names: _Names,
    keywords: dict[str, float],
    positions: Mapping[str, set[int]],
    said: Sequence[str],
) -> dict[str, float]:
    """The keywords less those whose words the ISP's document writes on a line with the named
    equipment ("FILIAL - PERNAMBUCO (Via Real)": "via real da filial qual login" says which
    router, not that the branch office is asked): they tell the equipment, not the topic."""
    provider = names.providers[0]
    models = {normalize(name) for item in names.equipment for name in (item.model, *item.aliases)}
    lines = _normalised_lines(kb)[provider.id]
    beside = [(t, line) for t, line in lines if any(f" {m} " in line for m in models)]
    kept = dict(keywords)
    for topic_id, where in positions.items():
        if topic_id == PASSWORDS or topic_id not in kept or not where:
            continue
        if any(t == topic_id for t, _line in beside):
            continue  # the topic's own answer writes the equipment ("Porta: TPLINK: 8080")
        typed = [said[i] for i in sorted(where) if i < len(said)]
        if typed and any(all(f" {w} " in line for w in typed) for _t, line in beside):
            del kept[topic_id]
    return kept


@derived
def _normalised_lines(kb: KB) -> dict[str, tuple[tuple[str, str], ...]]:
    """ISP id -> (topic id, a line of its answer or notes normalised, spaces around)."""
    return {
        pid: tuple(
            (topic_id, f" {normalize(line)} ")
            for topic_id, entry in provider.topics.items()
            for body in (entry.text, *entry.notes)
            for line in body.splitlines()
        )
        for pid, provider in kb.providers.items()
    }


def _within_clauses(names: _Names, text: str) -> _Names:
    """No name of words split by a clause's punctuation: "cliente tem fibra, play store não
    abre" types no "Fibra Play" (nor "Porto, Seguro" a city). Numbers are left alone (a phone
    or a price may be written with a comma)."""
    if all(n.end - n.start < 2 for n in names.context):
        return names  # (the text is read again only when a name has several words)
    breaks = clause_breaks(text)
    kept = [
        n
        for n in names.context
        if not n.typed.replace(" ", "").isalpha() or not breaks & set(range(n.start + 1, n.end))
    ]
    return names if len(kept) == len(names.context) else replace(names, context=kept)


def _with_codes(kb: KB, text: str, words: Sequence[str], names: _Names) -> _Names:
    """No ISP named: the context names less those only a KB password writes and the speeds a
    customer measured ("o teste deu 75 mega"), and the clues that are numbers or codes
    (``bot.reading.codes``): a port typed alone in a question about access, a UTC offset that
    is one or two ISPs' clock."""
    if names.providers:
        return names
    used = set(names.used) | {i for n in names.context for i in range(n.start, n.end)}
    found = codes.not_a_password(kb, codes.not_typed(kb, text, names.context))
    found = codes.not_measured(found, words)
    found += codes.port_clues(kb, words, used)
    found += codes.offset_clues(kb, text)
    if found == names.context:
        return names
    return replace(names, context=sorted(found, key=lambda n: n.start))


def _brand_by_password(
    kb: KB, text: str, words: Sequence[str], names: _Names
) -> tuple[_Names, ContextName | None]:
    """A brand two ISPs list ("tplink") and the distinctive KB password of one of them typed
    ("senha deusefiel não foi no tplink"): that one's models, as a port typed beside the brand
    narrows it (``_brand_at_its_port``); and the password's clue, for the reason and the policy.
    Not with an ISP's name typed short ("mtum"): the agent named one (``name_slipped``)."""
    if not names.shared:
        return names, None
    clue = codes.password_clue(kb, text)
    if clue is None:
        return names, None
    (pid,) = clue.owners
    if pid not in names.shared:
        return names, None
    if name_slipped(kb, words, names.used | codes.password_positions(kb, words)):
        return names, None
    equipment, where = names.shared[pid]
    narrowed = replace(
        names,
        providers=[kb.providers[pid]],
        equipment=equipment,
        equipment_at=set(where),
        by_equipment=True,
        shared={},
    )
    return narrowed, clue


def _with_password(
    kb: KB, text: str, words: Sequence[str], found: tuple[ContextName, ...], names: _Names
) -> tuple[ContextName, ...]:
    """No ISP named: the context names, and the ISP whose distinctive KB password the question
    types (``codes.password_clue``: "senha Lnt12345@ não entra") when the other clues allow
    it; else as they were (a password beside another ISP's clue or equipment tells nothing
    safely, nor beside an ISP's name typed short, "mtum": which ISP is asked)."""
    clue = codes.password_clue(kb, text)
    if clue is None:
        return found
    (pid,) = clue.owners
    equipment = names.equipment
    if equipment and not any(item in kb.providers[pid].equipment for item in equipment):
        return found
    if context_owners((*found, clue)) != clue.owners:
        return found  # another ISP's clue: kept as it was, never a choice that holds its ISP
    read_at = {i for c in found for i in range(c.start, c.end)} | names.used
    if name_slipped(kb, words, read_at | codes.password_positions(kb, words)):
        return found
    return (*found, clue)


HOURS_ASKED = re.compile(
    r"(?<!marcar )(?<!marca )(?<!marco )(?<!agendar )(?<!agenda )(?<!combinar )(?<!um )"
    r"(?<!marcar o )(?<!marca o )(?<!marco o )(?<!agendar o )(?<!agenda o )(?<!combinar o )"
    r"\bhorarios?\b|\b(que|q) horas\b|\bexpediente\b"
)
"""Words asking for hours: "horário do financeiro", "que horas o comercial abre" -- not a time
to be set ("marcar (um) horário pro técnico", "quem marca o horário do técnico": the
scheduling)."""


def sector_hours_topic(providers: Sequence[Provider], words: Sequence[str]) -> str | None:
    """The hours of one of the named ISP's sectors asked ("horário do <sector>"): the topic
    whose answer gives them (a line naming the sector with a range of hours) -- the contacts
    when they do, else the one topic that does. Not a rule that mentions the sector in passing
    with some hours."""
    if len(providers) != 1 or not HOURS_ASKED.search(" ".join(words)):
        return None
    (provider,) = providers
    sectors = clock.sectors_named(provider, words)
    if not sectors:
        return None
    holding = [t for t in provider.topics if clock.hours_in(provider, t, sectors)]
    if PLACE_HOURS_TOPIC in holding:
        return PLACE_HOURS_TOPIC
    return holding[0] if len(holding) == 1 else None


SECTOR_STATE = re.compile(r"\b(aberto|aberta|fechado|fechada|abre|abriu|fecha|fechou)\b")
"""Words asking whether a sector is open ("o financeiro tá aberto agora?")."""
SECTORS_TOPIC = "setores"


def _sector_state_topic(kb: KB, words: Sequence[str], keywords: Mapping[str, float]) -> str | None:
    """No ISP named: a sector's hours or state asked by the name a topic's command gives it
    ("o financeiro tá aberto agora?", "horário do comercial": /financeiro is that sector's rules):
    the sectors topic, which says where and when each ISP transfers (and its reply carries the
    sector's state now), not the rules topic the sector's name is a command of -- unless that
    topic is a schedule itself (``_gives_hours``)."""
    if SECTORS_TOPIC not in kb.topics or not keywords:
        return None
    said = " ".join(words)
    if not (HOURS_ASKED.search(said) or SECTOR_STATE.search(said)):
        return None
    for provider in kb.providers.values():
        for sector in clock.sectors_named(provider, words):
            named = set(normalize(sector.name).split())
            ruled = [t for t in keywords if named & set(kb.topics[t].commands)]
            if ruled and not any(_gives_hours(kb, t) for t in ruled):
                return SECTORS_TOPIC
    return None


def _gives_hours(kb: KB, topic_id: str) -> bool:
    """Does some ISP's answer on the topic give a sector's hours ("Plantão de manutenções:
    08h às 20h"): the topic is a schedule itself ("plantão abre sábado?" asks it)."""
    return any(
        topic_id in p.topics and clock.hours_in(p, topic_id, p.sectors)
        for p in kb.providers.values()
    )


PRICE_LITERAL = re.compile(r"(?<![\d,.])\d{1,4},\d{2}(?![\d,])|\bR\$", re.IGNORECASE)
"""A price as written ("49,90", "R$ 50"): the question states one."""
HOW_MUCH = "quanto"
NOT_MONEY = frozenset("tempo dias dia horas hora meses mes anos vezes megas mega".split())  # noqa: SIM905
""""quanto tempo", "quantos dias": a span or a count, no price."""


def _price_asked(words: Sequence[str], text: str) -> bool:
    """Does the question ask a price ("quanto custa", "valor"; "quanto tá o de 200mb": "quanto"
    not followed by a span) or state one ("é 49,90 ainda?")?"""
    if any(kind.name == "price" for kind in facts_asked(words)) or PRICE_LITERAL.search(text):
        return True
    return any(
        w == HOW_MUCH and (i + 1 >= len(words) or words[i + 1] not in NOT_MONEY)
        for i, w in enumerate(words)
    )


def _measured_topic(
    kb: KB, names: _Names, words: Sequence[str], topic_words: Sequence[str], text: str
) -> str | None:
    """The topic a number typed as a clue asks about, for each of its ISPs alike:

    * an access port ("na 8010", "porta 2389"; or one of the named ISP's ports): the
      equipment's default logins (``senha``) when a credential is asked ("qual login"), else
      the ports (``porta``);
    * a plan's speed ("o de 200mb", "10M") with a price asked or stated: the topic whose
      answer writes that speed (the plans). A place beside it says whom to ask, not what."""
    providers = [p.id for p in names.providers]
    ports = [n for n in names.context if codes.is_port(n)]
    named = bool(names.equipment)
    if ports or (len(providers) == 1 and codes.own_port(kb, words, providers[0], named)):
        owners = context_owners(ports) if ports else frozenset(providers)
        wanted = PASSWORDS if CREDENTIAL_WORDS.intersection(topic_words) else PORT_TOPIC
        if all(wanted in kb.providers[pid].topics for pid in owners):
            return wanted
        return PORT_TOPIC if all(PORT_TOPIC in kb.providers[p].topics for p in owners) else None
    speeds = [n for n in names.context if codes.is_speed(n)]
    if not speeds or not _price_asked(topic_words, text):
        return None
    chosen: set[str] = set()
    for name in speeds:
        for pid in name.owners:
            writing = codes.topics_writing_speed(kb, pid, name.typed.replace(" ", ""))
            if len(writing) != 1:
                return None
            chosen.add(writing[0])
    return chosen.pop() if len(chosen) == 1 else None


ACCESS_ASKED = frozenset(
    """
    loga logar logo logou login acessa acessar acesso acessou acessando entra entrar entrou
    entrando usa usar usando instala instalar instalou baixa baixar baixou navegador abre abrir
    abriu acha achar encontra encontrar passo configura configurar
    """.split()  # noqa: SIM905
)
"""How to get into or use an app asked ("não loga", "como acessa", "tem passo a passo?", "não
acha na loja", "pelo navegador"): its steps, not its place in the catalogue."""
STEP_WORDS = re.compile(
    r"\bpasso a passo\b|\bacess[a-z]*\b|\blogin\b|\bsenha\b|\bnavegador\b|\bbaix[a-z]*\b"
    r"|\binstal[a-z]*\b|\bandroid\b|\bios\b|\bloja de aplicativos\b"
)
"""A paragraph holding an app's steps: how to get in, where to download it."""


@derived
def _paragraphs(kb: KB) -> dict[tuple[str, str], tuple[str, ...]]:
    """(ISP id, topic id) -> its answer's paragraphs and suggested messages, normalised."""
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for provider in kb.providers.values():
        for topic_id, entry in provider.topics.items():
            texts = [entry.text, *(t.text for t in entry.templates)]
            parts = [p for text in texts for p in re.split(r"\n\s*\n", text) if p.strip()]
            out[(provider.id, topic_id)] = tuple(f" {normalize(p)} " for p in parts)
    return out


def _steps_topic(
    kb: KB,
    names: Sequence[ContextName],
    topic_words: Sequence[str],
    keywords: Mapping[str, float],
) -> str | None:
    """An app named and how to get into it asked ("<app> não loga, tem passo a passo?", "como
    acessa o <app> pelo navegador?"): the topic whose answer writes the app's steps -- a
    paragraph naming it with a login, a link, a "passo a passo" --, for every owner that writes
    any (an ISP whose document only lists the app writes no steps: the other's topic). ``None``
    when no access is asked, no name is an app's, or the owners' steps are under different
    topics."""
    if not names or not ACCESS_ASKED.intersection(topic_words):
        return None
    if not all(_app_like(kb, n) for n in names):
        return None
    owners = context_owners(names)
    favourite = max(keywords, key=lambda t: keywords[t]) if keywords else None
    # A keyword pointing to a topic that does not write the app ("o <app> parou desde o
    # bloqueio") asks that topic -- unless the steps hold another word of the question ("<app>
    # no plano do cliente, tem passo a passo?") or a login is asked (the app's own).
    elsewhere = favourite not in (None, PASSWORDS) and any(
        favourite not in _topics_writing(kb, pid, names) for pid in owners
    )
    clue_words = {w for n in names for w in n.typed.split()}
    others = {f" {w} " for w in topic_words if w not in STOPWORDS and w not in clue_words}
    paragraphs = _paragraphs(kb)
    chosen: set[str] = set()
    held = False
    for pid in owners:
        keys = [f" {n.typed} " for n in names if pid in n.owners]
        steps: dict[str, bool] = {}
        for topic_id in kb.providers[pid].topics:
            for p in paragraphs.get((pid, topic_id), ()):
                if any(k in p for k in keys) and STEP_WORDS.search(p):
                    steps[topic_id] = steps.get(topic_id, False) or any(w in p for w in others)
        if len(steps) > 1:
            continue  # written alike under several topics: this owner says nothing of which
        chosen |= set(steps)
        held = held or any(steps.values())
    if len(chosen) != 1 or (elsewhere and not held):
        return None
    (topic_id,) = chosen
    return topic_id if all(topic_id in kb.providers[pid].topics for pid in owners) else None


ECHO_FLOOR = 0.5
"""The topic a clue's echo goes to holds at least this share of the question's other words ..."""
ECHO_MARGIN = 0.2
"""... and this much more than the favourite's answer does."""


def _echoed_clue(
    kb: KB,
    context: Sequence[ContextName],
    keywords: Mapping[str, float],
    positions: Mapping[str, set[int]],
    said: Sequence[str],
    rest_hits: Sequence[Hit],
) -> str | None:
    """The keywords' favourite rests only on the clue's own words (a product that is also a
    catalogue keyword: "<app> / <app> como o cliente acessa?"): those say which ISP, not which
    topic. When another keyword says more ("senha"), of the topics whose answers write the clue
    for each of its ISPs, the one whose answer holds clearly more of the question's other words
    ("senha", "acessa") is asked."""
    if not context or not keywords:
        return None
    owners = context_owners(context)
    clue_words = {w for n in context for w in n.typed.split()}

    def echoes(topic_id: str) -> bool:
        where = [i for i in positions.get(topic_id, set()) if said[i] not in STOPWORDS]
        return bool(where) and all(said[i] in clue_words for i in where)

    strongest = max(keywords.values())
    favourite = next((t for t, k in keywords.items() if k == strongest and echoes(t)), None)
    if not owners or favourite is None:
        return None
    asked_more = any(
        said[i] not in clue_words and said[i] not in STOPWORDS
        for topic_id, at in positions.items()
        if topic_id != favourite
        for i in at
    )
    if not asked_more:
        return None  # "<app> não abre": nothing but the clue names a topic
    writing: set[str] | None = None
    for pid in owners:
        mine = set(_topics_writing(kb, pid, context))
        writing = mine if writing is None else writing & mine
    if not writing or favourite not in writing:
        return None
    held = passage_scores(rest_hits)
    # Held alike: the one a keyword points to too ("troca de senha é cobrada?": the password's,
    # not the visit's), then by name -- never the order of a set, which changes per process.
    others = sorted(
        writing - {favourite}, key=lambda t: (-held.get(t, 0.0), -keywords.get(t, 0.0), t)
    )
    if not others:
        return None
    best = others[0]
    if held.get(best, 0.0) < ECHO_FLOOR or held[best] - held.get(favourite, 0.0) < ECHO_MARGIN:
        return None
    if len(others) > 1 and held.get(others[1], 0.0) == held[best]:
        return None  # two answers hold as much: neither holds clearly more
    return best


EVERYTHING = frozenset(
    "tudo todas todos informacoes informacao info infos dados resumo geral ficha completo".split()  # noqa: SIM905
)
"""Words asking for all there is about an ISP: "tudo da <ISP>", "informações da <ISP>"."""
REQUESTS = frozenset(
    """
    sobre passa passar manda mandar quero queria ver saber mostra mostrar fala falar preciso
    precisava me ai
    """.split()  # noqa: SIM905
)
"""Words around such a request ("me passa tudo sobre ...")."""


def asks_everything(words: Sequence[str]) -> bool:
    """Does the question ask for everything about the ISP named, nothing in particular?"""
    said = [w for w in words if w not in STOPWORDS]
    return bool(EVERYTHING.intersection(said)) and all(w in EVERYTHING | REQUESTS for w in said)


def read(kb: KB, text: str, terms: bool = True) -> Reading:
    """``terms=False``: ordinary words are no clue to the ISP, only names are (no
    ``find_terms``): a customer's message pasted whole (or a part of it), a document's passage
    being imported -- words an agent did not pick."""
    literal = normalize(text).split()  # as typed: a quoted "ordem de serviço" (facts)
    text = service_orders(text)  # "abri a os" is the service order, "os dias" the article
    words = normalize(text).split()
    spotted = _names(kb, words, label_positions(text), dotted_numbers(text))
    spotted = _within_clauses(spotted, text)
    if terms:
        spotted, typed_password = _brand_by_password(kb, text, words, spotted)
    else:
        typed_password = None
    names = _with_codes(kb, text, words, spotted)
    names.used.update(_host_words(kb, text, words, names))
    names.used.update(_app_named_after(kb, words, names))
    topic_words, corrected = _topic_words(kb, words, names.used)
    if names.providers and asks_everything(topic_words):
        topic_words = []  # "tudo da <ISP>": its card (its topics), no topic searched for
    out_of_order = paid_out_of_order(topic_words)
    if out_of_order:
        # "pagou abril e esqueceu março": the case the catalogue names, read as if named.
        topic_words = [*topic_words, *WRONG_ORDER]
    said = without_refusals(without_circumstances(topic_words))
    keywords, positions = keyword_matches(kb, said, corrected)
    quiet = without_channels(said)
    if quiet != said:
        found = keyword_matches(kb, quiet, corrected)
        if found[0]:
            said, (keywords, positions) = quiet, found
    joined = joined_topics(topic_words, positions)
    if terms and not (names.providers or names.context or names.lookalike):
        # No name: a word only one or two ISPs' answers of the asked topic hold ("carnê").
        terms_found = find_terms(kb, words, names.used, keywords)
        names = replace(names, context=codes.not_typed(kb, text, terms_found))
    if not (names.providers or names.lookalike):
        # "quais os planos rádio? ... o de 30": a number after "de" in a question about plans.
        taken = set(names.used) | {i for n in names.context for i in range(n.start, n.end)}
        speeds = codes.speed_clues(kb, words, taken, keywords)
        if speeds:
            with_speeds = sorted([*names.context, *speeds], key=lambda n: n.start)
            names = replace(names, context=with_speeds)
        if names.context:
            priced = codes.speeds_at_their_price(kb, names.context, words)
            names = replace(names, context=priced)
        if keywords and names.context:
            leading = max(keywords, key=lambda t: keywords[t])
            narrowed = codes.speeds_of_the_topic(kb, names.context, words, leading)
            narrowed = codes.prices_of_the_topic(kb, narrowed, words, leading)
            names = replace(names, context=narrowed)
        elif keywords and terms and not names.context:
            # "a mudança de ponto é 20 reais?": a round sum the topic's answer charges.
            leading = max(keywords, key=lambda t: keywords[t])
            sums = codes.round_price_clues(kb, words, names.used, leading)
            names = replace(names, context=sums) if sums else names
    if names.equipment and len(names.providers) == 1:
        keywords = _beside_the_equipment(kb, names, keywords, positions, said)
    if terms and names.context and not (names.providers or names.lookalike):
        # "a cidade nos recados do grupo": a name two ISPs write, in a run only one writes.
        names = replace(names, context=list(narrowed_by_run(kb, words, names.context)))
    if names.equipment:
        alone = not keywords
        gain = EQUIPMENT_ALONE if alone else EQUIPMENT_EVIDENCE
        keywords["senha"] = keywords.get("senha", 0.0) + gain
        for topic_id in [t for t in keywords if t != PASSWORDS]:
            if _row_writes(names.equipment, said, positions.get(topic_id, set())):
                # "huawei v2 precisa liberar acesso web?": the model's own row says so
                # ("*Liberar Acesso Web", no port): its row in the passwords' table answers.
                keywords[PASSWORDS] += keywords.pop(topic_id)
    if moment.asks_opening_hours(topic_words) and set(keywords) <= {PLACE_HOURS_TOPIC}:
        # "a matriz abre que horas?", "o sumaré fica aberto até quando?": a place's hours, as
        # "horário da loja" would ask (a sector's or UPCALL's have keywords of their own).
        keywords[PLACE_HOURS_TOPIC] = keywords.get(PLACE_HOURS_TOPIC, 0.0) + OPENING_EVIDENCE
    hours_of = sector_hours_topic(names.providers, said)
    if hours_of is None and terms and not (names.providers or names.context):
        hours_of = _sector_state_topic(kb, topic_words, keywords)
    if hours_of is not None:
        # "horário do financeiro": the answer giving that sector's hours, not its rules.
        keywords[hours_of] = max(keywords.values(), default=0.0) + OPENING_EVIDENCE
    context = context_owners(names.context)
    scope = {p.id for p in names.providers} or (set(context) if context else None)
    # A context name says which ISP, not which topic: its words are not searched for (else
    # "cliente de Guarulhos..." would find the line that names Guarulhos), unless it is all
    # the question says.
    asked = facts_asked(topic_words)
    implied = {stem(w): kind.held for kind in asked for w in kind.nouns}
    when = moment.when_words(topic_words)
    searched = [w for i, w in enumerate(topic_words) if i not in when] if when else topic_words
    searched = _without_the_field(searched)
    hits = passage_index(kb).search(search_terms(searched), scope, implied)
    named = {w for c in names.context if not c.phrase for w in c.typed.split()}
    rest = search_terms([w for w in searched if w not in named]) if named else []
    topic_hits = (passage_index(kb).search(rest, scope, implied) if rest else []) or hits
    measured = _measured_topic(kb, names, words, topic_words, text)
    if measured is None and not names.providers:
        measured = _steps_topic(kb, names.context, topic_words, keywords)
    if measured is None:
        measured = _echoed_clue(kb, names.context, keywords, positions, said, topic_hits)
    if measured is not None:
        # A port, a plan's speed with its price, or the clue beside keywords that only repeat
        # it: that clue's topic is what is asked, whatever the other keywords favour.
        keywords[measured] = max(keywords.values(), default=0.0) + CONTEXT_ALONE
    # A place beside another clue ("cliente do Barroso quer o de 100mb") says whom to ask; the
    # other clue says what is asked.
    pointing = [n for n in names.context if not is_place(kb, n)] or names.context
    # (A keyword that is only the name typed -- a system's name among its topic's keywords --
    # repeats the clue: it is no favourite of its own.)
    # A login asked *of* the name ("senha do <system>") is that name's, whichever topic writes it.
    favoured = (
        None
        if _login_of_the_name(said, named)
        else _clear_favourite(
            {
                t: v
                for t, v in keywords.items()
                if not {said[i] for i in positions.get(t, ())} <= named
            }
        )
    )
    named_topic = (
        None if measured else _name_topic(kb, context, pointing, hits, bool(keywords), favoured)
    )
    named_alone: str | None = None
    place_alone = False
    if named_topic is not None:
        gain = CONTEXT_EVIDENCE if keywords else CONTEXT_ALONE
        favourite = max(keywords, key=lambda t: keywords[t]) if keywords else None
        # (A place names whom to ask, not what: "cliente de Barroso, qual o dns?" asks the DNS,
        # which LaserNet's document does not give; its cities answer is not the reply.)
        places = all(is_place(kb, name) for name in names.context)
        silent = (
            favourite is not None
            and not places
            and any(_silent_favourite(kb.providers[pid], keywords, named_topic) for pid in context)
        )
        # "o plano dá direito ao Kaspersky?": the document writes the name under one topic and
        # says nothing under the keyword's: the name's topic is the answer. "qual a senha do
        # Anlix?": the passwords topic is the equipment's; with no equipment named, a password
        # asked beside an app's or a system's name (not a place's, a port's) is that name's: the
        # passwords' evidence goes to the name's topic.
        password = (
            favourite == PASSWORDS
            and named_topic != PASSWORDS
            and not names.equipment
            and all(_app_like(kb, name) for name in names.context)
        )
        # "o Sumaré abre que horas?": the answer writing the store's neighbourhood states
        # hours; the keywords' "que horas" (the support's deadline) does not name the store.
        stated = favourite is not None and _states_asked(
            kb, context, names.context, named_topic, favourite, asked
        )
        if password:
            gain = keywords.pop(PASSWORDS) + CONTEXT_EVIDENCE
        elif silent or stated:
            gain = max(keywords.values()) + CONTEXT_EVIDENCE
        if not keywords and named_topic != PLACES_TOPIC:
            # Nothing but the name points anywhere ("<app> não abre, encaminho?"): the name's
            # topic is a clue's choice, not overturned by a text holding the other words.
            named_alone = named_topic
        if not keywords and named_topic == PLACES_TOPIC and places:
            place_alone = True
        else:
            keywords[named_topic] = keywords.get(named_topic, 0.0) + gain
    more = any(w not in STOPWORDS for w in topic_words)
    clue = None if measured else _clue_topic(kb, names, words, hits, keywords, more)
    if clue is not None:
        favourite = max(keywords, key=lambda t: keywords[t]) if keywords else None
        strength = keywords[favourite] if favourite is not None else 0.0
        if strength < CLUE_CONFIDENT:
            # "cli com plano seac": nothing else named, the clue's topic is what is asked.
            keywords[clue] = keywords.get(clue, 0.0) + max(strength, 0.0) + CONTEXT_ALONE
            measured = clue
        elif joined is None and favourite is not None and not names.providers:
            joined = (favourite, clue)  # the keywords' topic, and the one holding the clue
    for topic_id, coverage in fact_scores(asked, topic_hits).items():
        keywords[topic_id] = keywords.get(topic_id, 0.0) + FACT_EVIDENCE * coverage
    told = _days_late_told(keywords, said)
    if told is None and not out_of_order:
        told = _proof_asked(keywords, positions, said)
    measured = measured or told
    _days_late_asked(keywords, positions, said)
    _need_while_unpaid(keywords, positions, said)
    _unblock_asked(keywords, positions, said)
    if not keywords and not names.providers and _ticket_opening_asked(said):
        # "cliente com lentidão a noite toda, abro OS?": no ISP, nothing but a situation told
        # in ordinary words and a ticket asked -- when one is opened is the escalation's rule.
        keywords[TICKET_TOPIC] = EXACT
    ticket = _ticket_asked(names.providers, keywords, positions, said)
    if ticket is not None and joined is None:
        joined = (TICKET_TOPIC, ticket)
    if ticket is None:
        owners = [kb.providers[pid] for pid in context] if len(context) == 1 else []
        if not _outage_ticket(names.providers or owners, keywords, positions, said):
            _outage_described(keywords, positions, said)
    _address_of_the_isp(keywords, positions, said)
    _late_and_stopped(keywords, positions, said)
    _released_again(keywords, positions, said)
    _bought_and_set_up(keywords, positions, said)
    _speed_site_asked(keywords, positions, said)
    _charge_asked(keywords, positions, said)
    _pirated_tv(keywords, positions, said)
    _shift_asked(keywords, positions, topic_words)
    _deadline_asked(keywords, positions, said)
    _arrival_asked(keywords, positions, said)
    if _cable_to_a_device(keywords, positions, said):
        pass  # "puxar cabo até a smart tv": the move's topic has the evidence
    elif moves_within_the_home(said) and MOVE_TOPIC not in keywords:
        keywords[MOVE_TOPIC] = MOVE_EVIDENCE
    elif adds_a_device(said) and REPEATERS_TOPIC not in keywords:
        keywords[REPEATERS_TOPIC] = MOVE_EVIDENCE  # "quer um segundo aparelho pro fundo"
    elif misses_part_of_the_home(said) and REPEATERS_TOPIC not in keywords:
        keywords[REPEATERS_TOPIC] = MOVE_EVIDENCE
    elif (
        MOVE_TOPIC not in keywords
        and REPEATERS_TOPIC not in keywords
        and _wanted_in_a_room(keywords, positions, said)
    ):
        pass  # "quer internet no quarto": the repeaters' topic has the evidence
    elif MOVE_TOPIC not in keywords and wanted_in_an_outbuilding(said):
        # "quer internet na edícula": a new point, not a new contract ("quer internet").
        wish = {i for i, w in enumerate(said) if w in WISHES or w in CONNECTION}
        _give_way(keywords, positions, wish, MOVE_TOPIC)
    elif not keywords and asks_if_served(said):
        # Nothing else pointed to: "chega fibra no sítio?" keeps the technologies ("fibra").
        keywords[PLACES_TOPIC] = MOVE_EVIDENCE
    if MOVE_TOPIC not in keywords and moves_house(said):
        keywords[MOVE_TOPIC] = MOVE_EVIDENCE  # "vai mudar pra rua de trás"
    if CANCEL_TOPIC not in keywords and leaves_for_another(said):
        keywords[CANCEL_TOPIC] = MOVE_EVIDENCE
    if wording_asked(said):
        owners = names.providers or (
            [kb.providers[pid] for pid in context] if len(context) == 1 else []
        )
        weak = max(keywords.values(), default=0.0) <= EXACT
        if owners and weak and all(prescribes_wording(p) for p in owners):
            # "como falo pro cliente que vou mandar o técnico?": the ISP's guidance says which
            # words to use ("não usar X, mas sim Y"); a word of what is told is not what is asked.
            keywords[GUIDANCE_TOPIC] = max(keywords.values(), default=0.0) + EXACT
            measured = measured or GUIDANCE_TOPIC
        elif not keywords:
            keywords[GUIDANCE_TOPIC] = EXACT
    if place_alone and not keywords:
        keywords[PLACES_TOPIC] = CONTEXT_ALONE
    if joined is None:
        joined = _with_the_sector(names.providers, keywords, said)
    if joined is None:
        # The ISP named, or the one a context name ("pagamento invertido") points to.
        owner = [kb.providers[pid] for pid in context] if len(context) == 1 else []
        joined = _handed_over(names.providers or owner, keywords, said, topic_hits, out_of_order)
    # A password asked beside a name the passwords' answer writes ("achou no <system>, posso
    # passar a senha do wifi?", "sem acesso pelo <system> pra trocar senha": "informar a senha
    # do roteador se estiver no <system>"): the router's, not the system's login.
    written = named_topic == PASSWORDS
    if not names.equipment and PASSWORDS in keywords and not written:
        _credentials_of_what_is_named(kb, keywords, positions, said)
    if not names.equipment and PASSWORDS in keywords:
        _access_beside_what_is_asked(keywords, positions, said)
    unasked = credentials_unasked(kb, names.providers, keywords, said, bool(names.equipment))
    kept = [h for h in topic_hits if h.passage.topic_id not in unasked]
    if names.providers and unasked and kept:
        # Only the ISP named, and only beside other passages: a search that finds nothing but
        # a credential passage stays a search marked as credentials (the policy's to gate).
        hits = [h for h in hits if h.passage.topic_id not in unasked]
        topic_hits = kept
    passages = passage_scores(topic_hits)
    topics = rank_topics(kb, keywords, passages)
    context_names = tuple(names.context)
    if terms and topics and not (names.providers or names.lookalike or names.context):
        # No name: the figure or the wording of one ISP's answer of the topic asked ("bloqueia
        # no 4º dia, né?").
        ranked = [(t.topic.id, t.score) for t in topics]
        quoted = stated_facts(kb, text, words, set(names.used), ranked, bool(when), literal=literal)
        if quoted is not None and not codes.not_typed(kb, text, quoted.names):
            quoted = None  # the customer's password typed ('senha "abrir ordem de serviço"')
        if quoted is not None:
            context_names = quoted.names
            if quoted.topic_id != topics[0].topic.id:
                first = next(t for t in topics if t.topic.id == quoted.topic_id)
                topics = [first, *(t for t in topics if t is not first)]
            quoting = context_owners(quoted.names)
            if joined is None and len(quoting) == 1:
                # The ISP the quoted rule is written by, as if named ("pagou o mês 3 e deixou
                # o 2 aberto, eles fazem inversão?": LaserNet's inverted payment).
                writer = [kb.providers[pid] for pid in quoting]
                joined = _handed_over(writer, keywords, said, topic_hits)
                if joined is not None and topics[0].topic.id not in joined:
                    joined = None
    read_at = {i for c in context_names for i in range(c.start, c.end)}
    if not names.providers and context_names and name_slipped(kb, words, read_at):
        # An ISP's name typed short ("mtum", "vmnt:"): a word only another ISP's document
        # writes must not answer for it (QA 9b); which ISP is asked.
        context_names = ()
    if typed_password is not None:
        context_names = (*context_names, typed_password)
    elif terms and not (names.providers or names.lookalike):
        context_names = _with_password(kb, text, words, context_names, names)
    equipment = names.equipment[0] if len(names.equipment) == 1 else None
    choices = tuple(names.equipment) if len(names.equipment) > 1 else ()
    return Reading(
        providers=tuple(names.providers),
        topics=tuple(topics),
        equipment=equipment,
        lookalike=names.lookalike if not names.providers else None,
        equipment_choices=choices,
        equipment_typed=" ".join(words[i] for i in sorted(names.equipment_at)),
        words=tuple(topic_words),
        hits=tuple(hits),
        context=context_names,
        beside=names.lookalike if names.providers else None,
        joined=joined,
        clue_topic=measured or named_alone,
        by_equipment=names.by_equipment,
        brand_port=names.port,
    )


def providers_by_name(kb: KB, text: str) -> list[Provider]:
    """The ISPs a text names by their names (exact, misspelt or a short form): no equipment,
    no context name."""
    return _providers_named(kb, normalize(text).split(), set(), label_positions(text))


def places_told(kb: KB, text: str) -> list[ContextName]:
    """The places (a city, a neighbourhood, a community an ISP's ``cidades`` answer names) a
    text tells, whatever else it names."""
    words = normalize(text).split()
    found = find_context(kb, words, set(), _lexicon(kb).known, dotted_numbers(text), set())
    return [name for name in found if not name.term and not name.password and is_place(kb, name)]
