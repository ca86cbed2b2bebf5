"""Shared test configuration: Hypothesis profiles.

``HYPOTHESIS_PROFILE`` picks one: ``default`` keeps a local run quick;
``ci`` tries more examples, in an order fixed by the test's name
(``derandomize``), so a failure on CI reproduces on every run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
