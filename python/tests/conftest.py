"""Shared helpers: the CLI binary the parity tests compare with, and small policies."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]


def cli_path() -> Path:
    """``slatelab`` built from this repository (``SLATELAB_BIN`` overrides)."""
    return Path(os.environ.get("SLATELAB_BIN", REPO / "target" / "release" / "slatelab"))


@pytest.fixture(scope="session")
def cli() -> Path:
    path = cli_path()
    if not path.exists():
        pytest.fail(f"{path} not found: build it with `cargo build --release` (or set SLATELAB_BIN)")
    return path


def run_cli(cli: Path, *args: str) -> dict[str, Any]:
    """Runs ``slatelab run ARGS -q`` and returns its JSON report."""
    out = subprocess.run(
        [str(cli), "run", *args, "-q"], check=True, capture_output=True, text=True, timeout=300
    )
    return json.loads(out.stdout)


def sweetest(obs: dict[str, np.ndarray], k: int) -> np.ndarray:
    """slatelab's `sweetest`: the K candidates with the largest feature 0, ties to the lower index."""
    return np.argsort(-obs["doc"][:, 0], kind="stable")[:k]


def strip_timings(report: dict[str, Any]) -> dict[str, Any]:
    """The report without what differs between equal runs: timings and the command line."""
    report = dict(report)
    for key in ("wall_seconds", "steps_per_second", "command_line"):
        del report[key]
    report["agents"] = [
        {k: v for k, v in a.items() if k not in ("wall_seconds", "steps_per_second")}
        for a in report["agents"]
    ]
    return report
