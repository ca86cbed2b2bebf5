"""Fuzzing the loader: any input loads, or fails with located problems.

Whatever bytes a snapshot file or ``dataset.yaml`` holds, :func:`orgdiff.load`
either returns a timeline or raises :class:`~orgdiff.OrgDataError` whose
problems name the file, a line and a path; never another exception, never a
crash of libyaml's C parser, never a hang. The inputs are arbitrary bytes,
valid files with YAML's known hazards spliced in, and a table of the hazards
themselves (alias bombs, merge keys, deep nesting, huge scalars, bad
encodings, byte-order marks, control and bidi characters, NFC/NFD twins).

The loader reads a file the fast way (models straight from libyaml's events)
and falls back to the careful way (plain data, then cattrs) at the first thing
it does not expect; the tests here also check that whenever the fast way
accepts a file, the careful way accepts it too and builds the same models.

Each property has an explicit example budget, so that the whole file runs in
about half a minute under the ``ci`` profile. For a long run, raise
``ORGDIFF_FUZZ_EXAMPLES`` (examples per property), or fuzz with atheris,
from the valid files as seeds: ``mkdir /tmp/corpus && uv run --group fuzz
python tests/test_fuzz.py /tmp/corpus -max_total_time=600``.
"""

from __future__ import annotations

import codecs
import importlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from strategies import snapshots, timelines

import orgdiff
from orgdiff import OrgDataError, Problem, Timeline
from orgdiff.dump import dump

load_module = importlib.import_module("orgdiff.load")  # `orgdiff.load` is the function
yamlread = importlib.import_module("orgdiff.yamlread")

BASE = Path(__file__).parent / "data" / "invalid" / "base"
SNAPSHOT = Path("snapshots") / "2020-01-01.yaml"
DATASET = Path("dataset.yaml")
BASE_SNAPSHOT = (BASE / SNAPSHOT).read_bytes()
BASE_DATASET = (BASE / DATASET).read_bytes()
# The base with co-leads for Engineering, the list form of `lead`.
CO_LED_SNAPSHOT = BASE_SNAPSHOT.replace(b"    lead: bo-chen\n", b"    lead: [bo-chen, di-ito]\n")

_SCALE = int(os.environ.get("ORGDIFF_FUZZ_EXAMPLES", "0"))


def budget(examples: int) -> settings:
    """``examples`` per property (or ``ORGDIFF_FUZZ_EXAMPLES``), whatever the profile."""
    return settings(
        max_examples=_SCALE or examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the small valid dataset, shared by the examples of a property."""
    path = tmp_path_factory.mktemp("fuzz") / "org"
    shutil.copytree(BASE, path)
    yield path


def load_with(folder: Path, name: Path, raw: bytes) -> Timeline | list[Problem]:
    """Load ``folder`` with ``raw`` as its file ``name``: the timeline, or the problems.

    Fails the test on any exception other than OrgDataError, and on a problem
    without a line and column in a file of the dataset. A changed snapshot has
    its problems in itself; a changed dataset.yaml may make the snapshots'
    citations wrong too.
    """
    (folder / SNAPSHOT).write_bytes(BASE_SNAPSHOT)
    (folder / DATASET).write_bytes(BASE_DATASET)
    (folder / name).write_bytes(raw)
    try:
        return orgdiff.load(folder)
    except OrgDataError as exc:
        assert exc.problems
        files = {str(folder / name)}
        if name == DATASET:
            files.update(str(p) for p in (folder / "snapshots").iterdir())
        for problem in exc.problems:
            assert problem.file in files, str(problem)
            assert problem.line >= 1 and problem.column >= 1, str(problem)
            assert problem.path.startswith("$"), str(problem)
            assert problem.message, str(problem)
        return exc.problems


# --- arbitrary bytes -------------------------------------------------------------------


@budget(500)
@given(st.binary(max_size=1500))
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"\x00")
@example(b"&a [*a]")
@example(b"%YAML 1.1\n---\na: 1\n")
def test_arbitrary_bytes_as_a_snapshot(folder: Path, raw: bytes) -> None:
    """Any bytes in a snapshot file load or fail with problems located in that file."""
    load_with(folder, SNAPSHOT, raw)


@budget(300)
@given(st.binary(max_size=1500))
def test_arbitrary_bytes_as_the_dataset_file(folder: Path, raw: bytes) -> None:
    """Any bytes in dataset.yaml load or fail with located problems."""
    load_with(folder, DATASET, raw)


# --- valid files with hazards spliced in -----------------------------------------------

# Fragments that YAML parsers have stumbled on, or that the format forbids.
HAZARDS = [
    "&a ",
    "*a",
    "&a [*a, *a]",
    "<<: ",
    "<<: *a\n",
    "!!str ",
    "!!python/object/apply:os.system ",
    "!<tag:yaml.org,2002:str> ",
    "? ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    ": ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG !e! tag:example.com,2000:\n",
    "'",
    '"',
    "|\n",
    ">-\n",
    "#",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "    ",
    "\x00",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ud7ff",
    "\ue000",
    "\U0001f600",
    "\uffff",
    "caf\u00e9",
    "cafe\u0301",
    "\u212a",
    "\u00c5",
    "\u212b",
    "~",
    "null",
    "0x1F",
    "1e400",
    "9" * 400,
    "[" * 40,
    "{a: " * 20,
    "- " * 30,
    "x" * 2000,
    "id: x\n",
    "from: [",
    "lead: [",
    "lead: []\n",
    "lead: [bo-chen, bo-chen]\n",
    "lead:\n  - - x\n",
    "unit: ",
    "reports_to: ",
    "confidence: rumoured\n",
    "date: 2020-02-30\n",
]

ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "shift_jis"]


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with one to four edits: a hazard spliced in, bytes cut, lines
    repeated or dropped, indentation changed, a byte flipped, or re-encoded."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(
            st.sampled_from(
                ["splice", "splice", "splice", "cut", "repeat", "drop", "indent", "flip", "encode"]
            )
        )
        lines = bytes(data).split(b"\n")
        if op == "splice":
            at = draw(st.integers(0, len(data)))
            hazard = draw(st.sampled_from(HAZARDS)).encode("utf-8", "surrogatepass")
            data[at:at] = hazard
        elif op == "cut":
            at = draw(st.integers(0, len(data)))
            data[at : at + draw(st.integers(1, 40))] = b""
        elif op in ("repeat", "drop", "indent"):
            i = draw(st.integers(0, max(0, len(lines) - 1)))
            if op == "repeat":
                lines.insert(i, lines[i])
            elif op == "drop":
                del lines[i]
            else:
                lines[i] = b" " * draw(st.sampled_from([1, 2, 4, 8])) + lines[i]
            data = bytearray(b"\n".join(lines))
        elif op == "flip" and data:
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "encode":
            text = bytes(data).decode("utf-8", "replace")
            data = bytearray(text.encode(draw(st.sampled_from(ENCODINGS)), "replace"))
    return bytes(data)


@budget(600)
@given(mutated(BASE_SNAPSHOT))
def test_mutated_snapshot(folder: Path, raw: bytes) -> None:
    """A valid snapshot with hazards spliced in loads or fails with located problems."""
    load_with(folder, SNAPSHOT, raw)


@budget(300)
@given(mutated(BASE_DATASET))
def test_mutated_dataset_file(folder: Path, raw: bytes) -> None:
    """A valid dataset.yaml with hazards spliced in loads or fails with located problems."""
    load_with(folder, DATASET, raw)


# --- the fast way and the careful way agree --------------------------------------------


def read_both_ways(raw: bytes, *, dataset: bool = False) -> tuple[object, object, Problem | None]:
    """(fast, careful, first problem): what each way of reading builds from ``raw``.

    ``fast`` is None where the fast way gave up; ``careful`` is None where the
    careful way found a problem. The fast way may raise nothing but its own
    signal to give up.
    """
    fast: object = None
    clean = yamlread.clean_utf8(raw)
    if clean is not None:
        builder = load_module._Builder()
        try:
            fast = builder.dataset(clean) if dataset else builder.snapshot(clean, None)
        except load_module._Fallback:
            fast = None
    doc = yamlread.read_bytes(raw, "<fuzz>")
    if dataset:
        careful: object = load_module.structure_dataset(doc)
    else:
        careful = load_module.structure_snapshot(doc)
    return fast, careful, (doc.problems[0] if doc.problems else None)


def agree(raw: bytes, *, dataset: bool = False) -> object:
    """Whatever the fast way accepts, the careful way accepts and builds alike."""
    fast, careful, problem = read_both_ways(raw, dataset=dataset)
    if fast is not None:
        assert problem is None, f"the fast way accepted what the careful way refuses: {problem}"
        assert careful == fast
    return fast


@budget(150)
@given(snapshots())
def test_both_ways_build_the_same_generated_snapshot(snap: orgdiff.Snapshot) -> None:
    """A snapshot as dump() writes it is read the fast way, to what the careful way builds."""
    raw = dump(snap).encode("utf-8")
    assert agree(raw) is not None


@budget(100)
@given(timelines())
def test_both_ways_build_the_same_generated_dataset_file(tl: Timeline) -> None:
    """dataset.yaml as dump() writes it is read the fast way, to what the careful way builds."""
    raw = dump(tl).encode("utf-8")
    assert agree(raw, dataset=True) is not None


# Values that keep a file's shape, by the kind of key they replace the value of:
# most are what the fast way reads, some sit on the edge of what it accepts.
RESHAPE_TEXTS = [
    "x",
    "Chief Scientist",
    "'quoted: text'",
    '"double \\"quoted\\""',
    "caf\u00e9 \u6768\u7acb\u6606",
    "~",
    "null",
    "yes",
    "010",
    "org",
    "ana-ruiz",
    "<<",
]
RESHAPE_LISTS = ["[]", "[memo]", "[memo, press]", "[press, memo]", "[eng]", "[陈波, Bo]"]
RESHAPE_CONFIDENCES = ["confirmed", "reported", "rumoured", "Reported"]
RESHAPE_DATES = ["2020-01-01", "2019-06-30", "2020-02-30"]
_RESHAPE_BY_KEY = {
    "sources": RESHAPE_LISTS,
    "from": RESHAPE_LISTS,
    "aliases": RESHAPE_LISTS,
    "confidence": RESHAPE_CONFIDENCES,
    "date": RESHAPE_DATES,
}
# Keys the base files use, and a few more.
RESHAPE_KEYS = ["title", "note", "parent", "lead", "reports_to", "publisher", "identities", "Name"]


@st.composite
def reshaped(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with one to three edits that keep its shape: mostly a value replaced
    by one of its kind, sometimes a key renamed, a line dropped or repeated. Unlike
    :func:`mutated`, most results are files the fast way reads, so the agreement
    below is checked, not skipped."""
    lines = base.decode("utf-8").split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        key, sep, rest = lines[i].partition(": ")
        name = key.strip().lstrip("- ")
        op = draw(st.sampled_from(["value"] * 12 + ["key", "drop", "repeat"]))
        if op == "value" and sep and not name.startswith("#"):
            pool = _RESHAPE_BY_KEY.get(name, RESHAPE_TEXTS)
            lines[i] = f"{key}: {draw(st.sampled_from(pool))}"
        elif op == "key" and sep and not name.startswith("#"):
            lines[i] = f"{key[: len(key) - len(name)]}{draw(st.sampled_from(RESHAPE_KEYS))}: {rest}"
        elif op == "drop" and len(lines) > 1:
            del lines[i]
        elif op == "repeat":
            lines.insert(i, lines[i])
    return "\n".join(lines).encode("utf-8")


def reshaped_or_mutated(base: bytes) -> st.SearchStrategy[bytes]:
    """Five files in six :func:`reshaped`, the rest :func:`mutated`
    (``one_of`` would draw each half the time)."""
    return st.sampled_from(["reshaped"] * 5 + ["mutated"]).flatmap(
        lambda how: reshaped(base) if how == "reshaped" else mutated(base)
    )


def _reached(fast: object) -> None:
    event("the fast way built it: compared" if fast is not None else "the fast way gave up")


@budget(600)
@given(reshaped_or_mutated(BASE_SNAPSHOT))
def test_both_ways_agree_on_mutated_snapshots(raw: bytes) -> None:
    """On a mangled snapshot the fast way gives up or builds what the careful way builds.
    Five files in six keep their shape, so most reach the comparison."""
    _reached(agree(raw))


@budget(300)
@given(reshaped_or_mutated(CO_LED_SNAPSHOT))
def test_both_ways_agree_on_mutated_co_leads(raw: bytes) -> None:
    """On a mangled snapshot with co-leads (`lead: [a, b]`) the fast way gives up or
    builds what the careful way builds. Five files in six keep their shape (with
    :func:`mutated` alone, 17 examples in 200 reached the comparison)."""
    _reached(agree(raw))


@pytest.mark.parametrize(
    ("base", "dataset"),
    [(BASE_SNAPSHOT, False), (CO_LED_SNAPSHOT, False), (BASE_DATASET, True)],
    ids=["snapshot", "co-leads", "dataset"],
)
def test_most_fuzzed_files_reach_the_comparison(base: bytes, dataset: bool) -> None:
    """The agreement properties above pass trivially on a file the fast way gives up
    on: at least half of the files their strategy draws must be read the fast way,
    so that the comparison is made (about 58% are, in 100 examples in a fixed order)."""
    reached: list[bool] = []

    @settings(
        max_examples=100,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(reshaped_or_mutated(base))
    def draw(raw: bytes) -> None:
        reached.append(agree(raw, dataset=dataset) is not None)

    draw()
    assert (100, True) == (len(reached), 2 * sum(reached) >= len(reached)), sum(reached)


def test_the_co_led_base_reads_the_fast_way() -> None:
    """The seed of the property above is valid and read the fast way, so its
    mutations exercise the fast way's reading of a list of leads."""
    snap = agree(CO_LED_SNAPSHOT)
    assert isinstance(snap, orgdiff.Snapshot)
    assert ("bo-chen", "di-ito") == snap.units["eng"].leads


@budget(400)
@given(reshaped_or_mutated(BASE_DATASET))
def test_both_ways_agree_on_mutated_dataset_files(raw: bytes) -> None:
    """On a mangled dataset.yaml the fast way gives up or builds what the careful way builds."""
    _reached(agree(raw, dataset=True))


def test_unchanged_entities_are_shared_between_snapshots() -> None:
    """A person or unit that did not change is the same object in consecutive snapshots."""
    tl = orgdiff.load(BASE)
    before, after = tl.snapshots
    assert before.people["ana-ruiz"] is after.people["ana-ruiz"]
    assert before.units["org"] is after.units["org"]
    assert before.people["bo-chen"] == after.people["bo-chen"]


# --- YAML's known hazards, one by one --------------------------------------------------

LAUGHS = "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" if i else "l0: &l0 lol\n" for i in range(10)
)

# name: (bytes of the snapshot file, a message that must be among the problems)
HAZARD_CASES: dict[str, tuple[bytes, str]] = {
    "billion-laughs": (
        f"date: 2020-01-01\n{LAUGHS}".encode(),
        "$.l0: anchors (`&l0`) are not allowed; write the value out",
    ),
    "recursive-alias": (
        b"date: 2020-01-01\nunits: &u {org: *u}\n",
        "$.units: anchors (`&u`) are not allowed; write the value out",
    ),
    "merge-key": (
        BASE_SNAPSHOT.replace(b"  bo-chen:\n", b"  bo-chen:\n    <<: {unit: org}\n", 1),
        "$.people.bo-chen['<<']: merge keys (`<<`) are not allowed; write the keys out",
    ),
    "deep-flow-sequences": (
        b"date: 2020-01-01\nnote: " + b"[" * 200_000 + b"]" * 200_000 + b"\n",
        "nested deeper than 16 levels",
    ),
    "deep-flow-mappings": (
        b"date: 2020-01-01\nnote: " + b"{a: " * 100_000 + b"}" * 100_000 + b"\n",
        "nested deeper than 16 levels",
    ),
    "deep-block-mappings": (
        b"date: 2020-01-01\nnote:\n"
        + b"".join(b"  " * i + b"k%d:\n" % i for i in range(1, 3000))
        + b"  " * 3000
        + b"end\n",
        "nested deeper than 16 levels",
    ),
    "deep-block-sequences": (
        b"date: 2020-01-01\nnote:\n" + b"- " * 5000 + b"x\n",
        "nested deeper than 16 levels",
    ),
    "huge-integer-as-an-id": (
        BASE_SNAPSHOT.replace(b"unit: org\n", b"unit: 1" + b"0" * 100_000 + b"\n", 1),
        "but there is no unit `1000",
    ),
    "huge-float": (
        BASE_SNAPSHOT.replace(b"title: Engineer", b"title: 1e99999999999999999999", 1),
        "",  # text, not a number: it loads
    ),
    "utf-16": (
        codecs.BOM_UTF16_LE + BASE_SNAPSHOT.decode().encode("utf-16-le"),
        "not UTF-8: byte 0xff cannot be decoded",
    ),
    "latin-1": (
        BASE_SNAPSHOT.replace(b"Engineer", "Ingénieur".encode("latin-1"), 1),
        "not UTF-8: byte 0xe9 cannot be decoded",
    ),
    "overlong-utf-8": (
        BASE_SNAPSHOT.replace(b"Engineer", b"Engineer \xc0\xaf", 1),
        "not UTF-8: byte 0xc0 cannot be decoded",
    ),
    "utf-8-encoded-surrogate": (
        BASE_SNAPSHOT.replace(b"Engineer", b"Engineer \xed\xa0\x80", 1),
        "not UTF-8: byte 0xed cannot be decoded",
    ),
    "byte-order-mark-inside": (
        BASE_SNAPSHOT.replace(b"Engineer", "Engi\ufeffneer".encode(), 1),
        "a byte-order mark (U+FEFF) inside the file",
    ),
    "nul-byte": (
        BASE_SNAPSHOT.replace(b"Engineer", b"Engi\x00neer", 1),
        "a control character (U+0000)",
    ),
    "escape-sequence": (
        BASE_SNAPSHOT.replace(b"Engineer", b"\x1b[2JEngineer", 1),
        "a control character (U+001B)",
    ),
    "next-line-c1": (
        BASE_SNAPSHOT.replace(b"Engineer", "Engi\x85neer".encode(), 1),
        "a control character (U+0085)",
    ),
    "bidi-override-in-an-id": (
        BASE_SNAPSHOT.replace(b"  di-ito:\n", "  di-\u202eoti:\n".encode(), 1),
        "a bidirectional control character (U+202E)",
    ),
    "bidi-isolate-in-an-id": (
        BASE_SNAPSHOT.replace(b"  di-ito:\n", "  di-\u2067ito:\n".encode(), 1),
        "a bidirectional control character (U+2067)",
    ),
    "zero-width-space-in-an-id": (
        BASE_SNAPSHOT.replace(b"reports_to: bo-chen", "reports_to: bo\u200b-chen".encode(), 1),
        "reports to `bo\u200b-chen`, but `bo\u200b-chen` is not in the snapshot of 2020-01-01",
    ),
    "nfc-nfd-duplicate-ids": (
        BASE_SNAPSHOT.replace(
            b"  di-ito:\n",
            "  jos\u00e9:\n    unit: eng\n  jose\u0301:\n    unit: eng\n  di-ito:\n".encode(),
            1,
        ),
        "$.people['jose\u0301']: duplicate key `jose\u0301`: written 'jose\\u0301', it is the same "
        "text as `jos\u00e9`, written 'jos\\xe9', once Unicode-normalised (NFC); "
        "the first is on line 29",
    ),
    "angstrom-sign-twin": (
        BASE_SNAPSHOT.replace(
            b"units:\n", "units:\n  \u00c5:\n    name: A\n  \u212b:\n    name: B\n".encode(), 1
        ),
        "duplicate key `\u212b`: written '\\u212b', it is the same text as `\u00c5`",
    ),
    "python-tag": (
        BASE_SNAPSHOT.replace(b"title: Engineer", b"title: !!python/object/apply:os.system [ls]"),
        "tags (`!!python/object/apply:os.system`) are not allowed",
    ),
    "second-document": (BASE_SNAPSHOT + b"---\ndate: 2021-01-01\n", "a second YAML document"),
    "yaml-directive": (b"%YAML 1.1\n---\n" + BASE_SNAPSHOT, "%YAML directives are not allowed"),
    "long-simple-key": (
        BASE_SNAPSHOT.replace(b"  di-ito:\n", b"  " + b"k" * 2000 + b":\n", 1),
        "invalid YAML: could not find expected ':'",
    ),
}


@pytest.mark.parametrize("name", sorted(HAZARD_CASES))
def test_known_hazard(folder: Path, name: str) -> None:
    """Each of YAML's known hazards is refused with its own located problem."""
    raw, expected = HAZARD_CASES[name]
    got = load_with(folder, SNAPSHOT, raw)
    if not expected:
        assert isinstance(got, Timeline)
        return
    assert isinstance(got, list)
    messages = [f"{p.path}: {p.message}" for p in got]
    assert any(expected in m for m in messages), messages


# name: (bytes of dataset.yaml, a message that must be among the problems)
DATASET_HAZARD_CASES: dict[str, tuple[bytes, str]] = {
    "unclosed-ipv6-bracket-in-a-url": (
        BASE_DATASET.replace(b"https://example.com/memo", b"https://[example.com/memo", 1),
        "$.sources.memo.url: `https://[example.com/memo` is not a web address",
    ),
    "javascript-url": (
        BASE_DATASET.replace(b"https://example.com/memo", b"javascript:alert(1)", 1),
        "$.sources.memo.url: `javascript:alert(1)` is not a web address",
    ),
    "alias-in-aliases": (
        BASE_DATASET.replace(b"aliases: [\xe9\x99\x88\xe6\xb3\xa2]", b"aliases: *a", 1),
        "$.people.bo-chen.aliases: aliases (`*a`) are not allowed; write the value out",
    ),
    "nfc-nfd-duplicate-person": (
        BASE_DATASET + "  zo\u00eb:\n    name: A\n  zoe\u0308:\n    name: B\n".encode(),
        "duplicate key `zoe\u0308`: written 'zoe\\u0308', it is the same text as `zo\u00eb`",
    ),
    "huge-source-date": (
        BASE_DATASET.replace(b"date: 2019-01-01", b"date: 9" + b"9" * 5000 + b"-01-01", 1),
        "$.sources.memo.date: ",
    ),
}


@pytest.mark.parametrize("name", sorted(DATASET_HAZARD_CASES))
def test_known_hazard_in_the_dataset_file(folder: Path, name: str) -> None:
    """Hazards in dataset.yaml are refused with their own located problem."""
    raw, expected = DATASET_HAZARD_CASES[name]
    got = load_with(folder, DATASET, raw)
    assert isinstance(got, list)
    messages = [f"{p.path}: {p.message}" for p in got]
    assert any(expected in m for m in messages), messages


def test_huge_scalar_loads(folder: Path) -> None:
    """A four-megabyte title is text like any other: it loads whole.

    (How long it takes is the benchmarks' business, not a test's.)"""
    title = "Engineer " * 500_000
    raw = BASE_SNAPSHOT.replace(b"title: Engineer", f"title: {title.strip()}".encode(), 1)
    got = load_with(folder, SNAPSHOT, raw)
    assert isinstance(got, Timeline)
    assert title.strip() == got.snapshots[-1].people["di-ito"].title


def _atheris() -> None:  # pragma: no cover - a long fuzzing run, by hand
    """Coverage-guided fuzzing of both files with atheris, until stopped.

    An input's first byte picks the file (``d``: dataset.yaml, else the
    snapshot) and the rest is its content. Given an empty folder as the corpus,
    it is seeded with the valid files, so that mutations start from the real
    shape of a dataset rather than from nothing.
    """
    import tempfile

    import atheris

    folders = [Path(a) for a in sys.argv[1:] if not a.startswith("-")]
    for corpus in folders:
        if corpus.is_dir() and not any(corpus.iterdir()):
            (corpus / "seed-snapshot").write_bytes(b"s" + BASE_SNAPSHOT)
            (corpus / "seed-dataset").write_bytes(b"d" + BASE_DATASET)

    atheris.instrument_all()
    org = Path(tempfile.mkdtemp(prefix="orgdiff-fuzz-")) / "org"
    shutil.copytree(BASE, org)

    def one_input(data: bytes) -> None:
        name = DATASET if data[:1] == b"d" else SNAPSHOT
        raw = data[1:]
        load_with(org, name, raw)
        agree(raw, dataset=name == DATASET)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    # uv run --group fuzz python tests/test_fuzz.py [CORPUS_FOLDER] -max_total_time=600
    _atheris()
