"""Rendering: strict variables, exact newlines, filters, includes, clear errors."""

from __future__ import annotations

import pytest

from foundry.domain.errors import NotFoundError
from foundry.domain.stubs import StubRenderer
from foundry.stub_system import JinjaStubRenderer, StubRenderError


def test_it_implements_the_contract(renderer_for) -> None:
    assert isinstance(renderer_for(), StubRenderer)
    assert isinstance(renderer_for(), JinjaStubRenderer)


def test_a_missing_variable_names_the_stub_and_the_variable(make_package, renderer_for) -> None:
    source = make_package("acme-tools", {"command.py.jinja": "class {{ class_name }}: {{ x }}"})
    with pytest.raises(StubRenderError) as caught:
        renderer_for(source).render("command", {"class_name": "A", "other": 1})
    assert caught.value.message == (
        f'Stub "command" ({source.reference}/command.py.jinja) uses the variable "x", which was '
        'not given (the generator passed: class_name, other). Pass "x" or remove it from '
        f"{source.reference}/command.py.jinja."
    )


def test_a_missing_variable_is_an_error_even_inside_a_filter(renderer_for, app_stubs) -> None:
    app_stubs({"model.py.jinja": "{{ name | snake }}"})
    with pytest.raises(StubRenderError, match='uses the variable "name"'):
        renderer_for().render("model", {})


def test_a_missing_attribute_is_an_error_too(renderer_for, app_stubs) -> None:
    app_stubs({"model.py.jinja": "{{ model.table }}"})
    with pytest.raises(StubRenderError, match="has no attribute 'table'"):
        renderer_for().render("model", {"model": {}})


@pytest.mark.parametrize("ending", ["", "\n", "\n\n"])
def test_the_trailing_newline_is_kept_exactly(renderer_for, app_stubs, ending: str) -> None:
    app_stubs({"x.py.jinja": "value = 1" + ending})
    assert renderer_for().render("x", {}) == "value = 1" + ending


def test_block_tags_leave_no_blank_lines(renderer_for, app_stubs) -> None:
    app_stubs(
        {
            "x.py.jinja": (
                "import os\n{% if typed %}\n    from typing import Any\n{% endif %}\nvalue = 1\n"
            )
        }
    )
    assert renderer_for().render("x", {"typed": False}) == "import os\nvalue = 1\n"


def test_case_helpers_are_filters(renderer_for, app_stubs) -> None:
    app_stubs(
        {
            "model.py.jinja": (
                "{{ name | studly }} {{ name | snake | plural }} {{ name | kebab }} "
                "{{ name | camel }} {{ name | screaming_snake }} {{ name | title }} "
                "{{ 'people' | singular }}"
            )
        }
    )
    assert renderer_for().render("model", {"name": "blog-category"}) == (
        "BlogCategory blog_categories blog-category blogCategory BLOG_CATEGORY Blog Category person"
    )


def test_code_is_not_html_escaped(renderer_for, app_stubs) -> None:
    app_stubs({"x.py.jinja": "{{ expr }}"})
    assert renderer_for().render("x", {"expr": "a < b and c & d"}) == "a < b and c & d"


def test_stubs_include_other_stubs_with_the_same_precedence(
    make_package, renderer_for, app_stubs
) -> None:
    source = make_package(
        "acme-tools",
        {"header.py.jinja": "# package header\n", "command.py.jinja": "{% include 'header' %}x\n"},
    )
    renderer = renderer_for(source)
    assert renderer.render("command", {}) == "# package header\nx\n"
    app_stubs({"header.py.jinja": "# app header\n"})
    assert renderer.render("command", {}) == "# app header\nx\n"


def test_including_an_unknown_stub_is_not_found(renderer_for, app_stubs) -> None:
    app_stubs({"x.py.jinja": "{% include 'nothing' %}"})
    with pytest.raises(NotFoundError, match='No stub is named "nothing"'):
        renderer_for().render("x", {})


def test_a_syntax_error_names_the_stub_and_the_line(renderer_for, app_stubs) -> None:
    app_stubs({"x.py.jinja": "line one\n{% if %}\n"})
    with pytest.raises(StubRenderError) as caught:
        renderer_for().render("x", {})
    assert caught.value.message.startswith('Stub "x" cannot be read:')
    assert "(stubs/x.py.jinja, line 2)" in caught.value.message
