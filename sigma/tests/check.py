#!/usr/bin/env python3
"""Offline checks of the exported Sigma rules (issue 15), run by .ci/run in a virtual
environment with pySigma and its backends:

1. every rule converts without error to Splunk SPL, Elasticsearch Lucene and ES|QL, Grafana
   Loki LogQL and SQLite, each with its field-mapping pipeline; the whole set, fleet
   correlation rules included, converts to SPL, ES|QL, LogQL and SQLite (Lucene has no
   correlations);
2. the SQLite queries, run over a table of every example line of the knowledge base (with
   `message_id` parsed out as an ingest would), match each rule's own examples and no line
   of another entry (nor of a healthy, informational message); a fleet group's rule matches
   exactly its members' lines;
3. each correlation rule, run by SQLite over timed events of its group's messages, fires on
   its threshold within its time span and not one event (or one peer) short of it, nor when
   the events are spread over more than the span.

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
    """Each YAML document by its rule's `name` (else its file's stem), as text: parsed afresh
    for each conversion, since a pipeline changes the rules it processes. A fleet file holds a
    group's rule and the correlation rules on it."""
    docs = {}
    for p in sorted(rules_dir.glob("*.yml")):
        for doc in p.read_text().split("\n---\n"):
            m = re.search(r"^name: (\S+)", doc, re.M)
            docs[m.group(1) if m else p.stem] = doc if doc.endswith("\n") else doc + "\n"
    return docs


failures = []
rules = load_rules()
files = [p.read_text() for p in sorted(rules_dir.glob("*.yml"))]
if not rules:
    sys.exit(f"no rules in {rules_dir}")

def is_correlation(text):
    return re.search(r"^correlation:", text, re.M) is not None


# 1. Conversions, rule by rule (a correlation needs its group: converted with the set below).
targets = [
    ("Splunk SPL", SplunkBackend, "splunk-cisco-asa.yml"),
    ("Elasticsearch Lucene", LuceneBackend, "ecs.yml"),
    ("Elasticsearch ES|QL", ESQLBackend, "ecs.yml"),
    ("Grafana Loki LogQL", LogQLBackend, "raw-syslog.yml"),
]
for label, backend, pipe in targets:
    converted = 0
    for name, text in rules.items():
        if is_correlation(text):
            continue
        try:
            collection = SigmaCollection.from_yaml(text)
            queries = backend(processing_pipeline=pipeline(pipe)).convert(collection)
            if not queries or not all(str(q).strip() for q in queries):
                failures.append(f"{label}: {name}: empty query")
            converted += 1
        except Exception as e:  # every error is a failure, with its rule
            failures.append(f"{label}: {name}: {type(e).__name__}: {e}")
    print(f"{label}: {converted} rules converted one by one")

# The whole set: every error rule and every correlation is a query; a group's rule, used by
# correlations only, is none of its own.
whole = "---\n".join(files)
correlations = [n for n, t in rules.items() if is_correlation(t)]
expected_queries = len([n for n in rules if n.startswith("err-")]) + len(correlations)
for label, backend, pipe in targets + [("SQLite", sqliteBackend, "raw-syslog.yml")]:
    if backend is LuceneBackend:
        continue
    try:
        queries = backend(processing_pipeline=pipeline(pipe)).convert(SigmaCollection.from_yaml(whole))
        if len(queries) != expected_queries:
            failures.append(f"{label}: the set gave {len(queries)} queries, not {expected_queries}")
        else:
            print(f"{label}: the whole set, {len(correlations)} correlations included: {len(queries)} queries")
    except Exception as e:
        failures.append(f"{label}: the whole set: {type(e).__name__}: {e}")

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


def members(text):
    """The error entries of a fleet group's rule, from its selections' names
    (`selection_main_mode_failed_1` is `err-main-mode-failed`)."""
    found = set()
    for m in re.finditer(r"^    selection_([a-z0-9_]+?)_\d+(?:_text)?:", text, re.M):
        found.add("err-" + m.group(1).replace("_", "-"))
    return found


def sql_of(text):
    [query] = sqlite.convert(SigmaCollection.from_yaml(text))
    return str(query).replace("<TABLE_NAME>", "logs").replace("SELECT *", "SELECT id, owner, message", 1)


error_ids = {e["id"] for e in errors}
groups = {n: members(t) for n, t in rules.items() if n.startswith("fleet-") and not is_correlation(t)}
for name, owners in [(e["id"], {e["id"]}) for e in errors] + sorted(groups.items()):
    text = rules.get(name)
    if text is None:
        failures.append(f"sqlite: no rule for {name}")
        continue
    if not owners <= error_ids:
        failures.append(f"sqlite: {name} names no error entry: {sorted(owners - error_ids)}")
    try:
        sql = sql_of(text)
    except Exception as ex:
        failures.append(f"sqlite: {name}: {type(ex).__name__}: {ex}")
        continue
    hits = db.execute(sql).fetchall()
    hit_ids = {h[0] for h in hits}
    for (owner, example), ids in own_lines.items():
        if owner in owners and ids and not hit_ids.intersection(ids):
            failures.append(f"sqlite: {name} misses an example of {owner}: {example[:100]!r}")
    for _, owner, message in hits:
        if owner not in owners:
            failures.append(f"sqlite: {name} matches a line of {owner}: {message[:100]!r}")

# 3. The correlations, over timed events: the group's example lines, from one gateway.
corr_checked = 0
for name in correlations:
    text = rules[name]
    group = re.search(r"^    rules:\n        - (\S+)", text, re.M).group(1)
    threshold = int(re.search(r"^        gte: (\d+)", text, re.M).group(1))
    minutes = int(re.search(r"^    timespan: (\d+)m", text, re.M).group(1))
    distinct = re.search(r"^        field: (\S+)", text, re.M) is not None
    lines = [m for (owner, _), ids in own_lines.items() if owner in groups.get(group, set())
             for (m,) in db.execute(f"SELECT message FROM logs WHERE id IN ({','.join(map(str, ids))})")]
    if not lines:
        failures.append(f"sqlite: {name}: no example line of group {group}")
        continue
    try:
        [query] = sqlite.convert(SigmaCollection.from_yaml(rules[group] + "\n---\n" + text))
    except Exception as ex:
        failures.append(f"sqlite: {name}: {type(ex).__name__}: {ex}")
        continue

    def fires(events):
        ev = sqlite3.connect(":memory:")
        ev.create_function("REGEXP", 2, lambda p, v: v is not None and re.search(p, v) is not None)
        ev.execute("CREATE TABLE logs (timestamp TEXT, host TEXT, peer TEXT, message TEXT, message_id INTEGER)")
        for i, (seconds, peer) in enumerate(events):
            line = lines[i % len(lines)]
            m = number.search(line)
            ev.execute(
                "INSERT INTO logs VALUES (?, 'gw1', ?, ?, ?)",
                (f"2026-12-02 10:{seconds // 60:02d}:{seconds % 60:02d}", peer, line,
                 int(m.group(1)) if m else None),
            )
        return len(ev.execute(str(query).replace("<TABLE_NAME>", "logs")).fetchall()) > 0

    step = minutes * 60 // (threshold + 1)
    spread = minutes * 60 * 2 // max(threshold - 1, 1)
    if distinct:
        at, short = [(i * step, f"198.51.100.{i + 1}") for i in range(threshold)], None
        short = at[:-1] + [(at[-1][0], at[0][1])]
        apart = [(i * spread, f"198.51.100.{i + 1}") for i in range(threshold)]
    else:
        at = [(i * step, "198.51.100.7") for i in range(threshold)]
        short = at[:-1] + [(at[-1][0], "198.51.100.8")]
        apart = [(i * spread, "198.51.100.7") for i in range(threshold)]
    if not fires(at):
        failures.append(f"sqlite: {name} does not fire on {threshold} events in {minutes} minutes")
    if fires(short):
        failures.append(f"sqlite: {name} fires one {'peer' if distinct else 'event'} short of {threshold}")
    if fires(apart):
        failures.append(f"sqlite: {name} fires on {threshold} events spread over {2 * minutes} minutes")
    corr_checked += 1
print(f"SQLite: {corr_checked} correlation rules fired on their threshold and not below it")
if multi_line:
    print(f"multi-line examples, no single log event (not checked): {sorted(set(multi_line))}")
print(f"SQLite: {len(errors)} rules run over {db.execute('SELECT COUNT(*) FROM logs').fetchone()[0]} example lines")

if failures:
    print(f"{len(failures)} failures:")
    for f in failures:
        print("  " + f)
    sys.exit(1)
print("all Sigma checks passed")
