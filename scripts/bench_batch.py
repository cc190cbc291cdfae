#!/usr/bin/env python3
"""Batch figures against a running dev server with --demo (funded by bench_setup.py):
the check of a 999-row xlsx (upload, parse, every row's rules, numbers), and the
approval of a 999-line platform-account batch until every line is posted (one
request; the lines are paid in its transaction). Prints milliseconds: the best
of RUNS checks (each its own file), and one approval."""
import os
import re
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from bench_setup import call, login  # noqa: E402

RUNS = int(os.environ.get("RUNS", "3"))
WORK = os.environ["WORK"]


def multipart(path, name):
    boundary = uuid.uuid4().hex
    with open(path, "rb") as f:
        content = f.read()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def sms_code(token, phone):
    before = len(call("GET", f"/api/v1/dev/outbox?recipient={phone}"))
    time.sleep(1.1)
    call("POST", "/api/v1/sms-codes", {"purpose": "fund_operation"}, token)
    for _ in range(50):
        mails = call("GET", f"/api/v1/dev/outbox?recipient={phone}")
        if len(mails) > before:
            return re.search(r"\d{6}", mails[0]["body"]).group(0)
        time.sleep(0.1)
    raise SystemExit("no SMS code arrived")


applicant = login("applicant", "Apply123!")
auditor = login("auditor", "Audit123!")
checks, files = [], []
for run in range(RUNS):
    batch_no = f"BENCH{run}{uuid.uuid4().hex[:8].upper()}"
    path = os.path.join(WORK, f"{batch_no}.xlsx")
    subprocess.run(["target/release/examples/batch_file", path, "999", "shop@paydesk.test", batch_no], check=True)
    body, ctype = multipart(path, "bench.xlsx")
    started = time.perf_counter()
    check = call("POST", "/api/v1/batches/checks?kind=platform_transfer", token=applicant, raw=body, content_type=ctype)
    checks.append((time.perf_counter() - started) * 1000)
    assert not check["problems"], check["problems"][:3]
    files.append(check["file_id"])
# One approval: the auditor's SMS codes come a minute apart.
held = call("POST", "/api/v1/batches", {"kind": "platform_transfer", "file_id": files[0],
                                        "payment_password": "Pay123456!"}, applicant)
code = sms_code(auditor, "13700137000")
started = time.perf_counter()
out = call("POST", "/api/v1/reviews", {"application_ids": [held["id"]], "decision": "approve",
                                      "payment_password": "Pay123456!", "sms_code": code}, auditor)
approval = (time.perf_counter() - started) * 1000
assert out["results"][0]["status"] == "succeeded", out
print(f"{min(checks):.0f} {approval:.0f}")
