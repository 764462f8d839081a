"""`.xlsx` and `.xlsm` (Office Open XML, a zip): the zip checked (truncated, zip bomb), then one streaming pass of
a real XML parser over each part measures every sheet against the limits (docs/reading.md, "Limits") and takes
what calamine does not give (percent cells, decimals shown, error cells, unsaved formulas, hidden rows and
columns, fonts); only then are its values read by calamine, which would size its grids by what the file says."""

from __future__ import annotations

import posixpath
import re
import zipfile
from array import array
from pathlib import Path, PurePosixPath

from . import bounds, xml_scan
from .book import FormulaCell, ReadError, Workbook, column_index
from .calamine import read_values
from .styles import BUILTIN_FORMATS, SheetStyles, Styles, font_hint, format_decimals, unchecked

EXTENSIONS = (".xlsx", ".xlsm")
BY_CONTENT = True
NOT_THIS = "not_a_workbook"

_KEEP_CHUNKS = 16  # pieces of a value or formula kept (an error code, a shared-string index, a formula shown)
_LOCAL: dict[str, str] = {}  # element name as written -> its local name (`x:c` -> `c`), filled as met


def _local(name: str) -> str:
    if len(_LOCAL) < 1024:  # a hostile file with endless different names does not grow it for ever
        _LOCAL[name] = xml_scan.local(name)
    return xml_scan.local(name)


def recognise(head: bytes) -> bool:
    """A zip, but not an OpenDocument file (whose first member is named `mimetype`)."""
    return head.startswith(b"PK") and head[30:38] != b"mimetype"


def read(path: Path) -> Workbook:
    return read_values(path, ".xlsx", xlsx_styles(path))


def xlsx_styles(path: Path) -> Styles:
    """The styles of every sheet, each sheet measured against the limits (ReadError past them)."""
    try:
        with bounds.open_zip(path) as zf:
            names = set(zf.namelist())
            shared = _shared_lengths(zf) if "xl/sharedStrings.xml" in names else array("Q")
            xf, fonts = _cell_formats(zf) if "xl/styles.xml" in names else ({}, [])
            out = Styles(font_hint=font_hint(fonts))
            by_lower = {n.lower(): n for n in names}
            measured = set()
            for i, (name, member) in enumerate(_sheet_members(zf, names)):
                found = by_lower.get(member.lower())  # the value reader finds a part whatever its case
                if found is not None:
                    with zf.open(found) as fh:
                        out.sheets[i] = _scan_sheet(fh, xf, shared, name)
                    measured.add(found)
            for other in sorted(names - measured):  # any other sheet part it might read is measured too
                if other.lower().startswith("xl/worksheets/") and other.lower().endswith(".xml"):
                    with zf.open(other) as fh:
                        _scan_sheet(fh, xf, shared, PurePosixPath(other).stem)
            return out
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise unchecked(e) from None


def _shared_lengths(zf: zipfile.ZipFile) -> array:
    """The characters of each shared string (all its runs), refusing one longer than a cell may hold."""
    lengths, current = array("Q"), [0]

    def start(tag: str, _attrs: dict) -> None:
        if tag == "si":
            current[0] = 0

    def end(tag: str) -> None:
        if tag == "si":
            if current[0] > bounds.MAX_CELL_CHARS:
                raise ReadError("shared_text_too_long", chars=current[0], max_chars=bounds.MAX_CELL_CHARS)
            lengths.append(current[0])

    def text(data: str) -> None:
        current[0] += len(data)

    with zf.open("xl/sharedStrings.xml") as fh:
        xml_scan.scan(fh, start, end, text)
    return lengths


def _cell_formats(zf: zipfile.ZipFile) -> tuple[dict[str, tuple[bool, int]], list[str]]:
    """Style index -> (percent, decimals shown) for the cell formats that show a number; the font names."""
    numfmts: dict[int, str] = {}
    xfs: list[int] = []
    fonts: list[str] = []
    depth = {"cellXfs": 0}

    def start(tag: str, a: dict[str, str]) -> None:
        if tag == "numFmt" and a.get("numFmtId", "").isdigit():
            numfmts[int(a["numFmtId"])] = a.get("formatCode", "")
        elif tag == "cellXfs":
            depth["cellXfs"] += 1
        elif tag == "xf" and depth["cellXfs"]:
            fid = a.get("numFmtId", "0")
            xfs.append(int(fid) if fid.isdigit() else 0)
        elif tag == "name" and "val" in a:
            fonts.append(a["val"])

    def end(tag: str) -> None:
        if tag == "cellXfs":
            depth["cellXfs"] -= 1

    with zf.open("xl/styles.xml") as fh:
        xml_scan.scan(fh, start, end)
    out = {}
    for i, fid in enumerate(xfs):
        code = numfmts.get(fid, BUILTIN_FORMATS.get(fid, ""))
        if (d := format_decimals(code)) is not None:
            out[str(i)] = ("%" in code, d)
    return out, fonts


def _sheet_members(zf: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(name, worksheet XML file) of each sheet in workbook order (chart sheets left out, as calamine does)."""
    targets: dict[str, tuple[str, str]] = {}
    sheets: list[tuple[str, str]] = []

    def rel(tag: str, a: dict[str, str]) -> None:
        if tag == "Relationship":
            targets[a.get("Id", "")] = (a.get("Target", ""), a.get("Type", ""))

    def sheet(tag: str, a: dict[str, str]) -> None:
        if tag == "sheet":
            sheets.append((a.get("name", ""), a.get("id", "")))

    if "xl/_rels/workbook.xml.rels" in names:
        with zf.open("xl/_rels/workbook.xml.rels") as fh:
            xml_scan.scan(fh, rel)
    with zf.open("xl/workbook.xml") as fh:
        xml_scan.scan(fh, sheet)
    out = []
    for name, rid in sheets:
        target, typ = targets.get(rid, ("", ""))
        if typ.endswith("/chartsheet"):
            continue
        target = target.replace("\\", "/")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        out.append((name, posixpath.normpath(path)))
    return out


_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,9})")
_COLUMNS: dict[str, int] = {}


def _ref(ref: str) -> tuple[int, int] | None:
    """`XFD1048576` -> (1048575, 16383), 0-based; None if it is not a cell reference."""
    m = _REF.fullmatch(ref)
    if m is None:
        return None
    letters = m.group(1)
    col = _COLUMNS.get(letters)
    if col is None:
        col = _COLUMNS[letters] = column_index(letters)  # at most 18,278 column names
    return int(m.group(2)) - 1, col


class _Sheet:
    """The state of one sheet's scan: where the parser is, the cell being read, the extent and the text so far."""

    def __init__(self, xf: dict[str, tuple[bool, int]], shared: array, name: str) -> None:
        self.xf, self.shared, self.name = xf, shared, name
        self.out = SheetStyles()
        self.extent = bounds.Extent(name)
        self.row, self.col = -1, -1
        self.text_total = 0
        self.cell: tuple[int, int] | None = None
        self.style = self.kind = ""
        self.chars = 0
        self.value: list[str] = []
        self.formula: list[str] | None = None
        self.into: list[str] | None = None  # where character data goes (the value, the formula), if kept
        self.counting = False  # after a value or a text run opened, in the cell: its characters count

    def start(self, tag: str, a: dict[str, str]) -> None:
        """Elements as they open; a cell ends where the next cell or row begins (no end events: half the calls)."""
        tag = _LOCAL.get(tag) or _local(tag)
        if tag == "v":
            if self.cell is not None:
                self.counting, self.into = True, self.value
            return
        if self.cell is not None and (tag == "c" or tag == "row"):
            self._cell_done()
        if tag == "c":
            r = a.get("r")
            if r is None and a:  # a prefixed attribute (`x:r`) counts as well
                r = next((v for k, v in a.items() if _local(k) == "r"), None)
            ref = _ref(r.strip()) if r else None
            if ref is None:
                ref = (max(self.row, 0), self.col + 1)
            self.row, self.col = ref
            if self.row >= self.extent.rows or self.col >= self.extent.cols:
                self.extent.add(self.row, self.col)
            self.cell, self.style, self.kind = ref, a.get("s", ""), a.get("t", "")
            self.chars, self.value, self.formula = 0, [], None
        elif tag == "t":
            if self.cell is not None:
                self.counting, self.into = True, None
        elif tag == "f":
            if self.cell is not None:
                self.formula = []
                self.counting, self.into = False, self.formula
        elif tag == "row":
            if a and any(":" in k for k in a):
                a = {_local(k): v for k, v in a.items()}
            r = a.get("r", "").strip()
            self.row, self.col = (int(r) - 1 if r.isdigit() else self.row + 1), -1
            if a.get("hidden") in ("1", "true"):
                self.out.hidden_rows.add(self.row)
        elif tag == "col" and a.get("hidden") in ("1", "true"):
            lo = int(a["min"]) if a.get("min", "").isdigit() else 1
            hi = int(a["max"]) if a.get("max", "").isdigit() else lo
            self.out.hidden_cols.update(range(lo - 1, min(hi, lo + 200)))
        elif tag == "dimension":
            last = _ref(a.get("ref", "").split(":")[-1].strip().replace("$", ""))
            if last:
                bounds.check_extent(self.name, last[0] + 1, last[1] + 1, declared=True)

    def text(self, data: str) -> None:
        if self.counting:
            self.chars += len(data)
        if self.into is not None and len(self.into) < _KEEP_CHUNKS:
            self.into.append(data)

    def _cell_done(self) -> None:
        value = "".join(self.value).strip()
        chars = self.chars
        if self.kind == "s" and value.isdigit() and int(value) < len(self.shared):
            chars = self.shared[int(value)]  # the shared string this cell shows: its own copy once read
        if chars > bounds.MAX_CELL_CHARS:
            raise bounds.cell_too_long(self.name, chars)
        self.text_total += chars
        if self.text_total > bounds.MAX_TEXT:
            bounds.check_text(self.name, self.text_total)
        cell = self.cell
        if self.kind == "e" and value:
            self.out.errors[cell] = value
        elif self.formula is not None and not value:
            self.out.errors[cell] = FormulaCell("=" + "".join(self.formula).strip())
        if self.style and (fmt := self.xf.get(self.style)):
            if fmt[0]:
                self.out.percent.add(cell)
            self.out.decimals[cell] = fmt[1]
        self.cell, self.counting, self.into = None, False, None


def _scan_sheet(fh, xf: dict[str, tuple[bool, int]], shared: array, name: str) -> SheetStyles:
    """One pass over a sheet: refused past the limits (its declared extent, every cell, empty or not, as calamine
    sizes its grid by them, each cell's text and the sheet's); the styles, errors and unsaved formulas."""
    state = _Sheet(xf, shared, name)
    p = xml_scan.parser()
    p.StartElementHandler, p.CharacterDataHandler = state.start, state.text
    xml_scan.run(p, fh)
    if state.cell is not None:
        state._cell_done()
    return state.out
