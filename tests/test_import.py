"""`orgdiff import`: HR exports in, a valid dataset out; bad exports located, nothing written."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import hrgen
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from orgdiff import load
from orgdiff.cli import cli
from orgdiff.dump import dump
from orgdiff.formats.csv import ExportError, read_csv, write_csv
from orgdiff.hrimport import date_of, exports_in, plan_import, slug
from orgdiff.model import Identity, Person, Relation, Snapshot, Unit
from orgdiff.show import snapshot_json

TESTS = Path(__file__).parent
HR = TESTS / "data" / "hr"
ROOT = TESTS.parent


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def run_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m orgdiff ARGS` as a real process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "orgdiff", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


HEAD = "Employee ID,Name,Title,Manager ID,Department\n"

# (case, CSV text, the lines on standard error)
BAD = [
    (
        "duplicate-id",
        HEAD + "1,Ada Park,CEO,,Exec\n2,Ben Okafor,CTO,1,Exec\n2,Cai Lin,Eng,1,Exec\n",
        ["F.csv:4: Employee ID: duplicate employee id (first on row 3)"],
    ),
    (
        "missing-manager",
        HEAD + "1,Ada Park,CEO,,Exec\n2,Ben Okafor,CTO,9,Exec\n",
        ["F.csv:3: Manager ID: manager not in this export"],
    ),
    (
        "cycle",
        HEAD + "1,Ada Park,CEO,,Exec\n2,Ben Okafor,CTO,3,Exec\n3,Cai Lin,Eng,2,Exec\n",
        ["F.csv:3: Manager ID: manager cycle: rows 3 → 4 → 3"],
    ),
    (
        "cycle-ids-out-of-row-order",
        HEAD + "1,Ada Park,CEO,,Exec\n3,Ben Okafor,CTO,2,Exec\n2,Cai Lin,Eng,3,Exec\n",
        ["F.csv:3: Manager ID: manager cycle: rows 3 → 4 → 3"],
    ),
    (
        "own-manager",
        HEAD + "1,Ada Park,CEO,1,Exec\n",
        ["F.csv:2: Manager ID: employee is their own manager"],
    ),
    (
        "no-department",
        HEAD + "1,Ada Park,CEO,,Exec\n2,Ben Okafor,CTO,1,  \n",
        ["F.csv:3: Department: no department"],
    ),
    (
        "blank-name",
        HEAD + "1,Ada Park,CEO,,Exec\n2,,CTO,1,Exec\n",
        ["F.csv:3: Name: blank name"],
    ),
    (
        "blank-id",
        HEAD + "1,Ada Park,CEO,,Exec\n,Ben Okafor,CTO,1,Exec\n",
        ["F.csv:3: Employee ID: blank employee id"],
    ),
    (
        "several",
        HEAD + "1,Ada Park,CEO,,Exec\n1,,CTO,7,\n",
        [
            "F.csv:3: Department: no department",
            "F.csv:3: Employee ID: duplicate employee id (first on row 2)",
            "F.csv:3: Name: blank name",
        ],
    ),
    (
        "no-department-column",
        "Employee ID,Name,Title\n1,Ada Park,CEO\n",
        [
            "F.csv:1: (header): no column for department (looked for department, "
            "department name, dept...; map one with --map COLUMN=department)"
        ],
    ),
    (
        "parent-differs",
        "Employee ID,Name,Manager ID,Department,Parent Department\n"
        "1,Ada Park,,Exec,\n2,Ben Okafor,1,Eng,Exec\n3,Cai Lin,2,Eng,Ops\n",
        [
            "F.csv:4: Parent Department: parent department differs from row 3's, of the same department"
        ],
    ),
    (
        "control-character",
        HEAD + "1,Ada\u202ePark,CEO,,Exec\n2,Ben Okafor,CTO\x07,1,Exec\n",
        [
            "F.csv:2: Name: the name contains a bidirectional control character (U+202E)",
            "F.csv:3: Title: the title contains a control character or noncharacter (U+0007)",
        ],
    ),
    (
        "department-cycle",
        "Employee ID,Name,Manager ID,Department,Parent Department\n"
        "1,Ada Park,,Eng,Ops\n2,Ben Okafor,1,Ops,Sales\n3,Cai Lin,2,Sales,Eng\n"
        "4,Dee Moss,3,Lab,Eng\n",
        [
            "F.csv: Department: departments form a cycle: Eng → Ops → Sales → Eng",
            "F.csv: Department: departments form a cycle: Ops → Sales → Eng → Ops",
            "F.csv: Department: departments form a cycle: Sales → Eng → Ops → Sales",
        ],
    ),
    ("header-only", HEAD, ["F.csv: -: no people in the export, only a header"]),
    ("empty", "", ["F.csv: -: the file is empty"]),
    (
        "manager-email-with-no-email-column",
        "Employee ID,Name,Manager Email,Department\n1,Ada Park,,Exec\n"
        "2,Ben Okafor,ada@x.example,Exec\n",
        [
            "F.csv:1: Manager Email: managers by email need an email column (--map COLUMN=email)",
            "F.csv:3: Manager Email: manager not in this export",
        ],
    ),
    (
        "missing-manager-by-email",
        "Employee ID,Name,Email,Manager Email,Department\n1,Ada Park,ada@x.example,,Exec\n"
        "2,Ben Okafor,ben@x.example,cai@x.example,Exec\n",
        ["F.csv:3: Manager Email: manager not in this export"],
    ),
    (
        "own-manager-by-email",
        "Employee ID,Name,Email,Manager Email,Department\n"
        "1,Ada Park,ada@x.example,ADA@x.example,Exec\n",
        ["F.csv:2: Manager Email: employee is their own manager"],
    ),
    (
        "missing-manager-by-name",
        "Employee ID,Name,Manager,Department\n1,Ada Park,,Exec\n2,Ben Okafor,Cai Lin,Exec\n",
        ["F.csv:3: Manager: manager not in this export"],
    ),
    (
        "own-manager-by-name",
        "Employee ID,Name,Manager,Department\n1,Ada Park,ada park,Exec\n",
        ["F.csv:2: Manager: employee is their own manager"],
    ),
    (
        "not-dated",
        None,
        ["F.csv: -: no date in the file name; pass --date DATE"],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), BAD, ids=[c[0] for c in BAD])
def test_bad_exports_are_located_and_write_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    text: str | None,
    expected: list[str],
) -> None:
    """Each bad export gets exactly its FILE:ROW: column: message lines, exit 2, and no dataset."""
    monkeypatch.chdir(tmp_path)
    Path("F.csv").write_text(
        text if text is not None else HEAD + "1,Ada Park,CEO,,Exec\n", encoding="utf-8"
    )
    args = ["import", "F.csv", "--org", "org"] + (
        [] if case == "not-dated" else ["--date", "2024-01-31"]
    )
    result = run(*args)
    count = f"{len(expected)} problem{'s' if len(expected) != 1 else ''} found"
    assert "\n".join([*expected, count]) + "\n" == result.stderr
    assert 2 == result.exit_code
    assert "" == result.stdout
    assert not Path("org").exists()


def test_bad_export_as_a_real_process_says_no_traceback(tmp_path: Path) -> None:
    """The CLI, run as a process, prints the located line and exits 2 without a traceback."""
    (tmp_path / "2024-01.csv").write_text(HEAD + "1,Ada Park,CEO,9,Exec\n", encoding="utf-8")
    proc = run_process("import", "2024-01.csv", "--org", "org", cwd=tmp_path)
    assert "2024-01.csv:2: Manager ID: manager not in this export\n1 problem found\n" == proc.stderr
    assert 2 == proc.returncode
    assert not (tmp_path / "org").exists()


def test_a_bad_month_in_a_folder_writes_nothing(tmp_path: Path) -> None:
    """An import of a folder whose third export is bad leaves the existing dataset byte for byte."""
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "2024-01.csv").write_bytes((HR / "2024-01.csv").read_bytes())
    org = tmp_path / "org"
    assert 0 == run("import", str(exports), "--org", str(org)).exit_code
    before = tree(org)
    (exports / "2024-02.csv").write_bytes((HR / "2024-02.csv").read_bytes())
    (exports / "2024-03.csv").write_text(HEAD + "1,Ada Park,CEO,,\n", encoding="utf-8")
    result = run("import", str(exports), "--org", str(org))
    assert (
        f"{exports / '2024-03.csv'}:2: Department: no department\n1 problem found\n"
        == result.stderr
    )
    assert 2 == result.exit_code
    assert before == tree(org)


def test_refuses_a_folder_that_is_not_a_dataset(tmp_path: Path) -> None:
    """--org naming a non-empty folder with no dataset.yaml is refused, and left alone."""
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("import", str(HR / "2024-01.csv"), "--org", str(tmp_path))
    assert (
        f"orgdiff: error: {tmp_path} is not a dataset folder (no dataset.yaml) and not empty; "
        "import into a dataset or a new folder\n"
    ) == result.stderr
    assert 2 == result.exit_code
    assert {"notes.txt": b"mine"} == tree(tmp_path)


def test_import_needs_org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --org, import never falls back to a default (or the bundled) dataset."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ORGDIFF_ORG", raising=False)
    result = run("import", str(HR / "2024-01.csv"))
    assert (
        "orgdiff: error: import needs --org PATH: the dataset folder to write (created if missing)\n"
        == result.stderr
    )
    assert 2 == result.exit_code


# --- what is kept ---------------------------------------------------------------------------


def test_only_mapped_columns_reach_any_file(tmp_path: Path) -> None:
    """No salary, address or birth date of the example exports appears in any written file."""
    org = tmp_path / "org"
    result = run("import", str(HR), "--org", str(org))
    assert 0 == result.exit_code, result.stderr
    private: set[str] = set()
    for path in sorted(HR.glob("*.csv")):
        import csv

        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                private.update(row[c] for c in hrgen.PRIVATE)
    assert len(private) > 50
    written = "\n".join(p.read_text(encoding="utf-8") for p in org.rglob("*") if p.is_file())
    assert [] == sorted(v for v in private if v in written)
    assert [] == [w for w in ("Salary", "Address", "Birth", "Nowhere") if w in written]


def test_dry_run_prints_exactly_what_is_written(tmp_path: Path) -> None:
    """--dry-run writes nothing and prints each file that a real run then writes, byte for byte."""
    org = tmp_path / "org"
    dry = run("import", str(HR), "--org", str(org), "--dry-run")
    assert 0 == dry.exit_code, dry.stderr
    assert not org.exists()
    real = run("import", str(HR), "--org", str(org))
    assert 0 == real.exit_code
    printed = "".join(
        f"==> {org / name} <==\n{(org / name).read_text(encoding='utf-8')}"
        for name in (
            "snapshots/2024-01-31.yaml",
            "snapshots/2024-02-29.yaml",
            "snapshots/2024-03-31.yaml",
            "dataset.yaml",
            "hr-ids.yaml",
        )
    )
    assert printed == dry.stdout
    assert sorted(tree(org)) == [
        "dataset.yaml",
        "hr-ids.yaml",
        "snapshots/2024-01-31.yaml",
        "snapshots/2024-02-29.yaml",
        "snapshots/2024-03-31.yaml",
    ]


def test_the_example_company_as_a_real_process(tmp_path: Path) -> None:
    """The tutorial's command: three months, then `validate` and `diff` name the reorgs."""
    org = tmp_path / "acme"
    proc = run_process("import", str(HR), "--org", str(org), "--name", "Example Co", cwd=tmp_path)
    assert 0 == proc.returncode, proc.stderr
    assert proc.stderr.endswith(f"orgdiff: note: wrote 5 files to {org}\n")
    valid = run_process("validate", "acme", cwd=tmp_path)
    assert (
        "acme: valid: 3 snapshots (2024-01-31 to 2024-03-31), 10 units, 24 people, 3 sources\n"
        == valid.stdout
    )
    tl = load(org)
    assert "Example Co" == tl.name
    events = [s.event for s in tl.snapshots]
    assert [
        "Imported from the HR export 2024-01.csv",
        "Imported from the HR export 2024-02.csv: Platform split into Developer Tools and "
        "Infrastructure",
        "Imported from the HR export 2024-03.csv: Partnerships and Sales merged into Revenue; "
        "Marketing renamed Growth",
    ] == events
    march = tl.snapshots[-1]
    assert ("sales", "partnerships") == march.units["revenue"].from_
    assert "Growth" == march.units["marketing"].name


# --- reading ------------------------------------------------------------------------------


def test_encodings_separators_and_quoted_newlines(tmp_path: Path) -> None:
    """A Windows-1252 file with semicolons and a quoted newline reads as the same rows
    as the UTF-8 one with a byte order mark; the encoding assumed is said on stderr."""
    text = (
        "Employee ID;Name;Job Title;Manager ID;Department\r\n"
        '1;Zoë Brontë;"Chief\r\nExecutive";;Exec\r\n'
        "2;Ana Muñoz;Engineer;1;Exec\r\n"
    )
    (tmp_path / "a-2024-01-31.csv").write_bytes(text.encode("cp1252"))
    (tmp_path / "b-2024-01-31.csv").write_bytes(b"\xef\xbb\xbf" + text.replace(";", ",").encode())
    a = read_csv(tmp_path / "a-2024-01-31.csv")
    b = read_csv(tmp_path / "b-2024-01-31.csv")
    assert ("windows-1252", "utf-8 with BOM") == (a.encoding, b.encoding)
    assert [r.name for r in a.rows] == ["Zoë Brontë", "Ana Muñoz"]
    assert [r.title for r in a.rows] == ["Chief Executive", "Engineer"]
    assert [attrs_tuple(r) for r in a.rows] == [attrs_tuple(r) for r in b.rows]
    result = run("import", str(tmp_path / "a-2024-01-31.csv"), "--org", str(tmp_path / "org"))
    assert result.stderr.startswith(
        f"orgdiff: note: {tmp_path / 'a-2024-01-31.csv'}: read as windows-1252\n"
    )
    assert {"zoe-bronte", "ana-munoz"} == set(load(tmp_path / "org").snapshots[0].people)


def test_white_space_in_a_cell_becomes_one_space(tmp_path: Path) -> None:
    """Runs of spaces, and a tab, a carriage return or a line break (quoted), become one
    space; a lone non-breaking space is kept as written (it is there on purpose)."""
    titles = ["Head  of Sales", "Head\tof Sales", "Head\rof Sales", "Head\nof Sales"]
    titles.append("Head\u00a0of Sales")
    rows = "".join(f'{k},Ada Park {k},"{t}",,Exec\n' for k, t in enumerate(titles, 1))
    (tmp_path / "x.csv").write_text(HEAD + rows, encoding="utf-8", newline="")
    assert ["Head of Sales"] * 4 + ["Head\u00a0of Sales"] == [
        r.title for r in read_csv(tmp_path / "x.csv").rows
    ]


def _by_hand() -> Snapshot:
    """People with and without a title, a manager from a reporting relation, and one
    whose unit is not in the snapshot (written by its id)."""
    units = {
        "exec": Unit("exec", "Executive"),
        "eng": Unit("eng", "Engineering", parent="exec"),
    }
    people = {
        "ada": Person("ada", "exec", title="CEO"),
        "ben": Person("ben", "eng"),
        "cai": Person("cai", "eng", title="Engineer", reports_to="ben"),
        "dee": Person("dee", "lab"),
    }
    relations = (
        Relation("reports-to", "ben", "ada"),
        Relation("reports-to", "cai", "ada"),
        Relation("dotted-line", "dee", "ada"),
    )
    identities = {
        pid: Identity(pid, name)
        for pid, name in [("ada", "Ada Park"), ("ben", "Ben Okafor"), ("cai", "Cai Lin")]
    }
    return Snapshot(
        dt.date(2024, 1, 31), "", units, people, relations=relations, identities=identities
    )


def test_write_csv_writes_each_person_s_row() -> None:
    """A reporting relation gives a manager to a person with none (not to one who has one,
    and no other kind of relation does); a blank title is an empty cell; a unit not in the
    snapshot is written by its id, with no parent."""
    buffer = io.StringIO(newline="")
    write_csv(_by_hand(), buffer)
    assert (
        "Employee ID,Name,Title,Manager ID,Department,Parent Department\r\n"
        "ada,Ada Park,CEO,,Executive,\r\n"
        "ben,Ben Okafor,,ada,Engineering,Executive\r\n"
        "cai,Cai Lin,Engineer,ben,Engineering,Executive\r\n"
        "dee,dee,,,lab,\r\n"
    ) == buffer.getvalue()


def test_write_csv_to_a_path_writes_what_it_writes_to_a_stream(tmp_path: Path) -> None:
    buffer = io.StringIO(newline="")
    write_csv(_by_hand(), buffer)
    write_csv(_by_hand(), tmp_path / "out.csv")
    write_csv(_by_hand(), str(tmp_path / "out2.csv"))
    expected = buffer.getvalue().encode("utf-8")
    assert [expected, expected] == [
        (tmp_path / name).read_bytes() for name in ("out.csv", "out2.csv")
    ]
    assert ["out.csv", "out2.csv"] == sorted(p.name for p in tmp_path.iterdir())


def test_headers_match_whatever_their_case_spaces_underscores_or_dashes(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text(
        "EMPLOYEE_ID,Full-Name, Job  Title ,manager__id,Department\n1,Ada Park,CEO,,Exec\n"
        "2,Ben Okafor,CTO,1,Exec\n",
        encoding="utf-8",
    )
    assert [(2, "1", "Ada Park", "CEO", None), (3, "2", "Ben Okafor", "CTO", "1")] == [
        (r.row, r.employee_id, r.name, r.title, r.manager_id)
        for r in read_csv(tmp_path / "x.csv").rows
    ]


SEPARATED = [
    (
        "semicolons, commas in the rows",
        "Employee ID;Name;Department\n1;Park, Ada, Jr, II;Exec\n2;Okafor, Ben, Jr, II;Exec\n",
    ),
    (
        "tabs, commas in the rows",
        "Employee ID\tName\tDepartment\n1\tPark, Ada, Jr, II\tExec\n2\tOkafor, Ben, Jr, II\tExec\n",
    ),
    (
        "semicolons and a comma in the header",
        "Employee ID;Name;Department;Notes, misc\n1;Park, Ada, Jr, II;Exec;\n"
        "2;Okafor, Ben, Jr, II;Exec;\n",
    ),
    (
        "semicolons in a quoted header",
        'Employee ID,Name,Department,"A;B;C;D"\n1,"Park, Ada, Jr, II",Exec,\n'
        '2,"Okafor, Ben, Jr, II",Exec,\n',
    ),
]


@pytest.mark.parametrize("text", [c[1] for c in SEPARATED], ids=[c[0] for c in SEPARATED])
def test_the_separator_is_the_header_line_s_most_frequent(tmp_path: Path, text: str) -> None:
    """Counted on the header line only, outside quotes; the rows' commas do not count."""
    (tmp_path / "x.csv").write_text(text, encoding="utf-8")
    assert [("1", "Park, Ada, Jr, II", "Exec"), ("2", "Okafor, Ben, Jr, II", "Exec")] == [
        (r.employee_id, r.name, r.department) for r in read_csv(tmp_path / "x.csv").rows
    ]


def attrs_tuple(row: object) -> tuple[object, ...]:
    assert isinstance(row, tuple)
    return tuple(row)


def test_columns_by_flag_and_mapping_file(tmp_path: Path) -> None:
    """--map and a mapping file choose columns the defaults do not know; first + last names join."""
    (tmp_path / "x.csv").write_text(
        "Worker,Given,Family,Boss,Org\n1,Ada,Park,,Exec\n2,Ben,Okafor,1,Exec\n", encoding="utf-8"
    )
    (tmp_path / "map.txt").write_text(
        "# our HR system\nWorker=employee_id\nGiven=first_name\nFamily=last_name\n",
        encoding="utf-8",
    )
    result = run(
        "import", str(tmp_path / "x.csv"), "--date", "2024-05", "--mapping",
        str(tmp_path / "map.txt"), "--map", "Boss=manager_id", "--map", "Org=department",
        "--org", str(tmp_path / "org"),
    )  # fmt: skip
    assert 0 == result.exit_code, result.stderr
    snap = load(tmp_path / "org").snapshots[0]
    assert "2024-05-31" == snap.date.isoformat()
    assert "ada-park" == snap.people["ben-okafor"].reports_to
    assert ("ada-park",) == snap.units["exec"].leads


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("nme", "unknown field `nme`; did you mean `name`?"),
        (
            "salary",
            "unknown field `salary`; fields are employee_id, name, first_name, last_name, "
            "email, title, manager_id, manager_email, manager_name, department, "
            "department_parent",
        ),
    ],
)
def test_an_unknown_field_is_named(tmp_path: Path, field: str, message: str) -> None:
    """--map to a field orgdiff does not have says so, with the nearest field or the list."""
    (tmp_path / "2024-01.csv").write_text(HEAD + "1,Ada Park,CEO,,Exec\n", encoding="utf-8")
    result = run(
        "import", str(tmp_path / "2024-01.csv"), "--map", f"Title={field}", "--org",
        str(tmp_path / "org"),
    )  # fmt: skip
    assert f"{tmp_path / '2024-01.csv'}: Title: {message}\n1 problem found\n" == result.stderr
    assert 2 == result.exit_code


def test_managers_by_email_and_by_name(tmp_path: Path) -> None:
    """A manager named by email or by name is found; an ambiguous name is an error."""
    (tmp_path / "e.csv").write_text(
        "Employee ID,Name,Email,Manager Email,Department\n"
        "1,Ada Park,ada@x.example,,Exec\n2,Ben Okafor,ben@x.example,ADA@x.example,Exec\n",
        encoding="utf-8",
    )
    (tmp_path / "n.csv").write_text(
        "Employee ID,Name,Manager,Department\n"
        "1,Ada Park,,Exec\n2,Ada Park,,Ops\n3,Ben Okafor,Ada Park,Exec\n",
        encoding="utf-8",
    )
    assert "ada-park" == snapshot(tmp_path / "e.csv").people["ben-okafor"].reports_to
    with pytest.raises(ExportError) as caught:
        snapshot(tmp_path / "n.csv")
    assert [f"{tmp_path / 'n.csv'}:4: Manager: manager matches several people (rows 2, 3)"] == [
        str(p) for p in caught.value.problems
    ]


def snapshot(path: Path, date: str = "2024-01-31") -> Snapshot:
    plan = plan_import(path.parent / "org-of-test", [(str(path), dt.date.fromisoformat(date))])
    return plan.timeline.snapshots[-1]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2024-01.csv", "2024-01-31"),
        ("2024-02.csv", "2024-02-29"),
        ("export-2024-01-15.csv", "2024-01-15"),
        ("hr_2023-12_final.csv", "2023-12-31"),
        ("people.csv", None),
        ("2024-13.csv", None),
    ],
)
def test_date_from_file_name(name: str, expected: str | None) -> None:
    """A file's date is in its name; a month alone is its last day."""
    found = date_of(name)
    assert expected == (found.isoformat() if found else None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Ada Park", "ada-park"), ("Zoë O'Neil", "zoe-oneil"), ("R&D", "r-d"), ("楊立昆", "")],
)
def test_slug(name: str, expected: str) -> None:
    """Ids are the kebab-case of names, accents dropped."""
    assert expected == slug(name)


# --- ids across months ------------------------------------------------------------------


def test_ids_are_stable_through_the_employee_id(tmp_path: Path) -> None:
    """A renamed employee keeps their id; a second person of the same name gets `-2`; a
    department that comes back keeps its id; employee ids are kept in hr-ids.yaml only."""
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "2024-01.csv").write_text(
        HEAD + "10,Ada Park,CEO,,Exec\n11,Ben Okafor,Eng,10,Eng\n", encoding="utf-8"
    )
    (exports / "2024-02.csv").write_text(
        HEAD + "10,Ada Park-Lee,CEO,,Exec\n11,Ben Okafor,Eng,10,Eng\n12,Ada Park,Eng,11,Eng\n",
        encoding="utf-8",
    )
    org = tmp_path / "org"
    assert 0 == run("import", str(exports), "--org", str(org)).exit_code
    tl = load(org)
    assert {"ada-park", "ben-okafor", "ada-park-2"} == set(tl.snapshots[-1].people)
    assert "Ada Park-Lee" == tl.people["ada-park"].name
    assert "Ada Park" == tl.people["ada-park-2"].name
    assert (
        "# Written by `orgdiff import`: which HR employee id is which person id, and\n"
        "# which department name is which unit id, so ids stay the same across exports.\n"
        "people:\n  10: ada-park\n  11: ben-okafor\n  12: ada-park-2\n"
        "units:\n  Eng: eng\n  Exec: exec\n"
    ) == (org / "hr-ids.yaml").read_text(encoding="utf-8")
    # A later, separate import continues with the same ids.
    (exports / "2024-03.csv").write_text(
        HEAD + "10,Ada Park-Lee,CEO,,Exec\n12,Ada Park,Eng,10,Eng\n", encoding="utf-8"
    )
    assert 0 == run("import", str(exports / "2024-03.csv"), "--org", str(org)).exit_code
    assert {"ada-park", "ada-park-2"} == set(load(org).snapshots[-1].people)


# --- round trips ----------------------------------------------------------------------------


def expected_org(people: list[hrgen.Employee], date: str) -> Snapshot:
    """The snapshot a generated company is: slugs of names as ids, heads as leads."""
    by_id = {e.eid: e for e in people}
    depts: dict[str, list[hrgen.Employee]] = {}
    for e in people:
        depts.setdefault(e.department, []).append(e)
    units = {}
    for d, members in depts.items():
        heads = [e for e in members if e.manager is None or by_id[e.manager].department != d]
        managers = sorted({by_id[h.manager].department for h in heads if h.manager})
        units[slug(d)] = Unit(
            slug(d),
            d,
            parent=slug(managers[0]) if managers else None,
            leads=tuple(sorted(slug(h.name) for h in heads)),
        )
    persons = {
        slug(e.name): Person(
            slug(e.name),
            slug(e.department),
            title=e.title,
            reports_to=slug(by_id[e.manager].name) if e.manager else None,
        )
        for e in people
    }
    identities = {slug(e.name): Identity(slug(e.name), e.name) for e in people}
    return Snapshot(dt.date.fromisoformat(date), "", units, persons, identities=identities)


def comparable(data: dict[str, object]) -> dict[str, object]:
    """`show --format json` without what import adds (event, sources, notes) and in id order."""
    units = data["units"]
    people = data["people"]
    assert isinstance(units, dict) and isinstance(people, dict)
    return {
        "units": {
            k: {f: v[f] for f in ("name", "parent", "leads")} for k, v in sorted(units.items())
        },
        "people": {
            k: {f: v[f] for f in ("name", "title", "unit", "reports_to")}
            for k, v in sorted(people.items())
        },
    }


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    departments=st.integers(1, 6),
    extra=st.integers(0, 30),
)
def test_round_trip_export_import_show(seed: int, departments: int, extra: int) -> None:
    """Protects: generated export rows, imported, then `show --format json`, give the
    generated org (units, parents, leads; people, names, titles, units, managers)."""
    people = hrgen.company(seed=seed, departments=departments, size=departments + 1 + extra)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "2024-04.csv").write_text(hrgen.to_csv(people, seed=seed), encoding="utf-8")
        org = folder / "org"
        assert 0 == run("import", str(folder / "2024-04.csv"), "--org", str(org)).exit_code
        shown = run("show", "2024-04", "--format", "json", "--org", str(org))
    assert 0 == shown.exit_code, shown.stderr
    expected = snapshot_json(expected_org(people, "2024-04-30"))
    assert comparable(expected) == comparable(json.loads(shown.stdout))


def test_write_csv_reads_back_as_the_same_snapshot(tmp_path: Path) -> None:
    """`write_csv` of an imported snapshot, imported again, is the same snapshot."""
    first = snapshot(HR / "2024-03.csv", "2024-03-31")
    with (tmp_path / "again-2024-03-31.csv").open("w", encoding="utf-8", newline="") as fh:
        write_csv(first, fh)
    again = snapshot(tmp_path / "again-2024-03-31.csv", "2024-03-31")
    assert dump(first).replace("2024-03.csv", "X") == dump(again).replace(
        "again-2024-03-31.csv", "X"
    )


def test_the_tutorial_dataset_is_what_import_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/import-org/example-co is exactly what the tutorial's command writes today."""
    monkeypatch.chdir(ROOT)
    org = tmp_path / "example-co"
    result = run("import", "tests/data/hr", "--org", str(org), "--name", "Example Co")
    assert 0 == result.exit_code, result.stderr
    assert tree(ROOT / "docs" / "import-org" / "example-co") == tree(org)


def test_the_example_exports_are_what_the_script_generates(tmp_path: Path) -> None:
    """tests/data/hr/*.csv are the output of tests/data/hr/generate.py, byte for byte."""
    import shutil

    copy = tmp_path / "hr"
    copy.mkdir()
    shutil.copy(HR / "generate.py", copy / "generate.py")
    env = {**os.environ, "PYTHONPATH": str(TESTS)}
    subprocess.run([sys.executable, str(copy / "generate.py")], check=True, env=env, cwd=tmp_path)
    assert {k: v for k, v in tree(HR).items() if k.endswith(".csv")} == {
        k: v for k, v in tree(copy).items() if k.endswith(".csv")
    }


# --- units from departments -----------------------------------------------------------------


def test_co_leads_matrix_managers_and_a_root_for_several_tops(tmp_path: Path) -> None:
    """Members managed from outside a department co-lead it; its parent is where most of their
    managers are; a manager in another branch is a `reports-to` relation; two top departments get a root named after the dataset."""
    (tmp_path / "2024-01.csv").write_text(
        HEAD
        + "1,Ada Park,CEO,,Exec\n"
        + "2,Ben Okafor,Co-head,1,Eng\n3,Cai Lin,Co-head,1,Eng\n4,Dee Moss,Eng,2,Eng\n"
        + "5,Eli Roy,Sales,1,Sales\n6,Fay Ng,Sales,3,Sales\n8,Gia Voss,Sales,1,Sales\n"
        + "7,Gus Hale,Founder,,Lab\n",
        encoding="utf-8",
    )
    org = tmp_path / "org"
    result = run("import", str(tmp_path / "2024-01.csv"), "--org", str(org), "--name", "Co")
    assert 0 == result.exit_code, result.stderr
    snap = load(org).snapshots[0]
    assert ("ben-okafor", "cai-lin") == snap.units["eng"].leads
    assert ("eli-roy", "fay-ng", "gia-voss") == snap.units["sales"].leads
    assert {"co": None, "exec": "co", "lab": "co", "eng": "exec", "sales": "exec"} == {
        u.id: u.parent for u in snap.units.values()
    }
    assert [("reports-to", "fay-ng", "cai-lin")] == [
        (r.kind, r.from_, r.to) for r in snap.relations
    ]
    assert snap.people["fay-ng"].reports_to is None
    text = (org / "snapshots" / "2024-01-31.yaml").read_text(encoding="utf-8")
    assert "  eng: {name: Eng, parent: exec, lead: [ben-okafor, cai-lin]}\n" in text.splitlines(
        keepends=True
    )


def test_parent_department_column(tmp_path: Path) -> None:
    """A parent column gives the tree, with a department that has no people of its own."""
    (tmp_path / "2024-01.csv").write_text(
        "Employee ID,Name,Manager ID,Department,Parent Department\n"
        "1,Ada Park,,Company,\n2,Ben Okafor,1,Platform,Engineering\n3,Cai Lin,2,Platform,"
        "Engineering\n4,Dee Moss,1,Engineering,Company\n",
        encoding="utf-8",
    )
    org = tmp_path / "org"
    assert 0 == run("import", str(tmp_path / "2024-01.csv"), "--org", str(org)).exit_code
    snap = load(org).snapshots[0]
    assert {"company": None, "engineering": "company", "platform": "engineering"} == {
        u.id: u.parent for u in snap.units.values()
    }
    assert "ada-park" == snap.people["ben-okafor"].reports_to


def test_a_folder_s_exports_are_its_dated_csv_files_in_date_order(tmp_path: Path) -> None:
    """Other files and folders are passed over wherever they sort; the order is the dates',
    not the names'."""
    for name in ["0-readme.txt", "2024-03.csv", "export-2024-02-01.csv"]:
        (tmp_path / name).write_text(HEAD + "1,Ada Park,CEO,,Exec\n")
    (tmp_path / "1-old.csv").mkdir()
    assert [
        (str(tmp_path / "export-2024-02-01.csv"), dt.date(2024, 2, 1)),
        (str(tmp_path / "2024-03.csv"), dt.date(2024, 3, 31)),
    ] == exports_in(tmp_path)


def test_exports_go_in_date_order(tmp_path: Path) -> None:
    """An export older than the last snapshot is refused (nothing written); one of the last
    snapshot's date replaces it."""
    org = tmp_path / "org"
    assert 0 == run("import", str(HR / "2024-02.csv"), "--org", str(org)).exit_code
    before = tree(org)
    older = run("import", str(HR / "2024-01.csv"), "--org", str(org))
    assert (
        f"orgdiff: error: {HR / '2024-01.csv'} is for 2024-01-31, before the last snapshot "
        "(2024-02-29); exports are imported in date order\n"
    ) == older.stderr
    assert 2 == older.exit_code
    assert before == tree(org)
    again = run("import", str(HR / "2024-03.csv"), "--date", "2024-02-29", "--org", str(org))
    assert 0 == again.exit_code, again.stderr
    tl = load(org)
    assert ["2024-02-29"] == [s.date.isoformat() for s in tl.snapshots]
    assert "revenue" in tl.snapshots[0].units


def test_the_benchmark_runs_and_finds_its_renames() -> None:
    """benchmarks/hrimport.py still runs; its second month renames 1% of the departments
    (3 of a 300-person company's 15) and the inference counts three."""
    from benchmarks.hrimport import run as bench

    lines = bench(300, 1)
    assert "| measurement | median | x csv.reader |" == lines[2]
    assert [
        "csv.reader",
        "import",
        "import, careful",
        "read_csv",
        "snapshot",
        "validated",
        "import, month 2",
        "infer",
    ] == [line.split(" | ")[0].lstrip("| ") for line in lines[4:12]]
    assert "Lineage inferred for 3 units between the two months." == lines[13]


def test_many_people_of_one_name_get_numbered_ids(tmp_path: Path) -> None:
    """The n-th person of a name gets `-n`; a name whose own id is taken so gets `-2` after it."""
    (tmp_path / "2024-01.csv").write_text(
        "Employee ID,Name,Manager ID,Department\n"
        "1,Ada Park,,Exec\n2,Ada Park,1,Exec\n3,Ada Park,1,Exec\n4,Ada Park,1,Exec\n"
        "5,Ada Park 2,1,Exec\n",
        encoding="utf-8",
    )
    org = tmp_path / "org"
    assert 0 == run("import", str(tmp_path / "2024-01.csv"), "--org", str(org)).exit_code
    ids = (org / "hr-ids.yaml").read_text(encoding="utf-8").split("people:\n", 1)[1]
    assert (
        "  1: ada-park\n  2: ada-park-2\n  3: ada-park-3\n  4: ada-park-4\n  5: ada-park-2-2\n"
        "units:\n  Exec: exec\n"
    ) == ids


# --- fast paths -------------------------------------------------------------------------


@given(st.text(alphabet="aZ09 '&-éÉ.\t", max_size=12))
def test_slug_of_plain_names_is_the_words_joined(name: str) -> None:
    """Protects: the quick slug of plain ASCII names is the slug of the general rule
    (the words, accents dropped, apostrophes removed, joined by ``-``)."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    assert "-".join(words) == slug(name)


@given(
    st.integers(min_value=1, max_value=12).flatmap(
        lambda n: st.lists(
            st.one_of(st.none(), st.integers(0, n), st.just(-1)), min_size=n, max_size=n
        )
    )
)
def test_managers_by_id_quick_path_is_the_row_by_row_one(bosses: list[int | None]) -> None:
    """Protects: managers read from the id column in one go (when every manager is in
    the export and nobody is their own) are what reading them row by row gives, with
    the same problems (missing managers, own managers, cycles) otherwise.

    ``-1`` is each row's own id; ``n`` is an id not in the export."""
    from orgdiff.formats.csv import ColumnMap, Export, Row
    from orgdiff.hrimport import _managers, _Problems

    def row(k: int, boss: int | None, name: str | None) -> Row:
        mid = None if boss is None else f"E{k if boss == -1 else boss}"
        return Row(k + 2, f"E{k}", f"P {k}", None, None, mid, None, name, "D", None)

    def managers(by_name_too: bool) -> tuple[dict[str, str | None], list[str]]:
        columns = {"employee_id": "Id", "name": "Name", "manager_id": "Boss", "department": "D"}
        if by_name_too:  # no name is given: only the row-by-row path reads this export
            columns["manager_name"] = "Boss Name"
        rows = tuple(row(k, b, None) for k, b in enumerate(bosses))
        out = _Problems("F.csv")
        found = _managers(Export("F.csv", rows, ColumnMap(columns), "utf-8"), out)
        return found, sorted(str(p) for p in out.found)

    assert managers(by_name_too=True) == managers(by_name_too=False)


_TEXT = st.text(alphabet="aZ09 ._/()'-:#&é\"", min_size=1, max_size=8)


@given(
    st.dictionaries(_TEXT, _TEXT, max_size=6),
    st.dictionaries(_TEXT, _TEXT, max_size=6),
    st.lists(
        st.sampled_from(
            ["", "# x", "people:", "units:", "  a: b", "  a: c", "  a:  b", "   a: b", "x: y"]
        ),
        max_size=6,
    ),
    st.randoms(use_true_random=False),
)
def test_registry_read_line_by_line_is_what_yaml_reads(
    people: dict[str, str], units: dict[str, str], extra: list[str], rnd: Any
) -> None:
    """Protects: ``hr-ids.yaml`` read line by line (the quick way, for the file as the
    import writes it) is what YAML reads, whatever the texts and whatever lines a
    curator adds; and it reads back what was written."""
    import yaml

    from orgdiff.hrimport import Registry, _read_plain

    text = Registry(people, units).dump()
    quick = _read_plain(text)
    read = quick if quick is not None else yaml.load(text, Loader=yaml.BaseLoader)
    assert {"people": people, "units": units} == {k: read[k] or {} for k in ("people", "units")}
    lines = text.splitlines()
    for line in extra:
        lines.insert(rnd.randrange(len(lines) + 1), line)
    for variant in (text, "\n".join(lines)):
        quick = _read_plain(variant)
        if quick is not None:
            try:
                slow = yaml.load(variant, Loader=yaml.BaseLoader)
            except yaml.YAMLError:
                raise AssertionError(f"read line by line, but not YAML:\n{variant}") from None
            assert {k: v or {} for k, v in (slow or {}).items()} == quick


def test_the_registry_as_the_import_writes_it_is_read_line_by_line() -> None:
    """The quick way takes the file the import writes, its comments included."""
    from orgdiff.hrimport import Registry, _read_plain

    people, units = {"1": "ada-park", "2": "ben-okafor"}, {"Engineering": "engineering"}
    text = Registry(people, units).dump()
    assert text.startswith("# ")
    assert {"people": people, "units": units} == _read_plain(text)


@pytest.mark.parametrize(
    "text",
    [
        "people:\n  a: b\n  a: c\n",
        "people:\n   a: b\n",
        "people:\n  a: b\n   c: d\n",
        "people:\n  a: b #c\n",
        "people:\n  a: 'b'\n",
        "units:\n  a: b\npeople:\n  c: d\n",
        "people:\n  a: b\nunits:\n",
        "people:\n\n  a: b\n# c\n",
        "people:\r\n  a: b\r\n",
        "people:\n  a: b\npeople:\n  c: d\n",
        "people:\n  a b: c d\n",
        "people:\n  a:  b\n",
    ],
)
def test_registry_read_line_by_line_at_the_edges(text: str) -> None:
    """Repeated keys (the last wins), deeper lines, comments, quotes, Windows line
    ends: read line by line only where YAML reads the same."""
    import yaml

    from orgdiff.hrimport import _read_plain

    quick = _read_plain(text)
    if quick is not None:
        slow = yaml.load(text, Loader=yaml.BaseLoader)
        assert {k: v or {} for k, v in slow.items()} == quick
