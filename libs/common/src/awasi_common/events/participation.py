"""Events the participation service publishes (program and compliance events)."""

from __future__ import annotations
