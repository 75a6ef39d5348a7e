"""Bring a told date to one canonical spelling before it is read.

After ``normalize`` the text is NFKC-normalised, lowercase, single-spaced,
without filler words or trailing punctuation, and Korean date units are
separate tokens (``2005년3월경에`` becomes ``2005년 3월 경``).
"""

from __future__ import annotations

import re
import unicodedata

# Phrases (after normalisation) that say the date is not known: read as unknown, no warning.
UNKNOWN_PHRASES = frozenset(
    {
        "",
        "?",
        "??",
        "???",
        "-",
        "--",
        "unknown",
        "not known",
        "date unknown",
        "don't know",
        "dont know",
        "do not know",
        "i don't know",
        "doesn't know",
        "not sure",
        "unsure",
        "can't remember",
        "cannot remember",
        "don't remember",
        "n/a",
        "na",
        "none",
        "모름",
        "모르겠음",
        "모르겠다",
        "모르겠어요",
        "모릅니다",
        "잘 모름",
        "잘 모르겠음",
        "알 수 없음",
        "알수없음",
        "미상",
        "불명",
        "날짜 미상",
        "기억 안 남",
        "기억 안남",
        "기억나지 않음",
    }
)

# One spelling for dashes, apostrophes, quotes, wave dashes and the Hanja date units
# (2005年 3月 14日 is also written in Korean).
_CANONICAL_CHARACTERS = {
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-"),
    **dict.fromkeys(map(ord, "\u2018\u2019\u201b\u2032`\u00b4"), "'"),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u2033"), '"'),
    **dict.fromkeys(map(ord, "\u301c\u223c"), "~"),
    ord("年"): "년",
    ord("月"): "월",
    ord("日"): "일",
}

_LEADING_PUNCTUATION = re.compile(r"^[\s\"(\[{<.,;:!]+")
_TRAILING_PUNCTUATION = re.compile(r"[\s\"'.,;:!)\]}>]+$")
_DOTTED_NUMBERS = re.compile(r"(\d)\s*\.\s+(?=\d)")
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b")
_DECADE_APOSTROPHE = re.compile(r"(\d)'s\b")
_KOREAN_UNIT = re.compile(r"(\d)\s*(년대|년도|년|월|일)")
_HANGUL_THEN_DIGIT = re.compile(r"([가-힣])(\d)")
_ABBREVIATION_THEN_DIGIT = re.compile(r"\b(c|ca|approx)\.(?=\d)")
_PART_HYPHEN = re.compile(r"\b(early|mid|late)-")
_OR_AROUND = re.compile(r"\b(?:in|on|at) or (around|about)\b")

_SYNONYMS = {
    "beginning": "early",
    "start": "early",
    "middle": "mid",
    "end": "late",
    "fall": "autumn",
}
_FILLER = frozenset(
    {
        "in",
        "the",
        "of",
        "on",
        "at",
        "during",
        "sometime",
        "year",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "에",
        "중",
        "때",
        "달",
    }
)

_APPROX_PREFIX = re.compile(
    r"^(?:(?:around|about|approximately|approx|roughly|circa|ca|maybe|perhaps|probably"
    r"|possibly|약|대략|아마도|아마)\s+|(?:c\.|ca\.|approx\.|~)\s*)"
)
_APPROX_SUFFIX = re.compile(
    r"(?:\s*\?+|\s+or so|\s*-?ish|\s+approx\.?|\s+approximately"
    r"|\s*(?:경|쯤|무렵|께|즈음|정도|전후))$"
)


def _space_after_unit(match: re.Match[str]) -> str:
    unit = "년" if match[2] == "년도" else match[2]
    return f"{match[1]}{unit} "


def normalize(text: str) -> str:
    """Canonical spelling of a told date (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_CANONICAL_CHARACTERS)
    text = " ".join(text.lower().split())
    text = _LEADING_PUNCTUATION.sub("", text)
    text = _TRAILING_PUNCTUATION.sub("", text)
    text = text.replace(",", " ")
    text = _DOTTED_NUMBERS.sub(r"\1.", text)
    text = _ORDINAL.sub(r"\1", text)
    text = _DECADE_APOSTROPHE.sub(r"\1s", text)
    text = _KOREAN_UNIT.sub(_space_after_unit, text)
    text = _HANGUL_THEN_DIGIT.sub(r"\1 \2", text)
    text = _ABBREVIATION_THEN_DIGIT.sub(r"\1. ", text)
    text = _PART_HYPHEN.sub(r"\1 ", text)
    text = _OR_AROUND.sub(r"\1", text)
    words = []
    for word in text.split():
        word = _SYNONYMS.get(word, word)
        # Korean locative particle: 봄에 / 2005년 에 / 쯤에 read as 봄 / 2005년 / 쯤.
        if len(word) > 1 and word.endswith("에"):
            word = word[:-1]
        if word not in _FILLER:
            words.append(word)
    return " ".join(words)


def strip_approx(text: str) -> tuple[str, bool, bool]:
    """Remove approximate words from both ends of a normalised text.

    Returns the remaining text and whether an approximate word was found at
    the start and at the end.
    """
    found_prefix = found_suffix = False
    while True:
        match = _APPROX_PREFIX.match(text)
        if match and match.end() < len(text):
            text = text[match.end() :]
            found_prefix = True
            continue
        match = _APPROX_SUFFIX.search(text)
        if match and match.start() > 0:
            text = text[: match.start()]
            found_suffix = True
            continue
        return text, found_prefix, found_suffix
