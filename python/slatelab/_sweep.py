"""Sweeps and merges from Python, as ``slatelab sweep`` and ``slatelab merge``."""

from __future__ import annotations

import json
import os
from typing import Any, Sequence, Union

from slatelab import _native

PathLike = Union[str, "os.PathLike[str]"]


def sweep(
    path: PathLike,
    out: PathLike,
    *,
    threads: int = 1,
    shard: tuple[int, int] | str | None = None,
) -> dict[str, Any]:
    """Runs the cells of the sweep file ``path`` into the folder ``out`` and returns the manifest.

    The same as ``slatelab sweep PATH --out OUT --threads THREADS [--shard I/N]``: each cell's
    report is written atomically to ``OUT/<cell name>.json`` (the ``slatelab run`` JSON, with
    an empty ``command_line``), then the manifest to ``OUT/manifest.json`` (or
    ``manifest-shard-I-of-N.json``); the dict returned is that manifest, whose ``cells`` say
    what became of each cell (``done``, ``resumed``, ``other-shard``, ...). A cell whose
    complete report is already in ``out`` is not run again, so calling ``sweep`` again after
    an interruption finishes the rest. ``threads`` is the threads in all (up to that many
    cells at once; the reports do not depend on it); ``shard`` ``(I, N)`` or ``"I/N"`` runs
    only the cells of shard I of N. Pool the reports with :func:`merge`.

    The GIL is released while the cells run. Ctrl-C stops the running cells (they write
    nothing; finished cells' reports stay), writes the manifest and raises
    ``KeyboardInterrupt``. A sweep file that cannot be loaded raises
    :class:`slatelab.ScenarioError` with ``file:line:col: field: message``, before anything
    runs; bad arguments raise ``ValueError``; a cell that failed raises ``RuntimeError``
    naming it, after the other cells and the manifest are written.
    """
    if isinstance(shard, tuple):
        if len(shard) != 2 or not all(isinstance(x, int) for x in shard):
            raise ValueError(f"shard is (I, N) or 'I/N', got {shard!r}")
        shard = f"{shard[0]}/{shard[1]}"
    elif shard is not None and not isinstance(shard, str):
        raise ValueError(f"shard is (I, N) or 'I/N', got {shard!r}")
    text = _native.sweep(os.fspath(path), os.fspath(out), threads=threads, shard=shard)
    return json.loads(text)


def merge(inputs: PathLike | Sequence[PathLike], *, against: str = "random") -> dict[str, Any]:
    """Pools reports into one table and returns it, as ``slatelab merge INPUTS --format json``.

    ``inputs`` is a folder (every ``*.json`` but ``manifest*.json`` in it), a report file, or a
    list of them: the folders of a sweep's shards, say. The dict has ``against``, ``rows`` (one
    per scenario, budget, evaluation episodes and agent spec, with across-seed means, spreads,
    t-intervals and paired differences against the agent ``against``: a kind name or a RON
    spec) and ``curves`` (each row's learning curve averaged across seeds); it is the JSON
    ``slatelab merge`` writes, byte for byte. Reports that cannot be merged (a cell twice,
    different scenario hashes or versions, partial reports, files that are not reports) raise
    ``ValueError`` naming the files.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    text = _native.merge([os.fspath(p) for p in inputs], against=against)
    return json.loads(text)
