"""How the `chodon` command line speaks when it is used wrongly: one line on stderr (`error: --year: 'abc' is not a
whole number, such as 2024; see chodon run --help`) and exit status 2, never a box; whole-number options that say
what they got. The commands themselves are in cli.py."""

from __future__ import annotations

import sys
from collections.abc import Callable

import typer
from typer.core import TyperGroup

try:  # a recent typer carries its own copy of click
    from typer._click.exceptions import BadParameter, MissingParameter, UsageError
except ImportError:  # pragma: no cover - an older typer uses click itself
    from click.exceptions import BadParameter, MissingParameter, UsageError


def whole(least: int | None = None, most: int | None = None, example: int | None = None) -> Callable[[str], int]:
    """The parser of a whole-number option: the number, or a refusal naming the value given and what would do."""

    def parse(value: str | int) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            such = f", such as {example}" if example is not None else ""
            raise typer.BadParameter(f"{value!r} is not a whole number{such}") from None
        if least is not None and number < least:
            raise typer.BadParameter(f"{number} is below {least}, the least it can be")
        if most is not None and number > most:
            raise typer.BadParameter(f"{number} is above {most}, the most it can be")
        return number

    return parse


def usage_line(e: UsageError) -> str:
    """A usage error in one line: the option and what is wrong with its value, or what click says, then where to
    read the usage."""
    where = e.ctx.command_path if e.ctx is not None else "chodon"
    if isinstance(e, BadParameter) and not isinstance(e, MissingParameter) and e.param is not None:
        name = next((o for o in e.param.opts if o.startswith("--")), e.param.opts[0] if e.param.opts else "")
        what = f"{name or e.param.name}: {e.message}"
    else:  # click's own words (`No such option: --yaer (Possible options: --year)`), as the rest of a line
        what = e.format_message().rstrip(".")
        what = what[:1].lower() + what[1:] if what[1:2].islower() else what
    return f"error: {' '.join(what.split())}; see {where} --help"


def _no_type_tag(*_args, **_kwargs) -> None:
    return None


class OneLineGroup(TyperGroup):
    """The `chodon` group: plain help (no type tags such as `<bool>` beside a flag, nor `<list[Path]>` beside an
    argument that has its own name), and every usage error as one line with exit status 2 (help asked by giving no
    command is shown as help)."""

    def get_command(self, ctx, cmd_name: str):
        command = super().get_command(ctx, cmd_name)
        for p in getattr(command, "params", ()):
            if p.param_type_name == "argument" and p.metavar:
                p.display_type_rich = _no_type_tag  # its name (FILE, PATH) says what it takes
        return command

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        kwargs.setdefault("prog_name", "chodon")
        try:
            status = super().main(*args, standalone_mode=False, **kwargs)
        except typer.Abort:  # end of input at a prompt
            if not standalone_mode:
                raise
            typer.echo("error: stopped", err=True)
            sys.exit(1)
        except UsageError as e:
            if not standalone_mode:
                raise
            if type(e).__name__ == "NoArgsIsHelpError":  # `chodon` alone: its help, as before
                typer.echo(e.format_message(), err=True)
            else:
                typer.echo(usage_line(e), err=True)
            sys.exit(e.exit_code)
        if not standalone_mode:
            return status
        sys.exit(status if isinstance(status, int) else 0)
