"""Layer tars built by hand, and members an attacker would plant (also refused by tarfile)."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable

import pytest

from studybook.infra.containers import (
    Directory,
    File,
    Layer,
    Symlink,
    layer_tar,
    normalize_path,
    read_layer,
)


def tar_of(*members: tuple[tarfile.TarInfo, bytes | None]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def info(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type, member.linkname = kind, linkname
    return member


def test_reads_a_hand_built_tar_like_docker_writes() -> None:
    data = tar_of(
        (info("./", tarfile.DIRTYPE), None),
        (info("./etc/", tarfile.DIRTYPE), None),
        (info("./etc/.wh.old.conf"), b""),
        (info("./etc/app.conf"), b"x=1"),
        (info("./bin/.wh..wh..opq"), b""),
        (info("./bin/sh", tarfile.SYMTYPE, "/bin/busybox"), None),
    )
    layer = read_layer(data)
    assert layer.entries == {
        "bin": Directory(),
        "bin/sh": Symlink("/bin/busybox"),
        "etc": Directory(0o644),  # TarInfo's default mode, kept as written
        "etc/app.conf": File(b"x=1"),
    }
    assert layer.whiteouts == {"etc/old.conf"}
    assert layer.opaque == {"bin"}


# Each malicious member is refused by read_layer AND by Python's own tarfile.data_filter
# (PEP 706), an independent implementation of the same rules.
MALICIOUS: list[tuple[str, Callable[[], tarfile.TarInfo], str]] = [
    ("dot-dot", lambda: info("../../etc/cron.d/evil"), "stay inside the root"),
    ("dot-dot-middle", lambda: info("a/../../b"), "stay inside the root"),
    ("symlink-escape", lambda: info("a/link", tarfile.SYMTYPE, "../../etc"), "escapes the root"),
    ("device", lambda: info("dev/sda", tarfile.BLKTYPE), "device or FIFO"),
    ("fifo", lambda: info("p", tarfile.FIFOTYPE), "device or FIFO"),
]


@pytest.mark.parametrize(("label", "make", "match"), MALICIOUS, ids=[m[0] for m in MALICIOUS])
def test_malicious_members_refused_like_tarfile_data_filter(
    label: str, make: Callable[[], tarfile.TarInfo], match: str, tmp_path: object
) -> None:
    member = make()
    with pytest.raises(tarfile.FilterError):
        tarfile.data_filter(member, str(tmp_path))
    with pytest.raises(ValueError, match=match):
        read_layer(tar_of((member, b"" if member.isreg() else None)))


@pytest.mark.parametrize(
    ("members", "match"),
    [
        ([(info("/etc/passwd"), b"")], "must be relative"),
        ([(info("x"), b"1"), (info("./x"), b"2")], "duplicate tar entry"),
        ([(info("x"), b""), (info("y", tarfile.LNKTYPE, "x"), None)], "hard link"),
        ([(info("a/.wh.b"), b"not empty")], "must be an empty regular file"),
        ([(info("f"), b""), (info("f/g"), b"")], "which this layer makes a file"),
        ([(info("s", tarfile.SYMTYPE, "/etc"), None), (info("s/passwd"), b"")], "makes a symlink"),
        ([(info(".wh.d/x"), b"")], "reserved"),
        ([(info("d/.wh."), b"")], "names nothing to delete"),
    ],
)
def test_unsafe_or_malformed_layers_refused(
    members: list[tuple[tarfile.TarInfo, bytes | None]], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        read_layer(tar_of(*members))


@pytest.mark.parametrize(
    ("data", "error", "match"),
    [
        (b"definitely not a tar archive" * 30, ValueError, "not a tar archive"),
        ("a string", TypeError, "tar bytes"),
        (None, TypeError, "tar bytes"),
    ],
)
def test_read_layer_bad_input(data: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        read_layer(data)  # type: ignore[arg-type]


def test_empty_tar_is_an_empty_layer() -> None:
    assert read_layer(tar_of()) == Layer.create({})


@pytest.mark.parametrize(
    ("name", "error", "match"),
    [
        ("", ValueError, "below the root"),
        ("./", ValueError, "below the root"),
        ("/abs", ValueError, "relative"),
        ("a\0b", ValueError, "relative"),
        ("..", ValueError, "inside the root"),
        (7, TypeError, "str"),
    ],
)
def test_normalize_path_refuses(name: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        normalize_path(name)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"entries": {"x": b"raw bytes"}}, TypeError, "File, Directory or Symlink"),
        ({"entries": {"x": File(b""), "./x": File(b"")}}, ValueError, "duplicate entry"),
        ({"entries": [("x", File(b""))]}, TypeError, "mapping"),
        ({"entries": {}, "whiteouts": "x"}, TypeError, "not one string"),
        ({"entries": {"w": File(b"")}, "opaque": ["w"]}, ValueError, "makes a file"),
        ({"entries": {"l": Symlink("../../x")}}, ValueError, "escapes the root"),
    ],
)
def test_layer_create_refuses(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        Layer.create(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: File("text"), TypeError),  # type: ignore[arg-type]
        (lambda: File(b"", mode=True), TypeError),
        (lambda: File(b"", mode=0o10000), ValueError),
        (lambda: Directory(mode=-1), ValueError),
        (lambda: Symlink(""), ValueError),
        (lambda: Symlink(float("nan")), ValueError),  # type: ignore[arg-type]
    ],
)
def test_nodes_refuse_bad_fields(make: Callable[[], object], error: type[Exception]) -> None:
    with pytest.raises(error):
        make()


def test_layer_tar_is_deterministic_and_whiteouts_come_first() -> None:
    layer = Layer.create({"d/a": File(b"1")}, whiteouts=["d/z"], opaque=["d"])
    data = layer_tar(layer)
    assert data == layer_tar(layer)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        names = tar.getnames()
        assert {m.mtime for m in tar.getmembers()} == {0}
    assert names == ["d", "d/.wh..wh..opq", "d/.wh.z", "d/a"]
    with pytest.raises(TypeError, match="must be a Layer"):
        layer_tar({"d/a": File(b"1")})  # type: ignore[arg-type]


def test_sparse_member_is_refused_before_it_allocates_its_declared_size() -> None:
    # A PAX 1.0 sparse member: 10 kB of tar that declares 3 GiB of (mostly hole) data.
    sparse = info("GNUSparseFile.0/big")
    sparse.pax_headers = {
        "GNU.sparse.major": "1",
        "GNU.sparse.minor": "0",
        "GNU.sparse.name": "big",
        "GNU.sparse.realsize": str(3 * 2**30),
    }
    data = tar_of((sparse, b"1\n0\n1\n".ljust(512, b"\0") + b"x"))
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        assert tar.getmembers()[0].size == 3 * 2**30  # what tarfile would read back
    with pytest.raises(ValueError, match="sparse file"):
        read_layer(data)


def test_member_claiming_more_bytes_than_the_archive_holds_is_refused() -> None:
    raw = bytearray(tar_of((info("big"), b"hello")))
    raw[124:136] = b"77777777777\0"  # size field: 8 GiB
    raw[148:156] = b" " * 8
    raw[148:156] = b"%06o\0 " % sum(raw[:512])  # a valid header checksum
    with pytest.raises(ValueError, match="not a tar archive"):
        read_layer(bytes(raw))


def test_long_and_deep_paths_are_refused_before_they_cost_memory() -> None:
    with pytest.raises(ValueError, match="PATH_MAX"):
        read_layer(tar_of((info("a/" * 20_000 + "f"), b"")))
    # Fifty 4 kB names, 2,000 levels deep each, in 280 kB of tar, would imply
    # 100,000 directories and 230 MB of path text.
    deep = [(info(f"x{i}/" + "a/" * 2040 + "f"), b"") for i in range(50)]
    with pytest.raises(ValueError, match="imply more than 16x"):
        read_layer(tar_of(*deep))
    assert len(read_layer(tar_of((info("a/" * 500 + "f"), b""))).entries) == 501


def test_symlink_check_is_lexical_like_tarfile_data_filter(tmp_path: object) -> None:
    # `t -> s/..` with `s -> .` resolves above the root, yet neither check follows `s`:
    # safety at extraction time needs a resolver that stays beneath the root.
    link = info("t", tarfile.SYMTYPE, "s/..")
    assert tarfile.data_filter(link, str(tmp_path)) is not None
    layer = read_layer(tar_of((info("s", tarfile.SYMTYPE, "."), None), (link, None)))
    assert layer.entries == {"s": Symlink("."), "t": Symlink("s/..")}


def test_layer_built_without_its_parent_directories_is_refused() -> None:
    with pytest.raises(ValueError, match="no parent directory entry 'a'"):
        Layer({"a/x": File(b"")})
    with pytest.raises(ValueError, match="no parent directory entry 'd'"):
        Layer({}, whiteouts=frozenset({"d/x"}))
