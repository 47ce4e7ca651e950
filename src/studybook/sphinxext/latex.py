"""The PDF's LaTeX: glyph fallbacks, standard-library names as plain code, two passes.

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

A LaTeX left as it is: Sphinx's LaTeX builder writes the whole book again on
every build, even one that read no page (it makes one document of all of
them): 23 of the 24 seconds of a LaTeX build with nothing changed. The same
LaTeX would come out, and latexmk would then find nothing to do.
:class:`BookLaTeXBuilder` skips that write when no page was read, nothing
else the LaTeX is made from changed (:func:`latex_inputs`), and the files the
last write made are as it left them.

Two XeLaTeX passes, not three: latexmk ran a third only because hyperref
takes the page labels from the pass before, and the index's line in the
contents appeared one pass late; :data:`PAGE_LABELS`, :data:`INDEX_PLACEHOLDER`
and :data:`LATEXMK_SETTINGS` settle both in the first two. The PDF is the same
(text, page labels, outline, links), a third of its typesetting time sooner.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Set
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.errors import ExtensionError
from sphinx.ext.intersphinx import InventoryAdapter
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.typing import Inventory

logger = logging.getLogger(__name__)

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


# Two XeLaTeX passes, where latexmk would run three. After the first pass and
# makeindex, the second is final but for three things, each noted only by the
# pass before: the page labels (hyperref writes them at the start of a pass,
# and the first chapter's page moved when the table of contents appeared), the
# index's line in the contents and its bookmark (there was no index yet), and
# the page count (\@abspage@last, which only the kernel's shipout/lastpage hook
# reads; the book puts nothing there). So:
# - the labels are written by this very pass, at each page where a numbering
#   starts (PAGE_LABELS): a later one replaces an earlier one in the PDF;
# - the first pass sets an empty index (INDEX_PLACEHOLDER), which has its line
#   and bookmark, on the page where the real one will start;
# - latexmk is told the lines that still differ are no reason to run again
#   (LATEXMK_SETTINGS, appended to the latexmkrc Sphinx writes).
# Any other change between the passes still makes latexmk run a third.
PAGE_LABELS = r"""
\makeatletter
\ifdefined\HyPL@StorePageLabel
  \let\HyPL@SetPageLabels\relax
  \global\let\sb@pagelabels\@empty
  \global\let\sb@newpagelabel\@empty
  \let\sb@hyperrefpagelabel\HyPL@StorePageLabel
  \def\HyPL@StorePageLabel#1{%
    \sb@hyperrefpagelabel{#1}%
    \xdef\sb@pagelabels{\sb@pagelabels\the\Hy@abspage<<#1>>}%
    \global\let\sb@newpagelabel\relax}
  \g@addto@macro\Hy@EveryPageBoxHook{%
    \ifx\sb@newpagelabel\relax
      \special{pdf:docview <</PageLabels<</Nums[\sb@pagelabels]>>>>}%
      \global\let\sb@newpagelabel\@empty
    \fi}
\else
  \PackageError{studybook}{hyperref has no \string\HyPL@StorePageLabel}{latex.py's
    PAGE_LABELS writes the page labels through it; without it, two passes
    would leave the labels of the first.}
\fi
% latexmk is told a changed page count needs no rerun (LATEXMK_SETTINGS):
% true while nothing is put on the last page, which the count locates.
\AddToHook{enddocument/afterlastpage}{\IfHookEmptyTF{shipout/lastpage}{}{%
  \PackageError{studybook}{the shipout/lastpage hook is used}{latex.py's
    LATEXMK_SETTINGS lets latexmk ignore a changed page count, which this
    hook needs: remove that pattern.}}}
\makeatother
"""
INDEX_PLACEHOLDER = "\\begin{sphinxtheindex}\n\\end{sphinxtheindex}\n"
LATEXMK_SETTINGS = r"""
# studybook (latex.py): lines of the .aux that the second pass changes without
# changing what it set: the page labels and the page count.
$hash_calc_ignore_pattern{'aux'} = '^\\\\HyPL\@Entry\{|^\\\\gdef \\\\\@abspage\@last\{';
"""


def add_book_layout(app: Sphinx) -> None:
    """``builder-inited``: title and part page macros, page labels (:data:`PAGE_LABELS`)."""
    if app.builder.name != "latex":
        return
    app.builder.context["preamble"] += BOOK_LAYOUT + PAGE_LABELS  # type: ignore[attr-defined]


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


# Beside the LaTeX: the digest of what the last clean write was made from.
INPUTS_STAMP = ".studybook-latex-inputs"
PACKAGE = Path(__file__).resolve().parents[1]  # src/studybook: the extension and the book's code


class BookLaTeXBuilder(LaTeXBuilder):
    """Sphinx's LaTeX builder, which leaves the LaTeX as it is when it would come out the same.

    The LaTeX is made from the pages and from what :func:`latex_inputs`
    digests: when each page was last read (so any page read, added or
    removed counts), the configuration, the builder's template context, the
    installed packages, this package's code, the templates, docutils'
    configuration files and the inventories. The write is skipped when that
    digest equals the one the last write noted (:data:`INPUTS_STAMP`,
    written only after a build with no warning) and every file it wrote (the
    ``.tex`` files and the images) is there, unchanged. ``-E`` (read every
    page again) writes; ``-a`` does not, as a builder cannot tell it was
    given: delete the stamp, or the folder, to force a write.
    """

    name = "latex"
    #: The digest of :func:`latex_inputs`, once this build has computed it.
    studybook_inputs: str | None = None
    #: Whether this build wrote the LaTeX (and may note what it was made from).
    studybook_wrote = False

    def copy_support_files(self) -> None:
        """Sphinx's TeX support files, with :data:`LATEXMK_SETTINGS` and an empty index."""
        super().copy_support_files()
        with (self.outdir / "latexmkrc").open("a", encoding="utf-8") as rc:
            rc.write(LATEXMK_SETTINGS)
        for entry in self.config.latex_documents:
            index = (self.outdir / entry[1]).with_suffix(".ind")
            if not index.exists():  # makeindex replaces it after the first pass
                index.write_text(INDEX_PLACEHOLDER, encoding="utf-8")

    def write_documents(self, docnames: Set[str]) -> None:
        """Write the LaTeX, unless nothing it is made from changed since the last write."""
        stamp = self.outdir / INPUTS_STAMP
        self.studybook_inputs = latex_inputs(self)
        if _stamp_holds(stamp, self.studybook_inputs):
            logger.info("nothing the LaTeX is made from changed: it is kept as it is")
            return
        # A write that fails or warns leaves no stamp, so the next build writes again.
        stamp.unlink(missing_ok=True)
        self.studybook_wrote = True
        super().write_documents(docnames)


def _stamp_holds(stamp: Path, inputs: str) -> bool:
    """Whether *stamp* notes *inputs*, and every file it lists is as it was written."""
    try:
        noted = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(noted, dict) or noted.get("inputs") != inputs:
        return False
    outputs = noted.get("outputs")
    return isinstance(outputs, dict) and all(
        _file_digest(stamp.parent / name) == digest for name, digest in outputs.items()
    )


def _file_digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def stamp_latex_inputs(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, late: note what a write with no warning was made from, and wrote.

    Sphinx keeps its count of warnings in a private attribute; without it,
    nothing is noted and every build writes.
    """
    builder = app.builder
    if (
        not isinstance(builder, BookLaTeXBuilder)
        or not builder.studybook_wrote
        or exception is not None
        or getattr(app, "_warncount", 1) != 0
    ):
        return
    names = [entry[1] for entry in app.config.latex_documents] + sorted(builder.images.values())
    outputs = {name: _file_digest(builder.outdir / name) for name in names}
    noted = {"inputs": builder.studybook_inputs, "outputs": outputs}
    (builder.outdir / INPUTS_STAMP).write_text(json.dumps(noted, indent=1), encoding="utf-8")


def latex_inputs(builder: LaTeXBuilder) -> str:
    """A digest of everything the LaTeX is made from.

    When each page was last read (Sphinx reads a page again when it or a file
    it notes as a dependency changes), every configuration value and the
    template context (``latex_elements``, the date on the title page, the
    preamble with its glyph fallbacks), the tags, Python and every installed
    distribution's version (Sphinx, docutils, MyST, Pygments and the rest),
    every file of this package (the extension that writes the book's nodes,
    and the code its pages show), the project's templates and extra LaTeX
    files, docutils' configuration files (the writer reads them), and the
    intersphinx inventories in use.
    """
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(_stable_repr(part).encode())
            digest.update(b"\0")

    config = builder.config
    add(builder.env.all_docs)  # page -> when it was last read
    add(sys.version, sorted(builder.tags))
    add({value.name: value.value for value in config}, builder.context)
    add(sorted(f"{d.metadata['Name']} {d.version}" for d in importlib.metadata.distributions()))
    files = [path for path in PACKAGE.rglob("*") if "__pycache__" not in path.parts]
    confdir = Path(builder.confdir)
    files.append(confdir / "conf.py")
    for folder in config.templates_path:
        files.extend((confdir / folder).rglob("*"))
    files.extend(confdir / name for name in config.latex_additional_files)
    if config.latex_logo:
        files.append(confdir / config.latex_logo)
    # docutils' own list, or DOCUTILSCONFIG's (which Sphinx points at confdir/docutils.conf).
    docutils_files = os.environ.get("DOCUTILSCONFIG", "").split(os.pathsep)
    docutils_files += ["/etc/docutils.conf", "docutils.conf", "~/.docutils"]
    files.extend(Path(name).expanduser() for name in docutils_files if name)
    files.append(confdir / "docutils.conf")
    for path in sorted(files):
        if path.is_file():
            add(str(path), path.read_bytes())
    # What the inventories hold, not when they were read (every build reads a local one).
    for uri, (name, _, inventory) in sorted(InventoryAdapter(builder.env).cache.items()):
        add(uri, name)
        for kind, items in sorted(inventory.items()):
            add(kind, [(key, item.uri, item.display_name) for key, item in sorted(items.items())])
    return digest.hexdigest()


def _stable_repr(value: object) -> str:
    """``repr`` with sets and dictionaries in sorted order, the same in every process.

    >>> _stable_repr({"b": {3, 1, 2}, "a": [frozenset({"y", "x"})]})
    "{'a': [{'x', 'y'}], 'b': {1, 2, 3}}"
    """
    if isinstance(value, dict):
        items = sorted((_stable_repr(k), _stable_repr(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable_repr(item) for item in value)) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_stable_repr(item) for item in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)
