"""The areas a year's run can report on (each commune in the data, and each district or former district), how
`--area` names them, and `--shard K/N` slices of them for a scheduler that fans the work out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..base.text import fold

LEVELS = ("district", "commune")  # order of the list: the (former) district first, then its communes
_PREFIX = {"huyện": "huyen", "thị xã": "thi-xa", "thành phố": "thanh-pho", "area.commune": "xa", "area.ward": "phuong",
           "area.town": "thi-tran", "area.special_zone": "dac-khu"}  # a folder's first words: the area's type


@dataclass(frozen=True)
class Area:
    name: str  # as in the tidy table's `area` column
    level: str  # district | commune
    suffix: str = ""  # set by `areas_of` when two names differ only by their marks (Phú Thông, Phủ Thông)

    @property
    def slug(self) -> str:
        """The area's folder: `xa-nam-cuong`, `phuong-phan-dinh-phung`, `huyen-cho-don`, `thanh-pho-song-cong` (a
        commune and a district may share a name)."""
        from ..base.reform import former_districts
        from ..base.units import area_key

        kind = former_districts().get(self.name, "huyện") if self.level == "district" else area_key(self.name)
        return f"{_PREFIX[kind]}-" + re.sub(r"[^a-z0-9]+", "-", fold(self.name)).strip("-") + self.suffix

    def params(self) -> dict[str, str]:
        """The report notebooks' parameters that select this area."""
        return {"district": self.name} if self.level == "district" else {"commune": self.name}


def areas_of(source: Path | pd.DataFrame, year: int) -> list[Area]:
    """Every area with rows of `year`: districts (from 2025 the former district, whose targets are in the 2024
    workbook and whose figures are rebuilt from its communes) and communes, in a fixed order."""
    df = (source if isinstance(source, pd.DataFrame) else  # the tidy table, or the processed folder that holds it
          pd.read_parquet(source / "indicators.parquet", columns=["year", "area", "area_level", "district"]))
    y = df[df["year"] == year]
    districts = set(y.loc[y["area_level"] == "district", "area"].dropna())
    communes = y[y["area_level"] == "commune"]
    # a former district with communes in the data is an area of the year even if it sent no row of its own
    known = set(df.loc[df["area_level"] == "district", "area"].dropna())
    districts |= known & set(communes["district"].dropna())
    out = [Area(n, "district") for n in districts] + [Area(n, "commune") for n in set(communes["area"].dropna())]
    return _distinct(sorted(out, key=lambda a: (LEVELS.index(a.level), fold(a.name), a.name)))


def _distinct(areas: list[Area]) -> list[Area]:
    """Names that differ only by their marks (`Văn Lang` of Na Rì and `Văn Lăng` of Đồng Hỷ; `Phú Thông` and `Phủ
    Thông`, often one misspelt) stay two areas, each its own folder: the folder ends with the unit's national code
    (`xa-van-lang-01864`), or a short code of the exact name for a place the code list does not have."""
    import hashlib

    from ..base.units import key, named

    seen: dict[str, int] = {}
    for a in areas:
        seen[a.slug] = seen.get(a.slug, 0) + 1

    def suffix(a: Area) -> str:
        code = next((u.code for u in named().get(key(a.name), ()) if u.new and u.name == a.name and u.code), "")
        return "-" + (code or hashlib.sha256(a.name.encode()).hexdigest()[:4])

    return [Area(a.name, a.level, suffix(a)) if seen[a.slug] > 1 else a for a in areas]


def select(areas: list[Area], spec: str) -> list[Area]:
    """`all`, or one area by name (`Nam Cường`, `xã Nam Cường`, `phường Phan Đình Phùng`, `nam cuong`) or folder
    (`xa-nam-cuong`); a name two areas share is refused with both folders named (ValueError with the message)."""
    from ..base.units import area_label

    if spec.strip().lower() == "all":
        return list(areas)
    spec = re.sub(r"\s*\((cũ|former)\)\s*$", "", spec.strip())  # `huyện Chợ Đồn (cũ)`, as the index shows it
    exact = [a for a in areas if a.slug == spec or a.name.casefold() == spec.casefold()
             or area_label(a.name, a.level, "vi").casefold() == spec.casefold()]
    if len(exact) == 1:
        return exact
    want = fold(spec)
    level = None
    for lvl, words in (("commune", ("xa ", "phuong ", "thi tran ")), ("district", ("huyen ", "thanh pho ", "thi xa "))):
        for w in words:
            if want.startswith(w) and not any(fold(a.name) == want for a in areas):
                want, level = want[len(w):].strip(), lvl
    found = [a for a in areas if (fold(a.name) == want and level in (None, a.level)) or a.slug == spec]
    if len(found) == 1:
        return found
    listing = ", ".join(f"{a.slug} ({a.name})" for a in areas) or "(none)"
    if not found:
        raise ValueError(f"--area {spec}: no such area in the data of this year; the areas are: {listing}")
    raise ValueError(f"--area {spec}: names {len(found)} areas: "
                     + ", ".join(f"{a.slug} ({a.level})" for a in found) + "; give the folder name instead")


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` (1 ≤ K ≤ N) -> (K, N), else ValueError with what to give."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise ValueError(f"--shard {text}: give K/N with 1 ≤ K ≤ N, e.g. --shard 2/4 for the second of four slices")
    return int(m.group(1)), int(m.group(2))


def shard(areas: list[Area], k: int, n: int) -> list[Area]:
    """The K-th of N slices: every N-th area from the K-th, so that the N slices together hold each area once and the
    large district is not always in the same slice as its neighbours."""
    return areas[k - 1::n]
