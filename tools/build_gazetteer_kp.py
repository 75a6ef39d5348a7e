"""Author src/uncounted/records/data/gazetteer_kp.json from gazetteer_kp_source.py.

Not shipped and not run by the tests: the shipped JSON holds every spelling
explicitly, so uncounted needs no romanizer at run time. This script needs two
romanizers that are *not* project dependencies; run it in a scratch virtual
environment::

    python -m venv /tmp/romvenv && /tmp/romvenv/bin/pip install koroman ko-pron
    /tmp/romvenv/bin/python tools/build_gazetteer_kp.py

``ko-pron`` gives McCune–Reischauer with its sound changes, ``koroman``
Revised Romanization; both outputs were checked by hand, and the table
overrides them where the DPRK's own spelling keeps an ``r`` that standard MR
writes as ``n`` (Songrim, not Songnim). The table itself (which units exist,
their Hangul, former names and former provinces) is in gazetteer_kp_source.py,
written from published lists of North Korea's administrative divisions.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import ko_pron  # type: ignore[import-not-found]
import koroman  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

from gazetteer_kp_source import (  # noqa: E402
    HUMANITARIAN_FOLD,
    HUMANITARIAN_NOTE,
    NOTE,
    PROVINCE_PAIRS,
    PROVINCES,
    SHARED_WHY,
    SOURCES,
    TABLE,
)

from uncounted.records.gazetteer_text import fold, name_keys  # noqa: E402

OUT = ROOT / "src" / "uncounted" / "records" / "data" / "gazetteer_kp.json"

KO_SUFFIX_TO_ROMAN = [  # Hangul suffix -> (MR suffix, RR suffix)
    ("관광지구", ("", "")),
    ("구역", ("guyŏk", "guyeok")),
    ("지구", ("chigu", "jigu")),
    ("시", ("si", "si")),
    ("군", ("gun", "gun")),
    ("구", ("gu", "gu")),
]


def split_suffix(hangul: str) -> tuple[str, str]:
    for suffix, _ in KO_SUFFIX_TO_ROMAN:
        if hangul.endswith(suffix) and len(hangul) > len(suffix):
            return hangul[: -len(suffix)], suffix
    return hangul, ""


def roman_suffix(ko_suffix: str) -> tuple[str, str]:
    return dict(KO_SUFFIX_TO_ROMAN).get(ko_suffix, ("", ""))


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def mr(stem: str) -> str:
    return cap(str(ko_pron.romanise(stem, "mr")))


def rr(stem: str) -> str:
    return cap(str(koroman.romanize(stem)).replace("-", ""))


def ascii_of(text: str) -> str:
    """MR without breves and apostrophes (Hoeryŏng -> Hoeryong)."""
    out = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return out.replace("'", "").replace("’", "")


def dprk(text: str) -> str:
    """The DPRK's romanization: MR with aspirates as h, no breves (P'yŏng -> Phyong)."""
    for old, new in (("ch'", "ch"), ("Ch'", "Ch"), ("p'", "ph"), ("P'", "Ph")):
        text = text.replace(old, new)
    for old, new in (("t'", "th"), ("T'", "Th"), ("k'", "kh"), ("K'", "Kh")):
        text = text.replace(old, new)
    return ascii_of(text)


_L, _N, _Y = 5, 2, 11  # initial-consonant indices of ㄹ, ㄴ, ㅇ
_IOTIZED = {2, 6, 7, 12, 17, 20}  # ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ


def southern(stem: str) -> str:
    """The South's spelling of a name: initial ㄹ and ㄴ as the South writes them.

    룡천 -> 용천, 락원 -> 낙원, 녕변 -> 영변 (the initial-sound rule).
    """
    code = ord(stem[0]) - 0xAC00
    initial, rest = divmod(code, 21 * 28)
    vowel = rest // 28
    if initial == _L:
        initial = _Y if vowel in _IOTIZED else _N
    elif initial == _N and vowel in _IOTIZED:
        initial = _Y
    else:
        return stem
    return chr(0xAC00 + initial * 21 * 28 + rest) + stem[1:]


def spellings(stem: str, mr_stem: str | None = None) -> tuple[str, str, list[str]]:
    """MR, RR and alias spellings of one Hangul stem (no suffix)."""
    mr_std = mr(stem)
    mr_name = mr_stem or mr_std
    rr_name = rr(stem)
    aliases = [mr_std, ascii_of(mr_std), ascii_of(mr_name), dprk(mr_name), rr_name]
    south = southern(stem)
    if south != stem:
        aliases += [south, mr(south), ascii_of(mr(south)), rr(south)]
    return mr_name, rr_name, aliases


def unique(items: list[str], drop: set[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item not in seen and item not in drop:
            seen.add(item)
            out.append(item)
    return out


def parse_table() -> list[dict[str, str]]:
    rows = []
    for line in TABLE.strip().splitlines():
        iso, kind, hangul, *fields = line.split(" ")
        row = {"iso": iso, "kind": kind, "hangul": hangul}
        text = " ".join(fields)
        key = None
        for part in text.split(" "):
            if "=" in part and part.split("=", 1)[0] in {
                "former",
                "fp",
                "parts",
                "mr",
                "en",
                "alias",
            }:
                key, value = part.split("=", 1)
                row[key] = value
            elif key is not None:
                row[key] += " " + part
        rows.append(row)
    return rows


def second_level(row: dict[str, str]) -> dict[str, object]:
    stem, ko_suffix = split_suffix(row["hangul"])
    mr_suffix, rr_suffix = roman_suffix(ko_suffix)
    mr_name, rr_name, aliases = spellings(stem, row.get("mr"))
    en = row.get("en") or ascii_of(mr_name)
    slug = ascii_of(rr_name).lower()
    aliases = [stem, *aliases]
    south = southern(stem)
    if south != stem:
        aliases.append(south + ko_suffix)
    former: list[str] = []
    for old in filter(None, row.get("former", "").split(",")):
        old_stem, old_suffix = split_suffix(old)
        if old_stem == stem:  # same name, another kind (삼지연군 -> 삼지연시)
            aliases.append(old)
            continue
        old_mr, _old_rr, old_aliases = spellings(old_stem)
        former += [old, old_stem, old_mr, *old_aliases]
        if southern(old_stem) != old_stem:
            former.append(southern(old_stem) + old_suffix)
    parts = []
    for part in filter(None, row.get("parts", "").split(",")):
        part_stem, _part_suffix = split_suffix(part)
        part_mr, _part_rr, part_aliases = spellings(part_stem)
        parts.append(
            {
                "name_ko": part,
                "name_en": ascii_of(part_mr),
                "aliases": unique([part_stem, part_mr, *part_aliases], {part}),
            }
        )
    extra = [a.strip() for a in row.get("alias", "").split(";") if a.strip()]
    full_mr = f"{mr_name}-{mr_suffix}" if mr_suffix else mr_name
    full_rr = f"{rr_name}-{rr_suffix}" if rr_suffix else rr_name
    names = {en, row["hangul"], full_mr, full_rr}
    unit: dict[str, object] = {
        "code": f"{row['iso']}-{slug}",
        "iso_3166_2": row["iso"],
        "level": "county",
        "kind": row["kind"],
        "name_en": en,
        "name_ko": row["hangul"],
        "name_mr": full_mr,
        "name_rr": full_rr,
        "parent": row["iso"],
        "aliases": unique([*aliases, *extra], names | set(former)),
    }
    if former:
        unit["former_names"] = unique(former, names)
    if row.get("fp"):
        unit["former_parents"] = row["fp"].split(",")
    if parts:
        unit["parts"] = parts
    return unit


def build() -> dict[str, object]:
    units: list[dict[str, object]] = []
    for province in PROVINCES:
        unit = {
            "code": province["code"],
            "iso_3166_2": province["code"],
            "level": "province",
            "kind": province["kind"],
            "name_en": province["name_en"],
            "name_ko": province["name_ko"],
            "name_mr": province["name_mr"],
            "name_rr": province["name_rr"],
            "parent": None,
            "aliases": list(province["aliases"]),  # type: ignore[call-overload]
        }
        for pair, stems in PROVINCE_PAIRS.items():
            if province["code"] in pair:
                unit["aliases"] = [*unit["aliases"], *stems]  # type: ignore[misc]
        units.append(unit)
    units[11]["former_parents"] = ["KP-02"]  # Nampo, 2004-2010
    units[10]["former_parents"] = ["KP-09"]  # Rason, 2004-2010
    units[12]["former_parents"] = ["KP-06"]  # Kaesong, 2003-2019
    seconds = [second_level(row) for row in parse_table()]
    codes = [u["code"] for u in seconds]
    duplicates = {c for c in codes if codes.count(c) > 1}
    for unit in seconds:  # city and county of one name in one province
        if unit["code"] in duplicates:
            unit["code"] = f"{unit['code']}-{unit['name_rr'].rsplit('-', 1)[-1]}"  # type: ignore[union-attr]
    units += sorted(seconds, key=lambda u: str(u["code"]))
    return {
        "schema": 1,
        "country": "KP",
        "note": NOTE,
        "sources": SOURCES,
        "kinds": {
            "province": "province (도)",
            "directly_governed_city": "directly governed city (직할시): Pyongyang",
            "special_city": "special city (특별시): Rason, Nampo, Kaesong",
            "city": "city (시)",
            "county": "county (군)",
            "district": "district (구역 of a first-level city, or 구)",
            "area": "area (지구)",
            "special_zone": "special zone (관광지구 and the like)",
        },
        "humanitarian": {"note": HUMANITARIAN_NOTE, "fold": HUMANITARIAN_FOLD},
        "shared_names": shared_names(units),
        "units": units,
    }


def shared_names(units: list[dict[str, object]]) -> list[dict[str, object]]:
    """Folded names that point at units of more than one province."""
    province = {str(u["code"]): str(u["iso_3166_2"]) for u in units}
    owners: dict[str, set[str]] = {}
    for unit in units:
        names = [unit["name_en"], unit["name_ko"], unit["name_mr"], unit["name_rr"]]
        names += list(unit["aliases"])  # type: ignore[call-overload]
        names += list(unit.get("former_names", []))  # type: ignore[call-overload]
        for part in unit.get("parts", []):  # type: ignore[attr-defined]
            names += [part["name_ko"], part["name_en"], *part["aliases"]]
        for name in names:
            for key in name_keys(str(name)):
                owners.setdefault(key, set()).add(str(unit["code"]))
    out = []
    for key, codes in sorted(owners.items()):
        if len({province[c] for c in codes}) > 1:
            why = SHARED_WHY[tuple(sorted(codes))]
            out.append({"key": key, "codes": sorted(codes), "why": why})
    return out


def main() -> None:
    data = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    units = data["units"]
    print(f"wrote {OUT} with {len(units)} units")  # type: ignore[arg-type]
    for item in data["shared_names"]:  # type: ignore[attr-defined]
        print("shared:", item["key"], item["codes"], fold(item["key"]))


if __name__ == "__main__":
    main()
