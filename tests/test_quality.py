"""The code stays as STYLE.md asks: ruff-clean, formatted, and mypy --strict clean."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    path = BIN / tool
    if not path.exists():
        found = shutil.which(tool)
        if found is None:
            pytest.fail(f"{tool} is not installed (it is a dev dependency: ./uvw sync)")
        path = Path(found)
    return subprocess.run(
        [str(path), *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_ruff_check() -> None:
    done = run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format() -> None:
    done = run("ruff", "format", "--check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict() -> None:
    done = run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_core_never_imports_telegram() -> None:
    telegram_free = list((ROOT / "bot").rglob("*.py"))
    assert len(telegram_free) > 30
    for path in telegram_free:
        source = path.read_text(encoding="utf-8")
        assert "import telegram" not in source and "from telegram" not in source, path.name


def test_no_private_module_of_a_library_is_imported() -> None:
    """PTB's ``telegram._utils`` (and any library's ``_private`` module) may change in any
    release: the code and the test doubles use public names only (``BaseRequest.DEFAULT_NONE``)."""
    for path in [
        *ROOT.glob("bot/**/*.py"),
        *ROOT.glob("handlers/**/*.py"),
        *ROOT.glob("tests/*.py"),
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            )
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                first_party = name.split(".")[0] in {"bot", "handlers", "tests"}
                private = any(part.startswith("_") for part in name.split(".")[1:])
                assert first_party or not private, f"{path.relative_to(ROOT)} imports {name}"


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The project's modules ``path`` imports, wherever (functions included), except under
    ``if TYPE_CHECKING:`` (never run)."""
    found: set[str] = set()
    stack: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))
    return found & modules


def test_no_circular_imports() -> None:
    paths = {}
    for package in ("bot", "handlers"):
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            paths[name.removesuffix(".__init__")] = path
    graph = {name: _imports(path, set(paths)) for name, path in paths.items()}
    # A package's __init__ listing its modules is no cycle: they import it by being in it.
    graph = {n: {m for m in deps if not n.startswith(m + ".")} for n, deps in graph.items()}

    def reaches(start: str, goal: str) -> list[str] | None:
        seen, todo = {start}, [[start]]
        while todo:
            trail = todo.pop()
            for nxt in graph[trail[-1]]:
                if nxt == goal:
                    return [*trail, nxt]
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append([*trail, nxt])
        return None

    cycles = [trail for name in graph if (trail := reaches(name, name))]
    assert cycles == [], " | ".join(" -> ".join(c) for c in cycles)
