"""Image layers: a filesystem changeset as a real tar archive, read back safely.

A layer is a tar of the files a build step added or changed, plus *whiteouts*
for what it deleted: an empty file ``.wh.<name>`` deletes ``<name>`` from the
layers below, and ``.wh..wh..opq`` in a directory hides everything the lower
layers had in it. :class:`Layer` is the parsed form; :func:`layer_tar` writes
one as a deterministic tar (``tarfile``, mtime 0, owner 0, PAX format) and
:func:`read_layer` parses tar bytes back, refusing what an attacker would put
in one: absolute paths, ``..`` components, a relative symlink that climbs out
of the root, an entry below a file or symlink of the same layer, duplicates,
paths longer than ``PATH_MAX``, sparse members (a decompression bomb), and
device nodes or hard links (legal in OCI layers, but outside this model).

>>> layer = Layer.create({"etc/app.conf": File(b"port=80")}, whiteouts=["etc/old.conf"])
>>> sorted(layer.entries), sorted(layer.whiteouts)
(['etc', 'etc/app.conf'], ['etc/old.conf'])
>>> read_layer(layer_tar(layer)) == layer
True

Source: OCI image-spec v1.1, ``layer.md`` (change types, "Changeset over
existing files", whiteouts, opaque whiteouts, no duplicate entries).
"""

from __future__ import annotations

import io
import posixpath
import tarfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from studybook._validate import check_int

__all__ = [
    "OPAQUE",
    "PATH_MAX",
    "WHITEOUT_PREFIX",
    "Directory",
    "File",
    "Layer",
    "Node",
    "Symlink",
    "layer_tar",
    "normalize_path",
    "read_layer",
]

#: A whiteout is named with this prefix followed by the basename it deletes.
WHITEOUT_PREFIX = ".wh."
#: The opaque whiteout, after which its directory keeps nothing from lower layers.
OPAQUE = ".wh..wh..opq"
#: The longest path, in bytes, a layer may name (Linux's PATH_MAX).
PATH_MAX = 4096


@dataclass(frozen=True)
class File:
    """A regular file: its bytes and permission bits."""

    data: bytes
    mode: int = 0o644

    def __post_init__(self) -> None:
        if not isinstance(self.data, bytes):
            raise TypeError(f"file data must be bytes, got {type(self.data).__name__}")
        check_int(self.mode, "mode", minimum=0, maximum=0o7777)


@dataclass(frozen=True)
class Directory:
    """A directory: only its permission bits (its children are other paths)."""

    mode: int = 0o755

    def __post_init__(self) -> None:
        check_int(self.mode, "mode", minimum=0, maximum=0o7777)


@dataclass(frozen=True)
class Symlink:
    """A symbolic link; an absolute target is resolved inside the container's root."""

    target: str

    def __post_init__(self) -> None:
        if not isinstance(self.target, str) or not self.target or "\0" in self.target:
            raise ValueError(f"symlink target must be a non-empty str, got {self.target!r}")


Node = File | Directory | Symlink


def normalize_path(name: object) -> str:
    """Return a tar member name as a clean relative path, or refuse it.

    ``./etc//app/`` becomes ``etc/app``; absolute paths, ``..`` components,
    NUL bytes and the empty name are refused, since extracting them would
    write outside the layer's root (the bug class of CVE-2007-4559).

    Complexity: O(len(name)).

    >>> normalize_path("./etc//app/")
    'etc/app'
    >>> normalize_path("etc/../../root/.ssh/authorized_keys")
    Traceback (most recent call last):
        ...
    ValueError: layer path must stay inside the root, got 'etc/../../root/.ssh/authorized_keys'
    """
    if not isinstance(name, str):
        raise TypeError(f"layer path must be a str, got {type(name).__name__}: {name!r}")
    if len(name.encode("utf-8", "surrogateescape")) > PATH_MAX:
        # Linux cannot create such a path anyway; refusing it also bounds the work
        # per member (a 40 kB PAX name 20,000 levels deep cost 400 MB before this check).
        raise ValueError(
            f"layer path is longer than PATH_MAX ({PATH_MAX} bytes), got {name[:40]!r}..."
        )
    if name.startswith("/") or "\0" in name:
        raise ValueError(f"layer path must be relative, got {name!r}")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ValueError(f"layer path must stay inside the root, got {name!r}")
    if not parts:
        raise ValueError(f"layer path must name something below the root, got {name!r}")
    return "/".join(parts)


@dataclass(frozen=True)
class Layer:
    """One parsed changeset: entries to add, paths to delete, directories made opaque.

    Build it with :meth:`create`, which checks every path and adds the
    missing parent directories (mode 0o755) explicitly, so every entry's
    parent is a directory *of this layer*: applying it never writes through
    a lower layer's symlink. ``opaque`` may contain ``""``, the root.
    """

    entries: Mapping[str, Node]
    whiteouts: frozenset[str] = field(default_factory=frozenset)
    opaque: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # The merge relies on this: a non-directory never has children, so replacing
        # it needs no scan for descendants. Layer.create always satisfies it.
        markers = (*self.entries, *self.whiteouts, *(_join(o, OPAQUE) for o in self.opaque))
        for path in markers:
            parent = posixpath.dirname(path)
            if parent and not isinstance(self.entries.get(parent), Directory):
                raise ValueError(
                    f"{path!r} has no parent directory entry {parent!r}; build layers"
                    " with Layer.create"
                )

    @classmethod
    def create(
        cls,
        entries: Mapping[str, Node],
        *,
        whiteouts: Iterable[str] = (),
        opaque: Iterable[str] = (),
    ) -> Layer:
        """Check and normalise a changeset.

        Args:
            entries: path -> :class:`File`, :class:`Directory` or :class:`Symlink`.
            whiteouts: paths this layer deletes from the layers below.
            opaque: directories whose lower contents this layer hides
                (``""`` for the root).

        Raises:
            TypeError: a value is not a node, or a path not a str.
            ValueError: an unsafe or duplicate path, a whiteout-reserved name,
                an entry below a non-directory of this layer, or a relative
                symlink that climbs out of the root.

        Complexity: O(total path length).

        >>> Layer.create({"bin": File(b"x"), "bin/sh": File(b"y")})
        Traceback (most recent call last):
            ...
        ValueError: 'bin/sh' is below 'bin', which this layer makes a file, not a directory
        """
        if not isinstance(entries, Mapping):
            raise TypeError(f"entries must be a mapping path -> node, got {entries!r}")
        clean: dict[str, Node] = {}
        for raw, node in entries.items():
            path = normalize_path(raw)
            if not isinstance(node, File | Directory | Symlink):
                raise TypeError(
                    f"entry {path!r} must be a File, Directory or Symlink, got {node!r}"
                )
            if path in clean:
                raise ValueError(f"duplicate entry for {path!r} (from {raw!r})")
            if any(p.startswith(WHITEOUT_PREFIX) for p in path.split("/")):
                raise ValueError(
                    f"names starting with {WHITEOUT_PREFIX!r} are reserved, got {raw!r}"
                )
            if isinstance(node, Symlink):
                _check_symlink(path, node.target)
            clean[path] = node
        outs = frozenset(normalize_path(w) for w in _strings(whiteouts, "whiteouts"))
        opq = frozenset(
            "" if o in ("", ".", "./") else normalize_path(o) for o in _strings(opaque, "opaque")
        )
        # Parents implied by entries, by whiteout files and by opaque markers. Walk up
        # from each path and stop at the first parent already known to be a directory,
        # so each directory is created once: O(total path length), not O(depth^2) per path.
        # The budget keeps the implied tree linear in the input: 280 kB of tar naming
        # fifty 4 kB paths 2,000 levels deep would otherwise imply 100,000 directories
        # and 230 MB of path text.
        named = (*list(clean), *outs, *(_join(o, OPAQUE) for o in opq))
        budget = _IMPLIED_FACTOR * sum(len(p) for p in named) + _IMPLIED_SLACK
        known: set[str] = set()
        for child in named:
            parent = posixpath.dirname(child)
            while parent and parent not in known:
                budget -= len(parent)
                if budget < 0:
                    raise ValueError(
                        f"the layer's paths imply more than {_IMPLIED_FACTOR}x their own"
                        f" length in parent directories (at {parent[:40]!r}...)"
                    )
                node = clean.setdefault(parent, Directory())
                if not isinstance(node, Directory):
                    kind = "a file" if isinstance(node, File) else "a symlink"
                    raise ValueError(
                        f"{child!r} is below {parent!r}, which this layer makes {kind},"
                        " not a directory"
                    )
                known.add(parent)
                parent = posixpath.dirname(parent)
        return cls(dict(sorted(clean.items())), outs, opq)


#: Implied parent directories may name at most this many times the layer's own path text,
#: plus the slack: real trees (depth ~10-20, shared parents) stay far below it.
_IMPLIED_FACTOR, _IMPLIED_SLACK = 16, 2**20


def _strings(values: Iterable[str], what: str) -> list[str]:
    if isinstance(values, str | bytes):
        raise TypeError(f"{what} must be an iterable of paths, not one string, got {values!r}")
    return list(values)


def _check_symlink(path: str, target: str) -> None:
    """Refuse a relative target that climbs above the root from the link's directory.

    The check is lexical, like ``tarfile.data_filter``'s: it does not follow other
    symlinks, so ``s -> .`` plus ``t -> s/..`` passes although ``t`` resolves above
    the root. An extractor must still resolve every path beneath the root at write
    time (``openat2`` with ``RESOLVE_BENEATH``, or a secure join).
    """
    if target.startswith("/"):
        return  # resolved inside the container's root, as runc's securejoin does
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if resolved == ".." or resolved.startswith("../"):
        raise ValueError(f"symlink {path!r} -> {target!r} escapes the root")


def layer_tar(layer: Layer) -> bytes:
    """Write ``layer`` as a reproducible tar: the same layer always gives the same bytes.

    Members are sorted by directory, whiteouts before their siblings (as the
    spec recommends); times and owners are zeroed, so the digest depends only
    on content. Complexity: O(total size + n log n).
    """
    if not isinstance(layer, Layer):
        raise TypeError(f"layer must be a Layer, got {layer!r}")
    members: list[tuple[str, Node | None]] = [(p, n) for p, n in layer.entries.items()]
    members += [
        (_join(posixpath.dirname(w), WHITEOUT_PREFIX + posixpath.basename(w)), None)
        for w in layer.whiteouts
    ]
    members += [(_join(o, OPAQUE), None) for o in layer.opaque]
    members.sort(key=_member_order)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, node in members:
            info = tarfile.TarInfo(name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            payload = None
            if node is None:  # a whiteout: an empty regular file
                info.mode = 0o644
            elif isinstance(node, File):
                info.mode, info.size, payload = node.mode, len(node.data), io.BytesIO(node.data)
            elif isinstance(node, Directory):
                info.type, info.mode = tarfile.DIRTYPE, node.mode
            else:
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, node.target, 0o777
            tar.addfile(info, payload)
    return buf.getvalue()


def _join(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def _member_order(member: tuple[str, Node | None]) -> tuple[tuple[str, ...], bool, str]:
    name = member[0]
    parent, base = posixpath.split(name)
    return (tuple(parent.split("/")) if parent else (), not base.startswith(WHITEOUT_PREFIX), base)


def read_layer(data: bytes) -> Layer:
    """Parse an uncompressed layer tar into a :class:`Layer`, refusing unsafe members.

    Raises:
        TypeError: ``data`` is not bytes.
        ValueError: not a tar archive, or a member :meth:`Layer.create` or
            this reader refuses (hard links, devices, FIFOs, sparse files, a
            whiteout that is not an empty regular file).

    Complexity: O(len(data)).

    >>> import io, tarfile
    >>> buf = io.BytesIO()
    >>> with tarfile.open(fileobj=buf, mode="w") as t:
    ...     t.addfile(tarfile.TarInfo("../../etc/cron.d/x"), io.BytesIO(b""))
    >>> read_layer(buf.getvalue())
    Traceback (most recent call last):
        ...
    ValueError: layer path must stay inside the root, got '../../etc/cron.d/x'
    """
    if not isinstance(data, bytes):
        raise TypeError(f"layer must be tar bytes, got {type(data).__name__}")
    entries: dict[str, Node] = {}
    whiteouts: list[str] = []
    opaque: list[str] = []
    seen: set[str] = set()
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            for member in tar:
                _read_member(tar, member, entries, whiteouts, opaque, seen)
    except tarfile.TarError as exc:
        raise ValueError(f"not a tar archive ({exc}), got {len(data)} bytes") from exc
    return Layer.create(entries, whiteouts=whiteouts, opaque=opaque)


def _read_member(
    tar: tarfile.TarFile,
    member: tarfile.TarInfo,
    entries: dict[str, Node],
    whiteouts: list[str],
    opaque: list[str],
    seen: set[str],
) -> None:
    """Sort one tar member into entries, whiteouts or opaque markers."""
    if member.isdir() and member.name.strip("./") == "" and member.name.startswith("."):
        return  # the root itself ("./"), which real layer tars often list first
    path = normalize_path(member.name)
    if path in seen:
        raise ValueError(f"duplicate tar entry {member.name!r}")
    seen.add(path)
    parent, base = posixpath.split(path)
    if base.startswith(WHITEOUT_PREFIX):
        if not member.isreg() or member.size:
            raise ValueError(f"whiteout {member.name!r} must be an empty regular file")
        if base == OPAQUE:
            opaque.append(parent)
        elif base[len(WHITEOUT_PREFIX) :] in ("", ".", ".."):
            raise ValueError(f"whiteout {member.name!r} names nothing to delete")
        else:
            whiteouts.append(_join(parent, base[len(WHITEOUT_PREFIX) :]))
    elif member.issparse():
        # A sparse member declares its real size: 10 kB of tar can claim 3 GiB of zeros,
        # which reading it would allocate. Image layers have no need for them.
        raise ValueError(f"unsupported tar member {member.name!r}: sparse file")
    elif member.isreg():
        extracted = tar.extractfile(member)
        if extracted is None:  # pragma: no cover - tarfile gives every regular file a reader
            raise ValueError(f"cannot read {member.name!r}")
        entries[path] = File(extracted.read(), member.mode & 0o7777)
    elif member.isdir():
        entries[path] = Directory(member.mode & 0o7777)
    elif member.issym():
        entries[path] = Symlink(member.linkname)
    else:
        kind = "hard link" if member.islnk() else "device or FIFO"
        raise ValueError(f"unsupported tar member {member.name!r}: {kind}")
