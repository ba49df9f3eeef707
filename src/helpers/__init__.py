"""Helpers for the CSTO course: the data layer, analysis and chart functions, and the exercise kit.

Importing the package stays cheap on purpose: notebooks import only the submodules they use, so
opening a notebook does not pay for the schema validator or the widget toolkit until needed.
"""

__version__ = "0.1.0"
