"""Build the province's crosswalk from the text of Resolution 1683/NQ-UBTVQH15 (16 June 2025), which arranged the
commune-level units of the new Thái Nguyên province: chodon_analysis/data/crosswalk.csv (one line per former unit
and new unit: whole or part, the clause) and chodon_analysis/data/new_units.csv (the 92 new units with their
national codes of the statistics office's list 1027/CTK-CSCL).

Read from scripts/sources/reform/ (copied by reform_sources.py from the public transcription dvhcvn/20250701):
the resolution's text, the list of the units before the reform (for each old unit's district and province, which
the resolution does not repeat) and the code list. Every clause of Article 1 is parsed, every old unit is looked
up by its name and type (and the district the text names in brackets), and the result is checked: every old unit
of Bắc Kạn and Thái Nguyên appears (whole once, or in parts), 92 units of which 77 communes and 15 wards as
clause 91 says, each with a code. With `--cross-check DVHCVN_CHECKOUT` the transcription's own old→new mapping is
compared line by line and each disagreement printed (docs/communes.md says how each was settled: by the resolution).

Run: `python scripts/build_crosswalk.py` (writes the two files), `--check` (exit 1 when the files in the package
differ from what the text gives), `--cross-check DVHCVN_CHECKOUT` (print the disagreements with the mapping).
"""

from __future__ import annotations

import csv
import io
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "scripts" / "sources" / "reform"
DATA = ROOT / "chodon_analysis" / "data"
ACT, ACT_DATE, IN_FORCE = "1683/NQ-UBTVQH15", "2025-06-16", "2025-07-01"
SOURCE = "https://datafiles.chinhphu.vn/cpp/files/vbpq/2025/6/1683-nq.signed.pdf"
CODE_LIST, CODE_DATE = "1027/CTK-CSCL", "2025-06-25"
CODE_SOURCE = "https://github.com/dvhcvn/20250701/blob/main/input/docs/1027_CTK-CSCL.md"
PROVINCE = "Thái Nguyên"
CROSSWALK_COLUMNS = ["new_unit", "new_unit_type", "new_province", "old_unit", "old_unit_type", "old_district",
                     "old_province", "whole_or_part", "clause", "act", "act_date", "in_force", "source"]
NEW_COLUMNS = ["new_unit", "new_unit_type", "new_province", "code", "code_list", "code_list_date", "source"]

# Words the transcription runs together (`Chợ Chuvà`, `xãBình Thành`, `Gia Sàngthành`): a space put back where the
# signed text has one. Each rule is counted; a name the rules miss is not in the list of units and stops the run.
REPAIRS = [
    (re.compile(r"(?<=\w)(?=thành (?:xã|phường) mới)"), " "),  # `Côn Minhthành xã mới`
    (re.compile(r"(?<=\w)(?=sau khi sắp xếp)"), " "),  # `Thượng Đìnhsau khi`
    (re.compile(r"\b(và|của)(?=\w)"), r"\1 "),  # `vàxã`, `củathị trấn`
    (re.compile(r"(?<=[a-zà-ỹ])(?=và )"), " "),  # `Chợ Chuvà`
    (re.compile(r"\b(xã|phường)(?=[A-ZĐÀ-Ỹ])"), r"\1 "),  # `xãQuảng Chu`, `phườngBách Quang`
    (re.compile(r"\b(khoản|và)(?=\d)"), r"\1 "),  # `khoản78`, `và15`
    (re.compile(r",(?=\S)"), ", "),  # `Nga My,Điềm Thụy`
]
# A former unit the resolution spells otherwise than the list of units before the reform (beyond the placement of a
# tone mark, `tone_key`): (type, the resolution's name) -> the list's name. The crosswalk writes the resolution's.
SPELLED = {("phường", "Quan Triều"): "Quán Triều"}
_CLAUSE = re.compile(r"^Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số (?:của )?(?P<body>.+) "
                     r"thành (?P<kind>xã|phường) mới có tên gọi là \*\*(?P<type>xã|phường) (?P<name>[^*]+)\*\*\.$")
_PART = re.compile(r"(?:một phần diện tích tự nhiên, quy mô dân số (?:của )?|phần còn lại của )")
_AFTER = re.compile(r" sau khi sắp xếp theo quy định tại khoản \d+ Điều này")
_ITEM = re.compile(r"^(?P<part>@part )?(?:(?:các )?(?P<type>xã|phường|thị trấn) )?(?P<name>[^()]+?)"
                   r"(?: \((?:thành phố|huyện|thị xã) (?P<district>[^)]+)\))?$")
_KEPT = re.compile(r"(\d+) xã không thực hiện sắp xếp là (?P<names>.+)\.$")
_TOTAL = re.compile(r"có (\d+) đơn vị hành chính cấp xã, gồm (\d+) xã và (\d+) phường")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def article_1(text: str) -> dict[int, str]:
    """Clause number -> its text (lines joined, the transcription's run-together words repaired), of Article 1."""
    body = nfc(text).split("**Điều 1.", 1)[1].split("**Điều 2.", 1)[0]
    clauses: dict[int, str] = {}
    for para in re.split(r"\n\s*\n", body):
        joined = " ".join(para.split())
        if m := re.match(r"^(\d+)\\?\. (.+)$", joined):
            text = m.group(2)
            for rule, repl in REPAIRS:
                text = rule.sub(repl, text)
            clauses[int(m.group(1))] = " ".join(text.split())
    return clauses


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [{k: nfc(v) for k, v in r.items()} for r in csv.DictReader(f)]


def parse(clause: str) -> tuple[str, str, list[dict[str, str]]]:
    """(new unit's type, its name, the old units: type, name, whole or part, district named in brackets)."""
    m = _CLAUSE.match(clause)
    if not m or m["kind"] != m["type"]:
        raise ValueError(f"not a clause forming a unit: {clause}")
    body = _AFTER.sub("", _PART.sub("@part ", m["body"]))
    items, kind = [], ""
    for raw in re.split(r", | và ", body):
        item = _ITEM.match(raw.strip())
        if not item:
            raise ValueError(f"cannot read {raw!r} in: {clause}")
        kind = item["type"] or kind
        if not kind:
            raise ValueError(f"no type for {raw!r} in: {clause}")
        items.append({"type": kind, "name": item["name"], "part": "part" if item["part"] else "whole",
                      "district": item["district"] or ""})
    return m["type"], m["name"].strip(), items


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below


def tone_key(name: str) -> str:
    """A name with each word's tone mark moved to its end: `Hoà` (the older placement) and `Hòa` are one name, and
    so are `Sỹ` and `Sĩ` (a final `y` after a consonant written `i`)."""
    words = []
    for word in unicodedata.normalize("NFD", name).split():
        tones = "".join(c for c in word if c in _TONES)
        bare = nfc("".join(c for c in word if c not in _TONES))
        words.append(re.sub(r"(?<=[^aeiouyăâêôơư])y$", "i", bare, flags=re.I) + tones)
    return " ".join(words)


def lookup(units: list[dict[str, str]], item: dict[str, str], where: str) -> dict[str, str]:
    """The one unit before the reform of that name and type (in the district the text names, when it names one);
    a name written with its tone mark placed otherwise (`Trung Hoà` in the list, `Trung Hòa` in the text) is the
    same name."""
    name = SPELLED.get((item["type"], item["name"]), item["name"])
    found = [u for u in units if tone_key(u["unit"]) == tone_key(name) and u["unit_type"] == item["type"]
             and (not item["district"] or u["district"] == item["district"])]
    if len(found) != 1:
        raise ValueError(f"{where}: {item['type']} {item['name']} is {len(found)} units before the reform")
    return found[0]


def build(text: str, units: list[dict[str, str]], codes: list[dict[str, str]]
          ) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(crosswalk lines, new units) from the resolution's text; raises ValueError when a check fails."""
    clauses = article_1(text)
    rows: list[dict[str, str]] = []
    new: list[tuple[str, str]] = []
    last = max(clauses)
    for n in range(1, last):
        new_type, new_name, items = parse(clauses[n])
        new.append((new_name, new_type))
        for item in items:
            old = lookup(units, item, f"khoản {n}")
            rows.append(_row(new_name, new_type, old, item["part"], n, item["name"]))
    kept = _KEPT.search(clauses[last])
    for name in re.split(r", | và ", kept["names"]):
        new_type, new_name = name.split(" ", 1)
        old = lookup(units, {"type": new_type, "name": new_name, "district": ""}, f"khoản {last}")
        new.append((new_name, new_type))
        rows.append(_row(new_name, new_type, old, "whole", last, new_name))
    total, communes, wards = (int(g) for g in _TOTAL.search(clauses[last]).groups())
    _check(rows, new, units, (total, communes, wards), int(kept.group(1)))
    return rows, _coded(new, codes)


def _row(new_name: str, new_type: str, old: dict[str, str], part: str, clause: int, written: str
         ) -> dict[str, str]:
    """A crosswalk line; the old unit's name as the resolution writes it."""
    return {"new_unit": new_name, "new_unit_type": new_type, "new_province": PROVINCE, "old_unit": written,
            "old_unit_type": old["unit_type"], "old_district": old["district"], "old_province": old["province"],
            "whole_or_part": part, "clause": f"Điều 1 khoản {clause}", "act": ACT, "act_date": ACT_DATE,
            "in_force": IN_FORCE, "source": SOURCE, "_code": old["code"]}


def _check(rows: list[dict[str, str]], new: list[tuple[str, str]], units: list[dict[str, str]],
           totals: tuple[int, int, int], kept: int) -> None:
    """Every old unit whole in one new unit or in parts in several; the counts clause 91 gives."""
    by_code: dict[str, list[str]] = {}
    for r in rows:
        by_code.setdefault(r["_code"], []).append(r["whole_or_part"])
    for u in units:
        parts = by_code.get(u["code"], [])
        if parts != ["whole"] and not (len(parts) >= 2 and set(parts) == {"part"}):
            raise ValueError(f"{u['unit_type']} {u['unit']} ({u['district']}): {parts or 'in no clause'}")
    if len(set(new)) != len(new) or len({n for n, _ in new}) != len(new):
        raise ValueError("a new unit is formed twice")
    counted = (len(new), sum(t == "xã" for _, t in new), sum(t == "phường" for _, t in new))
    if counted != totals or kept != 2:
        raise ValueError(f"clause 91 gives {totals}; the clauses give {counted}")


def _coded(new: list[tuple[str, str]], codes: list[dict[str, str]]) -> list[dict[str, str]]:
    """The new units with their codes, in the order of the code list; every unit has one, every code a unit."""
    listed = {(c["unit"], c["unit_type"]): c["code"] for c in codes}
    if set(listed) != set(new) or len(listed) != len(codes):
        raise ValueError(f"code list and resolution differ: {set(listed) ^ set(new)}")
    return [{"new_unit": c["unit"], "new_unit_type": c["unit_type"], "new_province": PROVINCE, "code": c["code"],
             "code_list": CODE_LIST, "code_list_date": CODE_DATE, "source": CODE_SOURCE} for c in codes]


def disagreements(rows: list[dict[str, str]], mapping: list[dict[str, str]]) -> list[str]:
    """Where the transcription's mapping says otherwise than the resolution: one line each."""
    ours = {(r["_code"], r["new_unit"], "full" if r["whole_or_part"] == "whole" else "partial") for r in rows}
    theirs = {(m["old_code"], m["new_unit"], m["type"]) for m in mapping}
    names = {r["_code"]: f"{r['old_unit_type']} {r['old_unit']} ({r['old_district']})" for r in rows}
    out = [f"{names.get(c, c)} -> {n} ({t}): in the resolution, not in the mapping"
           for c, n, t in sorted(ours - theirs)]
    out += [f"{names.get(c, c)} -> {n} ({t}): in the mapping, not in the resolution"
            for c, n, t in sorted(theirs - ours)]
    return out


HEADERS = {
    "crosswalk.csv": [
        "Sáp nhập, hợp nhất đơn vị hành chính cấp xã năm 2025 (the 2025 reform): which former unit went into which new",
        "unit of Thái Nguyên (the 92 units of Resolution 1683/NQ-UBTVQH15, every former unit of Bắc Kạn and Thái",
        "Nguyên), with the clause, the act, its date and the source. Built from the resolution's text by",
        "scripts/build_crosswalk.py (do not edit by hand; docs/communes.md). A former district is rebuilt from it."],
    "new_units.csv": [
        "The new commune-level units (xã, phường) of Thái Nguyên from 1 July 2025, each once, with its national code",
        "(the statistics office's list 1027/CTK-CSCL); crosswalk.csv names them. Built by scripts/build_crosswalk.py."],
    "former_districts.csv": [
        "The district-level units before 1 July 2025 that crosswalk.csv names (old_district), each once, with its type",
        "(huyện, thị xã, thành phố) as the statistics office's list of 1 March 2025 gives it: how a report names a",
        "former district (thành phố Bắc Kạn, huyện Chợ Đồn). Built by scripts/build_crosswalk.py."],
}
DISTRICT_COLUMNS = ["district", "district_type", "province", "source"]
UNITS_LIST = "https://github.com/dvhcvn/20250701"  # where units_before_2025.csv was copied from


def former_districts(units: list[dict[str, str]], rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Each former district the crosswalk names, once, with its type from the list of units before the reform."""
    named = {(r["old_district"], r["old_province"]) for r in rows}
    out = {(u["district"], u["province"]): u["district_type"] for u in units if (u["district"], u["province"]) in named}
    missing = named - set(out)
    if missing:
        raise SystemExit(f"no type for the former districts {sorted(missing)} in units_before_2025.csv")
    return [{"district": d, "district_type": t, "province": p, "source": UNITS_LIST}
            for (d, p), t in sorted(out.items(), key=lambda x: (x[0][1], x[0][0]))]


def render(name: str, rows: list[dict[str, str]], columns: list[str]) -> str:
    out = io.StringIO()
    out.write("".join(f"# {line}\n" for line in HEADERS[name]))
    w = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def built() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(crosswalk lines, new units) from the sources."""
    return build((SOURCES / "1683_NQ-UBTVQH15.md").read_text(encoding="utf-8"),
                 read_csv(SOURCES / "units_before_2025.csv"), read_csv(SOURCES / "1027_CTK-CSCL_thai_nguyen.csv"))


def outputs() -> dict[str, str]:
    """{file name: its text}."""
    rows, new = built()
    districts = former_districts(read_csv(SOURCES / "units_before_2025.csv"), rows)
    return {"crosswalk.csv": render("crosswalk.csv", rows, CROSSWALK_COLUMNS),
            "new_units.csv": render("new_units.csv", new, NEW_COLUMNS),
            "former_districts.csv": render("former_districts.csv", districts, DISTRICT_COLUMNS)}


def main(args: list[str]) -> int:
    if "--cross-check" in args:
        from reform_sources import mapping

        differ = disagreements(built()[0], mapping(Path(args[args.index("--cross-check") + 1])))
        print("\n".join(f"disagreement: {line}" for line in differ) or "no disagreement with the mapping")
        return 0
    check = "--check" in args
    files = outputs()
    stale = [n for n, text in files.items()
             if not (DATA / n).exists() or (DATA / n).read_text(encoding="utf-8") != text]
    if check:
        for n in stale:
            print(f"{DATA / n} differs from what the resolution gives: run scripts/build_crosswalk.py")
        return 1 if stale else 0
    for n, text in files.items():
        (DATA / n).write_text(text, encoding="utf-8")
    print(f"written: {', '.join(files)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
