"""The renderer's one error type."""
from __future__ import annotations


class RenderError(Exception):
    """A render failed; the message says where and why in a line or two.

    ``details`` keeps the long form (a full traceback, a tool's whole output)
    for whoever asks for it.
    """

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details
