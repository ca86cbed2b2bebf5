"""The flagship dataset, orgs/meta-ai: it loads, and each era says what its sources say.

The per-era tables are the checks a reviewer would want after any edit: who
leads what, where FAIR sits, which units exist, who reports to whom. They
state the data as it stands; an edit that changes one of them has to change
the table too, which makes the change visible in review.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

import orgdiff
from orgdiff import Confidence, Timeline

DATASET = Path(__file__).resolve().parent.parent / "orgs" / "meta-ai"


@pytest.fixture(scope="module")
def tl() -> Timeline:
    return orgdiff.load(DATASET)


# --- the dataset as a whole ------------------------------------------------------


def test_loads_and_validates(tl: Timeline) -> None:
    """`load` raises on any problem; `validate` on the loaded timeline finds none."""
    assert orgdiff.validate(tl) == []


def test_snapshot_dates_are_the_real_changes(tl: Timeline) -> None:
    """One snapshot per dated change; a new or dropped snapshot has to be deliberate."""
    assert [d.isoformat() for d in tl.dates] == [
        "2013-12-09",
        "2017-09-15",
        "2018-01-23",
        "2021-10-28",
        "2022-06-02",
        "2023-02-27",
        "2023-03-15",
        "2024-01-18",
        "2025-05-08",
        "2025-05-27",
        "2025-05-31",
        "2025-06-12",
        "2025-06-30",
        "2025-07-25",
        "2025-08-19",
        "2025-10-22",
        "2025-10-27",
        "2025-11-17",
        "2025-11-19",
        "2025-12-31",
        "2026-01-12",
        "2026-03-03",
        "2026-05-18",
    ]


def test_every_snapshot_cites_sources_and_has_a_one_line_event(tl: Timeline) -> None:
    for snap in tl.snapshots:
        assert snap.sources, snap.date
        assert snap.event and "\n" not in snap.event, snap.date


def test_every_source_is_cited_somewhere(tl: Timeline) -> None:
    cited: set[str] = set()
    for snap in tl.snapshots:
        cited.update(snap.sources)
        for unit in snap.units.values():
            cited.update(unit.sources)
        for person in snap.people.values():
            cited.update(person.sources)
        for rel in snap.relations:
            cited.update(rel.sources)
    assert sorted(set(tl.sources) - cited) == []


def test_every_url_is_a_web_address(tl: Timeline) -> None:
    for key, source in tl.sources.items():
        if source.url is None:
            assert key.startswith("seed-"), f"{key} has no URL"
            continue
        parts = urlsplit(source.url)
        assert parts.scheme in ("http", "https"), key
        assert parts.netloc and "." in parts.netloc, key
        assert " " not in source.url, key


def test_seed_sources_name_their_file(tl: Timeline) -> None:
    seeds = {k: s for k, s in tl.sources.items() if k.startswith("seed-")}
    assert len(seeds) == 5
    for key, source in seeds.items():
        number = key.split("-")[1]
        assert source.note is not None and f"file {number}_" in source.note, key


def test_every_registered_person_appears_in_some_snapshot(tl: Timeline) -> None:
    seen = {pid for snap in tl.snapshots for pid in snap.people}
    assert sorted(set(tl.people) - seen) == []


@pytest.mark.parametrize(
    ("pid", "alias"),
    [
        ("yann-lecun", "楊立昆"),
        ("yuandong-tian", "田渊栋"),
        ("yuandong-tian", "田淵棟"),
        ("shengjia-zhao", "赵晟佳"),
        ("shengjia-zhao", "趙晟佳"),
        ("nat-friedman", "納特·弗里德曼"),
        ("mark-zuckerberg", "扎克伯格"),
        ("mark-zuckerberg", "祖克柏"),
        ("alexandr-wang", "亞歷山大王"),
    ],
)
def test_aliases_as_the_seeds_write_them(tl: Timeline, pid: str, alias: str) -> None:
    assert alias in tl.people[pid].aliases


def test_wrong_seed_spellings_are_not_aliases(tl: Timeline) -> None:
    """汪滔 (seed 003) is DJI founder Frank Wang's name; 赵昇佳 (seed 000) a misspelling."""
    every_alias = {a for identity in tl.people.values() for a in identity.aliases}
    assert "汪滔" not in every_alias
    assert "赵昇佳" not in every_alias
    assert "汪滔" in (tl.sources["seed-003-barrons-lecun"].note or "")


def test_root_keeps_its_id(tl: Timeline) -> None:
    for snap in tl.snapshots:
        assert snap.root.id == "meta"
        assert snap.root.lead == "mark-zuckerberg"


# --- era by era ----------------------------------------------------------------------

# (date, unit, parent, leads); parent `None` means "none", leads `()` "not known".
UNITS = [
    ("2013-12", "meta", None, ("mark-zuckerberg",)),
    ("2013-12", "fair", "meta", ("yann-lecun",)),
    ("2018-01", "ai-organization", "meta", ("jerome-pesenti",)),
    ("2018-01", "fair", "ai-organization", ()),
    ("2021-11", "reality-labs", "meta", ("andrew-bosworth",)),
    ("2021-11", "fair", "ai-organization", ("joelle-pineau",)),
    ("2022-07", "fair", "reality-labs", ("antoine-bordes", "joelle-pineau", "yann-lecun")),
    ("2023-03-01", "genai", "meta", ("ahmad-al-dahle",)),
    ("2023-03-01", "fair", "reality-labs", ("antoine-bordes", "joelle-pineau", "yann-lecun")),
    ("2023-04", "fair", "reality-labs", ("joelle-pineau",)),
    ("2024-02", "fair", "meta", ("joelle-pineau",)),
    ("2024-02", "genai", "meta", ("ahmad-al-dahle",)),
    ("2025-05-10", "fair", "meta", ("rob-fergus",)),
    ("2025-06-01", "ai-products", "meta", ("connor-hayes",)),
    ("2025-06-01", "agi-foundations", "meta", ("ahmad-al-dahle", "amir-frenkel")),
    ("2025-07", "msl", "meta", ("alexandr-wang", "nat-friedman")),
    ("2025-07", "fair", "msl", ("rob-fergus",)),
    ("2025-07", "ai-products", "msl", ("connor-hayes",)),
    ("2025-07", "agi-foundations", "msl", ("ahmad-al-dahle", "amir-frenkel")),
    ("2025-07", "tbd-lab", "msl", ()),
    ("2025-09", "msl", "meta", ("alexandr-wang",)),
    ("2025-09", "tbd-lab", "msl", ("alexandr-wang",)),
    ("2025-09", "fair", "msl", ("rob-fergus",)),
    ("2025-09", "products-applied-research", "msl", ("nat-friedman",)),
    ("2025-09", "msl-infra", "msl", ("aparna-ramani",)),
    ("2026-01-31", "meta-compute", "meta", ("santosh-janardhan", "daniel-gross")),
    ("2026-04", "applied-ai-engineering", "meta", ("maher-saba",)),
    ("2026-05-31", "fair", "msl", ("rob-fergus",)),
]


@pytest.mark.parametrize(("when", "uid", "parent", "leads"), UNITS)
def test_unit(
    tl: Timeline, when: str, uid: str, parent: str | None, leads: tuple[str, ...]
) -> None:
    unit = tl.at(when).units[uid]
    assert (unit.parent, unit.leads) == (parent, leads)


# (date, units that must exist, units that must not)
EXISTENCE = [
    ("2013-12", {"meta", "fair"}, {"reality-labs", "genai", "msl"}),
    ("2018-01", {"ai-organization", "fair"}, {"reality-labs"}),
    ("2022-07", {"reality-labs", "fair"}, {"ai-organization", "genai"}),
    ("2023-03", {"genai", "fair", "reality-labs"}, {"msl"}),
    ("2025-06-01", {"ai-products", "agi-foundations"}, {"genai", "msl"}),
    ("2025-07", {"msl", "tbd-lab", "ai-products", "agi-foundations"}, {"genai", "msl-infra"}),
    (
        "2025-09",
        {"msl", "tbd-lab", "fair", "products-applied-research", "msl-infra"},
        {"agi-foundations", "ai-products", "genai"},
    ),
    ("2026-01-31", {"meta-compute"}, {"applied-ai-engineering"}),
    ("2026-04", {"applied-ai-engineering", "meta-compute", "msl"}, {"agi-foundations"}),
]


@pytest.mark.parametrize(("when", "present", "absent"), EXISTENCE)
def test_units_exist(tl: Timeline, when: str, present: set[str], absent: set[str]) -> None:
    units = set(tl.at(when).units)
    assert present <= units
    assert not (absent & units)


@pytest.mark.parametrize(
    ("when", "name"),
    [
        ("2013-12", "Facebook"),
        ("2021-10-27", "Facebook"),
        ("2021-10-28", "Meta"),
        ("2026-05-31", "Meta"),
    ],
)
def test_company_name(tl: Timeline, when: str, name: str) -> None:
    assert tl.at(when).root.name == name


def test_msl_splits_four_ways_under_wang(tl: Timeline) -> None:
    snap = tl.at("2025-09")
    assert set(snap.children("msl")) == {
        "tbd-lab",
        "fair",
        "products-applied-research",
        "msl-infra",
    }
    assert snap.units["tbd-lab"].name == "TBD Lab"


@pytest.mark.parametrize(
    ("when", "uid", "origins"),
    [
        ("2025-05-27", "ai-products", ("genai",)),
        ("2025-05-27", "agi-foundations", ("genai",)),
        ("2025-09", "fair", ("agi-foundations",)),
        ("2025-09", "msl-infra", ("agi-foundations",)),
        ("2025-09", "products-applied-research", ("ai-products", "agi-foundations")),
        ("2022-07", "reality-labs", ("ai-organization",)),
        ("2026-04", "applied-ai-engineering", ("msl",)),
    ],
)
def test_lineage(tl: Timeline, when: str, uid: str, origins: tuple[str, ...]) -> None:
    assert tl.at(when).units[uid].from_ == origins


def test_agi_foundations_dissolves_into_three_units(tl: Timeline) -> None:
    d = tl.diff("2025-07", "2025-09")
    removed = {c.id: c for c in d.changes if c.kind == orgdiff.ChangeKind.UNIT_REMOVED}
    assert set(removed["agi-foundations"].into) == {
        "fair",
        "msl-infra",
        "products-applied-research",
    }
    assert "tbd-lab" not in removed["agi-foundations"].into


def test_the_new_lab_is_renamed_not_replaced(tl: Timeline) -> None:
    assert tl.at("2025-07").units["tbd-lab"].name != "TBD Lab"
    assert tl.at("2025-09").units["tbd-lab"].name == "TBD Lab"


# (date, person, unit, reports_to); reports_to `None` means "not known".
PEOPLE = [
    ("2013-12", "yann-lecun", "fair", "mike-schroepfer"),
    ("2013-12", "mike-schroepfer", "meta", None),
    ("2013-12", "rob-fergus", "fair", None),
    ("2018-01", "jerome-pesenti", "ai-organization", "mike-schroepfer"),
    ("2018-01", "yann-lecun", "fair", None),
    ("2021-11", "andrew-bosworth", "reality-labs", None),
    ("2022-07", "andrew-bosworth", "meta", None),
    ("2022-07", "joelle-pineau", "fair", None),
    ("2022-07", "yann-lecun", "fair", "andrew-bosworth"),
    ("2022-07", "antoine-bordes", "fair", None),
    ("2023-03-01", "ahmad-al-dahle", "genai", "chris-cox"),
    ("2024-02", "joelle-pineau", "fair", "chris-cox"),
    ("2024-02", "yann-lecun", "fair", "chris-cox"),
    ("2025-05-10", "rob-fergus", "fair", None),
    ("2025-06-01", "connor-hayes", "ai-products", None),
    ("2025-06-01", "amir-frenkel", "agi-foundations", None),
    ("2025-07", "alexandr-wang", "msl", "mark-zuckerberg"),
    ("2025-07", "nat-friedman", "msl", None),
    ("2025-08-01", "shengjia-zhao", "msl", None),
    ("2025-09", "rob-fergus", "fair", "alexandr-wang"),
    ("2025-09", "yann-lecun", "fair", "alexandr-wang"),
    ("2025-09", "nat-friedman", "products-applied-research", "alexandr-wang"),
    ("2025-09", "aparna-ramani", "msl-infra", "alexandr-wang"),
    ("2025-09", "ahmad-al-dahle", "msl", "alexandr-wang"),
    ("2025-09", "amir-frenkel", "msl", "alexandr-wang"),
    ("2025-09", "shengjia-zhao", "msl", None),
    ("2025-09", "yuandong-tian", "fair", None),
    ("2025-10-31", "vishal-shah", "products-applied-research", "nat-friedman"),
    ("2026-04", "maher-saba", "applied-ai-engineering", "andrew-bosworth"),
    ("2026-01-31", "santosh-janardhan", "meta-compute", None),
]


@pytest.mark.parametrize(("when", "pid", "unit", "manager"), PEOPLE)
def test_person(tl: Timeline, when: str, pid: str, unit: str, manager: str | None) -> None:
    person = tl.at(when).people[pid]
    assert (person.unit, person.reports_to) == (unit, manager)


@pytest.mark.parametrize(
    ("when", "pid", "title"),
    [
        ("2013-12", "yann-lecun", "Director, FAIR"),
        ("2018-01", "yann-lecun", "Chief AI Scientist"),
        ("2018-01", "jerome-pesenti", "Vice President of AI"),
        ("2025-07", "alexandr-wang", "Chief AI Officer; head of MSL"),
        ("2025-08-01", "shengjia-zhao", "Chief Scientist, Meta Superintelligence Labs"),
        ("2025-09", "yann-lecun", "Chief Scientist for FAIR"),
    ],
)
def test_title(tl: Timeline, when: str, pid: str, title: str) -> None:
    assert tl.at(when).people[pid].title == title


# (person, last date present, first date absent)
TENURES = [
    ("mike-schroepfer", "2021-11", "2022-07"),
    ("jerome-pesenti", "2022-05", "2022-07"),
    ("rob-fergus", "2018-01", "2021-11"),
    ("antoine-bordes", "2023-03-14", "2023-03-15"),
    ("joelle-pineau", "2025-05-30", "2025-05-31"),
    ("connor-hayes", "2025-10-21", "2025-10-22"),
    ("yuandong-tian", "2025-10-21", "2025-10-22"),
    ("soumith-chintala", "2025-11-16", "2025-11-17"),
    ("yann-lecun", "2025-12-30", "2025-12-31"),
]


@pytest.mark.parametrize(("pid", "last_in", "first_out"), TENURES)
def test_departures(tl: Timeline, pid: str, last_in: str, first_out: str) -> None:
    assert pid in tl.at(last_in).people
    assert pid not in tl.at(first_out).people


def test_rob_fergus_returns_to_lead_fair(tl: Timeline) -> None:
    assert "rob-fergus" not in tl.at("2025-05-07").people
    assert tl.at("2025-05-08").units["fair"].lead == "rob-fergus"


def test_lecun_after_november_2025(tl: Timeline) -> None:
    """Announced on 2025-11-19, still there until the end of 2025, gone after."""
    announced = tl.at("2025-11-19").people["yann-lecun"]
    assert "leaving" in (announced.title or "")
    assert announced.reports_to == "alexandr-wang"
    for when in ("2026-01", "2026-05-31"):
        snap = tl.at(when)
        assert "yann-lecun" not in snap.people
        assert snap.units["fair"].lead == "rob-fergus"


def _relations(tl: Timeline, when: str) -> dict[tuple[str, str, str], Confidence]:
    return {(r.kind, r.from_, r.to): r.confidence for r in tl.at(when).relations}


def test_tbd_lab_reviews_fair_publications(tl: Timeline) -> None:
    assert ("reviews-publications", "tbd-lab", "fair") not in _relations(tl, "2025-07")
    for when in ("2025-09", "2026-05-31"):
        rels = _relations(tl, when)
        assert rels[("reviews-publications", "tbd-lab", "fair")] == Confidence.RUMOURED


@pytest.mark.parametrize(
    ("when", "relation"),
    [
        ("2025-08-01", ("works-directly-with", "shengjia-zhao", "mark-zuckerberg")),
        ("2025-08-01", ("works-directly-with", "shengjia-zhao", "alexandr-wang")),
    ],
)
def test_relation(tl: Timeline, when: str, relation: tuple[str, str, str]) -> None:
    assert relation in _relations(tl, when)


def test_co_leads_are_leads_not_relations(tl: Timeline) -> None:
    """The `co-leads` relations only stood in for co-leads; units list their leads now."""
    kinds = {r.kind for snap in tl.snapshots for r in snap.relations}
    assert "co-leads" not in kinds
    for snap in tl.snapshots:
        for unit in snap.units.values():
            assert "see relations" not in (unit.note or ""), (snap.date, unit.id)


def test_friedman_stops_co_leading_msl_in_august(tl: Timeline) -> None:
    assert tl.at("2025-08-18").units["msl"].leads == ("alexandr-wang", "nat-friedman")
    assert tl.at("2025-08-19").units["msl"].leads == ("alexandr-wang",)
    assert tl.at("2025-08-19").people["nat-friedman"].reports_to == "alexandr-wang"


@pytest.mark.parametrize(
    ("before", "after", "event"),
    [
        # FAIR also moved to Reality Labs then: one event tells both.
        ("2021-11", "2022-07", "FAIR moved from AI Organization to Reality Labs; Antoine Bordes and Yann LeCun join Joelle Pineau as co-leads of FAIR"),
        ("2023-03-01", "2023-04", "Antoine Bordes and Yann LeCun no longer co-lead FAIR (with Joelle Pineau)"),
        ("2025-07", "2025-09", "Nat Friedman no longer co-leads Meta Superintelligence Labs (MSL) (with Alexandr Wang)"),
    ],
)  # fmt: skip
def test_co_lead_events_in_the_diff(tl: Timeline, before: str, after: str, event: str) -> None:
    """The diff tells each change of a lead set in an event (with the unit's other changes)."""
    assert event in [e.text for e in tl.diff(before, after).events]


@pytest.mark.parametrize(
    ("when", "pid", "confidence"),
    [
        ("2013-12", "yann-lecun", Confidence.REPORTED),
        ("2018-01", "jerome-pesenti", Confidence.CONFIRMED),
        ("2025-07", "alexandr-wang", Confidence.REPORTED),
        ("2025-09", "nat-friedman", Confidence.CONFIRMED),
        ("2025-10-31", "vishal-shah", Confidence.REPORTED),
    ],
)
def test_confidence(tl: Timeline, when: str, pid: str, confidence: Confidence) -> None:
    assert tl.at(when).people[pid].confidence == confidence


def test_the_issues_named_people_all_appear(tl: Timeline) -> None:
    named = {
        "mark-zuckerberg", "mike-schroepfer", "andrew-bosworth", "chris-cox", "yann-lecun",
        "rob-fergus", "jerome-pesenti", "joelle-pineau", "ahmad-al-dahle", "amir-frenkel",
        "connor-hayes", "alexandr-wang", "nat-friedman", "shengjia-zhao", "aparna-ramani",
        "yuandong-tian", "soumith-chintala",
    }  # fmt: skip
    seen = {pid for snap in tl.snapshots for pid in snap.people}
    assert named <= seen


# --- corrections after a fact-check against the stored sources (issue 14) -----------


def test_the_cnbc_exits_summary_is_dated_2022(tl: Timeline) -> None:
    """Business AM summarises CNBC's report of April 2022, not a 2023 one."""
    assert "businessam-2023-cnbc-fair-exits" not in tl.sources
    assert "April 2022" in (tl.sources["businessam-2022-cnbc-fair-exits"].note or "")
    dated = tl.sources["xinyazhou-2022-04-03-cnbc-fair-exits"].date
    assert dated is not None and dated.isoformat() == "2022-04-03"


def test_pesenti_mid_june_comes_from_the_primary_post(tl: Timeline) -> None:
    snap = tl.at("2022-06-02")
    assert "indiatoday-2022-06-03-pesenti" in snap.sources
    assert "Jerome will depart Meta in mid-June" in (snap.note or "")


@pytest.mark.parametrize("when", ["2023-03-01", "2023-04", "2024-02", "2025-05-10"])
def test_genai_line_to_cox_is_confirmed(tl: Timeline, when: str) -> None:
    """A company spokesperson confirmed that GenAI reports to Chris Cox."""
    person = tl.at(when).people["ahmad-al-dahle"]
    assert (person.reports_to, person.confidence) == ("chris-cox", Confidence.CONFIRMED)


@pytest.mark.parametrize(
    ("when", "pid", "source"),
    [
        ("2024-02", "joelle-pineau", "verge-2024-01-18-fair-reorg"),
        ("2024-02", "yann-lecun", "verge-2024-01-18-fair-reorg"),
        ("2025-09", "rob-fergus", "bi-2025-08-wang-memo"),
        ("2025-09", "nat-friedman", "bi-2025-08-wang-memo"),
        ("2025-09", "aparna-ramani", "bi-2025-08-wang-memo"),
        ("2026-05-31", "rob-fergus", "bi-2025-08-wang-memo"),
    ],
)
def test_reporting_lines_cite_a_person_level_source(
    tl: Timeline, when: str, pid: str, source: str
) -> None:
    assert source in tl.at(when).people[pid].sources


@pytest.mark.parametrize("when", ["2025-06-30", "2025-07-01", "2025-09", "2026-05-31"])
def test_wang_reports_to_zuckerberg_as_reported(tl: Timeline, when: str) -> None:
    """Benzinga (2025-07-01) and the FT (August 2025): the AI units report to the CEO."""
    wang = tl.at(when).people["alexandr-wang"]
    assert (wang.reports_to, wang.confidence) == ("mark-zuckerberg", Confidence.REPORTED)
    assert "benzinga-2025-07-01-msl" in wang.sources


# (date, person, unit, reports_to) for FAIR's leaders before June 2022 and after.
FAIR_LEADERS = [
    ("2017-09-15", "joelle-pineau", "fair", None),
    ("2018-01", "joelle-pineau", "fair", "jerome-pesenti"),
    ("2021-11", "joelle-pineau", "fair", "jerome-pesenti"),
    ("2023-03-01", "joelle-pineau", "fair", None),
    ("2023-04", "joelle-pineau", "fair", "andrew-bosworth"),
]


@pytest.mark.parametrize(("when", "pid", "unit", "manager"), FAIR_LEADERS)
def test_pineau_before_and_after_june_2022(
    tl: Timeline, when: str, pid: str, unit: str, manager: str | None
) -> None:
    person = tl.at(when).people[pid]
    assert (person.unit, person.reports_to) == (unit, manager)


def test_fair_montreal_opens_under_pineau(tl: Timeline) -> None:
    assert "joelle-pineau" not in tl.at("2017-09-14").people
    snap = tl.at("2017-09-15")
    assert snap.people["joelle-pineau"].title == "Head of FAIR Montreal"
    assert snap.units["fair"].lead == "yann-lecun"


def test_lecun_directorship_ends_in_2018_without_a_hedge(tl: Timeline) -> None:
    """LeCun's own count (five years as founding director) settles it."""
    snap = tl.at("2018-01")
    assert snap.units["fair"].lead is None
    assert "LeCun's directorship of FAIR ends here" in (snap.note or "")
    assert "ht-2025-11-20-lecun" in snap.units["fair"].sources


def test_pineau_co_leads_fair_in_2021(tl: Timeline) -> None:
    fair = tl.at("2021-10-28").units["fair"]
    assert fair.lead == "joelle-pineau"
    assert "meta-2021-01-22-pineau-coleads" in fair.sources


def test_pineau_is_gone_by_june_2025(tl: Timeline) -> None:
    """Her last day was 2025-05-30 (Hindustan Times, Observer, her post)."""
    assert "joelle-pineau" in tl.at("2025-05-30").people
    assert "joelle-pineau" not in tl.at("2025-06-01").people


def test_wang_joins_meta_before_msl_exists(tl: Timeline) -> None:
    """Observer: Wang joined on 2025-06-12 as the Scale AI deal closed."""
    assert "alexandr-wang" not in tl.at("2025-06-11").people
    snap = tl.at("2025-06-12")
    assert "msl" not in snap.units
    wang = snap.people["alexandr-wang"]
    assert (wang.unit, wang.reports_to) == ("meta", None)
    assert "observer-2025-06-13-wang" in wang.sources


# (date, person, unit, reports_to, confidence): MSL's people before the 2025-08-19 memo.
BEFORE_THE_MEMO = [
    ("2025-07-01", "yann-lecun", "fair", "alexandr-wang", Confidence.REPORTED),
    ("2025-08-01", "yann-lecun", "fair", "alexandr-wang", Confidence.REPORTED),
    ("2025-07-01", "ahmad-al-dahle", "agi-foundations", "alexandr-wang", Confidence.REPORTED),
    ("2025-08-01", "amir-frenkel", "agi-foundations", "alexandr-wang", Confidence.REPORTED),
    ("2025-07-01", "daniel-gross", "msl", None, Confidence.REPORTED),
    ("2025-12-30", "daniel-gross", "msl", None, Confidence.REPORTED),
    ("2026-01-31", "daniel-gross", "meta-compute", None, Confidence.CONFIRMED),
    ("2025-08-01", "shengjia-zhao", "msl", None, Confidence.CONFIRMED),
]


@pytest.mark.parametrize(("when", "pid", "unit", "manager", "confidence"), BEFORE_THE_MEMO)
def test_lines_into_wang_from_july_2025(
    tl: Timeline, when: str, pid: str, unit: str, manager: str | None, confidence: Confidence
) -> None:
    person = tl.at(when).people[pid]
    assert (person.unit, person.reports_to, person.confidence) == (unit, manager, confidence)


def test_lecun_line_cites_the_hans_india(tl: Timeline) -> None:
    assert "hansindia-2025-07-26-zhao" in tl.at("2025-07").people["yann-lecun"].sources


@pytest.mark.parametrize("when", ["2025-08-01", "2025-09", "2026-05-31"])
def test_zhao_line_stays_hedged_citing_both_sides(tl: Timeline, when: str) -> None:
    """Bloomberg and The Hans India: reports to Wang; BI on the memo: does not."""
    zhao = tl.at(when).people["shengjia-zhao"]
    assert zhao.reports_to is None
    assert {"bs-2025-07-26-zhao", "indiatoday-2025-08-21-memo"} <= set(zhao.sources)


def test_hayes_leaves_for_threads_by_mid_september_not_at_the_memo(tl: Timeline) -> None:
    """Axios: he takes up the Threads role by mid-September 2025."""
    hayes = tl.at("2025-09").people["connor-hayes"]
    assert (hayes.unit, hayes.reports_to) == ("msl", None)
    assert "axios-2025-07-17-hayes-threads" in hayes.sources


def test_tian_is_dropped_when_laid_off_and_the_note_says_so(tl: Timeline) -> None:
    """Laid off on 2025-10-22; his employment ended on 2025-11-21."""
    snap = tl.at("2025-10-22")
    assert "yuandong-tian" not in snap.people
    assert "2025-11-21" in (snap.note or "")
    assert "aitoearn-2025-10-24-tian" in snap.sources


def test_applied_ai_engineering_sits_under_the_cto(tl: Timeline) -> None:
    """The WSJ-based reports: it reports to CTO Bosworth; only NewsBytes says Reality Labs."""
    snap = tl.at("2026-03-03")
    aai = snap.units["applied-ai-engineering"]
    assert (aai.parent, aai.lead) == ("meta", "maher-saba")
    assert snap.people["andrew-bosworth"].unit == "meta"
    assert "rests on NewsBytes alone" in (aai.note or "")


@pytest.mark.parametrize(
    ("when", "source", "words"),
    [
        ("2024-01-18", "thehindu-2023-11-20-rai", "Responsible AI team"),
        ("2025-08-19", "republic-2025-08-21-freeze", "froze hiring"),
        ("2025-08-19", "newsdirectory3-2025-08-ft-reorg", "removed from direct"),
        ("2025-08-19", "getcoai-2025-08-ft-departures", "Loredana Crisan and Chaya Nayak"),
        ("2026-03-03", "observer-2026-02-26-pang", "Ruoming Pang"),
        ("2026-05-18", "cnbc-2026-05-20-layoffs", "began on 2026-05-20"),
    ],
)
def test_sourced_omissions_are_lines_in_the_notes(
    tl: Timeline, when: str, source: str, words: str
) -> None:
    """Events that change no unit or leader are told in the snapshot's note, with a source."""
    snap = tl.at(when)
    assert source in snap.sources
    assert words in " ".join((snap.note or "").split())
