"""The ``{question}``, ``{exercise}`` and ``{solution}`` directives."""

from __future__ import annotations

from typing import Any, ClassVar

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
    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {"class": directives.class_option}
    node_class: ClassVar[type[nodes.Element]]

    def run(self) -> list[nodes.Node]:
        node = self.node_class(classes=self.options.get("class", []))
        self.set_source_info(node)
        title_nodes, messages = self.state.inline_text(self.arguments[0], self.lineno)
        node += nodes.paragraph("", "", *title_nodes, classes=["sb-title"])
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node, *messages]


class QuestionDirective(_TitledDirective):
    """``{question} Why are SSTables immutable?`` with the answer as its body."""

    node_class = question


class ExerciseDirective(_TitledDirective):
    """``{exercise} Title`` with the statement, then a ``{solution}``, as its body."""

    node_class = exercise


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
    self.body.append('<details class="sb-question"><summary>')
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
    self.body.append('<div class="sb-exercise">')


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
