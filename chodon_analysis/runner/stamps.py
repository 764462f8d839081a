"""Fingerprints of the inputs and the code, and the clean step they decide (skipped when nothing changed)."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from ..base.files import digest, write_text_atomic
from ..cleaning.cleaner import clean, write_outputs
from ..cleaning.workbooks import shown
from ..paths import PACKAGE_DIR, VOCABULARY_DIR, vocabulary_dir
from .steps import Step, err, say

OUTPUTS = ("indicators.csv", "indicators.parquet", "issues.csv", "layout.csv")


def hash_files(paths: list[Path]) -> str:
    """Names and contents; a file that cannot be read counts by its size and time (the clean says why it failed).
    A file whose device, inode, size and times are those of its last digest in this process is not read again (the
    analyst's `load()` asks at each call)."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(os.fsencode(p.name))
        try:
            h.update(digest(p))
        except OSError:
            st = p.stat() if p.exists() else None
            h.update(f"unreadable {st.st_size if st else -1} {st.st_mtime_ns if st else -1}".encode())
    return h.hexdigest()


def code_fingerprint() -> str:
    """The package's code and vocabulary files: a change in either redoes the work."""
    files = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".csv")]
    vocab = vocabulary_dir()
    if vocab != VOCABULARY_DIR and vocab.is_dir():
        files += [p for p in vocab.glob("*.csv")]
    return hash_files(files)


def folder_fingerprint(folder: Path) -> str:
    """Every file of a folder (names and contents); empty when the folder does not exist."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")] if folder.is_dir() else []
    return hash_files(files)


def clean_key(raw: Path, code_fp: str) -> str:
    """The fingerprint of the workbooks and the code: what the tidy table is made from."""
    return hashlib.sha256(f"{folder_fingerprint(raw)}|{code_fp}".encode()).hexdigest()


def clean_needed(processed: Path, key: str, force: bool = False) -> bool:
    """Whether `processed` must be cleaned again: forced, a file missing, or cleaned from other inputs."""
    stamp = processed / ".clean-key"
    have = all((processed / n).exists() for n in OUTPUTS)
    return force or not have or not stamp.exists() or stamp.read_text().strip() != key


def clean_into(raw: Path, processed: Path, key: str) -> Step:
    """Clean `raw` into `processed`; the stamp is written only when every file was read."""
    s = time.perf_counter()
    say(f"cleaning {raw} ...")
    processed.mkdir(parents=True, exist_ok=True)
    result = clean([raw])
    write_outputs(result, processed)
    for path, reason in result.failed:
        err(f"{shown(path)}: {reason}")
    stamp = processed / ".clean-key"
    if result.failed:
        stamp.unlink(missing_ok=True)
    else:
        write_text_atomic(stamp, key)
    say(f"  cleaned {len(result.files)} files in {time.perf_counter() - s:.1f} s")
    return Step("clean", "failed" if result.failed else "done", time.perf_counter() - s, key,
                f"{len(result.files)} files, {len(result.indicators)} rows, {len(result.failed)} failed")
