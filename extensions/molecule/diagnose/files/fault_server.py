"""A misbehaving module proxy for the diagnose scenario: one listener per fault, from a JSON config.

Modes:
  status        answer every GET with the configured status (a GOPROXY that has nothing, is gone,
                or whose upstream fails: 404, 410, 502, 504), optionally over TLS
  proxy_auth    an HTTP proxy that demands credentials: 407 with Proxy-Authenticate to every request
Python 3 standard library only; run by systemd (gomod-fault-server.service).
"""

import http.server
import json
import socketserver
import ssl
import sys
import threading


def handler(status):
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


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(path):
    with open(path) as f:
        listeners = json.load(f)
    servers = []
    for spec in listeners:
        status = 407 if spec["mode"] == "proxy_auth" else int(spec["status"])
        server = Server(("0.0.0.0", int(spec["port"])), handler(status))
        if spec.get("cert"):
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(spec["cert"], spec["key"])
            server.socket = context.wrap_socket(server.socket, server_side=True)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/etc/gomod-fault-server.json")
