"""The one error type for bad input, so the command line can report it and stop before running."""


class RunnerInputError(ValueError):
    """Bad input found before any notebook ran: its message says what was wrong and what to do."""
