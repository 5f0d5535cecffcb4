"""Helpers shared by the template's Jinja environment, hooks, noxfile and tests."""
