"""The quick first import (orgdiff._hrfast) writes what the careful one writes.

``plan_import`` of one export into a new dataset goes the quick way when the
export's form allows. These tests hold it to the careful path
(``hrimport._plan_import(..., fast=False)``): same files, byte for byte, same
notes, same timeline; and where the careful path refuses an export, the quick
one gives way to it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import event, example, given

from orgdiff import _hrfast
from orgdiff.errors import OrgdiffError
from orgdiff.hrimport import Plan, _plan_import, plan_import
from tests import hrgen

DAY = dt.date(2024, 1, 31)


def careful(folder: Path, path: Path, **kwargs: object) -> Plan | OrgdiffError:
    try:
        return _plan_import(folder, [(str(path), DAY)], fast=False, **kwargs)  # type: ignore[arg-type]
    except OrgdiffError as exc:
        return exc


def quick(folder: Path, path: Path, **kwargs: object) -> Plan | None:
    name = kwargs.pop("name", None) or folder.name
    return _hrfast.plan_first(folder, str(path), DAY, ds_name=name, columns=kwargs.get("columns"))  # type: ignore[arg-type]


def assert_same(fast: Plan, slow: Plan | OrgdiffError) -> None:
    assert isinstance(slow, Plan), f"the quick path wrote what the careful one refuses: {slow}"
    assert list(fast.files) == list(slow.files)
    for path, text in slow.files.items():
        assert fast.files[path] == text, path.name
    assert fast.notes == slow.notes
    assert fast.timeline == slow.timeline


# --- exports as HR systems write them, and worse -----------------------------------

HOSTILE = st.one_of(
    st.text(alphabet="aZ09 '&-éÉ.,;\":#\t\n(/", max_size=6),
    st.sampled_from(
        ("x" * 80, "Yes", "123", " Padded ", "Padded ", "Two  Spaces", "", "Zoë", "R&D", "E000")
    ),
)


@st.composite
def exports(draw: st.DrawFn) -> tuple[bytes, dict[str, str]]:
    """An export's bytes and the column map it needs: people in departments,
    managers above them, in any of the forms read_csv reads; in some exports,
    one thing wrong or unusual: a cell blank or hostile, a manager anywhere
    (another branch, a cycle, oneself), a blank line."""
    n = draw(st.integers(1, 14))
    one_name = draw(st.booleans())
    with_title = draw(st.booleans())
    depts = draw(
        st.lists(
            st.sampled_from(("Executive", "Ops", "Team 1", "Sales")),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    rows = []
    for k in range(n):
        first = draw(st.sampled_from(hrgen.FIRST[:4]))
        last = draw(st.sampled_from(hrgen.LAST[:3]))
        boss = draw(st.one_of(st.none(), st.integers(0, k - 1))) if k else None
        title = draw(st.sampled_from(("Engineer", "Lead", "Head of Sales", "")))
        rows.append(
            [
                f"E{k:03d}",
                *([f"{first} {last}"] if one_name else [first, last]),
                *([title] if with_title else []),
                "" if boss is None else f"E{boss:03d}",
                draw(st.sampled_from(depts)),
                str(draw(st.integers(40_000, 250_000))),
            ]
        )
    odd = draw(st.sampled_from(("none", "cell", "cell", "cell", "manager", "blank line")))
    if odd == "cell":
        row = draw(st.sampled_from(rows))
        row[draw(st.integers(0, len(row) - 2))] = draw(HOSTILE)
    elif odd == "manager":
        row = draw(st.sampled_from(rows))
        row[-3] = f"E{draw(st.integers(0, n - 1)):03d}"
    worker = draw(st.booleans())  # an export whose id column must be mapped
    header = ["Worker" if worker else "Employee ID"]
    header += ["Name"] if one_name else ["First Name", "Last Name"]
    header += [*(["Job Title"] if with_title else []), "Manager ID", "Department", "Salary"]
    sep = draw(st.sampled_from((",", ";", "\t")))
    eol = draw(st.sampled_from(("\r\n", "\n")))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=sep, lineterminator=eol, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    body = out.getvalue()
    if odd == "blank line":
        body = body.replace(eol, eol + eol, 1)
    encoding = draw(st.sampled_from(("utf-8", "utf-8-sig", "cp1252")))
    try:
        data = body.encode(encoding)
    except UnicodeEncodeError:
        data = body.encode("utf-8")
    return data, {"Worker": "employee_id"} if worker else {}


@given(export=exports())
@example(export=(b"Employee ID,Name,Department\r\nE1,Ada Park,Ops\r\n", {}))
def test_the_quick_import_writes_what_the_careful_one_writes(
    export: tuple[bytes, dict[str, str]],
) -> None:
    """Invariant: wherever the quick path makes a plan, the careful path makes
    the same one (files byte for byte, notes, timeline); where the careful
    path refuses the export, the quick path has given way."""
    data, columns = export
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "2024-01.csv")
        path.write_bytes(data)
        folder = Path(tmp, "org")
        fast = quick(folder, path, columns=columns)
        event("quick" if fast is not None else "careful")
        if fast is not None:
            assert_same(fast, careful(folder, path, columns=columns))


@pytest.mark.parametrize(
    ("seed", "departments", "size"), [(0, 6, 40), (1, 12, 300), (2, 30, 2_000)]
)
@pytest.mark.parametrize("private", [True, False])
def test_made_up_companies_go_the_quick_way(
    tmp_path: Path, seed: int, departments: int, size: int, private: bool
) -> None:
    """The usual export (hrgen's companies, the tutorial's shape) is taken by
    the quick path, and it writes what the careful path writes."""
    people = hrgen.company(seed=seed, departments=departments, size=size, depth=3)
    path = tmp_path / "2024-01.csv"
    path.write_text(hrgen.to_csv(people, seed=seed, private=private), encoding="utf-8", newline="")
    fast = quick(tmp_path / "org", path)
    assert fast is not None
    assert_same(fast, careful(tmp_path / "org", path))
    assert plan_import(tmp_path / "org", [(str(path), DAY)]).files == fast.files


def test_the_benchmark_s_export_goes_the_quick_way(tmp_path: Path) -> None:
    from benchmarks.hrimport import rows, write

    path = tmp_path / "2024-01.csv"
    write(path, rows(3_000))
    fast = quick(tmp_path / "org", path, name="Bench")
    assert fast is not None
    assert_same(fast, careful(tmp_path / "org", path, name="Bench"))


H = "Employee ID,Name,Job Title,Manager ID,Department\r\n"

#: Exports the quick path takes, each with something it must write as the careful path does.
TAKEN = {
    "padded cells": H + "E1, Ada Park ,CEO,,Ops\r\nE2,Bo Lee,Engineer ,E1, Ops\r\n",
    "a padded first cell": H + " E1,Ada Park,CEO,,Ops\r\nE2,Bo Lee,CFO,,Finance\r\n",
    "a padded last cell": H + "E1,Ada Park,CEO,,Ops\r\nE2,Bo Lee,x,E1,Ops \r\n",
    "a padded line start": H + "E1,Ada Park,CEO,,Ops\r\n E2,Bo Lee,CFO,,Finance\r\n",
    "a padded line end": H + "E1,Ada Park,CEO,,Ops \r\nE2,Bo Lee,x,E1,Ops\r\n",
    "padded cells, quoted": '"Employee ID","Name","Department"\r\n" E1","Ada Park","Ops "\r\n',
    "no titles": H + "E1,Ada Park,,,Ops\r\nE2,Bo Lee,,E1,Ops\r\n",
    "titles YAML quotes": H + 'E1,Ada Park,R&D Lead,,Ops\r\nE2,Bo Lee,"VP, Sales",E1,Ops\r\n',
    "a long title": H + f"E1,Ada Park,{'Principal ' * 10}Engineer,,Ops\r\nE2,Bo Lee,x,E1,Ops\r\n",
    "a long name": H + f"E1,{'Ada ' * 30}Park,CEO,,Ops\r\n",
    "a long manager's id": H + f"E1,{'Ada ' * 20}Park,CEO,,Ops\r\nE2,Bo Lee,x,E1,Ops\r\n",
    "a long department": H
    + f"E1,Ada Park,CEO,,{'Long Names ' * 5}Ops\r\nE2,Bo Lee,Senior Engineer,E1,{'Long Names ' * 5}Ops\r\n",
    "employee ids YAML quotes": H + "E:1,Ada Park,CEO,,Ops\r\n#2,Bo Lee,x,E:1,Ops\r\n",
    "employee ids with a colon": H + "E1:,Ada Park,CEO,,Ops\r\nE2:,Bo Lee,x,E1:,Ops\r\n",
    "an employee id with a quote first": H + "'1,Ada Park,CEO,,Ops\r\nE2,Bo Lee,x,'1,Ops\r\n",
    "employee ids with a space": H + "E 1,Ada Park,CEO,,Ops\r\nE 2,Bo Lee,x,E 1,Ops\r\n",
    "an employee id with a mark first": H + "(1),Ada Park,CEO,,Ops\r\nE2,Bo Lee,x,(1),Ops\r\n",
    "letters beyond ASCII": H + "E1,Zoë Park,CEO,,Ops\r\nE2,Bo Lée,x,E1,Ops\r\n",
    "names alike": H + "E1,Ada Park,CEO,,Ops\r\nE2,Ada Park,x,E1,Ops\r\nE3,ada-park,x,E1,Ops\r\n",
    "names slugs drop": H + "E1,Zoë O'Neil,CEO,,Ops\r\nE2,!!!,x,E1,Ops\r\nE3,???,x,E1,Ops\r\n",
    "a manager in another branch": H
    + "E1,Ada Park,CEO,,Exec\r\nE2,Bo Lee,x,E1,Sales\r\nE3,Cy Ng,x,E1,Ops\r\n"
    + "E4,Di Oz,x,E2,Ops\r\nE5,Ed Yu,x,E3,Ops\r\nE6,Fa Wu,x,E2,Ops\r\n",
    "several tops": H + "E1,Ada Park,CEO,,Ops\r\nE2,Bo Lee,CFO,,Finance\r\n",
    "units YAML quotes": H
    + "E1,Ada Park,CEO,,R&D\r\nE2,Bo Lee,x,E1,R D\r\nE3,Cy Ng,x,E2,Ops: North\r\n",
    "an old Mac line break": H + "E1,Ada Park,CEO,,Ops\rE2,Bo Lee,x,E1,Ops\r\n",
    "semicolons, line feeds": "Employee ID;Name;Department\nE1;Ada Park;Ops\nE2;Bo Lee;Ops\n",
    "line feeds, no line break at the end": "Employee ID,Name,Department,Box XX\nXX1,Ada Park,Ops,x",
    # A blank first or last name: the name is the other one, with no space around it.
    "a blank last name": "Employee ID,First Name,Last Name,Department\r\n"
    "E1,Ada,,Ops\r\nE2,Bo,Lee,Ops\r\n",
    "a blank first name": "Employee ID,First Name,Last Name,Department\r\n"
    "E1,,Park,Ops\r\nE2,Bo,Lee,Ops\r\n",
}


@pytest.mark.parametrize("text", TAKEN.values(), ids=TAKEN.keys())
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_exports_the_quick_path_takes(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "2024-01.csv"
    path.write_bytes(text.encode(encoding))
    fast = quick(tmp_path / "org", path)
    assert fast is not None
    assert_same(fast, careful(tmp_path / "org", path))


#: Exports the quick path gives way on: the careful path refuses them, or
#: cleans a cell in a way the quick path does not.
GIVEN_WAY = {
    "ragged lines": "Employee ID,Name,Department\r\nE1,Ada Park,Ops,x\r\nE2,Bo\r\nE3,Cy Ng,Ops\r\n",
    "a blank line": H + "E1,Ada Park,CEO,,Ops\r\n\r\nE2,Bo Lee,x,E1,Ops\r\n",
    "a short line": H + "E1,Ada Park,CEO,,Ops\r\nE2,Bo Lee,x\r\n",
    "a quoted line break": H + 'E1,"Ada\r\nPark",CEO,,Ops\r\n',
    "a run of spaces": H + "E1,Ada  Park,CEO,,Ops\r\n",
    "a run of spaces, quoted": H + 'E1,"Ada  Park",CEO,,Ops\r\n',
    "a control character": H + "E1,Ada\x07Park,CEO,,Ops\r\n",
    "a NUL": H + "E1,Ada Park,CEO,,Ops\x00\r\n",
    "a manager cycle": H + "E1,Ada Park,CEO,E2,Ops\r\nE2,Bo Lee,x,E1,Ops\r\n",
    "one's own manager": H + "E1,Ada Park,CEO,E1,Ops\r\n",
    "an unknown manager": H + "E1,Ada Park,CEO,E9,Ops\r\n",
    "a duplicate id": H + "E1,Ada Park,CEO,,Ops\r\nE1,Bo Lee,x,,Ops\r\n",
    "no department": H + "E1,Ada Park,CEO,,\r\n",
    "no name": H + "E1,,CEO,,Ops\r\n",
    "no id": H + ",Ada Park,CEO,,Ops\r\n",
    "managers by email": "Employee ID,Name,Email,Manager Email,Department\r\n"
    "E1,Ada Park,a@x.org,,Ops\r\nE2,Bo Lee,b@x.org,a@x.org,Ops\r\n",
    "a header alone": H,
    "a carriage return in a cell": H + "E1,Ada\rPark,CEO,,Ops\r\n",
    "a line feed in a cell": H + "E1,Ada\nPark,CEO,,Ops\r\n",
    # csv.reader ends a row at a line feed even in a column the import does not read.
    "a line feed in a column not read": "Employee ID,Name,Department,Note\r\n"
    "E1,Ada Park,Ops,a\nb\r\n",
}


@pytest.mark.parametrize(
    ("name", "file"),
    [(" Padded", "2024-01.csv"), ("Tab\tbed", "2024-01.csv"), ("Org", "2024-01\u202e.csv")],
)
def test_a_name_the_dataset_cannot_hold_is_the_careful_path_s(
    tmp_path: Path, name: str, file: str
) -> None:
    """The dataset's name and the file's (in the event and the source's title)
    are texts validate checks: where it refuses them, the quick path gives way."""
    path = tmp_path / file
    path.write_text(TAKEN["padded cells"], encoding="utf-8", newline="")
    assert quick(tmp_path / "org", path, name=name) is None
    assert isinstance(careful(tmp_path / "org", path, name=name), OrgdiffError)


@pytest.mark.parametrize("text", GIVEN_WAY.values(), ids=GIVEN_WAY.keys())
def test_exports_the_quick_path_gives_way_on(tmp_path: Path, text: str) -> None:
    path = tmp_path / "2024-01.csv"
    path.write_bytes(text.encode("utf-8"))
    assert quick(tmp_path / "org", path) is None
    slow = careful(tmp_path / "org", path)
    if isinstance(slow, Plan):
        assert plan_import(tmp_path / "org", [(str(path), DAY)]).files == slow.files
    else:
        with pytest.raises(type(slow)) as raised:
            plan_import(tmp_path / "org", [(str(path), DAY)])
        assert str(raised.value) == str(slow)
