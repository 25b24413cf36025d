"""slatelab for Python: RecSim's recommender-system environments as gymnasium environments,
simulated in Rust, and the built-in agents (bandits, SlateQ) run through slatelab's engine.

>>> import slatelab
>>> env = slatelab.make("choc-kale", seed=1)
>>> obs, info = env.reset()
>>> obs, reward, terminated, truncated, info = env.step(env.action_space.sample())

``make`` gives one ``gymnasium.Env``, ``make_vec`` a ``gymnasium.vector.VectorEnv`` stepped in
one call into Rust, ``run`` the report ``slatelab run`` writes, as a dict, ``sweep`` the cells
of a sweep file into a folder (as ``slatelab sweep``) and ``merge`` their pooled table (as
``slatelab merge``). Importing the package registers every built-in scenario with gymnasium
as ``slatelab/<name>-v0``.
"""

from slatelab._env import SlateEnv, make
from slatelab._native import RESPONSE_FIELDS, SLATELAB_VERSION, ScenarioError, builtin_scenarios
from slatelab._registration import env_id, register_envs
from slatelab._run import run
from slatelab._spaces import SlateSpace
from slatelab._sweep import merge, sweep
from slatelab._vector import SlateVectorEnv, make_vec

__version__ = SLATELAB_VERSION

__all__ = [
    "RESPONSE_FIELDS",
    "ScenarioError",
    "SlateEnv",
    "SlateSpace",
    "SlateVectorEnv",
    "builtin_scenarios",
    "env_id",
    "make",
    "make_vec",
    "merge",
    "register_envs",
    "run",
    "sweep",
]

register_envs()
