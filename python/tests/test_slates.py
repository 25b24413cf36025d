"""Bad slates raise ValueError naming them; nothing panics and the episode goes on."""

import numpy as np
import pytest

import slatelab


@pytest.fixture
def env():
    env = slatelab.make("interest-evolution", seed=1)
    env.reset()
    return env


@pytest.mark.parametrize(
    "slate, words",
    [
        ([3, 3], "repeats index 3"),
        ([0, 10], "index 10 is out of range"),
        ([-1, 2], "index -1 is out of range"),
        ([1, 2, 3], "has 3 items"),
        ([1], "has 1 items"),
        (np.array([4, 4], dtype=np.int32), "repeats index 4"),
        (np.array([[1, 2]]), "[[1, 2]]"),
        ("ab", "distinct integers"),
        ([0.5, 1.5], "distinct integers"),
    ],
)
def test_bad_slate_is_a_value_error_naming_it(env, slate, words):
    with pytest.raises(ValueError) as raised:
        env.step(slate)
    assert words in str(raised.value)


def test_the_episode_goes_on_after_a_refused_slate(env):
    with pytest.raises(ValueError):
        env.step([2, 2])
    obs, reward, terminated, truncated, info = env.step(np.array([2, 3]))
    assert info["episode_length"] == 1


def test_an_int_is_a_slate_of_one():
    env = slatelab.make("choc-kale")
    env.reset(seed=1)
    assert env.step(7)[4]["episode_length"] == 1
    with pytest.raises(ValueError, match="index 20 is out of range"):
        env.step(20)


def test_step_before_reset_and_after_the_end_is_refused():
    env = slatelab.make("choc-kale")
    with pytest.raises(RuntimeError, match="reset"):
        env.step([0])
    env.reset(seed=1)
    terminated = truncated = False
    while not (terminated or truncated):
        _, _, terminated, truncated, _ = env.step([0])
    with pytest.raises(RuntimeError, match="reset"):
        env.step([0])
