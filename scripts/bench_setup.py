#!/usr/bin/env python3
"""Bench set-up against a running dev server with --demo: funds the demo merchant
with 1,000,000.00 through the sandbox bank and prints an applicant access token."""
import json
import os
import time
import urllib.request

BASE = os.environ["BASE"]


def call(method, path, body=None, token=None, raw=None, content_type="application/json"):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(BASE + path, method=method, data=data)
    req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        text = r.read().decode()
        return json.loads(text) if text.startswith(("{", "[")) else text


def login(operator, password):
    c = call("POST", "/api/v1/captchas", {})
    t = call("POST", "/api/v1/session", {"merchant": "demo@paydesk.test", "operator": operator, "password": password,
                                         "captcha_id": c["id"], "captcha_answer": c["dev_answer"]})
    return t["access_token"]


if __name__ == "__main__":
    admin = login("demo@paydesk.test", "Demo123!")
    order = call("POST", "/api/v1/recharges", {"amount": "1000000.00", "amount_confirm": "1000000.00", "bank": "ICBC"}, admin)
    urllib.request.urlopen(urllib.request.Request(BASE + order["pay_url"] + "/pay", method="POST", data=b""))
    for _ in range(100):
        if call("GET", "/api/v1/recharges/" + order["order_no"], token=admin)["status"] == "paid":
            break
        time.sleep(0.1)
    print(login("applicant", "Apply123!"))
