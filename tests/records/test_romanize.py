"""Romanization of Hangul against the published RR (2000) and MR (1939, ALA-LC) tables."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uncounted.records.romanize import decompose, is_hangul, romanize, surname_variants


def _syllable(initial: int, medial: int, final: int = 0) -> str:
    return chr(0xAC00 + (initial * 21 + medial) * 28 + final)


# --- single syllables: the consonant and vowel tables ---------------------------------------

# Initial consonants in Unicode order (ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ), each
# before ㅏ. RR 2000, chapter 2, article 2; MR 1939 table (word-initial column).
RR_INITIALS = [
    "ga", "kka", "na", "da", "tta", "ra", "ma", "ba", "ppa", "sa", "ssa", "a", "ja", "jja",
    "cha", "ka", "ta", "pa", "ha",
]  # fmt: skip
MR_INITIALS = [
    "ka", "kka", "na", "ta", "tta", "ra", "ma", "pa", "ppa", "sa", "ssa", "a", "cha", "tcha",
    "ch'a", "k'a", "t'a", "p'a", "ha",
]  # fmt: skip
# Vowels in Unicode order (ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ) after ㅇ.
RR_VOWELS = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo",
    "we", "wi", "yu", "eu", "ui", "i",
]  # fmt: skip
MR_VOWELS = [
    "a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ",
    "we", "wi", "yu", "ŭ", "ŭi", "i",
]  # fmt: skip
# Finals on 가 (ㄱ ㄴ ㄷ ㄹ ㅁ ㅂ ㅅ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ): the seven representative sounds.
FINALS = {1: "k", 4: "n", 7: "t", 8: "l", 16: "m", 17: "p", 19: "t", 21: "ng", 22: "t"}
FINALS |= {23: "t", 24: "k", 25: "t", 26: "p", 27: "t", 2: "k", 20: "t"}


@pytest.mark.parametrize("index", range(19))
def test_initial_consonants(index: int) -> None:
    syllable = _syllable(index, 0)
    assert romanize(syllable).lower() == RR_INITIALS[index]
    assert romanize(syllable, "mr").lower() == MR_INITIALS[index]


@pytest.mark.parametrize("index", range(21))
def test_vowels(index: int) -> None:
    syllable = _syllable(11, index)
    assert romanize(syllable).lower() == RR_VOWELS[index]
    assert romanize(syllable, "mr").lower() == MR_VOWELS[index]


@pytest.mark.parametrize(("final", "sound"), sorted(FINALS.items()))
def test_finals(final: int, sound: str) -> None:
    syllable = _syllable(0, 0, final)
    assert romanize(syllable) == "Ga" + sound
    assert romanize(syllable, "mr") == "Ka" + sound


def test_mr_writes_sh_before_wi() -> None:
    # MR table: ㅅ is sh before ㅟ (쉬 shwi), s elsewhere (시 si).
    assert romanize("쉬", "mr") == "Shwi"
    assert romanize("시", "mr") == "Si"


def test_every_syllable_decomposes_and_recomposes() -> None:
    for code in range(0xAC00, 0xD7A4):
        parts = decompose(chr(code))
        assert parts is not None
        assert _syllable(*parts) == chr(code)
    assert decompose("a") is None
    assert decompose("ㄱ") is None


# --- words with sound changes ---------------------------------------------------------------

# Examples printed in the RR 2000 rules (chapter 3). Common nouns are compared in lower case.
RR_WORDS = {
    "백마": "baengma",  # art. 1.1 nasalization
    "종로": "jongno",
    "별내": "byeollae",
    "신라": "silla",
    "대관령": "daegwallyeong",
    "해돋이": "haedoji",  # art. 1.3 palatalization
    "같이": "gachi",
    "좋고": "joko",  # art. 1.4 aspiration
    "놓다": "nota",
    "낳지": "nachi",
    "묵호": "mukho",  # ... but not in nouns after ㄱ ㄷ ㅂ
    "집현전": "jiphyeonjeon",
    "압구정": "apgujeong",  # tensing is not written
    "낙동강": "nakdonggang",
    "죽변": "jukbyeon",
    "낙성대": "nakseongdae",
    "합정": "hapjeong",
    "팔당": "paldang",
    "샛별": "saetbyeol",
    "울산": "ulsan",
    "구미": "gumi",  # chapter 2 examples
    "영동": "yeongdong",
    "백암": "baegam",
    "옥천": "okcheon",
    "합덕": "hapdeok",
    "호법": "hobeop",
    "월곶": "wolgot",
    "벚꽃": "beotkkot",
    "한밭": "hanbat",
    "구리": "guri",
    "설악": "seorak",
    "칠곡": "chilgok",
    "임실": "imsil",
    "울릉": "ulleung",
}
# Administrative units (chapter 3, art. 5): hyphen, no sound change across it.
RR_UNITS = {
    "충청북도": "Chungcheongbuk-do",
    "제주도": "Jeju-do",
    "의정부시": "Uijeongbu-si",
    "양주군": "Yangju-gun",
    "도봉구": "Dobong-gu",
    "신창읍": "Sinchang-eup",
    "삼죽면": "Samjuk-myeon",
    "인왕리": "Inwang-ri",
    "당산동": "Dangsan-dong",
}
# First-level units of North Korea (DOMAIN.md table, checked against ISO 3166-2:KP).
PLACES = {
    "평양": ("Pyeongyang", "P'yŏngyang"),
    "평안남도": ("Pyeongannam-do", "P'yŏngan-namdo"),
    "평안북도": ("Pyeonganbuk-do", "P'yŏngan-bukto"),
    "자강도": ("Jagang-do", "Chagang-do"),
    "황해남도": ("Hwanghaenam-do", "Hwanghae-namdo"),
    "황해북도": ("Hwanghaebuk-do", "Hwanghae-bukto"),
    "강원도": ("Gangwon-do", "Kangwŏn-do"),
    "함경남도": ("Hamgyeongnam-do", "Hamgyŏng-namdo"),
    "함경북도": ("Hamgyeongbuk-do", "Hamgyŏng-bukto"),
    "량강도": ("Ryanggang-do", "Ryanggang-do"),
    "양강도": ("Yanggang-do", "Yanggang-do"),
    "라선": ("Raseon", "Rasŏn"),
    "남포": ("Nampo", "Namp'o"),
    "개성": ("Gaeseong", "Kaesŏng"),
}
# MR words: ALA-LC tables (4a) and the MR apostrophe for ㄴ+ㄱ against ㅇ.
MR_WORDS = {
    "경상북도": "Kyŏngsang-bukto",
    "완도군": "Wando-gun",
    "평택군": "P'yŏngt'aek-kun",
    "구기동": "Kugi-dong",
    "한국": "Han'guk",
    "잔금": "Chan'gŭm",
    "장음": "Changŭm",
    "뒤차기": "Twich'agi",
    "독립": "Tongnip",
}


@pytest.mark.parametrize(("hangul", "expected"), sorted(RR_WORDS.items()))
def test_rr_sound_changes(hangul: str, expected: str) -> None:
    assert romanize(hangul).lower() == expected


@pytest.mark.parametrize(("hangul", "expected"), sorted(RR_UNITS.items()))
def test_rr_administrative_units(hangul: str, expected: str) -> None:
    assert romanize(hangul) == expected


@pytest.mark.parametrize(("hangul", "expected"), sorted(PLACES.items()))
def test_north_korean_provinces(hangul: str, expected: tuple[str, str]) -> None:
    rr, mr = expected
    assert romanize(hangul, "rr") == rr
    assert romanize(hangul, "mr") == mr
    assert romanize(hangul, "mr", diacritics=False) == mr.replace("'", "").replace("ŏ", "o")


@pytest.mark.parametrize(("hangul", "expected"), sorted(MR_WORDS.items()))
def test_mr_sound_changes(hangul: str, expected: str) -> None:
    assert romanize(hangul, "mr") == expected


def test_text_around_hangul_is_kept() -> None:
    assert romanize("평양시 2012년 3월") == "Pyeongyang-si 2012Nyeon 3Wol"
    assert romanize("no hangul here", "mr") == "no hangul here"
    assert romanize("") == ""


def test_unknown_system_is_refused() -> None:
    unknown: Any = "nk"
    with pytest.raises(ValueError, match="'rr' or 'mr'"):
        romanize("김", unknown)


# --- personal names --------------------------------------------------------------------------

# (hangul, RR, MR). RR 2000 ch. 3 art. 4 examples; MR names from the ALA-LC tables where
# they only need voicing inside the given name (안중근 An Chung-gŭn); DOMAIN.md names.
NAMES = [
    ("민용하", "Min Yong-ha", "Min Yong-ha"),
    ("송나리", "Song Na-ri", "Song Na-ri"),
    ("한복남", "Han Bok-nam", "Han Pok-nam"),
    ("홍빛나", "Hong Bit-na", "Hong Pit-na"),
    ("안중근", "An Jung-geun", "An Chung-gŭn"),
    ("김지하", "Gim Ji-ha", "Kim Chi-ha"),
    ("김소월", "Gim So-wol", "Kim So-wŏl"),
    ("최란", "Choe Ran", "Ch'oe Ran"),
    ("하리수", "Ha Ri-su", "Ha Ri-su"),
    ("김리나", "Gim Ri-na", "Kim Ri-na"),
    ("장성택", "Jang Seong-taek", "Chang Sŏng-t'aek"),
    ("현영철", "Hyeon Yeong-cheol", "Hyŏn Yŏng-ch'ŏl"),
    ("강춘혁", "Gang Chun-hyeok", "Kang Ch'un-hyŏk"),
    ("김정은", "Gim Jeong-eun", "Kim Chŏng-ŭn"),
    ("최룡해", "Choe Ryong-hae", "Ch'oe Ryong-hae"),
    ("리설주", "Ri Seol-ju", "Ri Sŏl-ju"),
    ("김대중", "Gim Dae-jung", "Kim Tae-jung"),
    ("남궁민수", "Namgung Min-su", "Namgung Min-su"),
    ("독고영재", "Dokgo Yeong-jae", "Tokko Yŏng-jae"),
    ("남궁", "Namgung", "Namgung"),
    ("김 철", "Gim Cheol", "Kim Ch'ŏl"),
]


@pytest.mark.parametrize(("hangul", "rr", "mr"), NAMES)
def test_names(hangul: str, rr: str, mr: str) -> None:
    assert romanize(hangul, "rr", name=True) == rr
    assert romanize(hangul, "mr", name=True) == mr


def test_names_without_diacritics() -> None:
    assert romanize("장성택", "mr", diacritics=False, name=True) == "Chang Song-taek"
    assert romanize("현영철", "mr", diacritics=False, name=True) == "Hyon Yong-chol"
    # diacritics only concern MR
    assert romanize("장성택", "rr", diacritics=False, name=True) == "Jang Seong-taek"


def test_name_mode_leaves_latin_text_alone() -> None:
    assert romanize("Jang Song-thaek", name=True) == "Jang Song-thaek"


# --- surnames ----------------------------------------------------------------------------------


def test_surname_variants_most_common_first() -> None:
    assert surname_variants("김")[:2] == ("Kim", "Gim")
    assert surname_variants("리")[:5] == ("Ri", "Lee", "Yi", "Rhee", "I")
    assert surname_variants("이")[0] == "Lee"
    assert surname_variants("박")[:3] == ("Park", "Pak", "Bak")
    assert surname_variants("최")[:3] == ("Choi", "Choe", "Chwe")


def test_surname_variants_end_with_the_system_spellings() -> None:
    assert "Chŏng" in surname_variants("정")
    assert "Ch'oe" in surname_variants("최")
    # a surname outside the table still gets RR and MR spellings
    assert surname_variants("뇌") == ("Noe",)
    assert surname_variants("탄") == ("Tan", "T'an")


@pytest.mark.parametrize("bad", ["", "Kim", "김정은", "k"])
def test_surname_variants_refuses_what_is_not_a_surname(bad: str) -> None:
    with pytest.raises(ValueError, match="Hangul"):
        surname_variants(bad)


# --- is_hangul and properties -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("장성택", True),
        ("장 성택 (50)", True),
        ("ㄱㄴ", True),
        ("Jang 성택", False),
        ("Jang Song-thaek", False),
        ("", False),
        ("1999", False),
    ],
)
def test_is_hangul(text: str, expected: bool) -> None:
    assert is_hangul(text) is expected


HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
System = Literal["rr", "mr"]
SYSTEMS: st.SearchStrategy[System] = st.sampled_from(["rr", "mr"])


@given(st.text(HANGUL, min_size=1, max_size=8), SYSTEMS, st.booleans())
def test_every_hangul_syllable_is_romanized(word: str, system: System, name: bool) -> None:
    out = romanize(word, system, name=name)
    assert not any(decompose(c) for c in out)
    plain = romanize(word, system, diacritics=False, name=name)
    assert plain.replace("-", "").replace(" ", "").isascii()
    assert plain.replace("-", "").replace(" ", "").isalpha()


@given(st.text(max_size=30), SYSTEMS, st.booleans(), st.booleans())
def test_romanize_never_fails_on_text(text: str, system: System, dia: bool, name: bool) -> None:
    romanize(text, system, diacritics=dia, name=name)
