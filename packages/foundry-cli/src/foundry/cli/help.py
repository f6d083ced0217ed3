"""``foundry <command> --help``: usage, arguments, options, in Laravel's layout."""

from __future__ import annotations

from foundry.domain.commands import Argument, CommandDescriptor, Option

__all__ = ["render_help"]

GLOBAL_OPTIONS: tuple[tuple[str, str], ...] = (
    ("-h, --help", "Display help for the given command"),
    ("--format=FORMAT", "Output format: human or json"),
    ("--dry-run", "Show what would change without changing anything"),
    ("--force", "Overwrite files and allow production-guarded actions"),
    ("-n, --no-interaction", "Do not ask any interactive question"),
    ("-q, --quiet", "Only print errors"),
    ("-v|vv|vvv, --verbose", "More output: 1 normal+, 2 more, 3 debug (with tracebacks)"),
    ("--ansi|--no-ansi", "Force (or disable) styled output"),
    ("-V, --version", "Display the Foundry version"),
)


def _argument_usage(argument: Argument) -> str:
    name = f"<{argument.name}>" + ("..." if argument.type == "list" else "")
    return name if argument.required else f"[{name}]"


def _option_label(option: Option) -> str:
    short = f"-{option.short}, " if option.short else ""
    value = "" if option.flag else f"={option.name.upper().replace('-', '_')}"
    suffix = " (multiple values allowed)" if option.type == "list" else ""
    return f"{short}--{option.name}{value}{suffix}"


def _option_help(option: Option) -> str:
    text = option.help
    if option.choices:
        text += f" [{', '.join(option.choices)}]"
    if option.default not in (None, False, [], ()):
        text += f" [default: {option.default}]"
    return text


def render_help(descriptor: CommandDescriptor, program: str = "foundry") -> str:
    """The full help text of one command."""
    lines = ["Description:", f"  {descriptor.summary}", "", "Usage:"]
    usage = " ".join([descriptor.name, "[options]", *map(_argument_usage, descriptor.arguments)])
    lines.append(f"  {program} {usage}")
    for alias in descriptor.aliases:
        lines.append(f"  {program} {alias}")
    if descriptor.arguments:
        lines += ["", "Arguments:"]
        width = max(len(a.name) for a in descriptor.arguments) + 2
        for argument in descriptor.arguments:
            extra = f" [default: {argument.default}]" if argument.default not in (None, []) else ""
            choices = f" [{', '.join(argument.choices)}]" if argument.choices else ""
            lines.append(f"  {argument.name.ljust(width)}{argument.help}{choices}{extra}")
    options = [(_option_label(o), _option_help(o)) for o in descriptor.options]
    rows = options + list(GLOBAL_OPTIONS)
    width = max(len(label) for label, _ in rows) + 2
    lines += ["", "Options:"]
    lines += [f"  {label.ljust(width)}{text}" for label, text in rows]
    if descriptor.description and descriptor.description != descriptor.summary:
        lines += ["", "Help:"]
        lines += [f"  {line}" if line else "" for line in descriptor.description.splitlines()]
    return "\n".join(lines)
