"""Real servers on loopback for the goproxy_probe tests: HTTP(S) origins, a CONNECT proxy, a DNS
responder, a port that drops SYNs, and certificates (valid, self-signed, expired, wrong name).

Everything listens on 127.0.0.1 with a kernel-chosen port and stops at the end of the test.
"""

import datetime
import http.server
import ipaddress
import os
import select
import socket
import socketserver
import ssl
import struct
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)


# --- certificates -----------------------------------------------------------------------------

def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "gomod.proxy tests")])


def _cert(subject_cn, issuer_cn, key, issuer_key, names, not_before, not_after, ca=False):
    builder = (x509.CertificateBuilder().subject_name(_name(subject_cn)).issuer_name(_name(issuer_cn))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if names:
        alt = [x509.IPAddress(ipaddress.ip_address(n)) if n[0].isdigit() else x509.DNSName(n) for n in names]
        builder = builder.add_extension(x509.SubjectAlternativeName(alt), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


class Pki(object):
    """A test CA and server certificates, written as PEM files under a directory."""

    def __init__(self, directory):
        self.dir = directory
        self.ca_key = ec.generate_private_key(ec.SECP256R1())
        self.ca = _cert("gomod test CA", "gomod test CA", self.ca_key, self.ca_key, None,
                        NOW - datetime.timedelta(days=1), NOW + datetime.timedelta(days=365), ca=True)
        self.ca_file = self._write("ca.pem", self.ca.public_bytes(serialization.Encoding.PEM))

    def _write(self, name, data):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def server(self, name, names=("127.0.0.1", "localhost"), days=(-1, 90), self_signed=False):
        """(certfile, keyfile) for a server certificate valid from NOW+days[0] to NOW+days[1]."""
        key = ec.generate_private_key(ec.SECP256R1())
        issuer_key, issuer_cn = (key, name) if self_signed else (self.ca_key, "gomod test CA")
        cert = _cert(name, issuer_cn, key, issuer_key, list(names), NOW + datetime.timedelta(days=days[0]),
                     NOW + datetime.timedelta(days=days[1]))
        certfile = self._write(name + ".crt", cert.public_bytes(serialization.Encoding.PEM))
        keyfile = self._write(name + ".key", key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                               serialization.NoEncryption()))
        return certfile, keyfile

    def der(self, certfile):
        with open(certfile, "rb") as f:
            return x509.load_pem_x509_certificate(f.read()).public_bytes(serialization.Encoding.DER)


# --- HTTP origin --------------------------------------------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        route = self.server.routes.get(self.path.split("?")[0], self.server.default)
        status, body = route[:2]
        if status == "hang":
            threading.Event().wait(self.server.hang_seconds)
            return
        if len(route) > 2:  # (status, body, seconds): a slow server that answers in the end
            threading.Event().wait(route[2])
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Origin(object):
    """An HTTP or HTTPS server answering routes {path: (status, body[, delay seconds])}; default for others.

    status "hang": read the request and never answer (for hang_seconds)."""

    def __init__(self, routes=None, default=(404, "not found"), tls=None, hang_seconds=10):
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.routes = dict(routes or {})
        self.httpd.default = default
        self.httpd.requests = []
        self.httpd.hang_seconds = hang_seconds
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if tls else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def requests(self):
        return self.httpd.requests

    def url(self, path="", host="127.0.0.1"):
        return "%s://%s:%d%s" % (self.scheme, host, self.port, path)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# --- CONNECT proxy ----------------------------------------------------------------------------

class _ProxyHandler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                return
            data += chunk
        head, _sep, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        self.server.seen.append((method, target, headers))
        if self.server.credentials and headers.get("Proxy-Authorization") != self.server.credentials:
            sock.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"lab\"\r\n"
                         b"Content-Length: 0\r\n\r\n")
            return
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            host = self.server.hosts.get(host, host)
            try:
                upstream = socket.create_connection((host, int(port)), timeout=5)
            except OSError:
                sock.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                upstream.sendall(rest)
            self._pipe(sock, upstream)
            return
        # absolute-form request for an http:// URL: forward it as origin-form
        from urllib.parse import urlsplit
        parts = urlsplit(target)
        upstream = socket.create_connection((self.server.hosts.get(parts.hostname, parts.hostname), parts.port or 80),
                                            timeout=5)
        path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        kept = "".join("%s: %s\r\n" % (k, v) for k, v in headers.items() if k.lower() != "proxy-authorization")
        upstream.sendall(("%s %s HTTP/1.1\r\n%s\r\n" % (method, path, kept)).encode("latin-1") + rest)
        self._pipe(sock, upstream)

    @staticmethod
    def _pipe(a, b):
        a.settimeout(None)
        b.settimeout(None)
        try:
            while True:
                ready = select.select([a, b], [], [], 5)[0]
                if not ready:
                    return
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (b if s is a else a).sendall(data)
        except OSError:
            return
        finally:
            b.close()


class _ProxyServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class ConnectProxy(object):
    """An HTTP proxy (CONNECT and absolute-form GET); with credentials it answers 407 without them.

    hosts: names only the proxy can resolve (like an internal name behind a corporate proxy).
    """

    def __init__(self, credentials=None, hosts=None):
        self.server = _ProxyServer(("127.0.0.1", 0), _ProxyHandler)
        self.server.credentials = credentials
        self.server.hosts = dict(hosts or {})
        self.server.seen = []
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def seen(self):
        return self.server.seen

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# --- a port nobody listens on (refused), and one that never completes a handshake (dropped) --

def closed_port():
    """A loopback TCP port nothing listens on: bound, then released, so a connect is refused."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class DroppingPort(object):
    """A listening socket with a full accept queue: the kernel drops further SYNs (a real timeout)."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        self.port = self.listener.getsockname()[1]
        self.fillers = []
        for _attempt in range(3):  # backlog 0 still queues one or two: fill it
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", self.port))
            self.fillers.append(s)
        threading.Event().wait(0.2)

    def close(self):
        for s in self.fillers:
            s.close()
        self.listener.close()


class SilentPort(object):
    """Accepts TCP and never says anything (for TLS and HTTP timeouts)."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]

    def close(self):
        self.listener.close()


# --- DNS responder --------------------------------------------------------------------------------

class DnsResponder(object):
    """UDP DNS server on 127.0.0.1.

    DnsResponder(rcode): every query gets that rcode and no answer (None: never answers).
    DnsResponder(by_type={1: ["10.0.0.5"], 28: None}): per query type, a list of addresses (answered
    with rcode 0; an empty list is NODATA), an int rcode, or None (silence), like a resolver that
    knows A and forwards AAAA to a dead upstream. Types not listed get NODATA.
    """

    def __init__(self, rcode=0, by_type=None):
        self.rcode = rcode
        self.by_type = by_type
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.queries = []
        self.running = True
        threading.Thread(target=self._serve, daemon=True).start()

    def qtypes(self):
        """The query types asked so far, in order."""
        out = []
        for data in self.queries:
            offset = 12
            while data[offset]:
                offset += 1 + data[offset]
            out.append(struct.unpack(">H", data[offset + 1:offset + 3])[0])
        return out

    def _answer(self, data):
        qid, = struct.unpack(">H", data[:2])
        question = data[12:]
        if self.by_type is None:
            if self.rcode is None:
                return None
            return struct.pack(">HHHHHH", qid, 0x8180 | self.rcode, 1, 0, 0, 0) + question
        qtype = self.qtypes()[-1]
        behaviour = self.by_type.get(qtype, [])
        if behaviour is None:
            return None
        if isinstance(behaviour, int):
            return struct.pack(">HHHHHH", qid, 0x8180 | behaviour, 1, 0, 0, 0) + question
        records = b""
        for address in behaviour:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            rdata = socket.inet_pton(family, address)
            # name: a compression pointer to the question's name at offset 12
            records += struct.pack(">HHHIH", 0xC00C, qtype, 1, 60, len(rdata)) + rdata
        return struct.pack(">HHHHHH", qid, 0x8580, 1, len(behaviour), 0, 0) + question + records

    def _serve(self):
        while self.running:
            try:
                data, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            self.queries.append(data)
            reply = self._answer(data)
            if reply is not None:
                self.sock.sendto(reply, peer)

    def close(self):
        self.running = False
        self.sock.close()
