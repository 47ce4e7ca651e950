"""Containers: OCI images as content-addressed layers, and the kernel features that run them.

A container image is a stack of tar layers named by their SHA-256 digests;
a container is a process in its own namespaces, inside a cgroup, whose root
filesystem is those layers merged. This package implements the image side
exactly (:mod:`~.digest`, :mod:`~.layers`, :mod:`~.overlay`, :mod:`~.store`),
models the runtime's lifecycle and the build cache (:mod:`~.runtime`), and
drives the real kernel for the rest (:mod:`~.namespaces`, :mod:`~.cgroups`).
Interviewers for platform and runtime roles ask about it because every
"why is my container slow / big / insecure" question lands on one of these.

Invariants: a blob is only ever returned if it hashes to its name; a merged
tree never contains a whiteout, a path whose parent is not a directory, or
a path a higher layer deleted.

=====================  ==========================================  ==============
function               answers                                     cost
=====================  ==========================================  ==============
digest_of / verify     the OCI digest of bytes; refuse a mismatch  O(bytes)
layer_tar/read_layer   a changeset as a reproducible, safe tar     O(bytes)
merge                  the filesystem a container sees             O(E + R·n)
push/unpack_image      an image in a content-addressed store       O(bytes + R·n)
chain_ids              the key of each layer stack                 O(L)
namespace probes       what a child sees in new pid/uts/net/user   one fork+exec
TempCgroup             a child cgroup with limits, removed after   O(1) syscalls
=====================  ==========================================  ==============

>>> digest_of(b"hello")
'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'

Primary sources: the OCI image-spec v1.1 and runtime-spec v1.2; Linux
``namespaces(7)`` and ``Documentation/admin-guide/cgroup-v2.rst``.
"""

from __future__ import annotations

from typing import TextIO

from studybook.infra.containers.cgroups import (
    CPU_PERIOD_US,
    CgroupLimits,
    TempCgroup,
    cgroup2_mount,
    find_cgroup2_mount,
    format_cpu_max,
    parse_cpu_max,
    read_controllers,
)
from studybook.infra.containers.digest import (
    ALGORITHMS,
    Descriptor,
    DigestMismatch,
    canonical_json,
    chain_ids,
    digest_of,
    parse_digest,
    verify,
)
from studybook.infra.containers.layers import (
    OPAQUE,
    WHITEOUT_PREFIX,
    Directory,
    File,
    Layer,
    Node,
    Symlink,
    layer_tar,
    normalize_path,
    read_layer,
)
from studybook.infra.containers.namespaces import (
    NAMESPACE_KINDS,
    NamespaceError,
    hostname_in_new_uts_namespace,
    interfaces_in_new_net_namespace,
    namespace_ids,
    namespace_support,
    pid_in_new_pid_namespace,
    run_in_namespaces,
    uid_map_in_new_user_namespace,
    unshare_argv,
)
from studybook.infra.containers.overlay import merge
from studybook.infra.containers.runtime import Runtime, cache_keys, rebuilt_steps
from studybook.infra.containers.store import (
    MEDIA_CONFIG,
    MEDIA_LAYER,
    MEDIA_LAYER_GZIP,
    MEDIA_MANIFEST,
    BlobStore,
    ImageIds,
    image_ids,
    push_image,
    unpack_image,
)

__all__ = [
    "ALGORITHMS",
    "CPU_PERIOD_US",
    "MEDIA_CONFIG",
    "MEDIA_LAYER",
    "MEDIA_LAYER_GZIP",
    "MEDIA_MANIFEST",
    "NAMESPACE_KINDS",
    "OPAQUE",
    "WHITEOUT_PREFIX",
    "BlobStore",
    "CgroupLimits",
    "Descriptor",
    "DigestMismatch",
    "Directory",
    "File",
    "ImageIds",
    "Layer",
    "NamespaceError",
    "Node",
    "Runtime",
    "Symlink",
    "TempCgroup",
    "cache_keys",
    "canonical_json",
    "cgroup2_mount",
    "chain_ids",
    "demo",
    "digest_of",
    "find_cgroup2_mount",
    "format_cpu_max",
    "hostname_in_new_uts_namespace",
    "image_ids",
    "interfaces_in_new_net_namespace",
    "layer_tar",
    "merge",
    "namespace_ids",
    "namespace_support",
    "normalize_path",
    "parse_cpu_max",
    "parse_digest",
    "pid_in_new_pid_namespace",
    "push_image",
    "read_controllers",
    "read_layer",
    "rebuilt_steps",
    "run_in_namespaces",
    "uid_map_in_new_user_namespace",
    "unpack_image",
    "unshare_argv",
    "verify",
]

#: A small Python app, the files a Dockerfile copies.
APP_FILES = {"requirements.txt": b"flask==3.0.3\n", "app.py": b"print('v1')\n"}


def _dockerfiles(files: dict[str, bytes]) -> dict[str, list[tuple[str, dict[str, bytes]]]]:
    install: tuple[str, dict[str, bytes]] = ("RUN pip install -r requirements.txt", {})
    return {
        "copy all, then install": [
            ("FROM python:3.12-slim", {}),
            ("COPY . /app", dict(files)),
            install,
            ('CMD ["python", "app.py"]', {}),
        ],
        "copy requirements, install, copy rest": [
            ("FROM python:3.12-slim", {}),
            ("COPY requirements.txt /app/", {"requirements.txt": files["requirements.txt"]}),
            install,
            ("COPY . /app", dict(files)),
            ('CMD ["python", "app.py"]', {}),
        ],
    }


def demo(out: TextIO) -> None:
    """Build an image, show its identifiers and merged tree, then the build-cache lesson.

    The real-kernel part (namespaces, cgroups) is shown by the chapter's
    tests on a Linux host (they need root or user namespaces),
    since its output depends on the machine.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Image: 3 layers, stored gzip-compressed; 5 blobs in the store
    layer  digest (stored, gzip)  diff_id (uncompressed)  chain_id
        0  sha256:...        sha256:...          sha256:...
        1  sha256:...        sha256:...          sha256:...
        2  sha256:...        sha256:...          sha256:...
    chain_id[0] == diff_id[0]: True; layer digest != diff_id: True
    <BLANKLINE>
    Merged root filesystem (layer 1 deletes /tmp/build.log, layer 2 makes /etc/app opaque):
      app/                    dir
      app/main.py             file 12 B (layer 2)
      etc/                    dir
      etc/app/                dir
      etc/app/new.conf        file 6 B (layer 2)
      etc/os-release          file 10 B (layer 0)
      tmp/                    dir
    <BLANKLINE>
    Tampering with layer 1's blob: refused (DigestMismatch)
    <BLANKLINE>
    Edit app.py and rebuild; steps that miss the cache:
      copy all, then install                 3 of 4 (reinstalls dependencies)
      copy requirements, install, copy rest  2 of 5
    """
    store = BlobStore()
    layers = [
        Layer.create(
            {
                "etc/os-release": File(b"ID=alpine\n"),
                "etc/app/old.conf": File(b"old=1\n"),
                "tmp/build.log": File(b"...\n"),
            }
        ),
        Layer.create({"etc/app/mid.conf": File(b"mid=1\n")}, whiteouts=["tmp/build.log"]),
        Layer.create(
            {"etc/app/new.conf": File(b"new=1\n"), "app/main.py": File(b"print('hi')\n")},
            opaque=["etc/app"],
        ),
    ]
    manifest = push_image(store, layers)
    ids = image_ids(store, manifest)
    out.write(
        f"Image: {len(layers)} layers, stored gzip-compressed; {len(store)} blobs in the store\n"
    )
    out.write("layer  digest (stored, gzip)  diff_id (uncompressed)  chain_id\n")
    for i, row in enumerate(zip(ids.layer_digests, ids.diff_ids, ids.chain_ids, strict=True)):
        out.write(f"{i:>5}  " + "  ".join(d[:17] for d in row) + "\n")
    out.write(
        f"chain_id[0] == diff_id[0]: {ids.chain_ids[0] == ids.diff_ids[0]}; "
        f"layer digest != diff_id: {ids.layer_digests[0] != ids.diff_ids[0]}\n\n"
    )
    tree = unpack_image(store, manifest)
    origin = {p: i for i, layer in enumerate(layers) for p in layer.entries}
    out.write(
        "Merged root filesystem (layer 1 deletes /tmp/build.log, layer 2 makes /etc/app opaque):\n"
    )
    for path, node in tree.items():
        if isinstance(node, File):
            out.write(f"  {path:<22}  file {len(node.data)} B (layer {origin[path]})\n")
        else:
            out.write(f"  {path + '/':<22}  dir\n")

    tampered = BlobStore()
    for digest in store.digests():
        data = store.get(digest)
        if digest == ids.layer_digests[1]:
            data = data[:-1] + bytes([data[-1] ^ 1])
        tampered._memory[digest] = data  # type: ignore[index]  # bypass put() to simulate rot
    try:
        unpack_image(tampered, manifest)
        verdict = "ACCEPTED"
    except DigestMismatch:
        verdict = "refused (DigestMismatch)"
    out.write(f"\nTampering with layer 1's blob: {verdict}\n\n")

    out.write("Edit app.py and rebuild; steps that miss the cache:\n")
    edited = {**APP_FILES, "app.py": b"print('v2')\n"}
    before, after = _dockerfiles(APP_FILES), _dockerfiles(edited)
    for name, steps in before.items():
        n = rebuilt_steps(steps, after[name])
        install = next(i for i, (text, _) in enumerate(steps) if text.startswith("RUN pip"))
        note = " (reinstalls dependencies)" if install >= len(steps) - n else ""
        out.write(f"  {name:<37}  {n} of {len(steps)}{note}\n")
