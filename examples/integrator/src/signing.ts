// The Paydesk gateway's signing recipe, as an integrator implements it.
//
// A request is signed over five lines, each ending in "\n": the method, the path
// with its query exactly as sent, the Unix time in seconds, a fresh nonce, and the
// body's raw bytes. The signature (Ed25519 here; RSA-SHA256 PKCS#1 v1.5 works too)
// goes in
//   Authorization: PAYDESK-SHA256 app_id=…,timestamp=…,nonce=…,signature=<base64>
// The platform signs its answers the same way with the status code in the
// method's place (header Paydesk-Signature: timestamp=…,nonce=…,signature=…),
// and its notifications with "POST" and the receiver's path and query.
import { createPublicKey, randomBytes, sign, verify, type KeyObject } from "node:crypto";

export function canonical(first: string, pathAndQuery: string, timestamp: number, nonce: string, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${first}\n${pathAndQuery}\n${timestamp}\n${nonce}\n`), body, Buffer.from("\n")]);
}

export function authorization(appId: string, key: KeyObject, method: string, pathAndQuery: string, body: Uint8Array): string {
  const timestamp = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(16).toString("hex");
  const message = canonical(method, pathAndQuery, timestamp, nonce, body);
  const algorithm = key.asymmetricKeyType === "rsa" ? "sha256" : null;
  const signature = sign(algorithm, message, key).toString("base64");
  return `PAYDESK-SHA256 app_id=${appId},timestamp=${timestamp},nonce=${nonce},signature=${signature}`;
}

/** The parts of a `Paydesk-Signature` header. */
export function parseSignatureHeader(value: string | null): { timestamp: number; nonce: string; signature: string } | null {
  if (!value) return null;
  const parts = new Map<string, string>();
  for (const part of value.split(",")) {
    const at = part.indexOf("=");
    if (at > 0) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const timestamp = Number(parts.get("timestamp"));
  const nonce = parts.get("nonce");
  const signature = parts.get("signature");
  if (!Number.isInteger(timestamp) || !nonce || !signature) return null;
  return { timestamp, nonce, signature };
}

/** True when `header` is the platform's signature over these bytes, made within five minutes. */
export function verifyPlatform(platformKey: KeyObject, header: string | null, first: string, pathAndQuery: string, body: Uint8Array): boolean {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  if (Math.abs(Date.now() / 1000 - parsed.timestamp) > 300) return false;
  const message = canonical(first, pathAndQuery, parsed.timestamp, parsed.nonce, body);
  return verify(null, message, platformKey, Buffer.from(parsed.signature, "base64"));
}

export function publicKey(pem: string): KeyObject {
  return createPublicKey(pem);
}
