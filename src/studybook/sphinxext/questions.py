"""The ``{question}``, ``{exercise}``, ``{solution}`` and ``{checks}`` directives.

An exercise may hold a ``{checks}`` block beside its ``{solution}``: doctest
examples that a reader's answer must pass, hidden in every output (HTML, PDF,
EPUB, text) and run in the HTML page or by ``python -m studybook check``
(see :mod:`studybook.checks`). Its optional argument names what the checks
call, shown to the reader above the answer box: ``:::{checks} rob(amounts)``,
then the examples, then ``:::`` (the house-robber exercise of
``docs/dsa/dynamic-programming.md`` is one).
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective


class question(nodes.General, nodes.Element):
    """An interview question; ``children[0]`` is the question, the rest the answer."""


class exercise(nodes.General, nodes.Element):
    """An exercise; its solution is a :class:`solution` child."""


class solution(nodes.General, nodes.Element):
    """An exercise's solution, hidden until asked for."""


class _TitledDirective(SphinxDirective):
    """A titled block with a key stable across builds (``node["sb_key"]``).

    The key is the node kind's prefix and the title's slug (``q-why-are-sstables-immutable``,
    ``x-two-sum``), with ``-2``, ``-3``... for a repeated title on the same page.
    Reading progress and exercise checks name a block by ``<docname>#<key>``.
    """

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {"class": directives.class_option}
    node_class: ClassVar[type[nodes.Element]]
    key_prefix: ClassVar[str]

    def run(self) -> list[nodes.Node]:
        node = self.node_class(classes=self.options.get("class", []))
        self.set_source_info(node)
        node["sb_key"] = self._key()
        title_nodes, messages = self.state.inline_text(self.arguments[0], self.lineno)
        node += nodes.paragraph("", "", *title_nodes, classes=["sb-title"])
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node, *messages]

    def _key(self) -> str:
        # temp_data lives for one document's parse, so the counts are per page.
        seen = cast("dict[str, int]", self.env.temp_data.setdefault("sb_keys", {}))
        base = f"{self.key_prefix}-{nodes.make_id(self.arguments[0]) or 'untitled'}"
        seen[base] = seen.get(base, 0) + 1
        return base if seen[base] == 1 else f"{base}-{seen[base]}"


class QuestionDirective(_TitledDirective):
    """``{question} Why are SSTables immutable?`` with the answer as its body."""

    node_class = question
    key_prefix = "q"


class ExerciseDirective(_TitledDirective):
    """``{exercise} Title`` with the statement, then a ``{solution}``, as its body."""

    node_class = exercise
    key_prefix = "x"


class checks(nodes.General, nodes.Element):
    """An exercise's hidden checks: ``node["checks"]`` is the doctest text."""


class ChecksDirective(SphinxDirective):
    """Hidden doctest examples that check a reader's answer to the enclosing exercise.

    The content is kept as text (never parsed, so no builder runs or shows it);
    the optional argument is the signature the checks call (``rob(amounts)``).
    """

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content) + "\n"
        if ">>>" not in text:
            raise self.error(f"{{checks}} needs at least one '>>>' example, got {text!r}")
        node = checks(checks=text, signature=self.arguments[0] if self.arguments else "")
        self.set_source_info(node)
        return [node]


def _skip_checks(self: Any, node: checks) -> None:
    raise nodes.SkipNode


class SolutionDirective(SphinxDirective):
    """The hidden solution of the enclosing exercise."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        node = solution()
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


# Visitors are plain functions taking the translator; Sphinx binds them.
def _visit_question_html(self: Any, node: question) -> None:
    key = node.get("sb_key", "")
    self.body.append(f'<details class="sb-question" data-sb-key="{key}"><summary>')
    title = node.children[0]
    for child in title.children:
        child.walkabout(self)
    self.body.append('</summary><div class="sb-answer">')
    for child in node.children[1:]:
        child.walkabout(self)
    self.body.append("</div>")
    raise nodes.SkipChildren


def _depart_details_html(self: Any, node: nodes.Element) -> None:
    self.body.append("</details>\n")


def _visit_solution_html(self: Any, node: solution) -> None:
    self.body.append('<details class="sb-solution"><summary>Solution</summary>')


def _visit_exercise_html(self: Any, node: exercise) -> None:
    self.body.append(f'<div class="sb-exercise" data-sb-key="{node.get("sb_key", "")}">')


def _depart_div_html(self: Any, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def _depart_noop(self: Any, node: nodes.Element) -> None:
    pass


# On paper nothing can be clicked open, so the answer follows its question.
def _visit_question_latex(self: Any, node: question) -> None:
    # On paper: the question in bold, then the answer, labelled.
    self.body.append("\n\n\\par\\medskip\\noindent\\textbf{Q.~")
    for child in node.children[0].children:
        child.walkabout(self)
    self.body.append("}\\par\\smallskip\\noindent\\textit{Answer.}~")
    for child in node.children[1:]:
        child.walkabout(self)
    raise nodes.SkipChildren


def _depart_question_latex(self: Any, node: question) -> None:
    self.body.append("\n\n")


def _visit_solution_latex(self: Any, node: solution) -> None:
    self.body.append("\n\n\\par\\noindent\\textit{Solution.}~")


def _visit_exercise_latex(self: Any, node: exercise) -> None:
    self.body.append("\n\n\\par\\medskip\\noindent\\textbf{Exercise.}~")


def _visit_question_text(self: Any, node: question) -> None:
    self.add_text("Q. ")


def _visit_solution_text(self: Any, node: solution) -> None:
    self.add_text("Solution: ")


def _visit_exercise_text(self: Any, node: exercise) -> None:
    self.add_text("Exercise: ")
