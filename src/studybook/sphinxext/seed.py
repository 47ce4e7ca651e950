"""``python -m studybook.sphinxext.seed SOURCE TARGET``: start a build from another's pages.

The command line of :func:`studybook.sphinxext.doctrees.seed_doctrees` (its
messages: :func:`studybook.sphinxext.doctrees.main`), in a module of its own:
the extension's package imports :mod:`studybook.sphinxext.doctrees` for its
event handlers, and Python warns when a module already imported is run as
``__main__``.
"""

from __future__ import annotations

import sys

from studybook.sphinxext.doctrees import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
