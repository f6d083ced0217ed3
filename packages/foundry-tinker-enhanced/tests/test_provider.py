"""The provider: the tinker command and its variables, through the kernel."""

from __future__ import annotations

from pathlib import Path

from tinker_support import make_app

from foundry.tinker_enhanced.provider import TinkerEnhancedServiceProvider


def test_the_provider_declares_tinker_and_its_variables():
    names = {var.name: var for var in TinkerEnhancedServiceProvider.env}
    assert set(names) == {"TINKER_HISTORY", "TINKER_SHELL"}
    assert names["TINKER_HISTORY"].key == "tinker.history"
    assert names["TINKER_SHELL"].choices == ("auto", "ipython", "ptpython", "python")


def test_tinker_is_in_the_command_registry_with_its_options(shop: Path):
    app = make_app(shop, database=False)
    descriptor = app.commands.descriptor("tinker")
    assert descriptor.package is None or descriptor.package == "foundry-tinker-enhanced"
    assert [option.name for option in descriptor.options] == ["execute", "shell"]
    assert descriptor.options[0].short == "e"


def test_the_variables_feed_the_config(shop: Path, monkeypatch):
    monkeypatch.setenv("TINKER_SHELL", "ptpython")
    monkeypatch.setenv("TINKER_HISTORY", "var/tinker.txt")
    app = make_app(shop, database=False)
    assert app.config.get("tinker.shell") == "ptpython"
    assert app.config.get("tinker.history") == "var/tinker.txt"
