"""_probe.tcp against real loopback sockets: accepted, refused, and a port whose full accept queue
makes the kernel drop SYNs (a real timeout)."""

import time

from ansible_collections.gomod.proxy.plugins.module_utils._probe import tcp as probe_tcp

from ansible_collections.gomod.proxy.tests.unit.plugins.module_utils.probe_servers import DroppingPort, SilentPort, closed_port


def test_connect_ok():
    server = SilentPort()
    try:
        sock, result = probe_tcp.connect(["127.0.0.1"], server.port, 2)
        assert sock is not None and result["ok"] and result["address"] == "127.0.0.1"
        sock.close()
    finally:
        server.close()


def test_refused():
    sock, result = probe_tcp.connect(["127.0.0.1"], closed_port(), 2)
    assert sock is None and result["error_class"] == "refused"


def test_dropped_syn_is_a_timeout_within_budget():
    server = DroppingPort()
    try:
        start = time.monotonic()
        sock, result = probe_tcp.connect(["127.0.0.1"], server.port, 1.0)
        elapsed = time.monotonic() - start
        assert sock is None and result["error_class"] == "timeout"
        assert 0.9 <= elapsed < 1.6
    finally:
        server.close()


def test_falls_over_to_next_address_and_reports_attempts():
    server = SilentPort()
    try:
        # ::1 is refused when nothing listens on it (the server is v4 only)
        sock, result = probe_tcp.connect(["::1", "127.0.0.1"], server.port, 2)
        assert sock is not None and result["address"] == "127.0.0.1"
        assert result["attempts"][0]["address"] == "::1"
        sock.close()
    finally:
        server.close()


def test_refusal_is_reported_over_timeouts():
    result = probe_tcp.connect([], 80, 1)[1]
    assert result["error_class"] == "error"
