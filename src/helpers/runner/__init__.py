"""Headless runner: executes the course notebooks with papermill and builds the course website.

The command line is ``csto-run`` (``helpers.runner.cli``); ``python -m helpers.runner.bench`` prints
the timings. The modules are split by concern so each can be tested alone: finding and selecting
notebooks, checking parameters, executing one notebook, exporting offline pages, and the build that
ties them together.
"""
