"""Copy the sources of the province's crosswalk out of a checkout of the public transcription dvhcvn/20250701
(https://github.com/dvhcvn/20250701, MIT licence) into scripts/sources/reform/, where build_crosswalk.py reads them
(official texts and lists, which Vietnamese law leaves free of copyright: the transcriber is credited in the
folder's README):

- `1683_NQ-UBTVQH15.md`: the resolution's text as transcribed, verbatim (the signed PDF is the authority);
- `1027_CTK-CSCL_thai_nguyen.csv`: the 92 rows of Thái Nguyên in the statistics office's code list of the new
  communes and wards (Công văn 1027/CTK-CSCL, 25 June 2025), as transcribed;
- `units_before_2025.csv`: the 280 communes, wards and towns of Bắc Kạn and Thái Nguyên before the reform, with
  their codes and districts (the statistics office's list as of 1 March 2025 that the transcription starts from:
  the address of each of its files `output/06/...`, `output/19/...`).

The transcription's own old→new mapping (`mapping/merges.json`, its authors' work) is not copied: `mapping` reads it
from the checkout for the cross-check (`python scripts/build_crosswalk.py --cross-check DVHCVN_CHECKOUT`).

Run: `python scripts/reform_sources.py DVHCVN_CHECKOUT` (then `python scripts/build_crosswalk.py`).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
from pathlib import Path

SOURCES = Path(__file__).resolve().parent / "sources" / "reform"
PROVINCES = {"06": "Bắc Kạn", "19": "Thái Nguyên"}  # the codes of the two provinces before the reform
TYPES = ("Thị trấn", "Phường", "Xã", "Thành phố", "Thành Phố", "Huyện", "Thị xã", "Tỉnh")


def _split(named: str) -> tuple[str, str]:
    """`Thành Phố Bắc Kạn` -> (`thành phố`, `Bắc Kạn`)."""
    for t in TYPES:
        if named.startswith(t + " "):
            return t.lower(), named[len(t) + 1:].strip()
    raise ValueError(f"no type word in {named!r}")


def codes(checkout: Path) -> list[dict[str, str]]:
    """The rows of `Tỉnh Thái Nguyên` in the transcription of 1027/CTK-CSCL (its table, one unit a line)."""
    out = []
    for line in (checkout / "input" / "docs" / "1027_CTK-CSCL.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1].isdigit() and re.sub(r"<br>", " ", cells[3]) == "Tỉnh Thái Nguyên":
            unit_type, name = _split(cells[2])
            out.append({"stt": cells[0], "code": cells[1], "unit": name, "unit_type": unit_type,
                        "province": "Thái Nguyên"})
    return out


def units_before(checkout: Path) -> list[dict[str, str]]:
    """Every commune-level unit of the two provinces before the reform: code, name, type, district, province."""
    out = []
    for province in PROVINCES:
        for path in sorted((checkout / "output" / province).glob("*/*.json")):
            unit, district, prov = json.loads(path.read_text(encoding="utf-8"))["address"].split(", ")
            unit_type, name = _split(unit)
            district_type, district_name = _split(district)
            out.append({"code": path.stem, "unit": name, "unit_type": unit_type, "district": district_name,
                        "district_type": district_type, "province": _split(prov)[1]})
    return out


def mapping(checkout: Path) -> list[dict[str, str]]:
    """The transcription's mapping (merges.json) of the old units of the two provinces: one line per old unit and
    new unit, `full` or `partial`."""
    known = {u["code"] for u in units_before(checkout)}
    out = []
    for province in json.loads((checkout / "mapping" / "merges.json").read_text(encoding="utf-8"))["data"]:
        for new in province.get("level2s", []):
            for m in new["merges"]:
                if m["old_id"] in known:
                    new_type, new_name = _split(new["name"])
                    out.append({"old_code": m["old_id"], "old_unit": _split(m["name"])[1], "new_code": new["level2_id"],
                                "new_unit": new_name, "new_unit_type": new_type, "type": m["type"]})
    return out


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(checkout: Path) -> None:
    SOURCES.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(checkout / "input" / "docs" / "1683_NQ-UBTVQH15.md", SOURCES / "1683_NQ-UBTVQH15.md")
    old = units_before(checkout)
    _write(SOURCES / "1027_CTK-CSCL_thai_nguyen.csv", codes(checkout))
    _write(SOURCES / "units_before_2025.csv", old)
    print(f"{len(old)} units before the reform; sources in {SOURCES}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/reform_sources.py DVHCVN_CHECKOUT")
    main(Path(sys.argv[1]))
