"""Sphinx configuration for studybook (sources in docs/, build with ``-c .``)."""

from __future__ import annotations

import doctest
import os
import sys
import warnings
from pathlib import Path

from sphinx.errors import ConfigError

# Document the checkout's own code, even when an older copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from studybook import __version__
from studybook.book import PARTS

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
    "sphinx.ext.intersphinx",  # standard-library names link to docs.python.org
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxcontrib.mermaid",
    "studybook.sphinxext",
]

root_doc = "index"
exclude_patterns = ["_static", "_templates"]  # assets, copied as they are (html_static_path)
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

# intersphinx: standard-library names (`int`, `collections.abc.Iterator`,
# `typing.TextIO`) link to https://docs.python.org/3/, resolved from the
# inventory that Debian's python3-doc installs (bookworm: Python 3.11, the
# version the book runs on), so the build machine stays offline. A missing
# file stops the build here: intersphinx itself would only warn and leave
# every standard-library name unlinked.
# Elsewhere than Debian, STUDYBOOK_PYTHON_INVENTORY names a copy of the file
# (any Python 3.11+ documentation's objects.inv).
_PYTHON_INVENTORY = Path(
    os.environ.get("STUDYBOOK_PYTHON_INVENTORY", "/usr/share/doc/python3/html/objects.inv")
)
if not _PYTHON_INVENTORY.is_file():
    raise ConfigError(
        f"{_PYTHON_INVENTORY} not found: the links to the Python documentation are"
        " resolved from it offline; install Debian's python3-doc package"
        " (apt-get install python3-doc), or set STUDYBOOK_PYTHON_INVENTORY to a copy"
        " of a Python 3.11+ objects.inv"
    )
intersphinx_mapping = {"python": ("https://docs.python.org/3/", str(_PYTHON_INVENTORY))}
# Only local inventories above, so no request is made; should a URL ever be
# added, an unreachable host fails within a second instead of hanging.
intersphinx_timeout = 1

# Doctest builder: docstring examples get their module's namespace from the
# studybook extension; pages set up their own with {testsetup}.
# Sphinx's default flags include IGNORE_EXCEPTION_DETAIL, which would let an
# example pass with the wrong error message; ours must match exactly, as under
# pytest (pyproject.toml) and `python -m studybook doctest`.
doctest_default_flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
doctest_test_doctest_blocks = "default"

# Theme: Furo. It has what a book's readers expect: part captions and chapters
# in the sidebar, an on-page contents column, built-in search, a light/dark/
# auto toggle, a phone layout, and inline SVG icons instead of an icon font.
# Measured on this book (build/html, before diagrams): the hub loads 213 KiB,
# the LSM Tree chapter 311 KiB, and Lighthouse 12.8.2 (desktop, Debian's
# Chromium) scores their performance 100 and 100. The pydata-based
# sphinx-book-theme served about 2.3 MB per page in the prototype measured
# when this project was planned (Font Awesome's script alone is 1.56 MB).
html_theme = "furo"
html_title = "studybook"
html_favicon = "docs/_static/favicon.svg"
html_static_path = ["docs/_static"]  # relative to this file, not to docs/
html_css_files = ["studybook.css"]
html_show_sourcelink = False
html_copy_source = False
# The PDF, when `tox -e pdf` built it first, is served from the HTML book's
# root, and every page's sidebar links to it (so the link also works offline).
_PDF = Path(__file__).resolve().parent / "build" / "pdf"
html_extra_path = [str(_PDF)] if (_PDF / "studybook.pdf").is_file() else []
# Beside it, a PDF per part (studybook-<part>.pdf, cut from the book by
# studybook.sphinxext.pdfparts), each listed under the whole book's link.
_PART_PDFS = [
    (f"studybook-{part.id}.pdf", part.title)
    for part in PARTS
    if html_extra_path and (_PDF / f"studybook-{part.id}.pdf").is_file()
]
html_context = {"studybook_pdf": bool(html_extra_path), "studybook_part_pdfs": _PART_PDFS}
templates_path = ["docs/_templates"]
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/studybook-downloads.html",
        "sidebar/studybook-progress.html",
        "sidebar/scroll-end.html",
    ]
}
html_theme_options = {
    "navigation_with_keys": True,
    "top_of_page_buttons": [],
}

# Copy buttons copy code, not prompts or output.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# Mermaid: the studybook extension serves a pinned copy from _static (no CDN).

# ---------------------------------------------------------------- PDF (LaTeX)
# XeLaTeX reads the pages' Unicode (arrows, maths symbols) directly; pdflatex needs
# a declaration per character. Fonts: GNU FreeFont (Debian's fonts-freefont-otf,
# Sphinx's XeLaTeX default, wide Unicode coverage) and DejaVu Sans Mono, whose
# code glyphs are easier to read than FreeMono's thin strokes.
latex_engine = "xelatex"
latex_documents = [("index", "studybook.tex", "studybook", author, "manual")]
latex_show_urls = "footnote"
# makeindex (in TeX Live's base) instead of xindy: index terms are ASCII names.
latex_use_xindy = False
_TAGLINE = "An open-source study book for technical interviews"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "fontpkg": r"""
\setmainfont{FreeSerif}
\setsansfont{FreeSans}
\setmonofont{DejaVu Sans Mono}[Scale=0.85]
""",
    # Long code lines wrap, even inside a token with no space to break at.
    "sphinxsetup": "verbatimforcewraps=true, verbatimmaxunderfull=2",
    "printindex": r"\footnotesize\raggedright\printindex",
    # A book's title page and its verso (latex.py: \sbtitlepage).
    "maketitle": rf"\sbcopyright{{{copyright}}}\sbtitlepage{{{_TAGLINE}}}",
}

# ---------------------------------------------------------------- EPUB
epub_basename = "studybook"
epub_show_urls = "no"
# Not for an e-book: search needs JavaScript, diagrams arrive as images, and
# the PDF is a separate download.
epub_exclude_files = [
    "search.html",
    "studybook.pdf",
    # Every name a part's PDF may have, whether or not it exists yet: a value
    # that followed build/pdf/ would make Sphinx re-read every page once it did.
    *(f"studybook-{part.id}.pdf" for part in PARTS),
    "_static/studybook-mermaid.mjs",
    "_static/vendor/chart.js/LICENSE.md",
]
