# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The one order of severities: findings, host states, report cells and the CI gate all rank by it."""

from __future__ import annotations

SEVERITIES = ("info", "warning", "error", "critical")


def worst(severities):
    """Highest severity of an iterable, None when it holds none (other names, like "ok", are ignored)."""
    ranked = [SEVERITIES.index(s) for s in severities if s in SEVERITIES]
    return SEVERITIES[max(ranked)] if ranked else None


def at_or_above(severity, threshold):
    """True when ``severity`` ranks at or above ``threshold`` (False for a threshold that is not a severity)."""
    return threshold in SEVERITIES and SEVERITIES.index(severity) >= SEVERITIES.index(threshold)
