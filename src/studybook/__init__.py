"""studybook: an executable study book for technical interviews.

Every chapter of the book is backed by a typed, doctested module in this
package. ``python -m studybook list`` shows them; ``python -m studybook demo
<chapter>`` runs one; ``python -m studybook doctest <chapter>`` checks its
examples.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
