"""The course website: a Sphinx + MyST-NB + sphinx-book-theme site (Jupyter Book's stack) built
from the notebooks the runner executed, never executing them again.

``build_site`` (helpers.site.build) prepares a source folder from the executed notebooks
(helpers.site.sources: static outputs, folded code, questions without answers, checked links),
runs Sphinx with the course's configuration (helpers.site.config) and extension
(helpers.site.sphinx_ext), and checks that no page fetches anything from the network.
"""
