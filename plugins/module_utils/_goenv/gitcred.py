# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The git credentials a build user needs to fetch private modules directly (GOPRIVATE): a ~/.netrc entry
per HTTPS host (the go command and git both read it), an SSH key per host with its pinned host keys and a
~/.ssh/config block, and url.<base>.insteadOf rewrites in ~/.gitconfig.

Every read and write happens as the user (_common.safe_file.run_as), so a link the user planted in their
home is followed with the user's rights, never root's. Secret files are created 0600 (umask 077 in the
worker) and an existing one is made 0600 before new content goes in; a file of another owner is refused.
The collection owns a marked block in each shared file (top of ~/.netrc and ~/.ssh/config, where the
first match wins; end of ~/.gitconfig) and whole files under ~/.ssh/gomod-proxy/.
"""

from __future__ import annotations

import errno
import os
import stat

from ansible_collections.gomod.proxy.plugins.module_utils._common import safe_file
from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError

BEGIN = "# BEGIN gomod.proxy git credentials"
END = "# END gomod.proxy git credentials"
KEY_DIR = os.path.join(".ssh", "gomod-proxy")
SECRET_MODE = 0o600


def _lines(value):
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    return [line.strip() for line in value if line and line.strip()]


def check_spec(netrc, ssh, insteadof):
    """Refuse what the files cannot express or what would weaken them. Raises GoEnvError naming the option."""
    for entry in netrc:
        for field in ("machine", "login", "password"):
            value = str(entry.get(field) or "")
            if not value or any(c.isspace() for c in value):
                raise GoEnvError("netrc", entry.get("machine"),
                                 "netrc: every entry needs machine, login and password, none empty or with whitespace "
                                 "(netrc has no quoting); entry for %r" % (entry.get("machine"),))
    for entry in ssh:
        host = entry.get("host") or ""
        if not host or not all(c.isalnum() or c in ".-" for c in host):
            raise GoEnvError("ssh", host, "ssh: host %r must be a plain host name" % host)
        if "PRIVATE KEY" not in (entry.get("key") or ""):
            raise GoEnvError("ssh", host, "ssh: key of %s is not a private key" % host)
        if not _lines(entry.get("known_hosts")):
            raise GoEnvError("ssh", host, "ssh: known_hosts of %s is empty: pin the host key (no trust on first use)" % host)
    for rule in insteadof:
        if not rule.get("url") or not rule.get("insteadof"):
            raise GoEnvError("insteadof", rule, "insteadof: every rule needs url and insteadof")


def replace_block(text, lines, top):
    """text with the collection's marked block replaced by lines (removed when lines is empty)."""
    kept, inside = [], False
    for line in text.splitlines():
        if line.strip() == BEGIN:
            inside = True
            continue
        if inside:
            if line.strip() == END:
                inside = False
            continue
        kept.append(line)
    block = [BEGIN] + lines + [END] if lines else []
    out = block + kept if top else kept + block
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def netrc_lines(netrc):
    return ["machine %s login %s password %s" % (e["machine"], e["login"], e["password"]) for e in netrc]


def ssh_lines(ssh, home):
    out = []
    for entry in ssh:
        out.append("Host %s" % entry["host"])
        out.append("  User %s" % (entry.get("user") or "git"))
        if entry.get("port"):
            out.append("  Port %s" % entry["port"])
        out += ["  IdentityFile %s" % os.path.join(home, KEY_DIR, entry["host"] + ".key"),
                "  IdentitiesOnly yes",
                "  UserKnownHostsFile %s" % os.path.join(home, KEY_DIR, "known_hosts"),
                "  StrictHostKeyChecking yes"]
    if out:
        out.append("Match all")  # what follows the block applies to every host again, as before it
    return out


def gitconfig_lines(insteadof):
    out = []
    for rule in insteadof:
        out += ['[url "%s"]' % rule["url"], "\tinsteadOf = %s" % rule["insteadof"]]
    return out


def wanted_files(home, netrc, ssh, insteadof):
    """{path: (kind, wanted) } where kind is 'block-top', 'block-end' or 'file', wanted the lines or bytes."""
    files = {
        os.path.join(home, ".netrc"): ("block-top", netrc_lines(netrc), True),
        os.path.join(home, ".ssh", "config"): ("block-top", ssh_lines(ssh, home), True),
        os.path.join(home, ".gitconfig"): ("block-end", gitconfig_lines(insteadof), False),
    }
    key_dir = os.path.join(home, KEY_DIR)
    known = []
    for entry in ssh:
        files[os.path.join(key_dir, entry["host"] + ".key")] = ("file", entry["key"].strip() + "\n", True)
        known += _lines(entry.get("known_hosts"))
    files[os.path.join(key_dir, "known_hosts")] = ("file", "".join(line + "\n" for line in known) if known else None, True)
    return files


def _plan_one(path, kind, wanted):
    data, st = safe_file.read_bytes(path)
    before = data.decode("utf-8") if data is not None else None
    if kind == "file":
        after = wanted
    else:
        after = replace_block(before or "", wanted, kind == "block-top")
        if before is None and not after:
            after = None
    return before, after, st


def apply_as_user(home, uid, netrc, ssh, insteadof, check_mode):
    """Runs as the user: bring every file to its wanted content. Returns {path: {action, before, after}}."""
    os.umask(0o077)
    results = {}
    for path, (kind, wanted, secret) in sorted(wanted_files(home, netrc, ssh, insteadof).items()):
        before, after, st = _plan_one(path, kind, wanted)
        action = "unchanged"
        if st is not None and st.st_uid != uid:
            raise GoEnvError("user", path, "%s belongs to uid %d, not to the user: refusing to put credentials in it"
                             % (path, st.st_uid))
        mode_wrong = st is not None and secret and stat.S_IMODE(st.st_mode) != SECRET_MODE
        if after is None and before is not None and kind == "file":
            action = "removed"
            if not check_mode:
                os.unlink(path)
        elif after is not None and after != before:
            action = "created" if before is None else "replaced"
            if not check_mode:
                if mode_wrong:
                    os.chmod(path, SECRET_MODE)  # before the new content goes in
                safe_file.write_bytes(path, after.encode("utf-8"))
                if secret:
                    os.chmod(path, SECRET_MODE)
        elif mode_wrong and after is not None:
            action = "mode"
            if not check_mode:
                os.chmod(path, SECRET_MODE)
        results[path] = {"action": action, "before": before, "after": after, "secret": secret}
    # keys of hosts no longer listed
    key_dir = os.path.join(home, KEY_DIR)
    try:
        names = os.listdir(key_dir)
    except OSError as e:
        if e.errno not in (errno.ENOENT, errno.ENOTDIR):
            raise
        names = []
    for name in sorted(names):
        path = os.path.join(key_dir, name)
        if name.endswith(".key") and path not in results:
            results[path] = {"action": "removed", "before": "(a key)", "after": None, "secret": True}
            if not check_mode:
                os.unlink(path)
    return results


def _netrc_machines(path):
    data, _st = safe_file.read_bytes(path)
    words = (data or b"").decode("utf-8", "replace").split()
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w == "machine"]


def netrc_machines(account, netrc_env=None):
    """Hosts with a netrc entry for the user ($NETRC or ~/.netrc), read as the user; [] when unreadable."""
    path = netrc_env or os.path.join(account.home, ".netrc")
    try:
        return safe_file.run_as(account, _netrc_machines, path)
    except Exception:  # pylint: disable=broad-except  # only a hint for the classifier
        return []


def redact(path, text):
    """Content safe to show in a diff: netrc passwords and private keys masked."""
    if text is None:
        return ""
    if path.endswith(".key"):
        return "(private key, %d bytes)\n" % len(text)
    if os.path.basename(path) == ".netrc":
        words = text.split(" ")
        return " ".join("********" if i and words[i - 1].strip() == "password" else w for i, w in enumerate(words))
    return text


def split_credentials(credentials):
    """The roles' shape, [{host, https: {login, password}, ssh: {key, known_hosts, user, port}}], as
    (netrc entries, ssh entries). Raises GoEnvError naming the option."""
    netrc, ssh = [], []
    for item in credentials or []:
        host = item.get("host") or ""
        if not item.get("https") and not item.get("ssh"):
            raise GoEnvError("credentials", host, "credentials: %r needs https ({login, password}) or ssh ({key, known_hosts})"
                             % host)
        if item.get("https"):
            netrc.append({"machine": host, "login": item["https"].get("login"), "password": item["https"].get("password")})
        if item.get("ssh"):
            ssh.append(dict(item["ssh"], host=host))
    return netrc, ssh


def manage(account, credentials, insteadof, check_mode=False):
    """{changed, files: {path: action}, diff: [...]} for one user; GoEnvError for bad input or a refused file."""
    netrc, ssh = split_credentials(credentials)
    check_spec(netrc, ssh, insteadof)
    results = safe_file.run_as(account, apply_as_user, account.home, account.uid, netrc, ssh, insteadof, check_mode)
    changed = dict((p, r["action"]) for p, r in results.items() if r["action"] != "unchanged")
    diff = [{"before_header": p, "after_header": p, "before": redact(p, r["before"]), "after": redact(p, r["after"])}
            for p, r in sorted(results.items()) if r["action"] != "unchanged"]
    return {"changed": bool(changed), "files": dict((p, r["action"]) for p, r in results.items()), "diff": diff}
