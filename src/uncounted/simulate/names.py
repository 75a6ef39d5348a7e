"""Invented Korean names: surnames by frequency, given names from syllable pools.

Victims and sources draw given names from disjoint syllable pools, so that no source's
invented identity can ever coincide with a victim's name (which is written to other
files): the separation is by construction, at any scale.

Surname frequencies are rounded shares of the most common Korean surnames (South Korean
2015 census), written in their Northern spelling with an initial ㄹ (리, 림, 량, 류, 로).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]

SURNAMES: tuple[tuple[str, float], ...] = (
    ("김", 21.5), ("리", 14.7), ("박", 8.4), ("최", 4.7), ("정", 4.4), ("강", 2.3),
    ("조", 2.1), ("윤", 2.1), ("장", 2.0), ("림", 1.7), ("한", 1.5), ("오", 1.5),
    ("서", 1.5), ("신", 1.4), ("권", 1.4), ("황", 1.4), ("안", 1.4), ("송", 1.3),
    ("전", 1.1), ("홍", 1.1), ("류", 1.1), ("고", 0.9), ("문", 0.9), ("량", 0.9),
    ("손", 0.9), ("배", 0.8), ("백", 0.8), ("허", 0.6), ("남", 0.6), ("심", 0.5),
    ("로", 0.5), ("하", 0.4), ("곽", 0.4), ("성", 0.4), ("차", 0.4), ("주", 0.4),
    ("우", 0.4), ("구", 0.4), ("라", 0.4), ("민", 0.3), ("진", 0.3), ("지", 0.3),
    ("엄", 0.3), ("채", 0.3), ("원", 0.3), ("천", 0.2), ("방", 0.2), ("공", 0.2),
    ("현", 0.2), ("함", 0.2), ("변", 0.2), ("염", 0.1), ("여", 0.1), ("추", 0.1),
    ("도", 0.1), ("석", 0.1), ("선", 0.1), ("설", 0.1), ("마", 0.1), ("길", 0.1),
    ("연", 0.1), ("위", 0.1), ("표", 0.1), ("명", 0.1), ("기", 0.1), ("반", 0.1),
)  # fmt: skip

# Syllables of given names. Victims' and sources' pools share none.
VICTIM_MALE = "철성명광혁남수일호진학국룡만석길용현원준영혁범웅훈식"
VICTIM_FEMALE = "희순옥금선미정숙경향애림화송은영련실심월"
SOURCE_MALE = "춘복동기근택봉삼운덕세창우규한태평찬효상"
SOURCE_FEMALE = "란매혜주설분단나연지아유래랑비소"


def _given_names(syllables: str) -> tuple[str, ...]:
    unique = list(dict.fromkeys(syllables))
    return tuple(a + b for a in unique for b in unique if a != b)


@dataclass(frozen=True, eq=False)  # hashed by identity: cached tables key on it
class NamePool:
    """Surnames and given names (male names first, then female) as parallel tables."""

    surnames: tuple[str, ...]
    surname_p: npt.NDArray[np.float64]
    given: tuple[str, ...]
    n_male: int

    def draw(
        self, rng: np.random.Generator, male: npt.NDArray[np.bool_]
    ) -> tuple[IntArray, IntArray]:
        """A (surname index, given-name index) pair per person, by sex."""
        n = len(male)
        surname = rng.choice(len(self.surnames), size=n, p=self.surname_p).astype(np.int64)
        n_female = len(self.given) - self.n_male
        u = rng.random(n)
        given = np.where(
            male,
            (u * self.n_male).astype(np.int64),
            self.n_male + (u * n_female).astype(np.int64),
        )
        return surname, given

    def hangul(self, surname: IntArray, given: IntArray) -> npt.NDArray[np.object_]:
        """Full names in Hangul (surname then given name, no space)."""
        s = np.asarray(self.surnames, dtype=object)[surname]
        g = np.asarray(self.given, dtype=object)[given]
        return np.asarray(s + g, dtype=object)


def _pool(male: str, female: str) -> NamePool:
    weights = np.array([w for _, w in SURNAMES])
    male_names = _given_names(male)
    return NamePool(
        surnames=tuple(s for s, _ in SURNAMES),
        surname_p=weights / weights.sum(),
        given=male_names + _given_names(female),
        n_male=len(male_names),
    )


@lru_cache(maxsize=1)
def victim_names() -> NamePool:
    """The pool victims' names are drawn from."""
    return _pool(VICTIM_MALE, VICTIM_FEMALE)


@lru_cache(maxsize=1)
def source_names() -> NamePool:
    """The pool sources' invented real names are drawn from (disjoint from victims')."""
    return _pool(SOURCE_MALE, SOURCE_FEMALE)
