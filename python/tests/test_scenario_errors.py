"""Scenario mistakes raise ScenarioError (a ValueError) carrying file:line:col: field: message."""

import re

import pytest

import slatelab


def write(tmp_path, text):
    path = tmp_path / "bad.ron"
    path.write_text(text)
    return path


def choc_kale_text():
    from pathlib import Path

    return (Path(__file__).resolve().parents[2] / "scenarios" / "choc-kale.ron").read_text()


def test_scenario_error_is_a_value_error():
    assert issubclass(slatelab.ScenarioError, ValueError)


def test_range_error_names_file_line_column_and_field(tmp_path):
    text = choc_kale_text().replace("memory_discount: 0.7", "memory_discount: 7.0")
    path = write(tmp_path, text)
    with pytest.raises(slatelab.ScenarioError) as raised:
        slatelab.make(str(path))
    message = str(raised.value)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "memory_discount: 7.0" in l)
    assert re.match(rf"{re.escape(str(path))}:{line}:\d+: environment\.population\[0\]\.user\.memory_discount: ", message), message


def test_unknown_field_names_its_position(tmp_path):
    text = choc_kale_text().replace("slate_size: 1,", "slate_size: 1, colour: 3,")
    path = write(tmp_path, text)
    with pytest.raises(slatelab.ScenarioError, match=rf"{re.escape(str(path))}:\d+:\d+: .*colour"):
        slatelab.make(str(path))


def test_syntax_error(tmp_path):
    path = write(tmp_path, "Scenario(name: \"x\",")
    with pytest.raises(slatelab.ScenarioError, match=rf"{re.escape(str(path))}:\d+:\d+: "):
        slatelab.make(str(path))


def test_missing_file_and_unknown_name():
    with pytest.raises(slatelab.ScenarioError, match="no such file, and not a built-in scenario"):
        slatelab.make("no-such-scenario")


def test_bad_overrides():
    with pytest.raises(slatelab.ScenarioError, match=r"^overrides: environment\.slate_size: "):
        slatelab.make("choc-kale", slate_size=50)
    with pytest.raises(slatelab.ScenarioError, match=r"^overrides: colour: unknown environment field"):
        slatelab.make("choc-kale", colour=1)
    with pytest.raises(slatelab.ScenarioError, match=r"^overrides: "):
        slatelab.make("choc-kale", num_candidates="many")


def test_vector_env_and_run_raise_it_too(tmp_path):
    path = write(tmp_path, "Scenario(")
    with pytest.raises(slatelab.ScenarioError):
        slatelab.make_vec(str(path), num_envs=2)
    with pytest.raises(slatelab.ScenarioError):
        slatelab.run(str(path), episodes=1)
    with pytest.raises(slatelab.ScenarioError, match="unknown agent"):
        slatelab.run("choc-kale", ["no-such-agent"], episodes=1)
