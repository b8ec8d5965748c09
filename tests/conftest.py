"""Fixtures shared by the Telegram tests (test_access, test_handlers, test_e2e)."""

from __future__ import annotations

import functools
import gc
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The processes the tests start (the bot, the CLI, the xdist workers) share compiled bytecode:
# with PYTHONDONTWRITEBYTECODE (set on some machines) each of them compiled PTB, aiohttp,
# pydantic... from source again, about 1.5 s of CPU a start. The cache lives beside the
# environment's packages (.venv/pycache), never in the source tree.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
    os.environ.setdefault("PYTHONPYCACHEPREFIX", os.path.join(sys.prefix, "pycache"))
    # This process too, for what it imports from here on: the imports below (pydantic, PTB, the
    # bot...) and the test modules. Before them, or this process compiles them from source at
    # every run and the workers of a clean clone compile them each.
    sys.dont_write_bytecode = False
    sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"]

from bot.app.settings import Settings
from bot.knowledge import kb as kb_module
from bot.knowledge.kb import KB, load_kb
from fake_bot_api import AGENT, GROUP, SUPERVISOR, TOKEN

ROOT = Path(__file__).resolve().parent.parent
KB_DIR = ROOT / "knowledge"
PASSWORD = "Lnt12345@"
"""LaserNet's W5-1200G password in the real KB."""
MUTUM_DNS = "143.202.80.56"

# Tests reach only 127.0.0.1, directly: a proxy from the machine's environment would carry the
# bot's calls (the bot honours proxy variables, see handlers/transport.py) and those of the bots
# the end-to-end tests start, which inherit this environment.
for _name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
    os.environ.pop(_name, None)
    os.environ.pop(_name.lower(), None)


def kb_facts(kb: KB) -> list[str]:
    """Strings only the KB knows: none may reach a chat that is not allowed."""
    facts = [PASSWORD, MUTUM_DNS]
    for provider in kb.providers.values():
        facts += [provider.name, provider.id]
        facts += [pw for item in provider.equipment for pw in item.passwords]
    return facts


@functools.cache
def _scratch_root() -> Path:
    """One folder per test process for :func:`make_settings`' files, removed when the process
    ends (a folder per call under /tmp, never removed, left ~300 behind at every run)."""
    import atexit

    root = Path(tempfile.mkdtemp(prefix="upcall-test-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


def make_settings(**overrides: Any) -> Settings:
    """Settings for tests: explicit values, no ``.env`` file read."""
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_api_url": "http://127.0.0.1:9/bot",  # never reached: tests swap the request
        "telegram_webhook_url": "",
        "allowed_chat_ids": [GROUP["id"]],
        "supervisor_ids": [SUPERVISOR["id"]],
        "agent_ids": [AGENT["id"]],
        "notice_chat_id": None,
        "kb_dir": KB_DIR,
        "timezone": "America/Sao_Paulo",
        "log_level": "INFO",
        "health_port": 0,  # no health server unless a test asks for one
    }
    # Files the bot writes go to a fresh folder, never the checkout's state/.
    scratch = Path(tempfile.mkdtemp(dir=_scratch_root()))
    for name, file in (
        ("audit_file", "audit.jsonl"),
        ("notice_state_file", "notices.json"),
        ("gaps_file", "gaps.jsonl"),
    ):
        if name in Settings.model_fields:
            values[name] = scratch / file
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@functools.cache
def shared_real_kb() -> KB:
    """The checkout's KB, loaded once per process. A KB is never mutated, so the test modules
    and :func:`real_kb` share one, and what is derived from it too (the reader's context index:
    0.4 s of CPU to build for each KB object)."""
    return load_kb(KB_DIR)


def copy_real_kb(where: Path, **providers: str) -> Path:
    """A copy of the real KB at ``where/knowledge`` with made-up ISPs added: each keyword is a
    provider file's name (``<name>.yaml``), its value the YAML text. Returns the copy's root, for
    tests that change a file before loading it; :func:`real_kb_with` loads it at once."""
    root = where / "knowledge"
    shutil.copytree(KB_DIR, root)
    for name, text in providers.items():
        (root / "providers" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


def real_kb_with(where: Path, **providers: str) -> KB:
    """The real KB with made-up ISPs added (see :func:`copy_real_kb`), loaded."""
    return load_kb(copy_real_kb(where, **providers))


@pytest.fixture(scope="session")
def real_kb() -> KB:
    return shared_real_kb()


@pytest.fixture
def settings() -> Settings:
    return make_settings()


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A copy of the real KB in ``tmp_path``: for tests where the watcher runs or files change,
    never on the checkout's own files."""
    target = tmp_path / "knowledge"
    shutil.copytree(KB_DIR, target)
    return target


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The YAML texts parsed, in order (the loader's one parsing function, counted)."""
    seen: list[str] = []
    real = kb_module._parse

    def counting(text: str) -> Any:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(kb_module, "_parse", counting)
    return seen


SPREAD = frozenset(
    {
        "tests/test_cli.py",
        "tests/test_cli_coverage.py",
        "tests/test_coverage_answers.py",
        "tests/test_delivery.py",
        "tests/test_escala_buttons.py",
        "tests/test_faults.py",
        "tests/test_flood.py",
        "tests/test_fuzz.py",
        "tests/test_gaps_app.py",
        "tests/test_gate.py",
        "tests/test_handlers.py",
        "tests/test_importer_rules.py",
        "tests/test_knowledge_app.py",
        "tests/test_notices_app.py",
        "tests/test_posting.py",
        "tests/test_posting_e2e.py",
        "tests/test_quality.py",
        "tests/test_runner.py",
        "tests/test_secrets_sweep.py",
        "tests/test_uvw.py",
        "tests/test_whatsapp_door.py",
        "tests/test_whatsapp_stop_e2e.py",
    }
)
"""Slow test files whose tests are independent of each other: under ``--dist loadfile``
(pyproject.toml) their tests go to the xdist workers one by one, so that no such file alone
sets the suite's wall time; every other file stays whole on one worker (its module-scoped
fixtures, such as a running bot, start once). A file here may have no module-scoped fixture."""

_SHARED_SCOPES = ("module", "class", "package")


FIRST = (
    "tests/test_quality.py",
    "tests/test_posting_e2e.py",
    "tests/test_importer.py",
    "tests/test_importer_rules.py",
    "tests/test_whatsapp_e2e.py",
    "tests/test_secrets_sweep.py",
    "tests/test_whatsapp_notices_e2e.py",
    "tests/test_whatsapp_stop_e2e.py",
    "tests/test_uvw.py",
    "tests/test_e2e_trust.py",
    "tests/test_e2e.py",
    "tests/test_faults.py",
    "tests/test_flood.py",
    "tests/test_delivery.py",
)
"""The longest work, handed out first (in this order) so that it does not end the run on one
worker while the other waits; the rest follows, the files with most tests first (xdist's order).
Measured figures: docs/operations.md."""


EXTRA_WORKERS = 2
"""Workers beyond one per CPU under ``-n auto`` (pyproject.toml). Much of the suite waits rather
than computes (bot processes starting, Telegram's ``retry_after``, answers held past a timeout,
room for a duplicate to show up): with one worker per CPU, the CPUs sat idle half the time
(CI: 145 s of wall for 144 s of CPU on two cores). Each worker costs its collection (4.3 s of
CPU, 8.4 s cold). Measured: docs/operations.md."""


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: one worker per CPU this process may use, plus :data:`EXTRA_WORKERS`;
    ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still decides when set (xdist's own hook reads it)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return cpus + EXTRA_WORKERS


def _path(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile``, except for the files of :data:`SPREAD`, and :data:`FIRST` first.
    (``--dist loadgroup`` would say the grouping with marks, but pytest 9.2 ignores the group
    xdist 3.8 writes into the node id: pytest-dev/pytest-xdist#1386.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SpreadScheduling(LoadFileScheduling):  # type: ignore[misc]
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            path = _path(nodeid)
            return nodeid if path in SPREAD else path

        def _assign_work_unit(self, node: Any) -> None:
            if not self.ordered:  # the queue is complete at the first assignment
                self.ordered = True
                rank = {path: index for index, path in enumerate(FIRST)}
                scopes = list(self.workqueue)
                scopes.sort(key=lambda scope: rank.get(_path(scope), len(FIRST)))  # stable
                for scope in scopes:
                    self.workqueue.move_to_end(scope)
            super()._assign_work_unit(node)

    return SpreadScheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test of a :data:`SPREAD` file may run on any worker, so it may not share a fixture with
    the others of its file."""
    for item in items:
        if _path(item.nodeid) not in SPREAD:
            continue
        info = getattr(item, "_fixtureinfo", None)
        shared = [
            name
            for name, definitions in (info.name2fixturedefs.items() if info else ())
            if any(definition.scope in _SHARED_SCOPES for definition in definitions)
        ]
        if shared:
            raise pytest.UsageError(
                f"{item.nodeid} uses the module-scoped fixture(s) {shared}: "
                "take its file out of SPREAD in tests/conftest.py"
            )


@pytest.fixture
def gc_unfrozen() -> Iterator[None]:
    """For a test that freezes the garbage collector's objects (the bot's KB holder does):
    everything unfrozen after it, as the other tests of the process expect."""
    yield
    gc.unfreeze()
