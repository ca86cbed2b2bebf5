"""Hazards of reading a dataset from disk: encodings, odd files, limits, discovery."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

import orgdiff
from orgdiff.errors import OrgDataError, OrgdiffError
from orgdiff.load import default_dataset, default_is_bundled

load_module = importlib.import_module("orgdiff.load")  # `orgdiff.load` is the function
yamlread = importlib.import_module("orgdiff.yamlread")

BASE = Path(__file__).parent / "data" / "invalid" / "base"
EXAMPLE = Path(__file__).parent / "data" / "example"
SNAPSHOT = Path("snapshots") / "2020-01-01.yaml"

posix_only = pytest.mark.skipif(os.name != "posix", reason="needs POSIX files")


def problems(path: str | Path = "org") -> list[str]:
    """What loading ``path`` reports, one string per problem; fails if it loads.
    Also checks :class:`Problem`'s rule that a problem with no line has no column."""
    with pytest.raises(OrgDataError) as info:
        orgdiff.load(path)
    assert [] == [p for p in info.value.problems if p.line == 0 and p.column != 0]
    return [str(p) for p in info.value.problems]


# --- encodings and line endings ------------------------------------------------------


def test_byte_order_mark_is_accepted(org: Path) -> None:
    """A UTF-8 byte-order mark at the start of a file is skipped, as editors on Windows write it."""
    for path in (org / SNAPSHOT, org / "dataset.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    tl = orgdiff.load("org")
    assert tl.name == "Base Org"
    assert dt.date(2020, 1, 1) == tl.snapshots[-1].date


def test_crlf_line_endings_are_accepted(org: Path) -> None:
    """Files with CRLF line endings load to the same timeline as with LF."""
    before = orgdiff.load("org")
    for path in (org / SNAPSHOT, org / "dataset.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    after = orgdiff.load("org")
    assert before.snapshots == after.snapshots
    assert before.people == after.people
    assert after.sources["memo"].title == "The founding memo"


def test_crlf_problems_are_located_as_with_lf(org: Path) -> None:
    """With CRLF line endings a problem is reported at the same line and column."""
    path = org / SNAPSHOT
    path.write_text(
        path.read_text().replace("title: Chief", "titel: Chief"), encoding="utf-8", newline="\r\n"
    )
    found = problems()
    path.write_text(path.read_text(), encoding="utf-8", newline="\n")
    assert found == problems()
    assert found[0].startswith(os.path.join("org", "snapshots", "2020-01-01.yaml") + ":19:5: ")


# --- files that are not plain files --------------------------------------------------


@posix_only
def test_fifo_is_refused_without_hanging(org: Path) -> None:
    """A FIFO named like a snapshot is refused as not a regular file; loading does not block on it."""
    os.mkfifo(org / "snapshots" / "2021-01-01.yaml")
    found: list[list[str]] = []
    worker = threading.Thread(target=lambda: found.append(problems()), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "loading blocked on a FIFO"
    fifo = os.path.join("org", "snapshots", "2021-01-01.yaml")
    assert [[f"{fifo}: $: not a regular file"]] == found


@posix_only
def test_fifo_as_dataset_file_is_refused(org: Path) -> None:
    """A FIFO in place of dataset.yaml is refused too, not opened."""
    (org / "dataset.yaml").unlink()
    os.mkfifo(org / "dataset.yaml")
    assert [os.path.join("org", "dataset.yaml") + ": $: not a regular file"] == problems()


@posix_only
def test_symlinked_snapshot_is_refused(org: Path) -> None:
    """A snapshot that is a symbolic link is refused, even when it points at a valid file;
    the snapshots after it are still read."""
    (org / "snapshots" / "2019-06-01.yaml").symlink_to(org / SNAPSHOT)
    (org / SNAPSHOT).write_text(
        (org / SNAPSHOT).read_text(encoding="utf-8").replace("event: ", "event: \u00a0"),
        encoding="utf-8",
    )
    link = os.path.join("org", "snapshots", "2019-06-01.yaml")
    after = os.path.join("org", SNAPSHOT)
    assert [
        f"{link}: $: a symbolic link; snapshot files must be regular files",
        f"{after}:2:8: $.event: the event has leading or trailing spaces",
    ] == problems()


def test_folder_named_like_a_snapshot_is_refused(org: Path) -> None:
    """A folder named YYYY-MM-DD.yaml is not read as a snapshot."""
    (org / "snapshots" / "2021-01-01.yaml").mkdir()
    folder = os.path.join("org", "snapshots", "2021-01-01.yaml")
    assert [f"{folder}: $: not a regular file"] == problems()


# --- missing pieces --------------------------------------------------------------------


def test_missing_dataset_file(org: Path) -> None:
    """A folder without dataset.yaml is reported as such, not with a traceback."""
    (org / "dataset.yaml").unlink()
    found = problems()
    assert len(found) == 1
    assert found[0].startswith(os.path.join("org", "dataset.yaml") + ": $: cannot read: ")


def test_missing_snapshots_folder(org: Path) -> None:
    """A dataset without snapshots/ is reported at that folder."""
    shutil.rmtree(org / "snapshots")
    assert [os.path.join("org", "snapshots") + ": $: no snapshots folder"] == problems()


def test_empty_snapshots_folder(org: Path) -> None:
    """A dataset with no snapshot at all is an error: there is nothing to show."""
    for path in (org / "snapshots").iterdir():
        path.unlink()
    assert [os.path.join("org", "snapshots") + ": $: no snapshots"] == problems()


def test_missing_folder(org: Path) -> None:
    """A path that is not a folder is reported as `no such dataset folder`."""
    assert problems("nowhere") == ["nowhere: $: no such dataset folder"]


# --- limits ------------------------------------------------------------------------------


def test_oversized_file_is_refused(org: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over MAX_BYTES is refused by its size, before it is read."""
    size = (org / SNAPSHOT).stat().st_size
    limit = max(p.stat().st_size for p in (org / "dataset.yaml", org / "snapshots/2019-01-01.yaml"))
    assert size > limit
    monkeypatch.setattr(yamlread, "MAX_BYTES", limit)
    snapshot = os.path.join("org", "snapshots", "2020-01-01.yaml")
    assert [f"{snapshot}: $: file is {size} bytes, over the limit of {limit}"] == problems()


def test_file_just_under_the_limit_is_read(org: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of exactly MAX_BYTES is read."""
    sizes = [p.stat().st_size for p in (org / "dataset.yaml", *(org / "snapshots").iterdir())]
    monkeypatch.setattr(yamlread, "MAX_BYTES", max(sizes))
    assert len(orgdiff.load("org")) == 2


# --- scalars ------------------------------------------------------------------------------


def test_scalars_are_read_as_text(org: Path) -> None:
    """`NO`, `010`, dates, `null` and `~` stay the text written: YAML 1.1 typing does not apply."""
    path = org / SNAPSHOT
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: Base Org", "name: NO")
    text = text.replace("name: Engineering", "name: 2025-09-01")
    text = text.replace("name: Research", "name: ~")
    text = text.replace("title: Chief Executive", "title: 010")
    text = text.replace("title: VP Engineering", "title: null")
    text = text.replace("title: Head of Research", "title: 1e3")
    text = text.replace("title: Engineer", "title: yes")
    path.write_text(text, encoding="utf-8")
    snap = orgdiff.load("org").at("2020-01-01")
    assert [u.name for u in snap.units.values()] == ["NO", "2025-09-01", "~"]
    assert [p.title for p in snap.people.values()] == ["010", "null", "1e3", "yes"]


def test_numbers_are_not_ids(org: Path) -> None:
    """A reference written as a number is text like any other: `reports_to: 3` names person `3`."""
    path = org / SNAPSHOT
    path.write_text(
        path.read_text(encoding="utf-8").replace("reports_to: bo-chen", "reports_to: 3"),
        encoding="utf-8",
    )
    found = problems()
    assert len(found) == 1
    assert (
        "person `di-ito` reports to `3`, but `3` is not in the snapshot of 2020-01-01" in found[0]
    )


# --- where the dataset is -----------------------------------------------------------------


def test_load_accepts_the_dataset_file_itself(org: Path) -> None:
    """`load()` of a path to dataset.yaml loads the folder it is in."""
    assert orgdiff.load("org") == orgdiff.load(org / "dataset.yaml")
    assert orgdiff.load(Path("org") / "dataset.yaml").name == "Base Org"


def test_load_of_a_file_other_than_the_dataset_file_is_no_dataset_folder(org: Path) -> None:
    snapshot = os.path.join("org", SNAPSHOT)
    assert [f"{snapshot}: $: no such dataset folder"] == problems(snapshot)


def test_a_dataset_outside_the_current_folder_is_named_by_its_full_path(
    org: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problems name files as the user would type them: relative inside the
    current folder, the full path outside it (not a climb of ``..``)."""
    (org / "snapshots" / "notes.txt").write_text("x\n", encoding="utf-8")
    (org.parent / "elsewhere").mkdir()
    monkeypatch.chdir(org.parent / "elsewhere")
    rule = "snapshot files are named YYYY-MM-DD.yaml"
    assert [f"{org / 'snapshots' / 'notes.txt'}: $: unexpected file; {rule}"] == problems(org)


def test_load_keeps_the_description_and_gives_each_snapshot_the_registry(org: Path) -> None:
    tl = orgdiff.load("org")
    assert "A made-up organisation for the bad-input tests." == tl.description
    assert ["ana-ruiz", "bo-chen", "cy-diaz", "di-ito"] == sorted(tl.people)
    assert [dict(tl.people)] * 2 == [dict(s.identities) for s in tl.snapshots]


def test_a_dataset_file_problem_gets_no_hint_from_a_name_in_other_case(org: Path) -> None:
    """The case hint is for a missing ``dataset.yaml``, not one with a problem."""
    (org / "Dataset.yaml").write_text("name: Other\n", encoding="utf-8")
    ds = org / "dataset.yaml"
    ds.write_text(ds.read_text(encoding="utf-8").replace("name: Base Org", "name: [B]"), "utf-8")
    shown = os.path.join("org", "dataset.yaml")
    assert [f"{shown}:3:7: $.name: expected text, got a list"] == problems()


def test_the_first_snapshot_may_not_come_from_units(org: Path) -> None:
    first = org / "snapshots" / "2019-01-01.yaml"
    first.write_text(
        first.read_text(encoding="utf-8").replace("lead: bo-chen}", "lead: bo-chen, from: [old]}"),
        encoding="utf-8",
    )
    shown = os.path.join("org", "snapshots", "2019-01-01.yaml")
    assert [
        f"{shown}:6:63: $.units.eng.from[0]: unit `eng` comes from `old`, but this is the first "
        "snapshot"
    ] == problems()


def test_load_accepts_path_objects_and_strings(org: Path) -> None:
    """`load()` takes a `str` or any `os.PathLike`, relative or absolute."""
    assert orgdiff.load("org") == orgdiff.load(org) == orgdiff.load(str(org))


def _dataset(folder: Path) -> Path:
    shutil.copytree(BASE, folder)
    return folder


def test_default_dataset_is_the_one_under_orgs(tmp_path: Path) -> None:
    """With exactly one dataset under ./orgs, that one is used; other entries are ignored."""
    only = _dataset(tmp_path / "orgs" / "acme")
    (tmp_path / "orgs" / "notes").mkdir()
    (tmp_path / "orgs" / "README.md").write_text("notes\n", encoding="utf-8")
    assert only == default_dataset(tmp_path)


def test_default_dataset_refuses_to_guess(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With several datasets under ./orgs it is an error that names them all."""
    monkeypatch.chdir(tmp_path)
    _dataset(tmp_path / "orgs" / "beta")
    _dataset(tmp_path / "orgs" / "alpha")
    with pytest.raises(OrgdiffError) as info:
        default_dataset(tmp_path)
    names = ", ".join(os.path.join("orgs", n) for n in ("alpha", "beta"))
    assert f"several datasets under ./orgs ({names}); pick one with --org PATH" == str(info.value)
    assert not isinstance(info.value, OrgDataError)


def test_default_dataset_says_what_is_missing_under_orgs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each way ./orgs can hold no usable dataset is an error that says which.
    Hidden folders (``.git``, a backup) are neither counted nor named."""
    monkeypatch.chdir(tmp_path)
    orgs = tmp_path / "orgs"

    def error() -> str:
        with pytest.raises(OrgdiffError) as info:
            default_dataset(tmp_path)
        return str(info.value)

    orgs.write_text("not a folder\n", encoding="utf-8")
    assert "./orgs is not a folder; pass --org PATH" == error()
    orgs.unlink()
    (orgs / "beta").mkdir(parents=True)
    (orgs / "alpha").mkdir()
    _dataset(orgs / ".backup")
    alpha, beta = os.path.join("orgs", "alpha"), os.path.join("orgs", "beta")
    assert (
        f"{alpha}, {beta}: no dataset.yaml yet, so no dataset under ./orgs; "
        "add one (see the data format), or pass --org PATH"
    ) == error()
    shutil.copyfile(BASE / "dataset.yaml", orgs / "alpha" / "dataset.yaml")
    (orgs / "alpha" / "snapshots").mkdir()
    (orgs / "alpha" / "snapshots" / "notes.txt").write_text("later\n", encoding="utf-8")
    assert (
        f"{alpha} has no snapshots yet: add {os.path.join(alpha, 'snapshots', 'YYYY-MM-DD.yaml')}"
    ) == error()
    shutil.copyfile(BASE / SNAPSHOT, orgs / "alpha" / SNAPSHOT)
    assert orgs / "alpha" == default_dataset(tmp_path)


def test_default_dataset_falls_back_to_the_bundled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no ./orgs the bundled dataset is used, when this installation has
    one; an empty ./orgs is a dataset not begun, not a reason to fall back."""
    monkeypatch.setattr(load_module, "bundled_dataset", lambda: EXAMPLE)
    assert default_dataset(tmp_path) == EXAMPLE
    assert default_is_bundled(tmp_path)
    (tmp_path / "orgs").mkdir()
    assert not default_is_bundled(tmp_path)
    with pytest.raises(OrgdiffError) as info:
        default_dataset(tmp_path)
    assert str(info.value) == (
        "./orgs holds no dataset: add orgs/NAME/dataset.yaml, or pass --org PATH"
    )


def test_no_dataset_anywhere_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no ./orgs and no bundled dataset the error says how to name one."""
    monkeypatch.setattr(load_module, "bundled_dataset", lambda: None)
    with pytest.raises(OrgdiffError) as info:
        default_dataset(tmp_path)
    assert (
        str(info.value)
        == "no dataset found: pass --org PATH, or run in a folder with orgs/NAME/dataset.yaml"
    )


def test_load_without_a_path_uses_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`load()` with no argument loads the dataset under ./orgs of the current folder."""
    monkeypatch.chdir(tmp_path)
    _dataset(tmp_path / "orgs" / "base")
    assert orgdiff.load().name == "Base Org"


# --- one snapshot from text, and the bundled dataset ----------------------------------------


def test_parse_snapshot_reads_one_snapshot_from_text() -> None:
    text = "date: 2024-01-01\nevent: E\nunits:\n  org: {name: Org}\n"
    assert orgdiff.parse_snapshot(text) == orgdiff.Snapshot(
        date=dt.date(2024, 1, 1), event="E", units={"org": orgdiff.Unit(id="org", name="Org")}
    )


def test_parse_snapshot_locates_the_problems_of_its_text() -> None:
    """A problem of shape, or of the snapshot's own checks (a bad id is placed at
    its key), is located in the text under the name given, ``<string>`` by default."""
    with pytest.raises(OrgDataError) as info:
        orgdiff.parse_snapshot("date: 2024-01-01\nevent: [E]\nunits:\n  org: {name: Org}\n")
    assert ["<string>:2:8: $.event: expected text, got a list"] == [
        str(p) for p in info.value.problems
    ]
    text = (
        "date: 2024-01-01\nevent: E\nunits:\n  org: {name: Org}\n"
        "  Bad_Id: {name: X, parent: org}\n  lab:\n    name: Lab\n    parent: nowhere\n"
        "people:\n  Bo_B: {unit: org}\n"
    )
    with pytest.raises(OrgDataError) as info:
        orgdiff.parse_snapshot(text, file="s.yaml")
    assert [
        "s.yaml:5:3: $.units.Bad_Id: `Bad_Id` is not a valid id; ids are lowercase kebab-case, "
        "such as `ai-products`",
        "s.yaml:8:13: $.units.lab.parent: unit `lab` has parent `nowhere`, but there is no unit "
        "`nowhere`",
        "s.yaml:10:3: $.people.Bo_B: `Bo_B` is not a valid id; ids are lowercase kebab-case, "
        "such as `ai-products`",
    ] == [str(p) for p in info.value.problems]


def test_the_bundled_dataset_is_found_in_a_wheel_or_in_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bundled_dataset`` looks in the package's ``_data/meta-ai`` (an installed
    wheel), then in ``orgs/meta-ai`` beside the package (a checkout); a folder
    there without ``dataset.yaml`` does not count. The package is moved to
    ``tmp_path/pkg`` by pointing the module's ``__file__`` there."""
    package = tmp_path / "pkg"
    package.mkdir()
    monkeypatch.setattr(load_module, "__file__", str(package / "load.py"))
    wheel, checkout = package / "_data" / "meta-ai", tmp_path / "orgs" / "meta-ai"
    wheel.mkdir(parents=True)
    checkout.mkdir(parents=True)
    assert None is load_module.bundled_dataset()
    (checkout / "dataset.yaml").write_text("name: M\n", encoding="utf-8")
    assert checkout == load_module.bundled_dataset()
    (wheel / "dataset.yaml").write_text("name: M\n", encoding="utf-8")
    assert wheel == load_module.bundled_dataset()


# --- many problems ---------------------------------------------------------------------------


def test_problems_of_every_file_are_reported_together_sorted(org: Path) -> None:
    """Problems in dataset.yaml and in several snapshots all come in one error, sorted by place."""
    ds = org / "dataset.yaml"
    ds.write_text(
        ds.read_text(encoding="utf-8").replace("https://example.com/press", "example.com/press"),
        encoding="utf-8",
    )
    first = org / "snapshots" / "2019-01-01.yaml"
    first.write_text(
        first.read_text(encoding="utf-8").replace("reports_to: ana-ruiz", "reports_to: ana-ruis"),
        encoding="utf-8",
    )
    second = org / SNAPSHOT
    second.write_text(
        second.read_text(encoding="utf-8")
        .replace("    unit: research\n", "    unit: reserch\n")
        .replace("title: Chief", "titel: Chief"),
        encoding="utf-8",
    )
    with pytest.raises(OrgDataError) as info:
        orgdiff.load("org")
    err = info.value
    files = [os.path.relpath(p.file, "org").replace(os.sep, "/") for p in err.problems]
    assert files == [
        "dataset.yaml",
        "snapshots/2019-01-01.yaml",
        "snapshots/2020-01-01.yaml",
    ]
    assert sorted(err.problems) == err.problems
    assert (
        err.problems[0].line,
        err.problems[0].column,
        err.problems[0].path,
    ) == (14, 10, "$.sources.press.url")
    assert err.problems[1].path == "$.people.bo-chen.reports_to"
    assert err.problems[2].path == "$.people.ana-ruiz.titel"
    assert str(err).endswith("\n3 problems found")


def test_a_bad_key_is_located_at_the_key_not_at_its_value(org: Path) -> None:
    """A problem with a key itself (an id that is not one, a person missing from the
    registry) points at the key's line and column; its value starts a line below."""
    ds = org / "dataset.yaml"
    ds.write_text(
        ds.read_text(encoding="utf-8")
        .replace("  press:\n", "  Press_x:\n")
        .replace("  di-ito:\n    name: Di Ito\n", "  Di_Ito:\n    name: Di Ito\n"),
        encoding="utf-8",
    )
    second = org / SNAPSHOT
    second.write_text(
        second.read_text(encoding="utf-8")
        .replace("    sources: [press]\n", "")
        .replace("  di-ito:\n    title: Engineer\n", "  ed-ng:\n    title: Engineer\n")
        .replace("from: di-ito", "from: ed-ng"),
        encoding="utf-8",
    )
    dataset = os.path.join("org", "dataset.yaml")
    snapshot = os.path.join("org", "snapshots", "2020-01-01.yaml")
    bad_id = "is not a valid id; ids are lowercase kebab-case, such as `ai-products`"
    assert problems() == [
        f"{dataset}:11:3: $.sources.Press_x: `Press_x` {bad_id}",
        f"{dataset}:24:3: $.people.Di_Ito: `Di_Ito` {bad_id}",
        f"{snapshot}:29:3: $.people.ed-ng: person `ed-ng` is not in the people of dataset.yaml",
    ]


def test_snapshot_after_a_broken_one_is_still_checked(org: Path) -> None:
    """A snapshot that cannot be read does not hide the problems of the ones after it."""
    first = org / "snapshots" / "2019-01-01.yaml"
    first.write_text("date: [\n", encoding="utf-8")
    second = org / SNAPSHOT
    second.write_text(
        second.read_text(encoding="utf-8").replace("lead: cy-diaz", "lead: cy-dias"),
        encoding="utf-8",
    )
    found = problems()
    assert len(found) == 2
    assert found[0].startswith(os.path.join("org", "snapshots", "2019-01-01.yaml") + ":2:1: ")
    assert "invalid YAML" in found[0]
    assert "$.units.research.lead" in found[1]
    # `from: [eng]` names a unit of the unreadable snapshot: not reported as missing.
    assert not any("comes from" in f for f in found)


def test_only_the_snapshot_right_after_a_broken_one_has_its_lineage_unchecked(org: Path) -> None:
    """2019 cannot be read, so 2020's ``from`` is not checked; 2021's is, against 2020."""
    (org / "snapshots" / "2019-01-01.yaml").write_text("date: [\n", encoding="utf-8")
    later = (org / SNAPSHOT).read_text(encoding="utf-8")
    later = later.replace("2020-01-01", "2021-01-01").replace("from: [eng]", "from: [lab]")
    (org / "snapshots" / "2021-01-01.yaml").write_text(later, encoding="utf-8")
    snapshots = os.path.join("org", "snapshots")
    assert [
        f"{snapshots}{os.sep}2019-01-01.yaml:2:1: $: invalid YAML: did not find expected node "
        "content",
        f"{snapshots}{os.sep}2021-01-01.yaml:16:12: $.units.research.from[0]: unit `research` "
        "comes from `lab`, but there is no unit `lab` in the snapshot of 2020-01-01",
    ] == problems()


def test_the_lineage_of_a_snapshot_after_a_broken_one_is_not_checked(org: Path) -> None:
    """2020 cannot be read: 2021's ``from`` may name its units, so it is not
    checked against 2019 (which has no `lab`)."""
    later = (org / SNAPSHOT).read_text(encoding="utf-8")
    later = later.replace("2020-01-01", "2021-01-01").replace("from: [eng]", "from: [lab]")
    (org / "snapshots" / "2021-01-01.yaml").write_text(later, encoding="utf-8")
    (org / SNAPSHOT).write_text("date: [\n", encoding="utf-8")
    shown = os.path.join("org", SNAPSHOT)
    assert [f"{shown}:2:1: $: invalid YAML: did not find expected node content"] == problems()


def test_loading_does_not_leave_the_garbage_collector_off(org: Path) -> None:
    """Loading pauses the collector while it works and turns it back on, also after an error."""
    import gc

    assert gc.isenabled()
    orgdiff.load("org")
    assert gc.isenabled()
    (org / "dataset.yaml").write_text("name: [", encoding="utf-8")
    with contextlib.suppress(OrgDataError):
        orgdiff.load("org")
    assert gc.isenabled()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_reported(org: Path) -> None:
    """A snapshot the user may not read is reported, not a traceback."""
    (org / SNAPSHOT).chmod(0)
    try:
        found = problems()
    finally:
        (org / SNAPSHOT).chmod(0o644)
    snapshot = os.path.join("org", "snapshots", "2020-01-01.yaml")
    assert [f"{snapshot}: $: cannot read: Permission denied"] == found
