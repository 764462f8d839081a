"""The `chodon` command line: `chodon clean`, `chodon inspect`, `chodon run`, `--version` (docs/yearly-run.md)."""

from __future__ import annotations

import os
import sys

from .runner.stop import before_run

# a stop of `chodon run` from its first moment, before the imports below, ends it with 130 (runner/stop.py)
before_run(sys.argv, __name__ == "__main__" or os.path.basename(sys.argv[0]) == "chodon")

from pathlib import Path  # noqa: E402
from typing import Annotated  # noqa: E402

import typer  # noqa: E402

from .paths import EXTERNAL, PROCESSED, RAW, REPORTS  # noqa: E402
from .usage import OneLineGroup, whole  # noqa: E402

app = typer.Typer(
    name="chodon",
    cls=OneLineGroup,  # a usage error is one line; the help is plain (no type tags beside the flags)
    rich_markup_mode=None,
    help="Clean and analyse the plan indicators of Chợ Đồn district.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_YEAR = {"metavar": "YEAR", "parser": whole(1900, 2200, example=2024), "help": "Report year."}
_state = {"debug": False, "program": False}  # program: started as `chodon` (main), not imported


def say(message: object, err: bool = False) -> None:
    """One line to the terminal, with whatever a workbook or a file name put in it escaped (docs/reading.md): an
    escape sequence, a line break or a direction mark in a cell, a sheet or a file name cannot act on the terminal
    nor forge a line of its own."""
    from .base.visible import shown

    typer.echo(shown(message), err=err)


def _version(value: bool) -> None:
    if value:
        from . import __version__  # looked up when asked (importlib.metadata: a few hundredths of a second)

        typer.echo(f"chodon-analysis {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks on errors.")] = False,
) -> None:
    _state["debug"] = debug


def _progress(total: int, label: str):
    """A progress callback drawing a bar on a terminal, silent in logs."""
    if not sys.stderr.isatty() or total < 2:
        return None, None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task(label, total=total)
    bar.start()
    return bar, (lambda _f: bar.advance(task))


def check_vocabulary() -> None:
    """Every vocabulary file checked before any workbook is read: a bad line is one `error:` line and exit 2."""
    from .base.datafiles import check_all
    from .base.vocab import VocabularyError

    try:
        check_all()
    except VocabularyError as e:
        say(f"error: {e}", err=True)
        raise typer.Exit(2) from None


def run_clean(paths: list[Path], out: Path) -> int:
    """Clean, write, report; exit status 0 when every file was read, 1 when one or more could not be."""
    from .cleaning.cleaner import clean as do_clean
    from .cleaning.cleaner import discover, write_outputs
    from .cleaning.workbooks import shown

    total = len(discover(paths)[0]) if sys.stderr.isatty() else 0  # the folders are walked twice only for the bar
    bar, step = _progress(total, "reading workbooks")
    try:
        result = do_clean(paths, progress=step)
    finally:
        if bar:
            bar.stop()
    write_outputs(result, out)
    for path, reason in result.failed:
        say(f"error: {shown(path)}: {reason}", err=True)
    n_ok = len(result.files) - len([f for f, _ in result.failed if f in result.files])
    say(f"{n_ok} file(s) read, {len(result.failed)} failed: {len(result.indicators)} indicator rows, "
        f"{len(result.issues)} issues logged -> {out}", err=True)
    return 1 if result.failed else 0


@app.command()
def clean(
    paths: Annotated[list[Path] | None, typer.Argument(metavar="PATH",
                                                       help="Workbooks or folders (default data/raw).")] = None,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Output folder.")] = PROCESSED,
) -> None:
    """Read indicator workbooks and write indicators.csv, indicators.parquet, issues.csv and layout.csv."""
    check_vocabulary()
    raise typer.Exit(run_clean(paths or [RAW], out))


@app.command()
def inspect(
    paths: Annotated[list[Path], typer.Argument(metavar="FILE", help="Workbooks to inspect.")],
    rows: Annotated[int, typer.Option("--rows", metavar="N", parser=whole(1, example=8),
                                      help="Rows as read to show per sheet (1 or more).")] = 8,
    lang: Annotated[str, typer.Option("--lang", metavar="LANG", help="Language of the place: vi or en.")] = "vi",
) -> None:
    """Show the layout the reader decides for each sheet (roles, years, periods, sample values), the place its rows
    are read as, and the first rows."""
    from .commands import inspect_files

    check_vocabulary()
    raise typer.Exit(inspect_files(paths, rows, lang, say))


@app.command("latest-year", hidden=True)
def latest_year(
    raw: Annotated[Path, typer.Option("--raw", metavar="DIR")] = RAW,
    processed: Annotated[Path, typer.Option("--processed", metavar="DIR")] = PROCESSED,
) -> None:
    """Print the latest year with actual values (for `make run`); cleans first when the data changed, so that
    the `chodon run` that follows finds the data clean."""
    import pandas as pd

    from .runner.stamps import clean_into, clean_key, clean_needed, code_fingerprint

    check_vocabulary()
    key = clean_key(raw, code_fingerprint())
    if clean_needed(processed, key):
        clean_into(raw, processed, key)
    ind = pd.read_parquet(processed / "indicators.parquet", columns=["year", "actual_value"])
    years = ind.loc[ind["actual_value"].notna(), "year"].dropna()
    if years.empty:
        typer.echo(f"error: {raw}: no workbook with actual values", err=True)
        raise typer.Exit(1)
    typer.echo(int(years.max()))


@app.command()
def run(
    year: Annotated[int, typer.Option("--year", **_YEAR)],
    raw: Annotated[Path, typer.Option("--raw", metavar="DIR", help="Input workbooks.")] = RAW,
    external: Annotated[Path, typer.Option("--external", metavar="DIR",
                                           help="Reference data (published figures, provenance).")] = EXTERNAL,
    processed: Annotated[Path, typer.Option("--processed", metavar="DIR", help="Processed data folder.")] = PROCESSED,
    reports: Annotated[Path, typer.Option("--reports", metavar="DIR", help="Reports folder.")] = REPORTS,
    jobs: Annotated[int, typer.Option("--jobs", metavar="N", parser=whole(0, example=2),
                                      help="Notebooks run in parallel (0: one per core).")] = 0,
    force: Annotated[bool, typer.Option("--force", help="Redo work even when nothing changed.")] = False,
    show_code: Annotated[bool, typer.Option("--show-code", help="Keep code cells in the HTML.")] = False,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", metavar="NAME=VALUE",
                                                    help="Extra notebook parameter (repeatable).")] = None,
    notebooks: Annotated[Path | None, typer.Option("--notebooks", metavar="DIR",
                                                   help="Folder of report notebooks.")] = None,
    area: Annotated[str | None, typer.Option("--area", metavar="AREA",
                                             help="One area (name or folder, see `chodon areas`) or `all`: "
                                             "a report folder per area in reports/YEAR/ (from 2025: all unless "
                                             "given).")] = None,
    shard: Annotated[str | None, typer.Option("--shard", metavar="K/N", help="Only the K-th of N slices of the "
                                              "areas (for a scheduler's job array); needs --area (the default "
                                              "from 2025).")] = None,
    lang: Annotated[str | None, typer.Option("--lang", metavar="LANG", help="The reports' language: vi (default) "
                                             "or en; the same as --param lang=LANG.")] = None,
) -> None:
    """Clean, write the derived tables and execute every report notebook for YEAR (per area with --area)."""
    from .runner.stop import pause

    pause("start")
    from .base.places import REFORM_YEAR
    from .runner.areas import parse_shard
    from .runner.config import RunConfig
    from .runner.params import parse_param
    from .runner.run import run as run_reports

    check_vocabulary()
    try:
        extra = dict(parse_param(p) for p in [*(param or []), *([f"lang={lang}"] if lang is not None else [])])
        slice_ = parse_shard(shard) if shard is not None else None
    except ValueError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    if area is None and year >= REFORM_YEAR:  # no districts from then on: a report folder per area, for a schedule
        area = "all"
    config = RunConfig(year, raw=raw, processed=processed, reports=reports, notebooks=notebooks, external=external,
                       jobs=jobs, force=force, show_code=show_code, params=extra, area=area, shard=slice_)
    raise typer.Exit(_run_until_stopped(config, run_reports))


def _run_until_stopped(config, run_reports) -> int:
    """The run, stopped by Ctrl-C, SIGTERM or SIGHUP at any moment with exit status 130 (runner/stop.py); a file it
    cannot write is one line and status 1. Started as `chodon`, the process ends here."""
    from .runner.run import Stopped
    from .runner.steps import err, left_by_stop, unwritten
    from .runner.stop import STOPPED, Stopping

    stopping = Stopping()
    try:
        try:
            status = run_reports(config)
        finally:
            stopping.end()
    except KeyboardInterrupt as e:
        left = str(e) if isinstance(e, Stopped) else left_by_stop(config.reports / str(config.year), config.per_area,
                                                                  [])
        err(f"the run was stopped ({stopping.name}); its kernels are shut down and {left}")
        status = STOPPED
    except OSError as e:  # a full disk, a folder that cannot be written
        if _state["debug"]:
            raise
        err(unwritten(e, config.per_area))
        status = 1
    except Exception as e:  # anything unforeseen: one plain line
        if _state["debug"]:
            raise
        err(f"{e} (run with --debug for the details)")
        status = 1
    return stopping.exit(status, _state["program"])


@app.command()
def areas(
    year: Annotated[int | None, typer.Option("--year", **_YEAR)] = None,
    province: Annotated[str | None, typer.Option("--province", metavar="NAME",
                                                 help="The units of a province (from 2025): code, type, name and the "
                                                      "former districts they cover; with --year, its areas.")] = None,
    processed: Annotated[Path, typer.Option("--processed", metavar="DIR", help="Processed data folder.")] = PROCESSED,
    shard: Annotated[str | None, typer.Option("--shard", metavar="K/N", help="Only the K-th of N slices.")] = None,
) -> None:
    """Print the areas of YEAR, one folder name per line (what `--area` takes; for a scheduler's task list); or,
    with --province alone, every unit of the province, one per line: code, type, name, former districts."""
    from .commands import list_areas

    check_vocabulary()
    if status := list_areas(year, province, processed, shard, say):
        raise typer.Exit(status)


@app.command()
def check(
    year: Annotated[int, typer.Option("--year", **_YEAR)],
    raw: Annotated[Path, typer.Option("--raw", metavar="DIR", help="Input workbooks.")] = RAW,
    processed: Annotated[Path, typer.Option("--processed", metavar="DIR", help="Processed data folder.")] = PROCESSED,
    lang: Annotated[str, typer.Option("--lang", metavar="LANG", help="Language of the messages: vi or en.")] = "vi",
) -> None:
    """Check the figures up to YEAR (rules, outliers, completeness) into data_quality.csv and print a line per area
    of YEAR; exit 1 when a finding of YEAR is an error, so that a scheduled run stops before publishing."""
    from .commands import check_figures

    check_vocabulary()
    raise typer.Exit(check_figures(year, raw, processed, lang))


@app.command("catalog")
def catalog_command(
    add: Annotated[tuple[str, str] | None, typer.Option(
        "--add", metavar="ID NAME", help="Add NAME as another name of the catalog indicator ID.")] = None,
    processed: Annotated[Path, typer.Option("--processed", metavar="DIR", help="Processed data folder.")] = PROCESSED,
) -> None:
    """List the indicator names of the cleaned table that the catalog does not know, with the closest catalog
    entries; or add one as an alias (`--add poverty_rate "Tỷ lệ hộ nghèo đa chiều"`: one line in
    catalog_aliases.csv)."""
    from .commands import catalog_names

    check_vocabulary()
    if status := catalog_names(add, processed, say):
        raise typer.Exit(status)


def _clean_plainly(paths: list[Path], out: Path) -> int:
    """`chodon clean [PATH ...] [--out DIR]` as typer runs it (same words, same exit statuses), without typer's
    parameter machinery (speed.py)."""
    try:
        check_vocabulary()
        return run_clean(paths or [RAW], out)
    except typer.Exit as e:
        return e.exit_code
    except KeyboardInterrupt:  # as typer says it
        say("", err=True)
        say("error: stopped", err=True)
        return 1


def _run_plainly(arguments: dict[str, object]) -> int:
    """`chodon run ...` as typer runs it (same words, same exit statuses), without typer's parameter machinery
    (speed.py)."""
    try:
        run(**arguments)  # type: ignore[arg-type]
    except typer.Exit as e:
        return e.exit_code
    return 0


def main() -> None:
    """Entry point: usage errors exit 2; no traceback reaches the user unless --debug is given."""
    from .speed import plain_clean, plain_run, skip_unused_imports

    skip_unused_imports()
    _state["program"] = True
    try:
        if (plain := plain_clean(sys.argv[1:])) is not None:
            sys.exit(_clean_plainly(plain[0], plain[1] or PROCESSED))
        if (arguments := plain_run(sys.argv[1:])) is not None:
            sys.exit(_run_plainly(arguments))
        app()
    except OSError as e:  # a full disk, a folder that cannot be written: which file, what the system said
        if _state["debug"] or "--debug" in sys.argv:
            raise
        from .cleaning.workbooks import shown

        where = f"{shown(e.filename)}: " if e.filename else ""
        say(f"error: {where}{e.strerror or e}; nothing was replaced (free some space or fix the folder's "
            "permissions, then run again)", err=True)
        sys.exit(1)
    except Exception as e:  # anything unforeseen: one plain line, exit 1
        if _state["debug"] or "--debug" in sys.argv:
            raise
        say(f"error: {e} (run with --debug for the details)", err=True)
        sys.exit(1)
    finally:  # a test that calls main() leaves no program behind it (a later run in its process must not _exit)
        _state["program"] = False


if __name__ == "__main__":
    main()
