"""The numbers Word writes itself in front of a paragraph (automatic numbering, `w:numPr`), as the page shows them:
a table's order column numbered `1.`, `2.` or `I.`, `II.` is no text of the document, but the reader needs the codes
(a section `II`, the end of a `Trong đó` group at `2`). Counted in document order, per list, as Word counts them:
lists that share a definition continue one another unless one restarts (`w:startOverride`), a level restarts its
deeper levels; bullets are `-`."""

from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
          (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_LEVELS = 9


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (as Word writes letters past Z)."""
    return chr(64 + (n - 1) % 26 + 1) * ((n - 1) // 26 + 1) if n > 0 else ""


def _formatted(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        text = _roman(min(n, 3999))
        return text if fmt == "upperRoman" else text.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        text = _letters(min(n, 780))
        return text if fmt == "upperLetter" else text.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return "" if fmt == "none" else str(n)


def _int(el, default: int) -> int:
    value = el.get(W + "val", "") if el is not None else ""
    return int(value) if value.isdigit() and len(value) < 7 else default


class Numbering:
    """The list definitions of a document (its numbering part) and the counters met so far."""

    def __init__(self, element) -> None:
        self.abstract: dict[str, dict[int, tuple[int, str, str]]] = {}  # id -> level -> (start, format, text)
        for a in element.iter(W + "abstractNum"):
            levels = {}
            for lvl in a.iter(W + "lvl"):
                fmt, text = lvl.find(W + "numFmt"), lvl.find(W + "lvlText")
                levels[_int_attr(lvl, "ilvl")] = (_int(lvl.find(W + "start"), 1),
                                                  fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
                                                  text.get(W + "val", "") if text is not None else "")
            self.abstract[a.get(W + "abstractNumId", "")] = levels
        self.lists: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstract id, level -> start override)
        for num in element.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            overrides = {_int_attr(o, "ilvl"): _int(o.find(W + "startOverride"), 1)
                         for o in num.iter(W + "lvlOverride") if o.find(W + "startOverride") is not None}
            self.lists[num.get(W + "numId", "")] = (ref.get(W + "val", "") if ref is not None else "", overrides)
        self.counters: dict[str, list[int]] = {}
        self.restarted: set[str] = set()

    def label(self, p) -> str:
        """The number Word shows before paragraph `p` (`2.`, `II.`, `-`), or ""; counted as it is met."""
        props = p.find(W + "pPr")
        num = props.find(W + "numPr") if props is not None else None
        if num is None:
            return ""
        num_id = (num.find(W + "numId").get(W + "val", "") if num.find(W + "numId") is not None else "")
        level = min(_int(num.find(W + "ilvl"), 0), _LEVELS - 1)
        abstract_id, overrides = self.lists.get(num_id, ("", {}))
        levels = self.abstract.get(abstract_id)
        if not levels or level not in levels:
            return ""
        counts = self.counters.setdefault(abstract_id, [0] * _LEVELS)
        if overrides and num_id not in self.restarted:  # a list that starts again
            self.restarted.add(num_id)
            for lvl, start in overrides.items():
                if 0 <= lvl < _LEVELS:
                    counts[lvl] = start - 1
        start = levels[level][0]
        counts[level] = max(counts[level], start - 1) + 1
        counts[level + 1:] = [0] * (_LEVELS - level - 1)
        fmt, text = levels[level][1], levels[level][2]
        if fmt == "bullet":
            return "-"
        for lvl in range(level, -1, -1):
            lvl_fmt = levels.get(lvl, (1, "decimal", ""))[1]
            text = text.replace(f"%{lvl + 1}", _formatted(counts[lvl] or levels.get(lvl, (1,))[0], lvl_fmt))
        return text.strip()


def _int_attr(el, name: str) -> int:
    value = el.get(W + name, "")
    return int(value) if value.isdigit() and len(value) < 4 else 0


def numbering_of(document) -> Numbering | None:
    """The numbering of a python-docx document, or None when it has none."""
    try:
        return Numbering(document.part.numbering_part.element)
    except Exception:  # no numbering part (python-docx cannot make one), or one it cannot read
        return None
