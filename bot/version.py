"""Which version of the knowledge is loaded: git commit (when in git) and a content fingerprint."""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Version:
    """The last commit that touched the KB directory."""

    commit: str
    short: str
    author: str
    date: str
    subject: str


def git_version(directory: Path) -> Version | None:
    """HEAD of the repository holding ``directory``, or None outside git. Never raises."""
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%H%x1f%h%x1f%an%x1f%cI%x1f%s", "--", "."],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    parts = done.stdout.strip().split("\x1f")
    if done.returncode != 0 or len(parts) != 5:
        return None
    return Version(*parts)


def fingerprint(directory: Path) -> str:
    """A hash of every YAML file's path and bytes: equal fingerprints, same knowledge."""
    digest = hashlib.sha256()
    try:
        files = sorted(p for p in directory.rglob("*.yaml") if p.is_file())
    except OSError:
        return ""
    for path in files:
        digest.update(str(path.relative_to(directory)).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0unreadable")
    return digest.hexdigest()[:16]
