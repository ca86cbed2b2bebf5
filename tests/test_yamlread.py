"""The careful reader's refusals of characters YAML would misread, and of files
over its size limit, each located exactly."""

from __future__ import annotations

import pytest

from orgdiff import yamlread
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
    assert (None, ["s.yaml: $: file is over the limit of 21 bytes"]) == (
        doc.data,
        [str(p) for p in doc.problems],
    )
