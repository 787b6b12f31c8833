"""A misbehaving module proxy for the audit scenario: one listener per fault, from a JSON config.

Modes:
  status        answer every GET with the configured status (a GOPROXY that has nothing, is gone,
                or whose upstream fails: 404, 410, 502, 503, 504), optionally over TLS
  proxy_auth    an HTTP proxy that demands credentials: 407 with Proxy-Authenticate to every request
  slow_proxy    a real module proxy that takes its time: waits `delay` seconds, then relays the request
                to `upstream` (the lab's GOPROXY tree), so go succeeds, late
  hang          reads the request and never answers (the connection stays open)
  dns           a UDP resolver that answers A for the names in `answers` at once and never answers
                AAAA for them (a dnsmasq forwarding AAAA to a silent upstream); other names: NXDOMAIN
Python 3 standard library only; run by systemd (gomod-fault-server.service).
"""

import http.server
import json
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.error
import urllib.request


def status_handler(status):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self):
            body = b"" if status == 407 else ('{"fault": %d}\n' % status).encode()
            self.send_response(status)
            if status == 407:
                self.send_header("Proxy-Authenticate", 'Basic realm="gomod lab squid"')
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_HEAD = do_CONNECT = _answer

        def log_message(self, fmt, *args):
            sys.stderr.write("%s:%d %s\n" % (self.client_address[0], self.server.server_address[1], fmt % args))
    return Handler


def slow_proxy_handler(delay, upstream):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            time.sleep(delay)
            try:
                with urllib.request.urlopen(upstream.rstrip("/") + self.path, timeout=30) as resp:
                    status, body = resp.status, resp.read()
            except urllib.error.HTTPError as e:
                status, body = e.code, e.read()
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *args):
            sys.stderr.write("slow %s\n" % (fmt % args))
    return Handler


def hang_handler():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            threading.Event().wait()  # the daemon thread holds the connection until the server stops

        def log_message(self, fmt, *args):
            pass
    return Handler


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve_dns(port, answers):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", port))
    while True:
        data, peer = sock.recvfrom(4096)
        if len(data) < 12:
            continue
        offset, labels = 12, []
        while data[offset]:
            labels.append(data[offset + 1:offset + 1 + data[offset]].decode("ascii", "replace"))
            offset += 1 + data[offset]
        qtype = struct.unpack(">H", data[offset + 1:offset + 3])[0]
        question = data[12:offset + 5]
        name = ".".join(labels).lower()
        qid = data[:2]
        if name not in answers:
            sock.sendto(qid + struct.pack(">HHHHH", 0x8583, 1, 0, 0, 0) + question, peer)
        elif qtype == 1:
            rdata = socket.inet_aton(answers[name])
            record = struct.pack(">HHHIH", 0xC00C, 1, 1, 60, 4) + rdata
            sock.sendto(qid + struct.pack(">HHHHH", 0x8580, 1, 1, 0, 0) + question + record, peer)
        elif qtype != 28:
            sock.sendto(qid + struct.pack(">HHHHH", 0x8580, 1, 0, 0, 0) + question, peer)
        # AAAA: no answer at all


def main(path):
    with open(path) as f:
        listeners = json.load(f)
    for spec in listeners:
        mode = spec["mode"]
        if mode == "dns":
            threading.Thread(target=serve_dns, args=(int(spec["port"]), spec["answers"]), daemon=True).start()
            continue
        if mode == "slow_proxy":
            handler = slow_proxy_handler(float(spec["delay"]), spec["upstream"])
        elif mode == "hang":
            handler = hang_handler()
        else:
            handler = status_handler(407 if mode == "proxy_auth" else int(spec["status"]))
        server = Server(("0.0.0.0", int(spec["port"])), handler)
        if spec.get("cert"):
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(spec["cert"], spec["key"])
            server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/etc/gomod-fault-server.json")
