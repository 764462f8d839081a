"""Characters that act instead of showing: one definition for every place that meets them. A terminal is shown
them escaped (`shown`: an escape sequence, a line break, a direction mark can no longer retitle the window, write
the clipboard or forge a line); the text repair removes the invisible ones from the cells (`strip_invisible`);
place names read their letters as the look-alike Latin ones they pass for (base/places.py)."""

from __future__ import annotations

import re
import unicodedata

# the marks that reverse or embed the direction of the text that follows (`a\u202exslx.exe` shows as `aexe.xlsx`)
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# characters that show nothing: the zero-width space and the BOM, which part words as a space does (text.collapse_ws
# makes them one); the zero-width non-joiner and joiner, the word joiner, the invisible operators, the Mongolian vowel
# separator and the tag characters (invisible copies of ASCII), which part nothing
_PARTING = "\u200b\ufeff"
_JOINING = "\u200c\u200d\u2060-\u2064\u180e\U000e0000-\U000e007f"
_REMOVED = re.compile(f"[{BIDI}{_JOINING}]")
_ZW = _PARTING + _JOINING
_INVISIBLE = re.compile(f"[{BIDI}{_ZW}]")
_DOUBTFUL = re.compile(f"[{BIDI}]|[^\\s{_ZW}][{_ZW}]+[^\\s{_ZW}]")
_NAMED = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}
_ACTING = ("Cc", "Cf", "Zl", "Zp", "Cs")  # controls, format characters, line and paragraph separators, surrogates


class _Escapes(dict):
    """Code point -> what a terminal is shown for it, worked out once per character met: C0 and C1 controls as
    `\\x1b`, line breaks as `\\n`, format characters (direction marks, zero-width) and U+2028/U+2029 as `\\u202e`;
    a surrogate left by an undecodable byte of a file name as that byte (`\\xe9`); any other character as itself."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        if unicodedata.category(ch) not in _ACTING:
            out = ch
        elif cp in _NAMED:
            out = _NAMED[cp]
        elif cp < 0xA0:
            out = f"\\x{cp:02x}"
        elif 0xDC80 <= cp <= 0xDCFF:  # os.fsdecode's stand-in for the byte it could not decode
            out = f"\\x{cp - 0xDC00:02x}"
        else:
            out = f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"
        self[cp] = out
        return out


_ESCAPES = _Escapes()


def shown(text: object) -> str:
    """Text from a workbook or a file name as a terminal (or a log line) may be shown: every control character,
    line break, direction mark and invisible format character escaped (`\\x1b`, `\\n`, `\\u202e`, `\\u200b`),
    undecodable bytes of a file name as `\\xe9`. Printable text, Vietnamese letters and `[brackets]` stay as
    they are; nothing is ever read as markup where this is printed. Shown twice is shown once."""
    return str(text).translate(_ESCAPES)


def strip_invisible(text: str) -> tuple[str, bool]:
    """The text without its direction marks and zero-width characters but the zero-width space (which parts words,
    as a space does), so that it reads as it looks; and whether any of them stood where it could mislead: a direction
    mark anywhere, a zero-width character between two visible ones (`Cư\\u200bờng`). One beside a space or at either
    end changes nothing a reader sees."""
    doubtful = bool(_DOUBTFUL.search(text))
    return _REMOVED.sub("", text), doubtful


# letters of other scripts that pass for Latin ones (Unicode's confusables, the ones a font draws alike)
_LOOKALIKES = dict(zip(
    "АВЕЅІЈКМНОРСТУХԀԌԚԜҺӀҮаеіјорсухѕһԁԛԝӏьгѵ"  # Cyrillic
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϜαγηικνορυχωϲϳ"  # Greek
    "ՕՍՏօոսհզց",  # Armenian
    "ABESIJKMHOPCTYXDGQWHIYaeijopcyxshdqwlbrv"
    "ABEZHIKMNOPTYXFaynikvopuxwcj"
    "OUSonuhqg", strict=True))


def _latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN ")


def as_latin(text: str) -> tuple[str, list[str]]:
    """A name as the letters it shows: when it mixes Latin letters with letters of another script that pass for
    Latin ones (Cyrillic `а`, Greek `ο`, a fullwidth `Ｎ`), those read as the Latin letters (marks kept: Cyrillic
    `ӑ` is `ă`); direction marks and zero-width characters removed. Returns the name and its odd characters, each
    described (`U+0430 CYRILLIC SMALL LETTER A`). A name of one script only is left as it is."""
    odd = [c for c in text if _INVISIBLE.match(c)]
    text = _INVISIBLE.sub(lambda m: " " if m.group() in _PARTING else "", text)
    letters = [c for c in unicodedata.normalize("NFD", text) if c.isalpha()]
    if any(_latin(c) for c in letters) and not all(_latin(c) for c in letters):
        out = []
        for c in unicodedata.normalize("NFD", text):
            if c.isalpha() and not _latin(c):
                odd.append(c)
                wide = unicodedata.normalize("NFKC", c)
                c = _LOOKALIKES.get(c) or (wide if wide.isascii() and wide.isalpha() else c)
            out.append(c)
        text = unicodedata.normalize("NFC", "".join(out))
    return text, [f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in dict.fromkeys(odd)]
