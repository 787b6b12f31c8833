# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Every exception type of the collection's own making, in one place below everything that raises them.

``GoEnvError`` is a rejected setting or an unusable environment (what the modules report with fail_json);
``ChildError`` an unexpected failure in the process that worked with a user's rights; ``UsersError`` the
failures of several users at once (go_env with ``users`` plans every user before it reports); ``PatternError``
a GOPRIVATE-style glob that Go's path.Match reports as malformed.
"""

from __future__ import annotations


class GoEnvError(ValueError):
    """A rejected setting: ``key`` and ``value`` it is about (either may be None), Go's ``message``.

    ``index`` is the position of the argument that failed in the settings/keys given, when the error
    is about one argument (Go prints OS-env warnings for the arguments before it).
    """

    def __init__(self, key, value, message, index=None):
        super(GoEnvError, self).__init__(message)
        self.key = key
        self.value = value
        self.message = message
        self.index = index

    def __str__(self):
        return self.message


class ChildError(Exception):
    """An unexpected failure inside the child that ran with a user's rights, with its traceback text."""


class UsersError(Exception):
    """The users whose request failed: ``failures`` is a list of (user, exception), in the order given;
    ``summary`` what that means for the whole request (for example that nothing was written)."""

    def __init__(self, failures, summary):
        super(UsersError, self).__init__(summary)
        self.failures = list(failures)
        self.summary = summary


class PatternError(ValueError):
    """A glob that path.Match reports as malformed (Go then silently never matches it)."""
