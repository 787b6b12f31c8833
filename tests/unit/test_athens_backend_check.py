"""roles/athens/files/athens-backend-check: the check of S3 and redis before a replica is switched to them.

Against local stand-ins: a redis that speaks RESP with a password, and an S3 endpoint that verifies SigV4
with the real algorithm (the signer is also checked against AWS's published example). The lab suite
(tests/ha) runs the same checker against SeaweedFS and Debian's redis-server."""

import datetime
import http.server
import importlib.machinery
import importlib.util
import io
import json
import socketserver
import threading
import urllib.parse
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "roles" / "athens" / "files" / "athens-backend-check"


def load():
    loader = importlib.machinery.SourceFileLoader("athens_backend_check", str(PATH))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


check = load()


def test_sigv4_matches_the_aws_example():
    # "GET Bucket (List Objects)" example of the AWS SigV4 documentation for S3 (header-based auth).
    headers = check.sigv4_headers(
        "GET", "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J", "us-east-1",
        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        now=datetime.datetime(2013, 5, 24, tzinfo=datetime.timezone.utc))
    assert headers["authorization"].endswith(
        "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    assert "SignedHeaders=host;x-amz-content-sha256;x-amz-date" in headers["authorization"]


# --- a fake S3 that checks signatures with the same algorithm and AWS's error codes --------------------------

KEYS = {"labkey": "labsecret"}
BUCKETS = {"athens"}


class S3Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def error(self, status, code):
        body = f"<?xml version='1.0'?><Error><Code>{code}</Code><Message>m</Message></Error>".encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's name
        auth = self.headers.get("authorization", "")
        key = auth.split("Credential=")[1].split("/")[0] if "Credential=" in auth else ""
        if key not in KEYS:
            return self.error(403, "InvalidAccessKeyId")
        when = datetime.datetime.strptime(self.headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc)
        region = auth.split("Credential=")[1].split("/")[2]
        url = f"http://{self.headers['host']}{self.path}"
        want = check.sigv4_headers("GET", url, region, key, KEYS[key], now=when)["authorization"]
        if want != auth:
            return self.error(403, "SignatureDoesNotMatch")
        bucket = urllib.parse.urlsplit(self.path).path.strip("/")
        if bucket not in BUCKETS:
            return self.error(404, "NoSuchBucket")
        body = b"<ListBucketResult><KeyCount>0</KeyCount></ListBucketResult>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def s3():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), S3Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def s3conf(endpoint, **kw):
    conf = {"Region": "us-east-1", "Key": "labkey", "Secret": "labsecret", "Bucket": "athens",
            "Endpoint": endpoint, "ForcePathStyle": True}
    conf.update(kw)
    return conf


def test_s3_ok(s3):
    assert check.check_s3("s3", s3conf(s3), 3).startswith("ok: bucket 'athens'")


@pytest.mark.parametrize("change, variable", [
    ({"Secret": "wrong"}, "athens_storage_s3.Secret"),
    ({"Key": "nobody"}, "athens_storage_s3.Key"),
    ({"Bucket": "missing"}, "athens_storage_s3.Bucket"),
])
def test_s3_names_the_setting(s3, change, variable):
    with pytest.raises(check.Problem) as err:
        check.check_s3("s3", s3conf(s3, **change), 3)
    assert str(err.value).startswith(variable + ":")
    assert "wrong" not in str(err.value)  # the secret is never printed


def test_s3_unreachable_endpoint():
    with pytest.raises(check.Problem, match="^athens_storage_s3.Endpoint: cannot reach http://127.0.0.1:9/athens"):
        check.check_s3("s3", s3conf("http://127.0.0.1:9"), 3)


def test_minio_settings(s3):
    conf = {"Endpoint": s3.replace("http://", ""), "Key": "labkey", "Secret": "x", "Bucket": "athens"}
    with pytest.raises(check.Problem, match="^athens_storage_minio.Secret:"):
        check.check_s3("minio", conf, 3)


def test_virtual_hosted_url():
    url = check.s3_target("s3", {"Region": "eu-central-1", "Bucket": "b", "Key": "k", "Secret": "s"})[1]
    assert url.startswith("https://b.s3.eu-central-1.amazonaws.com/?")


# --- a fake redis -------------------------------------------------------------------------------------------


class RedisHandler(socketserver.StreamRequestHandler):
    password = "s3cret"

    def handle(self):
        authed = not self.password
        while True:
            line = self.rfile.readline()
            if not line:
                return
            args = []
            for _index in range(int(line[1:])):
                size = int(self.rfile.readline()[1:])
                args.append(self.rfile.read(size + 2)[:-2].decode())
            cmd = args[0].upper()
            if cmd == "AUTH":
                if not self.password:
                    reply = b"-ERR AUTH <password> called without any password configured for the default user\r\n"
                elif args[-1] == self.password:
                    authed, reply = True, b"+OK\r\n"
                else:
                    reply = b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
            elif not authed:
                reply = b"-NOAUTH Authentication required.\r\n"
            elif cmd == "PING":
                reply = b"+PONG\r\n"
            elif cmd == "SET":
                reply = b"+OK\r\n"
            else:
                reply = b":1\r\n"
            self.wfile.write(reply)


@pytest.fixture()
def redis():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RedisHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_redis_ok(redis):
    assert check.check_redis({"endpoint": redis, "password": "s3cret"}, 3)[0].startswith("ok: redis at")


def test_redis_url_with_password(redis):
    assert check.check_redis({"endpoint": f"redis://:s3cret@{redis}/0", "password": ""}, 3)


@pytest.mark.parametrize("password, message", [
    ("wrong", "^athens_redis_password: redis at .* refused it \\(WRONGPASS"),
    ("", "^athens_redis_password: redis at .* requires a password \\(NOAUTH"),
])
def test_redis_names_the_password(redis, password, message):
    with pytest.raises(check.Problem, match=message):
        check.check_redis({"endpoint": redis, "password": password}, 3)


def test_redis_password_differs_from_url():
    with pytest.raises(check.Problem, match="^athens_redis_password: differs"):
        check.redis_targets("redis://:a@h:6379", "b", False)


def test_redis_unreachable():
    with pytest.raises(check.Problem, match="^athens_redis_endpoint: cannot connect to 127.0.0.1:9"):
        check.check_redis({"endpoint": "127.0.0.1:9", "password": "x"}, 3)


def test_main_reads_stdin(redis, s3, monkeypatch, capsys):
    settings = {"storage_type": "s3", "s3": s3conf(s3, Secret="bad"), "single_flight_type": "redis",
                "redis": {"endpoint": redis, "password": "s3cret"}, "timeout": 3}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(settings)))
    assert check.main() == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("athens_storage_s3.Secret:")
    assert lines[1].startswith("ok: redis at")
