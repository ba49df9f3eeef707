"""The Sphinx configuration of the course website, in one place.

The generated ``conf.py`` of each build only calls :func:`sphinx_config`, so every setting is
here and under test. What matters most:

- MyST-NB never executes anything (``nb_execution_mode = "off"``): the pages come from the
  notebooks papermill ran, with their parameters;
- no widget JavaScript (``nb_ipywidgets_js`` empty): it would come from CDNs, and the outputs are
  already in their static form;
- no source copies and no theme download button: the executed notebook beside each page is the
  download; no dates in pages, so two builds of the same notebooks are the same.
"""

from __future__ import annotations

from typing import Any

from helpers.site.settings import SiteSettings

COURSE_TITLE = "The Collective Security Treaty Organization: a course in notebooks"
SHORT_TITLE = "The CSTO course"
STATIC_DIR = "_static"
EXTRA_DIR = "_extra"


def sphinx_config(settings: dict[str, str], has_tables: bool = True) -> dict[str, Any]:
    """Every Sphinx setting of the site; ``settings`` are the fields of :class:`SiteSettings`,
    ``has_tables`` says whether the course has data tables to copy into the site."""
    site = SiteSettings(**settings)
    theme_options: dict[str, Any] = {
        "home_page_in_toc": True,
        "show_navbar_depth": 1,
        "show_toc_level": 2,
        "use_download_button": False,
        "use_fullscreen_button": False,
        "article_header_end": ["csto-article-header.html"],
        "navbar_persistent": [],  # search is in the sidebar and above each page already
        "navigation_with_keys": False,
        "pygments_light_style": "a11y-high-contrast-light",
    }
    if site.launches:
        theme_options |= {
            "repository_url": site.repository_url,
            "repository_branch": site.branch,
            "path_to_docs": "",
            "launch_buttons": {
                "jupyterhub_url": site.jupyterhub_url,
                "binderhub_url": site.binderhub_url,
                "notebook_interface": "jupyterlab",
            },
        }
    return {
        "project": SHORT_TITLE,
        "author": "",
        "copyright": "",
        "language": "en",
        "extensions": ["myst_nb", "helpers.site.sphinx_ext"],
        "exclude_patterns": [EXTRA_DIR, STATIC_DIR, "**/.ipynb_checkpoints"],
        "nb_execution_mode": "off",
        "nb_ipywidgets_js": {},
        "nb_merge_streams": True,
        "nb_code_prompt_show": "Show code",
        "nb_code_prompt_hide": "Hide code",
        "myst_heading_anchors": 3,
        "html_theme": "sphinx_book_theme",
        "html_title": SHORT_TITLE,
        "html_theme_options": theme_options,
        "html_context": {"default_mode": "light"},
        "html_static_path": [STATIC_DIR],
        "html_extra_path": [EXTRA_DIR] if has_tables else [],
        "templates_path": [],
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_show_sphinx": False,
        "html_show_copyright": False,
        "html_last_updated_fmt": None,
        "html_search_language": "en",
        "suppress_warnings": ["myst.header"],
    }
