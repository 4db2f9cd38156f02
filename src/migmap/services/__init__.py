"""Use cases that tie the layers together and own transactions."""

from .database import Database, ImportReport, InitResult

__all__ = ["Database", "ImportReport", "InitResult"]
