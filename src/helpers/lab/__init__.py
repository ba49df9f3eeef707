"""The course in JupyterLab: keyboard-safe controls, and the settings the course runs with.

``controls`` holds the widgets the exercises and explorers draw (plain HTML form controls through
anywidget, so JupyterLab's notebook shortcuts never take their keys); ``settings`` installs the
course's JupyterLab settings and server configuration into an environment; ``contents`` is the
server side of that configuration (notebooks open unmodified and are saved without widget views).
"""
