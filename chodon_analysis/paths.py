"""Where the project's folders are: light enough for the command line to import at start-up."""

from __future__ import annotations

from pathlib import Path


def project_root(start: Path | None = None) -> Path | None:
    """The nearest folder above `start` (default: cwd) that holds pyproject.toml."""
    here = (start or Path.cwd()).resolve()
    for p in (here, *here.parents):
        if (p / "pyproject.toml").exists() and (p / "chodon_analysis").is_dir():
            return p
    return None


def resolve_dir(path: str | Path) -> Path:
    """A data folder as given, else relative to the project root (so `data/processed` works from notebooks/)."""
    p = Path(path)
    if p.exists() or p.is_absolute():
        return p
    root = project_root()
    if root is not None and (root / p).exists():
        return root / p
    raise FileNotFoundError(f"folder '{path}' not found; run `chodon clean` first or pass processed_dir=...")
