"""The report's words in English and Korean.

Vocabulary labels (charges, how the sources knew) come from :mod:`uncounted.records.vocab`;
place names from the gazetteer. Everything else the report says is here, keyed by a short
name, so both languages stay complete: a test checks that every key has both.
"""

from __future__ import annotations

from uncounted.records.places import gazetteer
from uncounted.records.vocab import CHARGES, HOW_KNOWN, Lang

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Public executions: an accounting", "공개처형 집계 보고서"),
    "demo_banner": (
        "Simulated world: every figure is shown beside the truth the simulator knows.",
        "시뮬레이션 자료: 모든 수치를 시뮬레이터가 아는 실제 값과 나란히 보여 줍니다.",
    ),
    "headline": ("Headline", "핵심 수치"),
    "reports": ("reports", "진술"),
    "documented_events": ("documented events", "기록된 사건"),
    "estimated_events": ("estimated events", "추정 사건 수"),
    "estimated_people": ("estimated people executed", "추정 처형 인원"),
    "documented_people": ("people in documented events", "기록된 사건의 처형 인원"),
    "interval": ("95 % interval", "95% 구간"),
    "method": ("method", "방법"),
    "truth": ("truth (simulated)", "실제 값(시뮬레이션)"),
    "truth_events": ("true events", "실제 사건 수"),
    "truth_people": ("true people", "실제 인원"),
    "lower": ("lower", "하한"),
    "upper": ("upper", "상한"),
    "events_per_year": ("Events per year", "연도별 사건 수"),
    "people_per_year": ("People executed per year", "연도별 처형 인원"),
    "year": ("year", "연도"),
    "events": ("events", "사건"),
    "people": ("people", "인원"),
    "documented": ("documented", "기록됨"),
    "estimate": ("estimate", "추정치"),
    "band": ("95 % interval", "95% 구간"),
    "map": ("Documented events by province", "도별 기록된 사건"),
    "map_note": (
        "Schematic tile map of the first-level units (not to scale).",
        "1급 행정구역의 도식 지도(축척 없음).",
    ),
    "choropleth_note": (
        "Boundaries from the file given with --boundaries.",
        "경계: --boundaries 파일.",
    ),
    "charges": ("Charges over time", "시기별 혐의"),
    "charges_note": (
        "Share of documented events by charge, per five-year period.",
        "5년 단위 시기별, 혐의에 따른 기록된 사건의 비율.",
    ),
    "share": ("share of events", "사건 비율"),
    "how_known": ("How the sources know", "진술자가 아는 경위"),
    "how_known_note": (
        "Reports by how the source knew of the event, per five-year period.",
        "5년 단위 시기별, 진술자가 사건을 안 경위에 따른 진술 수.",
    ),
    "methods": ("Method comparison", "방법 비교"),
    "methods_note": (
        "Every estimator that applies to these data. Which to trust:",
        "이 자료에 적용되는 모든 추정 방법. 어느 것을 믿을 것인가:",
    ),
    "linkage": ("Linkage sensitivity", "연결 민감도"),
    "coverage": ("Coverage by collection", "수집처별 포괄 범위"),
    "coverage_note": (
        "Events each collection documented, and the combinations of collections that "
        "documented the same event: the overlaps capture-recapture works from.",
        "각 수집처가 기록한 사건과, 같은 사건을 기록한 수집처 조합: 포획-재포획 추정의 근거인 "
        "중복.",
    ),
    "rates": ("Rates per million people", "인구 백만 명당 비율"),
    "rates_note": (
        "People executed per million population per year: our estimate for the DPRK and "
        "the United States' recorded executions.",
        "연간 인구 백만 명당 처형 인원: 북한에 대한 이 보고서의 추정치와 미국의 기록된 사형 집행.",
    ),
    "per_million": ("per million people per year", "연간 백만 명당"),
    "claims": ("Claims ledger", "주장 대조표"),
    "claims_note": (
        "Published figures beside what these data support.",
        "공표된 수치와 이 자료가 뒷받침하는 범위의 대조.",
    ),
    "claim": ("claim", "주장"),
    "source": ("source", "출처"),
    "value": ("value", "수치"),
    "verdict": ("verdict", "판정"),
    "reason": ("why", "이유"),
    "ours": ("our estimate", "이 보고서의 추정"),
    "disclosure": ("Disclosure control", "공개 통제"),
    "disclosure_note": (
        "No source is named or identified anywhere in this report. Any cell built from "
        "fewer than {k} reports is suppressed or merged:",
        "이 보고서 어디에도 진술자의 이름이나 신원은 없습니다. {k}건 미만의 진술로 만들어진 "
        "칸은 가리거나 합쳤습니다:",
    ),
    "no_suppression": ("No cell needed it.", "해당하는 칸이 없었습니다."),
    "provenance": ("Provenance", "출처 정보"),
    "provenance_note": (
        "Everything needed to rebuild this report is in summary.json: run "
        "`uncounted rerun summary.json --out DIR`.",
        "이 보고서를 다시 만드는 데 필요한 모든 것이 summary.json에 있습니다: "
        "`uncounted rerun summary.json --out DIR`.",
    ),
    "caveats": ("Caveats", "유의 사항"),
    "suppressed": ("suppressed (fewer than {k} reports)", "가림({k}건 미만 진술)"),
    "other_charges": ("other charges", "기타 혐의"),
    "unknown": ("unknown", "미상"),
    "population": ("Population", "인구"),
    "stratum": ("stratum", "층"),
    "strata": ("Strata", "층별 추정"),
    "strata_note": (
        "Events are estimated separately in classes of witness density (how many "
        "interviewees came from the event's county), then added up.",
        "사건 수는 증인 밀도(사건이 일어난 군 출신 면담자 수)의 등급별로 따로 추정한 뒤 "
        "합산합니다.",
    ),
    "collection": ("collection", "수집처"),
    "combination": ("collections that documented the event", "사건을 기록한 수집처 조합"),
    "replicate": ("linkage", "연결"),
    "one_sided_note": (
        "The rows 'uncertain joins across collections undone' and 'uncertain lone reports "
        "joined' move one kind of linkage error at a time. In the first, every report the "
        "linker was unsure of (a match probability of 0.1 to 0.9 against its event) that "
        "alone brought its collection into an event other collections told stands alone; "
        "in the second, every such report left alone joins the event that fits it best. "
        "The first raises the count, the second lowers it. The headline's range across the "
        "linker's uncertain decisions runs from the lowest to the highest end of their "
        "intervals and that of the linkage used: it is not a probability interval.",
        "'uncertain joins across collections undone' 행과 'uncertain lone reports joined' "
        "행은 연결 오류를 한 종류씩 움직입니다. 앞의 행에서는 연결기가 확신하지 못한 "
        "보고(자기 사건과의 일치 확률 0.1~0.9) 가운데 다른 수집처가 기록한 사건에 자기 "
        "수집처를 혼자 더한 보고를 모두 떼어 냅니다. 뒤의 행에서는 그런 보고 가운데 홀로 "
        "남은 보고를 가장 잘 맞는 사건에 붙입니다. 앞의 것은 추정치를 높이고 뒤의 것은 "
        "낮춥니다. 핵심 수치의 '연결기의 불확실한 판단에 따른 범위'는 이 두 행과 사용한 "
        "연결의 구간 가운데 가장 낮은 끝에서 가장 높은 끝까지이며, 확률 구간이 아닙니다.",
    ),
    "linkage_range": (
        "across the linker's uncertain decisions (see linkage sensitivity)",
        "연결기의 불확실한 판단에 따른 범위(연결 민감도 참조)",
    ),
    "unavailable_linkage": (
        "No linkage replicates were drawn for this run.",
        "이 실행에서는 연결 반복 표본을 만들지 않았습니다.",
    ),
    # Figures: docs/report.md, "Linkage and the count" (seeds 1-24, threshold 0.8); update
    # them with the linker.
    "linker_caveat": (
        "The intervals of this report carry the uncertainty of capture-recapture given this "
        "linkage, not the linker's errors. On 24 simulated worlds like the demo's, estimates "
        "on the linker's events were a median 0.88 of the true total and their 95 % "
        "intervals contained it 12 times (people: 15 times). Read the rows below as how far "
        "the count moves with the linkage, and prefer reviewed links for a published figure.",
        "이 보고서의 구간은 이 연결을 전제로 한 포획-재포획 추정의 불확실성만 담고 있으며 "
        "연결기의 오류는 담고 있지 않습니다. 데모와 같은 모의 세계 24개에서 연결기가 만든 "
        "사건에 기초한 추정치는 실제 총계의 중앙값 0.88배였고, 95% 구간이 실제 값을 포함한 "
        "경우는 12번이었습니다(사람 수: 15번). 아래 행은 연결에 따라 추정치가 얼마나 "
        "움직이는지로 읽고, 공표할 수치에는 검토를 거친 연결을 쓰십시오.",
    ),
    "stand_in_linkage": (
        "Linkage here is the simulator's truth (a stand-in), not the probabilistic linker.",
        "여기의 연결은 확률적 연결기가 아니라 시뮬레이터의 실제 값(대체물)입니다.",
    ),
}

VERDICTS: dict[str, tuple[str, str]] = {
    "consistent with our interval": ("consistent with our interval", "추정 구간과 부합"),
    "below our lower bound": ("below our lower bound", "추정 하한보다 낮음"),
    "above our upper bound": ("above our upper bound", "추정 상한보다 높음"),
    "not comparable": ("not comparable", "비교 불가"),
}


STRATA: dict[str, str] = {
    "all": "전체",
    "fewer witnesses": "증인 적음",
    "more witnesses": "증인 많음",
    "few witnesses": "증인 적음",
    "some witnesses": "증인 보통",
    "many witnesses": "증인 많음",
    "fewest witnesses": "증인 가장 적음",
    "most witnesses": "증인 가장 많음",
}


def t(key: str, lang: Lang, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    en, ko = TEXT[key]
    text = ko if lang == "ko" else en
    return text.format(**values) if values else text


def verdict_label(verdict: str, lang: Lang) -> str:
    en, ko = VERDICTS[verdict]
    return ko if lang == "ko" else en


def stratum_label(label: str, lang: Lang) -> str:
    """A witness-density stratum's name."""
    return STRATA.get(label, label) if lang == "ko" else label


def province_name(iso: str, lang: Lang) -> str:
    """A first-level unit's common English name, or its Hangul name."""
    try:
        unit = gazetteer().get(iso)
    except KeyError:
        return iso
    return unit.name_ko if lang == "ko" else unit.name_en


def charge_label(code: str, lang: Lang) -> str:
    if code in CHARGES:
        return CHARGES.get(code).label(lang)
    return t(code, lang) if code in ("other_charges", "unknown") else code


def how_known_label(code: str, lang: Lang) -> str:
    if code in HOW_KNOWN:
        return HOW_KNOWN.get(code).label(lang)
    return t("unknown", lang) if code == "unknown" else code
