"""The work of two commands of the command line (cli.py keeps their options): `chodon check` and `chodon catalog`.
Each returns its exit status; words to the terminal go through the caller's escaping `say`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer


def check_figures(year: int, raw: Path, processed: Path, lang: str) -> int:
    """Clean if needed, check the figures up to `year` into data_quality.csv, print a line per area of `year`;
    1 when a finding of `year` is an error (or the data has no row of it), 2 for a wrong language."""
    import pandas as pd

    from .analysis import quality
    from .base.files import folder_lock
    from .base.i18n import lang_problem
    from .runner.stamps import clean_into, clean_key, clean_needed, code_fingerprint

    if problem := lang_problem(lang):
        typer.echo(f"error: --lang: {problem}", err=True)
        return 2
    with folder_lock(processed / ".lock"):
        if clean_needed(processed, key := clean_key(raw, code_fingerprint())):
            clean_into(raw, processed, key)
        table = pd.read_parquet(processed / "indicators.parquet")
        found = quality.findings(table, year, lang)
        path = quality.write(found, processed)
        (processed / ".derived-key").unlink(missing_ok=True)  # the next run writes it again, in its own language
    if not (table["year"] == year).any() and not (found["year"] == year).any():
        typer.echo(f"error: {processed}: the data has no rows of {year}; nothing to check", err=True)
        return 1
    for line in quality.summary_lines(found, table, year, lang, path):
        typer.echo(line)
    return 1 if quality.has_errors(found, year) else 0


def catalog_names(add: tuple[str, str] | None, processed: Path, say: Callable[..., None]) -> int:
    """Add `add` (id, name) as an alias, or list the names the catalog does not know with the closest entries."""
    from .base import catalog

    if add is not None:
        try:
            path, line = catalog.add_alias(*add)
        except ValueError as e:
            say(f"error: --add {add[0]}: {e}", err=True)
            return 2
        say(f"{path}:{line}: '{add[1]}' is now a name of {add[0]}; run `chodon clean` (or `chodon run`) to apply it")
        return 0
    table = processed / "indicators.parquet"
    if not table.exists():
        say(f"error: {processed} has no cleaned table; run `chodon clean` first", err=True)
        return 1
    import pandas as pd

    df = pd.read_parquet(table)
    if "indicator_id" not in df:
        say(f"error: {table} was cleaned before the catalog existed; run `chodon clean` again", err=True)
        return 1
    unknown = catalog.unknown_rows(df)
    if unknown.empty:
        say("every indicator name of the cleaned table is in the catalog")
        return 0
    entries = catalog.entries()
    for name, rows in unknown.groupby("indicator", sort=True):
        close = catalog.suggestions(name)
        say(f"{name}  ({', '.join(sorted(rows['source_file'].unique()))})")
        for i in close:
            say(f"    {i}: {entries[i]['name_vi']}    ->  {catalog.add_command(i, name)}")
        if not close:
            say("    no close entry: add a line for it to catalog.csv")
    return 0
