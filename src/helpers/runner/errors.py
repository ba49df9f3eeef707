"""The one error type for bad input, so the command line can report it and stop before running;
and the one-line form of any other error, for the summary."""


class RunnerInputError(ValueError):
    """Bad input found before any notebook ran: its message says what was wrong and what to do."""


def describe_error(error: BaseException) -> str:
    """An exception in one line: its type and the first line of its message."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")
