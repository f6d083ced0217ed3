"""The plain-text layouts every plain Output shares: made for grep, cut and awk."""

from __future__ import annotations

import pytest

from foundry.domain.text import (
    Grid,
    bullet_lines,
    cell_width,
    definition_lines,
    format_value,
    panel_lines,
    table_lines,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        ("as is", "as is"),
        (1200, "1200"),
        (1.5, "1.5"),
        (["redis", "file"], "redis, file"),
        (("a", None, True), "a, , true"),
        ({"driver": "redis", "tls": False}, "driver=redis, tls=false"),
        (b"raw", "b'raw'"),
    ],
)
def test_a_value_reads_the_same_in_every_cell(value: object, text: str) -> None:
    assert format_value(value) == text


def test_wide_characters_take_two_columns_and_combining_marks_none() -> None:
    assert cell_width("Oslo") == 4
    assert cell_width("東京") == 4
    assert cell_width("e\u0301") == 1


def test_a_table_aligns_columns_under_a_dashed_rule_with_numbers_to_the_right() -> None:
    grid = Grid.build(
        ["Name", "Size", "Cached"],
        [["app.css", 1200, True], ["logo.png", 45, False], ["notes", None, None]],
    )
    assert grid.numeric == (False, True, False)
    assert table_lines(grid, title="Assets") == [
        "Assets",
        "Name      Size  Cached",
        "--------  ----  ------",
        "app.css   1200  true",
        "logo.png    45  false",
        "notes",
    ]


def test_short_rows_are_padded_and_a_wider_row_is_refused_by_number() -> None:
    grid = Grid.build(["Key", "Value"], [["a"], ["b", "2"]])
    assert grid.rows == (("a", ""), ("b", "2"))
    assert table_lines(grid) == ["Key  Value", "---  -----", "a", "b    2"]
    with pytest.raises(ValueError, match="row 2 has 3 cells but the table has 2 headers"):
        Grid.build(["a", "b"], [[1, 2], [1, 2, 3]])


def test_a_cell_holding_a_newline_spans_lines_in_its_own_column() -> None:
    grid = Grid.build(["Id", "Note"], [[1, "first\nsecond"], [2, "x"]])
    assert table_lines(grid) == ["Id  Note", "--  ------", " 1  first", "    second", " 2  x"]


def test_columns_align_by_display_width() -> None:
    grid = Grid.build(["Name", "N"], [["東京", 1], ["Oslo", 2]])
    assert table_lines(grid) == ["Name  N", "----  -", "東京  1", "Oslo  2"]


def test_a_table_without_headers_is_only_its_title() -> None:
    assert table_lines(Grid.build([], []), title="Nothing") == ["Nothing"]
    assert table_lines(Grid.build([], [])) == []


def test_a_definition_list_aligns_its_values_and_indents_their_further_lines() -> None:
    items = {"Environment": "local", "Debug": True, "Drivers": ["redis", "file"], "Notes": "a\nb"}
    assert definition_lines(items, title="Application") == [
        "Application",
        "Environment  local",
        "Debug        true",
        "Drivers      redis, file",
        "Notes        a",
        "             b",
    ]
    assert definition_lines({}, title="Nothing") == ["Nothing"]
    assert definition_lines({}) == []


def test_bullets_use_dashes_and_indent_an_item_s_further_lines() -> None:
    assert bullet_lines(["users", "posts\n(soft deleted)"]) == [
        "- users",
        "- posts",
        "  (soft deleted)",
    ]
    assert bullet_lines([]) == []


def test_a_panel_puts_its_body_under_its_title() -> None:
    assert panel_lines("Run foundry migrate.\n\nThen restart.", title="Next steps") == [
        "Next steps",
        "  Run foundry migrate.",
        "",
        "  Then restart.",
    ]
    assert panel_lines("Untitled body") == ["Untitled body"]


def test_no_layout_leaves_trailing_whitespace() -> None:
    grid = Grid.build(["a", "b"], [["x", None], [None, "y"]])
    lines = [
        *table_lines(grid),
        *definition_lines({"key": "", "k": None}),
        *bullet_lines(["", "x\n"]),
        *panel_lines("\n", title="t"),
    ]
    assert all(line == line.rstrip() for line in lines)
