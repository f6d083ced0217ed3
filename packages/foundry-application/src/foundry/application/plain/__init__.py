"""Plain console fallbacks, used when the richer packages are not installed.

``foundry-interactive`` (prompts with completion) and ``foundry-advanced-input`` (typed
input with validation rules) bind better versions of these contracts; without them every
command still works, plainly. The plain output is the domain's
(:class:`foundry.domain.outputs.PlainOutput`), which ``foundry-console`` replaces.
"""

from foundry.application.plain.parser import PlainParser
from foundry.application.plain.prompter import PlainPrompter

__all__ = ["PlainParser", "PlainPrompter"]
