"""roles/athens/files/athens-config-check: every check it makes, on a valid and an invalid configuration.

The script is loaded from its path in the role (it is shipped as a file, not a module). Each invalid case
asserts the exact line it reports, which names the field and, where it is not a secret, the value.
"""

import importlib.machinery
import importlib.util
import os
import textwrap
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[4] / "roles" / "athens" / "files" / "athens-config-check"
_LOADER = importlib.machinery.SourceFileLoader("athens_config_check", str(SCRIPT))
_SPEC = importlib.util.spec_from_loader("athens_config_check", _LOADER)
checker = importlib.util.module_from_spec(_SPEC)
_LOADER.exec_module(checker)

# What the role renders for a typical proxy (roles/athens/templates/athens.toml.j2), every check passing.
FULL = """
GoEnv = "production"
GoBinary = "/usr/local/go/bin/go"
GoBinaryEnvVars = ["GOPROXY=https://proxy.golang.org,direct", "GONOSUMDB=git.corp.example"]
GoGetWorkers = 10
GoGetDir = ""
ProtocolWorkers = 30
LogLevel = "info"
LogFormat = "json"
CloudRuntime = "none"
Timeout = 300
StashTimeout = 600
ShutdownTimeout = 60
Port = "0.0.0.0:3000"
UnixSocket = ""
TLSCertFile = "tls/athens.crt"
TLSKeyFile = "tls/athens.key"
ForceSSL = false
BasicAuthUser = "ci"
BasicAuthPass = "s3cret"
PathPrefix = "/goproxy"
NETRCPath = "netrc"
DownloadMode = "file:download.hcl"
DownloadURL = "https://proxy.golang.org"
NetworkMode = "strict"
SumDBs = ["https://sum.golang.org"]
NoSumPatterns = ["git.corp.example/*"]
StorageType = "disk"
SingleFlightType = "redis"
IndexType = "postgres"
StatsExporter = "prometheus"
TraceExporter = ""

[Storage.Disk]
RootPath = "storage"

[SingleFlight.Redis]
Endpoint = "redis.corp.example:6379"
Password = "r3dis"
Cluster = false

[SingleFlight.Redis.LockConfig]
TTL = 900
Timeout = 15
MaxRetries = 10

[Index.Postgres]
Host = "db.corp.example"
Port = 5432
User = "athens"
Password = "pg"
Database = "athens"
Params = { sslmode = "require" }
"""

DOWNLOAD_HCL = """
downloadURL = "https://proxy.golang.org"
mode = "async_redirect"

download "git.corp.example/*" {
    mode = "none"
}
"""


@pytest.fixture
def base(tmp_path):
    """A --base-dir holding every file FULL names (storage dir, TLS pair, netrc, download file)."""
    (tmp_path / "storage").mkdir()
    (tmp_path / "tls").mkdir()
    for name in ("tls/athens.crt", "tls/athens.key", "netrc"):
        (tmp_path / name).write_text("x\n")
    (tmp_path / "download.hcl").write_text(DOWNLOAD_HCL)
    return tmp_path


def problems(base, text, production_perms=False, mode=0o640):
    config = base / "athens.toml"
    config.write_text(textwrap.dedent(text))
    os.chmod(config, mode)
    return checker.check(str(config), production_perms, str(base))


def with_changes(**changes):
    """FULL with top-level keys replaced (a value of None removes the key)."""
    lines = []
    for line in FULL.splitlines():
        name = line.split(" = ", 1)[0] if " = " in line and not line.startswith((" ", "[")) else None
        if name in changes:
            if changes[name] is not None:
                lines.append("%s = %s" % (name, changes.pop(name)))
            else:
                changes.pop(name)
            continue
        lines.append(line)
    table_start = next(i for i, line in enumerate(lines) if line.startswith("["))
    extra = ["%s = %s" % item for item in changes.items()]
    return "\n".join(lines[:table_start] + extra + lines[table_start:]) + "\n"


def test_the_role_s_full_configuration_passes(base):
    assert problems(base, FULL, production_perms=True) == []


def test_an_empty_file_is_athens_defaults_and_passes(base):
    assert problems(base, "") == []


def test_keys_match_case_insensitively_as_burntsushi_toml_does(base):
    assert problems(base, 'goenv = "production"\nstoragetype = "disk"\n[storage.disk]\nrootpath = "storage"\n') == []


def test_not_toml(base):
    found = problems(base, "GoEnv = \n")
    assert len(found) == 1 and found[0].startswith("not valid TOML: ")


# --- keys and types (BurntSushi/toml decoding into Athens' Config) ------------------------------------------------

# Each *_PROBLEMS list pairs a snippet with the one line the checker reports for it (test_one_problem_each).
TYPE_PROBLEMS = [
    ('GoEnvv = "production"\n', "GoEnvv: unknown key (Athens ignores it silently)"),
    ('[Storage.Disk]\nRootPath = "storage"\nRoot = "x"\n', "Storage.Disk.Root: unknown key (Athens ignores it silently)"),
    ('[Storage.Floppy]\nDrive = "a"\n', "Storage.Floppy: unknown key (Athens ignores it silently)"),
    ('[SingleFlight.Redis.LockConfig]\nTTLs = 1\n', "SingleFlight.Redis.LockConfig.TTLs: unknown key (Athens ignores it silently)"),
    ('[Index.MySQL]\nHostname = "db"\n', "Index.MySQL.Hostname: unknown key (Athens ignores it silently)"),
    ("Port = 3000\n", "Port: must be a string, got 3000"),
    ('GoGetWorkers = "10"\n', "GoGetWorkers: must be a integer, got '10'"),
    ("GoGetWorkers = true\n", "GoGetWorkers: must be a integer, got True"),
    ('ForceSSL = "yes"\n', "ForceSSL: must be a boolean, got 'yes'"),
    ('SumDBs = "https://sum.golang.org"\n', "SumDBs: must be a array of strings, got 'https://sum.golang.org'"),
    ("GoBinaryEnvVars = [1]\n", "GoBinaryEnvVars: must be a array of strings, got [1]"),
    ('[Index.Postgres]\nParams = { sslmode = 1 }\n', "Index.Postgres.Params: must be a table of strings, got {'sslmode': 1}"),
    ('[Storage]\nDisk = "storage"\n', "Storage.Disk: must be a table"),
    ('[SingleFlight.Redis]\nLockConfig = 5\n', "SingleFlight.Redis.LockConfig: must be a table"),
]


@pytest.mark.parametrize("key,value", [("BasicAuthPass", "1234"), ("GithubToken", "true"),
                                       ("[SingleFlight.Redis]\nPassword", "5"), ("[Storage.S3]\nSecret", "[1]")])
def test_a_secret_of_the_wrong_type_is_not_shown(base, key, value):
    found = problems(base, "%s = %s\n" % (key, value))
    assert len(found) == 1 and found[0].endswith("must be a string, got a value") and value not in found[0]


@pytest.mark.parametrize("text,problem", [
    ('Storage = "x"\n', "Storage: must be a table"),
    ("SingleFlight = 5\n", "SingleFlight: must be a table"),
    ('Index = ["mysql"]\n', "Index: must be a table"),
])
def test_a_top_level_table_given_as_a_value_is_refused(base, text, problem):
    """Athens v0.18 refuses these at start ("Could not load config file: toml: line 1 (last key "Storage"):
    type mismatch for config.Storage: expected table but found string"); the checker used to pass them."""
    assert problems(base, text) == [problem]


# --- validateConfig: required fields and fixed choices -----------------------------------------------------------

@pytest.mark.parametrize("key,value", [
    ("GoEnv", '""'), ("GoBinary", '""'), ("GoGetWorkers", "0"), ("ProtocolWorkers", "0"), ("LogLevel", '""'),
    ("StorageType", '""'), ("Timeout", "0"),
])
def test_required_fields(base, key, value):
    found = problems(base, "%s = %s\n" % (key, value))
    assert "%s: required (must not be empty or zero)" % key in found


CHOICE_PROBLEMS = [
    ('GoEnv = "staging"\n', "GoEnv: 'staging' is neither development nor production"),
    ('LogFormat = "xml"\n', "LogFormat: 'xml' is not one of '', json, plain"),
    ('LogFormat = ""\nCloudRuntime = ""\n', "CloudRuntime: required when LogFormat is empty"),
    ('LogLevel = "loud"\n', "LogLevel: 'loud' is not a log level"),
    ('NetworkMode = "online"\n', "NetworkMode: 'online' is not one of strict, offline, fallback"),
    ("ShutdownTimeout = -1\n", "ShutdownTimeout: must not be negative"),
    ("StashTimeout = -5\n", "StashTimeout: must not be negative"),
    ("GoGetWorkers = -1\n", "GoGetWorkers: must not be negative"),
    ("ProtocolWorkers = -2\n", "ProtocolWorkers: must not be negative"),
    ("Timeout = -300\n", "Timeout: must not be negative"),
]


@pytest.mark.parametrize("text", ['LogLevel = " WARNING "\n', 'LogFormat = ""\nCloudRuntime = "GCP"\n',
                                  'NetworkMode = "fallback"\n', 'GoEnv = "development"\n'])
def test_accepted_choices(base, text):
    assert problems(base, text) == []


# --- storage and index backends ----------------------------------------------------------------------------------

@pytest.mark.parametrize("storage_type,table,fields", [
    ("disk", "Disk", ["RootPath"]), ("mongo", "Mongo", ["URL"]), ("minio", "Minio", ["Endpoint", "Key", "Secret", "Bucket"]),
    ("gcp", "GCP", ["Bucket"]), ("s3", "S3", ["Region", "Bucket"]), ("azureblob", "AzureBlob", ["AccountName", "ContainerName"]),
    ("external", "External", ["URL"]),
])
def test_each_storage_type_needs_its_fields(base, storage_type, table, fields):
    assert problems(base, 'StorageType = "%s"\n' % storage_type) == [
        "Storage.%s.%s: required for StorageType %s" % (table, field, storage_type) for field in fields]
    filled = "".join('%s = "%s"\n' % (field, "storage" if field == "RootPath" else "x") for field in fields)
    extra = 'SingleFlightType = "%s"\n' % storage_type if storage_type in ("gcp", "azureblob") else ""
    assert problems(base, 'StorageType = "%s"\n%s[Storage.%s]\n%s' % (storage_type, extra, table, filled)) == []


def test_storage_type_unknown(base):
    assert problems(base, 'StorageType = "floppy"\n') == ["StorageType: storage type 'floppy' is unknown"]


def test_disk_root_must_exist_relative_to_the_base_dir(base):
    assert problems(base, with_changes()) == []
    text = FULL.replace('RootPath = "storage"', 'RootPath = "missing"')
    assert problems(base, text) == ["Storage.Disk.RootPath: %s is not a directory (Athens requires it to exist)"
                                    % (base / "missing")]
    text = FULL.replace('RootPath = "storage"', 'RootPath = "/nonexistent/athens"')
    assert problems(base, text) == [
        "Storage.Disk.RootPath: /nonexistent/athens is not a directory (Athens requires it to exist)"]


@pytest.mark.parametrize("field,default,env", [("DefaultDBName", "athens", "ATHENS_MONGO_DEFAULT_DATABASE"),
                                               ("DefaultCollectionName", "modules", "ATHENS_MONGO_DEFAULT_COLLECTION")])
def test_mongo_names_athens_only_takes_from_the_environment(base, field, default, env):
    text = 'StorageType = "mongo"\n[Storage.Mongo]\nURL = "mongodb://db"\n%s = "%s"\n'
    assert problems(base, text % (field, "mine")) == [
        "Storage.Mongo.%s: Athens ignores it in the file and uses '%s' (only %s sets it)" % (field, default, env)]
    assert problems(base, text % (field, default)) == []


@pytest.mark.parametrize("index_type,table,fields", [
    ("mysql", "MySQL", ["Protocol", "Host", "User", "Database", "Params"]),
    ("postgres", "Postgres", ["Host", "Port", "User", "Database", "Params"]),
])
def test_each_index_type_needs_its_fields(base, index_type, table, fields):
    assert problems(base, 'IndexType = "%s"\n' % index_type) == [
        "Index.%s.%s: required for IndexType %s" % (table, field, index_type) for field in fields]


@pytest.mark.parametrize("index_type", ["", "none", "memory"])
def test_index_types_without_fields(base, index_type):
    assert problems(base, 'IndexType = "%s"\n' % index_type) == []


def test_index_type_unknown(base):
    assert problems(base, 'IndexType = "sqlite"\n') == ["IndexType: index type 'sqlite' is unknown"]


# --- the listener ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("port", ['":3000"', '"3000"', '"127.0.0.1:8080"', '"[::1]:3000"', '""', '"[fe80::1%eth0]:0"'])
def test_ports_athens_listens_on(base, port):
    assert problems(base, "Port = %s\n" % port) == []


@pytest.mark.parametrize("port", ["localhost", ":http", "[::1]", "host:70000", "a:b:1"])
def test_ports_athens_cannot_listen_on(base, port):
    assert problems(base, 'Port = "%s"\n' % port) == ["Port: '%s' is not [host]:port" % port]


def test_unix_socket_takes_precedence_and_must_be_absolute(base):
    assert problems(base, 'Port = "nonsense"\nUnixSocket = "/run/athens/athens.sock"\n') == []
    assert problems(base, 'UnixSocket = "athens.sock"\n') == ["UnixSocket: 'athens.sock' should be an absolute path"]


def test_tls_pair(base):
    both_or_neither = "TLSCertFile/TLSKeyFile: set both or neither (Athens silently serves plain HTTP otherwise)"
    assert problems(base, with_changes(TLSKeyFile=None)) == [both_or_neither]
    assert problems(base, with_changes(TLSCertFile='""')) == [both_or_neither]
    assert problems(base, with_changes(TLSKeyFile='"tls/missing.key"')) == ["TLSKeyFile: tls/missing.key does not exist"]
    assert problems(base, with_changes(TLSCertFile='"/etc/nope.crt"')) == ["TLSCertFile: /etc/nope.crt does not exist"]


def test_basic_auth_pair(base):
    message = "BasicAuthUser/BasicAuthPass: set both or neither (Athens silently disables auth otherwise)"
    assert problems(base, with_changes(BasicAuthPass='""')) == [message]
    assert problems(base, with_changes(BasicAuthUser=None)) == [message]
    assert problems(base, with_changes(BasicAuthUser=None, BasicAuthPass=None)) == []


@pytest.mark.parametrize("prefix", ["goproxy", "/goproxy/", "goproxy/"])
def test_path_prefix(base, prefix):
    assert problems(base, 'PathPrefix = "%s"\n' % prefix) == ["PathPrefix: '%s' must start with / and not end with /" % prefix]


# --- what makes actions.App exit right after reading the file ---------------------------------------------------

def test_github_token_and_netrc_exclude_each_other(base):
    assert problems(base, with_changes(GithubToken='"ghp_x"')) == ["GithubToken/NETRCPath: cannot provide both"]
    assert problems(base, with_changes(GithubToken='"ghp_x"', NETRCPath=None)) == []


@pytest.mark.parametrize("key", ["NETRCPath", "HGRCPath"])
def test_credential_files_must_exist(base, key):
    assert problems(base, with_changes(**{key: '"creds/missing"'})) == ["%s: creds/missing does not exist" % key]


def test_go_binary_env_vars_are_key_value(base):
    assert problems(base, with_changes(GoBinaryEnvVars='["GOPROXY=direct", "GOFLAGS"]')) == [
        "GoBinaryEnvVars: 'GOFLAGS' is not KEY=VALUE"]


@pytest.mark.parametrize("url", ["http://sum.golang.org", "sum.golang.org", "https://"])
def test_sumdbs_need_https(base, url):
    assert problems(base, with_changes(SumDBs='["https://sum.golang.org", "%s"]' % url)) == [
        "SumDBs: '%s' must have an https scheme" % url]


SINGLE_FLIGHT_PROBLEMS = [
    ('SingleFlightType = "zookeeper"\n', "SingleFlightType: unrecognized single flight type 'zookeeper'"),
    ('SingleFlightType = "gcp"\n', "SingleFlightType: gcp only works with StorageType gcp"),
    ('SingleFlightType = "azureblob"\n', "SingleFlightType: azureblob only works with StorageType azureblob"),
    ('SingleFlightType = "redis"\n', "SingleFlight.Redis.Endpoint: required for SingleFlightType redis"),
    ('SingleFlightType = "redis-sentinel"\n',
     "SingleFlight.RedisSentinel.Endpoints: required for SingleFlightType redis-sentinel"),
]


@pytest.mark.parametrize("text", [
    'SingleFlightType = ""\n', 'SingleFlightType = "etcd"\n[SingleFlight.Etcd]\nEndpoints = "e1:2379,e2:2379"\n',
    'SingleFlightType = "redis-sentinel"\n[SingleFlight.RedisSentinel]\nEndpoints = ["s1:26379"]\nMasterName = "m"\n',
])
def test_single_flight_accepted(base, text):
    assert problems(base, text) == []


@pytest.mark.parametrize("mode", ["sync", "async", "redirect", "async_redirect", "none", "custom:ZG93bmxvYWQ="])
def test_download_modes(base, mode):
    assert problems(base, with_changes(DownloadMode='"%s"' % mode)) == []


DOWNLOAD_MODE_PROBLEMS = [
    ('DownloadMode = "eager"\n', "DownloadMode: unrecognized download mode 'eager'"),
    ('DownloadMode = "redirect"\n', "DownloadURL: required for DownloadMode redirect"),
    ('DownloadMode = "async_redirect"\nDownloadURL = ""\n', "DownloadURL: required for DownloadMode async_redirect"),
]


def test_download_file(base):
    path = base / "download.hcl"
    path.write_text('mode = "sync"\n')
    assert problems(base, with_changes()) == [
        'DownloadMode: %s lacks the required top-level downloadURL = "..."' % path]
    path.write_text('download "x/*" {\n    mode = "sync"\n    downloadURL = "https://a"\n}\n')
    assert problems(base, with_changes()) == [
        'DownloadMode: %s lacks the required top-level mode = "..."' % path,
        'DownloadMode: %s lacks the required top-level downloadURL = "..."' % path]
    path.write_text(DOWNLOAD_HCL.replace('mode = "none"', 'mode = "sometimes"'))
    assert problems(base, with_changes()) == ["DownloadMode: %s: unrecognized mode 'sometimes'" % path]
    path.unlink()
    assert problems(base, with_changes()) == ["DownloadMode: cannot read %s: No such file or directory" % path]


@pytest.mark.parametrize("key,value,problem", [
    ("StatsExporter", "influx", "StatsExporter: 'influx' is not supported"),
    ("TraceExporter", "zipkin", "TraceExporter: 'zipkin' is not supported"),
])
def test_exporters(base, key, value, problem):
    assert problems(base, '%s = "%s"\n' % (key, value)) == [problem]
    for supported in ("", "datadog", "stackdriver"):
        assert problems(base, '%s = "%s"\n' % (key, supported)) == []


@pytest.mark.parametrize("text,problem", TYPE_PROBLEMS + CHOICE_PROBLEMS
                         + SINGLE_FLIGHT_PROBLEMS + DOWNLOAD_MODE_PROBLEMS)
def test_one_problem_each(base, text, problem):
    assert problems(base, text) == [problem]


# --- GoEnv = production: the file's own mode ---------------------------------------------------------------------

@pytest.mark.parametrize("mode", [0o660, 0o644 | 0o010, 0o602, 0o641])
def test_production_refuses_group_or_other_write_and_execute_bits(base, mode):
    found = problems(base, FULL, production_perms=True, mode=mode)
    assert found == ["%s: GoEnv production refuses group/other write or execute bits (mode %o)"
                     % (base / "athens.toml", mode)]
    assert problems(base, FULL, production_perms=False, mode=mode) == []
    assert problems(base, FULL.replace('GoEnv = "production"', 'GoEnv = "development"'), True, mode) == []


def test_production_checks_the_filter_file_too(base):
    filter_file = base / "filter.conf"
    filter_file.write_text("D\n")
    os.chmod(filter_file, 0o666)
    found = problems(base, with_changes(FilterFile='"%s"' % filter_file), production_perms=True)
    assert found == ["%s: GoEnv production refuses group/other write or execute bits (mode 666)" % filter_file]


# --- the command line --------------------------------------------------------------------------------------------

def test_main_prints_one_line_per_problem_and_exits_1(base, capsys):
    config = base / "athens.toml"
    config.write_text('GoEnv = "staging"\nLogLevel = "loud"\n')
    assert checker.main([str(config)]) == 1
    assert capsys.readouterr().err == (
        "athens config: GoEnv: 'staging' is neither development nor production\n"
        "athens config: LogLevel: 'loud' is not a log level\n")


def test_main_options(base, capsys):
    config = base / "athens.toml"
    config.write_text(FULL)
    os.chmod(config, 0o664)
    assert checker.main(["--base-dir", str(base), str(config)]) == 0
    assert checker.main(["--production-perms", "--base-dir", str(base), str(config)]) == 1
    assert "refuses group/other write" in capsys.readouterr().err
    assert checker.main([str(config)]) == 1  # relative paths in FULL are then resolved from the cwd


@pytest.mark.parametrize("argv", [[], ["a.toml", "b.toml"], ["--base-dir", "/srv"]])
def test_main_usage(argv, capsys):
    assert checker.main(argv) == 2
    assert capsys.readouterr().err.startswith("usage: athens-config-check ")
