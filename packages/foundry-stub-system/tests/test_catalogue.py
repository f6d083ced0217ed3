"""Where stubs come from: packages' folders, overridden by the app's stubs/."""

from __future__ import annotations

from pathlib import Path

import pytest

from foundry.domain.errors import ConfigurationError, NotFoundError
from foundry.stub_system import DuplicateStubError, StubCatalogue, StubSource
from foundry.stub_system.catalogue import stub_name


@pytest.mark.parametrize(
    ("relative", "name"),
    [
        ("command.py.jinja", "command"),
        ("migration.py.jinja", "migration"),
        ("page.html.jinja", "page"),
        ("README.jinja", "README"),
        ("auth/login.html.jinja", "auth/login"),
        ("model.schema.json.jinja", "model.schema"),
    ],
)
def test_stub_names_drop_jinja_and_the_extension(relative: str, name: str) -> None:
    assert stub_name(relative) == name


def test_a_packages_stubs_are_found_by_name(make_package, renderer_for) -> None:
    source = make_package(
        "acme-tools",
        {
            "command.py.jinja": "c",
            "auth/login.html.jinja": "l",
            "notes.txt": "not a stub",
            "__pycache__/junk.py.jinja": "ignored",
        },
    )
    assert renderer_for(source).stub_names() == ["auth/login", "command"]


def test_the_apps_copy_wins_over_the_packages(make_package, renderer_for, app_stubs) -> None:
    source = make_package("acme-tools", {"command.py.jinja": "from the package\n"})
    renderer = renderer_for(source)
    assert renderer.render("command", {}) == "from the package\n"
    app_stubs({"command.py.jinja": "from the app\n"})
    assert renderer.render("command", {}) == "from the app\n"  # read afresh, no restart
    stub = renderer.catalogue.stubs()["command"]
    assert stub.overridden
    assert stub.package == "acme-tools"
    assert stub.active.location == "stubs/command.py.jinja"


def test_the_app_may_add_stubs_no_package_ships(make_package, renderer_for, app_stubs) -> None:
    app_stubs({"report.md.jinja": "# {{ title }}\n"})
    renderer = renderer_for(make_package("acme-tools", {"command.py.jinja": "c"}))
    assert renderer.stub_names() == ["command", "report"]
    stub = renderer.catalogue.stubs()["report"]
    assert (stub.package, stub.overridden) == ("app", False)


def test_later_packages_do_not_silently_replace_earlier_ones(make_package, renderer_for) -> None:
    one = make_package("acme-one", {"command.py.jinja": "one"})
    two = make_package("acme-two", {"sub/x.py.jinja": "x", "command.py.jinja": "two"})
    renderer = renderer_for(one, two)  # building it reads nothing yet
    with pytest.raises(DuplicateStubError) as caught:
        renderer.stub_names()
    message = caught.value.message
    assert 'Two packages ship the stub "command"' in message
    assert "acme-one" in message
    assert "acme-two" in message
    assert "FOUNDRY_DONT_DISCOVER" in message
    with pytest.raises(DuplicateStubError):
        renderer.render("sub/x", {})


def test_two_files_with_one_name_in_one_folder(make_package, renderer_for) -> None:
    source = make_package("acme-tools", {"command.py.jinja": "a", "command.txt.jinja": "b"})
    with pytest.raises(DuplicateStubError) as caught:
        renderer_for(source).stub_names()
    assert "acme-tools ships two stubs named" in caught.value.message
    assert "command.py.jinja" in caught.value.message
    assert "command.txt.jinja" in caught.value.message


def test_the_same_folder_declared_twice_counts_once(make_package, renderer_for) -> None:
    source = make_package("acme-tools", {"command.py.jinja": "c"})
    assert renderer_for(source, source).stub_names() == ["command"]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("no-colon", 'must be "package:folder"'),
        ("nowhere_at_all_pkg:stubs", "cannot be imported"),
    ],
)
def test_a_broken_reference_names_the_package(
    reference: str, expected: str, app_root: Path
) -> None:
    catalogue = StubCatalogue([StubSource("acme-broken", reference)], app_root / "stubs")
    with pytest.raises(ConfigurationError) as caught:
        catalogue.stubs()
    assert caught.value.message.startswith("acme-broken declares stubs")
    assert expected in caught.value.message


def test_a_missing_folder_names_the_package(make_package, app_root: Path) -> None:
    real = make_package("acme-tools", {"command.py.jinja": "c"})
    module = real.reference.split(":")[0]
    catalogue = StubCatalogue([StubSource("acme-tools", f"{module}:templates")], app_root)
    with pytest.raises(ConfigurationError) as caught:
        catalogue.stubs()
    assert "that folder is not in the installed package" in caught.value.message


def test_an_unknown_stub_is_not_found_with_a_suggestion(make_package, renderer_for) -> None:
    renderer = renderer_for(make_package("acme-tools", {"command.py.jinja": "c"}))
    with pytest.raises(NotFoundError) as caught:
        renderer.render("comand", {})
    assert caught.value.message == (
        'No stub is named "comand". Did you mean "command"? Known stubs: command.'
    )


def test_no_stubs_anywhere(app_root: Path) -> None:
    catalogue = StubCatalogue((), app_root / "stubs")
    assert catalogue.stubs() == {}
    with pytest.raises(NotFoundError, match="no installed package ships stubs"):
        catalogue.get("command")
