"""Name keys: Hangul syllables and romanized spellings brought to one canonical form.

A *key syllable* is a Hangul syllable with the distinctions that common romanizations do
not keep reliably taken out:

* plain, aspirated and tense consonants share a class (ㄱ ㄲ ㅋ -> ``k``; ㄷ ㄸ ㅌ -> ``t``;
  ㅂ ㅃ ㅍ -> ``p``; ㅈ ㅉ ㅊ -> ``ch``; ㅅ ㅆ -> ``s``), because MR typed without apostrophes
  writes 택 and 댁 alike, and English spellings write ㅈ as j or ch;
* final consonants are reduced to the seven that are pronounced (k n t l m p ng);
* ㅙ ㅚ ㅞ are one vowel (``oe``; Choi / Choe / Chwe);
* the first syllable of a surname or given name takes the Southern initial-sound rule:
  an initial ㄹ or ㄴ before i or y is dropped and an initial ㄹ before another vowel is
  read ㄴ (리 = 이 *Ri / Lee*, 룡 = 용 *Ryong / Yong*, 로 = 노 *Ro / Roh / No*).

All other vowel distinctions are kept in the key (어 ``eo``, 오 ``o``, 우 ``u``, 으 ``eu``
stay apart), so two Hangul names have the same key only when they differ by those merged
distinctions. A romanized syllable is *read* into every key syllable it can stand for:
``o`` is 오 or 어 (MR without breves), ``u`` is 우 or 으 and, before a final consonant, 어
(English *Hyun*, *Chun*, *Chul*); ``yo`` is 요 or 여, ``yu`` and ``you`` are 유 or, before a
final, 여 (*Hyuk*, *Young*); ``ee`` is 이 or 의 (*Hee*). Unseparated given names
(*Jongun*) are segmented into syllables in every way the spelling allows (*jong-un* and
*jon-gun*). The keys of a romanized name are all its readings, so a spelling shares a key
with the Hangul it came from, while distinct Hangul names keep distinct keys.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from functools import lru_cache

from uncounted.records.romanize import decompose

__all__ = [
    "MAX_READINGS",
    "apply_initial_rule",
    "hangul_syllable_key",
    "hangul_word_keys",
    "read_chunks",
]

MAX_READINGS = 512
"""At most this many keys are read from one romanized name part; beyond it the part is
treated as unreadable (only long or garbled input gets there)."""

_INITIAL_CLASS = (
    "k", "k", "n", "t", "t", "r", "m", "p", "p", "s", "s", "", "ch", "ch", "ch", "k", "t",
    "p", "h",
)  # fmt: skip
_VOWEL_KEY = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "oe", "oe", "yo", "u", "wo",
    "oe", "wi", "yu", "eu", "ui", "i",
)  # fmt: skip
_FINAL_KEY = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p",
    "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip

# A key syllable: (initial class, vowel key, final key).
KeySyllable = tuple[str, str, str]

# Romanized spellings -> key parts. Initial consonants:
_INITIALS: dict[str, str] = {
    "": "",
    "g": "k", "k": "k", "kk": "k", "gg": "k", "kh": "k", "k'": "k",
    "n": "n",
    "d": "t", "t": "t", "tt": "t", "dd": "t", "th": "t", "t'": "t",
    "r": "r", "l": "r",
    "m": "m",
    "b": "p", "p": "p", "pp": "p", "bb": "p", "ph": "p", "p'": "p",
    "s": "s", "ss": "s", "sh": "s",
    "j": "ch", "ch": "ch", "jj": "ch", "tch": "ch", "ch'": "ch", "chh": "ch",
    "h": "h",
}  # fmt: skip
# Vowel spelling -> (readings in any syllable, extra readings before a final consonant).
_VOWELS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "a": (("a",), ()),
    "ae": (("ae",), ()), "ai": (("ae",), ()), "ay": (("ae",), ()),
    "ya": (("ya",), ()),
    "yae": (("yae",), ()),
    "eo": (("eo",), ()), "ŏ": (("eo",), ()),
    "e": (("e",), ()),
    "yeo": (("yeo",), ()), "yŏ": (("yeo",), ()),
    "ye": (("ye",), ()),
    "o": (("o", "eo"), ()),
    "wa": (("wa",), ()),
    "oe": (("oe",), ()), "we": (("oe",), ()), "wae": (("oe",), ()), "oi": (("oe",), ()),
    "oy": (("oe",), ()),
    "yo": (("yo", "yeo"), ()),
    "u": (("u", "eu"), ("eo",)),
    "oo": (("u",), ()), "ou": (("u",), ()), "wu": (("u",), ()), "woo": (("u",), ()),
    "wo": (("wo",), ()), "wŏ": (("wo",), ()), "weo": (("wo",), ()),
    "wi": (("wi",), ()),
    "yu": (("yu",), ("yeo",)), "yoo": (("yu",), ()), "you": (("yu",), ("yeo",)),
    "eu": (("eu",), ()), "ŭ": (("eu",), ()),
    "ui": (("ui",), ()), "ŭi": (("ui",), ()), "eui": (("ui",), ()),
    "i": (("i",), ()), "ee": (("i", "ui"), ()), "yi": (("i",), ()),
}  # fmt: skip
_FINALS: dict[str, str] = {
    "": "", "k": "k", "g": "k", "ck": "k", "kk": "k", "n": "n", "ng": "ng", "l": "l",
    "m": "m", "p": "p", "b": "p", "t": "t", "d": "t",
}  # fmt: skip
_VOWEL_LETTERS = frozenset("aeiouyŏŭw")
_MAX_SPELLING = 4
_MAX_CHUNK = 24


def hangul_syllable_key(char: str) -> KeySyllable | None:
    """The key syllable of one Hangul syllable (no initial-sound rule)."""
    jamo = decompose(char)
    if jamo is None:
        return None
    initial, medial, final = jamo
    return _INITIAL_CLASS[initial], _VOWEL_KEY[medial], _FINAL_KEY[final]


def apply_initial_rule(syllable: KeySyllable) -> KeySyllable:
    """Southern initial-sound rule for the first syllable of a name part (리 -> 이)."""
    initial, vowel, final = syllable
    front = vowel == "i" or vowel.startswith("y")
    if initial in ("r", "n") and front:
        return "", vowel, final
    if initial == "r":
        return "n", vowel, final
    return syllable


def join_key(syllables: Sequence[KeySyllable], separator: str) -> str:
    """Spell key syllables as one string (``-`` between given-name syllables)."""
    if not syllables:
        return ""
    first = apply_initial_rule(syllables[0])
    return separator.join("".join(s) for s in (first, *syllables[1:]))


def hangul_word_keys(word: str, separator: str) -> str:
    """Key of a Hangul name part; characters that are not syllables are ignored."""
    syllables = [k for k in (hangul_syllable_key(c) for c in word) if k is not None]
    return join_key(syllables, separator)


# --- reading romanized spellings ------------------------------------------------------

# One syllable read: every key syllable it may stand for.
_SyllableReadings = tuple[KeySyllable, ...]
_Segmentation = tuple[_SyllableReadings, ...]


def _syllables_at(chunk: str, start: int) -> list[tuple[int, _SyllableReadings]]:
    """Every syllable spelling that starts at ``start``: (end position, readings)."""
    found: list[tuple[int, _SyllableReadings]] = []
    end_of_chunk = len(chunk)
    for i_len in range(0, min(_MAX_SPELLING, end_of_chunk - start) + 1):
        initial = _INITIALS.get(chunk[start : start + i_len])
        if initial is None:
            continue
        v_start = start + i_len
        for v_len in range(1, min(_MAX_SPELLING, end_of_chunk - v_start) + 1):
            spelled = chunk[v_start : v_start + v_len]
            vowel = _VOWELS.get(spelled)
            if vowel is None:
                continue
            f_start = v_start + v_len
            silent_h = _silent_h(chunk, f_start)
            starts = [f_start, f_start + 1] if silent_h else [f_start]
            for f0 in starts:
                for f_len in range(min(2, end_of_chunk - f0), -1, -1):  # longest final first
                    final = _FINALS.get(chunk[f0 : f0 + f_len])
                    if final is None:
                        continue
                    if f0 > f_start and f_len == 0 and f0 != end_of_chunk:
                        continue  # a silent h only ends a name or precedes a final n
                    open_readings, closed_extra = vowel
                    vowels = open_readings + (closed_extra if final else ())
                    if spelled == "u" and f0 > f_start:
                        vowels = (*vowels, "eo")  # Suh, Huh: "uh" is 어
                    readings = tuple(dict.fromkeys((initial, v, final) for v in vowels))
                    found.append((f0 + f_len, readings))
    return found


def _silent_h(chunk: str, position: int) -> bool:
    # English spellings add an h after a vowel: Ahn, Sohn, Oh, Koh, Suh.
    if position >= len(chunk) or chunk[position] != "h":
        return False
    after = chunk[position + 1 : position + 3]
    return after == "" or (after[:1] == "n" and (after[1:] == "" or after[1] not in "aeiouyŏŭw"))


@lru_cache(maxsize=4096)
def segmentations(chunk: str) -> tuple[_Segmentation, ...]:
    """Every way to read ``chunk`` (letters, apostrophes) as a run of syllables."""
    if not chunk or len(chunk) > _MAX_CHUNK:
        return ()
    results: dict[int, list[_Segmentation]] = {len(chunk): [()]}
    for position in range(len(chunk) - 1, -1, -1):
        here: list[_Segmentation] = []
        start = position
        if chunk[start] == "'":
            # an apostrophe that is not an aspiration mark separates syllables (Han'guk)
            here.extend(results.get(start + 1, []) if start > 0 else [])
            results[position] = here
            continue
        for end, readings in _syllables_at(chunk, start):
            for rest in results.get(end, []):
                here.append((readings, *rest))
        results[position] = here[:64]
    return tuple(results.get(0, []))


def read_chunks(
    chunks: Sequence[str], *, separator: str, max_syllables: int, slack: int = 1
) -> list[str] | None:
    """Read a name part written as ``chunks`` (split at hyphens and spaces) into keys.

    Parameters
    ----------
    chunks : sequence of str
        Normalized spellings (lower case, ŏ ŭ kept, apostrophes kept).
    separator : str
        Put between key syllables (``"-"`` for given names, ``""`` for surnames).
    max_syllables : int
        Readings with more syllables are dropped.
    slack : int
        A chunk is read with its fewest possible syllables and up to ``slack`` more; when
        the part has several chunks, a chunk that reads as one syllable is read as one.

    Returns
    -------
    list of str or None
        Keys, most literal reading first; ``None`` when some chunk cannot be read.
    """
    per_chunk: list[list[_Segmentation]] = []
    for chunk in chunks:
        options = list(segmentations(chunk))
        if not options:
            return None
        fewest = min(len(o) for o in options)
        limit = fewest if len(chunks) > 1 and fewest == 1 else fewest + slack
        per_chunk.append([o for o in options if len(o) <= limit])
    keys: dict[str, None] = {}
    for combination in itertools.product(*per_chunk):
        syllables: list[_SyllableReadings] = [s for part in combination for s in part]
        if not 1 <= len(syllables) <= max_syllables:
            continue
        for reading in _expand(syllables):
            keys[join_key(reading, separator)] = None
            if len(keys) > MAX_READINGS:
                return None
    return list(keys) if keys else None


def _expand(syllables: Iterable[_SyllableReadings]) -> Iterable[tuple[KeySyllable, ...]]:
    return itertools.product(*syllables)
