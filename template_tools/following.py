"""Whether the project being rendered records the template it was made from.

Only such a project can take the template's changes by itself (the template-update
workflow), so only it gets that workflow. Each tool shows itself in the render
context: copier renders with `_copier_conf` (and writes `.copier-answers.yml` from
the skeleton); cruft, from 2.16 on, adds the template's commit as
`cookiecutter._commit` (and writes `.cruft.json` after rendering). Plain
cookiecutter adds neither, and its project records no template.
"""

from __future__ import annotations

from jinja2 import pass_context
from jinja2.runtime import Context


@pass_context
def follows_template(context: Context) -> bool:
    """True when copier or cruft renders the project, False for plain cookiecutter."""
    if "_copier_conf" in context:
        return True
    cookiecutter = context.get("cookiecutter")
    return isinstance(cookiecutter, dict) and "_commit" in cookiecutter


__all__ = ["follows_template"]
