"""The gates (CI workflows and pre-commit hooks) run commands that really exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from bot.app.cli import main

ROOT = Path(__file__).resolve().parent.parent
PREFIX = ["./uvw", "run", "--locked", "upcall-bot"]


def gate_commands() -> list[list[str]]:
    workflow = yaml.safe_load((ROOT / ".github/workflows/knowledge.yml").read_text("utf-8"))
    steps = workflow["jobs"]["gate"]["steps"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    entries = [h["entry"] for repo in hooks["repos"] for h in repo["hooks"]]
    return [shlex.split(s["run"]) for s in steps if "run" in s] + [shlex.split(e) for e in entries]


def test_gate_watches_knowledge() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/knowledge.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "knowledge/**" in triggers["push"]["paths"]
    assert "knowledge/**" in triggers["pull_request"]["paths"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    kb_hooks = [h for r in hooks["repos"] for h in r["hooks"] if h["id"].startswith("kb-")]
    assert len(kb_hooks) == 3 and all(h["files"] == "^knowledge/" for h in kb_hooks)


@pytest.mark.parametrize("kb_command", ["validate", "test", "lint"])
def test_gate_runs_each_kb_command(kb_command: str) -> None:
    assert [*PREFIX, "kb", kb_command] in gate_commands()


@pytest.mark.parametrize("kb_command", ["validate", "test", "lint"])
def test_those_commands_pass_on_the_shipped_kb(
    kb_command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["kb", kb_command]) == 0
    capsys.readouterr()


def test_pre_commit_stops_at_the_first_failure_and_checks_code_with_ruff() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    assert hooks["fail_fast"] is True
    entries = [h["entry"] for repo in hooks["repos"] for h in repo["hooks"]]
    assert any(e.startswith("./uvw run --locked ruff check") for e in entries)
    assert any(e.startswith("./uvw run --locked ruff format --check") for e in entries)
    # Only the project's own locked tools: nothing for pre-commit to download.
    assert [repo["repo"] for repo in hooks["repos"]] == ["local"]


def test_the_code_workflow_runs_ci_run_with_a_uv_cache() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text("utf-8"))
    for event in ("push", "pull_request"):
        paths = workflow[True][event]["paths"]
        assert {"bot/**", "handlers/**", "tests/**", "uv.lock", "pyproject.toml"} <= set(paths)
    steps = workflow["jobs"]["tests"]["steps"]
    assert steps[-1]["run"] == "bash .ci/run"
    [setup_uv] = [s for s in steps if s.get("uses", "").startswith("astral-sh/setup-uv")]
    assert setup_uv["with"]["enable-cache"] is True
    # .ci/run is exactly the README's test command.
    command = "./uvw run --locked pytest"
    assert (ROOT / ".ci/run").read_text("utf-8").strip().splitlines()[-1] == command
    assert f"`{command}`" in (ROOT / "README.md").read_text("utf-8")


@pytest.mark.parametrize("workflow", ["ci.yml", "knowledge.yml"])
def test_workflows_use_the_uv_of_uvw(workflow: str) -> None:
    pinned = re.search(r'UV_VERSION="([^"]+)"', (ROOT / "uvw").read_text("utf-8"))
    assert pinned is not None
    steps = yaml.safe_load((ROOT / ".github/workflows" / workflow).read_text("utf-8"))
    [setup_uv] = [
        s
        for job in steps["jobs"].values()
        for s in job["steps"]
        if s.get("uses", "").startswith("astral-sh/setup-uv")
    ]
    assert setup_uv["with"]["version"] == pinned[1]
