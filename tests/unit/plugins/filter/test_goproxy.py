"""The goproxy_split / goproxy_join filters."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.gomod.proxy.plugins.filter.goproxy import FilterModule, goproxy_join, goproxy_split


def test_both_filters_are_registered():
    assert set(FilterModule().filters()) == {"goproxy_split", "goproxy_join"}


def test_split_gives_plain_dicts_in_go_order():
    assert goproxy_split("athens.internal|https://proxy.golang.org,direct,https://never.example") == [
        {"url": "https://athens.internal", "kind": "url", "fallback": "any_error"},
        {"url": "https://proxy.golang.org", "kind": "url", "fallback": "not_found"},
        {"url": "direct", "kind": "direct", "fallback": None},
    ]


def test_split_of_nothing():
    assert goproxy_split(None) == [] and goproxy_split("") == []


def test_join_inverts_split():
    value = "https://athens.internal|https://proxy.golang.org,off"
    assert goproxy_join(goproxy_split(value)) == value


def test_join_prepending_a_proxy():
    chain = [{"url": "https://athens.internal", "fallback": "any_error"}] + goproxy_split("https://proxy.golang.org,direct")
    assert goproxy_join(chain) == "https://athens.internal|https://proxy.golang.org,direct"


@pytest.mark.parametrize("bad", ["https://a.example", 42, [{"url": "a,b"}], [{"url": "a", "fallback": "x"}]])
def test_join_errors_are_filter_errors(bad):
    with pytest.raises(AnsibleFilterError):
        goproxy_join(bad)


def test_split_refuses_non_strings():
    with pytest.raises(AnsibleFilterError):
        goproxy_split(["https://a.example"])
