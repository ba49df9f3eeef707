"""nbgitpuller links: one click gives a student their own copy of the course on a JupyterHub.

The link opens the hub (logging the student in if needed); nbgitpuller, installed in the image,
clones the course repository into the student's home on the first click and merges updates on
later clicks without overwriting the student's own changes, then opens the given notebook in
JupyterLab. The format is nbgitpuller's: ``<hub>/hub/user-redirect/git-pull?repo=...&branch=...
&urlpath=lab/tree/<folder>/<notebook>``, where ``<folder>`` is the name of the repository, which
is where nbgitpuller puts the clone.
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlencode, urlsplit

START = "notebooks/00_start_here.ipynb"


def clone_folder(repo: str) -> str:
    """The folder nbgitpuller clones into: the last part of the repository's URL, without .git."""
    name = urlsplit(repo).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    if not name:
        raise ValueError(f"repo={repo!r}: expected the URL of a git repository, such as "
                         "'https://github.com/example/csto-course'.")
    return name


def nbgitpuller_link(hub: str, repo: str, branch: str = "main", open_path: str = START) -> str:
    """The link to give students: it pulls ``repo`` at ``branch`` and opens ``open_path``."""
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"hub={hub!r}: expected the address of the JupyterHub, such as "
                         "'https://hub.example.edu' (with any base path it is served under).")
    if not branch:
        raise ValueError("branch='': expected the name of the branch students should get.")
    query = urlencode({
        "repo": repo,
        "branch": branch,
        "urlpath": f"lab/tree/{clone_folder(repo)}/{open_path.lstrip('/')}",
    })
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.hub.links",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--hub", required=True, help="the JupyterHub's address")
    parser.add_argument("--repo", required=True, help="the course repository's clone URL")
    parser.add_argument("--branch", default="main", help="the branch students get (main)")
    parser.add_argument("--open", default=START, dest="open_path",
                        help=f"the file JupyterLab opens, inside the course ({START})")
    args = parser.parse_args(argv)
    try:
        print(nbgitpuller_link(args.hub, args.repo, args.branch, args.open_path))
    except ValueError as error:
        print(f"helpers.hub.links: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
