#!/usr/bin/env python3
"""Run a slatelab sweep on Ray: one Ray task per cell (or per shard), each calling the
`slatelab` binary, then `slatelab merge` over the reports.

    python examples/ray/sweep.py SWEEP.ron --out DIR [--address ADDR] [--slatelab PATH]

Without --address, `ray.init(address="local")` starts a new local Ray instance; with one
(`auto`, or `ray://head:10001`), the tasks run on that cluster. Every node must reach the
`slatelab` binary, the sweep file and the scenario files it names at the same paths (a
shared file system or one container image); the reports travel back to this driver through
Ray, so DIR needs to exist only here.

The reports are exactly the files `slatelab sweep SWEEP.ron --out DIR` writes (one per cell,
named by the cell), written atomically; cells already complete in DIR are not submitted
again, so an interrupted driver resumes. The merged table goes to stdout or --merged FILE.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import ray


def slatelab_cells(slatelab, sweep, out):
    """The sweep's cells as `slatelab sweep --list --format json` prints them."""
    listed = subprocess.run(
        [slatelab, "sweep", sweep, "--list", "--format", "json", "--out", out],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(listed.stdout)


@ray.remote(num_cpus=1)
def run_cells(slatelab, sweep, selection):
    """Runs some cells (`--cell NAME ...` or `--shard I/N`) into a private folder on the
    worker and returns {file name: report bytes}."""
    with tempfile.TemporaryDirectory(prefix="slatelab-ray-") as folder:
        command = [slatelab, "sweep", sweep, "--out", folder, "--threads", "1", "--quiet"]
        done = subprocess.run(command + selection, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command + selection)} exited {done.returncode}: {done.stderr}"
            )
        return {
            name: open(os.path.join(folder, name), "rb").read()
            for name in sorted(os.listdir(folder))
            if name.endswith(".json") and not name.startswith("manifest")
        }


def write_atomically(path, data):
    """Writes `data` to a temporary file beside `path` and renames it over `path`."""
    folder = os.path.dirname(path) or "."
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".slatelab-ray-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sweep", help="the sweep file (RON)")
    parser.add_argument("--out", required=True, help="folder for the cell reports")
    parser.add_argument("--address", help="a Ray cluster's address (default: a local Ray)")
    parser.add_argument(
        "--slatelab", default=shutil.which("slatelab") or "slatelab",
        help="the slatelab binary (default: the one on PATH)",
    )
    parser.add_argument(
        "--shards", type=int,
        help="one task per shard (`--shard I/N`, I = 1..N) instead of one task per cell",
    )
    parser.add_argument(
        "--num-cpus", type=int,
        help="CPUs of the local Ray instance, i.e. tasks at once (default: all; not with --address)",
    )
    parser.add_argument("--merged", help="write the merged table here instead of stdout")
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument("--against", default="random", help="as `slatelab merge --against`")
    args = parser.parse_args()

    slatelab = os.path.abspath(args.slatelab) if os.sep in args.slatelab else args.slatelab
    sweep = os.path.abspath(args.sweep)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    cells = slatelab_cells(slatelab, sweep, out)
    pending = [cell for cell in cells if cell["status"] != "done"]
    print(
        f"{len(cells)} cells, {len(cells) - len(pending)} already in {out}",
        file=sys.stderr,
    )

    if pending:
        local = {"num_cpus": args.num_cpus} if args.num_cpus and not args.address else {}
        # Without --address, a new local instance: "local" rather than None, so a cluster
        # this machine once joined (Ray remembers it under /tmp/ray) is not picked up by
        # surprise. `--address auto` joins the running one.
        address = args.address or "local"
        ray.init(address=address, include_dashboard=False, log_to_driver=False, **local)
        if args.shards:
            selections = [["--shard", f"{i}/{args.shards}"] for i in range(1, args.shards + 1)]
        else:
            selections = [["--cell", cell["name"]] for cell in pending]
        tasks = [run_cells.remote(slatelab, sweep, selection) for selection in selections]
        finished = 0
        while tasks:
            ready, tasks = ray.wait(tasks)
            for reports in ray.get(ready):
                for name, data in reports.items():
                    write_atomically(os.path.join(out, name), data)
                    finished += 1
            print(f"\r{finished}/{len(pending)} cells", end="", file=sys.stderr)
        print(file=sys.stderr)
        ray.shutdown()

    merge = [slatelab, "merge", out, "--format", args.format, "--against", args.against]
    if args.merged:
        merge += ["--out", args.merged]
    sys.exit(subprocess.run(merge).returncode)


if __name__ == "__main__":
    main()
