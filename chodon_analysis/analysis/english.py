"""What offices write in Vietnamese (indicator names, units, section headings, plans), in an English report: by
the vocabulary (catalog.csv's name_en and section_en, unit_words.csv, plan_phrases.csv's en), never by guess.
What the vocabulary cannot put into English is shown as written, marked so (`strings.csv`: `name.as_written`).
In a Vietnamese report every function gives its text back unchanged."""

from __future__ import annotations

import re
from functools import cache

from ..base import catalog, i18n, vocab
from ..base.text import fold, normalize
from ..cleaning.rows.parse import _NUM, parse_number

_NUMBERING = re.compile(r"[ivx]+|\d+|[a-h]")  # I, II, 1, a: a heading's number
_BETWEEN = re.compile(r"[\s()\[\]\-–—,;:/≥≤<>=~+%]*")  # what may stand between the translated pieces as it is


def _blank(text: object) -> bool:
    return text is None or text != text or not str(text).strip()


def mark(text: str, lang: str) -> str:
    """`text` marked as written in Vietnamese, for an English reader."""
    return i18n.text("name.as_written", lang, name=text)


@cache
def _english_names() -> frozenset[str]:
    return frozenset(e["name_en"] for e in catalog.entries().values())


def indicator(name: object, lang: str, indicator_id: str = "") -> str:
    """An indicator's name in `lang`: the catalog's English for a known indicator (by its id, else its name or an
    alias); a name the catalog does not know, marked as written."""
    if _blank(name) or lang == "vi":
        return "" if _blank(name) else str(name)
    text = str(name)
    if text in _english_names() or text.endswith(mark("", lang)):
        return text  # already in English (series.history) or marked
    entry = catalog.entries().get(indicator_id or catalog.match(text))
    return entry["name_en"] if entry else mark(text, lang)


def unit(text: object, lang: str) -> str:
    """A unit in `lang` (unit_words.csv; a unit the file does not list stays as written). Several units of one
    row (`đảng viên|người`) are each put into words and joined by a comma."""
    if _blank(text):
        return ""
    parts = [p.strip() for p in str(text).split("|") if p.strip()]
    if lang == "vi":
        return ", ".join(parts)
    words, canonical = vocab.unit_words(), vocab.unit_synonyms()
    return ", ".join(words.get(canonical.get(fold(p).replace(" ", ""), p), p) for p in parts)


def section(heading: object, lang: str) -> str:
    """A section heading as written (`CHỈ TIÊU VỀ KINH TẾ`) in `lang`: the English of the catalog section it names
    (its other words numbering or heading_words.csv), else marked as written."""
    if _blank(heading) or lang == "vi":
        return "" if _blank(heading) else str(heading)
    text = str(heading)
    if text in {e["section_en"] for e in catalog.entries().values()} or text.endswith(mark("", lang)):
        return text
    words = re.findall(r"[a-z0-9]+", fold(text))
    for vi, en in {(e["section"], e["section_en"]) for e in catalog.entries().values()}:
        name = re.findall(r"[a-z0-9]+", fold(vi))
        at = next((i for i in range(len(words) - len(name) + 1) if words[i:i + len(name)] == name), None)
        rest = [] if at is None else words[:at] + words[at + len(name):]
        if at is not None and all(w in vocab.heading_words() or _NUMBERING.fullmatch(w) for w in rest):
            return en
    return mark(text, lang)


@cache
def _pieces() -> re.Pattern:
    """One pattern for a number, a unit or a plan phrase (folded, whole words), longest first."""
    units = sorted({*vocab.unit_synonyms(), *(fold(u) for u in vocab.unit_words())} - {"%", ""}, key=len,
                   reverse=True)
    phrases = [re.escape(p).replace(r"\ ", r"\s+") for p in vocab.plan_words()]
    unit_re = "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in units)
    return re.compile(rf"(?P<number>{_NUM})|(?<![a-z0-9])(?:(?P<phrase>{'|'.join(phrases)})|(?P<unit>{unit_re}))"
                      r"(?![a-z0-9])")


def _piece(m: re.Match, text: str) -> tuple[str, str]:
    """(kind, English) of one matched piece of a plan."""
    if m["number"]:
        n = parse_number(text[m.start():m.end()])
        return "number", text[m.start():m.end()] if n is None else i18n.number(n.value, "en", n.decimals)
    if m["phrase"]:
        return vocab.plan_words()[re.sub(r"\s+", " ", m["phrase"])]
    canonical = vocab.unit_synonyms().get(re.sub(r"\s+", "", m["unit"]), m["unit"])
    return "unit", vocab.unit_words().get(canonical, text[m.start():m.end()])


def plan(text: object, lang: str) -> str:
    """A plan (or actual) as the office wrote it, in `lang`: `duy trì 80,5%` -> `maintain 80.5%`, `150 trở lên`
    -> `150 or more`, `28.320 tấn` -> `28,320 tonnes`. A text with words the vocabulary does not know is shown as
    written, marked so; in Vietnamese, as written."""
    if _blank(text):
        return ""
    written = normalize(str(text))
    folded = fold(written)
    if lang == "vi":
        return written
    if folded.strip(" .") in vocab.missing_markers():
        return i18n.text("name.no_figure", lang)
    if len(folded) != len(written):
        return mark(written, lang)
    out, kinds, end = [], [], 0
    for m in _pieces().finditer(folded):
        if not _BETWEEN.fullmatch(folded[end:m.start()]):
            return mark(written, lang)
        kind, english = _piece(m, written)
        out += [written[end:m.start()], "" if kind == "filler" and kinds[-1:] == ["filler"] else english]
        kinds.append(kind)
        end = m.end()
    if not kinds or not _BETWEEN.fullmatch(folded[end:]):
        return mark(written, lang)
    out.append(written[end:])
    if kinds[0] in ("at_least", "range_from", "at_most") and {"at_least_after", "at_most_after"} & set(kinds):
        out[1] = ""  # `từ 95% trở lên` is `95% or more`: the closing words say it (`phấn đấu đạt`: `aim for`)
    return re.sub(r"\s+", " ", "".join(out)).strip()
