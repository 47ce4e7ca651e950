"""Sphinx configuration for studybook (sources in docs/, build with ``-c .``)."""

from __future__ import annotations

import doctest
import sys
import warnings
from pathlib import Path

# Document the checkout's own code, even when an older copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from studybook import __version__

# sphinx-autodoc-typehints 3.6.1 calls an API that Sphinx 9 deprecates for
# Sphinx 10; the message is for its authors, not for readers of our build log.
warnings.filterwarnings("ignore", message=r".*_RstSnippetParser\.set_application")

project = "studybook"
author = "the studybook authors"
copyright = "2026, the studybook authors"
version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",  # Google-style "Args:/Returns:/Raises:" sections
    "sphinx_autodoc_typehints",  # after napoleon, so it can merge the types in
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",  # every API entry links to its highlighted source
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxcontrib.mermaid",
    "studybook.sphinxext",
]

root_doc = "index"
exclude_patterns = ["_static"]  # assets, copied as they are (html_static_path)
nitpicky = True

# MyST: ::: fences for directives that contain Markdown, $math$, definition
# lists, and {{ substitutions }} (the hub's live figures are filled in by the
# studybook extension before these run).
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "attrs_inline"]
myst_heading_anchors = 3
# Formulas become inline SVG at build time (studybook extension), so a page
# with one formula does not load MathJax's 1.1 MB script.
html_math_renderer = "studybook_svg"

# autodoc: members in source order (public API first, as the style guide asks).
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_typehints = "description"
typehints_use_signature_return = False
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

# Doctest builder: docstring examples get their module's namespace from the
# studybook extension; pages set up their own with {testsetup}.
# Sphinx's default flags include IGNORE_EXCEPTION_DETAIL, which would let an
# example pass with the wrong error message; ours must match exactly, as under
# pytest (pyproject.toml) and `python -m studybook doctest`.
doctest_default_flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
doctest_test_doctest_blocks = "default"

# Theme: Furo. Chosen by building the same chapter with Furo and with
# sphinx-book-theme and comparing: Furo gives part captions and chapters in the
# sidebar, an on-page contents column, built-in search, a light/dark/auto
# toggle and a phone layout, with no icon font (its icons are inline SVG).
# A chapter page weighs about a tenth of the pydata-based theme's (which ships
# Font Awesome's 1.5 MB script); figures are in the README.
html_theme = "furo"
html_title = "studybook"
html_favicon = "docs/_static/favicon.svg"
html_static_path = ["docs/_static"]  # relative to this file, not to docs/
html_css_files = ["studybook.css"]
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "navigation_with_keys": True,
    "top_of_page_buttons": [],
}

# Copy buttons copy code, not prompts or output.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# Mermaid: the studybook extension serves a pinned copy from _static (no CDN).
# Diagrams take their natural height (the plugin's default box is 500px tall,
# which leaves small diagrams floating in white space). The plugin's
# full-screen wrapper is off: with it, sphinxcontrib-mermaid 2.1.1 drew later
# diagrams of a page into an earlier diagram's box (seen in headless Chromium).
mermaid_height = "auto"
mermaid_fullscreen = False
