"""One streaming pass of a real XML parser (expat) over a part of a workbook, with names taken by their local part
(`x:c`, `c`, any quoting or spacing of attributes, as the value reader accepts them). No document type, entity
or external reference is ever read: a part that declares one is refused."""

from __future__ import annotations

import io
import pyexpat
import zipfile
from collections.abc import Callable
from functools import lru_cache
from typing import IO, TypeVar

from .book import ReadError

Start = Callable[[str, dict[str, str]], None]
End = Callable[[str], None]
Text = Callable[[str], None]
T = TypeVar("T")
REMEMBER_MAX = 64 * 1024  # bytes of a part small enough to be read whole and its reading remembered by content


def local(name: str) -> str:
    """`x:c` -> `c`; `{urn:...}c` -> `c`."""
    return name.rpartition(":")[2].rpartition("}")[2]


def _refuse(*_args: object) -> None:
    raise ReadError("xml_doctype")


def parser():
    """An expat parser that refuses document types and entities; its handlers are the caller's."""
    p = pyexpat.ParserCreate()
    p.buffer_text = True
    p.StartDoctypeDeclHandler = _refuse
    p.EntityDeclHandler = _refuse
    p.ExternalEntityRefHandler = _refuse
    p.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    return p


def run(p, fh: IO[bytes]) -> None:
    """Parse `fh` with `p`; malformed XML is a ValueError with expat's reason."""
    try:
        p.ParseFile(fh)
    except pyexpat.ExpatError as e:
        raise ValueError(f"malformed XML: {pyexpat.errors.messages[e.code]} at line {e.lineno}") from None


def scan(fh: IO[bytes], start: Start | None = None, end: End | None = None, text: Text | None = None) -> None:
    """Feed the XML of `fh` to the handlers: start(local name, attributes by local name), end(local name),
    text(character data). Raises ReadError for a document type or entity, ValueError for malformed XML."""
    p = parser()
    if start is not None:
        def on_start(name: str, attrs: dict[str, str]) -> None:
            if any(":" in k for k in attrs):
                attrs = {local(k): v for k, v in attrs.items()}
            start(local(name), attrs)

        p.StartElementHandler = on_start
    if end is not None:
        p.EndElementHandler = lambda name: end(local(name))
    if text is not None:
        p.CharacterDataHandler = text
    run(p, fh)


def scan_bytes(data: bytes, start: Callable[[str, dict[str, str]], None]) -> None:
    """start(local name, attributes as written, prefixes kept) for each element of the XML `data`."""
    p = parser()
    p.StartElementHandler = lambda name, attrs: start(local(name), attrs)
    try:
        p.Parse(data, True)
    except pyexpat.ExpatError as e:
        raise ValueError(f"malformed XML: {pyexpat.errors.messages[e.code]} at line {e.lineno}") from None


def by_content(read: Callable[[IO[bytes]], T]) -> Callable[[zipfile.ZipFile, str], T]:
    """`read(stream)` of a zip member, remembered by the member's bytes when it is small: the workbooks of one office,
    made from one template, share their styles and workbook parts, read once. A result is shared: never changed by
    its users. A part refused is not remembered (refused again)."""
    remembered = lru_cache(maxsize=32)(lambda raw: read(io.BytesIO(raw)))

    def reader(zf: zipfile.ZipFile, member: str) -> T:
        if zf.getinfo(member).file_size <= REMEMBER_MAX:
            with zf.open(member) as fh:
                return remembered(fh.read(REMEMBER_MAX + 1))
        with zf.open(member) as fh:
            return read(fh)

    return reader
