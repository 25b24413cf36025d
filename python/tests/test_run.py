"""slatelab.run: the report `slatelab run` writes, equal but for timings and the command line."""

import os
import signal
import subprocess
import sys
import time

import pytest

import slatelab
from conftest import run_cli, strip_timings


@pytest.mark.parametrize(
    "scenario, agents, budget, extra",
    [
        ("choc-kale", ["random", "sweetest", "linucb"], ["-e", "60"], ["--eval-episodes", "5"]),
        ("interest-evolution", ["random", "oracle-myopic"], ["--steps", "600"], ["--curve-block", "4"]),
    ],
)
def test_run_equals_the_cli_json(cli, scenario, agents, budget, extra):
    args = ["-s", scenario, "-a", ",".join(agents), "--seed", "3", *budget, *extra]
    expected = run_cli(cli, *args)
    kwargs = {"seed": 3}
    kwargs["episodes" if budget[0] == "-e" else "steps"] = int(budget[1])
    if "--eval-episodes" in extra:
        kwargs["eval_episodes"] = int(extra[1])
    if "--curve-block" in extra:
        kwargs["curve_block"] = int(extra[1])
    report = slatelab.run(scenario, agents, **kwargs)
    assert report["command_line"] == ""
    assert strip_timings(report) == strip_timings(expected)


def test_run_defaults_to_the_scenarios_agents():
    report = slatelab.run("choc-kale", episodes=3, threads=1)
    assert [a["name"] for a in report["agents"]] == ["random", "linucb", "slateq"]
    assert report["episodes"] == 3 and not report["partial"]


def test_run_argument_errors():
    with pytest.raises(ValueError, match="not both"):
        slatelab.run("choc-kale", episodes=1, steps=1)
    with pytest.raises(ValueError, match="at least 1"):
        slatelab.run("choc-kale", episodes=0)
    with pytest.raises(ValueError, match="paired"):
        slatelab.run("choc-kale", episodes=1, paired="some")


def test_ctrl_c_stops_a_run_with_keyboard_interrupt():
    code = (
        "import slatelab, sys\n"
        "print('started', flush=True)\n"
        "try:\n"
        "    slatelab.run('interest-evolution', ['random'], episodes=10**9, threads=1)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
        "    sys.exit(0)\n"
        "sys.exit(1)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "started"
        time.sleep(1.0)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
        assert (proc.returncode, out.strip()) == (0, "interrupted")
        assert time.monotonic() - sent < 10
    finally:
        if proc.poll() is None:
            proc.kill()
