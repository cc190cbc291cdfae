//! The integrator gateway's signing rules (docs/architecture.md, DESIGN.md
//! "Acquiring and the integrator gateway"): what a signature covers, how the
//! `Authorization` header reads, and which timestamps and nonces are accepted.
//! The key arithmetic (RSA, Ed25519) sits with the server; this module decides
//! *what* is signed, so client and server can't disagree on it.
//!
//! A request is signed over five lines, each ending in `\n`:
//!
//! ```text
//! POST
//! /api/v1/gateway/trades?x=1
//! 1764576000
//! 3f1c0a9e6b2d4c8e
//! {"merchant_order_no":"A1",...}
//! ```
//!
//! — the method, the path with its query exactly as sent, the Unix time in
//! seconds, the nonce, and the body's raw bytes (never re-serialised: a client
//! signs what it sends, the server verifies what it received). The header is
//! `Authorization: PAYDESK-SHA256 app_id=…,timestamp=…,nonce=…,signature=…`
//! with the signature in base64.

/// The scheme name in the `Authorization` header.
pub const SCHEME: &str = "PAYDESK-SHA256";

/// How far a request's timestamp may be from the server's clock: ±5 minutes.
pub const SKEW_SECS: i64 = 5 * 60;

/// A nonce's length in characters, and what it may hold.
pub const NONCE_CHARS: (usize, usize) = (16, 64);

/// The bytes a signature covers.
pub fn canonical(method: &str, path_and_query: &str, timestamp: i64, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(method.len() + path_and_query.len() + nonce.len() + body.len() + 32);
    for part in
        [method.as_bytes(), path_and_query.as_bytes(), timestamp.to_string().as_bytes(), nonce.as_bytes()]
    {
        out.extend_from_slice(part);
        out.push(b'\n');
    }
    out.extend_from_slice(body);
    out.push(b'\n');
    out
}

/// The header the platform's signature of a response travels in:
/// `Paydesk-Signature: timestamp=…,nonce=…,signature=…`.
pub const RESPONSE_HEADER: &str = "Paydesk-Signature";

/// The bytes the platform signs for a response: [`canonical`] with the status
/// code in the method's place and the request's path and query.
pub fn response_canonical(
    status: u16,
    path_and_query: &str,
    timestamp: i64,
    nonce: &str,
    body: &[u8],
) -> Vec<u8> {
    canonical(&status.to_string(), path_and_query, timestamp, nonce, body)
}

/// The parts of an `Authorization: PAYDESK-SHA256 …` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeader {
    pub app_id: String,
    pub timestamp: i64,
    pub nonce: String,
    /// Base64, as sent.
    pub signature: String,
}

/// Why a signed request is refused, each with its own code (all answer 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No header, another scheme, or a part missing or repeated.
    Malformed,
    /// The timestamp is more than [`SKEW_SECS`] from the server's clock.
    Stale,
    /// The nonce is too short, too long, or holds other than letters, digits, `-` and `_`.
    BadNonce,
    /// The nonce was used before within the window.
    NonceReused,
    /// No API client has this app id.
    UnknownApp,
    /// The key the request was signed with was revoked.
    KeyRevoked,
    /// The signature doesn't verify with any live key of the app.
    BadSignature,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Malformed => "signature_malformed",
            Refusal::Stale => "signature_stale",
            Refusal::BadNonce => "nonce_invalid",
            Refusal::NonceReused => "nonce_reused",
            Refusal::UnknownApp => "app_unknown",
            Refusal::KeyRevoked => "key_revoked",
            Refusal::BadSignature => "signature_invalid",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Refusal::Malformed => {
                "send Authorization: PAYDESK-SHA256 app_id=…,timestamp=…,nonce=…,signature=…"
            }
            Refusal::Stale => "the timestamp is more than 5 minutes from the server's clock",
            Refusal::BadNonce => "a nonce has 16 to 64 letters, digits, - or _",
            Refusal::NonceReused => "this nonce was used already; send a new one with every request",
            Refusal::UnknownApp => "no API client has this app id",
            Refusal::KeyRevoked => "the key this request was signed with is revoked",
            Refusal::BadSignature => {
                "the signature doesn't verify: sign method, path and query, timestamp, nonce and the raw body"
            }
        }
    }
}

/// Reads the header's value (`PAYDESK-SHA256 app_id=…,…`).
pub fn parse_header(value: &str) -> Result<SignedHeader, Refusal> {
    let rest = value.trim().strip_prefix(SCHEME).ok_or(Refusal::Malformed)?;
    if !rest.starts_with(' ') {
        return Err(Refusal::Malformed);
    }
    let (mut app_id, mut timestamp, mut nonce, mut signature) = (None, None, None, None);
    for part in rest.trim().split(',') {
        let (key, value) = part.trim().split_once('=').ok_or(Refusal::Malformed)?;
        let slot = match key.trim() {
            "app_id" => &mut app_id,
            "timestamp" => &mut timestamp,
            "nonce" => &mut nonce,
            // Base64 ends in '=' padding: everything after the first '=' is the value.
            "signature" => &mut signature,
            _ => return Err(Refusal::Malformed),
        };
        if slot.replace(value.trim().to_owned()).is_some() {
            return Err(Refusal::Malformed);
        }
    }
    let timestamp = timestamp.and_then(|t| t.parse::<i64>().ok()).ok_or(Refusal::Malformed)?;
    match (app_id, nonce, signature) {
        (Some(app_id), Some(nonce), Some(signature)) if !app_id.is_empty() && !signature.is_empty() => {
            Ok(SignedHeader { app_id, timestamp, nonce, signature })
        }
        _ => Err(Refusal::Malformed),
    }
}

/// The header a client sends for `signature` (base64).
pub fn header(app_id: &str, timestamp: i64, nonce: &str, signature: &str) -> String {
    format!("{SCHEME} app_id={app_id},timestamp={timestamp},nonce={nonce},signature={signature}")
}

/// The checks that need no key and no database: the timestamp's window and the
/// nonce's shape. The caller then claims the nonce (single use) and verifies
/// the signature.
pub fn check_freshness(h: &SignedHeader, now: i64) -> Result<(), Refusal> {
    if (h.timestamp - now).abs() > SKEW_SECS {
        return Err(Refusal::Stale);
    }
    let (min, max) = NONCE_CHARS;
    let shape_ok = (min..=max).contains(&h.nonce.len())
        && h.nonce.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !shape_ok {
        return Err(Refusal::BadNonce);
    }
    Ok(())
}

/// How long a used nonce must be remembered: past the window on both sides.
pub const NONCE_KEEP_SECS: i64 = 2 * SKEW_SECS + 60;
const _: () = assert!(NONCE_KEEP_SECS > 2 * SKEW_SECS);

/// How long to wait after each failed delivery of a notification before the
/// next attempt: 15 s, 15 s, 30 s, 3 m, 10 m, 20 m, 30 m ×3, 1 h, 3 h ×3, 6 h ×2 —
/// sixteen attempts over about 24 hours.
pub const RETRY_AFTER_SECS: [i64; 15] =
    [15, 15, 30, 180, 600, 1_200, 1_800, 1_800, 1_800, 3_600, 10_800, 10_800, 10_800, 21_600, 21_600];

/// The wait after the `attempts`-th failed attempt (1 for the first), or `None`
/// when the retries are spent and the event stays undelivered until someone
/// redelivers it.
pub fn retry_after(attempts: u32) -> Option<i64> {
    let i = usize::try_from(attempts).ok()?.checked_sub(1)?;
    RETRY_AFTER_SECS.get(i).copied()
}

/// The header naming a notification's event (also in its body): the same on
/// every retry, so a receiver can drop what it has seen.
pub const EVENT_ID_HEADER: &str = "Paydesk-Event-Id";

crate::states::named_enum!(
    /// What a notification (实时反馈) tells the integrator.
    EventKind, "event kind" {
        /// A buyer paid (支付成功; an instant trade is also 交易成功).
        TradePaid => "trade_paid",
        /// A guaranteed trade's receipt was confirmed (交易成功).
        TradeCompleted => "trade_completed",
        /// The trade's money reached the available balance (结算成功).
        TradeSettled => "trade_settled",
        /// Closed unpaid, by the integrator or on expiry.
        TradeClosed => "trade_closed",
        /// A refund reached the buyer (退款成功).
        RefundSucceeded => "refund_succeeded",
        /// A refund ended without reaching the buyer: the bank couldn't return
        /// it (退款失败) or a reviewer rejected it (审核拒绝); the money is back.
        RefundFailed => "refund_failed",
        /// Sent from the portal's 发送测试 button.
        Test => "test",
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_canonical_form_is_five_lines_with_the_raw_body() {
        let c =
            canonical("POST", "/api/v1/gateway/trades?x=1", 1_764_576_000, "n0nce-0000000001", b"{\"a\": 1}");
        assert_eq!(c, b"POST\n/api/v1/gateway/trades?x=1\n1764576000\nn0nce-0000000001\n{\"a\": 1}\n");
        // An empty body still ends the last line.
        assert!(canonical("GET", "/x", 1, "n", b"").ends_with(b"\nn\n\n"));
    }

    #[test]
    fn a_header_reads_back_what_was_written() {
        let text = header("app_123", 1_764_576_000, "abcdefghijklmnop", "c2lnbmF0dXJl+/==");
        let h = parse_header(&text).unwrap();
        assert_eq!(
            h,
            SignedHeader {
                app_id: "app_123".into(),
                timestamp: 1_764_576_000,
                nonce: "abcdefghijklmnop".into(),
                signature: "c2lnbmF0dXJl+/==".into()
            }
        );
    }

    #[test]
    fn malformed_headers_are_refused() {
        for bad in [
            "",
            "Bearer abc",
            "PAYDESK-SHA256",
            "PAYDESK-SHA256app_id=a,timestamp=1,nonce=n,signature=s",
            "PAYDESK-SHA256 app_id=a,timestamp=1,nonce=n",
            "PAYDESK-SHA256 app_id=a,timestamp=x,nonce=n,signature=s",
            "PAYDESK-SHA256 app_id=a,app_id=b,timestamp=1,nonce=n,signature=s",
            "PAYDESK-SHA256 app_id=a,timestamp=1,nonce=n,signature=s,extra=1",
            "PAYDESK-SHA256 app_id=,timestamp=1,nonce=n,signature=s",
        ] {
            assert_eq!(parse_header(bad), Err(Refusal::Malformed), "{bad}");
        }
    }

    #[test]
    fn timestamps_outside_five_minutes_and_odd_nonces_are_refused() {
        let h = |ts: i64, nonce: &str| SignedHeader {
            app_id: "a".into(),
            timestamp: ts,
            nonce: nonce.into(),
            signature: "s".into(),
        };
        let now = 1_000_000;
        assert_eq!(check_freshness(&h(now + 300, "0123456789abcdef"), now), Ok(()));
        assert_eq!(check_freshness(&h(now - 301, "0123456789abcdef"), now), Err(Refusal::Stale));
        assert_eq!(check_freshness(&h(now, "short"), now), Err(Refusal::BadNonce));
        assert_eq!(check_freshness(&h(now, "0123456789abcde!"), now), Err(Refusal::BadNonce));
    }

    #[test]
    fn every_refusal_has_its_own_code() {
        let all = [
            Refusal::Malformed,
            Refusal::Stale,
            Refusal::BadNonce,
            Refusal::NonceReused,
            Refusal::UnknownApp,
            Refusal::KeyRevoked,
            Refusal::BadSignature,
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), all.len());
    }

    proptest! {
        /// Any change to any part changes the signed bytes.
        #[test]
        fn no_two_requests_sign_alike(
            path in "/[a-z/?=&]{0,20}", nonce in "[a-z0-9]{16,20}", body in proptest::collection::vec(any::<u8>(), 0..40),
            ts in 0i64..2_000_000_000,
        ) {
            let base = canonical("POST", &path, ts, &nonce, &body);
            prop_assert_ne!(&base, &canonical("PUT", &path, ts, &nonce, &body));
            prop_assert_ne!(&base, &canonical("POST", &format!("{path}x"), ts, &nonce, &body));
            prop_assert_ne!(&base, &canonical("POST", &path, ts + 1, &nonce, &body));
            prop_assert_ne!(&base, &canonical("POST", &path, ts, &format!("{nonce}x"), &body));
            let mut other = body.clone();
            other.push(b' ');
            prop_assert_ne!(&base, &canonical("POST", &path, ts, &nonce, &other));
        }

        /// Whatever a header says, reading it never panics, and what is written reads back.
        #[test]
        fn headers_round_trip(app in "[a-z0-9_]{1,20}", ts in 0i64..4_000_000_000, nonce in "[A-Za-z0-9_-]{16,64}", sig in "[A-Za-z0-9+/]{4,40}={0,2}") {
            let h = parse_header(&header(&app, ts, &nonce, &sig)).unwrap();
            prop_assert_eq!((h.app_id, h.timestamp, h.nonce, h.signature), (app, ts, nonce, sig));
        }

        #[test]
        fn reading_any_text_never_panics(text in ".{0,80}") {
            let _ = parse_header(&text);
        }
    }

    #[test]
    fn notifications_are_retried_for_about_a_day() {
        assert_eq!((retry_after(0), retry_after(1), retry_after(4)), (None, Some(15), Some(180)));
        assert_eq!((retry_after(15), retry_after(16)), (Some(21_600), None));
        let total: i64 = RETRY_AFTER_SECS.iter().sum();
        assert!((23 * 3_600..=25 * 3_600).contains(&total), "{total}");
    }
}
