"""The PDF's LaTeX: glyph fallbacks, and standard-library names as plain code.

Glyph fallbacks, computed from the book's own sources. XeTeX has no automatic
font fallback: a character missing from the text font (FreeSerif) or the code
font (DejaVu Sans Mono) silently prints as nothing. So before the LaTeX builder
writes anything, every non-ASCII character of the sources is checked against
the fonts' character maps, and each one either font lacks is put in a XeTeX
inter-character class that switches to the first fallback font that has it.
Character classes act on glyphs, so this works in code blocks too. A character
no installed font has stops the build.

Standard-library names: ``latex_show_urls = "footnote"`` prints the address of
every external link as a footnote, which is right for a paper or an RFC in
"Further reading" but not for the ~11,600 cross-references that intersphinx
resolves to docs.python.org (every ``int`` and ``Iterator`` in a signature).
Those footnotes made the full PDF build 27% slower (378 s -> 481 s) and filled
page bottoms with URLs nobody types. :class:`InventoryReferencesAsText` prints
such a reference as its code-styled text, with no link and no footnote.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.ext.intersphinx import InventoryAdapter
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.typing import Inventory

TEXT_FONT = "FreeSerif"  # Debian: fonts-freefont-otf
CODE_FONT = "DejaVu Sans Mono"  # Debian: fonts-dejavu-core
# A character is left to the book's fonts only if every face that can print it
# has it: the regular face alone is not enough (DejaVu Sans Mono has the
# Arabic-Indic digits, its Oblique face, used for code comments, does not).
FACES = {
    TEXT_FONT: ("Regular", "Italic", "Bold", "Bold Italic"),
    CODE_FONT: ("Book", "Oblique", "Bold", "Bold Oblique"),
}
# Tried in order; Symbola (fonts-symbola) covers pictographs and emoji, in black.
FALLBACK_FONTS = ("DejaVu Sans", "FreeSerif", "Symbola")


def add_glyph_fallbacks(app: Sphinx) -> None:
    """``builder-inited`` handler: extend the LaTeX preamble with font fallbacks."""
    if app.builder.name != "latex":
        return
    srcdir = Path(app.srcdir)
    sources = [*srcdir.rglob("*.md"), *(srcdir.parent / "src").rglob("*.py")]
    used: dict[str, Path] = {}
    for path in sources:
        for char in path.read_text(encoding="utf-8"):
            if ord(char) > 0x7F and unicodedata.category(char)[0] not in "CZM":
                used.setdefault(char, path)
    routes = route_characters(used)
    app.builder.context["preamble"] += preamble(routes)  # type: ignore[attr-defined]


# The book's own pages, as LaTeX macros: conf.py's ``maketitle`` calls
# \sbtitlepage{<tagline>}, and the hub (hub.py) opens each part with
# \sbpart{<title>}{<summary>} and the appendix with \sbappendix{<title>}{<summary>}.
# Headings use the sans face, as Sphinx's chapter headings do; a part page is a
# recto with no running foot, its verso left blank, as in a printed book.
BOOK_LAYOUT = r"""
\makeatletter
\newcommand\sbtitlepage[1]{%
  \begin{titlepage}
    \sffamily\raggedright
    \null\vskip 0.16\textheight
    \rule{\textwidth}{2pt}\par\vskip 1.5em
    {\fontsize{48}{56}\selectfont\bfseries \@title\par}\vskip 1.5em
    {\LARGE #1\par}\vskip 1.5em
    \rule{\textwidth}{0.5pt}\par
    \vfill
    {\Large \@author\par}\vskip 0.6em
    {\large \py@release\par}
  \end{titlepage}
  \thispagestyle{empty}\null\vfill
  {\small\raggedright
   Copyright \copyright\ \sb@copyright.\par\medskip
   Released under the MIT License.\par\medskip
   \py@release, typeset \@date. Every Python example in this book is also a
   test: the book's checks fail when the prose and the code disagree.\par}
  \sb@cleartorecto}
\newcommand\sb@copyright{}
\newcommand\sbcopyright[1]{\renewcommand\sb@copyright{#1}}
% To the next recto; a verso left blank has no running head or foot.
\newcommand\sb@cleartorecto{%
  \clearpage\ifodd\c@page\else\null\thispagestyle{empty}\clearpage\fi}
\newcommand\sb@partpage[3]{%
  \thispagestyle{empty}\markboth{}{}%
  \null\vfil
  \begin{center}\sffamily
    {\large\MakeUppercase{#1}\par}\vskip 1.5em
    {\Huge\bfseries #2\par}\vskip 1.5em
    \rule{0.3\textwidth}{0.5pt}\par\vskip 1.5em
    {\large\itshape #3\par}
  \end{center}
  \vfil\sb@cleartorecto}
\newcommand\sbpart[2]{%
  \sb@cleartorecto\refstepcounter{part}%
  \addcontentsline{toc}{part}{\thepart\hspace{1em}#1}%
  \sb@partpage{\partname\ \thepart}{#1}{#2}}
\newcommand\sbappendix[2]{%
  \sb@cleartorecto\appendix\phantomsection
  \addcontentsline{toc}{part}{#1}%
  \sb@partpage{\appendixname}{#1}{#2}}
\makeatother
"""


def add_book_layout(app: Sphinx) -> None:
    """``builder-inited`` handler: the title page and part page macros (:data:`BOOK_LAYOUT`)."""
    if app.builder.name != "latex":
        return
    app.builder.context["preamble"] += BOOK_LAYOUT  # type: ignore[attr-defined]


def route_characters(used: dict[str, Path]) -> dict[str, list[str]]:
    """Map each fallback font to the characters it must draw (sorted)."""
    routes: dict[str, list[str]] = {}
    for char, where in sorted(used.items()):
        point = ord(char)
        if all(point in _charset(font, face) for font, faces in FACES.items() for face in faces):
            continue
        font = next((f for f in FALLBACK_FONTS if point in _charset(f)), None)
        if font is None:
            raise ExtensionError(f"no installed font has {char!r} (U+{point:04X}), used in {where}")
        routes.setdefault(font, []).append(char)
    return routes


_UPRIGHT = ", ".join(
    f"{shape}={{{{{{font}}}}}}"
    for shape in ("BoldFont", "ItalicFont", "BoldItalicFont", "SlantedFont", "BoldSlantedFont")
)


def preamble(routes: dict[str, list[str]]) -> str:
    r"""LaTeX that switches to each fallback font around its characters.

    >>> print(preamble({"Symbola": ["\N{GRINNING FACE}"]}))  # doctest: +ELLIPSIS
    \newfontfamily\sbfallbacki{Symbola}[BoldFont={Symbola}, ..., BoldSlantedFont={Symbola}]
    \newXeTeXintercharclass\sbclassi
    \XeTeXcharclass"1F600=\sbclassi
    \XeTeXinterchartoks 0 \sbclassi = {\begingroup\sbfallbacki}
    \XeTeXinterchartoks 4095 \sbclassi = {\begingroup\sbfallbacki}
    \XeTeXinterchartoks \sbclassi 0 = {\endgroup}
    \XeTeXinterchartoks \sbclassi 4095 = {\endgroup}
    \XeTeXinterchartokenstate=1
    <BLANKLINE>
    """
    if not routes:
        return ""
    lines: list[str] = []
    names = {font: "i" * (n + 1) for n, font in enumerate(routes)}  # TeX names: letters only
    for font, chars in routes.items():
        name = names[font]
        lines += [
            # Every shape uses the upright face: the one whose character map was
            # checked (DejaVu Sans has the Arabic-Indic digits, its Oblique not).
            rf"\newfontfamily\sbfallback{name}{{{font}}}[{_UPRIGHT.format(font=font)}]",
            rf"\newXeTeXintercharclass\sbclass{name}",
        ]
        lines += [f'\\XeTeXcharclass"{ord(c):X}=\\sbclass{name}' for c in chars]
        # Class 0: ordinary characters; 4095: a boundary (start or end of a word).
        lines += [
            rf"\XeTeXinterchartoks 0 \sbclass{name} = {{\begingroup\sbfallback{name}}}",
            rf"\XeTeXinterchartoks 4095 \sbclass{name} = {{\begingroup\sbfallback{name}}}",
            rf"\XeTeXinterchartoks \sbclass{name} 0 = {{\endgroup}}",
            rf"\XeTeXinterchartoks \sbclass{name} 4095 = {{\endgroup}}",
        ]
    for font, other in ((a, b) for a in routes for b in routes if a != b):
        lines.append(
            rf"\XeTeXinterchartoks \sbclass{names[font]} \sbclass{names[other]}"
            rf" = {{\endgroup\begingroup\sbfallback{names[other]}}}"
        )
    lines.append(r"\XeTeXinterchartokenstate=1")
    return "\n".join(lines) + "\n"


@cache
def _charset(family: str, style: str | None = None) -> frozenset[int]:
    """Code points of an installed font family (one style of it), found through fontconfig."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # untyped; PDF only

    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise ExtensionError("fc-match (fontconfig) is needed to build the PDF")
    pattern = family if style is None else f"{family}:style={style}"
    found = subprocess.run(  # noqa: S603 - fixed program, font name from this module
        [fc_match, "--format=%{family}\n%{style}\n%{file}", pattern],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    if family not in found[0].split(",") or (
        style is not None and style not in found[1].split(",")
    ):
        raise ExtensionError(
            f"font {pattern!r} is not installed (fontconfig offers {found[0]!r} {found[1]!r})"
        )
    with TTFont(found[2], fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap())


class InventoryReferencesAsText(SphinxPostTransform):
    """In LaTeX, a cross-reference resolved by intersphinx becomes its own text.

    A reference qualifies when its address is one of the intersphinx
    inventory's and it carries the ``reftitle`` intersphinx gives every link it
    makes ("(in Python v3.11)"): a link written in a page, even to the same
    address, has no title (the book's Markdown links have none), so it keeps
    its link and its footnote. The text keeps its code style.
    """

    # Before Sphinx's ShowUrlsTransform (400) turns external links into footnotes.
    default_priority = 390
    formats = ("latex",)

    def run(self, **kwargs: object) -> None:
        addresses = inventory_addresses(InventoryAdapter(self.env).main_inventory)
        for node in list(self.document.findall(nodes.reference)):
            if node.get("reftitle") and node.get("refuri") in addresses:
                node.replace_self(node.children)


def inventory_addresses(inventory: Inventory) -> frozenset[str]:
    """Every address an intersphinx inventory (object type -> name -> item) links to."""
    return frozenset(item.uri for items in inventory.values() for item in items.values())
