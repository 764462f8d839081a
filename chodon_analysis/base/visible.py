"""Characters that act instead of showing: one definition for every place that meets them. A terminal is shown
them escaped (`shown`: an escape sequence, a line break, a direction mark can no longer retitle the window, write
the clipboard or forge a line)."""

from __future__ import annotations

import unicodedata

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
