//! 应用中心 (manual §3.8, §3.3.1.2): the products a merchant signs before using
//! them (线上服务申请), decided by staff with the product's fee rate, and the check
//! every product's entry point makes ([`require`]).

use actix_web::http::StatusCode;
use paydesk_api_types::{
    AppRate, AppView, ApplyForApp, ApproveSigning, ErrorCode, FieldError, Page, RejectSigning, SetFeeRule,
    SigningView,
};
use paydesk_domain::apps::{App, SigningEvent, SigningState, NOTE_CHARS};
use paydesk_domain::fees::FeeRule;
use paydesk_domain::states::KybStatus;
use paydesk_domain::Money;
use paydesk_store::signings::{self as store, Signing};
use paydesk_store::{fees, identity, DbConn, StoreError};

use crate::auth::{OperatorAuth, StaffAuth};
use crate::error::ApiError;
use crate::views::time_text;
use crate::AppState;

fn verified(merchant: &identity::Merchant) -> Result<(), ApiError> {
    if merchant.kyb_status != KybStatus::Verified {
        return Err(ApiError::rule(
            StatusCode::FORBIDDEN,
            ErrorCode::KybRequired,
            "complete real-name verification first",
        ));
    }
    Ok(())
}

/// The merchant may use `app`: it is verified (实名认证) and has signed it.
/// Every product's entry point calls this in the transaction that uses it.
pub fn require(c: &mut DbConn, merchant_id: i64, app: App) -> Result<(), ApiError> {
    let merchant = identity::merchant(c, merchant_id)?;
    require_of(c, &merchant, app)
}

/// [`require`] of a merchant read in this transaction already.
pub fn require_of(c: &mut DbConn, merchant: &identity::Merchant, app: App) -> Result<(), ApiError> {
    verified(merchant)?;
    if !store::is_signed(c, merchant.id, app)? {
        return Err(ApiError::rule(
            StatusCode::FORBIDDEN,
            ErrorCode::ProductNotSigned,
            format!("sign {} ({}) in the 应用中心 first", app.info().name_zh, app.info().name_en),
        ));
    }
    Ok(())
}

/// [`require`] for a batch file of `kind` (importing contacts needs no product).
pub fn require_for_batch(
    c: &mut DbConn,
    merchant_id: i64,
    kind: paydesk_domain::batch::BatchKind,
) -> Result<(), ApiError> {
    App::for_batch(kind).map_or(Ok(()), |app| require(c, merchant_id, app))
}

pub fn parse_product(text: &str) -> Result<App, ApiError> {
    App::parse(text)
        .ok_or_else(|| ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::ProductUnknown, "No such product"))
}

/// A fee rule as staff type it: amounts as text, the rate in basis points.
pub fn fee_rule(body: &SetFeeRule) -> Result<FeeRule, ApiError> {
    let mut errors = Vec::new();
    let mut money = |field: &str, text: &str| match Money::parse(text.trim()) {
        Ok(m) => Some(m),
        Err(e) => {
            errors.push(FieldError { field: field.into(), code: e.code().into(), message: e.to_string() });
            None
        }
    };
    let fixed = money("fixed", &body.fixed);
    let min = money("min", &body.min);
    let max = match body.max.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Some(None),
        Some(t) => money("max", t).map(Some),
    };
    let (Some(fixed), Some(min), Some(max)) = (fixed, min, max) else {
        return Err(ApiError::Validation(errors));
    };
    let rule = FeeRule { fixed, rate_bp: body.rate_bp, min, max };
    rule.validate().map_err(|e| ApiError::field(e.field, e.code, e.message))?;
    Ok(rule)
}

fn view(
    c: &mut DbConn,
    merchant_id: i64,
    app: App,
    signing: Option<&Signing>,
) -> Result<AppView, StoreError> {
    let info = app.info();
    let state = signing.map_or(SigningState::NotSigned, |s| s.state);
    let rates = app
        .fee_products()
        .iter()
        .map(|p| {
            Ok(AppRate {
                fee_product: p.as_str().into(),
                label: p.label_zh().into(),
                rate: fees::rule(c, merchant_id, *p)?.describe(),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(AppView {
        product: app.as_str().into(),
        name: info.name_zh.into(),
        name_en: info.name_en.into(),
        summary: info.summary_zh.into(),
        summary_en: info.summary_en.into(),
        steps: info.steps_zh.iter().map(|s| (*s).into()).collect(),
        steps_en: info.steps_en.iter().map(|s| (*s).into()).collect(),
        state: state.as_str().into(),
        page: info.page.into(),
        applied_at: signing.filter(|s| s.applied_by.is_some()).map(|s| time_text(s.applied_at)),
        signed_at: signing
            .filter(|s| s.state == SigningState::Signed)
            .and_then(|s| s.decided_at)
            .map(time_text),
        note: signing.map(|s| s.note.clone()).filter(|n| !n.is_empty()),
        reason: signing.filter(|s| s.state == SigningState::Rejected).and_then(|s| s.reason.clone()),
        rates,
    })
}

/// 应用中心: every product with the merchant's signing of it.
pub fn list(st: &AppState, merchant_id: i64) -> Result<Vec<AppView>, ApiError> {
    st.store.read(|c| -> Result<_, ApiError> {
        let signings = store::of_merchant(c, merchant_id)?;
        Ok(App::ALL
            .iter()
            .map(|app| view(c, merchant_id, *app, signings.iter().find(|s| s.product == *app)))
            .collect::<Result<_, _>>()?)
    })
}

fn not_now(state: SigningState, event: SigningEvent) -> ApiError {
    let text = paydesk_domain::apps::SigningNotNow { state: state.as_str(), event }.to_string();
    ApiError::rule(StatusCode::CONFLICT, ErrorCode::SigningState, text)
}

fn note_text(text: &str, field: &str) -> Result<String, ApiError> {
    let text = text.trim();
    if text.chars().count() > NOTE_CHARS {
        return Err(ApiError::field(field, "too_long", format!("at most {NOTE_CHARS} characters")));
    }
    Ok(text.to_owned())
}

/// 线上服务申请: applies to sign `app`. Blocking.
pub fn apply(st: &AppState, auth: &OperatorAuth, app: App, body: &ApplyForApp) -> Result<AppView, ApiError> {
    let note = note_text(&body.note, "note")?;
    let at = st.clock.now();
    auth.audit.write(&st.store, |c| -> Result<_, ApiError> {
        verified(&identity::merchant(c, auth.merchant_id)?)?;
        let state = store::find(c, auth.merchant_id, app)?.map_or(SigningState::NotSigned, |s| s.state);
        if state.next(SigningEvent::Apply).is_err()
            || !store::apply(c, auth.merchant_id, app, &note, auth.operator_id, at)?
        {
            return Err(not_now(state, SigningEvent::Apply));
        }
        let signing = store::find(c, auth.merchant_id, app)?;
        Ok(view(c, auth.merchant_id, app, signing.as_ref())?)
    })
}

fn staff_view(s: Signing, email: String, company: String) -> SigningView {
    SigningView {
        merchant_id: s.merchant_id,
        merchant_email: email,
        company_name: company,
        product: s.product.as_str().into(),
        name: s.product.info().name_zh.into(),
        state: s.state.as_str().into(),
        note: s.note,
        applied_at: time_text(s.applied_at),
        decided_at: s.decided_at.map(time_text),
        reason: s.reason,
    }
}

/// Applications in `state`, oldest first (the staff's queue).
pub fn queue(
    st: &AppState,
    state: SigningState,
    page: u32,
    per_page: u32,
) -> Result<Page<SigningView>, ApiError> {
    let offset = i64::from(page - 1) * i64::from(per_page);
    let (rows, total) = st.store.read(|c| store::queue(c, state, i64::from(per_page), offset))?;
    Ok(Page {
        items: rows.into_iter().map(|(s, e, n)| staff_view(s, e, n)).collect(),
        page,
        per_page,
        total: u64::try_from(total).unwrap_or(0),
    })
}

fn decided(c: &mut DbConn, merchant_id: i64, app: App) -> Result<SigningView, ApiError> {
    let m = identity::merchant(c, merchant_id)?;
    let s = store::find(c, merchant_id, app)?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("decided signing vanished")))?;
    Ok(staff_view(s, m.email, m.company_name))
}

/// The application in the transaction, or why it can't take `event`.
fn waiting(c: &mut DbConn, merchant_id: i64, app: App, event: SigningEvent) -> Result<(), ApiError> {
    match store::find(c, merchant_id, app)? {
        None => Err(ApiError::rule(
            StatusCode::NOT_FOUND,
            ErrorCode::ApplicationNotFound,
            "this merchant has not applied for that product",
        )),
        Some(s) if s.state != SigningState::Applied => Err(not_now(s.state, event)),
        Some(_) => Ok(()),
    }
}

/// Approves with the product's fee rate, which becomes the merchant's fee for
/// each fee product it covers. Blocking.
pub fn approve(
    st: &AppState,
    staff: &StaffAuth,
    merchant_id: i64,
    app: App,
    body: &ApproveSigning,
) -> Result<SigningView, ApiError> {
    let rule = match (&body.fee, app.fee_products().is_empty()) {
        (Some(fee), _) => Some(fee_rule(fee)?),
        (None, true) => None,
        (None, false) => {
            return Err(ApiError::field("fee", "required", "set the product's fee rate (0 for free)"))
        }
    };
    let at = st.clock.now();
    staff.audit.write(&st.store, |c| -> Result<_, ApiError> {
        waiting(c, merchant_id, app, SigningEvent::Approve)?;
        if !store::decide(c, merchant_id, app, SigningState::Signed, None, staff.staff_id, at)? {
            return Err(not_now(SigningState::Signed, SigningEvent::Approve));
        }
        if let Some(rule) = &rule {
            for p in app.fee_products() {
                fees::set(c, merchant_id, *p, rule, staff.staff_id, at)?;
            }
        }
        decided(c, merchant_id, app)
    })
}

/// Rejects with a reason the merchant reads in its 应用中心. Blocking.
pub fn reject(
    st: &AppState,
    staff: &StaffAuth,
    merchant_id: i64,
    app: App,
    body: &RejectSigning,
) -> Result<SigningView, ApiError> {
    let reason = note_text(&body.reason, "reason")?;
    if reason.is_empty() {
        return Err(ApiError::field("reason", "required", "say why, so the merchant can apply again"));
    }
    let at = st.clock.now();
    staff.audit.write(&st.store, |c| -> Result<_, ApiError> {
        waiting(c, merchant_id, app, SigningEvent::Reject)?;
        if !store::decide(c, merchant_id, app, SigningState::Rejected, Some(&reason), staff.staff_id, at)? {
            return Err(not_now(SigningState::Rejected, SigningEvent::Reject));
        }
        decided(c, merchant_id, app)
    })
}
