"""Times Debian's python3-textfsm over the TextFSM corpus, in-process (start-up excluded).

usage: textfsm_ref.py <corpus_dir> <iterations>
Prints JSON: {"cases": n, "iterations": k, "index_ms": [...], "precompiled_ms": [...]}.
"""
import json
import os
import sys
import time

from textfsm import clitable, parser


def main():
    corpus, iterations = sys.argv[1], int(sys.argv[2])
    templates = os.path.join(corpus, 'templates')
    with open(os.path.join(corpus, 'manifest.json')) as f:
        manifest = json.load(f)
    cases = []
    for c in manifest:
        with open(os.path.join(corpus, c['case'] + '.raw'), encoding='utf-8') as f:
            cases.append((c, f.read()))

    table = clitable.CliTable('index', templates)
    fsms = {}
    for c, _ in cases:
        name = c['templates'][0]
        if name not in fsms:
            with open(os.path.join(templates, name)) as f:
                fsms[name] = parser.TextFSM(f)

    def run_index():
        for c, raw in cases:
            table.ParseCmd(raw, {'Command': c['command'], 'Platform': c['platform']})

    def run_precompiled():
        for c, raw in cases:
            fsm = fsms[c['templates'][0]]
            fsm.Reset()
            fsm.ParseText(raw)

    run_index()
    run_precompiled()
    out = {'cases': len(cases), 'iterations': iterations, 'index_ms': [], 'precompiled_ms': []}
    for _ in range(iterations):
        t0 = time.perf_counter()
        run_index()
        out['index_ms'].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        run_precompiled()
        out['precompiled_ms'].append((time.perf_counter() - t0) * 1000)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
