"""One more try for a kernel that died before answering, for a reason that is not the notebook's.

jupyter_client picks the kernel's five TCP ports by binding them to port 0 and closing them; the
kernel binds them again a moment later. When another process takes one of them in between (on a
busy machine running many kernels, browsers and servers at once), the kernel stops with
``ZMQError: Address already in use`` before it answers, and the run fails with "Kernel died
before replying to kernel_info" though the notebook is fine. A second start picks new ports. A
kernel that dies for a real reason dies twice, and that error is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

ATTEMPTS = 2
_DIED_AT_START = "Kernel died before replying to kernel_info"


def with_kernel_start_retry(run: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """``run()``, started again when its kernel died before answering, up to ``attempts`` times."""
    for _ in range(attempts - 1):
        try:
            return run()
        except RuntimeError as error:
            if _DIED_AT_START not in str(error):
                raise
    return run()
