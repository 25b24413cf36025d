"""slatelab.sweep and slatelab.merge: the files and tables `slatelab sweep` and `slatelab merge`
write, resuming, shards, bad sweep files and Ctrl-C."""

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import slatelab
from slatelab import _native
from conftest import strip_timings


def write_sweep(folder: Path, name: str = "tiny.ron", extra: str = "", seeds=(1, 2), episodes=50) -> Path:
    """choc-kale × {random, linucb} × seeds × episodes: a few hundred milliseconds a cell at most."""
    path = folder / name
    path.write_text(
        "Sweep(\n"
        '    name: "tiny",\n'
        '    scenarios: ["choc-kale"],\n'
        '    agents: ["random", "linucb"],\n'
        f"    seeds: {list(seeds)},\n"
        f"    episodes: {episodes},\n"
        "    eval_episodes: 5,\n"
        f"{extra})\n"
    )
    return path


def cli_run(cli: Path, *args: str) -> str:
    out = subprocess.run([str(cli), *args], check=True, capture_output=True, text=True, timeout=300)
    return out.stdout


def reports(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("manifest"))


def statuses(manifest: dict) -> dict[str, str]:
    return {cell["name"]: cell["status"] for cell in manifest["cells"]}


def test_sweep_writes_what_the_cli_writes_and_merges_to_the_same_bytes(cli, tmp_path):
    sweep_file = write_sweep(tmp_path)
    cli_out, py_out = tmp_path / "cli", tmp_path / "py"
    cli_run(cli, "sweep", str(sweep_file), "--out", str(cli_out), "--threads", "2", "-q")
    manifest = slatelab.sweep(sweep_file, py_out)

    assert [p.name for p in reports(py_out)] == [p.name for p in reports(cli_out)]
    assert len(reports(py_out)) == 2
    for py_report, cli_report in zip(reports(py_out), reports(cli_out)):
        ours = json.loads(py_report.read_text())
        assert ours["command_line"] == "" and not ours["partial"]
        assert strip_timings(ours) == strip_timings(json.loads(cli_report.read_text()))
    # The manifest holds no timings: the same bytes, and the dict returned is that file.
    assert (py_out / "manifest.json").read_bytes() == (cli_out / "manifest.json").read_bytes()
    assert manifest == json.loads((py_out / "manifest.json").read_text())
    assert set(statuses(manifest).values()) == {"done"}

    merged_text = cli_run(cli, "merge", str(cli_out))
    assert _native.merge([str(py_out)]) == merged_text
    merged = slatelab.merge(py_out)
    assert merged == json.loads(merged_text)
    assert [row["agent"] for row in merged["rows"]] == ["linucb", "random"]
    assert merged["rows"][0]["seeds"] == [1, 2]
    assert slatelab.merge([py_out], against="linucb")["against"] == "linucb"


def test_a_second_sweep_resumes_finished_cells(tmp_path):
    sweep_file = write_sweep(tmp_path)
    out = tmp_path / "out"
    slatelab.sweep(sweep_file, out)
    kept, removed = reports(out)
    kept_stat = kept.stat()
    first = json.loads(removed.read_text())
    removed.unlink()
    time.sleep(0.02)

    manifest = slatelab.sweep(sweep_file, out, threads=2)
    assert statuses(manifest) == {kept.stem: "resumed", removed.stem: "done"}
    after = kept.stat()
    assert (after.st_ino, after.st_mtime_ns) == (kept_stat.st_ino, kept_stat.st_mtime_ns)
    assert strip_timings(json.loads(removed.read_text())) == strip_timings(first)


def test_shards_run_every_cell_once_and_merge_to_the_unsharded_table(tmp_path):
    sweep_file = write_sweep(tmp_path, seeds=(1, 2, 3, 4), episodes=20)
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    slatelab.sweep(sweep_file, whole, threads=2)
    first = slatelab.sweep(sweep_file, sharded, shard=(1, 2))
    second = slatelab.sweep(sweep_file, sharded, shard="2/2")
    assert (first["shard"], second["shard"]) == ("1/2", "2/2")
    assert (sharded / "manifest-shard-1-of-2.json").is_file()
    ran = [name for m in (first, second) for name, s in statuses(m).items() if s == "done"]
    assert sorted(ran) == sorted(p.stem for p in reports(whole))
    assert _native.merge([str(sharded)]) == _native.merge([str(whole)])


@pytest.mark.parametrize(
    "extra, expected",
    [
        ("    colour: 3,\n", r":8:5: colour: "),
        ("    curve_block: 0,\n", r":8:5: curve_block: must be at least 1"),
        ('    grid: {"LinUcb": {"alpah": [1.0]}},\n', r":8:5: grid\.LinUcb\.alpah: not a parameter"),
    ],
)
def test_a_bad_sweep_file_raises_scenario_error_with_line_and_column(tmp_path, extra, expected):
    sweep_file = write_sweep(tmp_path, "bad.ron", extra)
    out = tmp_path / "out"
    with pytest.raises(slatelab.ScenarioError, match=f"^{sweep_file}{expected}"):
        slatelab.sweep(sweep_file, out)
    assert not out.exists(), "nothing is written"
    with pytest.raises(slatelab.ScenarioError, match="cannot read"):
        slatelab.sweep(tmp_path / "missing.ron", out)


def test_argument_and_merge_errors(tmp_path):
    sweep_file = write_sweep(tmp_path)
    with pytest.raises(ValueError, match="at least 1"):
        slatelab.sweep(sweep_file, tmp_path / "out", threads=0)
    for shard in ("3/2", (0, 2), "x"):
        with pytest.raises(ValueError, match="I/N"):
            slatelab.sweep(sweep_file, tmp_path / "out", shard=shard)
    with pytest.raises(ValueError, match="no reports found"):
        slatelab.merge(tmp_path)
    with pytest.raises(ValueError, match="no such folder or file"):
        slatelab.merge(tmp_path / "nowhere")
    (tmp_path / "junk.json").write_text("{}")
    with pytest.raises(ValueError, match="junk.json: .*not a slatelab report"):
        slatelab.merge(tmp_path)


def test_ctrl_c_stops_a_sweep_with_keyboard_interrupt_keeping_finished_cells(tmp_path):
    # Many short cells on one thread: some finish before the signal, the rest do not start.
    sweep_file = write_sweep(tmp_path, "long.ron", seeds=range(1, 401), episodes=2000)
    out = tmp_path / "out"
    code = textwrap.dedent(
        f"""
        import slatelab, sys
        print('started', flush=True)
        try:
            slatelab.sweep({str(sweep_file)!r}, {str(out)!r})
        except KeyboardInterrupt:
            print('interrupted', flush=True)
            sys.exit(0)
        sys.exit(1)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "started"
        deadline = time.monotonic() + 60
        while not reports(out) and time.monotonic() < deadline:
            time.sleep(0.05)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        stdout, _ = proc.communicate(timeout=30)
        assert (proc.returncode, stdout.strip()) == (0, "interrupted")
        assert time.monotonic() - sent < 10
    finally:
        if proc.poll() is None:
            proc.kill()
    manifest = json.loads((out / "manifest.json").read_text())
    done = {name for name, s in statuses(manifest).items() if s == "done"}
    assert done and "interrupted" in statuses(manifest).values()
    assert {p.stem for p in reports(out)} == done
    for path in reports(out):
        assert not json.loads(path.read_text())["partial"]


def test_a_failed_cell_raises_runtime_error_after_the_others_and_the_manifest(tmp_path):
    sweep_file = write_sweep(tmp_path)
    out = tmp_path / "out"
    slatelab.sweep(sweep_file, out)
    blocked, other = reports(out)
    blocked.unlink()
    other.unlink()
    blocked.mkdir()  # a folder where the report goes: writing it fails
    with pytest.raises(RuntimeError, match=f"cell {blocked.stem}: writing "):
        slatelab.sweep(sweep_file, out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert statuses(manifest)[other.stem] == "done" and other.is_file()
    assert statuses(manifest)[blocked.stem].startswith("failed: writing ")
