"""The knowledge gate (CI workflow and pre-commit hooks) runs commands that really exist."""

from __future__ import annotations

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
    assert all(h["files"] == "^knowledge/" for r in hooks["repos"] for h in r["hooks"])


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
