"""HR exports `orgdiff import` cannot read: each refused with every problem,
located (``FILE:ROW: column: message``), the whole message compared."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from orgdiff.cli import cli
from orgdiff.formats.csv import ColumnMap, ExportError, read_csv, read_mapping

REFUSED = [
    (
        "bad UTF-8 after a BOM",
        b"\xef\xbb\xbfEmployee ID,Name\n1,\xff\n",
        # the BOM's 3 bytes, then 19 of text before the bad byte
        "x.csv: -: not valid UTF-8 after its byte order mark (invalid start byte at byte 22)",
    ),
    ("UTF-16", b"\xff\xfeE\x00", "x.csv: -: UTF-16 is not read; save the export as CSV UTF-8"),
    (
        "neither UTF-8 nor Windows-1252",
        b"Employee ID,Name,Department\n1,a\x81b,X\n",  # 0x81 is unassigned in cp1252
        "x.csv: -: neither UTF-8 nor Windows-1252 (byte 31)",
    ),
    ("empty", b"", "x.csv: -: the file is empty"),
    (
        "a header only",
        b"Employee ID,Name,Department\n",
        "x.csv: -: no people in the export, only a header",
    ),
    (
        "no required column",
        b"Title,Email\nx,y\n",
        "x.csv:1: (header): no column for department (looked for department, department name,"
        " dept...; map one with --map COLUMN=department)\n"
        "x.csv:1: (header): no column for employee_id (looked for employee id, employee number,"
        " employee no...; map one with --map COLUMN=employee_id)\n"
        "x.csv:1: (header): no column for name (looked for name, full name, employee name...;"
        " map one with --map COLUMN=name)",
    ),
    (
        "two columns by semicolon",
        b"Employee ID;Name\n1;Ann Lee\n",
        "x.csv:1: (header): no column for department (looked for department, department name,"
        " dept...; map one with --map COLUMN=department)",
    ),
    (
        "a control character in a name",
        b"Employee ID,Name,Department\n1,Ann\x07 Lee,Eng\n",
        "x.csv:2: Name: the name contains a control character or noncharacter (U+0007)",
    ),
]


@pytest.mark.parametrize(("raw", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_an_unreadable_export_is_refused_with_its_problems(
    tmp_path: Path, raw: bytes, message: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(raw)
    with pytest.raises(ExportError) as refused:
        read_csv(path, display="x.csv")
    assert message == str(refused.value)
    assert raw == path.read_bytes()  # never modified


def test_a_missing_export_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as refused:
        read_csv(tmp_path / "gone.csv", display="gone.csv")
    assert "gone.csv: -: No such file or directory" == str(refused.value)


@pytest.mark.parametrize(
    ("explicit", "message"),
    [
        ({"Team": "department"}, "x.csv:1: Team: no such column in the header"),
        ({"Name": "nmae"}, "x.csv: Name: unknown field `nmae`; did you mean `name`?"),
        (
            {"Name": "salary"},
            "x.csv: Name: unknown field `salary`; fields are employee_id, name, first_name,"
            " last_name, email, title, manager_id, manager_email, manager_name, department,"
            " department_parent",
        ),
    ],
    ids=["no such column", "a misspelt field", "an unknown field"],
)
def test_a_bad_explicit_mapping_is_refused(explicit: dict[str, str], message: str) -> None:
    with pytest.raises(ExportError) as refused:
        ColumnMap.resolve(["Employee ID", "Name", "Department"], explicit, file="x.csv")
    assert message == str(refused.value)


def test_a_mapping_file_reads_column_equals_field_lines() -> None:
    """Comments and blank lines skipped, spaces around both sides dropped, the last
    ``=`` splitting (a column may hold one)."""
    text = "# HR system 2\n\n Full Name = name \nA=B = department\n"
    assert {"Full Name": "name", "A=B": "department"} == read_mapping(text, file="m.txt")


def test_a_mapping_file_with_bad_lines_names_each() -> None:
    with pytest.raises(ExportError) as refused:
        read_mapping("Name=name\nno equals sign\n=name\nTitle=\n", file="m.txt")
    assert (
        "m.txt:2: -: expected COLUMN=FIELD\n"
        "m.txt:3: -: expected COLUMN=FIELD\n"
        "m.txt:4: -: expected COLUMN=FIELD"
    ) == str(refused.value)


def test_a_mapping_given_as_text_alone_is_named_mapping_in_its_problems() -> None:
    with pytest.raises(ExportError) as refused:
        read_mapping("no equals sign\n")
    assert "<mapping>:1: -: expected COLUMN=FIELD" == str(refused.value)


CLI_REFUSED = [
    (
        ["--mapping", "bad.map"],
        "orgdiff: error: bad.map: cannot be read: 'utf-8' codec can't decode byte 0xff"
        " in position 0: invalid start byte\n",
    ),
    (
        ["--mapping", "none.map"],
        "orgdiff: error: none.map: cannot be read: [Errno 2] No such file or directory:"
        " 'none.map'\n",
    ),
    (["--map", "Name"], "orgdiff: error: --map 'Name': expected COLUMN=FIELD\n"),
]


@pytest.mark.parametrize(("args", "stderr"), CLI_REFUSED, ids=["undecodable", "missing", "no ="])
def test_the_import_command_refuses_a_bad_mapping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], stderr: str
) -> None:
    """One line, exit status 2, nothing written."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.map").write_bytes(b"\xff\xfe")
    (tmp_path / "2024-01.csv").write_text("Employee ID,Name,Department\n1,Ann,Eng\n")
    result = CliRunner().invoke(cli, ["--org", "org", "import", "2024-01.csv", *args])
    assert (2, "", stderr) == (result.exit_code, result.stdout, result.stderr)
    assert ["2024-01.csv", "bad.map"] == sorted(p.name for p in tmp_path.iterdir())


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            [".", "--date", "2024-01-01"],
            "orgdiff: error: --date is for one export; a folder's exports are dated by name\n",
        ),
        (["nothing.csv"], "orgdiff: error: nothing.csv: no such file or folder\n"),
        (
            ["export.csv"],
            "export.csv: -: no date in the file name; pass --date DATE\n1 problem found\n",
        ),
    ],
    ids=["--date with a folder", "no such file", "no date"],
)
def test_the_import_command_refuses_a_source_it_cannot_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], stderr: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "export.csv").write_text("Employee ID,Name,Department\n1,Ann,Eng\n")
    result = CliRunner().invoke(cli, ["--org", "org", "import", *args])
    assert (2, "", stderr) == (result.exit_code, result.stdout, result.stderr)
    assert ["export.csv"] == sorted(p.name for p in tmp_path.iterdir())


ROW = "Employee ID,Name,Department\n1,Ann,Eng\n"


def import_in(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--org", "org", *args])
    return result.exit_code, result.stdout, result.stderr


def test_an_org_path_that_is_a_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").write_text("x")
    (tmp_path / "2024-01.csv").write_text(ROW)
    assert (2, "", "orgdiff: error: org is not a folder\n") == import_in("import", "2024-01.csv")
    assert "x" == (tmp_path / "org").read_text()


@pytest.mark.parametrize(
    ("files", "stderr"),
    [
        (
            ["2024-01.csv", "2024-01-31.csv"],  # a month's export is dated its last day
            "orgdiff: error: hr/2024-01-31.csv and hr/2024-01.csv are both for 2024-01-31;"
            " import one of them\n",
        ),
        (
            ["2024-01.csv", "people.csv", "Staff.CSV"],
            "hr/Staff.CSV: -: no date in the file name (name it like 2024-01.csv)\n"
            "hr/people.csv: -: no date in the file name (name it like 2024-01.csv)\n"
            "2 problems found\n",
        ),
        (["notes.txt"], "orgdiff: error: hr: no CSV exports (files named like 2024-01.csv)\n"),
    ],
    ids=["two exports of one date", "undated exports", "no exports"],
)
def test_a_folder_of_exports_it_cannot_order_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: list[str], stderr: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hr").mkdir()
    for name in files:
        (tmp_path / "hr" / name).write_text(ROW)
    assert (2, "", stderr) == import_in("import", "hr")
    assert not (tmp_path / "org").exists()


@pytest.mark.parametrize(
    ("ids", "stderr"),
    [
        (
            "people: [a, b]\n",
            "orgdiff: error: org/hr-ids.yaml: expected `people:` and `units:` mappings\n",
        ),
        (
            "people: {a: [\n",
            # libyaml's wording: the registry is read by its loader when it is not as
            # the import writes it
            "orgdiff: error: org/hr-ids.yaml:2:1: cannot be read: did not find expected node content\n",
        ),
    ],
    ids=["lists", "broken YAML"],
)
def test_a_damaged_id_registry_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ids: str, stderr: str
) -> None:
    """hr-ids.yaml (which employee id is which person) damaged by hand between two
    imports: one line, located where YAML can say, and the dataset left as it was."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2024-01.csv").write_text(ROW)
    (tmp_path / "2024-02.csv").write_text(ROW)
    assert 0 == import_in("import", "2024-01.csv")[0]
    (tmp_path / "org" / "hr-ids.yaml").write_text(ids)
    before = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "org").rglob("*"))
    assert (2, "", stderr) == import_in("import", "2024-02.csv")
    assert before == sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "org").rglob("*"))
