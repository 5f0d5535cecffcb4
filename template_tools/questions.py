"""The questions' choice lists in cookiecutter.json, and copier.yml, written from
their one source each, so every question is defined once.

cookiecutter.json is the source of the questions and their prompts; the
registry (template_tools.registry) of the pairings and licenses, and
`answers.OPTIONS` of the build options' choices. `python -m template_tools.questions`
rewrites the choice lists of cookiecutter.json, then copier.yml from it; a fast
test fails when either committed file differs from what this writes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from template_tools import registry
from template_tools.answers import OPTIONS

ROOT = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON = ROOT / "cookiecutter.json"
COPIER_YML = ROOT / "copier.yml"

HEADER = """\
# Written by `python -m template_tools.questions` from cookiecutter.json: edit
# that file, then run the command. copier reads this file; cookiecutter and
# cruft read cookiecutter.json; all three render the same skeleton folder.
# The skeleton uses cookiecutter's names and the template's own filters, which
# the extensions below give copier: that is what `copier copy --trust` allows.
"""

SETTINGS: dict[str, Any] = {
    "_min_copier_version": "9.4",
    "_subdirectory": "{% raw %}{{cookiecutter.project_name}}{% endraw %}",
    "_templates_suffix": "",
    "_jinja_extensions": [
        "copier_template_extensions.TemplateExtensionLoader",
        "template_tools/copier_extension.py:BinaryExtensionTemplate",
        "template_tools/copier_extension.py:CookiecutterContext",
    ],
}


def copier_default(value: str) -> str:
    """A cookiecutter default in copier's terms: answers are top-level names."""
    return re.sub(r"\bcookiecutter\.", "", value)


def copier_questions(cookiecutter: dict[str, Any]) -> dict[str, Any]:
    """copier's question table for each question of cookiecutter.json."""
    prompts = cookiecutter["__prompts__"]
    questions: dict[str, Any] = {}
    for name, value in cookiecutter.items():
        if name.startswith("_"):
            continue
        prompt = prompts[name]
        question: dict[str, Any] = {"type": "str"}
        if isinstance(value, list):
            question["help"] = prompt["__prompt__"]
            question["default"] = value[0]
            question["choices"] = {prompt[choice]: choice for choice in value}
        else:
            question["help"] = prompt
            question["default"] = copier_default(value)
        if name in OPTIONS:
            # Asked only where the pairing can take the option's other value.
            question["when"] = f"{{{{ asks({name!r}) }}}}"
            question["validator"] = f"{{{{ answer_problem({name!r}, {name}, pairing) }}}}"
        else:
            question["validator"] = f"{{{{ answer_problem({name!r}, {name}) }}}}"
        questions[name] = question
    return questions


def cookiecutter_json() -> str:
    """cookiecutter.json with its choice lists taken from their sources."""
    cookiecutter = json.loads(COOKIECUTTER_JSON.read_text(encoding="utf-8"))
    pairings = registry.load().pairings
    cookiecutter["pairing"] = list(pairings)
    cookiecutter["license"] = registry.licenses()
    cookiecutter.update({option: list(choices) for option, choices in OPTIONS.items()})
    cookiecutter["__prompts__"]["pairing"] = {
        "__prompt__": cookiecutter["__prompts__"]["pairing"]["__prompt__"],
        **{name: pairing["prompt"] for name, pairing in pairings.items()},
    }
    return json.dumps(cookiecutter, indent=2, ensure_ascii=False) + "\n"


def copier_yml() -> str:
    cookiecutter = json.loads(cookiecutter_json())
    document = {**SETTINGS, **copier_questions(cookiecutter)}
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000)
    return HEADER + body


if __name__ == "__main__":
    COOKIECUTTER_JSON.write_text(cookiecutter_json(), encoding="utf-8")
    COPIER_YML.write_text(copier_yml(), encoding="utf-8")
