"""Loading the knowledge base: YAML files -> one validated, immutable :class:`KB`.

Loading is all or nothing: either every file parses and validates and a new ``KB`` is returned,
or :class:`KBError` lists every problem found (file, line, what is wrong), one readable line each.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import pickle
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

from bot.knowledge import yamlworker
from bot.knowledge.derive import derived as derived  # re-exported: where KB data is cached
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


def _load_model(
    path: Path,
    model: type[M],
    shown: Path,
    patch: Callable[[Any], list[str]] | None = None,
    cache: ParseCache | None = None,
) -> tuple[M | None, list[KBProblem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [KBProblem(shown, None, f"não foi possível ler o arquivo: {exc}")]
    node: yaml.Node | None = None
    cached = cache.get(path, text) if cache is not None else None
    if cached is not None:
        data, problems = cached
    else:
        try:
            node, data = _parse(text)
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else None
            return None, [KBProblem(shown, line, f"YAML inválido: {exc.problem}")]
        except yaml.YAMLError as exc:
            return None, [KBProblem(shown, None, f"YAML inválido: {exc}")]
        if node is None or data is None:
            return None, [KBProblem(shown, None, "arquivo vazio")]
        problems = _duplicate_keys(node, shown)
        if cache is not None:
            cache.put(path, text, data, problems)
    if patch is not None and isinstance(data, dict):
        problems += [KBProblem(shown, None, f"segredos: {p}") for p in patch(data)]
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


def _display(path: Path, root: Path) -> Path:
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
) -> KB:
    """Load and validate the whole KB under ``root``; raise :class:`KBError` on any problem.

    ``secrets_file`` (default ``<root>/secrets.yaml`` when it exists) is merged into the provider
    files before they are validated: see :mod:`bot.knowledge.secrets`. ``cache``: files parsed by
    earlier
    loads (a :class:`KBHolder` keeps one for the reloads).
    """
    with _gc_paused():
        return _load_kb(Path(root), now, secrets_file, cache)


def _load_kb(
    root: Path,
    now: dt.datetime | None,
    secrets_file: Path | str | None,
    cache: ParseCache | None,
) -> KB:
    from bot.knowledge.secrets import SECRETS_FILE, SecretsOverlay, merge

    problems: list[KBProblem] = []
    if not root.is_dir():
        raise KBError([KBProblem(root, None, "diretório da base de conhecimento não encontrado")])

    overlay = SecretsOverlay()
    secrets_path = Path(secrets_file) if secrets_file else root / SECRETS_FILE
    if secrets_file or secrets_path.is_file():
        if not secrets_path.is_file():
            problems.append(KBProblem(secrets_path, None, "arquivo de segredos não encontrado"))
        else:
            loaded, found = _load_model(secrets_path, SecretsOverlay, _display(secrets_path, root))
            problems += found
            overlay = loaded or overlay

    topics_path = root / TOPICS_FILE
    catalogue: Catalogue | None = None
    if topics_path.is_file():
        catalogue, found = _load_model(
            topics_path, Catalogue, _display(topics_path, root), cache=cache
        )
        problems += found
    else:
        problems.append(KBProblem(_display(topics_path, root), None, "arquivo não encontrado"))

    providers: dict[str, Provider] = {}
    provider_files = sorted((root / PROVIDERS_DIR).glob("*.yaml"))
    if not provider_files:
        problems.append(
            KBProblem(_display(root / PROVIDERS_DIR, root), None, "nenhum provedor (*.yaml)")
        )
    elsewhere, cache = _parse_elsewhere(provider_files, cache)
    for path in provider_files:
        shown = _display(path, root)
        if elsewhere is not None and path in elsewhere.paths:
            assert cache is not None
            elsewhere.collect(cache, lambda p: _display(p, root))
            elsewhere = None
        secrets = overlay.providers.get(path.stem)
        patch = (lambda data, s=secrets: merge(data, s)) if secrets is not None else None
        provider, found = _load_model(path, Provider, shown, patch, cache)
        problems += found
        if provider is None:
            continue
        if provider.id != path.stem:
            problems.append(
                KBProblem(shown, 1, f"id {provider.id!r} difere do nome do arquivo {path.stem!r}")
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
        KBProblem(_display(secrets_path, root), None, f"segredos de provedor desconhecido: {pid}")
        for pid in overlay.providers
        if not (root / PROVIDERS_DIR / f"{pid}.yaml").is_file()
    ]
    problems += _alias_clashes(providers, root)
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
    """A password the KB knows, outside the secret topics and equipment rows: refused, since a
    public answer goes to every allowed chat and to inline mode. The password is not named."""
    from bot.knowledge.passwords import leaks

    problems = []
    for leak in leaks(kb):
        path = root / PROVIDERS_DIR / f"{leak.provider}.yaml"
        line = _line_of_key(path, leak.where) if path.is_file() else None
        problems.append(
            KBProblem(
                _display(path, root),
                line,
                f"{leak.where}: contém uma senha conhecida fora dos tópicos secretos "
                "(marque o tópico com secret: true ou tire a senha)",
            )
        )
    return problems


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
        for name in {normalize(n) for n in (provider.id, provider.name, *provider.aliases)}:
            other = owner.setdefault(name, provider.id)
            if other != provider.id:
                path = _display(root / PROVIDERS_DIR / f"{provider.id}.yaml", root)
                problems.append(
                    KBProblem(path, None, f"apelido {name!r} também pertence a {other}")
                )
    return problems


class KBHolder:
    """The one reference to the current KB. A reload swaps it in a single assignment, so a reader
    always sees a whole KB, old or new, never a mix."""

    def __init__(self, kb: KB, cache: ParseCache | None = None) -> None:
        self._kb = kb
        self.cache = cache if cache is not None else ParseCache()
        """Parsed files for the next reload (see :class:`ParseCache`)."""

    @property
    def kb(self) -> KB:
        return self._kb

    def swap(self, kb: KB) -> KB:
        old, self._kb = self._kb, kb
        return old
