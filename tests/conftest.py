"""Shared test settings: Hypothesis profiles.

``fast`` (the default) keeps a local run quick; ``ci`` (chosen when the ``CI``
environment variable is set, or with ``HYPOTHESIS_PROFILE=ci``) tries more
examples; ``soak`` (``HYPOTHESIS_PROFILE=soak``) tries thousands, for a long
hunt such as the fuzz tests before a release.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("fast", max_examples=40, deadline=None)
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "soak", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "fast")
)
