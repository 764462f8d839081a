"""Repair text: legacy Vietnamese encodings (TCVN3, VNI), UTF-8 mojibake, Unicode NFC and whitespace."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .visible import strip_invisible

# --- TCVN3 (ABC, TCVN 5712 VN3), the byte table behind the .VnTime / .VnArial fonts. -------------
# Read as Unicode (cp1252/latin-1) a TCVN3 text shows these characters; each stands for one letter.
# The capital fonts (.VnTimeH) use the same codes, drawn as capitals.
_TCVN3 = dict(
    zip(
        "¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾ÆÇÈÉÊËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßáâãäåæçèéêëìíîïñòóôõö÷øùúûüýþ",
        "ĂÂÊÔƠƯĐăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ",
        strict=True,
    )
)
# Characters that never occur in Unicode Vietnamese text but are frequent in TCVN3.
_TCVN3_ONLY = set("¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾ÆÇËÎÏÑÖ×ØÜÞßäåæçëîïñö÷øûüþ")
_TCVN3_RE = re.compile("[" + re.escape("".join(_TCVN3)) + "]")

# --- VNI (VNI-Windows, the VNI-Times fonts): a base letter followed by a mark character. ---------
_VNI_MARKS = {  # mark character -> (tone or modifier)
    "ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
}
_VNI_PAIRS: dict[str, str] = {}
for _base, _hat, _breve in (("a", "â", "ă"), ("e", "ê", None), ("o", "ô", None)):
    _VNI_PAIRS[_base + "â"] = _hat  # circumflex
    for _m, _tone in zip("áàåãä", "\u0301\u0300\u0309\u0303\u0323", strict=True):
        _VNI_PAIRS[_base + _m] = unicodedata.normalize("NFC", _hat + _tone)
    if _breve:
        _VNI_PAIRS[_base + "ê"] = _breve
        for _m, _tone in zip("éèúüë", "\u0301\u0300\u0309\u0303\u0323", strict=True):
            _VNI_PAIRS[_base + _m] = unicodedata.normalize("NFC", _breve + _tone)
for _base in ("a", "e", "o", "u", "y", "ô", "ö"):
    _plain = {"ô": "ơ", "ö": "ư"}.get(_base, _base)
    for _m, _tone in _VNI_MARKS.items():
        _VNI_PAIRS[_base + _m] = unicodedata.normalize("NFC", _plain + _tone)
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
_VNI: dict[str, str] = {}
for _k, _v in list(_VNI_PAIRS.items()) + list(_VNI_SINGLE.items()):
    _VNI[_k] = _v
    _VNI[_k.upper()] = _v.upper()
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI, key=len, reverse=True)))
# A vowel followed by a VNI mark that Unicode Vietnamese never writes after a vowel.
_VNI_SIGNATURE = re.compile("[aeiouyôöAEIOUYÔÖ][øûïåäëüÙØÛÕÏÅÄËÜ]|[ñÑ][aeiouAEIOU]")
# TCVN3 symbols below 0xC0 (à á ả ã ạ ê ô ơ ư đ ...): VNI never uses them.
_TCVN3_LOW = re.compile("[¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾]")
_CP1252_EXTRA = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_WIDE = re.compile("[^\x00-\xff" + re.escape(_CP1252_EXTRA) + "]")

_WS_RE = re.compile(r"[\s\u00a0\u2007\u202f\u200b\ufeff]+")
_MOJIBAKE_RE = re.compile("[ÃÂÄÅÆá»áº]"
                          "[\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")
_VIET_UNICODE = re.compile("[ăâêôơưđĂÂÊÔƠƯĐ\u1ea0-\u1ef9]")


def collapse_ws(s: str) -> str:
    """Single spaces, no line breaks, no non-breaking or zero-width spaces, trimmed."""
    return _WS_RE.sub(" ", s).strip()


def _fold_table() -> dict[int, str | None]:
    """Every precomposed Latin letter -> its base letter (đ -> d); combining marks -> removed."""
    table: dict[int, str | None] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch:
            table[cp] = base
    for cp in range(0x300, 0x370):
        table[cp] = None
    table[ord("đ")], table[ord("Đ")] = "d", "D"
    return table


_FOLD = _fold_table()


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Lower case, no diacritics, đ -> d, single spaces: the key used to match names and aliases."""
    return collapse_ws(s).lower().translate(_FOLD)


def _is_8bit(s: str) -> bool:
    """True when every character fits one byte (latin-1/cp1252): legacy text never has more."""
    return not _WIDE.search(s)


@lru_cache(maxsize=65536)
def looks_tcvn3(s: str) -> bool:
    """True when the text holds characters that only a TCVN3 (.VnTime) text has."""
    if s.isascii() or not _is_8bit(s):
        return False
    return bool(_TCVN3_LOW.search(s)) or (any(c in _TCVN3_ONLY for c in s) and not _VNI_SIGNATURE.search(s))


@lru_cache(maxsize=65536)
def looks_vni(s: str) -> bool:
    """True when the text holds a VNI mark after a vowel (e.g. 'Vieät') and no TCVN3-only symbol."""
    return not s.isascii() and _is_8bit(s) and bool(_VNI_SIGNATURE.search(s)) and not _TCVN3_LOW.search(s)


def detect_legacy(texts: list[str], font_hint: str | None = None) -> str | None:
    """The legacy encoding of a file's text cells ("tcvn3", "vni") or None, by a vote of its cells.

    Font names (.VnTime -> TCVN3, VNI-Times -> VNI) decide when the cells do not contradict them.
    """
    tcvn3 = sum(looks_tcvn3(t) for t in texts)
    vni = sum(looks_vni(t) for t in texts)
    if font_hint == "tcvn3" and tcvn3 >= vni:
        return "tcvn3"
    if font_hint == "vni" and vni >= tcvn3:
        return "vni"
    if max(tcvn3, vni) == 0:
        return None
    return "tcvn3" if tcvn3 >= vni else "vni"


def tcvn3_to_unicode(s: str, capitals: bool | None = None) -> str:
    """Convert a TCVN3 text; capitals=True (or ASCII letters all upper case) gives a capital-font text."""
    out = _TCVN3_RE.sub(lambda m: _TCVN3[m.group()], s)
    letters = [c for c in s if c.isascii() and c.isalpha()]
    if capitals or (capitals is None and len(letters) >= 2 and all(c.isupper() for c in letters)):
        out = out.upper()
    return out


def vni_to_unicode(s: str) -> str:
    """Convert a VNI-Windows text to Unicode."""
    return _VNI_RE.sub(lambda m: _VNI[m.group()], s)


def fix_mojibake(s: str) -> str | None:
    """UTF-8 bytes read as cp1252/latin-1 ('Chá»‰ tiÃªu') back to text, or None if it is not that."""
    if not _MOJIBAKE_RE.search(s):
        return None
    raw = bytearray()
    for c in s:
        if ord(c) < 256:
            raw.append(ord(c))
        else:
            try:
                raw.extend(c.encode("cp1252"))
            except UnicodeEncodeError:
                return None
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return fixed if fixed != s else None


def normalize(s: str) -> str:
    """NFC and collapsed whitespace: the form every text cell is kept in."""
    if s.isascii():
        return collapse_ws(s)
    return collapse_ws(unicodedata.normalize("NFC", s))


@lru_cache(maxsize=65536)
def repair(s: str, legacy: str | None = None) -> tuple[str, str | None]:
    """Repair one text cell; returns (text, what was repaired or None).

    `legacy` is the file's legacy encoding ("tcvn3", "vni") from `detect_legacy`; without it a
    cell is converted only when its own characters give the encoding away. Direction marks and zero-width joiners
    are removed; when one of them (or a zero-width space) stood inside the text, what was repaired is "invisible"
    (unless the text needed another repair too).
    """
    if s.isascii():
        return collapse_ws(s), None
    plain, doubtful = strip_invisible(s)  # direction marks, zero-width joiners: the text as it looks
    text, how = _repair(plain, legacy)
    return text, how or ("invisible" if doubtful else None)


def _repair(s: str, legacy: str | None) -> tuple[str, str | None]:
    fixed = fix_mojibake(s)
    if fixed is not None:
        return normalize(fixed), "utf8-mojibake"
    if _is_8bit(s):
        if legacy == "tcvn3" and _TCVN3_RE.search(s):
            return normalize(tcvn3_to_unicode(s)), "tcvn3"
        if legacy == "vni" and _VNI_RE.search(s):
            return normalize(vni_to_unicode(s)), "vni"
        if legacy is None and looks_vni(s):
            return normalize(vni_to_unicode(s)), "vni"
        if legacy is None and looks_tcvn3(s):
            return normalize(tcvn3_to_unicode(s)), "tcvn3"
    return normalize(s), None


def plain_number(v: object) -> str:
    """A computed figure as text, to two decimals at most and never with an exponent (`1234567.5`, `80.77`, `204`)."""
    return f"{float(v):.2f}".rstrip("0").rstrip(".")
