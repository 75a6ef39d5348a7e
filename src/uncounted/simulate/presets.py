"""Named parameter sets for simulated worlds.

A preset is plain data: frozen dataclasses that :func:`dataclasses.asdict` turns into the
JSON saved beside every world (``truth/world.json``), so a world can be rebuilt from its
file. Figures that stand for the real case are cited where they are set; everything else
is a modelling choice, named as such.

Sources of the published figures used below:

- KINU, *White Paper on Human Rights in North Korea 2015*, as reported by Daily NK: 1,382
  people publicly executed 2000-2014; 161 in 2008, 160 in 2009, 21 in 2012, 82 in 2013;
  about 220 defectors interviewed a year.
- TJWG, *Mapping the Fate of the Dead* (2019) and its 2021 update: 610 then 683
  interviews (537 women); four in five interviewees had seen a public execution and more
  than half had been forced to watch; executions by three shooters firing nine shots;
  under Kim Jong-un more executions for South Korean media, often in Hyesan.
- Central Bureau of Statistics of the DPRK, *2008 Population Census*: population by
  province (rounded to thousands below).
"""

from __future__ import annotations

from dataclasses import dataclass, field

Mix = tuple[tuple[str, float], ...]
"""A categorical distribution as ``((code, weight), ...)``; weights need not sum to one."""


@dataclass(frozen=True)
class TruthParams:
    """What happened: executions by year, place, size, charge, method and site."""

    first_year: int = 2000
    last_year: int = 2014
    # Expected number of people executed a year. The shape follows KINU's published
    # yearly figures (161 in 2008, 160 in 2009, 82 in 2013), smoothed in between; 2012 is
    # set above KINU's 21 because few witnesses of 2012 had reached the South by 2014,
    # which is the kind of under-documentation the simulator must reproduce, not assume.
    people_per_year: tuple[float, ...] = (
        60, 65, 70, 75, 85, 100, 115, 135, 161, 160, 120, 75, 45, 82, 50,
    )  # fmt: skip
    # Victims per event: 1 + NegBin(mean, dispersion r), truncated at max_victims.
    extra_victims_mean: float = 0.75
    extra_victims_dispersion: float = 0.7
    max_victims: int = 15
    second_charge_probability: float = 0.25
    # Charges before and after the shift years, interpolated linearly in between; more
    # media and drug charges after 2010 (TJWG 2021).
    charge_mix_early: Mix = (
        ("theft_state_property", 0.33), ("murder", 0.17), ("smuggling", 0.12),
        ("trafficking", 0.08), ("political", 0.08), ("escape", 0.06), ("drugs", 0.05),
        ("media", 0.03), ("prostitution", 0.03), ("religion", 0.02), ("other", 0.03),
    )  # fmt: skip
    charge_mix_late: Mix = (
        ("theft_state_property", 0.20), ("murder", 0.13), ("smuggling", 0.08),
        ("trafficking", 0.07), ("political", 0.07), ("escape", 0.05), ("drugs", 0.15),
        ("media", 0.17), ("prostitution", 0.03), ("religion", 0.03), ("other", 0.02),
    )  # fmt: skip
    charge_shift_years: tuple[int, int] = (2008, 2012)
    method_mix: Mix = (("firing_squad", 0.9), ("hanging", 0.08), ("other", 0.02))
    # Sites drift toward less public, controlled places under Kim Jong-un (TJWG 2021).
    site_mix_early: Mix = (
        ("marketplace", 0.25), ("riverbank", 0.25), ("airfield", 0.10),
        ("stadium", 0.15), ("school_ground", 0.10), ("other", 0.15),
    )  # fmt: skip
    site_mix_late: Mix = (
        ("marketplace", 0.15), ("riverbank", 0.20), ("airfield", 0.12),
        ("stadium", 0.15), ("school_ground", 0.08), ("other", 0.30),
    )  # fmt: skip
    site_shift_year: int = 2012
    # Population by province in thousands (2008 census; Rason and Nampo separately,
    # Kaesong as a small share of North Hwanghae's).
    province_population: Mix = (
        ("KP-01", 3255), ("KP-02", 4052), ("KP-03", 2729), ("KP-04", 1300),
        ("KP-05", 2310), ("KP-06", 1900), ("KP-07", 1478), ("KP-08", 3066),
        ("KP-09", 2327), ("KP-10", 719), ("KP-13", 197), ("KP-14", 984), ("KP-15", 214),
    )  # fmt: skip
    # Executions per head are a modelling choice: higher in the border provinces, where
    # smuggling, trafficking and media charges concentrate.
    province_rate: Mix = (("KP-09", 1.4), ("KP-10", 1.5), ("KP-03", 1.2), ("KP-04", 1.1))
    # Within a province, a county's weight by kind; provincial capitals weigh more.
    capital_weight: float = 5.0
    city_weight: float = 2.0
    county_weight: float = 1.0
    district_weight: float = 1.0
    victim_male_share: float = 0.85
    victim_age_mean: float = 38.0
    victim_age_sd: float = 11.0


@dataclass(frozen=True)
class InterviewParams:
    """An interview programme: who was interviewed, what they knew, what they told."""

    collection_id: str
    name: str
    kind: str
    description: str
    pseudonym_prefix: str
    interview_years: tuple[int, int]
    per_wave: int
    women_share: float
    korean_share: float
    # Origin provinces of interviewees: mostly the northern border (see DOMAIN.md).
    origin_mix: Mix
    # Extra weight of border counties (crossing points) within a province of origin.
    border_county_weight: float = 2.5
    # Years between leaving the country and the interview: 0 with p0, else 1 + Geometric.
    lag_zero_probability: float = 0.3
    lag_geometric_p: float = 0.35
    lag_max: int = 10
    age_at_departure_mean: float = 36.0
    age_at_departure_sd: float = 11.0
    youngest_witness_age: int = 7  # TJWG's youngest witness was 7
    # Knowledge: seeing an event of one's own county, hearing of it otherwise.
    # Attendance was often forced: a resident sees a good share of their county's
    # executions (TJWG: four in five interviewees had seen one).
    saw_own_county: float = 0.5
    heard_own_county: float = 0.25
    heard_own_province: float = 0.01
    heard_elsewhere: float = 0.0006
    # Telling: share of known events an interviewee tells, per year since the event.
    tell_saw: float = 0.4
    tell_heard: float = 0.45
    recall_decay_per_year: float = 0.04
    talkativeness_shape: float = 2.0
    # A cap on reports per interviewee (mapping interviews ask about a few sites).
    max_reports: int = 0
    # Share of interviewees who were interviewed before by another programme.
    reinterview_share: float = 0.0
    reinterview_from: str = ""
    saw_only: bool = False


@dataclass(frozen=True)
class PressParams:
    """A press archive of reports sent by informants inside the country."""

    collection_id: str = "C03"
    name: str = "Border informant press archive"
    kind: str = "press_archive"
    description: str = (
        "Reports from paid informants in the border cities, published within weeks "
        "(Daily NK-like); strongest on recent years and on media and drug cases."
    )
    pseudonym_prefix: str = "P"
    informants: int = 30
    # Informants live in these places (matched on the gazetteer's English name).
    informant_places: Mix = (
        ("Hyesan", 6), ("Hoeryong", 5), ("Musan", 4), ("Onsong", 3), ("Chongjin", 4),
        ("Sinuiju", 3), ("Hamhung", 2), ("Pyongsong", 1), ("Kanggye", 1), ("Manpo", 1),
    )  # fmt: skip
    year_weight: Mix = (
        ("2005", 0.3), ("2006", 0.5), ("2007", 0.7), ("2008", 0.9), ("2009", 1.0),
        ("2010", 1.0), ("2011", 1.0), ("2012", 1.0), ("2013", 1.0), ("2014", 1.0),
    )  # fmt: skip
    same_county: float = 0.45
    same_province: float = 0.05
    charge_boost: Mix = (("media", 2.0), ("drugs", 1.8), ("political", 1.3))
    korean_share: float = 0.6
    publication_lag_days_mean: float = 20.0


@dataclass(frozen=True)
class OfficialParams:
    """State media announcements: very few, high-profile cases."""

    collection_id: str = "C04"
    name: str = "State media announcements"
    kind: str = "official"
    description: str = (
        "Executions announced by state media (KCNA-like): rare, mostly political "
        "cases or large events, with exact dates."
    )
    pseudonym_prefix: str = "O"
    base: float = 0.004
    political: float = 0.10
    large_event: float = 0.03  # events with at least large_event_size victims
    large_event_size: int = 4
    pyongyang: float = 0.02
    korean_share: float = 0.5


PRECISIONS: tuple[str, ...] = (
    "day", "month", "season", "part_of_year", "year", "around", "years", "unknown",
)  # fmt: skip
"""Precisions a told date is degraded to, finest first (the names of ``Precision``)."""


@dataclass(frozen=True)
class NoiseProfile:
    """How a collection's reports degrade the truth (see ``uncounted.simulate.noise``).

    ``*_saw`` applies to what a source saw (and to announcements), ``*_heard`` to what
    they heard. Mixes are over: precisions (:data:`PRECISIONS`); place modes ``county``
    (the true county), ``province``, ``somewhere`` ("somewhere in <province>"),
    ``neighbour`` (another county of the same province), ``none``; count modes
    ``exact``, ``off_by_one``, ``range``, ``vague``, ``none``; forced attendance
    ``yes``, ``no``, ``""``; reliability ``1``..``5``, ``""``; age forms ``none``,
    ``exact``, ``decade``, ``about``; romanized name styles ``mr``, ``mr_plain``,
    ``rr``, ``conventional``, ``swapped``, ``spaced``, ``typo``.
    """

    precision_saw: Mix
    precision_heard: Mix
    # Per year between event and interview: chance the precision is one step coarser.
    coarsen_per_year: float = 0.02
    # A year misremembered by one: base + per_year * years since the event, capped.
    misremember_year: float = 0.03
    misremember_per_year: float = 0.007
    misremember_max: float = 0.15
    # A month given one off (day and month precision only).
    slip_month: float = 0.05
    # Share of dates written in another readable form (2005-03-14, c. 2008, 2007-2008).
    alternative_date_form: float = 0.25
    place_saw: Mix = (
        ("county", 0.86), ("province", 0.06), ("somewhere", 0.02), ("neighbour", 0.05),
        ("none", 0.01),
    )  # fmt: skip
    place_heard: Mix = (
        ("county", 0.60), ("province", 0.18), ("somewhere", 0.08), ("neighbour", 0.10),
        ("none", 0.04),
    )  # fmt: skip
    # Korean accounts giving a place or name in Latin letters.
    latin_in_korean: float = 0.1
    site_saw: float = 0.75
    site_heard: float = 0.3
    site_wrong: float = 0.05
    count_saw: Mix = (
        ("exact", 0.65), ("off_by_one", 0.14), ("range", 0.09), ("vague", 0.04), ("none", 0.08),
    )  # fmt: skip
    count_heard: Mix = (
        ("exact", 0.40), ("off_by_one", 0.22), ("range", 0.10), ("vague", 0.10), ("none", 0.18),
    )  # fmt: skip
    charge_keep_saw: float = 0.8
    charge_keep_heard: float = 0.6
    charge_wrong: float = 0.05
    method_saw: float = 0.85
    method_heard: float = 0.5
    method_wrong: float = 0.03
    forced_saw: Mix = (("yes", 0.55), ("no", 0.25), ("", 0.20))
    forced_heard: Mix = (("", 1.0),)
    reliability_saw: Mix = (("1", 0.35), ("2", 0.40), ("3", 0.15), ("4", 0.03), ("", 0.07))
    reliability_heard: Mix = (
        ("1", 0.05), ("2", 0.30), ("3", 0.40), ("4", 0.10), ("5", 0.05), ("", 0.10),
    )  # fmt: skip
    mention_saw: float = 0.6
    mention_heard: float = 0.3
    mention_each: float = 0.5  # chance each further victim is mentioned too
    name_saw: float = 0.35
    name_heard: float = 0.15
    sex_given: float = 0.85
    sex_wrong: float = 0.02
    age_form: Mix = (("none", 0.35), ("exact", 0.15), ("decade", 0.35), ("about", 0.15))
    age_error_sd: float = 3.0
    name_styles: Mix = (
        ("mr", 0.10), ("mr_plain", 0.25), ("rr", 0.20), ("conventional", 0.20),
        ("swapped", 0.10), ("spaced", 0.05), ("typo", 0.10),
    )  # fmt: skip
    mention_charge: float = 0.1


INTERVIEW_NOISE = NoiseProfile(
    precision_saw=(
        ("day", 0.08), ("month", 0.22), ("season", 0.15), ("part_of_year", 0.10),
        ("year", 0.27), ("around", 0.10), ("years", 0.05), ("unknown", 0.03),
    ),
    precision_heard=(
        ("day", 0.02), ("month", 0.10), ("season", 0.12), ("part_of_year", 0.10),
        ("year", 0.36), ("around", 0.18), ("years", 0.08), ("unknown", 0.04),
    ),
)  # fmt: skip

# Site mapping: places and sites precise (located on imagery), dates less so (later
# interviews), few hearsay reports.
MAPPING_NOISE = NoiseProfile(
    precision_saw=(
        ("day", 0.04), ("month", 0.14), ("season", 0.16), ("part_of_year", 0.10),
        ("year", 0.30), ("around", 0.15), ("years", 0.07), ("unknown", 0.04),
    ),
    precision_heard=(
        ("day", 0.02), ("month", 0.08), ("season", 0.12), ("part_of_year", 0.10),
        ("year", 0.36), ("around", 0.20), ("years", 0.08), ("unknown", 0.04),
    ),
    place_saw=(("county", 0.97), ("province", 0.01), ("neighbour", 0.02)),
    place_heard=(("county", 0.85), ("province", 0.08), ("neighbour", 0.07)),
    site_saw=0.98,
    site_heard=0.8,
    site_wrong=0.02,
    reliability_saw=(("1", 0.45), ("2", 0.40), ("3", 0.10), ("", 0.05)),
    name_saw=0.25,
)  # fmt: skip

# Informants write within weeks: exact dates and places, more names.
PRESS_NOISE = NoiseProfile(
    precision_saw=(
        ("day", 0.55), ("month", 0.33), ("season", 0.03), ("part_of_year", 0.04),
        ("year", 0.05),
    ),
    precision_heard=(
        ("day", 0.40), ("month", 0.40), ("season", 0.05), ("part_of_year", 0.07),
        ("year", 0.08),
    ),
    coarsen_per_year=0.0,
    misremember_year=0.005,
    misremember_per_year=0.0,
    slip_month=0.01,
    place_saw=(("county", 0.94), ("province", 0.03), ("neighbour", 0.03)),
    place_heard=(("county", 0.90), ("province", 0.05), ("neighbour", 0.05)),
    site_saw=0.6,
    site_heard=0.5,
    count_saw=(("exact", 0.85), ("off_by_one", 0.05), ("range", 0.05), ("vague", 0.05)),
    count_heard=(("exact", 0.75), ("off_by_one", 0.10), ("range", 0.05), ("vague", 0.10)),
    charge_keep_saw=0.9,
    charge_keep_heard=0.85,
    charge_wrong=0.02,
    method_saw=0.7,
    method_heard=0.6,
    forced_saw=(("yes", 0.3), ("", 0.7)),
    reliability_saw=(("2", 0.6), ("3", 0.4)),
    reliability_heard=(("2", 0.4), ("3", 0.5), ("4", 0.1)),
    mention_saw=0.8,
    mention_heard=0.7,
    name_saw=0.5,
    name_heard=0.45,
    age_form=(("none", 0.2), ("exact", 0.4), ("decade", 0.3), ("about", 0.1)),
)  # fmt: skip

# State media: exact dates and counts, the place sometimes only as a province.
OFFICIAL_NOISE = NoiseProfile(
    precision_saw=(("day", 0.9), ("month", 0.1)),
    precision_heard=(("day", 0.9), ("month", 0.1)),
    coarsen_per_year=0.0,
    misremember_year=0.0,
    misremember_per_year=0.0,
    slip_month=0.0,
    alternative_date_form=0.0,
    place_saw=(("county", 0.6), ("province", 0.4)),
    place_heard=(("county", 0.6), ("province", 0.4)),
    latin_in_korean=0.0,
    site_saw=0.2,
    site_wrong=0.0,
    count_saw=(("exact", 0.95), ("none", 0.05)),
    charge_keep_saw=1.0,
    charge_wrong=0.0,
    method_saw=0.9,
    method_wrong=0.0,
    forced_saw=(("", 1.0),),
    reliability_saw=(("2", 1.0),),
    mention_saw=0.9,
    mention_each=0.9,
    name_saw=0.95,
    sex_given=0.95,
    sex_wrong=0.0,
    age_form=(("none", 0.1), ("exact", 0.9)),
    age_error_sd=0.0,
    name_styles=(("mr", 0.5), ("mr_plain", 0.5)),
)  # fmt: skip


@dataclass(frozen=True)
class WitnessParams:
    """What makes an event better known: its site, its size and the size of the town."""

    # How many people a site draws, relative to a riverbank (forced attendance at
    # markets and stadiums; controlled sites under Kim Jong-un draw few).
    site_attendance: Mix = (
        ("marketplace", 1.2), ("riverbank", 1.0), ("airfield", 0.9), ("stadium", 1.3),
        ("school_ground", 0.9), ("other", 0.5),
    )  # fmt: skip
    # Each victim beyond the first makes an event this much more likely to be known.
    size_slope: float = 0.25
    # A resident of a big town is less likely to attend any one execution there:
    # attendance scales as (county weight / median county weight) ** -exponent.
    big_place_exponent: float = 0.3


@dataclass(frozen=True)
class Preset:
    """A complete set of parameters for :func:`uncounted.simulate.simulate_world`."""

    name: str
    description: str
    truth: TruthParams
    interviews: tuple[InterviewParams, ...]
    witness: WitnessParams = field(default_factory=WitnessParams)
    press: PressParams = field(default_factory=PressParams)
    official: OfficialParams = field(default_factory=OfficialParams)
    # Noise profile of each collection, by collection id.
    noise: tuple[tuple[str, NoiseProfile], ...] = (
        ("C01", INTERVIEW_NOISE), ("C02", MAPPING_NOISE), ("C03", PRESS_NOISE),
        ("C04", OFFICIAL_NOISE),
    )  # fmt: skip

    def collection_ids(self) -> tuple[str, ...]:
        """Collections in their order: interview programmes, press archive, official."""
        ids = [p.collection_id for p in self.interviews]
        return (*ids, self.press.collection_id, self.official.collection_id)

    def noise_for(self, collection_id: str) -> NoiseProfile:
        return dict(self.noise)[collection_id]


_BORDER_ORIGINS: Mix = (
    ("KP-09", 0.55), ("KP-10", 0.18), ("KP-08", 0.09), ("KP-02", 0.04), ("KP-03", 0.03),
    ("KP-01", 0.02), ("KP-04", 0.015), ("KP-07", 0.02), ("KP-06", 0.02), ("KP-05", 0.01),
    ("KP-13", 0.01), ("KP-14", 0.005), ("KP-15", 0.002),
)  # fmt: skip

NK_2000_2014 = Preset(
    name="nk-2000-2014",
    description=(
        "Public executions in North Korea 2000-2014 and what four documentation projects "
        "recorded of them: a yearly defector interview programme, an NGO site-mapping "
        "project, a press archive of informant reports and state media announcements."
    ),
    truth=TruthParams(),
    interviews=(
        InterviewParams(
            collection_id="C01",
            name="Defector interview programme",
            kind="interview_programme",
            description=(
                "In-depth interviews with recent arrivals, a wave of about 220 a year "
                "(KINU-like); mostly in Korean."
            ),
            pseudonym_prefix="W",
            interview_years=(2001, 2015),
            per_wave=220,
            women_share=0.8,
            korean_share=0.92,
            origin_mix=_BORDER_ORIGINS,
        ),
        InterviewParams(
            collection_id="C02",
            name="Execution site mapping project",
            kind="ngo_mapping",
            description=(
                "Interviews about execution and burial sites, located on satellite "
                "imagery (TJWG-like); fewer interviewees, precise on places and sites."
            ),
            pseudonym_prefix="T",
            interview_years=(2015, 2019),
            per_wave=120,
            women_share=0.79,
            korean_share=0.55,
            origin_mix=_BORDER_ORIGINS,
            tell_saw=0.45,
            tell_heard=0.08,
            max_reports=3,
            reinterview_share=0.15,
            reinterview_from="C01",
            saw_only=True,
        ),
    ),
)

PRESETS: dict[str, Preset] = {NK_2000_2014.name: NK_2000_2014}


def get_preset(name: str) -> Preset:
    """The preset called ``name``; raises ConfigurationError listing the known ones."""
    from uncounted.errors import ConfigurationError

    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(sorted(PRESETS))
        raise ConfigurationError(f"unknown preset {name!r}; choose one of: {known}") from None
