"""The pieces every shell shares: magic rewriting, history, masking, tables, settings."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from foundry.domain.config import MappingConfig
from foundry.domain.env import EnvVar
from foundry.domain.errors import ConfigurationError
from foundry.tinker_enhanced.errors import ShellUnavailableError
from foundry.tinker_enhanced.evaluation import Evaluator, describe_error
from foundry.tinker_enhanced.history import HistoryFile
from foundry.tinker_enhanced.interrupts import Interrupter
from foundry.tinker_enhanced.listing import Listing
from foundry.tinker_enhanced.magics import rewrite_magics
from foundry.tinker_enhanced.masking import MASK, mask_value, secret_keys
from foundry.tinker_enhanced.session import json_value
from foundry.tinker_enhanced.settings import DEFAULT_HISTORY, TinkerSettings
from foundry.tinker_enhanced.shells import choose_shell


def test_magic_lines_become_dispatcher_calls_keeping_indentation():
    source = "x = 1\n%routes\n  %config app.name  \nif x:\n\t%commands make:"
    assert rewrite_magics(source).split("\n") == [
        "x = 1",
        "__tinker_magic__('routes', '')",
        "  __tinker_magic__('config', 'app.name')",
        "if x:",
        "\t__tinker_magic__('commands', 'make:')",
    ]


def test_lines_that_are_not_magics_are_left_alone():
    source = "a = 10 % 3\nb = '%config x'\n%%time\n100 %\n"
    assert rewrite_magics(source) == source


def test_a_magic_argument_with_quotes_stays_one_string():
    assert rewrite_magics("%config it's") == "__tinker_magic__('config', \"it's\")"


def test_history_round_trips_multi_line_entries(tmp_path: Path):
    history = HistoryFile(tmp_path / "framework" / "tinker_history")
    history.append("await db.get(Product, 1)")
    history.append("for p in products:\n    print(p)")
    history.append("   ")  # blank entries are not kept
    assert history.load() == ["await db.get(Product, 1)", "for p in products:\n    print(p)"]
    assert (history.path.stat().st_mode & 0o777) == 0o600


def test_history_is_readable_by_prompt_toolkit_and_back(tmp_path: Path):
    from prompt_toolkit.history import FileHistory

    path = tmp_path / "tinker_history"
    HistoryFile(path).append("x = 1\ny = 2")
    prompt_history = FileHistory(str(path))
    assert list(prompt_history.load_history_strings()) == ["x = 1\ny = 2"]
    prompt_history.store_string("await db.commit()")
    assert HistoryFile(path).load() == ["x = 1\ny = 2", "await db.commit()"]


def test_history_keeps_the_newest_entries_up_to_its_limit(tmp_path: Path):
    history = HistoryFile(tmp_path / "h", limit=2)
    for number in range(5):
        history.append(f"n = {number}")
    assert history.load() == ["n = 3", "n = 4"]


def test_a_missing_history_file_has_no_entries(tmp_path: Path):
    assert HistoryFile(tmp_path / "absent").load() == []


def test_secrets_are_masked_by_declaration_name_and_url_password():
    secrets = secret_keys([EnvVar("APP_KEY", "app.key", "key", secret=True)])
    assert mask_value("app.key", "base64:abc", secrets) == MASK
    assert mask_value("mail.password", "pw", secrets) == MASK
    assert mask_value("services.stripe.secret", "sk", secrets) == MASK
    assert mask_value("redis.url", "redis://user:pw@host:6379/0") == (
        f"redis://user:{MASK}@host:6379/0"
    )
    assert mask_value("redis.url", "redis://host:6379/0") == "redis://host:6379/0"
    assert mask_value("app.name", "Shop") == "Shop"
    assert mask_value("app.key", "", secrets) == ""  # an empty secret gives nothing away
    assert mask_value("keys.list", ["a", "b"]) == ["a", "b"]


def test_listing_reads_as_a_table_and_as_data():
    listing = Listing(("Name", "Size"), [("a", 1), ("bb", 22)], title="Things")
    assert repr(listing).splitlines() == [
        "Things",
        "Name  Size",
        "----  ----",
        "a        1",
        "bb      22",
    ]
    assert listing.to_data() == [{"name": "a", "size": 1}, {"name": "bb", "size": 22}]
    assert list(listing)[1] == {"name": "bb", "size": 22}
    assert len(listing) == 2
    assert repr(Listing(("A",), [], empty="No routes.")) == "No routes."


def test_json_values_are_kept_and_anything_else_is_its_repr():
    assert json_value((1, "a")) == [1, "a"]
    assert json_value(float("nan")) == "nan"
    assert json_value(Path("/x")) == repr(Path("/x"))
    assert json_value(Listing(("A",), [(1,)])) == [{"a": 1}]


def test_settings_resolve_the_history_path_and_shell(tmp_path: Path):
    default = TinkerSettings.from_config(MappingConfig(), tmp_path)
    assert default.history == tmp_path / DEFAULT_HISTORY
    assert default.shell == "auto"
    custom = MappingConfig({"tinker": {"history": "/var/h", "shell": "Python"}})
    settings = TinkerSettings.from_config(custom, tmp_path)
    assert settings.history == Path("/var/h")
    assert settings.shell == "python"
    off = TinkerSettings.from_config(MappingConfig({"tinker": {"history": "off"}}), tmp_path)
    assert off.history is None


def test_settings_refuse_an_unknown_shell(tmp_path: Path):
    with pytest.raises(ConfigurationError, match=r'tinker\.shell \(TINKER_SHELL\) is "bpython"'):
        TinkerSettings.from_config(MappingConfig({"tinker": {"shell": "bpython"}}), tmp_path)


def test_auto_prefers_ipython_then_ptpython_then_the_console(monkeypatch):
    assert choose_shell("auto") == "ipython"
    monkeypatch.setitem(sys.modules, "IPython", None)  # as if it were not installed
    assert choose_shell("auto") == "ptpython"
    monkeypatch.setitem(sys.modules, "ptpython", None)
    assert choose_shell("auto") == "python"
    assert choose_shell("python") == "python"


def test_asking_for_a_shell_that_is_not_installed_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ptpython", None)
    with pytest.raises(ShellUnavailableError) as caught:
        choose_shell("ptpython")
    assert "pip install 'foundry-tinker-enhanced[ptpython]'" in caught.value.message


async def test_the_evaluator_awaits_top_level_await_on_the_running_loop():
    import asyncio

    namespace: dict[str, object] = {"asyncio": asyncio}
    evaluation = await Evaluator(namespace).run_snippet(
        "loop = asyncio.get_running_loop()\nawait asyncio.sleep(0)\nloop"
    )
    assert evaluation.has_value
    assert evaluation.value is asyncio.get_running_loop()


async def test_an_unawaited_coroutine_is_a_value_not_run():
    import asyncio

    namespace: dict[str, object] = {"asyncio": asyncio}
    evaluation = await Evaluator(namespace).run_snippet("asyncio.sleep(0)")
    assert asyncio.iscoroutine(evaluation.value)
    evaluation.value.close()


async def test_error_descriptions_name_the_line_of_the_snippet():
    namespace: dict[str, object] = {}
    with pytest.raises(KeyError) as caught:
        await Evaluator(namespace).run_snippet("d = {}\n\nd['missing']")
    assert describe_error(caught.value) == "KeyError: 'missing' (line 3 of the --execute code)"


async def test_the_interrupter_restores_the_previous_handler():
    import asyncio

    previous = signal.getsignal(signal.SIGINT)
    with Interrupter(asyncio.get_running_loop()) as interrupter:
        assert signal.getsignal(signal.SIGINT) == interrupter._handle
    assert signal.getsignal(signal.SIGINT) == previous


async def test_ctrl_c_while_awaiting_cancels_only_the_statement():
    import asyncio
    import os

    loop = asyncio.get_running_loop()
    with Interrupter(loop) as interrupter:
        evaluator = Evaluator({"asyncio": asyncio}, interrupter)
        loop.call_later(0.05, os.kill, os.getpid(), signal.SIGINT)
        with pytest.raises(KeyboardInterrupt):
            await evaluator.run_snippet("await asyncio.sleep(30)")
        # The loop and this task go on: the next statement runs.
        evaluation = await evaluator.run_snippet("await asyncio.sleep(0)\n'next'")
    assert evaluation.value == "next"


async def test_ctrl_c_in_a_busy_statement_raises_keyboard_interrupt_there():
    import asyncio
    import os
    import threading

    with Interrupter(asyncio.get_running_loop()) as interrupter:
        evaluator = Evaluator({}, interrupter)
        timer = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                await evaluator.run_snippet("while True:\n    pass")
        finally:
            timer.cancel()
        assert (await evaluator.run_snippet("'still here'")).value == "still here"


def test_output_writer_survives_an_output_that_prints(capfd):
    from contextlib import redirect_stdout

    from foundry.domain.outputs import BufferedOutput
    from foundry.tinker_enhanced.capture import OutputWriter

    class PrintingOutput(BufferedOutput):
        def line(self, text: str = "", *, style: str | None = None) -> None:
            super().line(text)
            print(f"echo {text}")  # writes to sys.stdout, which is the writer itself

    output = PrintingOutput()
    writer = OutputWriter(output)
    with redirect_stdout(writer):
        print("hello")
    writer.finish()
    assert output.text() == "hello"
    assert "echo hello" in capfd.readouterr().out


def test_interactive_magics_report_failures_on_one_line(shop: Path, capsys):
    from tinker_support import make_app

    from foundry.tinker_enhanced.magics import Magics

    magics = Magics(make_app(shop, database=False))
    assert magics.reporting("nope") is None
    assert capsys.readouterr().err == (
        "Error: %nope is not a tinker magic; the magics are %routes, %commands, %config.\n"
    )
    assert magics.reporting("config", "app.env") == "local"
