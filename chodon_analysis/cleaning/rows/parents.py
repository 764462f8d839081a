"""Which indicator a row belongs to (`parent_indicator`): the group headings and `Trong đó:` labels above it, kept as
a stack of frames (docs/reading.md#rows-that-are-not-indicators).

A group heading (`2 Chăn nuôi`) opens a frame its coded children stay in; a `Trong đó:` (alone, or written with a
part's name and figures) opens one over the indicator just above it, inside the group. A row's code says which
frames it ends: `2.2` ends the parts of `2.1` and stays in the group `2`; `3` ends both. Where the codes cannot
tell (the parts are coded as their total is, or not at all), the unit decides and the frame says it was unclear."""

from __future__ import annotations

import re

from .kinds import Frame, State, level_code

Doubt = tuple[int, str, str, dict]  # Excel row, value, code, parameters of a doubt to log

_BULLETS = ("-", "+", "*", "•")
_LETTER = re.compile(r"[a-zđ]|[ivx]{1,4}")


def code_kind(code: str) -> str:
    """What kind of order code: `level` (`2`, `1.2`, `II`), a bullet (`-`, `+`), `letter` (`a`, `b)`, `ii`), `` (none),
    or the code's shape (`(1)` and `(2)` are one kind)."""
    code = code.strip()
    if level_code(code):
        return "level"
    if code in _BULLETS or not code:
        return code
    if _LETTER.fullmatch(code.rstrip(".)").lstrip("(")):
        return "letter"
    return re.sub(r"\d+", "9", code)


def _under(code: str, parent: str) -> bool:
    return bool(parent) and code.startswith(parent.rstrip(".") + ".")


def place(frames: list[Frame], code: str, unit: str) -> str:
    """Where a row coded `code` in `unit` stands against the frame on top: `part` (it belongs to it), `end` (the frame
    ends above it), or `unit_part`, `unit_end` (the codes cannot tell: the unit of the total decided)."""
    frame = frames[-1]
    if frame.kind == "group":
        return "end" if level_code(code) and not _under(code, frame.code) else "part"
    if level_code(code) and level_code(frame.code):
        return "part" if _under(code, frame.code) else "end"  # `1.1.1` under `1.1`; `1.2` after it
    if level_code(code):
        return "end"  # `1.2` after the parts of `- Lúa`, `2` after those of an unnumbered total: a level ends them
    kind, parent_kind = code_kind(code), code_kind(frame.code)
    if frame.part_kind is None or kind not in (frame.part_kind, parent_kind):
        return "part"  # the first row below `Trong đó:` is a part; so is a part of a part (`+` under `-`)
    if kind != parent_kind:
        return "part"  # coded as the parts are
    if kind != frame.part_kind or frame.labelled:
        return "end"  # coded as the total is: its sibling (a part written with its label is one line)
    return "unit_part" if unit == frame.unit else "unit_end"


def ended_by(frames: list[Frame], code: str, unit: str, excel_row: int) -> list[Frame]:
    """The frames a row ends, taken off the stack (for their doubts); the row recorded as a part of the one it
    stays in."""
    closed = []
    while frames:
        verdict = place(frames, code, unit)
        if verdict in ("end", "unit_end"):
            frames[-1].unclear |= verdict == "unit_end"
            closed.append(frames.pop())
            continue
        top = frames[-1]
        top.unclear |= verdict == "unit_part"
        top.part_kind = code_kind(code) if top.part_kind is None else top.part_kind
        top.first, top.last = top.first or excel_row, excel_row
        break
    return closed


def doubts(frames: list[Frame]) -> list[Doubt]:
    """The doubts closed frames leave: a `Trong đó:` label whose parts were told by their unit only
    (`of_which_parts_unclear`), or one with no part below it (`of_which_without_parts`)."""
    out = []
    for f in frames:
        if f.kind == "of_which" and not f.labelled and not f.first:
            out.append((f.row, f.name, "of_which_without_parts", {"parent": f.name}))
        elif f.kind == "of_which" and not f.labelled and f.unclear:
            out.append((f.row, f.name, "of_which_parts_unclear", {"parent": f.name, "first": f.first, "last": f.last}))
    return out


def parent_of(s: State, label: bool, name: str, code: str, unit: str, excel_row: int) -> tuple[str, list[Doubt]]:
    """The indicator or group an indicator row belongs to, and the doubts of the frames its code ends. A part written
    with its label (`Trong đó: trâu cái`, `label`) opens the parts of the indicator just above it, or joins the part
    written so just above it (`Trong đó: bò`)."""
    top = s.frames[-1] if s.frames else None
    said: list[Doubt] = []
    if not label:
        said = doubts(ended_by(s.frames, code, unit, excel_row))
    elif top is not None and top.kind == "of_which" and (s.above_label or not top.first):
        top.first, top.last = top.first or excel_row, excel_row
    elif s.above is not None:
        s.frames.append(Frame("of_which", *s.above, excel_row, labelled=True, part_kind=code_kind(code),
                              first=excel_row, last=excel_row))
    else:
        said = [(excel_row, name, "of_which_label_alone", {})]
    return (s.frames[-1].name if s.frames else ""), said


def open_parts(s: State, excel_row: int) -> str:
    """A `Trong đó:` label alone: the rows below are parts of the indicator just above it; its name ("" without one,
    and the same label written twice opens nothing more)."""
    if s.above is None:
        return ""
    top = s.frames[-1] if s.frames else None
    if not (top is not None and top.kind == "of_which" and not top.first and top.name == s.above[0]):
        s.frames.append(Frame("of_which", *s.above, excel_row))
    return s.above[0]


def open_group(s: State, name: str, code: str, excel_row: int) -> list[Doubt]:
    """A group heading: the frames its code ends closed (their doubts), and a group of its own opened."""
    said = doubts(ended_by(s.frames, code, "", excel_row))
    s.frames.append(Frame("group", name, code, "", excel_row))
    s.above = None
    return said
