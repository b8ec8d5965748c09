"""``uvw``, the uv wrapper: what a new machine lacks (Python 3.11+, the package index) is said in
one plain line, before anything is installed. Each case runs a copy of ``uvw`` in a temporary
folder with a PATH of our own (fake ``python3`` and ``uv`` where the case needs them); the package
index is an address on 127.0.0.1 where nothing listens, so no test reaches the network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE = "http://127.0.0.1:9/simple/"
"""Port 9 (discard) on loopback: nothing listens there, the connection is refused at once."""
REAL_PYTHON = os.path.realpath(sys.executable)
"""The interpreter running the tests (3.11+), outside the venv."""
TOOLS = ("dirname", "rm", "cat")
"""The commands uvw uses besides the shell's own."""


def script(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of uvw (and what uv reads) with no .venv nor .uv-bootstrap."""
    target = tmp_path / "project"
    target.mkdir()
    for name in ("uvw", "pyproject.toml", "uv.lock"):
        shutil.copy2(ROOT / name, target / name)
    return target


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """The only folder on PATH: the few tools uvw needs, and no Python nor uv until a test adds
    them."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, tool
        (folder / tool).symlink_to(found)
    return folder


def fake_python(bin_dir: Path, version: str) -> None:
    """A ``python3`` that says it is ``version``, whatever it is asked."""
    script(bin_dir / "python3", f"echo {version}")


def real_python(bin_dir: Path) -> None:
    (bin_dir / "python3").symlink_to(REAL_PYTHON)


def fake_uv(bin_dir: Path) -> None:
    """A ``uv`` that prints its arguments and the Python preference uvw gave it."""
    script(bin_dir / "uv", 'echo "uv $* preference=$UV_PYTHON_PREFERENCE"')


def uvw(project: Path, bin_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": str(bin_dir), "HOME": str(project.parent), **env}
    return subprocess.run(
        ["/bin/sh", str(project / "uvw"), *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def test_python_3_10_is_refused_with_how_to_get_3_11(project: Path, bin_dir: Path) -> None:
    fake_python(bin_dir, "3.10")
    fake_uv(bin_dir)
    result = uvw(project, bin_dir, "run", "upcall-bot")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith("uvw: Python 3.11 or newer is required, found 3.10 (python3)")
    assert "apt install python3;" in line and "python.org" in line
    assert "UVW_MANAGED_PYTHON=1" in line
    assert result.stdout == ""  # uv never ran
    assert not (project / ".uv-bootstrap").exists()


def test_no_python_at_all_is_said(project: Path, bin_dir: Path) -> None:
    result = uvw(project, bin_dir, "run", "upcall-bot")
    assert result.returncode == 1
    assert one_line(result.stderr).startswith("uvw: Python 3.11 or newer is required, found none")


def test_a_managed_python_when_the_user_opts_in(project: Path, bin_dir: Path) -> None:
    fake_python(bin_dir, "3.10")
    fake_uv(bin_dir)
    (project / ".venv").mkdir()
    result = uvw(project, bin_dir, "run", "upcall-bot", UVW_MANAGED_PYTHON="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "uv run upcall-bot preference=managed"


@pytest.mark.parametrize("version", ["3.11", "3.13"])
def test_a_recent_python_goes_on_to_uv_with_the_system_python(
    project: Path, bin_dir: Path, version: str
) -> None:
    fake_python(bin_dir, version)
    fake_uv(bin_dir)
    (project / ".venv").mkdir()
    result = uvw(project, bin_dir, "run", "--locked", "pytest")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "uv run --locked pytest preference=only-system"
    assert result.stderr == ""


def test_installing_uv_with_the_index_unreachable_says_so(project: Path, bin_dir: Path) -> None:
    real_python(bin_dir)
    result = uvw(project, bin_dir, "run", "upcall-bot", PIP_INDEX_URL=UNREACHABLE, PIP_RETRIES="0")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"uvw: installing uv 0.13.9 into {project / '.uv-bootstrap'} (one time)..."
    assert lines[1].startswith(f"uvw: the package index {UNREACHABLE} cannot be reached (")
    assert "so uv 0.13.9 cannot be installed" in lines[1] and "PIP_INDEX_URL" in lines[1]
    assert len(lines) == 2, result.stderr  # not pip's own words
    assert "version" not in result.stderr
    assert not (project / ".uv-bootstrap").exists()  # the next run tries again


@pytest.mark.parametrize("command", ["run", "sync"])
def test_the_first_run_with_the_index_unreachable_says_so(
    project: Path, bin_dir: Path, command: str
) -> None:
    real_python(bin_dir)
    fake_uv(bin_dir)
    result = uvw(project, bin_dir, command, "--locked", UV_INDEX_URL=UNREACHABLE)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith(f"uvw: the package index {UNREACHABLE} cannot be reached (")
    assert "UV_INDEX_URL" in line
    assert result.stdout == ""  # uv never ran


def test_the_index_is_not_asked_once_the_environment_exists(project: Path, bin_dir: Path) -> None:
    real_python(bin_dir)
    fake_uv(bin_dir)
    (project / ".venv").mkdir()
    result = uvw(project, bin_dir, "run", "upcall-bot", UV_INDEX_URL=UNREACHABLE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("uv run upcall-bot")


def test_uv_offline_skips_the_index_check(project: Path, bin_dir: Path) -> None:
    real_python(bin_dir)
    fake_uv(bin_dir)
    result = uvw(project, bin_dir, "sync", UV_INDEX_URL=UNREACHABLE, UV_OFFLINE="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("uv sync")
