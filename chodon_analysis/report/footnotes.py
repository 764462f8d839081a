"""Word footnotes for the appendix: python-docx (1.2) reads and writes no footnotes part, so this adds one, as Word
writes it (the two separators, then each note) and puts a note's reference, a superscript number, at the end of a
paragraph. Word and LibreOffice number the notes themselves."""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SEPARATORS = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r>'
               '<w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p>'
               '<w:pPr><w:spacing w:after="0"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')


def _note(n: int, text: str, font: str, half_points: int) -> str:
    size = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/><w:sz w:val="{half_points}"/>'
    return (f'<w:footnote w:id="{n}"><w:p><w:pPr><w:spacing w:after="0"/><w:jc w:val="both"/></w:pPr>'
            f'<w:r><w:rPr>{size}<w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:rPr>{size}</w:rPr><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>')


def add_footnotes(doc, notes: list[tuple[object, str]], font: str, points: int) -> None:
    """Each (paragraph, text) of `notes` gets a footnote with `text` (in `font` at `points`), its reference at the
    end of the paragraph; nothing when `notes` is empty."""
    if not notes:
        return
    body = "".join(_note(n, text, font, points * 2) for n, (_, text) in enumerate(notes, start=1))
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{_W}">{_SEPARATORS}{body}' \
          f"</w:footnotes>"
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    for n, (paragraph, _) in enumerate(notes, start=1):
        run = paragraph.add_run()._r
        props = run.get_or_add_rPr()
        align = OxmlElement("w:vertAlign")
        align.set(qn("w:val"), "superscript")
        props.append(align)
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(n))
        run.append(ref)
