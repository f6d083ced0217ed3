"""``foundry tinker`` at a real terminal (a pseudo-terminal driven by pexpect).

Each test opens the shell on a temp app whose SQLite database holds a product, reads the
product back through ``db``, leaves with Ctrl-D and checks the exit code and the shared
history file. Input is typed once the prompt is drawn; prompt_toolkit (IPython, ptpython)
switches the terminal to raw mode around its prompt, so those tests give it a moment
before typing.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pexpect
import pytest
from tinker_support import foundry_script, make_app, seed, subprocess_env

from foundry.tinker_enhanced.history import HistoryFile

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\r")
PYTHON_PROMPT = ">>> "
IPYTHON_PROMPT = r"In \[(?:\x1b\[[0-9;]*m)*\d+(?:\x1b\[[0-9;]*m)*\]: "
PTPYTHON_PROMPT = ">>>"
UP = "\x1b[A"


def plain(text: str) -> str:
    return ANSI.sub("", text)


class Terminal:
    """A tinker session in a pseudo-terminal."""

    def __init__(self, shop: Path, tmp_path: Path, shell: str, prompt: str, term: str) -> None:
        self.prompt = prompt
        self.settle = 0.0 if shell == "python" else 0.3
        self.child = pexpect.spawn(
            foundry_script(),
            ["tinker", f"--shell={shell}"],
            cwd=str(shop),
            env=subprocess_env(tmp_path, TERM=term),
            encoding="utf-8",
            timeout=60,
            dimensions=(50, 200),
        )
        self.banner = self.wait()

    def wait(self) -> str:
        """Everything shown up to the next prompt."""
        self.child.expect(self.prompt)
        time.sleep(self.settle)  # prompt_toolkit enters raw mode around its prompt
        return plain(self.child.before)

    def run(self, text: str, until: str) -> str:
        """Type ``text`` and Enter, wait for output matching ``until`` and the next prompt;
        what was shown. (prompt_toolkit redraws its prompt at every key, so the prompt
        alone does not tell that the statement ran.)"""
        self.child.send(text + "\r")
        self.child.expect(until)
        shown = plain(self.child.before + self.child.after)
        return shown + self.wait()

    def leave(self) -> int:
        """Ctrl-D; the exit status."""
        for _ in range(5):
            self.child.sendeof()
            try:
                self.child.expect(pexpect.EOF, timeout=5)
                break
            except pexpect.TIMEOUT:
                continue  # a key typed while the prompt was being redrawn can be lost
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


@pytest.fixture
async def seeded(shop: Path, database_url: str) -> Path:
    app = make_app(shop)
    await seed(app, "Anvil")
    await app.terminate()
    history = shop / "storage" / "framework" / "tinker_history"
    history.unlink(missing_ok=True)
    HistoryFile(history).append("6 * 7")  # typed in an earlier session, any shell
    return shop


def history_of(shop: Path) -> list[str]:
    return HistoryFile(shop / "storage" / "framework" / "tinker_history").load()


def test_python_console_reads_a_model_through_db_and_exits_cleanly(seeded: Path, tmp_path):
    terminal = Terminal(seeded, tmp_path, "python", PYTHON_PROMPT, "dumb")
    assert "Python console" in terminal.banner
    assert "Models: Product" in terminal.banner
    shown = terminal.run("await db.get(Product, 1)", r"Product\(.*\)")
    assert "name='Anvil'" in shown
    assert "price=1999" in shown
    shown = terminal.run("(await db.execute(select(Product))).scalars().all()", r"\[Product")
    assert "name='Anvil'" in shown
    assert "'local'" in terminal.run("%config app.env", "'local'")
    assert terminal.leave() == 0
    assert history_of(seeded)[-3:] == [
        "await db.get(Product, 1)",
        "(await db.execute(select(Product))).scalars().all()",
        "%config app.env",
    ]


def test_python_console_recalls_history_and_completes_names(seeded: Path, tmp_path):
    terminal = Terminal(seeded, tmp_path, "python", PYTHON_PROMPT, "dumb")
    shown = terminal.run("\x10", "42")  # Ctrl-P: the previous session's last statement
    assert "6 * 7" in shown
    # Tab completes the model's name (rlcompleter adds "(" to a class; erase it).
    shown = terminal.run("Produ\t\x08.__name__", "'Product'")
    assert shown.startswith("Product(")  # what Tab wrote after "Produ"
    assert terminal.leave() == 0


def test_python_console_survives_ctrl_c(seeded: Path, tmp_path):
    terminal = Terminal(seeded, tmp_path, "python", PYTHON_PROMPT, "dumb")
    terminal.child.send("half a line")
    # Its echo shows the line editor is reading: a Ctrl-C sent before that (while the
    # console still sets the terminal up) can be discarded with the pending input.
    terminal.child.expect("half a line")
    terminal.child.sendintr()
    assert "KeyboardInterrupt" in terminal.wait()
    # Each statement prints a marker its own echo does not contain, so Ctrl-C is sent only
    # once the statement is really running (no sleeping to guess when that is).
    terminal.child.send('import asyncio; print("sleep" + "ing"); await asyncio.sleep(60)\r')
    terminal.child.expect("sleeping")
    terminal.child.sendintr()
    assert "KeyboardInterrupt" in terminal.wait()
    terminal.child.send('print("spin" + "ning"); exec("while True: pass")\r')
    terminal.child.expect("spinning")
    terminal.child.sendintr()
    assert "KeyboardInterrupt" in terminal.wait()
    assert "name='Anvil'" in terminal.run("await db.get(Product, 1)", "name='Anvil'")
    assert terminal.leave() == 0


def test_ipython_reads_a_model_through_db_and_exits_cleanly(seeded: Path, tmp_path):
    terminal = Terminal(seeded, tmp_path, "ipython", IPYTHON_PROMPT, "xterm-256color")
    assert "IPython" in terminal.banner
    assert "Models: Product" in terminal.banner
    shown = terminal.run("await db.get(Product, 1)", r"Out\[.*\)")
    assert "name='Anvil'" in shown
    shown = terminal.run("(await db.execute(select(Product))).scalars().all()", r"\]\s*$|\)\]")
    assert "[Product(" in shown
    shown = terminal.run("%routes products", "products.show")
    assert "/products/{product_id}" in shown
    # Up, past this session's three statements, to the one the shared file holds.
    shown = terminal.run(UP * 4, "42")
    assert "Out[4]" in shown
    assert terminal.leave() == 0
    assert "await db.get(Product, 1)" in history_of(seeded)


def test_ptpython_reads_a_model_through_db_and_exits_cleanly(seeded: Path, tmp_path):
    terminal = Terminal(seeded, tmp_path, "ptpython", PTPYTHON_PROMPT, "xterm-256color")
    assert "ptpython" in terminal.banner
    shown = terminal.run("await db.get(Product, 1)", r"Product\(.*\)")
    assert "name='Anvil'" in shown
    assert "'local'" in terminal.run("%config app.env", "'local'")
    assert terminal.leave() == 0
    assert history_of(seeded)[-2:] == ["await db.get(Product, 1)", "%config app.env"]
