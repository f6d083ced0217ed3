"""Plain console fallbacks, used when the richer packages are not installed.

``foundry-console`` (styled output), ``foundry-interactive`` (prompts with completion) and
``foundry-advanced-input`` (typed input with validation rules) bind better versions of these
contracts; without them every command still works, plainly.
"""

from foundry.application.plain.output import PlainOutput
from foundry.application.plain.parser import PlainParser
from foundry.application.plain.prompter import PlainPrompter

__all__ = ["PlainOutput", "PlainParser", "PlainPrompter"]
