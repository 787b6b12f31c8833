"""_probe.envfiles: a service's environment files laid over a user's effective go env (proxy hosts)."""

from ansible_collections.gomod.proxy.plugins.module_utils._probe import envfiles


def _user_env():
    return {"user": "athens", "settings": {
        "GOPROXY": {"value": "https://proxy.golang.org,direct", "source": "goroot_env", "origin": "/go/go.env", "shadowed": []},
        "GOPRIVATE": {"value": "", "source": "default", "origin": None, "shadowed": []},
        "GONOSUMDB": {"value": "", "source": "default", "origin": None, "shadowed": []},
        "GONOPROXY": {"value": "", "source": "default", "origin": None, "shadowed": []},
    }, "network_env": {}}


def test_parse_reads_systemd_environment_files():
    text = '# comment\n\nHTTPS_PROXY="http://u:p@egress:3128"\nexport GOPROXY=http://up/mod\nnot a line\nNO_PROXY=\'localhost\'\n'
    assert envfiles.parse(text, "/etc/x.env") == [
        ("HTTPS_PROXY", "http://u:p@egress:3128", "/etc/x.env:3"),
        ("GOPROXY", "http://up/mod", "/etc/x.env:4"),
        ("NO_PROXY", "localhost", "/etc/x.env:6")]


def test_overlay_wins_over_the_files_and_private_defaults_follow_goprivate():
    env = envfiles.overlay(_user_env(), [("GOPROXY", "http://up/mod", "/etc/athens/go.env:4"),
                                         ("GOPRIVATE", "git.corp.example", "/etc/athens/go.env:5"),
                                         ("HTTPS_PROXY", "http://egress:3128", "/etc/athens/egress.env:3")])
    goproxy = env["settings"]["GOPROXY"]
    assert (goproxy["value"], goproxy["source"], goproxy["origin"]) == ("http://up/mod", "os_env", "/etc/athens/go.env:4")
    assert goproxy["shadowed"][0]["source"] == "goroot_env"
    assert env["settings"]["GONOSUMDB"]["value"] == env["settings"]["GONOPROXY"]["value"] == "git.corp.example"
    assert env["network_env"]["HTTPS_PROXY"] == {"value": "http://egress:3128", "origin": "/etc/athens/egress.env:3"}
