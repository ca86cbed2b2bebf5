"""Every named validation check, on one corruption each: the exact, sorted problem list.

Each case breaks one thing in a small valid snapshot (or dataset) and states
every problem :func:`orgdiff.validate` must report, no more and no fewer. A check
that is dropped, loosened or over-eager fails its rows; a row per message
variant pins each branch of a check. tests/MUTATION.md says which mutants these
rows were written to kill.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest

import orgdiff
from orgdiff import Identity, Person, Relation, Snapshot, Source, Timeline, Unit
from orgdiff.errors import Problem
from orgdiff.validate import SNAPSHOT_CHECKS, check_snapshot, registry_is_well_formed

DAY = dt.date(2024, 6, 3)
WHERE = "<snapshot 2024-06-03>"

# hq is the root, led by ada; lab and ops hang under it. ben (lab) and cyd (ops) report to ada.
BASE = Snapshot(
    date=DAY,
    event="Reorganisation",
    units={
        "hq": Unit(id="hq", name="Headquarters", lead="ada", sources=("memo",)),
        "lab": Unit(id="lab", name="Laboratory", parent="hq", lead="ben"),
        "ops": Unit(id="ops", name="Operations", parent="hq"),
    },
    people={
        "ada": Person(id="ada", unit="hq", title="Chief", sources=("memo",)),
        "ben": Person(id="ben", unit="lab", reports_to="ada"),
        "cyd": Person(id="cyd", unit="ops", reports_to="ada", note="Joined in May"),
    },
    relations=(Relation(kind="dotted-line", from_="cyd", to="lab", sources=("memo",)),),
    sources=("memo",),
)


def _person(pid: str, **changes: object) -> Callable[[Snapshot], Snapshot]:
    def corrupt(s: Snapshot) -> Snapshot:
        people = dict(s.people)
        people[pid] = attrs.evolve(people[pid], **changes)
        return attrs.evolve(s, people=people)

    return corrupt


def _unit(uid: str, **changes: object) -> Callable[[Snapshot], Snapshot]:
    def corrupt(s: Snapshot) -> Snapshot:
        units = dict(s.units)
        units[uid] = attrs.evolve(units[uid], **changes)
        return attrs.evolve(s, units=units)

    return corrupt


def _snap(**changes: object) -> Callable[[Snapshot], Snapshot]:
    return lambda s: attrs.evolve(s, **changes)


def _relation(**changes: object) -> Callable[[Snapshot], Snapshot]:
    return lambda s: attrs.evolve(s, relations=(attrs.evolve(s.relations[0], **changes),))


def _add_unit(unit: Unit) -> Callable[[Snapshot], Snapshot]:
    return lambda s: attrs.evolve(s, units={**s.units, unit.id: unit})


def _add_person(person: Person) -> Callable[[Snapshot], Snapshot]:
    return lambda s: attrs.evolve(s, people={**s.people, person.id: person})


ID_MESSAGE = "`{}` is not a valid id; ids are lowercase kebab-case, such as `ai-products`"

# (name, the check it exercises, corruption, [(path, message), ...] in sorted order)
SNAPSHOT_CASES: list[tuple[str, str, Callable[[Snapshot], Snapshot], list[tuple[str, str]]]] = [
    # ids_are_well_formed: the whole id must match, not a prefix of it.
    (
        "unit id with a space",
        "ids_are_well_formed",
        _add_unit(Unit(id="ok bad", name="X", parent="hq")),
        [("$.units['ok bad']", ID_MESSAGE.format("ok bad"))],
    ),
    (
        "unit id with an underscore",
        "ids_are_well_formed",
        _add_unit(Unit(id="ok_bad", name="X", parent="hq")),
        [("$.units.ok_bad", ID_MESSAGE.format("ok_bad"))],
    ),
    (
        "unit id ending in a dash",
        "ids_are_well_formed",
        _add_unit(Unit(id="ok-", name="X", parent="hq")),
        [("$.units.ok-", ID_MESSAGE.format("ok-"))],
    ),
    (
        "person id in capitals",
        "ids_are_well_formed",
        _add_person(Person(id="Dee", unit="ops")),
        [("$.people.Dee", ID_MESSAGE.format("Dee"))],
    ),
    (
        "relation kind with a space",
        "ids_are_well_formed",
        _relation(kind="dotted line"),
        [
            (
                "$.relations[0].kind",
                "relation kind `dotted line` is not a valid id; ids are lowercase kebab-case, such as `ai-products`",
            )
        ],
    ),
    # texts_are_clean: every text field, every kind of bad character.
    ("empty event", "texts_are_clean", _snap(event=""), [("$.event", "the event is empty")]),
    (
        "event with a leading space",
        "texts_are_clean",
        _snap(event=" Reorganisation"),
        [("$.event", "the event has leading or trailing spaces")],
    ),
    (
        "event with a trailing tab",
        "texts_are_clean",
        _snap(event="Reorganisation\t"),
        [("$.event", "the event contains a control character or noncharacter (U+0009)")],
    ),
    (
        "unit name with a newline",
        "texts_are_clean",
        _unit("lab", name="Lab\nWest"),
        [("$.units.lab.name", "a unit name must be one line")],
    ),
    (
        "unit name with a carriage return",
        "texts_are_clean",
        _unit("lab", name="Lab\rWest"),
        [("$.units.lab.name", "a unit name must be one line")],
    ),
    (
        "unit name with a line separator",
        "texts_are_clean",
        _unit("lab", name="Lab\u2028West"),
        [("$.units.lab.name", "a unit name must be one line")],
    ),
    (
        "unit name with a paragraph separator",
        "texts_are_clean",
        _unit("lab", name="Lab\u2029West"),
        [("$.units.lab.name", "a unit name must be one line")],
    ),
    (
        "unit name with a next-line control",
        "texts_are_clean",
        _unit("lab", name="Lab\x85West"),
        [("$.units.lab.name", "a unit name must be one line")],
    ),
    (
        "unit name with U+001F",
        "texts_are_clean",
        _unit("lab", name="Lab\x1fWest"),
        [("$.units.lab.name", "a unit name contains a control character or noncharacter (U+001F)")],
    ),
    (
        "unit name with DEL",
        "texts_are_clean",
        _unit("lab", name="Lab\x7f"),
        [("$.units.lab.name", "a unit name contains a control character or noncharacter (U+007F)")],
    ),
    (
        "unit name with U+009F",
        "texts_are_clean",
        _unit("lab", name="Lab\x9f"),
        [("$.units.lab.name", "a unit name contains a control character or noncharacter (U+009F)")],
    ),
    (
        "unit name with a lone surrogate",
        "texts_are_clean",
        _unit("lab", name="Lab\ud800"),
        [("$.units.lab.name", "a unit name contains a control character or noncharacter (U+D800)")],
    ),
    (
        "unit name with the last surrogate",
        "texts_are_clean",
        _unit("lab", name="Lab\udfff"),
        [("$.units.lab.name", "a unit name contains a control character or noncharacter (U+DFFF)")],
    ),
    (
        "unit name with U+FDD0",
        "texts_are_clean",
        _unit("lab", name="Lab\ufdd0"),
        [("$.units.lab.name", "a unit name contains a control character or noncharacter (U+FDD0)")],
    ),
    (
        "unit name with U+FDEF",
        "texts_are_clean",
        _unit("lab", name="Lab\ufdef"),
        [("$.units.lab.name", "a unit name contains a control character or noncharacter (U+FDEF)")],
    ),
    (
        "unit name with U+FFFE",
        "texts_are_clean",
        _unit("lab", name="Lab\ufffe"),
        [("$.units.lab.name", "a unit name contains a control character or noncharacter (U+FFFE)")],
    ),
    (
        "unit name with U+10FFFF",
        "texts_are_clean",
        _unit("lab", name="Lab\U0010ffff"),
        [
            (
                "$.units.lab.name",
                "a unit name contains a control character or noncharacter (U+10FFFF)",
            )
        ],
    ),
    (
        "unit name with U+202A",
        "texts_are_clean",
        _unit("lab", name="\u202aLab"),
        [("$.units.lab.name", "a unit name contains a bidirectional control character (U+202A)")],
    ),
    (
        "unit name with U+2069",
        "texts_are_clean",
        _unit("lab", name="Lab\u2069"),
        [("$.units.lab.name", "a unit name contains a bidirectional control character (U+2069)")],
    ),
    (
        "unit name with an X before U+202E",
        "texts_are_clean",
        _unit("lab", name="X Lab\u202e"),
        [("$.units.lab.name", "a unit name contains a bidirectional control character (U+202E)")],
    ),
    (
        "unit name with an X before U+2028",
        "texts_are_clean",
        _unit("lab", name="X Lab\u2028"),
        [("$.units.lab.name", "a unit name must be one line")],
    ),
    (
        "title with a trailing no-break space",
        "texts_are_clean",
        _person("ada", title="Chief\u00a0"),
        [("$.people.ada.title", "a title has leading or trailing spaces")],
    ),
    (
        "empty title",
        "texts_are_clean",
        _person("ada", title=""),
        [("$.people.ada.title", "a title is empty")],
    ),
    (
        "snapshot note with a carriage return",
        "texts_are_clean",
        _snap(note="one\r\ntwo"),
        [("$.note", "a note contains a line break other than a newline")],
    ),
    (
        "unit note with a leading space after a newline check",
        "texts_are_clean",
        _unit("ops", note=" one\ntwo"),
        [("$.units.ops.note", "a note has leading or trailing spaces")],
    ),
    (
        "person note with a bidirectional control",
        "texts_are_clean",
        _person("cyd", note="Joined\n\u202ein May"),
        [("$.people.cyd.note", "a note contains a bidirectional control character (U+202E)")],
    ),
    (
        "relation note that is empty",
        "texts_are_clean",
        _relation(note=""),
        [("$.relations[0].note", "a note is empty")],
    ),
    # one_root
    (
        "no units",
        "one_root",
        _snap(units={}, people={}, relations=()),
        [("$.units", "no units; a snapshot has exactly one root unit")],
    ),
    (
        "two roots",
        "one_root",
        _add_unit(Unit(id="new", name="New")),
        [("$.units.new", "`new` has no parent, but `hq` is already the root; give it a `parent`")],
    ),
    (
        "three roots",
        "one_root",
        lambda s: _add_unit(Unit(id="new", name="New"))(_add_unit(Unit(id="bis", name="Bis"))(s)),
        [
            (
                "$.units.bis",
                "`bis` has no parent, but `hq` is already the root; give it a `parent`",
            ),
            (
                "$.units.new",
                "`new` has no parent, but `hq` is already the root; give it a `parent`",
            ),
        ],
    ),
    # one_root and no_unit_cycle: the root moved under its own child.
    (
        "root under its child",
        "no_unit_cycle",
        _unit("hq", parent="lab"),
        [
            ("$.units", "no root unit: every unit has a parent"),
            ("$.units.hq.parent", "unit parents form a cycle: `hq` => `lab` => `hq`"),
        ],
    ),
    (
        "unit its own parent",
        "no_unit_cycle",
        _unit("ops", parent="ops"),
        [("$.units.ops.parent", "unit parents form a cycle: `ops` => `ops`")],
    ),
    # unit_parents_exist: a parent must be a unit, not a person.
    (
        "parent missing",
        "unit_parents_exist",
        _unit("ops", parent="zzz"),
        [("$.units.ops.parent", "unit `ops` has parent `zzz`, but there is no unit `zzz`")],
    ),
    (
        "parent naming a person",
        "unit_parents_exist",
        _unit("ops", parent="ada"),
        [("$.units.ops.parent", "unit `ops` has parent `ada`, but there is no unit `ada`")],
    ),
    (
        "parent misspelt",
        "unit_parents_exist",
        _unit("ops", parent="labb"),
        [
            (
                "$.units.ops.parent",
                "unit `ops` has parent `labb`, but there is no unit `labb`; did you mean `lab`?",
            )
        ],
    ),
    # units_of_people_exist: a person's unit must be a unit, not a person.
    (
        "person's unit naming a person",
        "units_of_people_exist",
        _person("cyd", unit="ben"),
        [("$.people.cyd.unit", "person `cyd` is in unit `ben`, but there is no unit `ben`")],
    ),
    # managers_exist: a manager must be a person, not a unit.
    (
        "manager naming a unit",
        "managers_exist",
        _person("cyd", reports_to="ops"),
        [
            (
                "$.people.cyd.reports_to",
                "person `cyd` reports to `ops`, but `ops` is not in the snapshot of 2024-06-03",
            )
        ],
    ),
    # no_reporting_cycle
    (
        "self report",
        "no_reporting_cycle",
        _person("cyd", reports_to="cyd"),
        [("$.people.cyd.reports_to", "`cyd` reports to themselves")],
    ),
    (
        "two people report to each other",
        "no_reporting_cycle",
        _person("ada", reports_to="ben"),
        [
            (
                "$.people.ada.reports_to",
                "person `ada` in `hq` reports to `ben` in `lab`, which is neither `hq` nor above it",
            ),
            ("$.people.ada.reports_to", "reporting lines form a cycle: `ada` => `ben` => `ada`"),
        ],
    ),
    # managers_in_branch
    (
        "manager in a sibling unit",
        "managers_in_branch",
        _person("cyd", reports_to="ben"),
        [
            (
                "$.people.cyd.reports_to",
                "person `cyd` in `ops` reports to `ben` in `lab`, which is neither `ops` nor above it",
            )
        ],
    ),
    # leads_in_branch
    (
        "lead missing",
        "leads_in_branch",
        _unit("ops", lead="zzz"),
        [
            (
                "$.units.ops.lead",
                "unit `ops` is led by `zzz`, but `zzz` is not in the snapshot of 2024-06-03",
            )
        ],
    ),
    (
        "lead naming a unit",
        "leads_in_branch",
        _unit("ops", lead="lab"),
        [
            (
                "$.units.ops.lead",
                "unit `ops` is led by `lab`, but `lab` is not in the snapshot of 2024-06-03",
            )
        ],
    ),
    (
        "lead outside the branch",
        "leads_in_branch",
        _unit("ops", lead="ben"),
        [
            (
                "$.units.ops.lead",
                "unit `ops` is led by `ben`, whose unit `lab` is neither `ops` nor above it",
            )
        ],
    ),
    (
        "the root led from below",
        "leads_in_branch",
        _unit("hq", lead="cyd"),
        [
            (
                "$.units.hq.lead",
                "unit `hq` is led by `cyd`, whose unit `ops` is neither `hq` nor above it",
            )
        ],
    ),
    # relations_connect
    (
        "relation from nowhere",
        "relations_connect",
        _relation(from_="zzz"),
        [("$.relations[0].from", "relation `dotted-line` from `zzz`: no unit or person `zzz`")],
    ),
    (
        "relation to nowhere",
        "relations_connect",
        _relation(to="zzz"),
        [("$.relations[0].to", "relation `dotted-line` to `zzz`: no unit or person `zzz`")],
    ),
    (
        "relation to itself",
        "relations_connect",
        _relation(to="cyd"),
        [("$.relations[0]", "relation `dotted-line` joins `cyd` to itself")],
    ),
]


@pytest.mark.parametrize(
    ("corrupt", "expected"),
    [(c[2], c[3]) for c in SNAPSHOT_CASES],
    ids=[c[0] for c in SNAPSHOT_CASES],
)
def test_each_corruption_gives_exactly_its_problems(
    corrupt: Callable[[Snapshot], Snapshot], expected: list[tuple[str, str]]
) -> None:
    """One corruption: exactly these problems, sorted, nothing else."""
    assert [Problem(WHERE, 0, 0, path, message) for path, message in expected] == orgdiff.validate(
        corrupt(BASE)
    )


def test_every_snapshot_check_has_a_case() -> None:
    """No named check goes without a corrupting case in the table."""
    assert {check.__name__ for check in SNAPSHOT_CHECKS} <= {c[1] for c in SNAPSHOT_CASES}


def test_the_base_is_valid() -> None:
    """The snapshot the cases corrupt has no problem of its own."""
    assert [] == orgdiff.validate(BASE)
    assert [] == orgdiff.validate(TIMELINE)


def test_problems_come_sorted() -> None:
    """validate() sorts what the checks yield in their own order."""
    # texts_are_clean runs before unit_parents_exist, yet `$.event` < `$.units...`
    # only by sorting: the checks below yield `$.units.ops...` first.
    broken = _unit("ops", parent="zzz", name="")(_snap(event="")(BASE))
    problems = orgdiff.validate(broken)
    assert sorted(problems) == problems
    assert [
        Problem(WHERE, 0, 0, "$.event", "the event is empty"),
        Problem(WHERE, 0, 0, "$.units.ops.name", "a unit name is empty"),
        Problem(
            WHERE,
            0,
            0,
            "$.units.ops.parent",
            "unit `ops` has parent `zzz`, but there is no unit `zzz`",
        ),
    ] == problems
    # Yielded last (leads_in_branch), sorted first.
    late = _unit("hq", lead="zzz")(_relation(to="zzz")(BASE))
    assert [
        Problem(
            WHERE,
            0,
            0,
            "$.relations[0].to",
            "relation `dotted-line` to `zzz`: no unit or person `zzz`",
        ),
        Problem(
            WHERE,
            0,
            0,
            "$.units.hq.lead",
            "unit `hq` is led by `zzz`, but `zzz` is not in the snapshot of 2024-06-03",
        ),
    ] == orgdiff.validate(late)


# --- the dataset's checks ---------------------------------------------------------------

SECOND = attrs.evolve(
    BASE,
    date=dt.date(2025, 1, 6),
    units={
        "hq": BASE.units["hq"],
        "lab": attrs.evolve(BASE.units["lab"], from_=("lab", "ops")),
    },
    people={"ada": BASE.people["ada"], "ben": BASE.people["ben"]},
    relations=(),
)
TIMELINE = Timeline(
    name="Example",
    description="A small dataset\nover two lines",
    sources={
        "memo": Source(key="memo", title="A memo", publisher="Acme", url="https://a.example/m")
    },
    people={
        "ada": Identity(id="ada", name="Ada", aliases=("A. P.",)),
        "ben": Identity(id="ben", name="Ben"),
        "cyd": Identity(id="cyd", name="Cyd"),
    },
    snapshots=(BASE, SECOND),
)
LATER = "<snapshot 2025-01-06>"


def _tl(**changes: object) -> Callable[[Timeline], Timeline]:
    return lambda t: attrs.evolve(t, **changes)


def _source(**changes: object) -> Callable[[Timeline], Timeline]:
    return lambda t: attrs.evolve(t, sources={"memo": attrs.evolve(t.sources["memo"], **changes)})


def _identity(pid: str, **changes: object) -> Callable[[Timeline], Timeline]:
    return lambda t: attrs.evolve(
        t, people={**t.people, pid: attrs.evolve(t.people[pid], **changes)}
    )


def _in_first(corrupt: Callable[[Snapshot], Snapshot]) -> Callable[[Timeline], Timeline]:
    return lambda t: attrs.evolve(t, snapshots=(corrupt(t.snapshots[0]), *t.snapshots[1:]))


def _in_second(corrupt: Callable[[Snapshot], Snapshot]) -> Callable[[Timeline], Timeline]:
    return lambda t: attrs.evolve(t, snapshots=(t.snapshots[0], corrupt(t.snapshots[1])))


NOT_WEB = "`{}` is not a web address (http:// or https://)"

DATASET_CASES: list[tuple[str, str, Callable[[Timeline], Timeline], list[tuple[str, str, str]]]] = [
    # registry_is_well_formed: every text of dataset.yaml, and the URL.
    (
        "dataset name with a trailing space",
        "registry_is_well_formed",
        _tl(name="Example "),
        [("<dataset>", "$.name", "the dataset name has leading or trailing spaces")],
    ),
    (
        "description with a carriage return",
        "registry_is_well_formed",
        _tl(description="A small\rdataset"),
        [
            (
                "<dataset>",
                "$.description",
                "the description contains a line break other than a newline",
            )
        ],
    ),
    (
        "source key with an underscore",
        "registry_is_well_formed",
        lambda t: attrs.evolve(
            t, sources={**t.sources, "a_memo": Source(key="a_memo", title="Another memo")}
        ),
        [("<dataset>", "$.sources.a_memo", ID_MESSAGE.format("a_memo"))],
    ),
    (
        "URL with a space",
        "registry_is_well_formed",
        _source(url="https://a.example/a memo"),
        [("<dataset>", "$.sources.memo.url", NOT_WEB.format("https://a.example/a memo"))],
    ),
    (
        "URL with no host",
        "registry_is_well_formed",
        _source(url="https:///memo"),
        [("<dataset>", "$.sources.memo.url", NOT_WEB.format("https:///memo"))],
    ),
    (
        "URL of another scheme",
        "registry_is_well_formed",
        _source(url="ftp://a.example/memo"),
        [("<dataset>", "$.sources.memo.url", NOT_WEB.format("ftp://a.example/memo"))],
    ),
    (
        "URL with an unclosed bracket",
        "registry_is_well_formed",
        _source(url="https://[a.example"),
        [("<dataset>", "$.sources.memo.url", NOT_WEB.format("https://[a.example"))],
    ),
    (
        "source title that is empty",
        "registry_is_well_formed",
        _source(title=""),
        [("<dataset>", "$.sources.memo.title", "a title is empty")],
    ),
    (
        "publisher on two lines",
        "registry_is_well_formed",
        _source(publisher="Acme\nInc"),
        [("<dataset>", "$.sources.memo.publisher", "a publisher must be one line")],
    ),
    (
        "source note with a control character",
        "registry_is_well_formed",
        _source(note="seen\x00"),
        [
            (
                "<dataset>",
                "$.sources.memo.note",
                "a note contains a control character or noncharacter (U+0000)",
            )
        ],
    ),
    (
        "person name with a leading space",
        "registry_is_well_formed",
        _identity("ben", name=" Ben"),
        [("<dataset>", "$.people.ben.name", "a name has leading or trailing spaces")],
    ),
    (
        "alias with a bidirectional control",
        "registry_is_well_formed",
        _identity("ada", aliases=("A. P.", "\u2066Ada")),
        [
            (
                "<dataset>",
                "$.people.ada.aliases[1]",
                "an alias contains a bidirectional control character (U+2066)",
            )
        ],
    ),
    (
        "registered id in capitals",
        "registry_is_well_formed",
        lambda t: attrs.evolve(t, people={**t.people, "Zed": Identity(id="Zed", name="Zed")}),
        [("<dataset>", "$.people.Zed", ID_MESSAGE.format("Zed"))],
    ),
    # dates_increase
    (
        "a repeated date",
        "dates_increase",
        _in_second(_snap(date=DAY)),
        [
            (
                WHERE,
                "$.date",
                "snapshot date 2024-06-03 repeats the previous snapshot's 2024-06-03",
            )
        ],
    ),
    (
        "a date going back",
        "dates_increase",
        _in_second(_snap(date=dt.date(2024, 6, 2))),
        [
            (
                "<snapshot 2024-06-02>",
                "$.date",
                "snapshot date 2024-06-02 comes before the previous snapshot's 2024-06-03",
            )
        ],
    ),
    # sources_exist: the snapshot's, a unit's, a person's and a relation's citations.
    (
        "unknown source of the snapshot",
        "sources_exist",
        _in_first(_snap(sources=("memo", "zzz"))),
        [(WHERE, "$.sources[1]", "source `zzz` is not in dataset.yaml")],
    ),
    (
        "unknown source of a unit",
        "sources_exist",
        _in_first(_unit("lab", sources=("zzz",))),
        [(WHERE, "$.units.lab.sources[0]", "source `zzz` is not in dataset.yaml")],
    ),
    (
        "unknown source of a person",
        "sources_exist",
        _in_first(_person("ben", sources=("mem",))),
        [
            (
                WHERE,
                "$.people.ben.sources[0]",
                "source `mem` is not in dataset.yaml; did you mean `memo`?",
            )
        ],
    ),
    (
        "unknown source of a relation",
        "sources_exist",
        _in_first(_relation(sources=("memo", "zzz"))),
        [(WHERE, "$.relations[0].sources[1]", "source `zzz` is not in dataset.yaml")],
    ),
    # people_registered
    (
        "person not in the registry",
        "people_registered",
        _in_second(_add_person(Person(id="dee", unit="lab"))),
        [(LATER, "$.people.dee", "person `dee` is not in the people of dataset.yaml")],
    ),
    # lineage_exists
    (
        "lineage in the first snapshot",
        "lineage_exists",
        _in_first(_unit("ops", from_=("lab",))),
        [
            (
                WHERE,
                "$.units.ops.from[0]",
                "unit `ops` comes from `lab`, but this is the first snapshot",
            )
        ],
    ),
    (
        "lineage from a unit that was not there",
        "lineage_exists",
        _in_second(_unit("lab", from_=("lab", "opps"))),
        [
            (
                LATER,
                "$.units.lab.from[1]",
                "unit `lab` comes from `opps`, but there is no unit `opps` in the snapshot of 2024-06-03; did you mean `ops`?",
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("corrupt", "expected"),
    [(c[2], c[3]) for c in DATASET_CASES],
    ids=[c[0] for c in DATASET_CASES],
)
def test_each_dataset_corruption_gives_exactly_its_problems(
    corrupt: Callable[[Timeline], Timeline], expected: list[tuple[str, str, str]]
) -> None:
    """One corruption of the dataset: exactly these problems, sorted, nothing else."""
    assert [
        Problem(file, 0, 0, path, message) for file, path, message in expected
    ] == orgdiff.validate(corrupt(TIMELINE))


def test_every_dataset_check_has_a_case() -> None:
    """The dataset's checks each have a corrupting case too."""
    assert {
        registry_is_well_formed.__name__,
        "dates_increase",
        "sources_exist",
        "people_registered",
        "lineage_exists",
    } == {c[1] for c in DATASET_CASES}


def test_a_web_address_without_a_url_is_fine() -> None:
    """A source may have no URL at all; http:// is as good as https://."""
    tl = _source(url=None)(TIMELINE)
    assert [] == orgdiff.validate(tl)
    assert [] == orgdiff.validate(_source(url="http://a.example")(TIMELINE))


@pytest.mark.parametrize(
    "note",
    [
        pytest.param("first\n\ufdf0 second", id="U+FDF0, just past the noncharacters"),
        pytest.param("first\n\ufdcf second", id="U+FDCF, just before them"),
        pytest.param("first\n\ufffd second", id="U+FFFD, the replacement character"),
        pytest.param("first\n\u202f second", id="a narrow no-break space inside"),
    ],
)
def test_characters_next_to_the_refused_ones_are_fine(note: str) -> None:
    """A line break makes the check look at every character: those just outside the
    refused ranges pass."""
    assert [] == orgdiff.validate(_unit("ops", note=note)(BASE))


def test_check_snapshot_runs_the_dataset_checks_it_is_given() -> None:
    """``check_snapshot``'s keyword arguments each add their check: cited sources exist,
    people are registered, ``from`` names a unit of ``previous``; ``first=True`` refuses
    any ``from``. Without them, only the snapshot's own checks run."""
    snap = _unit("lab", from_=("gone",))(BASE)
    memo = "source `memo` is not in dataset.yaml"
    unregistered = "person `{}` is not in the people of dataset.yaml"
    assert [
        (("sources", 0), memo),
        (("units", "hq", "sources", 0), memo),
        (("people", "ada", "sources", 0), memo),
        (("relations", 0, "sources", 0), memo),
        (("people", "ada"), unregistered.format("ada")),
        (("people", "ben"), unregistered.format("ben")),
        (("people", "cyd"), unregistered.format("cyd")),
        (
            ("units", "lab", "from", 0),
            "unit `lab` comes from `gone`, but there is no unit `gone` in the snapshot of 2024-06-03",
        ),
    ] == [(f.path, f.message) for f in check_snapshot(snap, sources={}, registry={}, previous=BASE)]
    assert [
        (
            ("units", "lab", "from", 0),
            "unit `lab` comes from `gone`, but this is the first snapshot",
        )
    ] == [(f.path, f.message) for f in check_snapshot(snap, first=True)]
    assert [] == list(check_snapshot(snap))
