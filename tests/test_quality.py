"""The code stays as STYLE.md asks: ruff-clean, formatted, and mypy --strict clean."""

from __future__ import annotations

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
