"""Which version of the knowledge is loaded: git commit (when in git) and a content fingerprint."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterable
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
    local: bool = False
    """The directory's files differ from that commit (an edit not committed yet): what is
    loaded is nobody's commit, and the commit's subject says nothing about it."""


def git_version(directory: Path) -> Version | None:
    """The last commit touching ``directory`` (and whether its files differ from it), or None
    outside git. Never raises."""
    done = _git(directory, "log", "-1", "--format=%H%x1f%h%x1f%an%x1f%cI%x1f%s", "--", ".")
    parts = done.stdout.strip().split("\x1f") if done else []
    if done is None or done.returncode != 0 or len(parts) != 5:
        return None
    # Modified, deleted or new files under the directory (ignored ones, the secrets, not).
    status = _git(directory, "status", "--porcelain", "--untracked-files=all", "--", ".")
    local = status is not None and status.returncode == 0 and bool(status.stdout.strip())
    commit, short, author, date, subject = parts
    return Version(commit, short, author, date, subject, local=local)


def _git(directory: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def fingerprint(directory: Path, also: Iterable[Path] = ()) -> str:
    """A hash of every YAML file's path and bytes under ``directory``, and of the files ``also``
    names wherever they are (a secrets file outside the directory): equal fingerprints, same
    knowledge. A file of ``also`` that is missing counts as such. "" when the directory cannot be
    listed. Compared in memory only, never shown: it hashes credentials too."""
    digest = hashlib.sha256()
    try:
        files = sorted(p for p in directory.rglob("*.yaml") if p.is_file())
    except OSError:
        return ""
    for path in files:
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(_content(path))
    for path in also:
        digest.update(b"\0also\0" + str(path).encode())
        digest.update(_content(path))
    return digest.hexdigest()[:16]


def _content(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b"\0missing"
    except OSError:
        return b"\0unreadable"
