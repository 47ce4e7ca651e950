"""The overlay merge against a per-path model of the OCI whiteout rules, on random layer stacks.

The model never simulates: for each path it takes the topmost layer that
has it and asks whether any higher layer hides it (a whiteout of it or of
an ancestor, an opaque ancestor, or a non-directory at an ancestor). Each
random layer also goes through a real tar and back before it is merged.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.containers import (
    OPAQUE,
    WHITEOUT_PREFIX,
    Directory,
    File,
    Layer,
    Node,
    Symlink,
    layer_tar,
    merge,
    read_layer,
)

PATHS = ["a", "a/x", "a/b", "a/b/y", "a/b/z", "c", "c/z", "w"]
DIRS = ["", "a", "a/b", "c"]

nodes: st.SearchStrategy[Node] = st.one_of(
    st.builds(File, st.binary(max_size=4), st.sampled_from([0o644, 0o755])),
    st.builds(Directory, st.sampled_from([0o755, 0o700])),
    st.builds(Symlink, st.sampled_from(["/etc/passwd", "y", "./z"])),
)


def _ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


@st.composite
def layers(draw: st.DrawFn) -> Layer:
    entries = draw(st.dictionaries(st.sampled_from(PATHS), nodes, max_size=5))
    blocked = {p for p, n in entries.items() if not isinstance(n, Directory)}
    entries = {p: n for p, n in entries.items() if not blocked & set(_ancestors(p))}
    whiteouts = [
        w
        for w in draw(st.lists(st.sampled_from(PATHS), max_size=2, unique=True))
        if not blocked & set(_ancestors(w))
    ]
    opaque = [
        d
        for d in draw(st.lists(st.sampled_from(DIRS), max_size=1))
        if d not in blocked and not blocked & set(_ancestors(d))
    ]
    return Layer.create(entries, whiteouts=whiteouts, opaque=opaque)


def _hides(layer: Layer, path: str) -> bool:
    above = _ancestors(path)
    return (
        path in layer.whiteouts
        or any(a in layer.whiteouts for a in above)
        or "" in layer.opaque
        or any(a in layer.opaque for a in above)
        or any(a in layer.entries and not isinstance(layer.entries[a], Directory) for a in above)
    )


def model(stack: Sequence[Layer]) -> dict[str, Node]:
    visible: dict[str, Node] = {}
    for path in {p for layer in stack for p in layer.entries}:
        top = max(i for i, layer in enumerate(stack) if path in layer.entries)
        if not any(_hides(stack[j], path) for j in range(top + 1, len(stack))):
            visible[path] = stack[top].entries[path]
    return dict(sorted(visible.items()))


@settings(max_examples=40)  # each example writes and parses up to ten tars: ~1 s in all
@given(st.lists(layers(), min_size=1, max_size=5))
def test_merge_matches_the_model_through_real_tars(stack: list[Layer]) -> None:
    tars = [layer_tar(layer) for layer in stack]
    through_tar = [read_layer(tar) for tar in tars]
    assert through_tar == stack
    assert [layer_tar(layer) for layer in through_tar] == tars  # reproducible bytes, so digests
    merged = merge(through_tar)
    assert merged == model(stack)
    for path in merged:  # the merged tree is a tree, and holds no whiteout
        assert all(isinstance(merged[a], Directory) for a in _ancestors(path))
        assert not path.rsplit("/", 1)[-1].startswith(WHITEOUT_PREFIX)


def test_spec_opaque_example() -> None:
    # image-spec layer.md, "Whiteouts": a/b is deleted and recreated with a/b/c/foo.
    base = Layer.create({"a/b/c/bar": File(b"")})
    top = Layer.create({"a/b/c/foo": File(b"")}, opaque=["a"])
    assert list(merge([base, top])) == ["a", "a/b", "a/b/c", "a/b/c/foo"]


def test_spec_whiteout_example() -> None:
    # image-spec layer.md, "Representing Changes": my-app-config deleted, my-app.d added.
    base = Layer.create({"etc/my-app-config": File(b"1"), "bin/my-app-tools": File(b"v1")})
    top = Layer.create(
        {"etc/my-app.d/default.cfg": File(b"2"), "bin/my-app-tools": File(b"v2")},
        whiteouts=["etc/my-app-config"],
    )
    merged = merge([base, top])
    assert list(merged) == [
        "bin",
        "bin/my-app-tools",
        "etc",
        "etc/my-app.d",
        "etc/my-app.d/default.cfg",
    ]
    assert merged["bin/my-app-tools"] == File(b"v2")


def test_whiteout_only_hides_lower_layers() -> None:
    layer = Layer.create({"f": File(b"new")}, whiteouts=["f"])
    assert merge([Layer.create({"f": File(b"old")}), layer]) == {"f": File(b"new")}


def test_directory_over_directory_keeps_children_takes_mode() -> None:
    base = Layer.create({"d": Directory(0o755), "d/k": File(b"")})
    top = Layer.create({"d": Directory(0o700)})
    assert merge([base, top]) == {"d": Directory(0o700), "d/k": File(b"")}


def test_symlink_replacing_a_directory_drops_its_children() -> None:
    base = Layer.create({"d/k": File(b"")})
    assert merge([base, Layer.create({"d": Symlink("/opt")})]) == {"d": Symlink("/opt")}


def test_root_opaque_hides_everything_below() -> None:
    base = Layer.create({"a/x": File(b""), "w": File(b"")})
    assert merge([base, Layer.create({}, opaque=[""])]) == {}
    assert OPAQUE == ".wh..wh..opq"


def test_merge_of_nothing_and_bad_input() -> None:
    assert merge([]) == {}
    for bad in ("layer", b"x", None, 3):
        with pytest.raises(TypeError, match="sequence of Layer"):
            merge(bad)  # type: ignore[arg-type]


def test_replacing_many_files_does_not_rescan_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    # One tree scan per entry made 8,000 files over 8,000 take 30 s. Counted, not
    # timed: replacing files scans nothing; only the one whiteout scans (for a
    # directory's children), once.
    import studybook.infra.containers.overlay as overlay

    scans = 0
    real = overlay._remove_below

    def counting(tree: dict[str, object], directory: str) -> None:
        nonlocal scans
        scans += 1
        real(tree, directory)  # type: ignore[arg-type]

    monkeypatch.setattr(overlay, "_remove_below", counting)
    n = 20_000
    base = Layer.create({f"d{i % 50}/f{i}": File(b"") for i in range(n)} | {"d0/g": File(b"")})
    top = Layer.create({f"d{i % 50}/f{i}": File(b"x") for i in range(n)}, whiteouts=["d0/g"])
    merged = merge([base, top])
    assert scans <= 1, scans
    assert len(merged) == n + 50
    assert "d0/g" not in merged
    assert merged["d1/f1"] == File(b"x")
