"""The work of some commands of the command line (cli.py keeps their options): `chodon inspect`, `chodon check`,
`chodon catalog` and `chodon areas`.
Each returns its exit status; words to the terminal go through the caller's escaping `say`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import typer


def inspect_files(paths: list[Path], rows: int, lang: str, say: Callable[..., None]) -> int:
    """Show what the reader makes of each workbook, the place of each sheet in `lang`; 1 when a file could not be
    read (one `error:` line each, the others still shown), 2 for a wrong language."""
    from .base.i18n import lang_problem
    from .cleaning.formats import ReadError
    from .cleaning.inspect import inspect_file, print_views

    if problem := lang_problem(lang):
        say(f"error: --lang: {problem}", err=True)
        return 2
    status = 0
    for path in paths:
        try:
            views, issues = inspect_file(path, rows)
        except (ReadError, OSError) as e:
            say(f"error: {path}: {e}", err=True)
            status = 1
            continue
        print_views(path, views, issues, lang)
    return status


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


def province_units(name: str, say: Callable[..., None]) -> list[dict] | None:
    """The new units of a province (`Thái Nguyên`, `tỉnh Thái Nguyên`, `thai nguyen`; a former province, `Bắc Kạn`:
    the new units that took in its units) by code: name, type, code and the former districts they took units of;
    None, with an error line naming the provinces known, for another."""
    from .base import reform
    from .base.units import key

    want = key(re.sub(r"(?i)^\s*tỉnh\s+", "", name))
    rows = [r for r in reform.crosswalk() if key(r["new_province"]) == want]
    if not rows:  # a former province: the new units its units went into, with all they took in
        into = {r["new_unit"] for r in reform.crosswalk() if key(r["old_province"]) == want}
        rows = [r for r in reform.crosswalk() if r["new_unit"] in into]
    if not rows:
        known = sorted({r[c] for r in reform.crosswalk() for c in ("new_province", "old_province")})
        say(f"error: --province: {name!r} is not a province of the crosswalk; the provinces are: {', '.join(known)}",
            err=True)
        return None
    codes = reform.codes()
    units: dict[tuple[str, str, str], list[str]] = {}
    for r in rows:
        units.setdefault((r["new_unit"], r["new_unit_type"], r["new_province"]), [])
        if r["old_district"] not in units[r["new_unit"], r["new_unit_type"], r["new_province"]]:
            units[r["new_unit"], r["new_unit_type"], r["new_province"]].append(r["old_district"])
    out = [{"code": codes.get(reform.unit_key(kind, n, p), ""), "type": kind, "name": n, "districts": ds}
           for (n, kind, p), ds in units.items()]
    return sorted(out, key=lambda u: (u["code"] or "~", u["name"]))


def province_lines(units: list[dict]) -> list[str]:
    """One line per unit in columns: code, type, name, the former districts (`Ba Bể, Chợ Đồn`)."""
    width = max((len(u["name"]) for u in units), default=0)
    return [f"{u['code']:<5}  {u['type']:<8}  {u['name']:<{width}}  {', '.join(u['districts'])}" for u in units]


def list_areas(year: int | None, province: str | None, processed: Path, shard: str | None,
               say: Callable[..., None]) -> int:
    """`chodon areas`: the year's areas (folder names), those of a province with `province`, or with `province`
    alone the province's units; a `shard` slice of them. Returns the exit status (2: wrong usage, 1: no data)."""
    from .runner.areas import areas_of, parse_shard
    from .runner.areas import shard as slice_of

    try:
        k, n = parse_shard(shard) if shard else (1, 1)
    except ValueError as e:
        say(f"error: {e}", err=True)
        return 2
    units = None
    if province is not None and (units := province_units(province, say)) is None:
        return 2
    if year is None:
        if units is None:
            say("error: give --year YEAR (the areas of a year's data) or --province NAME (the units of a province)",
                err=True)
            return 2
        for line in province_lines(units)[k - 1::n]:  # a slice as --shard slices the areas
            say(line)
        return 0
    if not (processed / "indicators.parquet").exists():
        say(f"error: {processed} has no cleaned table; run `chodon clean` first", err=True)
        return 1
    found = areas_of(processed, year)
    if units is not None:  # the year's areas in the province: its communes and wards, its former districts; a name
        # the reader left as written because two units share it (`Van Lang`: Văn Lang or Văn Lăng) too, by its letters
        from .base.units import key

        names = {(key(u["name"]), "commune") for u in units} | {(key(d), "district") for u in units
                                                                 for d in u["districts"]}
        found = [a for a in found if (key(a.name), a.level) in names]
    if not found:
        say(f"error: the data has no area with rows of {year}", err=True)
        return 1
    for a in slice_of(found, k, n):
        say(a.slug)
    return 0
