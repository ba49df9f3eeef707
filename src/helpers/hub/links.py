"""nbgitpuller links: one click gives a student their own copy of the course on a JupyterHub.

The link opens the hub (logging the student in if needed); nbgitpuller, installed in the image,
clones the course repository into the student's home on the first click and merges updates on
later clicks without overwriting the student's own changes, then opens the given notebook in
JupyterLab. The format is nbgitpuller's: ``<hub>/hub/user-redirect/git-pull?repo=...&branch=...
&targetPath=<folder>&urlpath=lab/tree/<folder>/<notebook>``. The folder is named in the link
(by default the repository's name without ``.git``): left to nbgitpuller, it would be the last
part of the URL as it is, so a URL ending in ``.git`` would clone into ``csto-course.git`` while
the link opened ``csto-course/...``.
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlencode, urlsplit

START = "notebooks/00_start_here.ipynb"


def clone_folder(repo: str) -> str:
    """The course's folder in the student's home: the repository's name, without .git."""
    name = urlsplit(repo).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    if not name:
        raise ValueError(f"repo={repo!r}: expected the URL of a git repository, such as "
                         "'https://github.com/example/csto-course'.")
    return name


def nbgitpuller_link(hub: str, repo: str, branch: str = "main", open_path: str = START,
                     folder: str | None = None) -> str:
    """The link to give students: it pulls ``repo`` at ``branch`` into ``~/<folder>`` and opens
    ``open_path`` (a path inside the course)."""
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"hub={hub!r}: expected the address of the JupyterHub, such as "
                         "'https://hub.example.edu' (with any base path it is served under).")
    if not branch:
        raise ValueError("branch='': expected the name of the branch students should get.")
    folder = folder or clone_folder(repo)
    query = urlencode({
        "repo": repo,
        "branch": branch,
        "targetPath": folder,
        "urlpath": f"lab/tree/{folder}/{open_path.lstrip('/')}",
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
    parser.add_argument("--folder", help="the course's folder in each home (default: the "
                                         "repository's name)")
    args = parser.parse_args(argv)
    try:
        print(nbgitpuller_link(args.hub, args.repo, args.branch, args.open_path, args.folder))
    except ValueError as error:
        print(f"helpers.hub.links: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
