"""The vector env: autoreset, seeds mapped to the CLI's episodes, results independent of threads."""

import subprocess
import sys

import numpy as np
import pytest

import slatelab
from conftest import sweetest


def batch_sweetest(obs, k):
    return np.argsort(-obs["doc"][:, :, 0], axis=1, kind="stable")[:, :k]


def finished_returns(vec, steps):
    """Per sub-env list of (episode index, return) of the episodes that ended within `steps`."""
    k = vec.spec_info["slate_size"]
    obs, _ = vec.reset(seed=1)
    done = [[] for _ in range(vec.num_envs)]
    for _ in range(steps):
        obs, reward, terminated, truncated, info = vec.step(batch_sweetest(obs, k))
        for i in np.flatnonzero(terminated | truncated):
            done[i].append((int(info["episode"][i]), float(info["episode_return"][i])))
    return done


def single_returns(episodes):
    env = slatelab.make("choc-kale")
    env.reset(seed=1)
    out = {}
    for e in range(episodes):
        obs, info = env.reset(seed=1) if e == 0 else env.reset()
        terminated = truncated = False
        while not (terminated or truncated):
            obs, _, terminated, truncated, info = env.step(sweetest(obs, 1))
        out[e] = info["episode_return"]
    return out


def test_spaces_are_batched():
    vec = slatelab.make_vec("interest-evolution", num_envs=3)
    assert vec.action_space.shape == (3, 2)
    obs, infos = vec.reset(seed=1)
    assert obs["doc"].shape == (3, 10, vec.spec_info["doc_dim"])
    assert obs in vec.observation_space
    assert set(infos) >= {"clicked", "_clicked", "episode_return", "satisfaction"}


def test_sub_env_i_plays_episodes_i_plus_multiples_of_n():
    n = 4
    done = finished_returns(slatelab.make_vec("choc-kale", num_envs=n), steps=32)
    single = single_returns(12)
    for i, episodes in enumerate(done):
        assert [e for e, _ in episodes] == [i, i + n, i + 2 * n]
        assert [r for _, r in episodes] == [single[e] for e, _ in episodes]


def test_next_step_autoreset():
    vec = slatelab.make_vec("choc-kale", num_envs=2)
    obs, _ = vec.reset(seed=1)
    for _ in range(10):  # choc-kale episodes are 10 steps
        obs, reward, terminated, truncated, info = vec.step(np.array([[0], [1]]))
    assert terminated.all()
    # The next call starts the next episodes, ignores the (invalid) actions, and rewards 0.
    obs, reward, terminated, truncated, info = vec.step(np.array([[99], [99]]))
    assert (reward == 0).all() and not terminated.any()
    assert list(info["episode"]) == [2, 3] and list(info["episode_length"]) == [0, 0]
    assert (obs["response"][:, 0, 1] == -1.0).all()  # reset placeholders


@pytest.mark.parametrize("threads", [2, 3])
def test_threads_do_not_change_results(threads):
    one = finished_returns(slatelab.make_vec("choc-kale", num_envs=7), steps=25)
    many = finished_returns(slatelab.make_vec("choc-kale", num_envs=7, threads=threads), steps=25)
    assert one == many


def test_copy_false_returns_the_buffers_themselves():
    vec = slatelab.make_vec("choc-kale", num_envs=2, copy=False)
    obs, _ = vec.reset(seed=1)
    again, *_ = vec.step(np.array([[0], [1]]))
    assert again["doc"] is obs["doc"]
    copied = slatelab.make_vec("choc-kale", num_envs=2)
    obs, _ = copied.reset(seed=1)
    again, *_ = copied.step(np.array([[0], [1]]))
    assert again["doc"] is not obs["doc"]


def test_a_list_of_seeds_gives_each_sub_env_its_own_stream():
    vec = slatelab.make_vec("interest-evolution", num_envs=2)
    obs, infos = vec.reset(seed=[5, 5])
    assert np.array_equal(obs["doc"][0], obs["doc"][1])
    single, _ = slatelab.make("interest-evolution").reset(seed=5)
    assert np.array_equal(obs["doc"][0], single["doc"])
    with pytest.raises(ValueError, match="3 seeds for 2"):
        vec.reset(seed=[1, 2, 3])


def test_bad_actions_name_the_sub_env_and_move_nothing():
    vec = slatelab.make_vec("interest-evolution", num_envs=3)
    vec.reset(seed=1)
    with pytest.raises(ValueError, match="sub-environment 2: slate \\[4, 4\\] repeats index 4"):
        vec.step(np.array([[0, 1], [2, 3], [4, 4]]))
    with pytest.raises(ValueError, match="expected \\(3, 2\\)"):
        vec.step(np.zeros((3, 3), dtype=np.int64))
    _, _, _, _, info = vec.step(np.array([[0, 1], [2, 3], [4, 5]]))
    assert list(info["episode_length"]) == [1, 1, 1]


def test_bad_sizes():
    with pytest.raises(ValueError):
        slatelab.make_vec("choc-kale", num_envs=0)
    with pytest.raises(ValueError):
        slatelab.make_vec("choc-kale", num_envs=2, threads=0)
    with pytest.raises(ValueError, match="num_envs must be in 1..=65536"):
        slatelab.make_vec("choc-kale", num_envs=10**9)
    with pytest.raises(ValueError, match="threads in 1..=256"):
        slatelab.make_vec("choc-kale", num_envs=2, threads=10**6)


def test_two_python_threads_may_share_one_vector_env():
    # In a child process: a deadlock (one call holding the lock and waiting for the GIL,
    # the other holding the GIL and waiting for the lock) would hang the whole interpreter.
    code = """
import threading
import numpy as np
import slatelab

vec = slatelab.make_vec("interest-evolution", num_envs=64, threads=2)
vec.reset(seed=1)
actions = np.tile(np.array([0, 1]), (64, 1))
steps = [0, 0]

def work(slot):
    for _ in range(300):
        vec.step(actions)
        steps[slot] += 1

workers = [threading.Thread(target=work, args=(slot,)) for slot in range(2)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print(steps)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[300, 300]", out.stderr
