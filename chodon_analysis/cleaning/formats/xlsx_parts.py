"""Which parts of an `.xlsx` zip the value reader (calamine) will read, found as it finds them, so that the
measuring pass measures exactly those: the workbook folder from `_rels/.rels`, each sheet at the folder joined
to its relationship's target as written (no `../` or `%31` resolved), members looked up without regard to case.
A target the pass could read differently from calamine (an XML character reference in it) is refused. And a cell
reference read as calamine reads it (`reference`), which both measuring passes share."""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache

from . import xml_scan
from .book import ReadError, column_index

SHEET_TYPES = ("worksheet", "dialogsheet", "chartsheet")  # the last part of a relationship's type
# a target the XML parser would read otherwise than calamine: a character reference, or a tab or line break (which
# the parser turns into a space, calamine keeps)
_ESCAPED_TARGET = re.compile(rb"""Target\s*=\s*["'][^"']*[&\t\r\n]""")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(name: str) -> str:
    """Lower case for A-Z only, as calamine compares part names (`Ä` and `ä` stay two names)."""
    return name.translate(_ASCII_LOWER)


def _relationship_attrs(raw: bytes) -> list[dict[str, str]]:
    """The attributes of each `<Relationship>` of a relationships part."""
    found: list[dict[str, str]] = []
    xml_scan.scan_bytes(raw, lambda tag, a: found.append(a) if tag == "Relationship" else None)
    return found


# a small relationships part's, remembered by its bytes (the workbooks of one template share them; never changed)
_remembered_attrs = lru_cache(maxsize=32)(_relationship_attrs)


class Parts:
    """The zip's members as calamine looks them up: by the lower-cased name (backslashes as slashes), the last
    of two that differ only by case winning, else by the exact name."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.names = set(zf.namelist())
        self.by_lower = {ascii_lower(n.replace("\\", "/")): n for n in zf.namelist()}
        self.folder = self._folder()

    def find(self, path: str) -> str | None:
        """The member calamine opens for `path`, or None when it has none."""
        found = self.by_lower.get(ascii_lower(path))
        return found if found is not None else (path if path in self.names else None)

    def _relationships(self, path: str) -> list[dict[str, str]]:
        """The attributes of each `<Relationship>` of the part at `path` (none when it is missing); refused when a
        target is written with a character reference, which calamine reads as written and the XML parser not."""
        member = self.find(path)
        if member is None:
            return []
        with self.zf.open(member) as fh:
            raw = fh.read()
        if _ESCAPED_TARGET.search(raw):
            raise ReadError("part_path_unusual", part=member)
        return _remembered_attrs(raw) if len(raw) <= xml_scan.REMEMBER_MAX else _relationship_attrs(raw)

    def _folder(self) -> str:
        """The workbook's folder (`xl/`): that of the last office document of `_rels/.rels`, as calamine takes it
        (by the attributes named exactly `Type` and `Target`; a prefixed one would leave a doubt: refused)."""
        target = None
        for a in self._relationships("_rels/.rels"):
            if any(":" in k and xml_scan.local(k) in ("Type", "Target") for k in a):
                raise ReadError("part_path_unusual", part="_rels/.rels")
            if a.get("Type", "").endswith("/relationships/officeDocument") and "Target" in a:
                target = a["Target"]
        if target is None:
            return "xl/"
        cut = target.rfind("/")
        return target[: cut + 1].removeprefix("/") if cut >= 0 else ""

    def part(self, name: str) -> str | None:
        """A part of the workbook's folder (`workbook.xml`, `sharedStrings.xml`, `styles.xml`) as calamine finds it."""
        return self.find(self.folder + name)

    def target(self, target: str) -> str | None:
        """The member a sheet relationship's target names: absolute without its `/`, else in the workbook's folder,
        joined as written."""
        return self.find(target[1:] if target.startswith("/") else self.folder + target)

    def sheets(self) -> tuple[dict[str, str], set[str]]:
        """The sheet relationships of the workbook (id -> member), and every member any sheet relationship names
        (whatever its id: all are measured)."""
        by_id: dict[str, str] = {}
        every: set[str] = set()
        for a in self._relationships(self.folder + "_rels/workbook.xml.rels"):
            types = [v.rsplit("/", 1)[-1] for k, v in a.items() if xml_scan.local(k) == "Type"]
            if not set(types) & set(SHEET_TYPES):
                continue
            for member in {self.target(v) for k, v in a.items() if xml_scan.local(k) == "Target"} - {None}:
                every.add(member)  # by any spelling of the attribute: more measured, never less
            if "Target" in a and (member := self.target(a["Target"])) is not None and "chartsheet" not in types:
                by_id[a.get("Id", "")] = member
        return by_id, every


_PLAIN_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")  # what Excel writes: read the quick way
_COLUMNS: dict[str, int] = {}
U32 = 0xFFFFFFFF


def column(letters: str) -> int:
    """The 0-based column of upper-case `letters` (at most three), remembered: at most 18,278 column names."""
    col = _COLUMNS.get(letters)
    if col is None:
        col = _COLUMNS[letters] = column_index(letters)
    return col


def reference(ref: str) -> tuple[int, int | None] | None:
    """A cell reference read as calamine reads it: letters of either case, then digits, in 32-bit arithmetic that
    wraps (`xfd1048576` -> (1048575, 16383); `A4294967297` -> row 0); 0-based (row, column or None); None when
    calamine refuses it (`$A$1`, no row)."""
    m = _PLAIN_REF.fullmatch(ref)
    if m is not None:
        letters = m.group(1)
        return int(m.group(2)) - 1, column(letters)
    col = row = 0
    digits = False
    for ch in ref:
        if not digits and ("A" <= ch <= "Z" or "a" <= ch <= "z"):
            col = (col * 26 + ord(ch.upper()) - 64) & U32
        elif "0" <= ch <= "9":
            row, digits = ((row * 10 if digits else 0) + ord(ch) - 48) & U32, True
        else:
            return None
    return (row - 1, col - 1 if col else None) if row else None


def cell_ref(ref: str) -> tuple[int, int] | None:
    """A cell's reference as (row, column), 0-based; None when calamine refuses it."""
    found = reference(ref)
    return None if found is None or found[1] is None else (found[0], found[1])
