"""For Scrapyd's egg builder (scrapyd-deploy runs `setup.py bdist_egg`); everything else is in pyproject.toml."""

from setuptools import setup

setup()
