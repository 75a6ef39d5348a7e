"""Romanize Hangul: Revised Romanization (RR) and McCune–Reischauer (MR).

Both systems are implemented from their published tables, with our own code:

* RR: *Romanization of Korean* (Ministry of Culture and Tourism notice 2000-8, drafted by
  the National Academy of the Korean Language, 2000).
* MR: G. M. McCune and E. O. Reischauer, "The Romanization of the Korean Language, Based
  upon its Phonetic Structure", *Transactions of the Korea Branch of the Royal Asiatic
  Society* 29 (1939), as applied to personal and place names by the Library of Congress
  (ALA-LC Korean romanization tables, 2009).

A Hangul syllable is arithmetic: ``U+AC00 + (initial * 21 + medial) * 28 + final``.

Words (``name=False``) are romanized with the sound changes both systems write: linking of a
final consonant into a following vowel, nasalization, ``ㄴ``/``ㄹ`` assimilation, ``ㄷ``/``ㅌ``
palatalization before ``이`` and aspiration after a final ``ㅎ``; MR also writes voicing
(``ㄱ ㄷ ㅂ ㅈ`` as g d b j between voiced sounds). Not covered: ``ㄴ`` insertion
(학여울 *Hangnyeoul*), aspiration of a final ``ㄱ ㄷ ㅂ ㅈ`` before ``ㅎ`` (which RR leaves
unwritten in nouns anyway), and the optional RR hyphen between ambiguous syllables
(중앙 *Jung-ang*). An administrative unit at the end of a word of three or more syllables
(도 시 군 구 읍 면 리 동 가, 구역) is set off with a hyphen (RR *Hamgyeongbuk-do*, MR
*Hamgyŏng-bukto*). Each word is capitalized.

Names (``name=True``) are romanized the way both systems prescribe for personal names:
surname, a space, the given-name syllables joined by hyphens, each syllable as written
(no assimilation across syllables: RR *Han Bok-nam* for 한복남). MR additionally voices
``ㄱ ㄷ ㅂ ㅈ`` after a vowel or voiced consonant inside the given name, as ALA-LC does
(안중근 *An Chung-gŭn*); other MR sound changes across the hyphen are not written. The
surname is spelled by the system (김 RR *Gim*, 이 RR/MR *I*, 리 *Ri*); the conventional
spellings (*Kim*, *Lee*, *Yi*, *Rhee*) come from :func:`surname_variants`.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from uncounted.records.names_surnames import COMPOUND_SURNAMES, SURNAME_SPELLINGS

__all__ = ["decompose", "is_hangul", "romanize", "surname_variants"]

SYLLABLE_FIRST = 0xAC00
SYLLABLE_LAST = 0xD7A3
N_MEDIALS = 21
N_FINALS = 28

# Jamo indices used by the rules below: initials 0-18 and medials 0-20 in Unicode order,
# finals 1-27 (0 = none).
_I_G, _I_GG, _I_N, _I_D, _I_R, _I_M, _I_B = 0, 1, 2, 3, 5, 6, 7
_I_S, _I_SS, _I_ZERO, _I_J, _I_CH, _I_K, _I_T, _I_P = 9, 10, 11, 12, 14, 15, 16, 17
_V_WI, _V_I = 16, 20
_F_NONE, _F_NH, _F_LH, _F_H = 0, 6, 15, 27

# --- tables -------------------------------------------------------------------------------
# RR 2000 chapter 2: consonants (initial form) and vowels.
_RR_INITIALS = (
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t",
    "p", "h",
)  # fmt: skip
_RR_VOWELS = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo",
    "we", "wi", "yu", "eu", "ui", "i",
)  # fmt: skip
# MR 1939 table: word-initial (voiceless) consonants and vowels with breves.
_MR_INITIALS = (
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'", "k'",
    "t'", "p'", "h",
)  # fmt: skip
_MR_VOWELS = (
    "a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ",
    "we", "wi", "yu", "ŭ", "ŭi", "i",
)  # fmt: skip
# MR writes a plain stop voiced between voiced sounds.
_MR_VOICED = {_I_G: "g", _I_D: "d", _I_B: "b", _I_J: "j"}

# Final consonant -> the sound it is pronounced as at the end of a syllable (the seven
# representative finals of both systems). Index order follows Unicode (0 = none).
_FINAL_SOUND = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p",
    "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip
# Final consonant -> (consonant kept as final, initial index that moves into a following
# vowel-initial syllable). ``None`` moves nothing (ㅇ) or drops (ㅎ).
_LINK: dict[int, tuple[int, int | None]] = {
    1: (0, _I_G), 2: (0, _I_GG), 3: (1, _I_SS), 4: (0, _I_N), 5: (4, _I_J), 6: (0, _I_N),
    7: (0, _I_D), 8: (0, _I_R), 9: (8, _I_G), 10: (8, _I_M), 11: (8, _I_B), 12: (8, _I_SS),
    13: (8, _I_T), 14: (8, _I_P), 15: (0, _I_R), 16: (0, _I_M), 17: (0, _I_B),
    18: (17, _I_SS), 19: (0, _I_S), 20: (0, _I_SS), 21: (21, None), 22: (0, _I_J),
    23: (0, _I_CH), 24: (0, _I_K), 25: (0, _I_T), 26: (0, _I_P), 27: (0, None),
}  # fmt: skip
_NASAL_OF_STOP = {"k": "ng", "t": "n", "p": "m"}
_ASPIRATED = {_I_G: _I_K, _I_D: _I_T, _I_J: _I_CH}
_ADMIN_ONE = frozenset("도시군구읍면리동가")
_ADMIN_TWO = frozenset({"구역"})
_MR_ADMIN_TWO = frozenset({"남도", "북도"})
_BREVE_FREE = str.maketrans({"ŏ": "o", "ŭ": "u", "Ŏ": "O", "Ŭ": "U", "'": ""})


def decompose(syllable: str) -> tuple[int, int, int] | None:
    """Split one precomposed Hangul syllable into (initial, medial, final) jamo indices.

    Returns ``None`` for anything that is not a precomposed syllable (U+AC00–U+D7A3).
    """
    if len(syllable) != 1:
        return None
    code = ord(syllable) - SYLLABLE_FIRST
    if not 0 <= code <= SYLLABLE_LAST - SYLLABLE_FIRST:
        return None
    return code // (N_MEDIALS * N_FINALS), (code // N_FINALS) % N_MEDIALS, code % N_FINALS


def is_hangul(text: str) -> bool:
    """Whether ``text`` is written in Hangul.

    True when it has at least one letter and every letter is Hangul (syllables or jamo);
    spaces, digits and punctuation are ignored. ``"장성택"`` and ``"장 성택 (50)"`` are
    Hangul, ``"Jang 성택"`` and ``""`` are not.
    """
    letters = [c for c in unicodedata.normalize("NFC", text) if c.isalpha()]
    return bool(letters) and all(_is_hangul_char(c) for c in letters)


def _is_hangul_char(char: str) -> bool:
    code = ord(char)
    return (
        SYLLABLE_FIRST <= code <= SYLLABLE_LAST
        or 0x1100 <= code <= 0x11FF  # conjoining jamo
        or 0x3130 <= code <= 0x318F  # compatibility jamo
        or 0xA960 <= code <= 0xA97F
        or 0xD7B0 <= code <= 0xD7FF
    )


def romanize(
    hangul: str,
    system: Literal["rr", "mr"] = "rr",
    *,
    diacritics: bool = True,
    name: bool = False,
) -> str:
    """Romanize Hangul text in Revised Romanization or McCune–Reischauer.

    Parameters
    ----------
    hangul : str
        Text; runs of Hangul syllables are romanized, everything else is kept as is.
    system : {"rr", "mr"}
        ``"rr"``: Revised Romanization (South Korea, 2000). ``"mr"``: McCune–Reischauer
        (1939; the basis of the North Korean system and of library catalogues).
    diacritics : bool
        MR only: ``False`` drops breves (ŏ ŭ -> o u) and apostrophes (k' -> k), as MR is
        commonly typed.
    name : bool
        Romanize as a personal name: surname, space, given-name syllables joined by
        hyphens (``"장성택"`` -> RR ``"Jang Seong-taek"``, MR ``"Chang Sŏng-t'aek"``). The
        surname is the first syllable, or the first two for a compound surname (남궁, 황보,
        ...) when three or more syllables follow; a space in the input marks the split.

    Returns
    -------
    str
        The romanization; text without Hangul comes back unchanged.

    Examples
    --------
    >>> romanize("평양"), romanize("평양", "mr")
    ('Pyeongyang', "P'yŏngyang")
    >>> romanize("함경북도"), romanize("함경북도", "mr")
    ('Hamgyeongbuk-do', 'Hamgyŏng-bukto')
    >>> romanize("현영철", "mr", diacritics=False, name=True)
    'Hyon Yong-chol'
    """
    if system not in ("rr", "mr"):
        raise ValueError(f"unknown romanization system {system!r}; use 'rr' or 'mr'")
    text = unicodedata.normalize("NFC", hangul)
    out = _romanize_name(text, system) if name else _romanize_text(text, system)
    if system == "mr" and not diacritics:
        out = out.translate(_BREVE_FREE)
    return out


def surname_variants(hangul_surname: str) -> tuple[str, ...]:
    """Conventional romanized spellings of a Korean surname, most common first.

    Parameters
    ----------
    hangul_surname : str
        The surname in Hangul (``"김"``, ``"리"``, ``"남궁"``).

    Returns
    -------
    tuple of str
        The spellings in use (``"김"`` -> ``("Kim", "Gim", ...)``, ``"리"`` ->
        ``("Ri", "Lee", "Yi", "Rhee", "I", ...)``; a Northern form such as 리, 림, 류, 로
        puts the Northern spelling first), followed by the RR and MR system spellings if
        they are not already there. A surname outside the table gets its RR and MR
        spellings only. Every spelling returned is read back to the same surname by
        :func:`uncounted.records.names.parse_name`.

    Raises
    ------
    ValueError
        If ``hangul_surname`` is not one or two Hangul syllables.
    """
    surname = unicodedata.normalize("NFC", hangul_surname).strip()
    if not 1 <= len(surname) <= 2 or any(decompose(c) is None for c in surname):
        raise ValueError(
            f"expected a surname of one or two Hangul syllables, got {hangul_surname!r}"
        )
    spellings = list(SURNAME_SPELLINGS.get(surname, ()))
    for system_spelling in _system_surname_spellings(surname):
        if system_spelling.casefold() not in {s.casefold() for s in spellings}:
            spellings.append(system_spelling)
    return tuple(spellings)


def _system_surname_spellings(surname: str) -> tuple[str, ...]:
    rr = _capitalize(_surname(surname, "rr"))
    mr = _capitalize(_surname(surname, "mr"))
    return (rr, mr, mr.translate(_BREVE_FREE))


# --- names ----------------------------------------------------------------------------


def split_hangul_name(text: str) -> tuple[str, str, str]:
    """Split a Hangul personal name into (surname, given name, words after the name).

    When the first word is one syllable or a compound surname, it is the surname and the
    given name is the next word(s), up to two syllables when they are spaced out
    (장 성택, 장 성 택). Otherwise the first word is the whole name: its surname is the
    first syllable, or a compound surname (남궁, 황보, ...) when the word starts with one
    and has three or more syllables, or is that surname alone. Words after the name
    (titles: 장성택 동지) are returned as the third part, joined by spaces.
    """
    words = text.split()
    if not words:
        return "", "", ""
    first = words[0]
    if len(words) >= 2 and (len(first) == 1 or first in COMPOUND_SURNAMES):
        given, used = "", 1
        for word in words[1:]:
            if len(given) >= 2 or not all(decompose(c) is not None for c in word):
                break
            given, used = given + word, used + 1
        if given:
            return first, given, " ".join(words[used:])
    rest = " ".join(words[1:])
    if (len(first) >= 3 and first[:2] in COMPOUND_SURNAMES) or first in COMPOUND_SURNAMES:
        return first[:2], first[2:], rest
    return first[:1], first[1:], rest


def _romanize_name(text: str, system: str) -> str:
    first = text.split()[:1]
    if not first or not all(decompose(c) is not None for c in first[0]):
        return _romanize_text(text, system)
    surname, given, rest = split_hangul_name(text)
    out = _capitalize(_surname(surname, system))
    if given:
        out += " " + _capitalize(_given_name(given, system))
    if rest:
        out += " " + _romanize_text(rest, system)
    return out


def _given_name(given: str, system: str) -> str:
    pieces: list[str] = []
    previous_final: str | None = None  # pronounced final of the previous syllable
    for char in given:
        jamo = decompose(char)
        if jamo is None:
            pieces.append(char)
            previous_final = None
            continue
        initial, medial, final = jamo
        if system == "rr":
            pieces.append(_RR_INITIALS[initial] + _RR_VOWELS[medial] + _FINAL_SOUND[final])
        else:
            onset = _MR_INITIALS[initial]
            if initial in _MR_VOICED and previous_final in ("", "n", "m", "ng", "l"):
                onset = _MR_VOICED[initial]
            onset = _mr_sibilant(initial, medial, onset)
            pieces.append(onset + _MR_VOWELS[medial] + _FINAL_SOUND[final])
        previous_final = _FINAL_SOUND[final]
    return "-".join(p for p in pieces if p)


def _surname(surname: str, system: str) -> str:
    """A surname as one word (MR voices inside a compound surname: Namgung, Hwangbo)."""
    if all(decompose(c) is not None for c in surname):
        return _render(_sound_changes(surname), system, None)
    return surname


def _mr_sibilant(initial: int, medial: int, onset: str) -> str:
    # MR writes ㅅ as sh before ㅟ (쉬 shwi).
    return "sh" if initial == _I_S and medial == _V_WI else onset


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# --- words with sound changes -----------------------------------------------------------


def _romanize_text(text: str, system: str) -> str:
    out: list[str] = []
    run: list[str] = []
    for char in text:
        if decompose(char) is not None:
            run.append(char)
            continue
        if run:
            out.append(_romanize_word("".join(run), system))
            run = []
        out.append(char)
    if run:
        out.append(_romanize_word("".join(run), system))
    return "".join(out)


def _admin_split(word: str, system: str) -> int:
    """Index where an administrative-unit suffix starts, or ``len(word)``."""
    if len(word) < 3:
        return len(word)
    if system == "mr" and len(word) >= 4 and word[-2:] in _MR_ADMIN_TWO:
        return len(word) - 2
    if word[-2:] in _ADMIN_TWO:
        return len(word) - 2
    if word[-1] in _ADMIN_ONE:
        return len(word) - 1
    return len(word)


def _romanize_word(word: str, system: str) -> str:
    split = _admin_split(word, system)
    if system == "rr" and split < len(word):
        # RR 2000 ch. 3 art. 5: no sound change is written across the unit's hyphen.
        head = _render(_sound_changes(word[:split]), "rr", None)
        tail = _render(_sound_changes(word[split:]), "rr", None)
        return _capitalize(head) + "-" + tail
    syllables = _sound_changes(word)
    if split < len(word):
        # ALA-LC writes MR voicing across the hyphen (Hamgyŏng-bukto, Kangwŏn-do) but we
        # do not move a consonant across it.
        syllables = _sound_changes(word[:split]) + _sound_changes(word[split:])
        _relink_boundary(syllables, split)
    return _capitalize(_render(syllables, system, split if split < len(word) else None))


# A syllable as pronounced: [initial index, medial index, final sound].
_Pronounced = list[int | str]


def _sound_changes(word: str) -> list[_Pronounced]:
    """Apply the inter-syllable sound changes both systems write."""
    jamo = [decompose(c) for c in word]
    finals: list[int] = [j[2] for j in jamo if j is not None]
    initials: list[int] = [j[0] for j in jamo if j is not None]
    medials: list[int] = [j[1] for j in jamo if j is not None]
    sounds: list[str] = [_FINAL_SOUND[f] for f in finals]
    for i in range(len(finals) - 1):
        final, nxt = finals[i], initials[i + 1]
        if nxt == _I_ZERO and final != _F_NONE:
            kept, moved = _LINK[final]
            if moved is not None:
                if moved == _I_D and medials[i + 1] == _V_I:
                    moved = _I_J  # palatalization: 해돋이 haedoji
                elif moved == _I_T and medials[i + 1] == _V_I:
                    moved = _I_CH  # 같이 gachi
                initials[i + 1] = moved
            sounds[i] = _FINAL_SOUND[kept]
            continue
        if final in (_F_H, _F_NH, _F_LH) and nxt in _ASPIRATED:
            # ㅎ + ㄱ/ㄷ/ㅈ -> ㅋ/ㅌ/ㅊ: 좋고 joko, 놓다 nota, 낳지 nachi
            initials[i + 1] = _ASPIRATED[nxt]
            sounds[i] = {_F_H: "", _F_NH: "n", _F_LH: "l"}[final]
            continue
        if final == _F_H and nxt == _I_S:
            initials[i + 1] = _I_SS
            sounds[i] = ""
            continue
        sound = sounds[i]
        if final == _F_H and nxt == _I_N:
            sound = "n"
        if nxt == _I_R:
            if sound in ("l", "n"):
                sound = "l"  # 신라 Silla, 별내-type ll
            elif sound:
                initials[i + 1] = _I_N  # 종로 Jongno, 백리 -> 뱅니
        elif nxt == _I_N and sound == "l":
            initials[i + 1] = _I_R  # 칼날 kallal (rendered l after l)
        if initials[i + 1] in (_I_N, _I_M) and sound in _NASAL_OF_STOP:
            sound = _NASAL_OF_STOP[sound]  # 백마 Baengma, 왕십리 Wangsimni
        sounds[i] = sound
    return [[initials[i], medials[i], sounds[i]] for i in range(len(finals))]


def _relink_boundary(syllables: list[_Pronounced], split: int) -> None:
    """Re-apply nasal/liquid assimilation at the unit boundary (MR, ALA-LC 4a)."""
    before, after = syllables[split - 1], syllables[split]
    sound = str(before[2])
    if after[0] == _I_R and sound and sound not in ("l", "n"):
        after[0] = _I_N
    if after[0] in (_I_N, _I_M) and sound in _NASAL_OF_STOP:
        before[2] = _NASAL_OF_STOP[sound]


def _render(syllables: list[_Pronounced], system: str, hyphen_at: int | None) -> str:
    out: list[str] = []
    previous: str | None = None  # None at word start; else the previous final sound
    for index, (initial_o, medial_o, final_o) in enumerate(syllables):
        initial, medial, final = int(initial_o), int(medial_o), str(final_o)
        if index == hyphen_at:
            out.append("-")
        if system == "rr":
            onset = _RR_INITIALS[initial]
            if initial == _I_R and previous == "l":
                onset = "l"
            out.append(onset + _RR_VOWELS[medial] + final)
        else:
            onset = _MR_INITIALS[initial]
            if initial in _MR_VOICED and previous is not None:
                if previous in ("", "n", "m", "ng", "l"):
                    onset = _MR_VOICED[initial]
            elif initial == _I_R and previous == "l":
                onset = "l"
            onset = _mr_sibilant(initial, medial, onset)
            if previous == "n" and initial == _I_G and index != hyphen_at:
                onset = "'" + onset  # MR n'g keeps ㄴ+ㄱ apart from ㅇ (Han'guk)
            out.append(onset + _MR_VOWELS[medial] + final)
        previous = final
    return "".join(out)
