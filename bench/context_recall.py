"""Recall of the ISP named by context, derived from the KB alone (no question set).

`./uvw run --locked python bench/context_recall.py [--misses N] [--kind KIND]`

For every clue the KB's texts hold for exactly one or two ISPs -- every name of the context index,
and, found apart from it, the capitalised words and runs, the numbers with a unit, the prices, the
phones and the hosts of each ISP's texts -- it writes the clue the ways agents type it (lower
case and no accents, one typo in a long word, only the distinctive word of a multiword name, a
place's first word abbreviated, a city with its state, a phone without its area code or without
its dash, a price with "R$", a dot or in whole reais) inside five neutral carrier questions, and
asks the bot (``answer``). Kinds ``fragment:*`` type them as fragments (``_fragments``): an IP's
octets, a phone's last four digits or with "+55", a host without its TLD or as "@domain", a
street without "Rua", a model loosely, a name with a version or a word glued after it. A reply is

* right: it answers for the clue's ISP (one owner), or offers exactly its two owners (two), or
  shows passages of exactly those;
* wrong: it names an ISP the clue does not belong to, or picks one of two owners silently;
* a miss: it names no ISP (asks "which ISP?" among all), or shows passages (a search reply)
  that are not the owners' alone -- passages are where the words are, no ISP is picked.

Printed: recall and wrong replies per kind of clue, then the misses (clue, owners, typed form,
what the bot did). Wrong replies are never allowed; a miss costs the agent a tap.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wordfreq import zipf_frequency  # noqa: E402

from bench.accuracy import _named_isps  # noqa: E402
from bot.answers.core import answer  # noqa: E402
from bot.answers.reply import ReplyKind  # noqa: E402
from bot.knowledge.kb import KB, load_kb  # noqa: E402
from bot.reading.codes import not_a_password  # noqa: E402
from bot.reading.context import ContextName, _texts, context_index  # noqa: E402
from bot.reading.text import STOPWORDS, normalize  # noqa: E402

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
CARRIERS = (
    "cliente de {clue} sem internet",
    "cli do {clue} quer saber o dns",
    "{clue}, qual a senha do roteador?",
    "o {clue} do cliente nao ta funcionando, oq faço",
    "tem tecnico amanha pra {clue}?",
)
"""Neutral questions: a topic every ISP answers, and no other clue to the ISP."""
WORD_ZIPF = 3.6
"""A capitalised word at least this frequent in Portuguese or English is a word, no clue."""
PLACE_ZIPF = 4.8
"""The same for the words of a ``cidades`` answer (a city may be a word: "Fortaleza")."""
TYPO_MIN = 7
"""Words this long get a typo variant (one letter dropped)."""
ABBREVIATED = {
    "jardim": "jd",
    "vila": "vl",
    "santa": "sta",
    "santo": "sto",
    "parque": "pq",
    "avenida": "av",
    "comunidade": "com",
}
"""How addresses' first words are shortened ("jd julieta", "sta rita")."""
FORM = 7
"""Words sharing this many first letters are forms of one word ("cancelamentos")."""
CONNECTORS = {"de", "da", "do", "das", "dos", "e"}
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[-'][^\W_]+)*")
_RUN = re.compile(
    r"(?<![.:!?\n•…\-\"(/])(?<![.:!?…]\s)"  # not where any word takes a capital
    r"\b([A-ZÀ-Ý][^\W_]+(?:[ ](?:(?:de|da|do|das|dos|e)[ ])?[A-ZÀ-Ý][^\W_]+){0,3})\b(?!/)"
)
_PRICE = re.compile(r"(?<![\d,.])(\d{2,3}),(\d{2})(?![\d,])")
_SPEED = re.compile(r"\b(\d{2,4})\s?(MB|Mb|mb|Mega|MEGA|mega|Megas|megas|M|GB|Giga|giga)\b")
_PHONE = re.compile(r"(?<![\d.])(?:\((\d{2})\)\s?|(\d{2})\s)?(\d{4,5})[\s-]?(\d{4})(?![\d.])")
_HOST = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:com|net|br|org|app|tv)(?:\.br)?)\b", re.I)


@dataclass(frozen=True)
class Clue:
    kind: str
    written: str
    owners: frozenset[str]
    typed: tuple[tuple[str, str, frozenset[str]], ...]
    """(variant, as typed, whose it is: a name's distinctive word alone is judged by its own
    owners -- "Paramount" of "Paramount Plus" is two ISPs')."""


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
    ).casefold()


def _typo(word: str) -> str:
    middle = len(word) // 2
    return word[:middle] + word[middle + 1 :]


def _common(word: str, threshold: float = WORD_ZIPF) -> bool:
    folded = word.casefold()
    return (
        normalize(word) in STOPWORDS
        or len(normalize(word)) < 3
        or zipf_frequency(folded, "pt") >= threshold
        or zipf_frequency(folded, "en") >= threshold + 0.4
    )


class Corpus:
    """Each ISP's texts, normalised, and the words the KB writes in lower case."""

    def __init__(self, kb: KB) -> None:
        self.kb = kb
        self.texts: dict[str, list[tuple[str, str]]] = {
            p.id: list(_texts(p)) for p in kb.providers.values()
        }
        self.plain = {
            pid: " " + " ".join(normalize(body) for _t, body in texts) + " "
            for pid, texts in self.texts.items()
        }
        self.lower = {
            normalize(w)
            for texts in self.texts.values()
            for _t, body in texts
            for w in _WORD.findall(body)
            if w.islower()
        }
        self.lower_forms = {w[:FORM] for w in self.lower if len(w) >= FORM}
        self.isp_words: set[str] = set()
        for provider in kb.providers.values():
            for name in (provider.id, provider.name, *provider.aliases):
                self.isp_words.update(normalize(name).split())
            for lookalike in provider.lookalikes:
                self.isp_words.update(normalize(lookalike.name).split())
        self.topic_words = {
            w
            for topic in kb.catalogue.topics
            for k in (*topic.keywords, *topic.commands)
            for w in normalize(k).split()
        }
        self.generic = {w for g in kb.catalogue.generic for w in normalize(g).split()}

    def ordinary(self, word: str) -> bool:
        """A word the KB writes in lower case, or another form of one ("Cancelamentos",
        "Cobranças"), or a verb's "we" form ("Utilizamos"): a word, no name."""
        key = normalize(word)
        return (
            key in self.lower
            or key[:FORM] in self.lower_forms
            or (key.endswith(("amos", "emos", "imos")) and word[1:].islower())
        )

    def owners(self, key: str) -> frozenset[str]:
        return frozenset(pid for pid, plain in self.plain.items() if f" {key} " in plain)


def _text_variants(written: str, corpus: Corpus, place_state: str = "") -> list[tuple[str, str]]:
    """How agents type a name: as written, lower case without accents, a typo, its distinctive
    word alone, with its state."""
    plain = _fold(written)
    out = [("as written", written), ("lower", plain)]
    words = plain.split()
    longest = max(words, key=len)
    if len(longest) >= TYPO_MIN and longest.isalpha():
        out.append(("typo", plain.replace(longest, _typo(longest), 1)))
    content = [w for w in words if w not in CONNECTORS]
    if len(content) > 1:
        rare = [w for w in content if not _common(w) and w not in corpus.lower]
        if len(rare) == 1:
            out.append(("one word", rare[0]))  # judged against that word's own owners
    short = ABBREVIATED.get(words[0]) if len(words) > 1 else None
    if short:
        out.append(("abbreviated", " ".join([short, *words[1:]])))
    if place_state:
        out.append(("with state", f"{plain} {place_state.casefold()}"))
        out.append(("with -UF", f"{written}-{place_state}"))
    return out


def clues(kb: KB) -> list[Clue]:
    corpus = Corpus(kb)
    found: dict[tuple[str, str], Clue] = {}

    def keep(kind: str, written: str, owners: frozenset[str], typed: list[tuple[str, str]]):
        if not 1 <= len(owners) <= 2:
            return
        if not not_a_password(kb, [ContextName(normalize(written), written, owners, 0, 0)]):
            return  # a KB password's words ("MFibra" of a secret): no clue, by design
        forms = []
        for variant, text in typed:
            mine = owners
            if variant == "one word":
                mine = corpus.owners(normalize(text))
            elif variant == "typo":
                # "leveuca e do app": the misspelt word is the only clue left ("Leveduca"), the
                # rest are the catalogue's topic words.
                words = _fold(written).split()
                longest = max(words, key=len)
                rest = [w for w in words if w != longest and w not in CONNECTORS]
                if rest and all(w in corpus.topic_words for w in rest):
                    mine = corpus.owners(normalize(longest))
            if 1 <= len(mine) <= 2:
                forms.append((variant, text, mine))
        found.setdefault((kind, normalize(written)), Clue(kind, written, owners, tuple(forms)))

    # The context index's own names.
    index = context_index(kb)
    places = {key for keys in index.places.values() for key in keys}
    for key, entry in index.names.items():
        if key.startswith(("tel ", "ddd ", "porta ", "preco ")) or re.fullmatch(
            r"\d+(mega|giga|kbps)", key
        ):
            continue  # kept below with their typed forms
        kind = "index:place" if key in places else "index:name"
        keep(kind, entry.display, entry.owners, _text_variants(entry.display, corpus))
    rounded_prices: dict[int, frozenset[str]] = defaultdict(frozenset)
    for pid, texts in corpus.texts.items():
        for _t, body in texts:
            for reais, cents in _PRICE.findall(body):
                rounded = int(reais) + (cents != "00")
                rounded_prices[rounded] = rounded_prices[rounded] | {pid}
    for provider in kb.providers.values():
        state = provider.state
        for topic_id, body in corpus.texts[provider.id]:
            # Capitalised words and runs, where a capital means a name.
            for run in _RUN.findall(body):
                words = run.split()
                key = normalize(run)
                if any(c.isdigit() for c in run) and not re.search(r"[^\W\d_]{5}", run):
                    continue  # "DNS1": a code, no name
                if any(w in corpus.isp_words or w in corpus.generic for w in key.split()):
                    continue
                place = topic_id == "cidades"
                threshold = PLACE_ZIPF if place else WORD_ZIPF
                content = [w for w in words if w.casefold() not in CONNECTORS]
                if all(_common(w, threshold) or corpus.ordinary(w) for w in content):
                    continue
                kind = "place" if place else ("run" if len(content) > 1 else "word")
                extra = state if place else ""
                keep(kind, run, corpus.owners(key), _text_variants(run, corpus, extra))
            for reais, cents in _PRICE.findall(body):
                written = f"{reais},{cents}"
                typed = [
                    ("as written", f"plano de {written}"),
                    ("R$", f"plano de R$ {written}"),
                    ("dot", f"plano de {reais}.{cents}"),
                ]
                keep("price", written, corpus.owners(f"{reais} {cents}"), typed)
                # Whole reais, as agents round: "100 reais" is 99,90 or 100,00.
                rounded = int(reais) + (cents != "00")
                keep(
                    "price",
                    f"{rounded} reais",
                    rounded_prices.get(rounded, frozenset()),
                    [("reais", f"plano de {rounded} reais")],
                )
            for number, unit in _SPEED.findall(body):
                giga = unit.casefold().startswith("g")
                written = f"{number}{'GB' if giga else 'MB'}"
                word = "giga" if giga else "mega"
                owners = frozenset(
                    pid
                    for pid, texts in corpus.texts.items()
                    if any(
                        re.search(
                            rf"\b{number}\s?{'(g|gb|giga)' if giga else '(m|mb|mega)'}", b, re.I
                        )
                        for _t, b in texts
                    )
                )
                typed = [
                    ("as written", f"plano {number}{unit}"),
                    ("spaced", f"plano de {number} {word}s"),
                    ("bare", f"{number}{word[0]}"),
                ]
                keep("speed", written, owners, typed)
            for area, area2, head, tail in _PHONE.findall(body):
                ddd = area or area2
                digits = head + tail
                if len(digits) < 8:
                    continue
                owners = frozenset(
                    pid
                    for pid, texts in corpus.texts.items()
                    if any(digits in re.sub(r"\D", "", b) for _t, b in texts)
                )
                typed = [
                    ("dashed", f"{head}-{tail}"),
                    ("plain", digits),
                    ("spaced", f"{head} {tail}"),
                ]
                if ddd:
                    typed.append(("with ddd", f"({ddd}) {head}-{tail}"))
                    typed.append(("ddd plain", f"{ddd}{digits}"))
                keep("phone", f"{head}-{tail}", owners, typed)
            for host in _HOST.findall(body):
                host = re.sub(r"^www\.", "", host, flags=re.I)
                labels = [x for x in re.split(r"[.-]", host.casefold()) if x]
                owners = corpus.owners(normalize(host))
                typed = [("as written", host)]
                distinctive = [
                    x
                    for x in labels[:-1]
                    if len(x) >= 6
                    and x.isalpha()
                    and not _common(x)
                    and x not in corpus.lower
                    and x not in {"www", "com", "net"}
                ]
                for label in distinctive:
                    typed.append(("label", label))
                keep("host", host, owners, typed)
    _fragments(kb, corpus, keep)
    return sorted(found.values(), key=lambda c: (c.kind, c.written))


_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
_STREET = re.compile(
    r"\b(?:Rua|R\.|Avenida|Av\.?|Travessa|Estrada|Rodovia|Alameda|Pra[çc]a)\s+"
    r"((?:[A-ZÀ-Ý][^\W\d_]+|d[aoe]s?)(?:\s(?:[A-ZÀ-Ý][^\W\d_]+|d[aoe]s?))*)"
)
_TLD = re.compile(r"(?:\.(?:com|net|org|tv|app))?(?:\.br)?$", re.I)


def _ip_forms(ip: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(variant, as typed, the octets typed) of an IP typed partly."""
    o = ip.split(".")
    forms = [
        ("first two", ".".join(o[:2]), tuple(o[:2])),
        ("first three", ".".join(o[:3]), tuple(o[:3])),
        ("last two", f"o {o[2]}.{o[3]}", tuple(o[2:])),
        ("in url", f"http://{ip}:8080", tuple(o)),
    ]
    if len(o[3]) >= 2:
        forms.append(("last octet", f"ip .{o[3]}", (o[3],)))
        forms.append(("ip final", f"ip final {o[3]}", (o[3],)))
    # Two one-digit octets ("1.1") are no clue anyone types.
    return [f for f in forms if len(f[2]) > 2 or any(len(x) >= 2 for x in f[2])]


def _fragments(kb: KB, corpus: Corpus, keep) -> None:  # type: ignore[no-untyped-def]
    """Clues typed as fragments: an IP partly, a phone by its last digits or with "+55", a host
    without its TLD or as an e-mail's domain, a street without "Rua", an equipment model
    loosely (lower case, no dash, no space, without its last letter)."""
    ips = {
        pid: {ip for _t, body in texts for ip in _IPV4.findall(body)}
        for pid, texts in corpus.texts.items()
    }

    def holding(octets: tuple[str, ...]) -> frozenset[str]:
        n = len(octets)
        return frozenset(
            pid
            for pid, found in ips.items()
            for ip in found
            for o in [tuple(ip.split("."))]
            if any(o[i : i + n] == octets for i in range(5 - n))
        )

    for pid_ips in ips.values():
        for ip in sorted(pid_ips):
            for variant, typed, octets in _ip_forms(ip):
                keep(f"fragment:ip {variant}", typed, holding(octets), [(variant, typed)])
    phones: dict[str, set[str]] = defaultdict(set)
    for pid, texts in corpus.texts.items():
        for _t, body in texts:
            for area, area2, head, tail in _PHONE.findall(body):
                if len(head + tail) >= 8:
                    phones[f"{area or area2}|{head}|{tail}"].add(pid)
    for phone in sorted(phones):
        ddd, head, tail = phone.split("|")
        last4 = frozenset(p for k, ids in phones.items() if k.endswith(tail) for p in ids)
        typed4 = [("final", f"numero final {tail}"), ("ligou", f"ligou do {tail}")]
        keep("fragment:phone last 4", tail, last4, typed4)
        owners = frozenset(phones[phone])
        typed = [("whatsapp", f"whatsapp {head}-{tail}"), ("spaced", f"{head} {tail}")]
        if ddd:
            typed.append(("+55", f"+55 {ddd} {head}-{tail}"))
            typed.append(("+55 joined", f"+55{ddd}{head}{tail}"))
            typed.append(("ddd spaced", f"{ddd} {head} {tail}"))
            if len(head) == 5 and head.startswith("9"):
                typed.append(("(ddd) 9", f"({ddd}) 9 {head[1:]}-{tail}"))
        keep("fragment:phone", f"{head}-{tail}", owners, typed)
    for texts in corpus.texts.values():
        for _t, body in texts:
            for host in _HOST.findall(body):
                host = re.sub(r"^www\.", "", host, flags=re.I)
                bare = _TLD.sub("", host)
                if bare == host or "." not in host:
                    continue
                labels = host.split(".")
                domain = ".".join(labels[-3:] if host.endswith(".br") else labels[-2:])
                # Judged by the fragment's own owners, and only with a label that is no
                # word, no topic word ("speedtest"), no well-known site ("instagram").
                for variant, part, typed_as in (
                    ("site", host, f"o site {host}/login"),
                    ("no tld", bare, bare),
                    ("e-mail", domain, f"o email @{domain}"),
                ):
                    distinctive = [
                        x
                        for x in re.split(r"[.-]", part.casefold())
                        if len(x) >= 4 and not _common(x) and x not in corpus.topic_words
                    ]
                    if distinctive:
                        owners = corpus.owners(normalize(part))
                        keep(f"fragment:host {variant}", part, owners, [(variant, typed_as)])
            for street in _STREET.findall(body):
                words = street.split()
                if len(words) < 2:
                    continue
                plain = _fold(street)
                typed = [("no prefix", street), ("lower", plain)]
                longest = max(plain.split(), key=len)
                if len(longest) >= TYPO_MIN:
                    typed.append(("typo", plain.replace(longest, _typo(longest), 1)))
                keep("fragment:street", street, corpus.owners(normalize(street)), typed)
    # Names typed with a version, a word glued after them, or their words together.
    index = context_index(kb)
    for key, entry in index.names.items():
        if not key.replace(" ", "").isalpha() or key in corpus.topic_words:
            continue
        plain = _fold(entry.display)
        if " " in key:
            typed = [("joined", plain.replace(" ", ""))]
        else:
            typed = [("version", f"{plain} 2.0"), ("glued app", f"{plain}app")]
        keep("fragment:name", entry.display, entry.owners, typed)
    models: dict[str, set[str]] = defaultdict(set)
    for provider in kb.providers.values():
        for item in provider.equipment:
            for name in (item.model, *item.aliases):
                models[name].add(provider.id)
    for name in sorted(models):
        compact = re.sub(r"[\W_]+", "", name).casefold()
        # Models: a letter and a digit in one word ("W5-1200G", "AC12G"); brands are words.
        if not re.search(r"[a-z]", compact) or not re.search(r"\d", compact):
            continue
        owners = frozenset(
            p
            for n, ids in models.items()
            if re.sub(r"[\W_]+", "", n).casefold() == compact
            for p in ids
        )
        typed = [("compact", compact), ("dash to space", name.replace("-", " ").casefold())]
        if compact[-1].isalpha() and compact[-2].isdigit():
            typed.append(("no last letter", name.replace("-", " ").casefold()[:-1].strip()))
        keep("fragment:model", name, owners, typed)


def judge(kb: KB, owners: frozenset[str], text: str) -> tuple[str, str]:
    """("right" | "wrong" | "miss", what the bot did)."""
    reply = answer(kb, text, NOW)
    named = _named_isps(kb, reply)
    if reply.provider_id:
        named.add(reply.provider_id)
    did = f"{reply.kind.value} {reply.provider_id}/{reply.topic_id} {sorted(named)}"
    if not named or named == set(kb.providers):
        return "miss", did
    if reply.kind is ReplyKind.SEARCH:
        # Passages where the words are: the owners' alone is the ISP read; else no ISP answered.
        return ("right" if named == owners else "miss"), did
    if not named <= owners:
        return "wrong", did
    if len(owners) == 2 and len(named) == 1:
        return "wrong", did + " (picked one of two)"
    return ("right" if named == owners else "miss"), did


def measure(kb: KB, found: Iterable[Clue]) -> dict[str, Counter[str]]:
    figures: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[str] = []
    for clue in found:
        for variant, typed, owners in clue.typed:
            for carrier in CARRIERS:
                text = carrier.format(clue=typed)
                verdict, did = judge(kb, owners, text)
                figures[clue.kind][verdict] += 1
                figures[f"{clue.kind} ({variant})"][verdict] += 1
                if verdict != "right":
                    judged = "" if owners == clue.owners else " " + "+".join(sorted(owners))
                    misses.append(
                        f"  {verdict:5} {clue.kind:11} {clue.written!r} {sorted(clue.owners)}"
                        f" [{variant}{judged}] {text!r}: {did}"
                    )
    figures["_misses"] = Counter(misses)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", type=int, default=60, help="misses printed (0: none)")
    parser.add_argument("--kind", default="", help="only clues of this kind (prefix)")
    parser.add_argument("--wrong", action="store_true", help="print only the wrong replies")
    args = parser.parse_args()
    kb = load_kb(ROOT / "knowledge")
    found = [c for c in clues(kb) if c.kind.startswith(args.kind)]
    figures = measure(kb, found)
    misses = figures.pop("_misses")
    total: Counter[str] = Counter()
    print(f"{len(found)} clues, {sum(len(c.typed) for c in found)} typed forms, x{len(CARRIERS)}")
    print(f"{'kind':32} {'right':>6} {'miss':>6} {'wrong':>6}  recall")
    for kind in sorted(figures):
        row = figures[kind]
        if "(" not in kind:
            total.update(row)
        n = sum(row.values())
        print(
            f"{kind:32} {row['right']:6} {row['miss']:6} {row['wrong']:6}  {row['right'] / n:.1%}"
        )
    n = sum(total.values())
    right, miss, wrong = total["right"], total["miss"], total["wrong"]
    print(f"{'all':32} {right:6} {miss:6} {wrong:6}  {right / n:.1%}")
    shown = [m for m in misses if not args.wrong or m.lstrip().startswith("wrong")]
    if args.misses:
        print("\n".join(sorted(shown)[: args.misses]))


if __name__ == "__main__":
    main()
