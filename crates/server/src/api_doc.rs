//! What the OpenAPI document says beyond the handlers' own annotations, taken
//! from the rules the server enforces so the two can't drift: the values of
//! every kind and state (from the domain's enums), amount patterns and length
//! limits (from `domain::limits`), and the problems each operation can answer
//! given how it is guarded — 401 for a session or a signature, 403 for a
//! permission, 422 and 400 for a body, 429 where a rate limit stands.
//! Generated clients then validate and decode what the server will send.

use paydesk_domain::application::{ApplicationKind, ApplicationStatus};
use paydesk_domain::apps::{App, SigningState};
use paydesk_domain::batch::BatchKind;
use paydesk_domain::draft::PayoutSpeed;
use paydesk_domain::gateway::EventKind;
use paydesk_domain::limits;
use paydesk_domain::permissions::ReviewMode;
use paydesk_domain::states::{AttemptKind, KybStatus, LineStatus, OperatorStatus};
use paydesk_domain::trades::{TradeMode, TradeStatus};
use serde_json::{json, Value};

/// An amount as the API takes and gives it: yuan with at most two decimals, no
/// sign, separators or exponent (`domain::money`).
pub const AMOUNT_PATTERN: &str = r"^\d{1,11}(\.\d{1,2})?$";

fn names<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

/// (schema, property, allowed values): the kinds and states the API speaks.
fn enums() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let kinds = names(&ApplicationKind::ALL, ApplicationKind::as_str);
    let statuses = names(&ApplicationStatus::ALL, ApplicationStatus::as_str);
    let kyb = names(KybStatus::ALL, KybStatus::as_str);
    let fee_products = names(&paydesk_domain::fees::Product::ALL, paydesk_domain::fees::Product::as_str);
    let apps = names(App::ALL, App::as_str);
    let signing = names(SigningState::ALL, SigningState::as_str);
    let trade_modes = names(TradeMode::ALL, TradeMode::as_str);
    let review_modes = vec![ReviewMode::Single.as_str(), ReviewMode::MakerChecker.as_str()];
    let account_types = vec!["personal", "corporate"];
    vec![
        ("Application", "kind", kinds.clone()),
        ("Application", "status", statuses.clone()),
        ("ReviewItem", "kind", kinds.clone()),
        ("ReviewItem", "status", statuses.clone()),
        ("ReviewResult", "status", statuses),
        ("ReviewPolicyView", "kind", kinds.clone()),
        ("KeyChallengeRequest", "kind", kinds),
        ("ApplicationLine", "status", names(LineStatus::ALL, LineStatus::as_str)),
        ("Home", "kyb_status", kyb.clone()),
        ("Me", "kyb_status", kyb.clone()),
        ("MerchantSummary", "kyb_status", kyb.clone()),
        ("SecurityOverview", "kyb_status", kyb.clone()),
        ("Kyb", "status", kyb),
        ("FeeRuleView", "product", fee_products.clone()),
        ("AppRate", "fee_product", fee_products),
        ("AppView", "product", apps.clone()),
        ("SigningView", "product", apps),
        ("AppView", "state", signing.clone()),
        ("SigningView", "state", signing),
        ("NewTrade", "mode", trade_modes.clone()),
        ("TradeView", "mode", trade_modes),
        ("TradeView", "status", names(TradeStatus::ALL, TradeStatus::as_str)),
        ("EventView", "kind", names(EventKind::ALL, EventKind::as_str)),
        ("WithdrawalRequest", "speed", names(PayoutSpeed::ALL, PayoutSpeed::as_str)),
        ("ContactView", "kind", vec!["platform", "bank"]),
        ("BatchTemplate", "kind", names(BatchKind::ALL, BatchKind::as_str)),
        ("BatchCheck", "kind", names(BatchKind::ALL, BatchKind::as_str)),
        ("BatchSubmit", "kind", names(BatchKind::ALL, BatchKind::as_str)),
        ("OperatorView", "status", names(OperatorStatus::ALL, OperatorStatus::as_str)),
        (
            "FrozenLogin",
            "kind",
            vec![AttemptKind::OperatorSignIn.as_str(), AttemptKind::PaymentPassword.as_str()],
        ),
        ("ReviewPolicyView", "mode", review_modes.clone()),
        ("SetReviewPolicy", "mode", review_modes),
        ("ReviewRequest", "decision", vec!["approve", "reject"]),
        ("BankTransferRequest", "account_type", account_types.clone()),
        ("NewBankContact", "account_type", account_types.clone()),
        ("BatchContact", "account_type", account_types),
    ]
}

/// (schema, property, maximum characters) for free text the server caps.
fn max_lengths() -> Vec<(&'static str, &'static str, usize)> {
    vec![
        ("TransferRequest", "remark", limits::REMARK_CHARS),
        ("BankTransferRequest", "remark", limits::REMARK_CHARS),
        ("NewBankContact", "remark", limits::REMARK_CHARS),
        ("NewPlatformContact", "remark", limits::REMARK_CHARS),
        ("ReviewRequest", "remark", limits::REVIEW_REMARK_CHARS),
        ("BankTransferRequest", "merchant_order_no", limits::ORDER_NO_CHARS),
        ("WithdrawalRequest", "merchant_order_no", limits::ORDER_NO_CHARS),
        ("CompleteRegistration", "company_name", limits::COMPANY_NAME_CHARS.1),
        ("CompleteRegistration", "login_password", limits::LOGIN_PASSWORD_CHARS.1),
        ("CompleteRegistration", "payment_password", limits::PAYMENT_PASSWORD_CHARS.1),
        ("BankTransferRequest", "name", limits::HOLDER_NAME_CHARS.1),
        ("NewBankContact", "name", limits::HOLDER_NAME_CHARS.1),
        ("RoleRequest", "name", limits::ROLE_NAME_CHARS),
        ("RoleRequest", "description", limits::ROLE_DESCRIPTION_CHARS),
        ("NewOperatorRequest", "login_name", limits::LOGIN_NAME_CHARS.1),
        ("NewOperatorRequest", "display_name", limits::OPERATOR_NAME_CHARS),
        ("UpdateOperatorRequest", "display_name", limits::OPERATOR_NAME_CHARS),
        ("NewApiClient", "name", limits::OPERATOR_NAME_CHARS),
        ("RejectKyb", "reason", limits::KYB_REJECT_REASON_CHARS),
        ("ApplyForApp", "note", paydesk_domain::apps::NOTE_CHARS),
        ("RejectSigning", "reason", paydesk_domain::apps::NOTE_CHARS),
    ]
}

/// Request schemas' amount fields.
const AMOUNTS: [(&str, &str); 9] = [
    ("AmountPreviewRequest", "amount"),
    ("BankTransferRequest", "amount"),
    ("RechargeRequest", "amount"),
    ("RechargeRequest", "amount_confirm"),
    ("WithdrawalRequest", "amount"),
    ("ConfirmDeposit", "amount"),
    ("SetFeeRule", "fixed"),
    ("SetFeeRule", "min"),
    ("SetFeeRule", "max"),
];

/// Operations a rate limit stands before (`server::ratelimit`), besides every signed one.
const RATE_LIMITED: [&str; 6] = [
    "/api/v1/session",
    "/api/v1/ops/session",
    "/api/v1/captchas",
    "/api/v1/sms-codes",
    "/api/v1/registrations",
    "/api/v1/recoveries",
];

fn property<'a>(
    doc: &'a mut Value,
    schema: &str,
    field: &str,
) -> Option<&'a mut serde_json::Map<String, Value>> {
    doc.pointer_mut(&format!("/components/schemas/{schema}/properties/{field}"))
        .and_then(Value::as_object_mut)
}

fn nullable(p: &serde_json::Map<String, Value>) -> bool {
    p.get("type").and_then(Value::as_array).is_some_and(|t| t.iter().any(|v| v == "null"))
}

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    })
}

/// Adds what the handlers' annotations leave out; panics in tests when a named
/// schema or property no longer exists (so the tables can't go stale silently).
pub fn complete(doc: &mut Value) {
    for (schema, field, values) in enums() {
        let p = property(doc, schema, field).unwrap_or_else(|| panic!("{schema}.{field} is gone"));
        let mut list: Vec<Value> = values.into_iter().map(Value::from).collect();
        if nullable(p) {
            list.push(Value::Null);
        }
        p.insert("enum".into(), Value::Array(list));
    }
    for (schema, field, max) in max_lengths() {
        let p = property(doc, schema, field).unwrap_or_else(|| panic!("{schema}.{field} is gone"));
        p.insert("maxLength".into(), json!(max));
    }
    for (schema, field) in AMOUNTS {
        let p = property(doc, schema, field).unwrap_or_else(|| panic!("{schema}.{field} is gone"));
        p.insert("pattern".into(), json!(AMOUNT_PATTERN));
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else { continue };
            let security: Vec<String> = op
                .get("security")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter().filter_map(Value::as_object).flat_map(|o| o.keys().cloned()).collect()
                })
                .unwrap_or_default();
            let permission = op.get("x-permission").and_then(Value::as_array).is_some_and(|p| !p.is_empty());
            let body = op.get("requestBody").is_some();
            let signed = security.iter().any(|s| s == "paydesk_signature");
            let session = security.iter().any(|s| s == "bearer" || s.ends_with("refresh_cookie"));
            let limited = signed || (method == "post" && RATE_LIMITED.contains(&path.as_str()));
            let responses = op.entry("responses").or_insert_with(|| json!({}));
            let Some(responses) = responses.as_object_mut() else { continue };
            let mut add = |status: &str, description: &str| {
                responses.entry(status.to_owned()).or_insert_with(|| problem(description));
            };
            if session {
                add("401", "`unauthorized`: no session, or it expired");
            }
            if signed {
                add("401", "`signature_malformed`, `signature_stale`, `nonce_invalid`, `nonce_reused`, `app_unknown`, `key_revoked` or `signature_invalid`");
            }
            if permission {
                add("403", "`permission_denied`: the operator's role lacks the permission");
            }
            if body {
                add("400", "`malformed_json`: the body is not the JSON this operation takes");
                add("422", "`validation_failed`, with per-field `errors`");
            }
            if limited {
                add("429", "`too_many_requests`: wait the seconds in `Retry-After`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_schema_and_property_exists_and_gets_its_rule() {
        let mut doc = serde_json::to_value(crate::openapi_raw()).unwrap();
        complete(&mut doc);
        let status = doc.pointer("/components/schemas/TradeView/properties/status/enum").unwrap();
        assert_eq!(status.as_array().unwrap().len(), TradeStatus::ALL.len());
        let create = doc.pointer("/paths/~1api~1v1~1gateway~1trades/post/responses").unwrap();
        for code in ["401", "422", "429"] {
            assert!(create.get(code).is_some(), "signed trade creation answers {code}");
        }
    }
}
