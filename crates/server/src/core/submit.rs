//! The one submit pipeline every fund operation goes through, in one fixed
//! order (docs/architecture.md, "The money pipeline"):
//!
//! 1. who asks and how the merchant reviews this kind (reads only);
//! 2. the draft: payees looked up, then checked by the domain without IO;
//! 3. the payment password;
//! 4. the second factor, when the operation completes at once (a request signed
//!    by an API client skips 3 and 4: the signature proves who sent it);
//! 5. one write transaction: create the application, hold its money, execute it
//!    when it completes at once, record the idempotent answer;
//! 6. messages, after the commit.
//!
//! Nothing before step 5 changes anything but the proofs' own attempt counters,
//! so any refusal leaves the ledger as it was and the request retryable.

use paydesk_api_types::Application;
use paydesk_domain::application::{ApplicationKind, NumberKind};
use paydesk_domain::draft::{Draft, FeeSchedule, FieldProblem};
use paydesk_domain::permissions::{apply_permission, on_submit, Submission};
use paydesk_store::{applications, identity, ledger, DbConn};

use crate::auth::OperatorAuth;
use crate::core::factors::{check_payment_password, check_second_factor, Factors};
use crate::core::idempotency::Idem;
use crate::core::{execute, numbers};
use crate::error::ApiError;
use crate::views;
use crate::AppState;

/// A draft, or every problem of the request.
pub type Checked = Result<Draft, Vec<FieldProblem>>;

/// Runs the pipeline for an operation of `kind`. `prepare` looks the payees up
/// (reads only) and hands them with the request to the domain's check. A
/// request an API client signed has no proofs to check between the reads and
/// the write, so it runs steps 1, 2 and 5 in one transaction.
pub fn submit(
    st: &AppState,
    auth: &OperatorAuth,
    kind: ApplicationKind,
    factors: &Factors,
    idem: &mut Idem,
    prepare: impl FnOnce(&mut DbConn, &identity::Merchant, &FeeSchedule) -> Result<Checked, ApiError>,
) -> Result<Application, ApiError> {
    let look = |c: &mut DbConn| -> Result<_, ApiError> {
        let terms = paydesk_store::fees::terms(c, auth.merchant_id, kind)?;
        let fees = FeeSchedule(terms.schedule);
        let checked = prepare(c, &terms.merchant, &fees)?;
        let held = Held { mode: terms.mode, between: terms.held_between };
        Ok((terms.merchant, held, checked))
    };
    let (view, notices) = if auth.signed_by.is_some() {
        // The signature proved who sent it already.
        let at = st.clock.now();
        auth.audit.write_closing(&st.store, |c| -> Result<_, ApiError> {
            let (merchant, held, checked) = look(c)?;
            let (draft, complete_now) = admit(auth, kind, held.mode, checked)?;
            record(c, st, auth, &merchant, held, &draft, complete_now, idem, at)
        })?
    } else {
        let (merchant, held, checked) = st.store.read(look)?;
        let (draft, complete_now) = admit(auth, kind, held.mode, checked)?;
        check_payment_password(st, auth, &merchant, &factors.payment_password)?;
        if complete_now {
            check_second_factor(
                st,
                auth.operator_id,
                factors.sms_code.as_deref(),
                factors.security_key.as_ref(),
                &crate::security_key::submit_binding(kind.as_str()),
            )?;
        }
        let at = st.clock.now();
        auth.audit.write_closing(&st.store, |c| {
            record(c, st, auth, &merchant, held, &draft, complete_now, idem, at)
        })?
    };
    st.messenger.send_after_commit(&st.store, notices);
    Ok(view)
}

/// How the merchant reviews the kind, and the accounts its money is held
/// between (read with the merchant's terms).
#[derive(Debug, Clone, Copy)]
struct Held {
    mode: paydesk_domain::permissions::ReviewMode,
    between: Option<[paydesk_domain::ledger::AccountId; 2]>,
}

/// Whether the submitter may apply, and the draft: the request's problems, or
/// the draft with whether it completes at once (no review).
fn admit(
    auth: &OperatorAuth,
    kind: ApplicationKind,
    mode: paydesk_domain::permissions::ReviewMode,
    checked: Checked,
) -> Result<(Draft, bool), ApiError> {
    let submission = on_submit(&auth.permissions, kind, mode);
    if submission == Submission::Refused {
        return Err(crate::permits::denied(&[apply_permission(kind)]));
    }
    let draft = checked?;
    debug_assert_eq!(draft.kind, kind);
    Ok((draft, submission == Submission::CompletesNow))
}

/// The pipeline's answer and the payees' notices to send after the commit.
type Answered = (Application, Vec<(String, String)>);

/// Step 5, in the caller's write transaction: the application, its hold, its
/// execution when it completes at once, and the idempotent answer. Returns the
/// answer and the payees' notices to send after the commit, with the hold's
/// entry when nothing follows it (an application waiting for review): the
/// caller posts it with the COMMIT, so the merchant's balance row is locked
/// for no round trip.
#[allow(clippy::too_many_arguments)]
fn record(
    c: &mut DbConn,
    st: &AppState,
    auth: &OperatorAuth,
    merchant: &identity::Merchant,
    held: Held,
    draft: &Draft,
    complete_now: bool,
    idem: &mut Idem,
    at: chrono::NaiveDateTime,
) -> Result<(Answered, Option<ledger::Last>), ApiError> {
    let submitted = applications::Submitted {
        merchant_id: merchant.id,
        by: auth.operator_id,
        review_mode: held.mode,
        at,
    };
    let (mut app, lines) = applications::create_from_draft(
        c,
        submitted,
        &numbers::next(NumberKind::Application, at),
        || numbers::next(NumberKind::Line, at),
        draft,
    )?;
    let hold = |c: &mut DbConn| {
        execute::hold_as_last(c, &app, &lines, &draft.hold_remark, auth.signed_by.as_deref(), held.between)
    };
    let (lines, last) = if complete_now {
        if let Some(last) = hold(c)? {
            last.post(c)?;
        }
        execute::approve_and_execute(
            c,
            st.bank.as_ref(),
            &mut app,
            auth.operator_id,
            &merchant.company_name,
            None,
            at,
        )?;
        (applications::lines(c, app.id)?, None)
    } else {
        // Waiting for review, nothing changes after the hold: it goes last.
        let last = hold(c)?;
        (lines, last)
    };
    let notices = execute::payee_notices(&app, &lines, &merchant.company_name);
    let view = views::application(&app, &lines);
    idem.record(c, &view)?;
    Ok(((view, notices), last))
}
