"""What copier needs to render the cookiecutter skeleton.

copier loads this file by its path (copier-template-extensions), once for each
checkout of the template it renders: `copier update` renders the old and the
new version in one process. So the `template_tools` package is imported afresh
from this checkout every time, never reused from the other one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from copier_template_extensions import ContextHook

ROOT = Path(__file__).resolve().parent.parent
for module in [name for name in sys.modules if name.partition(".")[0] == "template_tools"]:
    del sys.modules[module]
sys.path.insert(0, str(ROOT))
try:
    from template_tools.answers import OPTIONS, QUESTIONS, import_name
    from template_tools.jinja import BinaryExtensionTemplate
finally:
    sys.path.remove(str(ROOT))


class CookiecutterContext(ContextHook):
    """Gives templates the `cookiecutter` namespace they use, from copier's answers."""

    def hook(self, context: dict[str, Any]) -> None:
        # A namespace given already stays: an included piece inherits its
        # includer's, and the answer checks render files with placeholder answers.
        if "cookiecutter" in context:
            return
        # Otherwise read the answers copier records: a context's own names may hold
        # a file's `{% set %}` variables (its `pairing` may be the registry entry).
        recorded = context.get("_copier_answers", context)
        answers = {name: recorded[name] for name in QUESTIONS if name in recorded}
        # An option copier did not ask (the pairing cannot take it) keeps its default.
        for option, choices in OPTIONS.items():
            answers.setdefault(option, choices[0])
        if "project_name" in answers:
            answers["__import_name"] = import_name(answers["project_name"])
        context["cookiecutter"] = answers


__all__ = ["BinaryExtensionTemplate", "CookiecutterContext"]
