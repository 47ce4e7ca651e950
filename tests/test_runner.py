"""The Run buttons' build side (sphinxext/runner.py), their harness (_browser.py) and the survey.

The browser side is in tests/browser/test_runner.py; here the doctrees are
built by hand, the way Sphinx's doctest directives and docutils make them.
"""

from __future__ import annotations

import doctest
import io
import json
from pathlib import Path

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from studybook import _browser
from studybook.sphinxext import pyodide_survey, runner

ROOT = Path(__file__).resolve().parents[1]
BASE = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _page(*blocks: nodes.Element) -> nodes.document:
    document = new_document("<test>", get_default_settings(Parser))
    document.extend(blocks)
    return document


def _test(kind: str, code: str, groups: str = "default", **attributes: object) -> nodes.Element:
    """A node as sphinx.ext.doctest's directives make it (setup and hidden ones are comments)."""
    node_type = nodes.comment if kind in {"testsetup", "testcleanup"} else nodes.literal_block
    node = node_type(code, code, testnodetype=kind, groups=groups.split(","), options={})
    for key, value in attributes.items():
        node[key] = value
    return node


# --- what cannot run in a browser -------------------------------------------


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (">>> import socket", "sockets"),
        (">>> from http.server import HTTPServer", "sockets"),
        (">>> asyncio.start_server(handle, '127.0.0.1', 0)", "network servers"),
        (">>> import subprocess", "subprocesses"),
        (">>> socketserver.TCPServer(addr, Handler)", "network servers"),
        (">>> threading.Thread(target=f).start()", "threads"),
        (">>> signal.signal(signal.SIGINT, h)", "signals"),
        (">>> loop.add_signal_handler(signal.SIGTERM, stop.set)", "signals"),
        (">>> import redis", "it imports redis, which the page's Python does not have"),
        ("from prometheus_client import Counter", "it imports prometheus_client, which t"),
        (">>> import curses", "it imports curses, which the page's Python does not have"),
    ],
)
def test_blocker_names_what_a_browser_lacks(code: str, reason: str) -> None:
    assert (runner._blocker(code) or "").startswith(reason)


@pytest.mark.parametrize(
    "code",
    [
        ">>> sockets = 3",
        ">>> threading.Lock()",
        ">>> serve_count = 1",
        ">>> import asyncio, sqlite3",
        ">>> from studybook.dsa.lsm_tree import LSMTree",
        ">>> from __future__ import annotations",
        ">>> rt.kill(cid, signal.SIGKILL)",  # a signal number is only an int
        ">>> class Steps(socketserver.BaseRequestHandler): ...",  # no socket until served
        ">>> print('x')\nfrom the start\nimport the rest",  # output lines, not imports
    ],
)
def test_blocker_leaves_ordinary_code_alone(code: str) -> None:
    assert runner._blocker(code) is None


# --- groups and setups, as Sphinx's doctest builder runs them ----------------


def test_setups_follow_the_builders_order_wherever_the_blocks_sit() -> None:
    page = _page(
        _test("doctest", ">>> a\n1\n"),
        _test("testsetup", "a = 1"),  # after the example: the builder still runs it first
        _test("testsetup", "shared = 0", groups="*"),
        _test("testsetup", "b = 2", groups="other"),
        _test("doctest", ">>> b\n2\n", groups="other"),
        _test("testsetup", "a += 1"),
    )
    setups, _ = runner._examples(page, global_setup="import math")
    assert setups == {
        "default": "import math\na = 1\na += 1\nshared = 0",
        "other": "import math\nb = 2\nshared = 0",
    }


def test_a_star_setup_joins_only_groups_the_page_uses() -> None:
    page = _page(_test("testsetup", "x = 1", groups="*"), _test("doctest", ">>> x\n1\n"))
    setups, found = runner._examples(page)
    assert setups == {"default": "x = 1"}
    assert [info["groups"] for _, info in found] == [["default"]]


def test_examples_carry_groups_flags_visibility_and_the_test_source() -> None:
    hidden = _test("doctest", ">>> 1\n1\n", hide=True)
    hidden_comment = nodes.comment("", "", **hidden.attributes)
    flagged = _test("doctest", ">>> [1]\n[1]\n", groups="a,b")
    flagged["options"] = {doctest.ELLIPSIS: False, doctest.REPORT_NDIFF: True}
    trimmed = _test("doctest", ">>> x\n1\n", test=">>> x  # doctest: +SKIP\n1\n")
    bare = nodes.doctest_block(">>> 2\n2", ">>> 2\n2")
    page = _page(hidden_comment, flagged, trimmed, bare)
    _, found = runner._examples(page)
    infos = [info for _, info in found]
    assert [info["groups"] for info in infos] == [["default"], ["a", "b"], ["default"], ["default"]]
    assert [info["visible"] for info in infos] == [False, True, True, True]
    assert infos[1]["flags"] == (BASE & ~doctest.ELLIPSIS) | doctest.REPORT_NDIFF
    assert infos[0]["flags"] == BASE
    assert infos[2]["source"] == ">>> x  # doctest: +SKIP\n1\n"  # what the builder tests
    assert infos[3]["source"] == ">>> 2\n2"


def test_a_blocked_example_blocks_its_groups_later_examples_only() -> None:
    page = _page(
        _test("doctest", ">>> 1\n1\n"),
        _test("doctest", ">>> import socket\n"),
        _test("doctest", ">>> 2\n2\n"),
        _test("doctest", ">>> 3\n3\n", groups="other"),
    )
    setups, found = runner._examples(page)
    assert [info["blocked"] for _, info in found] == [None, "sockets", "sockets", None]
    assert setups == {"default": "", "other": ""}


def test_a_blocking_setup_blocks_its_group() -> None:
    page = _page(_test("testsetup", "import subprocess"), _test("doctest", ">>> 1\n1\n"))
    setups, found = runner._examples(page)
    assert found[0][1]["blocked"] == "subprocesses"
    assert setups == {}  # nothing on the page can use it


NOT_COPIED = "a test form the Run button does not copy"


@pytest.mark.parametrize(
    ("node", "after"),
    [
        (_test("testcode", "print(1)"), NOT_COPIED),
        (_test("doctest", ">>> 1\n1\n", skipif="True"), NOT_COPIED),
        (_test("doctest", ">>> 1\n1\n", groups="*"), None),  # the builder runs it last
    ],
    ids=["testcode", "skipif", "star-group"],
)
def test_test_forms_the_page_does_not_copy_get_a_note(node: nodes.Element, after: str) -> None:
    page = _page(node, _test("testoutput", "1"), _test("doctest", ">>> 2\n2\n"))
    _, found = runner._examples(page)
    assert [info["blocked"] for _, info in found] == [NOT_COPIED, after]


# --- the island --------------------------------------------------------------


def test_the_island_survives_html_and_parses_back_to_the_same_data() -> None:
    island = {"examples": [{"source": ">>> '</script><!-- & é'\n'</script><!-- & é'\n"}]}
    html = runner._island_html(island)
    body = html.removeprefix('<script type="application/json" id="sb-examples">')
    body = body.removesuffix("</script>\n")
    assert "<" not in body
    assert json.loads(body) == island
    assert "é" in body  # UTF-8, not a six-byte escape


@pytest.mark.parametrize(
    ("docname", "chapter"),
    [
        ("dsa/lsm-tree", "lsm-tree"),
        ("design/system-design-interviews/url-shortener", "system-design-interviews"),
        ("index", None),
    ],
)
def test_the_island_names_the_chapter_to_run_locally(docname: str, chapter: str | None) -> None:
    assert runner._chapter_id(docname) == chapter


# --- the harness the page and the survey share ---------------------------------


def _island(*examples: dict[str, object], setups: dict[str, str] | None = None) -> str:
    default = {"groups": ["default"], "flags": BASE, "blocked": None}
    return json.dumps(
        {"setups": setups or {"default": ""}, "examples": [default | e for e in examples]}
    )


def _press(page: str, index: int, sources: list[str] | None = None) -> dict[str, object]:
    if sources is None:
        sources = [e["source"] for e in json.loads(page)["examples"]]
    reply: dict[str, object] = json.loads(_browser.run(page, index, json.dumps(sources)))
    return reply


COUNTER = _island(
    {"source": ">>> items.append(1)\n"},
    {"source": ">>> items\n[0, 1]\n"},
    {"source": ">>> len(items)\n2\n"},
    setups={"default": "items = [0]"},
)


def test_pressing_a_later_example_runs_the_setup_and_earlier_examples_first() -> None:
    reply = _press(COUNTER, 2)
    assert reply["status"] == "pass"
    assert reply["items"] == [{"source": "len(items)\n", "want": "2\n", "got": "2\n", "ok": True}]


def test_pressing_again_rebuilds_the_group_so_the_verdict_does_not_change() -> None:
    assert [_press(COUNTER, i)["status"] for i in (0, 1, 1, 2, 2, 1)] == ["pass"] * 6


def test_an_edit_flows_into_the_examples_below_it() -> None:
    sources = [">>> items.append(5)\n", ">>> items\n[0, 1]\n", ">>> len(items)\n2\n"]
    reply = _press(COUNTER, 1, sources)
    assert reply["status"] == "fail"
    assert reply["items"][0]["got"] == "[0, 5]\n"  # type: ignore[index]


def test_an_earlier_failure_is_reported_with_the_pressed_example() -> None:
    sources = [">>> items.append(1)\n", ">>> items\n[9]\n", ">>> len(items)\n2\n"]
    reply = _press(COUNTER, 2, sources)
    assert reply["status"] == "pass"
    assert [(f["example"], f["got"]) for f in reply["earlier_failures"]] == [(1, "[0, 1]\n")]  # type: ignore[union-attr]


def test_groups_keep_separate_namespaces_and_flags_apply() -> None:
    page = _island(
        {"source": ">>> x = 1\n"},
        {"groups": ["b"], "source": ">>> 'x' in dir()\nFalse\n"},
        {"groups": ["b"], "source": ">>> list(range(20))\n[0, 1, ..., 19]\n", "flags": 0},
        setups={"default": "", "b": ""},
    )
    assert _press(page, 1)["status"] == "pass"
    assert _press(page, 2)["status"] == "fail"  # no ELLIPSIS for this one


def test_an_expected_exception_shows_the_books_text() -> None:
    want = "Traceback (most recent call last):\nZeroDivisionError: division by zero\n"
    page = _island({"source": f">>> 1 / 0\n{want}"})
    reply = _press(page, 0)
    assert reply["status"] == "pass"
    assert reply["items"][0]["got"] == want  # type: ignore[index]


def test_an_unexpected_exception_fails_with_its_message() -> None:
    reply = _press(_island({"source": ">>> int('x')\n1\n"}), 0)
    assert reply["status"] == "fail"
    assert reply["items"][0]["got"] == (  # type: ignore[index]
        "ValueError: invalid literal for int() with base 10: 'x'\n"
    )


def test_a_failing_setup_is_an_error() -> None:
    reply = _press(_island({"source": ">>> 1\n1\n"}, setups={"default": "import nowhere_xyz"}), 0)
    assert reply["status"] == "error"
    assert "No module named 'nowhere_xyz'" in str(reply["error"])


def test_an_empty_edit_fails_rather_than_passing_nothing() -> None:
    assert _press(COUNTER, 0, ["", "", ""])["status"] == "fail"


@pytest.mark.parametrize("index", [-1, 3, True])
def test_run_rejects_an_index_the_page_does_not_have(index: int) -> None:
    with pytest.raises(ValueError, match=f"no example {index!r} on this page"):
        _press(COUNTER, index)


def test_run_refuses_a_blocked_example() -> None:
    page = _island({"source": ">>> import socket\n", "blocked": "sockets"})
    with pytest.raises(ValueError, match="example 0 cannot run in a browser: sockets"):
        _press(page, 0)


# --- the survey's reading of a built book ----------------------------------------


def test_the_survey_reads_each_pages_island(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>hub</p>")
    (tmp_path / "dsa").mkdir()
    island = runner._island_html({"examples": [{"source": ">>> '</script>'\n"}]})
    (tmp_path / "dsa" / "x.html").write_text(f"<p>x</p>{island}")
    found = pyodide_survey.islands(tmp_path)
    assert list(found) == ["dsa/x"]
    assert json.loads(found["dsa/x"]) == {"examples": [{"source": ">>> '</script>'\n"}]}


def test_the_survey_rejects_a_folder_without_a_book_or_an_unknown_page(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no built book in"):
        pyodide_survey.islands(tmp_path)
    (tmp_path / "index.html").write_text("<p>hub</p>")
    with pytest.raises(ValueError, match=r"no examples on \['dsa/nope'\]"):
        pyodide_survey.islands(tmp_path, ["dsa/nope"])
    out = io.StringIO()
    assert pyodide_survey.main([str(tmp_path / "missing")], out=out) == 2
    assert "no built book in" in out.getvalue()


def test_the_island_leaves_out_what_is_usual() -> None:
    usual = {"groups": ["default"], "source": ">>> 1\n1\n", "flags": BASE, "visible": True}
    assert runner._compact(usual | {"blocked": None}) == {"source": ">>> 1\n1\n"}
    unusual = {"groups": ["g"], "source": "", "flags": 0, "visible": False, "blocked": "sockets"}
    assert runner._compact(unusual) == {
        "source": "",
        "groups": ["g"],
        "flags": 0,
        "hidden": True,
        "blocked": "sockets",
    }


# --- what a docstring's examples run, and the explicit marker -------------------------


@pytest.mark.parametrize(
    ("group", "reason"),
    [
        (
            "studybook-design-tcp_protocol-loopback-observe_lifecycle",
            "observe_lifecycle uses sockets",
        ),
        ("studybook-dsa-lsm_tree-LSMTree", None),
        ("studybook-dsa-advanced_structures-MAX_LEVEL", None),  # a constant runs nothing
        (
            "studybook-senior-api_design-graphql_api-DataLoader",  # its module imports graphql
            "its module imports graphql, which the page's Python does not have",
        ),
        ("studybook-no_such_module-thing", None),
    ],
)
def test_a_docstring_group_is_judged_by_the_source_it_documents(
    group: str, reason: str | None
) -> None:
    module = group.replace("-", ".").rsplit(".", 1)[0]
    setup = f"import importlib\nglobals().update(vars(importlib.import_module({module!r})))"
    assert runner._setup_blocker(group, setup) == reason


def test_the_doctest_option_marks_one_example_and_its_groups_later_ones(tmp_path: Path) -> None:
    from sphinx.testing.util import SphinxTestApp

    (tmp_path / "conf.py").write_text(
        "extensions = ['sphinx.ext.doctest', 'myst_parser']\n"
        "def setup(app):\n"
        "    from studybook.sphinxext.runner import DoctestDirective\n"
        "    app.add_directive('doctest', DoctestDirective, override=True)\n"
    )
    (tmp_path / "index.md").write_text(
        "# T\n\n```{doctest}\n>>> 1\n1\n```\n\n"
        "```{doctest}\n:runs-only-locally: it reads /proc\n>>> 2\n2\n```\n\n"
        "```{doctest}\n>>> 3\n3\n```\n\n```{doctest} other\n>>> 4\n4\n```\n"
    )
    app = SphinxTestApp("dummy", srcdir=tmp_path)
    try:
        app.build()
        _, found = runner._examples(app.env.get_doctree("index"))
    finally:
        app.cleanup()
    assert [info["blocked"] for _, info in found] == [
        None,
        "it reads /proc",
        "it reads /proc",
        None,
    ]
    assert found[1][1]["source"] == ">>> 2\n2"


def test_what_an_example_calls_is_judged_without_blocking_its_neighbours() -> None:
    setup = "from studybook.fundamentals.latency_numbers import *"
    page = _page(
        _test("testsetup", setup),
        _test("doctest", ">>> results = measure_machine(tmp, quick=True)\n"),
        _test("doctest", ">>> round(availability_in_series(0.999, 0.999), 6)\n0.998001\n"),
    )
    _, found = runner._examples(page)
    assert [info["blocked"] for _, info in found] == ["measure_machine uses sockets", None]
    aliased = "from studybook.fundamentals.concurrency import (\n    measure as m,\n)"
    assert runner._called_blocker(">>> m(workers=2)\n", aliased) == "measure uses subprocesses"
    assert runner._called_blocker(">>> print('measure')\nmeasure\n", aliased) is None


def test_a_module_docstrings_examples_are_judged_each_by_what_it_calls() -> None:
    # The dns package serves over sockets, yet its docstring's encode_query
    # example is pure: only the example that starts the demo is marked.
    group, module = "studybook-networking-dns", "studybook.networking.dns"
    setup = f"import importlib\nglobals().update(vars(importlib.import_module({module!r})))"
    page = _page(
        _test("testsetup", setup, groups=group),
        _test("doctest", '>>> encode_query("example.com", "A", query_id=1)[:2]\n', groups=group),
        _test("doctest", ">>> demo(io.StringIO())\n", groups=group),
    )
    _, found = runner._examples(page)
    assert [info["blocked"] for _, info in found] == [None, "demo uses sockets"]


def test_the_harness_never_replays_a_blocked_example() -> None:
    page = _island(
        {"source": ">>> items.append(1)\n", "blocked": "sockets"},
        {"source": ">>> items\n[0]\n"},
        setups={"default": "items = [0]"},
    )
    assert _press(page, 1)["status"] == "pass"


@pytest.mark.parametrize(
    ("dotted", "reason"),
    [
        (
            "studybook.networking.http_tls.make_ca",  # imports cryptography inside
            "make_ca uses cryptography, which the page's Python does not have",
        ),
        (
            "studybook.senior.api_design.demo",  # imports compare inside, which imports grpc
            "demo uses grpc, which the page's Python does not have",
        ),
        (
            "studybook.senior.security_auth.hash_password",
            "hash_password uses OpenSSL's key derivation (hashlib.scrypt, hashlib.pbkdf2_hmac)",
        ),
        ("studybook.dsa.lsm_tree.LSMTree", None),
        ("studybook.senior.build_redis.commands.Context", None),  # "socket" only in prose
    ],
)
def test_what_the_books_code_imports_is_judged_too(dotted: str, reason: str | None) -> None:
    assert runner._source_blocker(dotted) == reason


def test_an_import_is_read_from_the_code_not_from_the_prose() -> None:
    source = 'def f():\n    """Then:\n\n    import the rest\n    """\n    import os\n'
    assert runner._imports(source) == (None, [])
    assert runner._imports("def g():\n    from redis import Redis\n")[0] == "redis"
    lazy = "def h():\n    from studybook.dsa.lsm_tree import LSMTree, MISSING_NAME\n"
    assert [obj.__name__ for obj in runner._imports(lazy)[1]] == ["LSMTree"]


def test_the_books_code_is_judged_without_its_comments_and_docstrings() -> None:
    source = 'class C:\n    """Reads a socket."""\n    x: int = 1\n    """The socket\'s fd."""\n'
    code = runner._code_text(source + "    def f(self):  # a socket\n        return 1\n")
    assert "socket" not in code
    assert "return 1" in code


_DEFINITIONS = '''\
import functools


def plain(x):
    """Opens no socket."""
    return x  # a socket in a comment


@functools.cache
def decorated(x):
    return x


def outer():
    def inner():
        return 1

    return inner


class Shape:
    """A class whose docstring says socket."""

    if True:
        def under_an_if(self):
            return 2

    @property
    def area(self):
        return 3


try:
    def twice():
        return "first"
except ImportError:
    pass
else:
    def twice():
        return "second"
'''


def test_the_books_code_is_read_from_one_parse_of_its_module_as_getsource_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import inspect

    (tmp_path / "sb_definitions_case.py").write_text(_DEFINITIONS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("sb_definitions_case")
    objects = {
        "plain": module.plain,
        "decorated": module.decorated.__wrapped__,
        "inner": module.outer(),
        "Shape": module.Shape,
        "under_an_if": module.Shape.under_an_if,
        "area": module.Shape.area.fget,
    }
    for name, obj in objects.items():
        code, node = runner._own_code(obj)
        assert node is not None, f"{name} was not found in the parsed module"
        assert code == runner._code_text(inspect.getsource(obj)), name
    assert "socket" not in runner._own_code(module.plain)[0]
    # Defined twice in one file: read the usual way, and the one that runs is read.
    code, node = runner._own_code(module.twice)
    assert node is None
    assert "second" in code
    assert "first" not in code
