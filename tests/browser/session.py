"""One browser page with what a failing test needs to explain itself: console, blocked requests,
and a screenshot, all put into the assertion message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1400, "height": 1000}
LOCAL_PREFIXES = ("http://127.0.0.1", "http://localhost", "file://", "data:", "blob:", "about:")


@dataclass
class BrowserPage:
    context: Any
    page: Any
    screenshot: Path
    console: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser: Any, screenshot: Path) -> BrowserPage:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        session = cls(context, page, screenshot)
        page.on(
            "console", lambda message: session.console.append(f"{message.type}: {message.text}")
        )
        page.on("pageerror", lambda error: session.console.append(f"pageerror: {error}"))
        context.route("**/*", session._route)
        return session

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(LOCAL_PREFIXES):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def shoot(self) -> Path:
        """Save a full-page screenshot as a test artefact and return its path."""
        self.screenshot.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.screenshot), full_page=True)
        return self.screenshot

    def check(self, condition: bool, what: str) -> None:
        """Assert, and on failure say what was expected with the screenshot and the console."""
        if condition:
            return
        shot = self.shoot()
        console = "\n".join(self.console[-40:]) or "(empty)"
        blocked = "\n".join(sorted(set(self.blocked))[:20]) or "(none)"
        raise AssertionError(
            f"{what}\nscreenshot: {shot}\nbrowser console (last 40 lines):\n{console}\n"
            f"requests blocked because they left the machine:\n{blocked}"
        )

    def close(self) -> None:
        self.context.close()
