"""Where the project's folders are: the one place that names them (light enough for the command line)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
VOCABULARY_DIR = PACKAGE_DIR / "data"  # the vocabulary experts edit, and the table's column definitions
RAW = Path("data/raw")  # workbooks as received, never modified
EXTERNAL = Path("data/external")  # reference data: published figures, provenance of the sample values
PROCESSED = Path("data/processed")  # everything the pipeline writes about data
REPORTS = Path("reports")  # reports/<year>/: executed notebooks, HTML, index
NOTEBOOKS = Path("notebooks")
PUBLISHED_FILE = "published_figures.csv"
PROVENANCE_FILE = "provenance.csv"
QUALITY_PAGE = "data_quality.html"  # in reports/<year>/: issues.csv by file and problem


def workbook_file(year: int) -> str:
    """The Excel workbook of a year's report folder (the offices' name for the table: chỉ tiêu, year)."""
    return f"chi_tieu_{year}.xlsx"


def appendix_file(year: int, lang: str = "vi") -> str:
    """The Word appendix of a report folder (`Phụ lục`, as offices name the attachment)."""
    return f"phu_luc_{year}.docx" if lang == "vi" else f"appendix_{year}.docx"


def vocabulary_dir() -> Path:
    """The vocabulary folder: CHODON_VOCABULARY when set (an edited copy kept outside the package), else the
    package's."""
    env = os.environ.get("CHODON_VOCABULARY")
    return Path(env) if env else VOCABULARY_DIR


def project_root(start: Path | None = None) -> Path | None:
    """The nearest folder above `start` (default: cwd) that holds pyproject.toml and the package."""
    here = (start or Path.cwd()).resolve()
    for p in (here, *here.parents):
        if (p / "pyproject.toml").exists() and (p / "chodon_analysis").is_dir():
            return p
    return None


def project_dir() -> Path:
    """The project this package belongs to (an editable install: the clone), so that notebooks find the data
    from any working folder; else the project around the working folder, else the working folder."""
    here = PACKAGE_DIR.parent
    if (here / "pyproject.toml").exists() and (here / RAW).is_dir():
        return here
    return project_root() or Path.cwd()


def data_dir(path: str | Path | None, default: Path) -> Path:
    """A data folder parameter: None is the project's `default`; a relative path that is not under the working
    folder is taken from the project (so `data/processed` works from notebooks/ and from /tmp)."""
    if path is None or str(path) == "":
        return project_dir() / default
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p
    return project_dir() / p


def resolve_dir(path: str | Path) -> Path:
    """A data folder as given, else relative to the project root (so `data/processed` works from notebooks/)."""
    p = Path(path)
    if p.exists() or p.is_absolute():
        return p
    root = project_root()
    if root is not None and (root / p).exists():
        return root / p
    raise FileNotFoundError(f"folder '{path}' not found; run `chodon clean` first or pass processed_dir=...")
