#!/usr/bin/env python3
"""The source tree's layout rules, checked.

usage: check_layout.py ROOT DIR...

Over the C sources under each DIR (relative to ROOT; #include "x" is
resolved against the including file's folder, then every DIR, then
ROOT/include):
  1. no include cycle between files;
  2. no include cycle between modules (a folder's x.c, x.h and x.S are
     module x): a header must not need a header that needs it back;
  3. no cycle between folders (what depends on what reads one way);
  4. no header name twice: an #include "name" can only mean one file.
Prints what it checked and every violation; exit 1 on any.
"""
import os
import re
import sys
from collections import defaultdict


def sources(root, dirs):
    out = []
    for d in dirs:
        for top, subs, names in os.walk(os.path.join(root, d)):
            subs[:] = sorted(s for s in subs if s != 'empty')
            out += [os.path.join(top, n) for n in sorted(names)
                    if n.endswith(('.c', '.h', '.S'))]
    return out


def include_edges(root, dirs, files):
    search = [os.path.join(root, d) for d in dirs] + [os.path.join(root, 'include')]
    known = set(files)
    edges = defaultdict(set)
    for f in files:
        for name in re.findall(r'^\s*#\s*include\s+"([^"]+)"', open(f).read(), re.M):
            for d in [os.path.dirname(f)] + search:
                p = os.path.normpath(os.path.join(d, name))
                if os.path.exists(p):
                    if p in known:
                        edges[f].add(p)
                    break
    return edges


def cycles(nodes, adj):
    """Tarjan: the strongly connected components that are cycles."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(adj.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in adj.get(v, ()):
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def collapse(edges, key):
    out = defaultdict(set)
    for a, bs in edges.items():
        for b in bs:
            if key(a) != key(b):
                out[key(a)].add(key(b))
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    root, dirs = sys.argv[1], sys.argv[2:]
    files = sources(root, dirs)
    rel = lambda p: os.path.relpath(p, root)
    edges = include_edges(root, dirs, files)
    module = lambda p: os.path.splitext(p)[0]
    folder = os.path.dirname
    bad = 0
    for title, key in (('file', lambda p: p), ('module', module), ('folder', folder)):
        adj = collapse(edges, key) if title != 'file' else edges
        found = cycles({key(f) for f in files}, adj)
        print(f'{title} include cycles: {len(found)}')
        for c in found:
            print('  ' + ' <-> '.join(rel(x) for x in c))
        bad += len(found)
    names = defaultdict(list)
    for f in files + sources(root, ['include']):
        if f.endswith('.h') and f not in names[os.path.basename(f)]:
            names[os.path.basename(f)].append(f)
    twice = {n: fs for n, fs in names.items() if len(fs) > 1}
    print(f'header names used twice: {len(twice)}')
    for n, fs in sorted(twice.items()):
        print(f'  {n}: ' + ', '.join(rel(f) for f in fs))
    bad += len(twice)
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
