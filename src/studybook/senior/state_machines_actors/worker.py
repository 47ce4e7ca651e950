"""The worker process for the order workflow: run it, kill it with ``kill -9``, run it again.

::

    python -m studybook.senior.state_machines_actors.worker DIR ORDER_ID [--pause WHEN SEQ]

It keeps the workflow's event history and the ledger in ``DIR`` and prints
``done <result>``. ``--pause scheduled 2`` stops right after the
``ActivityTaskScheduled`` event of activity 2 was fsync'd (before the activity
ran); ``--pause effect 2`` stops inside activity 2 right after its effect
committed (before the engine recorded its completion); ``--pause recorded 2``
stops right after the completion of activity 2 was fsync'd. In each case the
worker prints ``paused`` and waits to be killed, so a test can kill it at an
exact point; a worker nobody kills exits with status 3 after
:data:`PAUSE_LIMIT` seconds rather than linger.

>>> import io, tempfile
>>> out, err = io.StringIO(), io.StringIO()
>>> main([tempfile.mkdtemp(), "B2"], out=out), out.getvalue()
(0, "done {'charge': 'ch-order-B2/2', 'order': 'B2', 'tracking': 'trk-order-B2/3'}\\n")
>>> main(["only-one-arg"], out=out, err=err), err.getvalue()
(2, 'usage: worker DIR ORDER_ID [--pause scheduled|effect|recorded SEQ]\\n')
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from studybook.senior.state_machines_actors.orders import fulfil
from studybook.senior.state_machines_actors.workflow import ActivityInfo

__all__ = ["PAUSE_LIMIT", "main"]

USAGE = "usage: worker DIR ORDER_ID [--pause scheduled|effect|recorded SEQ]\n"
PAUSE_LIMIT = 300.0
"""Seconds a paused worker waits for its SIGKILL before it gives up and exits with status 3."""


def main(
    argv: list[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """The worker process: ``DIR ORDER_ID [--pause WHEN SEQ]``; prints the result."""
    args = sys.argv[1:] if argv is None else argv
    stream = sys.stdout if out is None else out
    shape_ok = len(args) == 2 or (
        len(args) == 5
        and args[2] == "--pause"
        and args[3] in ("scheduled", "effect", "recorded")
        and args[4].isascii()
        and args[4].isdigit()
    )
    if not shape_ok:
        (sys.stderr if err is None else err).write(USAGE)
        return 2
    directory, order_id = args[0], args[1]
    when, seq = (args[3], int(args[4])) if len(args) == 5 else ("", 0)

    def pause() -> None:
        stream.write("paused\n")
        stream.flush()
        time.sleep(PAUSE_LIMIT)  # the test sends SIGKILL long before this ends
        raise SystemExit(3)

    def after_effect(info: ActivityInfo) -> None:
        if when == "effect" and info.seq == seq:
            pause()

    def on_event(event: dict[str, Any]) -> None:
        kinds = {"scheduled": "ActivityTaskScheduled", "recorded": "ActivityTaskCompleted"}
        if event["type"] == kinds.get(when) and event["seq"] == seq:
            pause()

    result = fulfil(directory, order_id, after_effect=after_effect, on_event=on_event)
    stream.write(f"done {result}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
