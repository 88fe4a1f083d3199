"""Named errors. Each carries a message a person can act on, naming the file."""
from __future__ import annotations


class PipelineError(Exception):
    """Base class; `exit_code` is what the CLI returns when it ends a run."""

    exit_code = 1


class InputError(PipelineError):
    """The input folder itself is unusable (missing, empty, not a folder)."""

    exit_code = 3


class OutputError(PipelineError):
    """The output folder cannot be written."""

    exit_code = 4


class GoldFileError(PipelineError):
    """A gold file is malformed: the message names file, line and problem."""

    exit_code = 5


class DocumentError(PipelineError):
    """One document failed at one stage; the run records it and goes on."""

    def __init__(self, stage: str, message: str):
        super().__init__(message)
        self.stage = stage
        self.message = message
