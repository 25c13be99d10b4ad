#!/usr/bin/env python3
"""Offline checks of the exported Sigma rules (issue 15), run by .ci/run in a virtual
environment with pySigma and its backends:

1. every rule converts without error to Splunk SPL, Elasticsearch Lucene and ES|QL, Grafana
   Loki LogQL and SQLite, each with its field-mapping pipeline;
2. the SQLite queries, run over a table of every example line of the knowledge base (with
   `message_id` parsed out as an ingest would), match each rule's own examples and no line
   of another entry (nor of a healthy, informational message).

Usage: check.py RULES_DIR KB_DIR
"""
import re
import sqlite3
import sys
from pathlib import Path

import yaml
from sigma.backends.elasticsearch import ESQLBackend, LuceneBackend
from sigma.backends.loki import LogQLBackend
from sigma.backends.splunk import SplunkBackend
from sigma.backends.sqlite import sqliteBackend
from sigma.collection import SigmaCollection
from sigma.processing.pipeline import ProcessingPipeline

ROOT = Path(__file__).resolve().parent.parent
rules_dir, kb_dir = Path(sys.argv[1]), Path(sys.argv[2])


def pipeline(name):
    return ProcessingPipeline.from_yaml((ROOT / "pipelines" / name).read_text())


def load_rules():
    # Texts, parsed afresh for each conversion: a pipeline changes the rules it processes.
    return {p.stem: p.read_text() for p in sorted(rules_dir.glob("*.yml"))}


failures = []
rules = load_rules()
if not rules:
    sys.exit(f"no rules in {rules_dir}")

# 1. Conversions.
targets = [
    ("Splunk SPL", SplunkBackend, "splunk-cisco-asa.yml"),
    ("Elasticsearch Lucene", LuceneBackend, "ecs.yml"),
    ("Elasticsearch ES|QL", ESQLBackend, "ecs.yml"),
    ("Grafana Loki LogQL", LogQLBackend, "raw-syslog.yml"),
]
for label, backend, pipe in targets:
    converted = 0
    for name, text in rules.items():
        try:
            collection = SigmaCollection.from_yaml(text)
            queries = backend(processing_pipeline=pipeline(pipe)).convert(collection)
            if not queries or not all(str(q).strip() for q in queries):
                failures.append(f"{label}: {name}: empty query")
            converted += 1
        except Exception as e:  # every error is a failure, with its rule
            failures.append(f"{label}: {name}: {type(e).__name__}: {e}")
    print(f"{label}: {converted}/{len(rules)} rules converted")

# 2. The SQLite match test over the knowledge base's example lines.
def entries(file, key):
    data = yaml.safe_load((kb_dir / file).read_text()) or {}
    return data.get(key, [])

errors = entries("errors.yaml", "errors")
healthy = entries("informational.yaml", "informational")
db = sqlite3.connect(":memory:")
db.create_function(
    "REGEXP", 2, lambda pattern, value: value is not None and re.search(pattern, value) is not None
)
db.execute("CREATE TABLE logs (id INTEGER PRIMARY KEY, owner TEXT, message TEXT, message_id INTEGER)")
own_lines = {}
multi_line = []
number = re.compile(r"%(?:ASA|FTD|PIX)-\d-(\d{6})\b")
for entry in errors + healthy:
    signatures = [re.compile(s) for s in entry.get("signatures", [])]
    for example in entry.get("examples", []):
        lines = [l for l in example["text"].splitlines() if l.strip()]
        # A debug excerpt carries context lines: the entry's own are those its signatures
        # match. An excerpt that only its lines joined match is no single event: a rule on
        # one log line cannot see it (the search and diagnose commands read it whole).
        mine = [l for l in lines if any(s.search(l) for s in signatures)]
        if not mine and len(lines) > 1:
            multi_line.append(entry["id"])
        for line in lines:
            if line not in mine:
                continue
            m = number.search(line)
            cur = db.execute(
                "INSERT INTO logs (owner, message, message_id) VALUES (?, ?, ?)",
                (entry["id"], line, int(m.group(1)) if m else None),
            )
            own_lines.setdefault((entry["id"], example["text"]), []).append(cur.lastrowid)

sqlite = sqliteBackend(processing_pipeline=pipeline("raw-syslog.yml"))
for e in errors:
    name = e["id"]
    text = rules.get(name)
    if text is None:
        failures.append(f"sqlite: no rule for {name}")
        continue
    try:
        [query] = sqlite.convert(SigmaCollection.from_yaml(text))
    except Exception as ex:
        failures.append(f"sqlite: {name}: {type(ex).__name__}: {ex}")
        continue
    sql = str(query).replace("<TABLE_NAME>", "logs").replace("SELECT *", "SELECT id, owner, message", 1)
    hits = db.execute(sql).fetchall()
    hit_ids = {h[0] for h in hits}
    for example in e.get("examples", []):
        ids = own_lines.get((name, example["text"]), [])
        if ids and not hit_ids.intersection(ids):
            failures.append(f"sqlite: {name} misses its example: {example['text'][:100]!r}")
    for _, owner, message in hits:
        if owner != name:
            failures.append(f"sqlite: {name} matches a line of {owner}: {message[:100]!r}")
if multi_line:
    print(f"multi-line examples, no single log event (not checked): {sorted(set(multi_line))}")
print(f"SQLite: {len(errors)} rules run over {db.execute('SELECT COUNT(*) FROM logs').fetchone()[0]} example lines")

if failures:
    print(f"{len(failures)} failures:")
    for f in failures:
        print("  " + f)
    sys.exit(1)
print("all Sigma checks passed")
