//! The one review pipeline (审核, manual §3.5): decide one or many pending
//! applications, and the applicant's withdrawal (撤销) of one still waiting.
//!
//! Everything is checked before anything moves — each application may be
//! reviewed by this operator (its kind's review permission; under maker-checker
//! not their own), the payment password and the second factor, bound to exactly
//! these applications. Then each application is decided in its own transaction
//! by a conditional status change, so two reviewers at once can't both win: the
//! second gets `application_state` for it and nothing moves twice.

use paydesk_api_types::ErrorCode;

use actix_web::http::StatusCode;
use paydesk_api_types::{ReviewOutcome, ReviewRequest, ReviewResult};
use paydesk_domain::application::check_decision;
use paydesk_domain::permissions::{may_review, review_permission, ReviewRefusal};
use paydesk_store::{applications, identity, StoreError};

use crate::auth::OperatorAuth;
use crate::core::execute;
use crate::core::factors::{check_payment_password, check_second_factor};
use crate::core::idempotency::Idem;
use crate::error::ApiError;
use crate::AppState;

pub fn not_found() -> ApiError {
    ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::ApplicationNotFound, "No such application")
}

/// Approves or rejects the applications of `req`. Each result says what became of
/// its application. The idempotent answer is recorded after the last decision
/// (each decision is safe to repeat: a decided application refuses a second).
pub fn decide(
    st: &AppState,
    auth: &OperatorAuth,
    req: ReviewRequest,
    _idem: &mut Idem,
) -> Result<ReviewOutcome, ApiError> {
    let decision = check_decision(&req.application_ids, &req.decision, req.remark.as_deref())?;
    let ids = &decision.ids;
    let (merchant, apps) = st.store.read(|c| -> Result<_, ApiError> {
        let apps = applications::find_many(c, auth.merchant_id, ids)?;
        Ok((identity::merchant(c, auth.merchant_id)?, apps))
    })?;
    if apps.len() != ids.len() {
        return Err(not_found());
    }
    for app in &apps {
        // The policy it was submitted under: a later change applies to later applications.
        let kind = app.kind;
        match may_review(&auth.permissions, kind, app.review_mode, auth.operator_id, app.created_by) {
            Ok(()) => {}
            Err(ReviewRefusal::NoPermission) => {
                return Err(crate::permits::denied(&[review_permission(kind)]))
            }
            Err(ReviewRefusal::OwnApplication) => {
                return Err(ApiError::rule(
                    StatusCode::FORBIDDEN,
                    ErrorCode::OwnApplication,
                    "Nobody reviews their own application",
                )
                .with_detail(format!(
                    "application {} was submitted by you; another reviewer decides it",
                    app.id
                )))
            }
        }
    }
    if decision.approve {
        check_payment_password(st, auth, &merchant, req.payment_password.as_deref().unwrap_or(""))?;
        check_second_factor(
            st,
            auth.operator_id,
            req.sms_code.as_deref(),
            req.security_key.as_ref(),
            &crate::security_key::review_binding("approve", ids),
        )?;
    }
    let remark = decision.remark.as_str();
    let mut results = Vec::new();
    let mut notices = Vec::new();
    for id in ids {
        let attempt = auth.audit.write(&st.store, |c| -> Result<(String, Vec<(String, String)>), ApiError> {
            let mut app = applications::find(c, auth.merchant_id, *id)?.ok_or(StoreError::NotFound)?;
            if decision.approve {
                let remark = Some(remark).filter(|r| !r.is_empty());
                execute::approve_and_execute(
                    c,
                    st.bank.as_ref(),
                    &mut app,
                    auth.operator_id,
                    &merchant.company_name,
                    remark,
                    st.clock.now(),
                )?;
                let lines = applications::lines(c, app.id)?;
                Ok((app.status.to_string(), execute::payee_notices(&app, &lines, &merchant.company_name)))
            } else {
                execute::reject(c, &mut app, auth.operator_id, remark, st.clock.now())?;
                Ok((app.status.to_string(), Vec::new()))
            }
        });
        match attempt {
            Ok((status, mut sent)) => {
                notices.append(&mut sent);
                results.push(ReviewResult { id: *id, status, code: None, message: None });
            }
            Err(e) if actix_web::ResponseError::status_code(&e).is_client_error() => {
                let status = st
                    .store
                    .read(|c| applications::find(c, auth.merchant_id, *id))?
                    .map(|a| a.status.to_string())
                    .unwrap_or_default();
                let p = e.problem();
                results.push(ReviewResult { id: *id, status, code: Some(p.code), message: Some(p.title) });
            }
            Err(e) => return Err(e),
        }
    }
    st.messenger.send_after_commit(&st.store, notices);
    Ok(ReviewOutcome { results })
}

/// The applicant withdraws a pending application (撤销): the money comes back.
pub fn cancel(st: &AppState, auth: &OperatorAuth, id: i64) -> Result<ReviewResult, ApiError> {
    let status = auth.audit.write(&st.store, |c| -> Result<String, ApiError> {
        let mut app = applications::find(c, auth.merchant_id, id)?.ok_or_else(not_found)?;
        if app.created_by != auth.operator_id {
            return Err(ApiError::rule(
                StatusCode::FORBIDDEN,
                ErrorCode::NotYourApplication,
                "Only the operator who submitted an application can withdraw it",
            ));
        }
        execute::cancel(c, &mut app, st.clock.now())?;
        Ok(app.status.to_string())
    })?;
    Ok(ReviewResult { id, status, code: None, message: None })
}

/// Sets how `kind` is reviewed, after the payment password and the second
/// factor (bound to this kind): who must look at money is not changed on a
/// session alone. Applications already waiting keep the policy they were
/// submitted under. Blocking.
pub fn set_policy(
    st: &AppState,
    auth: &OperatorAuth,
    kind: paydesk_domain::application::ApplicationKind,
    mode: paydesk_domain::permissions::ReviewMode,
    req: &paydesk_api_types::SetReviewPolicy,
) -> Result<(), ApiError> {
    let merchant = st.store.read(|c| identity::merchant(c, auth.merchant_id))?;
    check_payment_password(st, auth, &merchant, &req.payment_password)?;
    check_second_factor(
        st,
        auth.operator_id,
        req.sms_code.as_deref(),
        req.security_key.as_ref(),
        &crate::security_key::policy_binding(kind.as_str()),
    )?;
    auth.audit.write(&st.store, |c| {
        paydesk_store::roles::set_policy(c, auth.merchant_id, kind, mode, auth.operator_id, st.clock.now())
    })?;
    Ok(())
}
