"""Named errors and the command line's exit codes.

Each error carries a one-line message a person can act on, naming the file (and
the line, for gold files). The CLI prints `error: <message>` and exits with the
error's `exit_code`; it never shows a traceback for these.

Exit codes of `python -m pipeline`:

    0  everything went well
    1  an unexpected internal error (a bug: the traceback is shown)
    2  extract: every document failed (also click's code for a bad option)
    3  the input folder is missing, not a folder, or holds no *.txt file
    4  the output folder cannot be written (or another run is writing to it)
    5  a gold file is malformed (file:line: problem)
    6  extract: some documents failed; the dataset of the others was written
"""
from __future__ import annotations

EXIT_OK = 0
EXIT_ALL_FAILED = 2
EXIT_INPUT = 3
EXIT_OUTPUT = 4
EXIT_GOLD = 5
EXIT_SOME_FAILED = 6


class PipelineError(Exception):
    """Base class; `exit_code` is what the CLI returns when it ends a run."""

    exit_code = 1


class InputError(PipelineError):
    """The input folder itself is unusable (missing, empty, not a folder)."""

    exit_code = EXIT_INPUT


class OutputError(PipelineError):
    """The output folder cannot be written."""

    exit_code = EXIT_OUTPUT


class GoldFileError(PipelineError):
    """A gold file is malformed: the message names file, line and problem."""

    exit_code = EXIT_GOLD


class DocumentError(PipelineError):
    """One document failed at one stage; the run records it and goes on."""

    def __init__(self, stage: str, message: str):
        super().__init__(message)
        self.stage = stage
        self.message = message
