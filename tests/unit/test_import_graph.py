"""tools/import_graph.py: module_utils imports point down only, and docs/architecture.md and its picture show
exactly the code's arrows (regenerate both with `python tools/import_graph.py --write`)."""

import shutil

import import_graph

M = "from ansible_collections.gomod.proxy.plugins.module_utils"


def test_no_import_points_up_and_there_is_no_cycle():
    assert import_graph.layering_problems(import_graph.read_graph()) == []


def test_docs_and_picture_show_the_code_s_arrows():
    assert import_graph.docs_problems(import_graph.read_graph()) == []


def _tree(tmp_path, files):
    for path, text in files.items():
        target = tmp_path / "plugins" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return import_graph.read_graph(str(tmp_path))


def test_the_graph_follows_every_import_form(tmp_path):
    graph = _tree(tmp_path, {
        "module_utils/_common/__init__.py": "", "module_utils/_common/errors.py": "",
        "module_utils/_common/text.py": "", "module_utils/_goenv/__init__.py": "",
        "module_utils/_goenv/file.py": M + "._common.text import to_bytes\n",
        "module_utils/_goenv/manage.py": (
            M + "._common import errors as e, text\ndef f():\n    " + M + "._goenv import file as goenv_file\n"),
        "modules/go_env.py": M + "._goenv.manage import manage\nimport os\n",
    })
    assert graph["module_utils._goenv.file"] == {"module_utils._common.text"}
    assert graph["module_utils._goenv.manage"] == {"module_utils._common", "module_utils._common.errors",
                                                   "module_utils._common.text", "module_utils._goenv",
                                                   "module_utils._goenv.file"}
    assert graph["modules.go_env"] == {"module_utils._goenv.manage"}
    assert import_graph.package_edges(graph) == [("_goenv", "_common"), ("modules/go_env", "_goenv")]
    assert import_graph.package_modules(graph) == {"_common": [["errors", "text"]], "_goenv": [["file"], ["manage"]]}
    assert import_graph.layering_problems(graph) == []


def test_an_upward_import_a_cycle_and_a_stray_package_are_caught(tmp_path):
    graph = _tree(tmp_path, {
        "module_utils/_common/errors.py": M + "._goenv.user import lookup\n",
        "module_utils/_goenv/user.py": M + "._goenv.context import load\n",
        "module_utils/_goenv/context.py": M + "._goenv.user import lookup\n",
        "module_utils/_misc/helpers.py": "",
        "modules/go_env.py": "from ansible_collections.gomod.proxy.plugins.modules.go_env_info import main\n",
        "modules/go_env_info.py": "",
    })
    assert import_graph.layering_problems(graph) == [
        "module_utils/_misc is not a layer of tools/import_graph.py's LAYERS",
        "module_utils._common.errors imports module_utils._goenv.user: _goenv is not below _common",
        "modules.go_env imports another plugin",
        "import cycle: module_utils._goenv.user -> module_utils._goenv.context -> module_utils._goenv.user",
    ]


def test_stale_docs_are_caught(tmp_path):
    (tmp_path / "docs").mkdir()
    for name in (import_graph.DOC, import_graph.PICTURE):
        shutil.copy(str(import_graph.REPO + "/" + name), str(tmp_path / name))
    graph = import_graph.read_graph()
    graph["module_utils._goproxy.goproxy"].add("module_utils._report.model")
    graph["module_utils._common.extra"] = set()
    assert import_graph.docs_problems(graph, str(tmp_path)) == [
        "docs/architecture.md: the import-graph table differs from the code (run tools/import_graph.py --write)",
        "docs/architecture.svg lacks the arrow _goproxy -> _report (run tools/import_graph.py --write)",
        "docs/architecture.svg: box _common does not list module_errors safe_file errors extra role_arguments severity text, "
        "top rank first (run tools/import_graph.py --write)",
    ]
    del graph["module_utils._common.extra"]
    graph["module_utils._goproxy.goproxy"].discard("module_utils._report.model")
    graph["module_utils._report.model"] = set()  # the report no longer imports anything
    problems = import_graph.docs_problems(graph, str(tmp_path))
    assert "docs/architecture.svg draws _report -> _probe, which the code no longer has " \
           "(run tools/import_graph.py --write)" in problems
