# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""TLS handshake with the trust store Go would use, and the reason when verification fails.

Go on Linux (crypto/x509 root_unix.go) loads the first readable file of a fixed list, or only
SSL_CERT_FILE when set, plus every certificate in /etc/ssl/certs and /etc/pki/tls/certs, or the
SSL_CERT_DIR list when set. It requires TLS 1.2 or later. The same here, from the user's environment
rather than the module's. Directories are loaded as OpenSSL hashed directories, which is what
c_rehash / update-ca-certificates maintain.

Verification failures are classed ``expired``, ``hostname`` or ``untrusted`` from OpenSSL's verify
code; anything else in the handshake is ``handshake``; no answer in time is ``timeout``.
"""

from __future__ import annotations

import os
import socket
import ssl
import time

from ansible_collections.gomod.proxy.plugins.module_utils._probe import x509 as probe_x509

GO_CERT_FILES = (
    "/etc/ssl/certs/ca-certificates.crt",                 # Debian/Ubuntu/Gentoo etc.
    "/etc/pki/tls/certs/ca-bundle.crt",                   # Fedora/RHEL 6
    "/etc/ssl/ca-bundle.pem",                             # OpenSUSE
    "/etc/pki/tls/cacert.pem",                            # OpenELEC
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # CentOS/RHEL 7
    "/etc/ssl/cert.pem",                                  # Alpine Linux
)
GO_CERT_DIRS = ("/etc/ssl/certs", "/etc/pki/tls/certs")

# OpenSSL X509_V_ERR_* codes (x509_vfy.h).
_EXPIRED = {10, 12}               # CERT_HAS_EXPIRED, CRL_HAS_EXPIRED
_NOT_YET_VALID = {9}
_HOSTNAME = {62, 63, 64}          # HOSTNAME_MISMATCH, EMAIL_MISMATCH, IP_ADDRESS_MISMATCH
_TLS_VERSIONS = {"TLSv1.2": "1.2", "TLSv1.3": "1.3"}


def trust_sources(env):
    """(cafile or None, (cadirs,)) Go would use for a user with this environment."""
    cert_file = env.get("SSL_CERT_FILE") or ""
    files = [cert_file] if cert_file else list(GO_CERT_FILES)
    cafile = next((f for f in files if os.path.isfile(f) and os.access(f, os.R_OK)), None)
    cert_dir = env.get("SSL_CERT_DIR") or ""
    dirs = cert_dir.split(":") if cert_dir else list(GO_CERT_DIRS)
    return cafile, tuple(d for d in dirs if d and os.path.isdir(d))


def client_context(env):
    """An SSLContext verifying like Go's default client for a user with this environment."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    cafile, dirs = trust_sources(env)
    if cafile:
        context.load_verify_locations(cafile=cafile)
    for directory in dirs:
        context.load_verify_locations(capath=directory)
    context.set_alpn_protocols(["http/1.1"])
    return context


def _inspect_context():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def verify_error_class(exc):
    code = getattr(exc, "verify_code", None)
    if code in _EXPIRED:
        return "expired"
    if code in _NOT_YET_VALID:
        return "not_yet_valid"
    if code in _HOSTNAME:
        return "hostname"
    return "untrusted"


def _certificate(ssl_sock):
    der = ssl_sock.getpeercert(binary_form=True)
    if not der:
        return None
    try:
        return probe_x509.describe(der)
    except (ValueError, IndexError, UnicodeError):
        return {"unparsed": True}


def handshake(sock, server_name, context, timeout):
    """(ssl socket or None, {ok, version, cipher, certificate, seconds, error_class, error}).

    On failure the raw socket is closed.
    """
    start = time.monotonic()
    sock.settimeout(timeout)
    result = {"ok": False, "server_name": server_name, "version": None, "cipher": None, "certificate": None,
              "seconds": None, "error_class": None, "error": None}
    try:
        tls = context.wrap_socket(sock, server_hostname=server_name)
    except ssl.SSLCertVerificationError as e:
        result.update(error_class=verify_error_class(e), error=e.verify_message or str(e), verify_code=e.verify_code)
    except socket.timeout:
        result.update(error_class="timeout", error="no TLS answer within %gs" % timeout)
    except (ssl.SSLError, OSError) as e:
        result.update(error_class="handshake", error=str(e))
    else:
        version = tls.version()
        result.update(ok=True, version=_TLS_VERSIONS.get(version, version), cipher=(tls.cipher() or [None])[0],
                      certificate=_certificate(tls))
        result["seconds"] = round(time.monotonic() - start, 4)
        return tls, result
    result["seconds"] = round(time.monotonic() - start, 4)
    sock.close()
    return None, result


def inspect(sock, server_name, timeout):
    """Certificate and version offered on sock, without verifying (to describe a failed handshake)."""
    sock.settimeout(timeout)
    try:
        tls = _inspect_context().wrap_socket(sock, server_hostname=server_name)
    except (ssl.SSLError, OSError):
        sock.close()
        return None
    try:
        version = tls.version()
        return {"version": _TLS_VERSIONS.get(version, version), "certificate": _certificate(tls)}
    finally:
        tls.close()
