"""lab/dnsquery.py: the stdlib DNS query labctl sends to a lab gateway and tests run on lab hosts."""

import socket
import struct
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lab"))
import dnsquery  # noqa: E402  pylint: disable=wrong-import-position


def answer(query, rcode=0, records=(), aa=True):
    """A response to `query` (bytes) the way a server writes one: question echoed, answers with compression."""
    qid = struct.unpack("!H", query[:2])[0]
    flags = 0x8000 | 0x0100 | 0x0080 | (0x0400 if aa else 0) | rcode
    body = query[12:]
    out = struct.pack("!HHHHHH", qid, flags, 1, len(records), 0, 0) + body
    for rtype, rdata in records:
        out += struct.pack("!HHHIH", 0xC00C, rtype, 1, 300, len(rdata)) + rdata
    return out


def test_query_wire_format_is_what_dig_sends():
    packet = dnsquery.build_query("goproxy.lab.test", "AAAA", 0x1234)
    assert packet[:12] == struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
    assert packet[12:] == b"\x07goproxy\x03lab\x04test\x00" + struct.pack("!HH", 28, 1)


@pytest.mark.parametrize("text,number", [("A", 1), ("aaaa", 28), ("HTTPS", 65), ("TYPE65", 65), ("ANY", 255),
                                         ("SRV", 33), ("MX", 15), ("TXT", 16), ("99", 99)])
def test_query_types(text, number):
    assert dnsquery.qtype_number(text) == number


def test_unknown_type_and_bad_labels_are_refused():
    with pytest.raises(ValueError):
        dnsquery.qtype_number("NOPE")
    with pytest.raises(ValueError):
        dnsquery.build_query("a..b", "A", 1)
    with pytest.raises(ValueError):
        dnsquery.build_query("x" * 64 + ".test", "A", 1)


def test_parse_answers_nodata_and_nxdomain():
    query = dnsquery.build_query("goproxy.lab.test", "ANY", 7)
    reply = dnsquery.parse_response(answer(query, records=[(1, bytes([172, 30, 77, 10])),
                                                           (28, socket.inet_pton(socket.AF_INET6, "fd00::10")),
                                                           (16, b"\x03abc")]))
    assert reply == {"id": 7, "rcode": "NOERROR", "aa": True, "tc": False,
                     "answers": [["A", "172.30.77.10"], ["AAAA", "fd00::10"], ["TXT", 4]]}
    assert dnsquery.parse_response(answer(query))["answers"] == []
    assert dnsquery.parse_response(answer(query, rcode=3, aa=False))["rcode"] == "NXDOMAIN"


def test_parse_refuses_what_is_not_a_response():
    query = dnsquery.build_query("x.test", "A", 9)
    with pytest.raises(dnsquery.DNSFormatError):
        dnsquery.parse_response(query)  # QR clear
    with pytest.raises(dnsquery.DNSFormatError):
        dnsquery.parse_response(b"\x00" * 5)
    truncated = answer(query, records=[(1, bytes(4))])[:-2]
    with pytest.raises(dnsquery.DNSFormatError):
        dnsquery.parse_response(truncated)


class Server:
    """A UDP and TCP DNS server on 127.0.0.1 that answers with `reply(query)`, or never when it returns None."""

    def __init__(self, reply):
        self.reply = reply
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.port = self.udp.getsockname()[1]
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("127.0.0.1", self.port))
        self.tcp.listen()
        self.queries = []
        for target in (self._serve_udp, self._serve_tcp):
            threading.Thread(target=target, daemon=True).start()

    def _serve_udp(self):
        while True:
            try:
                data, peer = self.udp.recvfrom(4096)
            except OSError:
                return
            self.queries.append(data)
            for out in self.reply(data) or []:
                self.udp.sendto(out, peer)

    def _serve_tcp(self):
        while True:
            try:
                conn, _peer = self.tcp.accept()
            except OSError:
                return
            with conn:
                size = struct.unpack("!H", conn.recv(2))[0]
                data = conn.recv(size)
                self.queries.append(data)
                for out in self.reply(data) or []:
                    conn.sendall(struct.pack("!H", len(out)) + out)

    def close(self):
        self.udp.close()
        self.tcp.close()


@pytest.fixture
def server():
    made = []

    def make(reply):
        made.append(Server(reply))
        return made[-1]

    yield make
    for srv in made:
        srv.close()


def test_query_over_udp_and_tcp(server):
    srv = server(lambda q: [answer(q, records=[(1, bytes([10, 0, 0, 1]))])])
    for tcp in (False, True):
        got = dnsquery.query("127.0.0.1", "goproxy.lab.test", "A", port=srv.port, timeout=2, tcp=tcp)
        assert got["timeout"] is False and got["rcode"] == "NOERROR" and got["answers"] == [["A", "10.0.0.1"]]
        assert got["tcp"] is tcp and got["ms"] < 2000
    assert len(srv.queries) == 2


def test_a_silent_server_is_a_timeout_not_an_error(server):
    srv = server(lambda q: None)
    got = dnsquery.query("127.0.0.1", "goproxy.lab.test", "AAAA", port=srv.port, timeout=0.2)
    assert got["timeout"] is True and 150 <= got["ms"] < 1500
    assert len(srv.queries) == 1


def test_stray_datagrams_are_skipped(server):
    def reply(query):
        other = bytearray(answer(query, records=[(1, bytes([9, 9, 9, 9]))]))
        other[0] ^= 0xFF  # another query's id
        return [b"junk", bytes(other), answer(query, records=[(1, bytes([10, 0, 0, 2]))])]

    srv = server(reply)
    got = dnsquery.query("127.0.0.1", "goproxy.lab.test", "A", port=srv.port, timeout=2)
    assert got["answers"] == [["A", "10.0.0.2"]]


def test_cli_prints_one_json_line_per_type_and_fails_on_a_timeout(server, capsys, tmp_path):
    srv = server(lambda q: [answer(q)] if q[-4:-2] != b"\x00\x1c" else None)  # AAAA goes unanswered
    assert dnsquery.main(["--server", "127.0.0.1", "--port", str(srv.port), "--timeout", "0.2", "x.test", "A", "MX"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and '"type": "MX"' in lines[1]
    assert dnsquery.main(["--server", "127.0.0.1", "--port", str(srv.port), "--timeout", "0.2", "x.test", "AAAA"]) == 1
    conf = tmp_path / "resolv.conf"
    conf.write_text("search lab.test\nnameserver 172.30.77.11\n")
    assert dnsquery.resolv_conf_server(str(conf)) == "172.30.77.11"
