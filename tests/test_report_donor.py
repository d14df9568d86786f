"""The donor report: every figure against the hand-computed world of tests/report_world.py."""
import pytest

from lms.catalog.models import CertificationLevel
from lms.reports import donor
from lms.reports.dimensions import DIMENSIONS, TOTAL
from tests.report_world import FLAGS, FLAGS_A, FLAGS_B, PROFILE, P, build_report_world

BASIC = ("participants", "completed", "sat", "certified")


# One report world for the module: the tests read it (what one writes is rolled back).
pytestmark = pytest.mark.usefixtures("module_world")
SHARED_WORLD = build_report_world


def flag_of(column, world) -> str:
    """The FLAGS name of a report column: an indicator, a provider slug or a level."""
    if column.indicator == donor.BY_PROVIDER:
        return {str(p.id): slug for slug, p in world.providers.items()}[column.key]
    if column.indicator == donor.BY_LEVEL:
        return column.key
    return column.indicator


def expected_counts(flags: dict, world) -> dict:
    """(dimension, value) -> {flag: people}, from the hand-written flags and profiles."""
    homes = {"A": str(world.a.id), "B": str(world.b.id)}
    counts: dict = {}
    for name, person_flags in flags.items():
        values = {**PROFILE[name], "home_center": homes[PROFILE[name]["home_center"]]}
        for key in [(TOTAL, ""), *((d.key, values[d.key]) for d in DIMENSIONS)]:
            cell = counts.setdefault(key, {})
            for flag in person_flags:
                cell[flag] = cell.get(flag, 0) + 1
    return counts


def report_counts(report, world) -> dict:
    """The same shape from the report, zero cells left out."""
    counts = {}
    rows = [(TOTAL, report.total), *((s.dimension.key, r) for s in report.sections for r in s.rows)]
    for dimension, row in rows:
        cell = {flag_of(c, world): row.count(c) for c in report.columns if row.count(c)}
        if cell:
            counts[(dimension, row.value)] = cell
    return counts


@pytest.mark.parametrize("scope, flags", [(None, FLAGS), ("a", FLAGS_A), ("b", FLAGS_B)])
def test_every_figure_matches_the_hand_computed_flags(rw, scope, flags):
    centers = None if scope is None else [getattr(rw, scope).id]
    report = donor.donor_report(P, centers)
    expected = {key: cell for key, cell in expected_counts(flags, rw).items() if cell}
    assert report_counts(report, rw) == expected


def test_cluster_totals_written_out(rw):
    report = donor.donor_report(P, None)
    totals = {flag_of(c, rw): report.total.count(c) for c in report.columns}
    assert totals == {"participants": 5, "completed": 2, "sat": 4, "certified": 3, "aws": 2,
                      "cisco": 1, "foundational": 2, "associate": 2}
    by_sex = {row.value: [row.count(c) for c in report.columns[:4]]
              for row in report.sections[0].rows}
    assert by_sex == {"female": [3, 1, 2, 2], "male": [1, 0, 2, 1], "other": [1, 1, 0, 0],
                      "not_stated": [0, 0, 0, 0]}
    by_age = {row.value: row.count(report.columns[0]) for row in report.sections[1].rows}
    # taras turns 15 on the period's last day (15-19); iryna turns 15 the day after (10-14).
    assert by_age == {"10-14": 1, "15-19": 1, "20-24": 1, "25-29": 1, "30+": 0, "other": 0,
                      "not_stated": 1}


def test_a_person_in_two_centers_counts_once_in_the_cluster(rw):
    participants = donor.Column(donor.PARTICIPANTS, "", "")
    at_a = donor.donor_report(P, [rw.a.id]).total.count(participants)
    at_b = donor.donor_report(P, [rw.b.id]).total.count(participants)
    both = donor.donor_report(P, [rw.a.id, rw.b.id]).total.count(participants)
    assert (at_a, at_b, both) == (3, 3, 5)
    assert donor.donor_report(P, None).total.count(participants) == 5


def test_home_center_rows_attribute_people_to_their_home(rw):
    report = donor.donor_report(P, [rw.b.id])
    homes = {row.value: row.count(report.columns[0]) for row in report.sections[-1].rows}
    assert homes == {str(rw.a.id): 1, str(rw.b.id): 2}  # olena is from A, enrolled in B1


@pytest.mark.parametrize("scope", [None, "a", "b"])
def test_every_disaggregation_adds_up_to_the_total(rw, scope):
    report = donor.donor_report(P, None if scope is None else [getattr(rw, scope).id])
    assert [s.dimension.key for s in report.sections] == [d.key for d in DIMENSIONS]
    for section in report.sections:
        for column in report.columns:
            assert sum(row.count(column) for row in section.rows) == report.total.count(column), (
                section.dimension.key, column)


def test_every_enumeration_value_has_a_row(rw):
    report = donor.donor_report(P, None)
    values = {s.dimension.key: [row.value for row in s.rows] for s in report.sections}
    assert values["sex"] == ["female", "male", "other", "not_stated"]
    assert values["settlement"] == ["urban", "rural", "not_stated"]
    assert values["age_band"] == ["10-14", "15-19", "20-24", "25-29", "30+", "other",
                                  "not_stated"]


def test_columns_name_providers_and_levels_with_certifications(rw):
    report = donor.donor_report(P, None)
    keys = [(c.indicator, c.key) for c in report.columns]
    assert keys == [*((b, "") for b in BASIC),
                    ("provider", str(rw.providers["aws"].id)),
                    ("provider", str(rw.providers["cisco"].id)),
                    ("level", CertificationLevel.FOUNDATIONAL.value),
                    ("level", CertificationLevel.ASSOCIATE.value)]


def test_configured_age_bands_change_the_rows(app, rw):
    app.config["REPORT_AGE_BANDS"] = [(0, 15), (16, None)]
    try:
        report = donor.donor_report(P, None)
    finally:
        app.config["REPORT_AGE_BANDS"] = [(10, 14), (15, 19), (20, 24), (25, 29), (30, None)]
    by_age = {row.value: row.count(report.columns[0]) for row in report.sections[1].rows}
    assert by_age == {"0-15": 2, "16+": 2, "other": 0, "not_stated": 1}


def test_drill_down_ids_are_the_people_behind_each_cell(rw):
    from lms.core.extensions import db
    ids = {p.id: name for name, p in rw.people.items()}
    cases = [("participants", "", TOTAL, "", {"olena", "taras", "iryna", "sofia", "dmytro"}),
             ("sat", "", "sex", "male", {"taras", "maksym"}),
             ("certified", "", "age_band", "other", {"nadia"}),
             ("level", "associate", TOTAL, "", {"olena", "nadia"}),
             ("provider", str(rw.providers["aws"].id), "home_center", str(rw.a.id),
              {"olena", "maksym"})]
    for indicator, key, dimension, value, people in cases:
        query = donor.people_ids(P, None, indicator, key, dimension, value)
        assert {ids[i] for i in db.session.scalars(query)} == people, (indicator, dimension)
