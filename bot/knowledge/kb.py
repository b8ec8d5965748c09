"""Loading the knowledge base: YAML files -> one validated, immutable :class:`KB`.

Loading is all or nothing: either every file parses and validates and a new ``KB`` is returned,
or :class:`KBError` lists every problem found (file, line, what is wrong), one readable line each.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import logging
import os
import pickle
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge import version as _version  # noqa: F401 -- its read is prepared with a KB
from bot.knowledge import yamlworker
from bot.knowledge.derive import build_all
from bot.knowledge.derive import derived as derived  # re-exported: where KB data is cached
from bot.knowledge.guard import (
    AGAINST_COMMITTED,
    AGAINST_LOADED,
    UNFINISHED,
    bidi_controls,
    committed_providers,
    shrunk,
    unfinished_end,
)
from bot.knowledge.schema import Catalogue, Provider, Topic

log = logging.getLogger(__name__)

TOPICS_FILE = "topics.yaml"
PROVIDERS_DIR = "providers"

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class KBProblem:
    """One thing wrong in the KB, located as precisely as the YAML allows."""

    file: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.message}"


class KBError(Exception):
    """The KB could not be loaded; ``problems`` says why."""

    def __init__(self, problems: list[KBProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True, eq=False)  # identity: a reload is a new KB
class KB:
    """The knowledge base in memory. Never mutated: a reload builds a new one."""

    catalogue: Catalogue
    providers: Mapping[str, Provider]
    root: Path
    loaded_at: dt.datetime
    topics: Mapping[str, Topic] = field(init=False)
    command_topics: Mapping[str, Topic] = field(init=False)
    _derived: dict[Callable[[KB], Any], Any] = field(init=False, repr=False, default_factory=dict)
    """What :func:`derived` functions computed from this KB: kept with it, gone with it."""

    def __post_init__(self) -> None:
        topics = {t.id: t for t in self.catalogue.topics}
        commands = {cmd: t for t in self.catalogue.topics for cmd in t.commands}
        object.__setattr__(self, "topics", MappingProxyType(topics))
        object.__setattr__(self, "command_topics", MappingProxyType(commands))

    def is_secret(self, provider: Provider, topic_id: str) -> bool:
        """Does this ISP's answer on this topic carry credentials?"""
        entry = provider.topics.get(topic_id)
        if entry is not None and entry.secret is not None:
            return entry.secret
        if topic_id == "senha" and provider.equipment:
            return True
        return self.topics[topic_id].secret


# --------------------------------------------------------------------------- error wording

_PT_ERRORS = {
    "missing": "campo obrigatório ausente",
    "extra_forbidden": "chave desconhecida (erro de digitação?)",
    "string_type": "deve ser um texto",
    "string_too_short": "não pode ser vazio",
    "string_pattern_mismatch": "formato inválido (use letras minúsculas, números e _)",
    "list_type": "deve ser uma lista",
    "dict_type": "deve ser um mapa (chave: valor)",
    "model_type": "deve ser um mapa (chave: valor)",
    "bool_type": "deve ser true ou false",
    "bool_parsing": "deve ser true ou false",
    "date_type": "deve ser uma data AAAA-MM-DD",
    "date_from_datetime_parsing": "deve ser uma data AAAA-MM-DD",
    "date_parsing": "deve ser uma data AAAA-MM-DD",
    "too_short": "não pode ser vazio",
}


def _describe(error: Any) -> str:
    kind = error["type"]
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"valor inválido: {error.get('input')!r} (use {expected})"
    if kind == "value_error":
        # Our own validators already speak Portuguese; drop pydantic's "Value error, " prefix.
        return str(error["msg"]).removeprefix("Value error, ")
    return _PT_ERRORS.get(kind, str(error["msg"]))


# --------------------------------------------------------------------------- YAML with lines


def _node_at(node: yaml.Node, loc: tuple[Any, ...]) -> yaml.Node:
    """Follow a pydantic error location into the composed YAML tree, as deep as it goes."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(key)), None)
            if child is None:
                # An unknown key: point at the key itself.
                keynode = next((k for k, _ in node.value if k.value == str(key)), None)
                return keynode or node
            node = child
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                return node
            node = node.value[key]
        else:
            return node
    return node


def _duplicate_keys(node: yaml.Node, path: Path) -> list[KBProblem]:
    """PyYAML keeps the last of two equal keys silently; a supervisor must be told."""
    return [_repeated(path, line, key) for line, key in yamlworker.duplicate_keys(node)]


def _repeated(path: Path, line: int, key: str) -> KBProblem:
    return KBProblem(path, line, f"chave repetida: {key!r}")


_YAML_HINTS = (
    ("cannot start any token", "'\\t'", "há uma tabulação (TAB): indente só com espaços"),
    ("mapping values are not allowed", "", "':' no meio de um texto: ponha o texto entre aspas"),
    ("could not find expected ':'", "", "falta ':' depois de uma chave, ou aspas sem fechar"),
    ("while scanning a quoted scalar", "", "aspas abertas e não fechadas"),
    ("found unexpected end of stream", "", "aspas ou colchetes abertos e não fechados"),
    ("expected ',' or ']'", "", "lista entre [ ] sem vírgula entre os itens ou sem o ']'"),
    ("expected ',' or '}'", "", "mapa entre { } sem vírgula entre os itens ou sem o '}'"),
    ("expected <block end>", "", "indentação desalinhada: alinhe os itens com espaços"),
    ("did not find expected '-'", "", "item de lista sem '-' ou desalinhado"),
    ("did not find expected key", "", "indentação desalinhada ou chave sem ':'"),
    ("found undefined alias", "", "'*' no início de um texto: ponha o texto entre aspas"),
    ("found character '@'", "", "'@' ou '`' no início de um texto: ponha o texto entre aspas"),
    ("found character '`'", "", "'@' ou '`' no início de um texto: ponha o texto entre aspas"),
)


def yaml_problem(shown: Path, text: str, exc: yaml.YAMLError) -> KBProblem:
    """A YAML syntax error in Portuguese, with its line and a hint at the usual cause."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = str(getattr(exc, "problem", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    hint = next(
        (
            words
            for needle, also, words in _YAML_HINTS
            if needle in f"{problem} {context}" and also in problem
        ),
        None,
    )
    column = mark.column + 1 if mark is not None else None
    if hint is None and line is not None:
        lines = text.splitlines()
        if "\t" in "".join(lines[max(0, line - 2) : line]):
            hint = "há uma tabulação (TAB): indente só com espaços"
    opened = _unclosed_quote(text, line) if line is not None and "TAB" not in (hint or "") else None
    if opened is not None:
        # YAML lets a quoted text run on over the next lines: the error shows up later, where
        # the text it swallowed stops making sense ("chave sem ':'" two lines down).
        line, column = opened
        hint = "aspas abertas e não fechadas nesta linha: feche as aspas"
    where = f" (coluna {column})" if column is not None else ""
    return KBProblem(
        shown, line, f"YAML inválido{where}: {hint or 'confira a indentação, os : e as aspas'}"
    )


def _unclosed_quote(text: str, line: int, back: int = 3) -> tuple[int, int] | None:
    """(line, column) of a double quote opened and not closed on its line, on the error's line or
    the few before it; None when every line there closes its quotes."""
    lines = text.splitlines()
    for index in range(min(line, len(lines)) - 1, max(-1, line - 1 - back), -1):
        quotes = [m.start() for m in re.finditer(r'(?<!\\)"', lines[index])]
        if len(quotes) % 2 == 1:
            return index + 1, quotes[-1] + 1
    return None


_parse = yamlworker.parse
"""Parse once: the node tree (for line numbers) and the data built from it."""


class ParseCache:
    """Parsed YAML files by content, kept across reloads: a reload parses again only the files
    whose text changed (PyYAML is most of a load: ~1 s of the 1.4 s of 500 ISPs,
    ``bench/scale.py``). An entry is the data as parsed, pickled, so each load gets its own copy
    to merge secrets into, and the duplicate keys found; a file that did not parse is not kept.
    Safe to share between threads."""

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[bytes, bytes, list[KBProblem]]] = {}
        self._lock = threading.Lock()

    def get(self, path: Path, text: str) -> tuple[Any, list[KBProblem]] | None:
        """(a fresh copy of the data, duplicate-key problems), or None when not cached."""
        with self._lock:
            entry = self._entries.get(path)
        if entry is None or entry[0] != yamlworker.digest(text):
            return None
        return pickle.loads(entry[1]), list(entry[2])

    def put(self, path: Path, text: str, data: Any, problems: list[KBProblem]) -> None:
        pickled = pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
        self.put_parsed(path, yamlworker.digest(text), pickled, problems)

    def put_parsed(
        self, path: Path, digest: bytes, pickled: bytes, problems: list[KBProblem]
    ) -> None:
        """An entry made elsewhere (:mod:`bot.knowledge.yamlworker`): the text's digest, the data
        pickled."""
        with self._lock:
            self._entries[path] = (digest, pickled, list(problems))

    def has(self, path: Path) -> bool:
        """An entry for this path (maybe of an older text)."""
        with self._lock:
            return path in self._entries

    def keep_only(self, paths: set[Path]) -> None:
        """Forget the files that are gone."""
        with self._lock:
            for gone in self._entries.keys() - paths:
                del self._entries[gone]

    def __len__(self) -> int:
        return len(self._entries)


UNREADABLE = {
    errno.ENOENT: "ele sumiu durante a leitura (ou é um link para nada)",
    errno.EACCES: "sem permissão de leitura para o usuário do bot",
    errno.EISDIR: "é uma pasta, não um arquivo",
}
"""Why a file could not be read, in pt-BR (the system's own words otherwise)."""
NOT_UTF8 = "o arquivo não está em UTF-8 (acentos de outra codificação): salve-o como UTF-8"


def _load_model(
    path: Path,
    model: type[M],
    shown: Path,
    patch: Callable[[Any], list[str]] | None = None,
    cache: ParseCache | None = None,
) -> tuple[M | None, list[KBProblem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        why = UNREADABLE.get(exc.errno or 0, exc.strerror or type(exc).__name__)
        return None, [KBProblem(shown, None, f"não foi possível ler o arquivo: {why}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # An editor that saved in Windows-1252/Latin-1 ("ç" as one byte): the line, in pt-BR.
        line = raw[: exc.start].count(b"\n") + 1
        return None, [KBProblem(shown, line, NOT_UTF8)]
    cut = unfinished_end(text)
    if cut is not None:
        # Refused even when it parses: a cut inside a text block leaves a shorter valid text.
        return None, [KBProblem(shown, cut, UNFINISHED)]
    hidden = bidi_controls(text)  # comments included: nothing in the file may hide so
    if hidden:
        return None, [KBProblem(shown, line, problem) for line, problem in hidden]
    node: yaml.Node | None = None
    cached = cache.get(path, text) if cache is not None else None
    if cached is not None:
        data, problems = cached
    else:
        try:
            node, data = _parse(text)
        except yaml.YAMLError as exc:
            return None, [yaml_problem(shown, text, exc)]
        if node is None or data is None:
            return None, [KBProblem(shown, None, "arquivo vazio")]
        problems = _duplicate_keys(node, shown)
        if cache is not None:
            cache.put(path, text, data, problems)
    if patch is not None and isinstance(data, dict):
        # Models the secrets name but the file has not: the caller words them (see
        # _secret_placement).
        problems += [KBProblem(_SECRETS_MARK, None, model) for model in patch(data)]
    try:
        value = model.model_validate(data)
    except ValidationError as exc:
        if node is None:  # from the cache: parse again for the lines of the errors
            node, _ = _parse(text)
            assert node is not None  # it parsed before, to the same text
        for error in exc.errors():
            loc = tuple(error["loc"])
            target = _node_at(node, loc)
            field_path = ".".join(str(p) for p in loc) or "(raiz)"
            problems.append(
                KBProblem(shown, target.start_mark.line + 1, f"{field_path}: {_describe(error)}")
            )
        return None, problems
    return value, problems


def not_found(what: str, path: Path) -> str:
    """``diretório ... não encontrado (procurado em /abs/path)``: a relative path is read from the
    current directory, which is not always the one a supervisor thinks of."""
    if path.is_absolute():
        return f"{what} não encontrado"
    return f"{what} não encontrado (procurado em {Path.cwd() / path}, a partir do diretório atual)"


def display(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root.parent) if root.parent != Path() else path
    except ValueError:
        return path


# --------------------------------------------------------------------------- a second process

PARALLEL_MIN_BYTES = 2_000_000
"""From this many bytes of provider files on, and with a second CPU, the first load parses part
of them in a second process (:mod:`bot.knowledge.yamlworker`). Below, starting it costs more than
it saves
(the real KB: 5 files, 80 KB)."""
ELSEWHERE_SHARE = 0.45
"""The second process's share of the bytes: a little less than half, as it starts ~0.1 s late and
pickles what it parsed."""
ELSEWHERE_TIMEOUT = 60.0
WORKER_COMMAND = [sys.executable, "-m", "bot.knowledge.yamlworker"]


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class _Elsewhere:
    """Files being parsed by :mod:`bot.knowledge.yamlworker` while this process parses the
    others."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = set(paths)
        package_root = str(Path(__file__).resolve().parent.parent)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p
            ),
        }
        self._process = subprocess.Popen(
            WORKER_COMMAND,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert self._process.stdin is not None
        try:
            # Now, so that it parses while this process does: it reads at once (a list larger
            # than the pipe waits here until it has started, ~0.1 s).
            self._process.stdin.write(pickle.dumps([str(p) for p in paths]))
            self._process.stdin.close()
            self._process.stdin = None  # sent: communicate() only reads
        except OSError:
            self._process.kill()
            self._process.wait()
            raise

    def collect(self, cache: ParseCache, shown: Callable[[Path], Path]) -> None:
        """Wait for the second process and put what it parsed in ``cache``; whatever it did not
        parse (or all of it, if it failed) is parsed here as usual."""
        try:
            out, err = self._process.communicate(timeout=ELSEWHERE_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
            log.warning("the YAML worker took over %.0f s; parsing here", ELSEWHERE_TIMEOUT)
            return
        if self._process.returncode != 0:
            log.warning(
                "the YAML worker failed (%s); parsing here: %s",
                self._process.returncode,
                err.decode(errors="replace").strip()[-500:],
            )
            return
        try:
            results: list[yamlworker.Parsed] = pickle.loads(out)
        except Exception as exc:  # a truncated answer: parse here
            log.warning("the YAML worker's answer is unreadable (%s); parsing here", exc)
            return
        for name, digest, pickled, repeated in results:
            path = Path(name)
            if path in self.paths:
                problems = [_repeated(shown(path), line, key) for line, key in repeated]
                cache.put_parsed(path, digest, pickled, problems)


def _parse_elsewhere(
    paths: list[Path], cache: ParseCache | None
) -> tuple[_Elsewhere | None, ParseCache | None]:
    """Start parsing the last ``ELSEWHERE_SHARE`` of the files' bytes in a second process, when
    the KB is large, a second CPU is there, and the cache does not have them already. Returns
    the process and the cache its results go to (a new one for a load without one)."""
    if _cpus() < 2:
        return None, cache
    sizes: list[tuple[Path, int]] = []
    for path in paths:
        if cache is None or not cache.has(path):
            try:
                sizes.append((path, path.stat().st_size))
            except OSError:
                continue  # the loader reports it
    total = sum(size for _, size in sizes)
    if total < PARALLEL_MIN_BYTES:
        return None, cache
    share, taken = [], 0
    for path, size in reversed(sizes):
        if taken >= total * ELSEWHERE_SHARE:
            break
        share.append(path)
        taken += size
    try:
        return _Elsewhere(share), cache if cache is not None else ParseCache()
    except OSError as exc:
        log.warning("could not start the YAML worker (%s); parsing here", exc)
        return None, cache


# --------------------------------------------------------------------------- the loader


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading builds hundreds of thousands of small objects that all survive; letting the cyclic
    GC rescan them after every allocation burst doubles the load time of a large KB."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_kb(
    root: Path | str,
    *,
    now: dt.datetime | None = None,
    secrets_file: Path | str | None = None,
    cache: ParseCache | None = None,
    prepare: bool = False,
    against_commit: bool = False,
) -> KB:
    """Load and validate the whole KB under ``root``; raise :class:`KBError` on any problem.

    ``secrets_file`` (default ``<root>/secrets.yaml`` when it exists) is merged into the provider
    files before they are validated: see :mod:`bot.knowledge.secrets`. ``cache``: files parsed by
    earlier loads (a :class:`KBHolder` keeps one for the reloads). ``prepare``: also build now
    everything an answer derives from the KB (:func:`bot.knowledge.derive.build_all`: indexes,
    lexicons, the holiday calendars), as the bot does before it answers from a KB, so that no
    question waits for them; a one-off load (``kb validate``, one ``ask``) builds only what it
    uses. ``against_commit``: in a git work tree, also refuse an ISP whose file, edited and not
    committed, lost most of what it had (:func:`committed_shrink`): what ``kb validate`` and the
    start check, as a reload checks it against the version answering.
    """
    with _gc_paused():
        kb = _load_kb(Path(root), now, secrets_file, cache)
    if against_commit:
        lost = committed_shrink(kb)
        if lost:
            raise KBError(lost)
    if prepare:
        build_all(kb)
    return kb


def _load_kb(
    root: Path,
    now: dt.datetime | None,
    secrets_file: Path | str | None,
    cache: ParseCache | None,
) -> KB:
    from bot.knowledge.secrets import SECRETS_FILE, SecretsOverlay, merge

    problems: list[KBProblem] = []
    if not root.is_dir():
        raise KBError([KBProblem(root, None, not_found("diretório da base de conhecimento", root))])

    overlay = SecretsOverlay()
    secrets_path = Path(secrets_file) if secrets_file else root / SECRETS_FILE
    secrets_shown = display(secrets_path, root)
    if secrets_file or secrets_path.is_file():
        if not secrets_path.is_file():
            problems.append(
                KBProblem(
                    secrets_path,
                    None,
                    not_found("arquivo de segredos (KB_SECRETS_FILE)", secrets_path),
                )
            )
        else:
            loaded, found = _load_model(secrets_path, SecretsOverlay, secrets_shown)
            problems += [_as_secrets(p) for p in found]
            overlay = loaded or overlay
    problems += _yml_files(root)

    topics_path = root / TOPICS_FILE
    catalogue: Catalogue | None = None
    if topics_path.is_file():
        catalogue, found = _load_model(
            topics_path, Catalogue, display(topics_path, root), cache=cache
        )
        problems += found
    else:
        problems.append(KBProblem(display(topics_path, root), None, "arquivo não encontrado"))

    providers: dict[str, Provider] = {}
    provider_files = yaml_files(root / PROVIDERS_DIR)
    if not provider_files:
        problems.append(
            KBProblem(display(root / PROVIDERS_DIR, root), None, "nenhum provedor (*.yaml)")
        )
    elsewhere, cache = _parse_elsewhere(provider_files, cache)
    for path in provider_files:
        shown = display(path, root)
        if elsewhere is not None and path in elsewhere.paths:
            assert cache is not None
            elsewhere.collect(cache, lambda p: display(p, root))
            elsewhere = None
        secrets = overlay.providers.get(path.stem)
        patch = (lambda data, s=secrets: merge(data, s)) if secrets is not None else None
        provider, found = _load_model(path, Provider, shown, patch, cache)
        problems += [
            _secret_placement(p, secrets_path, secrets_shown, path.stem)
            if p.file == _SECRETS_MARK
            else p
            for p in found
        ]
        if provider is None:
            continue
        if provider.id != path.stem:
            problems.append(
                KBProblem(
                    shown,
                    _id_line(path, provider.id),
                    f"id {provider.id!r} difere do nome do arquivo {path.stem!r}",
                )
            )
        if catalogue is not None:
            known = {t.id for t in catalogue.topics}
            problems += [
                KBProblem(shown, _line_of_key(path, topic_id), f"tópico desconhecido: {topic_id}")
                for topic_id in provider.topics
                if topic_id not in known
            ]
        providers[provider.id] = provider

    problems += [
        KBProblem(
            secrets_shown,
            _line_at(secrets_path, ("providers", pid)),
            f"arquivo de segredos: provedor desconhecido: {pid} "
            f"(não há {PROVIDERS_DIR}/{pid}.yaml)",
        )
        for pid in overlay.providers
        if not (root / PROVIDERS_DIR / f"{pid}.yaml").is_file()
    ]
    problems += _alias_clashes(providers, root)
    if catalogue is not None:
        problems += _not_served_clashes(catalogue, providers, topics_path, root)
    if cache is not None:
        cache.keep_only({topics_path, *provider_files})
    if problems or catalogue is None:
        raise KBError(problems)
    kb = KB(
        catalogue=catalogue,
        providers=MappingProxyType(providers),
        root=root,
        loaded_at=now or dt.datetime.now(dt.UTC),
    )
    problems += _password_leaks(kb, root)
    if problems:
        raise KBError(problems)
    return kb


def _password_leaks(kb: KB, root: Path) -> list[KBProblem]:
    """A password outside the secret topics and equipment rows: refused, since a public answer
    goes to every allowed chat and to inline mode. One the KB holds elsewhere, or one written
    after "senha:" (:func:`bot.knowledge.passwords.written_secrets`). The password is not
    named: the line is."""
    from bot.knowledge.passwords import leaks

    problems = []
    for leak in leaks(kb):
        path = root / PROVIDERS_DIR / f"{leak.provider}.yaml"
        line = _line_in_text(path, leak.loc, leak.offset) if path.is_file() else None
        what = (
            "contém uma senha escrita (senha: ...) fora dos tópicos secretos"
            if leak.written
            else "contém uma senha conhecida fora dos tópicos secretos"
        )
        fix = (
            "marque o tópico com secret: true ou tire a senha"
            if leak.loc[:1] == ("topics",)
            else "tire a senha daqui: leve-a a um tópico secreto ou ao arquivo de segredos"
        )
        problems.append(KBProblem(display(path, root), line, f"{leak.where}: {what} ({fix})"))
    return problems


def _root(path: Path) -> yaml.Node | None:
    """A YAML file's root node, for line numbers; None if it cannot be read or parsed."""
    try:
        node, _ = _parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return node


def _line_in_text(path: Path, loc: tuple[str | int, ...], offset: int) -> int | None:
    """The line of the file where the text at ``loc`` has its character ``offset``: inside a
    text block (``|``) its own line; a text on one line (quoted) that line."""
    node = _root(path)
    if node is None:
        return None
    target = _node_at(node, loc)
    line = int(target.start_mark.line) + 1
    if isinstance(target, yaml.ScalarNode) and target.style == "|":
        line += 1 + str(target.value)[:offset].count("\n")  # the text starts below the "|"
    return line


def shrink_problems(
    baseline: Mapping[str, Provider], kb: KB, against: str = AGAINST_LOADED
) -> list[KBProblem]:
    """An ISP of ``kb`` that lost most of what it had in ``baseline`` at once, ``reviewed:``
    unchanged (:func:`bot.knowledge.guard.shrunk`): a file cut short, at its last line."""
    problems = []
    for pid, message in shrunk(baseline, kb.providers, against).items():
        path = kb.root / PROVIDERS_DIR / f"{pid}.yaml"
        problems.append(KBProblem(display(path, kb.root), _last_line(path), message))
    return problems


REMOVED = (
    "{name} sairia da base (arquivo do provedor apagado ou renomeado?): a versão em uso continua "
    "respondendo; se a remoção é intencional, um supervisor confirma com /recarregar"
)


def removal_problems(baseline: Mapping[str, Provider], kb: KB) -> list[KBProblem]:
    """An ISP of ``baseline`` (the version answering) that ``kb`` no longer has: a whole file
    deleted or renamed (a bad ``git mv``, a checkout of the wrong branch). A deleted file has no
    ``reviewed:`` to change (the shrink guard's sign of a deliberate edit), so a reload holds it
    until a supervisor confirms with ``/recarregar`` (:meth:`~bot.knowledge.reload.Reloader
    .reload` with ``confirmed``)."""
    return [
        KBProblem(
            display(kb.root / PROVIDERS_DIR / f"{pid}.yaml", kb.root),
            None,
            REMOVED.format(name=provider.name),
        )
        for pid, provider in baseline.items()
        if pid not in kb.providers
    ]


def committed_shrink(kb: KB) -> list[KBProblem]:
    """:func:`shrink_problems` against the last commit (a KB in a git work tree): what ``kb
    validate`` and the start say of an edit not committed yet."""
    baseline = committed_providers(kb.root / PROVIDERS_DIR)
    return shrink_problems(baseline, kb, AGAINST_COMMITTED) if baseline else []


def _last_line(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return max(1, len(text.splitlines()))


def _id_line(path: Path, pid: str) -> int:
    """The line of the top-level ``id:`` that holds ``pid`` (the last one: a repeated key keeps
    its last value), else the first ``id:``, else 1."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    found = [
        number
        for number, line in enumerate(lines, start=1)
        if (m := _ID_LINE.match(line)) and m.group(1).strip().strip("'\"") == pid
    ]
    return found[-1] if found else _line_of_key(path, "id") or 1


_ID_LINE = re.compile(r"id\s*:\s*([^#]*)")


def _line_of_key(path: Path, key: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith(f"{key}:"):
            return number
    return None


def _alias_clashes(providers: Mapping[str, Provider], root: Path) -> list[KBProblem]:
    from bot.reading.text import normalize

    owner: dict[str, str] = {}
    problems: list[KBProblem] = []
    for provider in providers.values():
        written: dict[str, tuple[str | int, ...]] = {}
        names: list[tuple[str, tuple[str | int, ...]]] = [
            (provider.id, ("id",)),
            (provider.name, ("name",)),
            *((alias, ("aliases", i)) for i, alias in enumerate(provider.aliases)),
        ]
        for written_name, loc in names:
            written.setdefault(normalize(written_name), loc)
        for name, loc in written.items():
            other = owner.setdefault(name, provider.id)
            if other != provider.id:
                file = root / PROVIDERS_DIR / f"{provider.id}.yaml"
                problems.append(
                    KBProblem(
                        display(file, root),
                        _line_at(file, loc),
                        f"apelido {name!r} também pertence a {other} "
                        f"({PROVIDERS_DIR}/{other}.yaml)",
                    )
                )
    return problems


def _not_served_clashes(
    catalogue: Catalogue, providers: Mapping[str, Provider], path: Path, root: Path
) -> list[KBProblem]:
    """A company listed as not served that is also an ISP's name or alias: the bot would both
    answer for it and say it is not served. (One an ISP's document lists as calling by mistake,
    ``lookalikes``, may be both: that ISP's note is said instead.)"""
    from bot.reading.text import compact, normalize

    names: dict[str, str] = {}
    for provider in providers.values():
        for name in (provider.id, provider.name, *provider.aliases):
            names.setdefault(compact(name), provider.id)
    return [
        KBProblem(
            display(path, root),
            _line_at(path, ("not_served", i)),
            f"not_served: {name!r} também é nome de {names[compact(name)]}",
        )
        for i, name in enumerate(catalogue.not_served)
        if normalize(name) and compact(name) in names
    ]


def _line_at(path: Path, loc: tuple[str | int, ...]) -> int | None:
    """The line of ``loc`` (keys and list indexes) in a YAML file; None if it cannot tell."""
    node = _root(path)
    if node is None:
        return None
    parent = _node_at(node, loc[:-1])
    if isinstance(parent, yaml.MappingNode):  # a key: its own line, not its value's
        for key, _value in parent.value:
            if key.value == str(loc[-1]):
                return int(key.start_mark.line) + 1
    return _node_at(node, loc).start_mark.line + 1


_SECRETS_MARK = Path("<segredos>")
"""Stands for the secrets file in problems found while merging it (placed by the caller)."""


def _as_secrets(problem: KBProblem) -> KBProblem:
    return KBProblem(problem.file, problem.line, f"arquivo de segredos: {problem.message}")


def _secret_placement(
    problem: KBProblem, secrets_path: Path, shown: Path, provider_id: str
) -> KBProblem:
    """A secret that matches no equipment row (``problem.message``: its model): the secrets file
    is where to fix it."""
    model = problem.message
    return KBProblem(
        shown,
        _line_of_value(secrets_path, provider_id, model),
        f"arquivo de segredos: equipamento {model!r} de {provider_id} não existe em "
        f"{PROVIDERS_DIR}/{provider_id}.yaml",
    )


def _line_of_value(path: Path, provider_id: str, model: str) -> int | None:
    try:
        node, data = _parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if node is None or not isinstance(data, dict):
        return None
    rows = (data.get("providers") or {}).get(provider_id, {}).get("equipment") or []
    for index, row in enumerate(rows):
        if isinstance(row, dict) and str(row.get("model")) == model:
            loc = ("providers", provider_id, "equipment", index, "model")
            return _node_at(node, loc).start_mark.line + 1
    return None


def yaml_files(directory: Path, suffix: str = ".yaml") -> list[Path]:
    """The ``*.yaml`` files of ``directory``, sorted, hidden ones left out: an editor's lock or
    swap file (Emacs' ``.#mutum.yaml``, a link to nowhere while the file is being edited) or the
    ``._mutum.yaml`` a Mac leaves on a copied folder is no provider file."""
    return sorted(p for p in directory.glob(f"*{suffix}") if not p.name.startswith("."))


def _yml_files(root: Path) -> list[KBProblem]:
    """``*.yml`` files are not read: say so rather than ignore them."""
    found = yaml_files(root, ".yml") + yaml_files(root / PROVIDERS_DIR, ".yml")
    return [
        KBProblem(
            display(path, root),
            None,
            f"arquivo .yml não é lido: renomeie para {path.stem}.yaml",
        )
        for path in found
    ]


def seed_problems(kb: KB) -> list[KBProblem]:
    """Every ``seed:`` must name an existing file, relative to the repository root (the KB
    directory's parent: ``seeds/mutum.txt``). Checked by ``kb validate`` and ``kb lint``, not by
    the running bot, which answers without the seeds."""
    problems: list[KBProblem] = []
    base = kb.root.parent
    for provider in kb.providers.values():
        if not provider.seed:
            continue
        seed = Path(provider.seed)
        target = seed if seed.is_absolute() else base / seed
        if not target.is_file():
            file = kb.root / PROVIDERS_DIR / f"{provider.id}.yaml"
            problems.append(
                KBProblem(
                    display(file, kb.root),
                    _line_of_key(file, "seed"),
                    f"seed: arquivo não encontrado: {provider.seed} (procurado em "
                    f"{target.resolve()})",
                )
            )
    return problems


class KBHolder:
    """The one reference to the current KB. A reload swaps it in a single assignment, so a reader
    always sees a whole KB, old or new, never a mix."""

    def __init__(
        self, kb: KB, cache: ParseCache | None = None, *, freeze_memory: bool = False
    ) -> None:
        self._kb = kb
        self.cache = cache if cache is not None else ParseCache()
        """Parsed files for the next reload (see :class:`ParseCache`)."""
        self.freeze_memory = freeze_memory
        """The bot's holder: the KB and everything built so far are kept out of the cyclic
        garbage collector's scans (see :meth:`settle`)."""
        if freeze_memory:
            gc.collect()  # no garbage frozen: only what lives on
            gc.freeze()

    @property
    def kb(self) -> KB:
        return self._kb

    def swap(self, kb: KB) -> KB:
        old, self._kb = self._kb, kb
        return old

    def settle(self) -> None:
        """After a swap, the old KB let go: with ``freeze_memory``, freeze the new KB.

        A prepared KB and its indexes are ~110,000 objects the cyclic GC would otherwise walk
        at each full collection, ~100 ms with the question that triggered it waiting
        (docs/benchmarks.md, "The query mix's tail, and garbage collection"). Frozen objects
        are still freed by reference counting, but a cycle among them never would be: the old
        KB's objects are unfrozen and collected first, once per reload, in the reload's
        thread."""
        if self.freeze_memory:
            gc.unfreeze()
            gc.collect()
            gc.freeze()


def validate_file(path: Path, secrets_file: Path | None = None) -> list[KBProblem]:
    """``kb validate FILE``: the problems of one file. A file inside a KB (``providers/x.yaml``,
    ``topics.yaml``) is checked within it (its topics must exist, its aliases be its own), so
    the whole KB is loaded and the problems of this file kept; a file elsewhere is checked as a
    provider file on its own."""
    if not path.is_file():
        return [KBProblem(path, None, not_found("arquivo", path))]
    if path.suffix == ".yml":
        return [KBProblem(path, None, f"arquivo .yml não é lido: renomeie para {path.stem}.yaml")]
    root = None
    if path.parent.name == PROVIDERS_DIR:
        root = path.parent.parent
    elif path.name == TOPICS_FILE:
        root = path.parent
    if root is None or not (root / TOPICS_FILE).is_file():
        provider, problems = _load_model(path, Provider, path)
        if provider is not None and provider.id != path.stem:
            problems.append(
                KBProblem(
                    path,
                    _id_line(path, provider.id),
                    f"id {provider.id!r} difere do nome do arquivo {path.stem!r}",
                )
            )
        return problems
    target = path.resolve()

    def here(problem: KBProblem) -> bool:
        file = problem.file if problem.file.is_absolute() else root.parent / problem.file
        return file.resolve() == target

    try:
        kb = load_kb(root, secrets_file=secrets_file, against_commit=True)
    except KBError as exc:
        return [p for p in exc.problems if here(p)]
    return [p for p in seed_problems(kb) if here(p)]
