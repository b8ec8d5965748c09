"""Import each seed into a scratch KB and compare the draft with the hand-made YAML.

    ./uvw run python bench/importer.py

Per ISP: the share of the seed's answer lines the draft places under a topic the hand-made file
also has them under (among the lines the hand-made file places under some topic), equipment rows
equal (model, login, passwords, port), UPCALL coverage equal (``coverage --json`` every 10 minutes
over a week without holidays) and the fidelity check. tests/test_importer_seeds.py asserts them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge import fidelity  # noqa: E402
from bot.knowledge.importer import import_document  # noqa: E402
from bot.reading.text import compact, normalize  # noqa: E402

ISPS = ("lasernet", "mutum", "netcenter", "sejafibra", "vmnet")
WEEK = dt.datetime(2026, 8, 17)  # a Monday; no holiday that week in any of the five states
STEP = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Comparison:
    isp: str
    same_topic: int
    answer_lines: int
    misplaced: tuple[str, ...]
    equipment_equal: bool
    equipment_diff: str
    coverage_equal: bool
    coverage_diff: str
    fidelity_missing: int
    sectors_equal: bool = False
    """The ISP's sector hours: the same windows (days, start, end) sector by sector, names aside."""

    @property
    def share(self) -> float:
        return self.same_topic / self.answer_lines if self.answer_lines else 1.0


def topic_texts(data: dict[str, Any]) -> dict[str, str]:
    out = {}
    for topic, entry in (data.get("topics") or {}).items():
        entry = {"text": entry} if isinstance(entry, str) else entry
        parts = [entry.get("text", "")] + [t.get("text", "") for t in entry.get("templates") or []]
        out[topic] = " " + " ".join(normalize(p) for p in parts) + " "
    return out


def topics_of(line: fidelity.SeedLine, texts: dict[str, str]) -> set[str]:
    return {t for t, hay in texts.items() if all(f" {c} " in hay for c in line.cells)}


def equipment_rows(
    data: dict[str, Any],
) -> list[tuple[str, str | None, tuple[str, ...], str | None]]:
    default = data.get("default_port")
    rows = [
        (
            compact(str(row["model"])),
            row.get("login"),
            tuple(row.get("passwords") or ()),
            row.get("port") or default,
        )
        for row in data.get("equipment") or []
    ]
    return sorted(rows, key=lambda r: r[0])


def sector_windows(data: dict[str, Any]) -> list[list[tuple[tuple[str, ...], str, str]]]:
    from bot.knowledge.schema import Provider

    provider = Provider.model_validate(data)
    return sorted(
        sorted((tuple(w.days), f"{w.start:%H:%M}", f"{w.end:%H:%M}") for w in sector.windows)
        for sector in provider.sectors
    )


def coverage_week(kb_dir: Path, isp: str) -> list[dict[str, Any]]:
    """What ``upcall-bot coverage --json --at T`` says of ``isp`` (its row, as the CLI builds
    it) every ten minutes of the week; the KB loaded once, not once per instant."""
    from bot.app.cli import coverage_row
    from bot.knowledge.kb import load_kb

    provider = load_kb(kb_dir).providers[isp]
    zone = ZoneInfo("America/Sao_Paulo")
    out = []
    moment = WEEK.replace(tzinfo=zone)
    while moment < WEEK.replace(tzinfo=zone) + dt.timedelta(days=7):
        out.append(coverage_row(provider, moment, zone))
        moment += STEP
    return out


def scratch_kb(base: Path, isp: str | None) -> Path:
    """knowledge/ without ``isp``'s file: the KB the ISP is imported into."""
    kb = base / "kb"
    shutil.copytree(ROOT / "knowledge", kb)
    if isp is not None:
        (kb / "providers" / f"{isp}.yaml").unlink()
    return kb


def compare(isp: str, scratch: Path) -> Comparison:
    kb = scratch_kb(scratch, isp)
    seeds = scratch / "seeds"
    import_document(
        ROOT / "seeds" / f"{isp}.txt",
        kb_dir=kb,
        seeds_dir=seeds,
        provider_id=isp,
        today=dt.date(2026, 11, 22),
    )
    draft = yaml.safe_load((kb / "providers" / f"{isp}.yaml").read_text(encoding="utf-8"))
    hand = yaml.safe_load((ROOT / "knowledge" / "providers" / f"{isp}.yaml").read_text("utf-8"))
    seed_text = (ROOT / "seeds" / f"{isp}.txt").read_text(encoding="utf-8")
    hand_texts, draft_texts = topic_texts(hand), topic_texts(draft)
    same = total = 0
    misplaced = []
    for line in fidelity.answer_lines(seed_text):
        expected = topics_of(line, hand_texts)
        if not expected:
            continue
        total += 1
        got = topics_of(line, draft_texts)
        if expected & got:
            same += 1
        else:
            misplaced.append(f"{line.number}: {sorted(got)} != {sorted(expected)} {line.raw[:60]}")
    hand_rows, draft_rows = equipment_rows(hand), equipment_rows(draft)
    diff = "" if hand_rows == draft_rows else f"hand {hand_rows}\n     draft {draft_rows}"
    hand_kb = scratch / "hand"
    shutil.copytree(ROOT / "knowledge", hand_kb)
    hand_cov, draft_cov = coverage_week(hand_kb, isp), coverage_week(kb, isp)
    for row in (*hand_cov, *draft_cov):
        row.pop("name")  # the windows are compared, not the display name
    cov_diff = next((f"{a} != {b}" for a, b in zip(hand_cov, draft_cov, strict=True) if a != b), "")
    missing = fidelity.missing_lines(seed_text, draft)
    return Comparison(
        isp,
        same,
        total,
        tuple(misplaced),
        not diff,
        diff,
        not cov_diff,
        cov_diff,
        len(missing),
        sector_windows(hand) == sector_windows(draft),
    )


def run(isps: tuple[str, ...] = ISPS) -> list[Comparison]:
    results = []
    for isp in isps:
        with tempfile.TemporaryDirectory() as scratch:
            results.append(compare(isp, Path(scratch)))
    return results


def table(results: list[Comparison]) -> str:
    lines = [
        f"{'ISP':10} {'same topic':>16} {'equipment':>10} {'coverage':>9} {'fidelity':>9} "
        f"{'sectors':>8}"
    ]
    for r in results:
        lines.append(
            f"{r.isp:10} {r.same_topic:>4}/{r.answer_lines:<4} {r.share:>6.1%} "
            f"{'equal' if r.equipment_equal else 'DIFF':>10} "
            f"{'equal' if r.coverage_equal else 'DIFF':>9} "
            f"{'100 %' if not r.fidelity_missing else str(r.fidelity_missing) + ' miss':>9} "
            f"{'equal' if r.sectors_equal else 'DIFF':>8}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    verbose = "-v" in sys.argv
    chosen = tuple(a for a in sys.argv[1:] if not a.startswith("-")) or ISPS
    found = run(chosen)
    if verbose:
        for r in found:
            print(f"== {r.isp}")
            for m in r.misplaced:
                print("  ", m)
            if r.equipment_diff:
                print("  equipment:", r.equipment_diff)
            if r.coverage_diff:
                print("  coverage:", r.coverage_diff)
    print(table(found))
