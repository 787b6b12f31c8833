# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The end-to-end proof: ``go mod download`` of the probe module as the user, in a throw-away cache.

Runs go with the user's uid, gid and groups and the environment their login would have: the
OS-environment settings and proxy variables the audit found, HOME (so Go reads their env file), and
GOMODCACHE/GOCACHE in a fresh temporary directory with ``-modcacherw`` added to their GOFLAGS so the
read-only module cache can be deleted afterwards. Their real caches are never touched.
The audit runs probes in threads, so the credential switch happens in the exec'd child
(Popen user/group, or preexec_fn before Python 3.9) and never forks the interpreter itself.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from ansible_collections.gomod.proxy.plugins.module_utils._goenv.user import lookup

_SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def login_env(user_env):
    """The variables a login of this user would hand to go, as far as the audit knows them."""
    env = {"HOME": user_env["home"], "USER": user_env["user"], "LOGNAME": user_env["user"], "LANG": "C.UTF-8"}
    binary = (user_env.get("go") or {}).get("binary")
    env["PATH"] = (os.path.dirname(binary) + ":" if binary else "") + _SYSTEM_PATH
    for key, setting in user_env["settings"].items():
        if setting["source"] == "os_env":
            env[key] = setting["value"]
    for key, item in (user_env.get("network_env") or {}).items():
        env[key] = item["value"]
    if user_env.get("env_file"):
        env["GOENV"] = user_env["env_file"]
    return env


def _tail(text, lines=3):
    return " | ".join(line for line in text.strip().splitlines()[-lines:])


def _credentials(account):
    """Popen keyword arguments that run the child as account (only when not already that user)."""
    if os.geteuid() == account.uid:
        return {}
    if sys.version_info >= (3, 9):
        return {"user": account.uid, "group": account.gid, "extra_groups": account.groups}

    def drop():  # pragma: no cover - Python 3.8 only
        os.setgroups(account.groups)
        os.setgid(account.gid)
        os.setuid(account.uid)
    return {"preexec_fn": drop}


def download(user_env, module, version, timeout):
    """{ok, seconds, rc, error, version, sum, command} of the download as the user (root needed for others)."""
    binary = (user_env.get("go") or {}).get("binary")
    command = "go mod download -json %s@%s" % (module, version)
    if not binary:
        return {"ok": False, "skipped": True, "error": "no go binary", "command": command}
    account = lookup(user_env["user"])
    scratch = tempfile.mkdtemp(prefix="goproxy-probe-")
    try:
        if os.geteuid() != account.uid:
            os.chown(scratch, account.uid, account.gid)
        env = dict(login_env(user_env), GOMODCACHE=os.path.join(scratch, "mod"), GOCACHE=os.path.join(scratch, "cache"))
        goflags = user_env["settings"].get("GOFLAGS", {}).get("value", "")
        env["GOFLAGS"] = (goflags + " -modcacherw").strip()
        start = time.monotonic()
        proc = subprocess.Popen([binary, "mod", "download", "-json", "%s@%s" % (module, version)], cwd=scratch, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                **_credentials(account))
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return {"ok": False, "seconds": round(time.monotonic() - start, 3), "rc": None,
                    "error": "timed out after %ss" % timeout, "command": command}
        seconds = round(time.monotonic() - start, 3)
        text = out.decode("utf-8", "replace")
        try:
            info = json.loads(text) if text.strip() else {}
        except ValueError:
            info = {}
        error = info.get("Error") or (_tail(err.decode("utf-8", "replace")) if proc.returncode else None)
        return {"ok": proc.returncode == 0 and not info.get("Error"), "seconds": seconds, "rc": proc.returncode,
                "error": error, "version": info.get("Version"), "sum": info.get("Sum"), "command": command}
    finally:
        # rmtree works on file descriptors without following links: safe on a tree the user wrote.
        shutil.rmtree(scratch, ignore_errors=True)
