"""Find anything in a built page that a browser would fetch from the network.

The site must open from disk in a classroom with no network, so every page of a build is scanned
and a page that would load a script, a style sheet, a font or an image from elsewhere fails the
build instead of drawing nothing for the reader.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


def find_remote_references(page: str) -> list[str]:
    """Everything in ``page`` that a browser would fetch from the network, as readable strings.

    Covers src/href-like attributes of tags that load resources (script, link, img, iframe,
    media) and url()/@import in style sheets and style attributes. Ordinary links (``<a href>``)
    are not fetches and are allowed.
    """
    finder = _RemoteReferenceFinder()
    finder.feed(page)
    finder.close()
    return finder.found


def find_remote_references_in_css(css: str) -> list[str]:
    """The remote addresses a style sheet would load (``url(...)``, ``@import``)."""
    return _RemoteReferenceFinder.CSS_REMOTE.findall(css)


class _RemoteReferenceFinder(HTMLParser):
    _LOADING_TAGS = frozenset(
        {"script", "link", "img", "iframe", "frame", "source", "audio", "video", "track"}
        | {"embed", "object", "image", "input"}
    )
    _LOADING_ATTRS = frozenset({"src", "href", "srcset", "data", "poster", "xlink:href"})
    # <link rel=...> values that only name another page; the browser fetches nothing for them.
    _NAVIGATION_RELS = frozenset({"prev", "next", "index", "search", "author", "license", "help"})
    CSS_REMOTE = re.compile(
        r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.IGNORECASE
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        navigation = (
            tag == "link"
            and set((named.get("rel") or "").split()) <= (self._NAVIGATION_RELS)
            and bool(named.get("rel"))
        )
        for name, value in attrs:
            if not value:
                continue
            if name == "style":
                self._add_css(f"<{tag} style>", value)
            elif (
                tag in self._LOADING_TAGS
                and name in self._LOADING_ATTRS
                and not navigation
                and _is_remote(value)
            ):
                self.found.append(f"<{tag} {name}={value}>")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._add_css("<style>", data)

    def _add_css(self, where: str, css: str) -> None:
        self.found.extend(f"{where} {url}" for url in self.CSS_REMOTE.findall(css))


def _is_remote(value: str) -> bool:
    return any(
        part.strip().lower().startswith(("http:", "https:", "//")) for part in value.split(",")
    )
