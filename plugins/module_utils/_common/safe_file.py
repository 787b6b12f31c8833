# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Root-safe file work in another user's home.

Go writes the env file as the user who owns it, so following a symlink is harmless there. This
collection runs as root for many users; root following ``~/.config/go/env -> /etc/sudoers`` would hand
the user root. Instead of re-implementing path checks (and their races), every read and write of a
user's files happens in a forked child that has dropped to the user's uid, gid and supplementary
groups: the kernel then grants exactly what the user's own ``go env -w`` would get. A user's link to
a file of their own keeps working; a link to a file they cannot write fails with EACCES and nothing
is written. Linux clears the dumpable flag on that credential change, so the user cannot ptrace the
child while it works.

Writes are atomic (temp file in the target's directory, fsync, rename) and keep the existing file's
mode and group. A temp file can only carry an owner the process has, so a file owned by someone else
that the user may still write (group-writable) is rewritten in place, as Go itself does.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
import traceback

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import ChildError, GoEnvError


def _drop_privileges(account):
    os.setgroups(account.groups)
    os.setgid(account.gid)
    os.setuid(account.uid)
    if os.getuid() != account.uid or os.geteuid() != account.uid:
        raise OSError(errno.EPERM, "could not switch to uid %d" % account.uid)


def _encode_outcome(fn, args):
    try:
        return {"ok": fn(*args)}
    except GoEnvError as e:
        return {"goenv_error": [e.key, e.value, e.message]}
    except Exception as e:  # pylint: disable=broad-except  # crossing a process boundary: report, don't lose it
        return {"error": "%s: %s" % (type(e).__name__, e), "traceback": traceback.format_exc()}


def _decode_outcome(outcome):
    if "ok" in outcome:
        return outcome["ok"]
    if "goenv_error" in outcome:
        key, value, message = outcome["goenv_error"]
        raise GoEnvError(key, value, message)
    raise ChildError(outcome.get("error", "child failed"), outcome.get("traceback", ""))


def run_as(account, fn, *args):
    """Call ``fn(*args)`` with the account's credentials and return its (JSON-serialisable) result.

    When the process already runs as that user, fn runs in-process. GoEnvError raised by fn is
    re-raised here; any other exception becomes ChildError.
    """
    euid = os.geteuid()
    if euid == account.uid:
        return fn(*args)
    if euid != 0:
        raise GoEnvError("user", account.name, "user: managing the go env of %s needs root (become: true);"
                         " running as uid %d" % (account.name, euid))
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(read_end)
            try:
                _drop_privileges(account)
                outcome = _encode_outcome(fn, args)
            except Exception as e:  # pylint: disable=broad-except
                outcome = {"error": "dropping privileges to %s: %s" % (account.name, e), "traceback": ""}
            try:
                data = json.dumps(outcome).encode("ascii")
            except (TypeError, ValueError) as e:
                data = json.dumps({"error": "result of %s is not JSON-serialisable: %s" % (fn.__name__, e),
                                   "traceback": ""}).encode("ascii")
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view):]
        except BaseException:  # pylint: disable=broad-except  # never return into the parent's code path
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    chunks = []
    while True:
        chunk = os.read(read_end, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    status = os.waitpid(pid, 0)[1]
    if not chunks:
        raise ChildError("the worker process for user %s exited without a result (status %d)" % (account.name, status), "")
    return _decode_outcome(json.loads(b"".join(chunks).decode("ascii")))


def current_umask():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (IOError, OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def read_bytes(path):
    """(bytes, stat) of path, following links with the caller's rights; (None, None) when absent.

    A directory at the path raises IsADirectoryError, like Go's "read <path>: is a directory".
    """
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return None, None
    with f:
        return f.read(), os.fstat(f.fileno())


def check_writable(path):
    """Raise the OSError that ``write_bytes(path, ...)`` would surely meet with the caller's rights; None when
    it can write (barring a full disk or a race).

    Nothing is modified. The same choice as ``write_bytes`` (links followed): a file the caller may replace
    (its owner, and its group is one of the caller's) needs a writable directory, or else, like any other
    existing file, to open for writing (it is opened without truncation and closed); a missing file needs
    the nearest existing directory above it to let the caller create entries. go_env checks every user this
    way before it writes for any of them.
    """
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", real)
        replaceable = st.st_uid == os.geteuid() and (st.st_gid == os.getegid() or st.st_gid in os.getgroups())
        if replaceable and os.access(os.path.dirname(real), os.W_OK | os.X_OK):
            return
        fd = os.open(real, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        os.close(fd)
        return
    parent = os.path.dirname(real)
    while not os.path.lexists(parent) and parent != os.path.dirname(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), parent)
    if not os.access(parent, os.W_OK | os.X_OK):
        code = errno.EACCES
        try:
            if os.statvfs(parent).f_flag & os.ST_RDONLY:
                code = errno.EROFS
        except OSError:
            pass
        raise OSError(code, os.strerror(code), parent)


def _write_in_place(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes(path, data):
    """Replace path's content atomically; create it (and its directories) like Go would.

    Returns how it was written: "created", "replaced" or "in_place". Links in path are followed with
    the caller's rights and the link itself is kept, as Go does.
    """
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except OSError as e:
        if e.errno != errno.ENOENT:
            raise
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", real)
    directory = os.path.dirname(real)
    if st is None:
        umask = current_umask()
        # Go: os.MkdirAll(dir, 0777) and os.WriteFile(path, data, 0666), both under the umask.
        if not os.path.isdir(directory):
            os.makedirs(directory, 0o777)
        mode = 0o666 & ~umask
        gid = None
    else:
        mode = stat.S_IMODE(st.st_mode)
        gid = st.st_gid if st.st_gid != os.getegid() else None
        if st.st_uid != os.geteuid() or (gid is not None and gid not in os.getgroups()):
            _write_in_place(real, data)
            return "in_place"
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(real) + ".", suffix=".tmp")
    except OSError as e:
        if st is not None and e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            _write_in_place(real, data)
            return "in_place"
        raise
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fchmod(fd, mode)
        if gid is not None:
            os.fchown(fd, -1, gid)
        os.fsync(fd)
        os.close(fd)
        fd = None
        os.rename(tmp, real)
    except BaseException:
        if fd is not None:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(directory)
    return "created" if st is None else "replaced"
