"""The tamper attacks of issue 13 on a real ledger file (docs/security.md, "Ledger
tamper evidence").

An attacker with write access to the file and full knowledge of the format uses
sqlite3 (Python's stdlib module, as the sqlite3 shell would) to drop the triggers,
delete a candidate's last event, delete a whole candidate, delete a middle event, or
flip a `validated` — and then rewrites everything that depends on it as certigraph
itself would: ids renumbered without gaps, payloads' ids and seqs, every chain hash
and chain head, the Merkle leaves and the stored frontier, the recordings' counts,
and the triggers recreated word for word. The file alone then looks
intact (`ledger verify` without a checkpoint passes: that is the documented limit);
`ledger verify --checkpoint` must fail for every attack, and `award --checkpoint`
must refuse.

    tamper.py CLI WORK REFERENTIEL POLICY EVALUATIONS EVIDENCE

Needs only the Python standard library and the `openssl` command (to make the key).
"""
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys

CLI, WORK, REF, POLICY, EVALUATIONS, EVIDENCE = sys.argv[1:7]


def run(*args, expect):
    done = subprocess.run([CLI, *args], capture_output=True, text=True)
    out = done.stdout + done.stderr
    if done.returncode != expect:
        sys.exit(f"{' '.join(args)}: exit {done.returncode}, expected {expect}\n{out}")
    return out


def sha256(data):
    return hashlib.sha256(data).digest()


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def merkle_frontier(leaves):
    """RFC 9162 compact range of the leaves: (size, subtree roots largest first)."""
    nodes = []
    for size, leaf in enumerate(leaves):
        carry = leaf
        s = size
        while s & 1:
            carry = sha256(b"\x01" + nodes.pop() + carry)
            s >>= 1
        nodes.append(carry)
    return len(leaves).to_bytes(8, "big") + b"".join(nodes)


KIND_CODES = ["bloc_result", "vae_decision", "bloc_credit", "jury_decision", "language_certificate",
              "mobility_period", "work_period", "attribute", "path_start", "delivery_exception",
              "certification_decision", "correction"]


def typed_record(kind, day, bloc, outcome, name, value, framework, third_party, start_day, end_day):
    """Schema 5's packed typed record (docs/ledger.md, "Schema")."""
    flags = ((bloc is not None) | (outcome is not None) << 1 | (name is not None) << 2 |
             (third_party is not None) << 3 | (start_day is not None) << 4 | (end_day is not None) << 5)
    out = bytes([KIND_CODES.index(kind) + 1, flags]) + day.to_bytes(4, "little", signed=True)
    for small in (outcome, third_party):
        if small is not None:
            out += bytes([small])
    for number in (start_day, end_day):
        if number is not None:
            out += number.to_bytes(4, "little", signed=True)
    for text in (bloc, name, value, framework):
        if text is not None:
            data = text.encode()
            out += len(data).to_bytes(4, "little") + data
    return out


def typed_columns(event):
    """Schema 4's columns: name, value, framework, third_party, start_day, end_day."""
    kind, body = event["kind"], event["body"]
    day = lambda text: (datetime.date.fromisoformat(text) - datetime.date(1970, 1, 1)).days  # noqa: E731
    if kind == "attribute":
        return body["name"], body["value"], None, None, None, None
    if kind == "language_certificate":
        return (body["language"], body["level"], body["framework"], int(body["third_party"]), day(body["issued"]),
                None)
    if kind in ("mobility_period", "work_period"):
        return None, None, None, None, day(body["start"]), day(body["end"])
    return None, None, None, None, None, None


def rewrite_consistently(db, triggers):
    """What a knowledgeable attacker does after an edit: everything recomputed, and
    the `triggers` (name, sql) of an untouched ledger recreated."""
    con = sqlite3.connect(db)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    rows = con.execute("SELECT id, candidate, payload, recording FROM events ORDER BY id").fetchall()
    con.execute("DELETE FROM events")
    heads, leaves, counts = {}, [], {}
    for new_id, (_, candidate, payload, recording) in enumerate(rows, start=1):
        event = json.loads(payload)
        seq, prev = heads.get(candidate, (0, bytes(32)))
        seq += 1
        event["id"], event["seq"] = new_id, seq
        text = canonical(event)
        digest = sha256(prev + text.encode())
        leaf = sha256(b"\x00" + text.encode())
        leaves.append(leaf)
        body = event["body"]
        bloc = body.get("bloc") if event["kind"] in ("bloc_result", "jury_decision", "bloc_credit") else None
        outcome = (1 if event["kind"] == "bloc_credit" else int(body["validated"])) if bloc is not None else None
        if event["kind"] == "certification_decision":
            outcome = int(body["awarded"])
        day = (datetime.date.fromisoformat(event["date"]) - datetime.date(1970, 1, 1)).days
        columns = typed_columns(event)
        con.execute(
            "INSERT INTO events (id, candidate, seq, kind, date, day, route, session, bloc, outcome, name, value,"
            " framework, third_party, start_day, end_day, recording, typed, payload, hash, leaf)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_id, candidate, seq, event["kind"], event["date"], day, event["route"], event["session"], bloc,
             outcome) + columns + (recording, typed_record(event["kind"], day, bloc, outcome, *columns), text,
                                   digest, leaf))
        heads[candidate] = (seq, digest)
        counts.setdefault(recording, [new_id, 0])[1] += 1
    con.execute("DELETE FROM chain_heads")
    for candidate, (seq, digest) in heads.items():
        con.execute("INSERT INTO chain_heads VALUES (?, ?, ?)", (candidate, seq, digest))
    for recording, (first, n) in counts.items():
        con.execute("UPDATE recordings SET first_event = ?, events = ? WHERE id = ?", (first, n, recording))
    con.execute("UPDATE ledger SET tree_size = ?, frontier = ?", (len(leaves), merkle_frontier(leaves)))
    for _, sql in triggers:
        con.execute(sql)
    con.commit()
    con.close()


def unprotected(db):
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER events_append_only_update")
    con.execute("DROP TRIGGER events_append_only_delete")
    return con


def attack_delete_last(db):
    con = unprotected(db)
    con.execute("DELETE FROM events WHERE id = (SELECT max(id) FROM events WHERE candidate = 'C002')")
    con.commit()
    con.close()


def attack_delete_candidate(db):
    con = unprotected(db)
    con.execute("DELETE FROM events WHERE candidate = 'C005'")
    con.commit()
    con.close()


def attack_delete_middle(db):
    con = unprotected(db)
    con.execute("DELETE FROM events WHERE candidate = 'C003' AND seq = 2")
    con.commit()
    con.close()


def attack_flip_validated(db):
    con = unprotected(db)
    (row, payload), = con.execute(
        "SELECT id, payload FROM events WHERE kind = 'bloc_result' AND outcome = 0 ORDER BY id LIMIT 1").fetchall()
    event = json.loads(payload)
    event["body"]["validated"] = True
    con.execute("UPDATE events SET payload = ?, outcome = 1 WHERE id = ?", (canonical(event), row))
    con.commit()
    con.close()


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    db, key, pub, cp = (os.path.join(WORK, name) for name in ("ledger.db", "key.pem", "pub.pem", "ledger.cp"))
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key], check=True)
    subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-out", pub], check=True)
    grades = os.path.join(WORK, "grades.csv")
    run("grade", "--referentiel", REF, "--policy", POLICY, "--evaluations", EVALUATIONS, "--out", grades, expect=0)
    run("ledger", "init", db, expect=0)
    run("ledger", "record", db, "--from-grades", grades, "--session", "2026-06", "--date", "2026-06-26",
        "--referentiel", REF, "--policy", POLICY, expect=0)
    run("ledger", "import", db, EVIDENCE, expect=0)
    run("ledger", "checkpoint", db, "--key", key, "--out", cp, expect=0)
    run("ledger", "verify", db, "--checkpoint", cp, "--pubkey", pub, expect=0)
    pristine = os.path.join(WORK, "pristine.db")
    shutil.copy(db, pristine)
    con = sqlite3.connect(pristine)
    triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    con.close()

    # Only the triggers dropped: the file alone shows it.
    victim = os.path.join(WORK, "triggers.db")
    shutil.copy(pristine, victim)
    unprotected(victim).close()
    out = run("ledger", "verify", victim, expect=1)
    assert "trigger events_append_only_update is missing" in out, out
    run("ledger", "verify", victim, "--checkpoint", cp, "--pubkey", pub, expect=1)

    attacks = {
        "delete-last": (attack_delete_last, "the checkpoint covers 72 events, the ledger holds 71"),
        "delete-candidate": (attack_delete_candidate, "the ledger holds"),
        "delete-middle": (attack_delete_middle, "the checkpoint covers 72 events, the ledger holds 71"),
        "flip-validated": (attack_flip_validated, "do not have the checkpoint's Merkle root"),
    }
    for name, (attack, says) in attacks.items():
        victim = os.path.join(WORK, name + ".db")
        shutil.copy(pristine, victim)
        attack(victim)
        # Half-done: the file alone shows it, and nothing is decided from it.
        run("ledger", "verify", victim, expect=1)
        out = run("eligibility", victim, "--referentiel", REF, "--as-of", "2026-07-01", expect=1)
        assert "fails verification" in out and "--no-verify" in out, out
        out = run("eligibility", victim, "--referentiel", REF, "--as-of", "2026-07-01", "--no-verify", expect=0)
        assert out.startswith("warning: --no-verify:") and " candidates: " in out, out
        rewrite_consistently(victim, triggers)
        # Done thoroughly: the file alone cannot show it (the documented limit) ...
        out = run("ledger", "verify", victim, expect=0)
        assert "every hash chain intact (no checkpoint given" in out, out
        # ... the checkpoint does, and no award rests on the altered ledger.
        out = run("ledger", "verify", victim, "--checkpoint", cp, "--pubkey", pub, expect=1)
        assert says in out, f"{name}: expected '{says}' in\n{out}"
        out = run("award", victim, "--referentiel", REF, "--as-of", "2026-07-01", "--checkpoint", cp,
                  "--pubkey", pub, "--out", os.path.join(WORK, name + "-awards"), expect=1)
        assert "no award written" in out, out
        print(f"{name}: detected by the checkpoint")

    # A ledger that grew after its checkpoint still verifies against it.
    more = os.path.join(WORK, "more.jsonl")
    with open(more, "w") as f:
        f.write(json.dumps({"body": {"name": "nationality", "value": "FR"}, "candidate": "C009",
                            "date": "2026-07-02", "kind": "attribute",
                            "referentiel": {"content_hash": "h", "fiche": "RNCP40514"}, "route": "exam"}) + "\n")
    run("ledger", "import", pristine, more, expect=0)
    out = run("ledger", "verify", pristine, "--checkpoint", cp, "--pubkey", pub, expect=0)
    assert "the first 72 events are exactly those of the checkpoint" in out, out
    out = run("award", pristine, "--referentiel", REF, "--as-of", "2026-07-01", "--checkpoint", cp,
              "--pubkey", pub, "--out", os.path.join(WORK, "awards"), expect=0)
    record = open(os.path.join(WORK, "awards", "awards", "C001.json")).read()
    assert '"checkpoint": "certigraph.ledger/' in record and " 72 " in record, record
    print("every tamper detected by verify --checkpoint")


main()
