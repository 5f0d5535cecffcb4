"""The checks the template's nox sessions run on rendered and built projects.

Each module holds one job, free of nox so that tests/test_checks.py can test it:
`matrix` runs sessions side by side, `dist` inspects sdists and wheels,
`cibuildwheel` stands in for a cibuildwheel test run and checks its build plan,
and `gil_slot_probe` reads what a built module declares about the GIL.
"""
