"""Controlled vocabularies with codes, Korean and English labels and HURIDOCS mappings.

The HURIDOCS Events Standard Formats (ESF) micro-thesauri are the reference: where a
term has an ESF counterpart its ``huridocs`` field names it (micro-thesaurus number and
term). ESF has no "hanging" method (MT 5 lists shooting, not hanging), so hanging maps
to the nearest term, asphyxiation. Codes are stable: they go into files and databases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Lang = Literal["en", "ko"]


@dataclass(frozen=True)
class Term:
    """One entry of a controlled vocabulary."""

    code: str
    en: str
    ko: str
    huridocs: str | None = None

    def label(self, lang: Lang = "en") -> str:
        return self.ko if lang == "ko" else self.en


@dataclass(frozen=True)
class Vocabulary:
    """A named controlled list; lookup by code, label or alias, tolerant of case."""

    name: str
    terms: tuple[Term, ...]
    aliases: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def get(self, code: str) -> Term:
        for term in self.terms:
            if term.code == code:
                return term
        raise KeyError(f"{code!r} is not a {self.name} code; expected one of {self.codes()}")

    def lookup(self, text: str) -> str | None:
        """The code for a code, label (English or Korean) or alias; None when unknown."""
        key = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
        if not key:
            return None
        for term in self.terms:
            if key in {term.code.replace("_", " "), term.en.lower(), term.ko}:
                return term.code
        return self.aliases.get(key)

    def __contains__(self, code: object) -> bool:
        return any(t.code == code for t in self.terms)


def _vocab(name: str, terms: list[Term], aliases: dict[str, str] | None = None) -> Vocabulary:
    return Vocabulary(name, tuple(terms), MappingProxyType(dict(aliases or {})))


VIOLATIONS = _vocab(
    "violation",
    [
        Term("public_execution", "Public execution", "공개처형", "MT4: extra-judicial execution"),
        Term("secret_execution", "Secret execution", "비밀처형", "MT4: extra-judicial execution"),
        Term("death_in_custody", "Death in custody", "구금 중 사망", "MT4: death in custody"),
        Term("capital_punishment", "Judicial execution", "사형 집행", "MT4: capital punishment"),
        Term("summary_execution", "Summary execution", "즉결처형", "MT4: summary execution"),
        Term("other", "Other killing", "기타 살해", None),
    ],
    {"execution": "public_execution", "공개 처형": "public_execution", "총살": "public_execution"},
)

CHARGES = _vocab(
    "charge",
    [
        Term("media", "Distributing or watching South Korean media", "남한 영상물 유포·시청"),
        Term("drugs", "Drug offences", "마약 범죄", "MT: drug-related offence"),
        Term("trafficking", "Human trafficking", "인신매매", "MT: trafficking"),
        Term("smuggling", "Smuggling", "밀수", "MT: smuggling"),
        Term("theft_state_property", "Theft of state property", "국가재산 절도"),
        Term("murder", "Murder", "살인", "MT: murder"),
        Term("prostitution", "Prostitution", "매춘"),
        Term("religion", "Religious activity", "종교 활동", "MT: religious activity"),
        Term("escape", "Escape or helping escape", "탈북·탈북 방조"),
        Term("political", "Political offences", "정치범죄", "MT: political offence"),
        Term("other", "Other", "기타"),
    ],
    {
        "south korean media": "media",
        "dvd": "media",
        "한국 드라마": "media",
        "drug": "drugs",
        "drugs": "drugs",
        "narcotics": "drugs",
        "마약": "drugs",
        "theft": "theft_state_property",
        "copper theft": "theft_state_property",
        "절도": "theft_state_property",
        "도둑질": "theft_state_property",
        "human trafficking": "trafficking",
        "살인": "murder",
        "밀수": "smuggling",
        "탈북": "escape",
        "defection": "escape",
        "christianity": "religion",
        "종교": "religion",
        "인신매매": "trafficking",
        "반국가": "political",
        "espionage": "political",
    },
)

METHODS = _vocab(
    "method",
    [
        Term("firing_squad", "Firing squad", "총살", "MT5: shooting"),
        Term("hanging", "Hanging", "교수형", "MT5: asphyxiation (ESF has no hanging)"),
        Term("other", "Other", "기타"),
    ],
    {"shooting": "firing_squad", "shot": "firing_squad", "hanged": "hanging", "교수": "hanging"},
)

HOW_KNOWN = _vocab(
    "how known",
    [
        Term("saw", "Saw it", "직접 목격", "MT19: witness"),
        Term("heard", "Heard it from others", "전해 들음", "MT19: relayed by a third party"),
        Term("announcement", "Official announcement", "공식 발표·포고", "MT19: official source"),
        Term("document", "Document", "문서", "MT19: document"),
        Term("other", "Other", "기타"),
    ],
    {"witnessed": "saw", "목격": "saw", "heard": "heard", "rumour": "heard", "들음": "heard"},
)

SITE_TYPES = _vocab(
    "site type",
    [
        Term("marketplace", "Marketplace", "장마당·시장"),
        Term("riverbank", "Riverbank", "강변"),
        Term("airfield", "Airfield", "비행장"),
        Term("stadium", "Stadium or sports ground", "경기장·운동장"),
        Term("school_ground", "School ground", "학교 운동장"),
        Term("other", "Other", "기타"),
    ],
    {"market": "marketplace", "장마당": "marketplace", "river": "riverbank", "강가": "riverbank"},
)

RELIABILITY = _vocab(
    "reliability",
    [
        Term("1", "Highly reliable", "매우 신뢰", "MT42: highly reliable"),
        Term("2", "Likely reliable", "신뢰 가능", "MT42: likely reliable"),
        Term("3", "Unsure", "불확실", "MT42: unsure"),
        Term("4", "Likely unreliable", "신뢰 어려움", "MT42: likely unreliable"),
        Term("5", "Highly unreliable", "매우 신뢰 어려움", "MT42: highly unreliable"),
        Term("unknown", "Unknown", "알 수 없음", "MT42: unknown"),
    ],
)

COLLECTION_KINDS = _vocab(
    "collection kind",
    [
        Term("interview_programme", "Interview programme", "면접 조사"),
        Term("ngo_mapping", "NGO mapping project", "NGO 매핑 사업"),
        Term("press_archive", "Press archive", "언론 보도 자료"),
        Term("official", "Official announcements", "공식 발표"),
        Term("other", "Other", "기타"),
    ],
)

SOURCE_KINDS = _vocab(
    "source kind",
    [
        Term("interviewee", "Interviewee", "면접 대상자"),
        Term("publication", "Publication", "간행물"),
        Term("informant", "Informant", "내부 소식통"),
        Term("official", "Official source", "공식 출처"),
    ],
)

ALL: MappingProxyType[str, Vocabulary] = MappingProxyType(
    {
        "violation": VIOLATIONS,
        "charges": CHARGES,
        "method": METHODS,
        "how_known": HOW_KNOWN,
        "site_type": SITE_TYPES,
        "reliability": RELIABILITY,
        "collection_kind": COLLECTION_KINDS,
        "source_kind": SOURCE_KINDS,
    }
)

__all__ = [
    "ALL",
    "CHARGES",
    "COLLECTION_KINDS",
    "HOW_KNOWN",
    "METHODS",
    "RELIABILITY",
    "SITE_TYPES",
    "SOURCE_KINDS",
    "VIOLATIONS",
    "Term",
    "Vocabulary",
]
