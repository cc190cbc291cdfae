#!/usr/bin/env python3
"""交易记录 over many trades (issue 13), against a running dev server with --demo.

Seeds COUNT gateway trades (default 1,000,000) of the demo merchant straight into
its database (DB_URL: postgres://… or a SQLite path) spread over the last 30 days
in every mode and state, then asks GET /api/v1/records as the demo admin RUNS
times each (default 50): the default page, each filter, a keyword, page 50. Prints
one line per query with p50 and p99 in milliseconds, and the worst p99 last.
"""
import json
import os
import random
import sqlite3
import subprocess
import time
import urllib.request

BASE = os.environ["BASE"]
DB_URL = os.environ["DB_URL"]
COUNT = int(os.environ.get("COUNT", "1000000"))
RUNS = int(os.environ.get("RUNS", "200"))
MERCHANT = 1
STATES = ["pending", "paid", "completed", "settled", "settled", "settled", "closed"]


def seed_postgres():
    sql = f"""
    INSERT INTO trades (trade_no, merchant_id, merchant_order_no, subject, amount, fee, product, mode, status,
                        created_at, expires_at)
    SELECT 'B' || lpad(i::text, 20, '0'), {MERCHANT}, 'BM' || i, '压测商品', 100 + i % 10000, i % 60,
           CASE WHEN i % 3 = 0 THEN 'acquiring_guaranteed' ELSE 'acquiring_instant' END,
           CASE WHEN i % 3 = 0 THEN 'guaranteed' ELSE 'instant' END,
           (ARRAY{STATES!r})[1 + i % {len(STATES)}],
           now() AT TIME ZONE 'UTC' - (i % 2592000) * interval '1 second',
           now() AT TIME ZONE 'UTC' + interval '3650 days'
    FROM generate_series(1, {COUNT}) AS i;
    """
    subprocess.run(["psql", "-q", DB_URL, "-c", sql], check=True)
    subprocess.run(["psql", "-q", DB_URL, "-c", "VACUUM ANALYZE trades"], check=True)


def seed_sqlite():
    db = sqlite3.connect(DB_URL, timeout=60)
    now = time.time()

    def rows():
        for i in range(1, COUNT + 1):
            created = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now - i % 2592000))
            guaranteed = i % 3 == 0
            yield (f"B{i:020d}", MERCHANT, f"BM{i}", "压测商品", 100 + i % 10000, i % 60,
                   "acquiring_guaranteed" if guaranteed else "acquiring_instant",
                   "guaranteed" if guaranteed else "instant", STATES[i % len(STATES)], created,
                   time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now + 3650 * 86400)))

    db.executemany(
        "INSERT INTO trades (trade_no, merchant_id, merchant_order_no, subject, amount, fee, product, mode, status, "
        "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    db.commit()
    db.execute("ANALYZE")
    db.close()


def call(path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, method="POST" if body is not None else "GET", data=data)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read().decode())


def login():
    c = call("/api/v1/captchas", body={})
    t = call("/api/v1/session", body={"merchant": "demo@paydesk.test", "operator": "demo@paydesk.test",
                                      "password": "Demo123!", "captcha_id": c["id"], "captcha_answer": c["dev_answer"]})
    return t["access_token"]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


if __name__ == "__main__":
    started = time.time()
    seed_postgres() if DB_URL.startswith("postgres") else seed_sqlite()
    seeded = time.time() - started
    token = login()
    keyword = f"BM{random.randint(1, COUNT)}"
    queries = [
        ("default page", ""),
        ("status settled", "?status=settled"),
        ("trade type guaranteed", "?trade_type=guaranteed"),
        ("type + status", "?trade_type=instant&status=pending"),
        ("keyword (merchant order no)", f"?q={keyword}"),
        ("keyword (trade no)", f"?q=B{random.randint(1, COUNT):020d}"),
        ("page 50", "?page=50"),
        ("refunds", "?type=refund"),
    ]
    worst = 0.0
    for name, query in queries:
        times = []
        call("/api/v1/records" + query, token)  # warm: the first read of a new plan
        for _ in range(RUNS):
            t0 = time.perf_counter()
            page = call("/api/v1/records" + query, token)
            times.append((time.perf_counter() - t0) * 1000)
        if "keyword" in name:
            assert page["total"] == 1, (name, page["total"])
        p50, p99 = percentile(times, 50), percentile(times, 99)
        worst = max(worst, p99)
        print(f"  {name:<28} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  ({page['total']}{'+' if page['capped'] else ''} rows)")
    print(f"  seeded {COUNT} trades in {seeded:.0f} s; worst p99 {worst:.1f} ms")
