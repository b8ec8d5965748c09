"""The coverage CLI contract: ``coverage --at T --json`` and ``notices --from --to --json``.

The two contracts run the real ``upcall-bot`` script; the other cases call ``main`` in-process to
keep the file fast.
"""

from __future__ import annotations

import json

import pytest
from test_cli import run

from bot.app.cli import main


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_coverage_json_contract() -> None:
    done = run("coverage", "--at", "2026-11-23T12:00:00-03:00", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert list(data) == ["at", "providers"]
    assert data["at"] == "2026-11-23T12:00:00-03:00"
    rows = {row["id"]: row for row in data["providers"]}
    assert list(rows) == ["lasernet", "mutum", "netcenter", "sejafibra", "vmnet"]
    for row in data["providers"]:
        assert list(row) == ["id", "name", "covered", "mode", "until", "next_start"]
    assert rows["lasernet"] == {
        "id": "lasernet",
        "name": "LaserNet",
        "covered": True,
        "mode": "overflow",
        "until": "2026-11-23T18:00:00-03:00",
        "next_start": None,
    }
    assert rows["mutum"] == {
        "id": "mutum",
        "name": "Mutum Fibra",
        "covered": False,
        "mode": None,
        "until": None,
        "next_start": "2026-11-23T13:30:00-03:00",
    }


def test_coverage_naive_time_is_brasilia_and_other_offsets_are_converted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    naive = json.loads(call(capsys, "coverage", "--at", "2026-11-24T03:00", "--json")[1])
    utc = json.loads(call(capsys, "coverage", "--at", "2026-11-24T06:00:00+00:00", "--json")[1])
    assert naive == utc
    assert naive["at"] == "2026-11-24T03:00:00-03:00"
    netcenter = next(r for r in naive["providers"] if r["id"] == "netcenter")
    assert (netcenter["covered"], netcenter["until"]) == (True, "2026-11-24T08:00:00-03:00")


def test_coverage_text_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "coverage", "--at", "2026-11-23T12:00")
    assert code == 0
    assert "• LaserNet: só transbordo até às 18:00; depois cobertura total" in out


def test_notices_json_contract() -> None:
    done = run(
        "notices",
        "--from",
        "2026-11-28T10:00",
        "--to",
        "2026-11-30T12:00",
        "--provider",
        "vmnet",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {"at": "2026-11-28T13:00:00-03:00", "provider": "vmnet", "event": "open", "mode": "full"},
        {"at": "2026-11-30T09:00:00-03:00", "provider": "vmnet", "event": "close", "mode": None},
    ]


def test_notices_all_providers_in_time_order_with_mode_changes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = call(
        capsys, "notices", "--from", "2026-11-23T07:00", "--to", "2026-11-23T10:00", "--json"
    )
    assert json.loads(out) == [
        {
            "at": "2026-11-23T08:00:00-03:00",
            "provider": "lasernet",
            "event": "mode",
            "mode": "overflow",
        },
        {
            "at": "2026-11-23T08:00:00-03:00",
            "provider": "netcenter",
            "event": "close",
            "mode": None,
        },
        {"at": "2026-11-23T09:00:00-03:00", "provider": "vmnet", "event": "close", "mode": None},
        {"at": "2026-11-23T09:30:00-03:00", "provider": "mutum", "event": "close", "mode": None},
    ]


def test_notices_text_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    span = ("--from", "2026-11-23T07:00", "--to", "2026-11-23T09:00")
    assert call(capsys, "notices", *span, "--provider", "netcenter")[:2] == (
        0,
        "23/11/2026 08:00 NETCENTER: fim\n",
    )
    code, _, err = call(capsys, "notices", *span, "--provider", "xpto")
    assert code == 2 and "provedor desconhecido: 'xpto'" in err
    backwards = ("--from", "2026-11-23T09:00", "--to", "2026-11-23T07:00")
    assert call(capsys, "notices", *backwards, "--json")[0] == 2
    with pytest.raises(SystemExit) as exited:
        main(["notices", "--from", "2026-11-23T09:00", "--json"])
    assert exited.value.code == 2 and "--to" in capsys.readouterr().err


def test_notices_and_coverage_text_speak_portuguese_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Found trying the CLI as a new supervisor: the modes came out as the YAML's words
    ("troca de modo (overflow)", "início (full)"), and `coverage` listed numbered options no one
    can pick outside the console."""
    span = ("--from", "2026-11-23T07:00", "--to", "2026-11-23T19:00")
    code, out, _ = call(capsys, "notices", *span, "--provider", "lasernet")
    assert code == 0
    assert out == (
        "23/11/2026 08:00 LaserNet: troca de modo (só transbordo)\n"
        "23/11/2026 18:00 LaserNet: troca de modo (cobertura total)\n"
    )
    code, out, _ = call(capsys, "coverage", "--at", "2026-11-23T12:00")
    assert code == 0 and "[1]" not in out
