"""The ``foundry`` console script.

``main()`` parses the global flags, finds the kernel through the ``foundry.kernel`` entry
point, boots the application, runs the command through the kernel's ``CommandRunner``,
renders the outcome and appends the audit log line. Imports are deferred so that
``foundry --version`` costs little more than starting Python.
"""

from __future__ import annotations

import sys

# `typing` alone costs more than the rest of `foundry --version`; mypy treats this
# constant like typing.TYPE_CHECKING.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, TextIO

    from foundry.cli.flags import GlobalFlags
    from foundry.domain.application import Application, CommandOutcome
    from foundry.domain.commands import CommandDescriptor

__all__ = ["main"]

PROGRAM = "foundry"


def _fail(message: str, code: int, exc: BaseException | None, verbose: int) -> int:
    """One line on stderr; the traceback only at -vvv."""
    if exc is not None and verbose >= 3:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    print(f"Error: {message}", file=sys.stderr)
    return code


def _kernel() -> type[Application]:
    from foundry.domain.application import KERNEL_GROUP
    from foundry.domain.discovery import discover
    from foundry.domain.errors import ConfigurationError

    for entry in discover(KERNEL_GROUP):
        if entry.name == "application":
            kernel: type[Application] = entry.load()
            return kernel
    raise ConfigurationError("No Foundry kernel is installed. Install foundry-application.")


def _configure_logging(app: Application, verbosity: Any) -> bool:
    """Apply -q/-v levels; returns whether tracebacks are shown."""
    from foundry.domain.commands import Verbosity
    from foundry.domain.console import LogConfigurator

    if app.bound(LogConfigurator):
        configurator = app.make(LogConfigurator)
        configurator.apply(verbosity)
        return configurator.shows_tracebacks(verbosity)
    import logging

    level = {0: logging.ERROR, 1: logging.WARNING, 2: logging.INFO}.get(
        int(verbosity), logging.DEBUG
    )
    logging.basicConfig(level=level, stream=sys.stderr)
    return bool(verbosity >= Verbosity.DEBUG)


def _render(outcome: CommandOutcome, flags: GlobalFlags, output: Any, stdout: TextIO) -> None:
    """Human: the result's message; JSON: one document on stdout."""
    if flags.format == "json":
        import json

        stdout.write(json.dumps(outcome.to_dict(), default=str, ensure_ascii=False) + "\n")
        stdout.flush()
        return
    result = outcome.result
    if outcome.exit_code != 0:
        reason = outcome.error or result.message or f"exited with status {outcome.exit_code}"
        output.error(f"Error: {reason}")
    elif result.message:
        if result.status.value == "skipped":
            output.warning(result.message)
        else:
            output.success(result.message)


def _styled(text: str, style: str | None, ansi: bool | None) -> str:
    """The fast path's only styling: namespace headings in yellow on a terminal."""
    import os

    if style != "yellow":
        return text
    if ansi is None:
        ansi = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return f"\x1b[33m{text}\x1b[0m" if ansi else text


def _from_manifest(flags: GlobalFlags, name: str, words: list[str]) -> int | None:
    """Answer ``list`` and ``--help`` from the command manifest, when it is current.

    None means "not answered here": the kernel loads and answers (and refreshes the
    manifest), so a stale or missing manifest only costs the normal path.
    """
    listing = (
        name in ("list", "ls") and len(words) <= 1 and not any(w.startswith("-") for w in words)
    )
    if not (flags.help or listing):
        return None
    from foundry.cli.manifest import Manifest, manifest_path
    from foundry.domain.project import find_base_path

    base = find_base_path()
    path = manifest_path(base)
    manifest = Manifest.read(path, base) if path is not None else None
    if manifest is None:
        return None
    if flags.help:
        entry = manifest.find(name)
        if entry is None:
            return None
        from foundry.cli.help import render_help
        from foundry.domain.commands import CommandDescriptor

        print(render_help(CommandDescriptor.from_dict(entry), PROGRAM))
        return 0
    namespace = words[0] if words else None
    commands = sorted(
        (c for c in manifest.commands if not c.get("hidden")), key=lambda c: c["name"]
    )
    entries = [
        {k: c.get(k) for k in ("name", "aliases", "summary", "package", "namespace")}
        for c in commands
        if namespace is None or c.get("namespace") == namespace
    ]
    if not entries:
        return None
    from foundry.cli import __version__

    if flags.format == "json":
        import json

        document: dict[str, Any] = {"status": "success", "message": None, "data": entries}
        document.update(command="list", exit_code=0)
        print(json.dumps(document, default=str, ensure_ascii=False))
    elif not flags.quiet:
        from foundry.cli.listing import list_lines

        for text, style in list_lines(entries, __version__):
            print(_styled(text, style, flags.ansi))
    from foundry.cli.audit import AuditLog, configured_path

    AuditLog.for_app(base, configured_path()).record(
        {
            "command": "list",
            "argv": words,
            "format": flags.format,
            "dry_run": flags.dry_run,
            "force": flags.force,
            "status": "success",
            "exit_code": 0,
            "duration_ms": None,
            "error": None,
        }
    )
    return 0


def _refresh_manifest(app: Application) -> None:
    """Rewrite the command manifest when it no longer matches what was just loaded."""
    from foundry.cli.manifest import Manifest, manifest_path, source_files

    path = manifest_path(app.base_path)
    if path is None or Manifest.read(path, app.base_path) is not None:
        return
    Manifest.of(app, source_files(app)).write(path)


def _run(argv: Sequence[str]) -> int:
    from foundry.cli.flags import FlagError, split_flags

    try:
        flags = split_flags(argv)
    except FlagError as exc:
        return _fail(str(exc), 2, None, 0)
    if flags.version and not flags.rest:
        from foundry.cli import __version__

        print(f"Foundry {__version__}")
        return 0

    name = flags.rest[0] if flags.rest else "list"
    words = flags.rest[1:]
    if flags.version:
        words, name = [], "about"
    answered = _from_manifest(flags, name, words)
    if answered is not None:
        return answered

    import asyncio

    from foundry.cli.audit import AuditLog, configured_path, mask_argv
    from foundry.domain.commands import Verbosity
    from foundry.domain.errors import CommandNotFoundError, FoundryError

    descriptor: CommandDescriptor | None = None
    try:
        app = _kernel()().load()
        _refresh_manifest(app)
        if flags.help:
            descriptor = app.commands.descriptor(name)
            from foundry.cli.help import render_help

            print(render_help(descriptor, PROGRAM))
            return 0
        descriptor = app.commands.descriptor(name)
        if descriptor.requires_boot:
            app.boot()
        else:
            app.register()
    except CommandNotFoundError as exc:
        return _fail(exc.message, 2, exc, flags.verbose)
    except FoundryError as exc:
        return _fail(exc.message, 1, exc, flags.verbose)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an unexpected failure while booting
        return _fail(f"{type(exc).__name__}: {exc}", 1, exc, flags.verbose)

    verbosity = Verbosity(flags.verbosity_level)
    tracebacks = _configure_logging(app, verbosity)
    from foundry.domain.console import Output

    stdout = sys.stdout
    # Under --format json stdout carries exactly one JSON document; anything a command
    # writes for people goes to stderr instead.
    human_stream = sys.stderr if flags.format == "json" else stdout
    output = app.make(
        Output, stdout=human_stream, stderr=sys.stderr, verbosity=verbosity, decorated=flags.ansi
    )
    interactive = not flags.no_interaction and sys.stdin.isatty()

    async def execute() -> CommandOutcome:
        from foundry.domain.application import CommandRunner

        try:
            return await app.make(CommandRunner).run(
                name,
                words,
                output=output,
                format="json" if flags.format == "json" else "human",
                dry_run=flags.dry_run,
                force=flags.force,
                interactive=interactive,
                verbosity=verbosity,
            )
        finally:
            await app.terminate()

    try:
        outcome = asyncio.run(execute())
    except KeyboardInterrupt:
        return 130
    _render(outcome, flags, output, stdout)
    if outcome.exception is not None and tracebacks and outcome.exit_code not in (0, 2):
        import traceback

        traceback.print_exception(outcome.exception, file=sys.stderr)
    configured = configured_path()
    if configured is None:
        configured = app.config.get("cli.audit_log")
    AuditLog.for_app(app.base_path, configured).record(
        {
            "command": outcome.command,
            "argv": mask_argv(words, descriptor),
            "format": flags.format,
            "dry_run": flags.dry_run,
            "force": flags.force,
            "status": outcome.result.status.value,
            "exit_code": outcome.exit_code,
            "duration_ms": round(outcome.duration_ms, 3),
            "error": outcome.error,
        }
    )
    return outcome.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``foundry`` and ``rustforge`` scripts."""
    try:
        code = _run(sys.argv[1:] if argv is None else argv)
    except BrokenPipeError:
        # `foundry x | head`: the reader left. Point stdout at /dev/null so the interpreter's
        # final flush does not raise again, and exit like a process killed by SIGPIPE.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 141
    if argv is None:
        sys.exit(code)
    return code
