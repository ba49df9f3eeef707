"""Driving JupyterLab 4 the way a learner does: open a notebook, run all, look at the outputs."""

from __future__ import annotations

import time

from tests.browser.session import BrowserPage

RUNNING = "[*]:"
NOT_RUN = "[ ]:"
START_SECONDS = 20  # a cell JupyterLab sends to the kernel shows [*]: at once
# The notebook in the visible tab; other notebooks may stay open in hidden tabs.
ACTIVE = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def open_notebook(session: BrowserPage, lab: str, path: str) -> None:
    """Open a notebook, alone in the main area, and wait until its kernel is ready.

    Where the tab already shows this JupyterLab, the notebooks open before are closed and this
    one opens from File > Open from Path, as a learner moves from one notebook to the next;
    otherwise JupyterLab is loaded for it, with a fresh workspace. Loading JupyterLab costs the
    browser 3 to 4 s of CPU on this machine, opening a file in it about 1 s, and the browser is
    the largest consumer of CPU in the tests."""
    base, token = lab.split("|")
    page = session.page
    if page.url.startswith(f"{base}/lab") and not page.locator(".jp-Dialog").count():
        close_all_tabs(session)
        run_menu_command(session, "File", "Open from Path…")
        page.fill(".jp-Dialog input", path)
        page.keyboard.press("Enter")
        page.wait_for_function(CURRENT_TAB_IS, arg=path.rsplit("/", 1)[-1], timeout=90_000)
    else:
        page.goto(f"{base}/lab/tree/{path}?reset&token={token}", wait_until="domcontentloaded")
    page.wait_for_selector(f"{ACTIVE} .jp-Cell", timeout=90_000)
    wait_for_idle_kernel(session)


# The main area's current tab names the file and its notebook panel is the visible one.
CURRENT_TAB_IS = """name => {
  const tab = document.querySelector('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current');
  return !!tab && tab.textContent.trim() === name
    && !!document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
}"""


def close_all_tabs(session: BrowserPage) -> None:
    """Close every tab of the main area, discarding unsaved changes as a test leaves them."""
    page = session.page
    run_menu_command(session, "File", "Close All Tabs")
    discard = page.locator(".jp-Dialog button:has-text('Discard')")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if discard.count():
            discard.first.click()
        elif not page.locator("#jp-main-dock-panel .jp-NotebookPanel").count():
            return
        time.sleep(0.1)
    session.check(False, "the notebooks open before could not be closed within 30 s")


# Before a kernel is attached the indicator already says "idle", beside "No Kernel" in the
# toolbar; a notebook is ready only once both say so of a real kernel.
KERNEL_STATE = """active => {
  const panel = document.querySelector(active);
  const indicator = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const name = panel && panel.querySelector('.jp-Toolbar-kernelName');
  return {
    dialog: !!document.querySelector('.jp-Dialog .jp-mod-accept'),
    status: indicator ? indicator.getAttribute('data-status') : null,
    kernel: name ? name.textContent.trim() : '',
  };
}"""
NO_KERNEL = {"", "No Kernel"}


def wait_for_idle_kernel(session: BrowserPage, seconds: float = 90) -> None:
    """Wait until the visible notebook has a kernel attached and idle.

    Accepts the 'Select Kernel' dialog JupyterLab shows where it does not start a kernel by
    itself (a hub user's first notebook), as a learner would."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = session.page.evaluate(KERNEL_STATE, ACTIVE)
        if state["dialog"]:
            session.page.click(".jp-Dialog .jp-mod-accept")
        elif state["status"] == "idle" and state["kernel"] not in NO_KERNEL:
            return
        time.sleep(0.1)
    session.check(False, f"no kernel was attached and idle within {seconds} s")


def run_menu_command(session: BrowserPage, menu: str, item: str) -> None:
    page = session.page
    page.click(f".lm-MenuBar-itemLabel:text-is('{menu}')")
    page.click(f".lm-Menu-itemLabel:text-is('{item}')")


def run_all(session: BrowserPage, seconds: float = 240) -> None:
    """Run every cell from the Run menu and wait until no cell is still running.

    JupyterLab skips a cell without a word (its prompt stays ``[ ]:``) when the notebook has no
    kernel attached at the moment it is asked to run it. On a busy machine a freshly opened
    notebook can report an idle kernel a moment before one is attached, so if no cell has
    started after ``START_SECONDS``, Run All is asked again.
    """
    page = session.page
    deadline = time.monotonic() + seconds
    run_menu_command(session, "Run", "Run All Cells")
    asked_at = time.monotonic()
    time.sleep(1)  # a moment for JupyterLab to mark the cells queued ([*]:)
    while time.monotonic() < deadline:
        prompts = page.eval_on_selector_all(
            f"{ACTIVE} .jp-CodeCell .jp-InputPrompt",
            "nodes => nodes.map(n => n.textContent.trim())",
        )
        if prompts and all(p not in (RUNNING, NOT_RUN, "") for p in prompts):
            wait_for_idle_kernel(session)
            return
        if all(p in (NOT_RUN, "") for p in prompts) and time.monotonic() - asked_at > START_SECONDS:
            wait_for_idle_kernel(session)
            run_menu_command(session, "Run", "Run All Cells")
            asked_at = time.monotonic()
        time.sleep(0.25)
    session.check(False, f"cells were still running after {seconds} s")


def error_outputs(session: BrowserPage) -> list[str]:
    """Texts of error outputs (tracebacks), not of harmless warnings on stderr."""
    texts = session.page.eval_on_selector_all(
        f"{ACTIVE} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
        "nodes => nodes.map(n => n.textContent)",
    )
    return [text[:400] for text in texts if "Traceback" in text or "Error" in text.split("\n")[0]]


PLOT_REPORT = """nodes => nodes.map(plot => ({
  title: (plot.querySelector('.gtitle') || {}).textContent || '',
  xtitle: (plot.querySelector('.xtitle') || {}).textContent || '',
  marks: plot.querySelectorAll(
    '.main-svg g.trace path, .main-svg g.trace text, .main-svg g.hm image').length,
  fills: plot.querySelectorAll('.main-svg g.trace path.js-fill').length,
  geo: plot.querySelectorAll('.main-svg g.geo').length,
}))"""


def plots(session: BrowserPage, within: str = ACTIVE) -> list[dict]:
    """Every plotly figure in ``within`` (by default the visible notebook): its title, x-axis
    title and how many marks it drew."""
    return session.page.eval_on_selector_all(f"{within} .js-plotly-plot", PLOT_REPORT)


def widget_count(session: BrowserPage) -> int:
    return len(session.page.query_selector_all(f"{ACTIVE} .jp-OutputArea-output .jupyter-widgets"))
