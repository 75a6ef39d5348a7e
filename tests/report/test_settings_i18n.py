"""Settings round-trip through JSON; every text exists in both languages."""

from __future__ import annotations

import json
import re

import pytest

from uncounted.errors import ConfigurationError
from uncounted.report.i18n import STRATA, TEXT, VERDICTS
from uncounted.report.settings import LCMCRSettings, ReportSettings
from uncounted.report.strata import class_names

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_settings_survive_json_unchanged() -> None:
    settings = ReportSettings(
        period=(2001, 2010), min_cell=5, lang="ko", lcmcr=LCMCRSettings(K=5, burnin=100)
    )
    again = ReportSettings.from_dict(json.loads(json.dumps(settings.to_dict())))
    assert again == settings


def test_settings_of_an_older_summary_mean_what_they_meant_then() -> None:
    # A summary.json written before LCMCR ran two chains, and before the linkage
    # sensitivity clustered at other thresholds or showed the one-sided linkages, reruns
    # as it ran: one chain, no other thresholds, no one-sided rows. Otherwise `uncounted
    # rerun` would not reproduce its figures.
    older = ReportSettings().to_dict()
    del older["link_other_thresholds"]
    del older["link_one_sided"]
    del older["lcmcr"]["chains"]
    again = ReportSettings.from_dict(json.loads(json.dumps(older)))
    assert again.lcmcr.chains == 1
    assert again.link_other_thresholds == ()
    assert again.link_one_sided is False
    assert ReportSettings().link_one_sided is True
    assert ReportSettings().lcmcr.chains == 2
    assert ReportSettings().link_other_thresholds == (0.5, 0.9)


@pytest.mark.parametrize(
    ("values", "word"),
    [
        ({"lang": "fr"}, "--lang"),
        ({"min_cell": 0}, "--min-cell"),
        ({"period": (2010, 2000)}, "period"),
        ({"linkage": "truth"}, "truth_links"),
        ({"link_other_thresholds": (0.5, 1.0)}, "sensitivity thresholds"),
    ],
)
def test_bad_settings_say_what_is_wrong(values: dict[str, object], word: str) -> None:
    with pytest.raises(ConfigurationError, match=word):
        ReportSettings(**values)  # type: ignore[arg-type]


def test_unknown_settings_in_a_summary_are_refused_by_name() -> None:
    with pytest.raises(ConfigurationError, match="colour"):
        ReportSettings.from_dict({"colour": "blue"})


def test_every_text_has_english_and_korean() -> None:
    for key, (en, ko) in {**TEXT, **VERDICTS}.items():
        assert en.strip(), key
        assert HANGUL.search(ko), key
        assert set(re.findall(r"{(\w+)}", en)) == set(re.findall(r"{(\w+)}", ko)), key


def test_every_stratum_name_has_a_korean_label() -> None:
    for n in range(1, 5):
        for name in class_names(n):
            assert name in STRATA
