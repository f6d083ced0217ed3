"""Plain console fallbacks, used when the richer packages are not installed.

``foundry-interactive`` (prompts with completion) and ``foundry-advanced-input`` (typed
input with validation rules) bind better versions of these contracts; without them every
command still works, plainly. The plain output is the domain's
(:class:`foundry.domain.outputs.PlainOutput`, which ``foundry-console`` replaces); it is
re-exported here only for code written against this module's earlier ``PlainOutput``:
import it from ``foundry.domain.outputs``.
"""

from foundry.application.plain.parser import PlainParser
from foundry.application.plain.prompter import PlainPrompter
from foundry.domain.outputs import PlainOutput

__all__ = ["PlainOutput", "PlainParser", "PlainPrompter"]
