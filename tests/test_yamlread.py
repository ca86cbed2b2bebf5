"""The careful reader's refusals of characters YAML would misread, and of files
over its size limit, each located exactly."""

from __future__ import annotations

import pytest

from orgdiff import yamlread
from orgdiff.errors import Problem
from orgdiff.yamlread import read_bytes


@pytest.mark.parametrize(
    ("char", "message"),
    [
        ("\u2029", "a paragraph separator (U+2029), which YAML reads as a line break"),
        ("\ufffe", "a noncharacter (U+FFFE), which YAML does not allow"),
        ("\uffff", "a noncharacter (U+FFFF), which YAML does not allow"),
        ("\u2028", "a line separator (U+2028), which YAML reads as a line break"),
        ("\u0085", "a control character (U+0085)"),
    ],
    ids=["U+2029", "U+FFFE", "U+FFFF", "U+2028", "U+0085"],
)
def test_a_character_yaml_would_misread_is_located(char: str, message: str) -> None:
    doc = read_bytes(f"date: 2020-01-01\nevent: a{char}b\n".encode(), "s.yaml")
    assert (None, [f"s.yaml:2:9: $: {message}"]) == (doc.data, [str(p) for p in doc.problems])


def test_a_file_over_the_size_limit_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is 512 MiB; lowered here so the test needs no such file."""
    at_limit = b"date: 2020-01-01\na: b"
    monkeypatch.setattr(yamlread, "MAX_BYTES", 21)
    assert 21 == len(at_limit)
    assert [] == read_bytes(at_limit, "s.yaml").problems
    doc = read_bytes(at_limit + b"c", "s.yaml")
    assert [Problem("s.yaml", 0, 0, "$", "file is over the limit of 21 bytes")] == doc.problems
    assert (None, ["s.yaml: $: file is over the limit of 21 bytes"]) == (
        doc.data,
        [str(p) for p in doc.problems],
    )


NFC_DUPLICATES = [
    ("caf\u00e9", "cafe\u0301", "$['cafe\u0301']", "'cafe\\u0301'", "'caf\\xe9'"),
    ("cafe\u0301", "caf\u00e9", "$['caf\u00e9']", "'caf\\xe9'", "'cafe\\u0301'"),
    ("\u212a", "K", "$.K", "'K'", "'\\u212a'"),
    ("K", "\u212a", "$['\u212a']", "'\\u212a'", "'K'"),
]


@pytest.mark.parametrize(
    ("first", "second", "path", "written", "first_written"),
    NFC_DUPLICATES,
    ids=["composed first", "decomposed first", "Kelvin sign first", "ASCII K first"],
)
def test_keys_that_are_one_text_once_normalised_are_duplicates(
    first: str, second: str, path: str, written: str, first_written: str
) -> None:
    """Whichever form comes first, and when one of them is ASCII (the Kelvin sign is K
    in NFC): the second is refused where it is, naming both spellings."""
    doc = yamlread.read_text(f"{first}: 1\n{second}: 2\n", "s.yaml")
    assert {first: "1"} == doc.data
    assert [
        f"s.yaml:2:1: {path}: duplicate key `{second}`: written {written}, it is the same"
        f" text as `{first}`, written {first_written}, once Unicode-normalised (NFC);"
        " the first is on line 1"
    ] == [str(p) for p in doc.problems]


def test_keys_that_differ_once_normalised_are_kept() -> None:
    doc = yamlread.read_text("caf\u00e9: 1\ncafe: 2\n\u212b: 3\n", "s.yaml")
    assert ({"caf\u00e9": "1", "cafe": "2", "\u212b": "3"}, []) == (doc.data, doc.problems)


def test_a_path_not_in_the_file_is_located_at_the_nearest_value_that_is() -> None:
    """A missing field is reported where its mapping is (as a value, even when asked for
    the key); a path under no key of the file, at the document."""
    text = "date: 2020-01-01\nunits:\n  eng:\n    name: E\n"
    for doc in (
        yamlread.read_text(text, "s.yaml"),
        yamlread.Document.unread("s.yaml", text.encode()),
    ):
        assert [(4, 5), (4, 5), (4, 5), (3, 3), (4, 11), (1, 1)] == [
            doc.locate(("units", "eng", "parent")),
            doc.locate(("units", "eng", "parent", 0), at_key=True),
            doc.locate(("units", "eng")),
            doc.locate(("units", "eng"), at_key=True),
            doc.locate(("units", "eng", "name")),
            doc.locate(("sources", "a")),
        ]


def test_a_byte_order_mark_at_the_start_is_dropped() -> None:
    doc = read_bytes(b"\xef\xbb\xbfdate: 2020-01-01\nevent: a\n", "s.yaml")
    assert ({"date": "2020-01-01", "event": "a"}, []) == (doc.data, doc.problems)


def test_a_forbidden_character_after_a_blank_first_line_is_located() -> None:
    doc = yamlread.read_text("\na\tb: c\n", "s.yaml")
    assert ["s.yaml:2:2: $: a tab character; indent with spaces"] == [str(p) for p in doc.problems]


def test_forbidden_characters_are_reported_up_to_the_limit() -> None:
    """One problem each, in file order, up to MAX_PROBLEMS; the file is not parsed."""
    doc = yamlread.read_text("a: " + "\t" * (yamlread.MAX_PROBLEMS + 5) + "\n", "s.yaml")
    assert (None, None) == (doc.data, doc.text)
    assert [
        f"s.yaml:1:{k}: $: a tab character; indent with spaces"
        for k in range(4, 4 + yamlread.MAX_PROBLEMS)
    ] == [str(p) for p in doc.problems]


def test_problems_of_the_yaml_stop_at_the_limit() -> None:
    doc = yamlread.read_text("a: 1\n" * (yamlread.MAX_PROBLEMS + 6), "s.yaml")
    assert doc.data is None
    assert [
        f"s.yaml:{n}:1: $.a: duplicate key `a`; the first is on line 1"
        for n in range(2, 2 + yamlread.MAX_PROBLEMS)
    ] == [str(p) for p in doc.problems]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: b: c\n",
            "s.yaml:1:5: $: invalid YAML: mapping values are not allowed in this context",
        ),
        (
            "a: [b, c\nd: e\n",
            "s.yaml:2:2: $: invalid YAML: did not find expected ',' or ']'"
            " (while parsing a flow sequence at line 1, column 4)",
        ),
    ],
    ids=["no context", "found a line after it began"],
)
def test_invalid_yaml_is_one_located_problem(text: str, message: str) -> None:
    """Where the parser's error began is added only when it has one and it is elsewhere."""
    doc = yamlread.read_text(text, "s.yaml")
    assert (None, [message]) == (doc.data, [str(p) for p in doc.problems])


def test_a_path_in_an_empty_file_is_located_at_its_start() -> None:
    assert (1, 1) == yamlread.read_text("", "s.yaml").locate(("units", "eng"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\n", "s.yaml:2:1: $: file is empty; expected a mapping"),
        ("# c\n---\n...\n", "s.yaml:3:1: $: file is empty; expected a mapping"),
        (
            "a: !<tag:yaml.org,2002:tag:yaml.org,2002:str> b\n",
            "s.yaml:1:4: $.a: tags (`!!tag:yaml.org,2002:str`) are not allowed",
        ),
    ],
    ids=["a document of nothing", "a comment and a document of nothing", "a verbatim tag"],
)
def test_a_document_of_nothing_or_a_tag_is_refused(text: str, message: str) -> None:
    """A tag is shown as written: its standard prefix as `!!`, once."""
    assert [message] == [str(p) for p in yamlread.read_text(text, "s.yaml").problems]


def test_a_list_item_s_key_is_the_item_itself() -> None:
    doc = yamlread.read_text("sources:\n  - a\n  - [b]\n", "s.yaml")
    assert [(2, 5), (3, 5), (3, 5)] == [
        doc.locate(("sources", 0), at_key=True),
        doc.locate(("sources", 1), at_key=True),
        doc.locate(("sources", 1)),
    ]


def test_a_duplicate_key_names_the_line_of_the_first_key_not_of_its_value() -> None:
    doc = yamlread.read_text("a:\n  x: 1\na: 2\ncaf\u00e9:\n  x: 1\ncafe\u0301: 2\n", "s.yaml")
    assert [
        "s.yaml:3:1: $.a: duplicate key `a`; the first is on line 1",
        "s.yaml:6:1: $['cafe\u0301']: duplicate key `cafe\u0301`: written 'cafe\\u0301', it is"
        " the same text as `caf\u00e9`, written 'caf\\xe9', once Unicode-normalised (NFC);"
        " the first is on line 4",
    ] == [str(p) for p in doc.problems]


def test_the_value_of_a_key_refused_as_a_duplicate_once_normalised_is_passed_over() -> None:
    """The refused key's whole value (a mapping holding a list) is skipped, and the keys
    after it are read."""
    doc = yamlread.read_text("caf\u00e9: 1\ncafe\u0301:\n  x: 1\n  y: [2]\nb: 2\n", "s.yaml")
    assert {"caf\u00e9": "1", "b": "2"} == doc.data
    assert [2] == [p.line for p in doc.problems]


def test_a_refused_value_is_skipped_up_to_the_depth_limit() -> None:
    """A refused key's value nested MAX_DEPTH deep is passed over and the next key read;
    one level deeper, the rest of the file is abandoned."""
    deep = yamlread.MAX_DEPTH
    problem = ["s.yaml:2:1: $.a: duplicate key `a`; the first is on line 1"]
    for depth, data in [(deep, {"a": "1", "b": "2"}), (deep + 1, None)]:
        doc = yamlread.read_text(f"a: 1\na: {'[' * depth}{']' * depth}\nb: 2\n", "s.yaml")
        assert (data, problem) == (doc.data, [str(p) for p in doc.problems])


@pytest.mark.parametrize("char", ["\ud800", "\udfff"], ids=["U+D800", "U+DFFF"])
def test_a_lone_surrogate_in_text_is_a_located_problem(char: str) -> None:
    """Text given as ``str`` (``orgdiff.parse_snapshot``) can hold what no UTF-8 file can;
    it is refused like any character YAML cannot take, not raised as an encoding error."""
    from orgdiff import OrgDataError
    from orgdiff.load import parse_snapshot

    doc = yamlread.read_text(f"date: 2020-01-01\nevent: a{char}b\n", "s.yaml")
    message = f"a lone surrogate (U+{ord(char):04X}), which is not text"
    assert (None, [f"s.yaml:2:9: $: {message}"]) == (doc.data, [str(p) for p in doc.problems])
    with pytest.raises(OrgDataError) as refused:
        parse_snapshot(f"date: 2020-01-01\nevent: a{char}b\nunits: {{}}\n")
    assert [f"<string>:2:9: $: {message}"] == [str(p) for p in refused.value.problems]
