"""migmap: mapping private-sector engagement along the migration cycle.

    >>> import migmap
    >>> db = migmap.Database("sqlite:///:memory:")
    >>> _ = db.init(bundled=False)

See README.md for the command line and the web app.
"""

from migmap.domain import Filters, Initiative, InitiativeCreate, InitiativeUpdate
from migmap.framework import load_framework
from migmap.services import Database

__version__ = "0.1.0"
__all__ = ["Database", "Filters", "Initiative", "InitiativeCreate", "InitiativeUpdate", "load_framework", "__version__"]
