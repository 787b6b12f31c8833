"""Fixtures of the differential suite: the real go command, and a deterministic hypothesis profile.

Examples per property: GOMOD_DIFF_EXAMPLES (default 400). Hypothesis runs derandomized, so every run
(and CI) checks the same examples; set GOMOD_DIFF_RANDOM=1 to explore new ones (a failure prints the
example to paste into an @example).
"""

import os

import pytest
from hypothesis import HealthCheck, settings

from gorun import GoEnvRunner, go_binary

settings.register_profile(
    "differential",
    max_examples=int(os.environ.get("GOMOD_DIFF_EXAMPLES", "400")),
    derandomize=not os.environ.get("GOMOD_DIFF_RANDOM"),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.load_profile("differential")

GO = go_binary()


@pytest.fixture(scope="session")
def go_runner():
    if GO is None:
        pytest.skip("no go binary (set GO=/path/to/go or install Go in /usr/local/go): the differential suite compares with the real go")
    runner = GoEnvRunner(GO)
    yield runner
    runner.close()
