"""The import graph of the collection's Python code, read from the code itself, and the docs drawn from it.

plugins/module_utils is layered: each package may import only the packages below it in LAYERS, and no
module may take part in an import cycle. The modules, the action plugin and the filter plugin sit on top. This tool reads
every import (ast, nothing is run), checks the layering and checks that docs/architecture.md (the table
between its import-graph markers) and docs/architecture.svg (rendered by Graphviz's dot) show exactly
the code's arrows.

Usage: python tools/import_graph.py [--check | --write]
  (no option)  print the package graph
  --check      exit 1 naming every upward import, cycle, or arrow the docs show differently
  --write      rewrite the docs' table and render docs/architecture.svg (needs dot: apt-get install graphviz)
Importable as ``import_graph`` (pytest.ini puts tools/ on sys.path); tests/unit/test_import_graph.py runs
the check.
"""

import argparse
import ast
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The plugins that sit above module_utils (and import no other plugin).
PLUGIN_KINDS = ("modules.", "action.", "filter.")
PREFIX = "ansible_collections.gomod.proxy.plugins."
# Lowest first: a package may import only packages that come before it.
LAYERS = ("_common", "_goproxy", "_goenv", "_probe", "_report")
DOC = os.path.join("docs", "architecture.md")
PICTURE = os.path.join("docs", "architecture.svg")
BEGIN = "<!-- import-graph:begin (tools/import_graph.py --write; checked by tests/unit/test_import_graph.py) -->"
END = "<!-- import-graph:end -->"


def _python_files(root):
    for directory, _dirs, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(directory, name)


def module_name(repo, path):
    """'module_utils._goenv.file', 'modules.go_env', 'filter.goproxy' for a file under plugins/."""
    rel = os.path.relpath(path, os.path.join(repo, "plugins"))[:-len(".py")].split(os.sep)
    if rel[-1] == "__init__":
        rel = rel[:-1]
    return ".".join(rel)


def _imported(node, known):
    """Names of collection modules an import statement brings in (a name may be a module or an attribute)."""
    found = []
    if isinstance(node, ast.Import):
        found = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        found = [node.module] + ["%s.%s" % (node.module, alias.name) for alias in node.names]
    out = []
    for name in found:
        if not name.startswith(PREFIX):
            continue
        name = name[len(PREFIX):]
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != "module_utils":
            out.append(name)
    return out


def read_graph(repo=REPO):
    """{module: set of modules it imports} for every Python file under plugins/ (packages included)."""
    paths = dict((module_name(repo, p), p) for p in _python_files(os.path.join(repo, "plugins")))
    graph = {}
    for name, path in paths.items():
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        graph[name] = set()
        for node in ast.walk(tree):
            graph[name].update(i for i in _imported(node, paths) if i != name)
    return graph


def group(module):
    """The node a module belongs to in the picture: its module_utils package, or the plugin itself."""
    parts = module.split(".")
    if parts[0] == "module_utils":
        return parts[1] if len(parts) > 1 else "module_utils"
    return "/".join(parts)


def package_edges(graph):
    """Sorted (from, to) between nodes of the picture, one per pair however many imports make it."""
    return sorted(set((group(a), group(b)) for a, targets in graph.items() for b in targets if group(a) != group(b)))


def package_modules(graph):
    """{package: [[its lowest modules], [the modules above them], ...]} of plugins/module_utils: a module's
    rank is one more than the highest rank of the package's modules it imports (0 when it imports none)."""
    members = {}
    for module in graph:
        parts = module.split(".")
        if parts[0] == "module_utils" and len(parts) == 3:
            members.setdefault(parts[1], set()).add(module)
    out = {}
    for package, modules in members.items():
        rank = {}

        def rank_of(module, seen=()):
            if module not in rank:
                below = [m for m in graph[module] & modules if m not in seen]  # a cycle is layering_problems' to name
                rank[module] = 1 + max([rank_of(m, seen + (module,)) for m in below], default=-1)
            return rank[module]

        ranks = [[] for _rank in range(1 + max(rank_of(m) for m in modules))]
        for module in sorted(modules):
            ranks[rank_of(module)].append(module.rpartition(".")[2])
        out[package] = ranks
    return out


def _cycle(graph):
    """One import cycle among modules, as a list of names, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def layering_problems(graph):
    """Every import that points up or sideways across packages, every unknown package, and a cycle."""
    problems = []
    rank = dict((name, i) for i, name in enumerate(LAYERS))
    for package in sorted(set(package_modules(graph)) - set(LAYERS)):
        problems.append("module_utils/%s is not a layer of tools/import_graph.py's LAYERS" % package)
    for module in sorted(graph):
        for target in sorted(graph[module]):
            source, dest = group(module), group(target)
            if dest not in rank or source == dest:
                continue
            if source in rank and rank[dest] >= rank[source]:
                problems.append("%s imports %s: %s is not below %s" % (module, target, dest, source))
            if source not in rank and not module.startswith(PLUGIN_KINDS):
                problems.append("%s imports %s, but only modules, actions and filters sit above module_utils" % (module, target))
    for module in sorted(graph):
        if module.startswith(PLUGIN_KINDS) and any(t.startswith(PLUGIN_KINDS) for t in graph[module]):
            problems.append("%s imports another plugin" % module)
    cycle = _cycle(graph)
    if cycle:
        problems.append("import cycle: %s" % " -> ".join(cycle))
    return problems


def doc_table(graph):
    """The Markdown table of docs/architecture.md between the markers: each node and what it imports."""
    edges = package_edges(graph)
    modules = package_modules(graph)
    lines = [BEGIN, "", "| layer | package | its modules, top rank first (a module imports only ranks below it) "
             "| imports |", "|---|---|---|---|"]
    for level, package in reversed(list(enumerate(LAYERS))):
        targets = ", ".join("`%s`" % b for a, b in edges if a == package) or "nothing"
        ranks = " / ".join(" ".join(rank) for rank in reversed(modules.get(package, [])))
        lines.append("| %d | `%s` | %s | %s |" % (level, package, ranks, targets))
    plugins = sorted(set(a for a, _b in edges if a not in LAYERS))
    for plugin in plugins:
        targets = ", ".join("`%s`" % b for a, b in edges if a == plugin)
        lines.append("| plugin | `%s` | | %s |" % (plugin, targets))
    lines += ["", END]
    return "\n".join(lines)


def dot_source(graph):
    """Graphviz source of the picture: plugins on top, one box per package listing its modules by rank."""
    edges = package_edges(graph)
    modules = package_modules(graph)
    plugins = sorted(set(a for a, _b in edges if a not in LAYERS))
    out = ["digraph imports {", '  graph [rankdir=TB, nodesep=0.35, ranksep=0.55, fontname="Helvetica",'
           ' label="plugins/module_utils: arrows point down only (tools/import_graph.py)", labelloc=b, fontsize=11];',
           '  node [fontname="Helvetica", fontsize=11];', '  edge [color="#55606e", arrowsize=0.7];',
           '  { rank=same; %s }' % " ".join('"%s" [shape=ellipse, style=filled, fillcolor="#e8eef7"];' % p for p in plugins)]
    for package in reversed(LAYERS):
        lines = [rank[i:i + 5] for rank in reversed(modules.get(package, [])) for i in range(0, len(rank), 5)]
        listed = "\\n".join(" ".join(line) for line in lines)
        out.append('  "%s" [shape=box, style="rounded,filled", fillcolor="#f6f7f9", label="%s\\n%s"];'
                   % (package, package, listed))
    for a, b in edges:
        out.append('  "%s" -> "%s";' % (a, b))
    out.append("}")
    return "\n".join(out) + "\n"


def svg_edges(path):
    """(from, to) of every edge an SVG rendered by dot draws (each edge's <title> is "from->to")."""
    ns = "{http://www.w3.org/2000/svg}"
    edges = []
    for g in ET.parse(path).getroot().iter(ns + "g"):
        if g.get("class") == "edge":
            title = g.find(ns + "title").text
            a, _arrow, b = title.partition("->")
            edges.append((a, b))
    return sorted(edges)


def svg_nodes(path):
    """{node: its label text} of an SVG rendered by dot."""
    ns = "{http://www.w3.org/2000/svg}"
    nodes = {}
    for g in ET.parse(path).getroot().iter(ns + "g"):
        if g.get("class") == "node":
            nodes[g.find(ns + "title").text] = " ".join(t.text or "" for t in g.iter(ns + "text"))
    return nodes


def _doc_block(text):
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        return None
    return text[start:end + len(END)]


def docs_problems(graph, repo=REPO):
    """Where docs/architecture.md or docs/architecture.svg show other arrows than the code has."""
    problems = []
    with open(os.path.join(repo, DOC), encoding="utf-8") as f:
        block = _doc_block(f.read())
    if block is None:
        problems.append("%s has no import-graph markers" % DOC)
    elif block != doc_table(graph):
        problems.append("%s: the import-graph table differs from the code (run tools/import_graph.py --write)" % DOC)
    picture = os.path.join(repo, PICTURE)
    if not os.path.exists(picture):
        return problems + ["%s is missing (run tools/import_graph.py --write)" % PICTURE]
    drawn, actual = svg_edges(picture), package_edges(graph)
    for a, b in sorted(set(actual) - set(drawn)):
        problems.append("%s lacks the arrow %s -> %s (run tools/import_graph.py --write)" % (PICTURE, a, b))
    for a, b in sorted(set(drawn) - set(actual)):
        problems.append("%s draws %s -> %s, which the code no longer has (run tools/import_graph.py --write)"
                        % (PICTURE, a, b))
    nodes = svg_nodes(picture)
    for package, ranks in sorted(package_modules(graph).items()):
        listed = [module for rank in reversed(ranks) for module in rank]
        if nodes.get(package, "").split() != [package] + listed:
            problems.append("%s: box %s does not list %s, top rank first (run tools/import_graph.py --write)"
                            % (PICTURE, package, " ".join(listed)))
    return problems


def write_docs(graph, repo=REPO):
    path = os.path.join(repo, DOC)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    block = _doc_block(text)
    if block is None:
        raise SystemExit("%s: add the lines\n%s\n%s\nwhere the table belongs" % (DOC, BEGIN, END))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(block, doc_table(graph)))
    svg = subprocess.run(["dot", "-Tsvg"], input=dot_source(graph).encode("utf-8"), stdout=subprocess.PIPE,
                         check=True).stdout
    with open(os.path.join(repo, PICTURE), "wb") as f:
        f.write(svg)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail on upward imports, cycles and stale docs")
    parser.add_argument("--write", action="store_true", help="rewrite the docs' table and picture")
    args = parser.parse_args(argv)
    graph = read_graph()
    if args.write:
        write_docs(graph)
    if args.check:
        problems = layering_problems(graph) + docs_problems(graph)
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    if not args.write:
        for a, b in package_edges(graph):
            print("%s -> %s" % (a, b))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
