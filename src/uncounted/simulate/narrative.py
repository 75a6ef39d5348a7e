"""Free-text accounts in Korean or English, assembled from sentences chosen by code.

Details reported by TJWG (three shooters firing nine shots, an on-the-spot "trial",
families made to watch) appear only here, in the narrative, never in coded columns:
that is where real testimony holds them. Sentences are joined as arrays so that a
million narratives cost no Python call each.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from uncounted.records.vocab import CHARGES, SITE_TYPES
from uncounted.simulate.noise import COUNT_MODES
from uncounted.simulate.variants import MAX_COUNT, lookup
from uncounted.simulate.world import CHARGE_CODES, METHOD_CODES, SITE_CODES

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

# (English, Korean) sentences; the first index of each table is chosen by code.
OPENING = (
    (  # saw
        ("I saw it myself.", "제가 직접 보았습니다."),
        ("I was there.", "저도 그 자리에 있었습니다."),
        ("I watched it from the crowd.", "사람들 속에서 지켜봤습니다."),
    ),
    (  # heard
        ("I heard about it from neighbours.", "이웃에게서 들었습니다."),
        ("People talked about it at the market.", "장마당에서 소문으로 들었습니다."),
        ("A relative told me about it.", "친척이 전해 주었습니다."),
    ),
    (  # announcement
        ("The sentence was announced by state media.", "국가 매체가 판결을 발표했습니다."),
        ("State media reported the execution.", "국가 매체가 처형 사실을 보도했습니다."),
        ("An official statement named the case.", "공식 발표에서 사건을 밝혔습니다."),
    ),
)
FORCED = (
    (
        "Everyone in the neighbourhood unit had to go and watch.",
        "인민반에서 모두 나오라고 해서 보러 가야 했습니다.",
    ),
    ("The school took the pupils to watch.", "학교에서 학생들을 데리고 갔습니다."),
)
METHOD = {
    "firing_squad": (
        (
            "Three shooters fired three shots each, nine in all.",
            "사수 세 명이 세 발씩, 모두 아홉 발을 쐈습니다.",
        ),
        ("They were shot.", "총살이었습니다."),
    ),
    "hanging": (
        ("They were hanged.", "교수형이었습니다."),
        ("It was a hanging.", "교수형이었습니다."),
    ),
    "other": (("I do not know how it was done.", "처형 방법은 잘 모릅니다."),) * 2,
}
TRIAL = (
    "There was a short trial on the spot, then the execution.",
    "현장에서 즉석 재판을 하고 바로 처형했습니다.",
)
FAMILY = (
    "The families were made to stand in front and watch.",
    "가족들도 앞에 세워 놓고 보게 했습니다.",
)


def _pick(table: ObjectArray, *index: IntArray) -> pa.Array:
    return lookup(table, np.ravel_multi_index(index, table.shape))


def _when(mask: BoolArray, values: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(mask), values, pa.scalar(None, pa.string()))


@lru_cache(maxsize=1)
def _count_sentences() -> ObjectArray:
    """(count mode, number told, language) -> sentence; None when no count is told."""
    table = np.full((len(COUNT_MODES), MAX_COUNT + 2, 2), None, dtype=object)
    for n in range(MAX_COUNT + 2):
        english = "One person was executed." if n == 1 else f"{n} people were executed."
        exact = (english, f"{n}명이 처형되었습니다.")
        table[COUNT_MODES.index("exact"), n] = exact
        table[COUNT_MODES.index("off_by_one"), n] = exact
        table[COUNT_MODES.index("range"), n] = (
            f"{n} or {n + 1} people were executed.",
            f"{n}~{n + 1}명이 처형되었습니다.",
        )
        table[COUNT_MODES.index("vague"), n] = (
            "Several people were executed.",
            "여러 명이 처형되었습니다.",
        )
    return table


def narratives(
    how: IntArray,
    korean: BoolArray,
    forced_yes: BoolArray,
    method: IntArray,
    count_mode: IntArray,
    count_low: IntArray,
    charges: IntArray,
    site: IntArray,
    first_name: pa.Array,
    pick: IntArray,
) -> pa.Array:
    """One narrative per report, in its language (``korean``), from its coded content."""
    lang = korean.astype(np.int64)
    saw = how == 0
    opening = np.array(OPENING, dtype=object)  # how x variant x lang
    parts: list[pa.Array] = [_pick(opening, how, pick % 3, lang)]
    forced = np.array(FORCED, dtype=object)
    parts.append(_when(forced_yes & saw, _pick(forced, (pick >> 2) % 2, lang)))
    told_count = np.clip(count_low, 0, MAX_COUNT + 1)
    parts.append(_pick(_count_sentences(), count_mode, told_count, lang))
    method_table = np.array([METHOD[code] for code in METHOD_CODES], dtype=object)
    told_method = np.maximum(method, 0)
    method_text = _pick(method_table, told_method, (pick >> 3) % 2, lang)
    parts.append(_when((method >= 0) & (saw | (how == 2)), method_text))
    trial = np.array(TRIAL, dtype=object)
    parts.append(_when(saw & ((pick >> 4) % 2 == 0), _pick(trial, lang)))
    family = np.array(FAMILY, dtype=object)
    parts.append(_when(saw & ((pick >> 5) % 3 == 0), _pick(family, lang)))

    lowest = np.log2(np.maximum(charges & -charges, 1)).astype(np.int64)
    labels = np.array(
        [[CHARGES.get(c).en.lower(), CHARGES.get(c).ko] for c in CHARGE_CODES], dtype=object
    )
    label = _pick(labels, lowest, lang)
    en_charge = pc.binary_join_element_wise("The charge was ", label, ".", "")
    ko_charge = pc.binary_join_element_wise("'", label, "' 혐의였다고 합니다.", "")
    parts.append(_when(charges > 0, pc.if_else(pa.array(korean), ko_charge, en_charge)))

    site_labels = np.array(
        [[SITE_TYPES.get(c).en.lower(), SITE_TYPES.get(c).ko] for c in SITE_CODES], dtype=object
    )
    site_label = _pick(site_labels, np.maximum(site, 0), lang)
    en_site = pc.binary_join_element_wise("It happened at the ", site_label, ".", "")
    ko_site = pc.binary_join_element_wise("장소: ", site_label, ".", "")
    parts.append(_when(site >= 0, pc.if_else(pa.array(korean), ko_site, en_site)))

    en_name = pc.binary_join_element_wise("One of them was ", first_name, ".", "")
    ko_name = pc.binary_join_element_wise("처형된 사람: ", first_name, ".", "")
    with_name = (pick >> 7) % 2 == 0
    parts.append(_when(with_name, pc.if_else(pa.array(korean), ko_name, en_name)))
    return pc.binary_join_element_wise(*parts, " ", null_handling="skip")
