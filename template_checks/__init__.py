"""The checks the template's nox sessions run on rendered and built projects.

`sequences` holds what each build session checks on a rendered project, made of
the `steps` (rendering, building, a fresh venv's tests...) run through a `Runner`
that a nox session is; tests/test_sequences.py and tests/test_steps.py run them
with a runner that records the commands. Each other module holds one job, free
of nox so that tests/test_checks.py can test it:
`matrix` runs sessions side by side, `dist` inspects sdists and wheels,
`cibuildwheel` stands in for a cibuildwheel test run and checks its build plan,
`gil_slot_probe` reads what a built module declares about the GIL,
`precommit_emulation` runs a project's pre-commit hooks with stand-in hook
repositories and checks what pre-commit.ci would, and `readme_commands` runs a
README's development commands as a user would (tests/test_precommit_emulation.py
and tests/test_readme_commands.py test those two).
"""
