#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Idempotency claims and application transitions, on SQLite and PostgreSQL.

use chrono::{Duration, NaiveDateTime, Utc};
use paydesk_domain::application::ApplicationStatus;
use paydesk_domain::limits;
use paydesk_store::applications::{self, NewApplication, NewLine};
use paydesk_store::idempotency::{self, Claim};
use paydesk_store::identity::{self, NewMerchant};
use paydesk_store::testing::TestDb;
use paydesk_store::{Store, StoreError};

paydesk_store::on_both_backends!(
    a_claim_runs_once_then_replays,
    an_answer_commits_with_its_change_or_not_at_all,
    a_dead_claim_is_taken_over_after_a_minute_and_its_owner_can_no_longer_finish,
    a_released_claim_runs_afresh,
    an_application_moves_only_from_the_state_it_is_in,
);

fn merchant(store: &Store) -> i64 {
    store
        .write(|c| {
            identity::create_merchant(
                c,
                &NewMerchant {
                    email: "m@example.com",
                    company_name: "示例公司",
                    login_password_hash: "x",
                    payment_password_hash: "y",
                },
            )
        })
        .unwrap()
        .unwrap()
        .id
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn claim(store: &Store, m: i64, key: &str, hash: &str, at: NaiveDateTime) -> Claim {
    store.write(|c| idempotency::claim(c, m, key, hash, at)).unwrap()
}

fn claimed_at(claim: Claim) -> NaiveDateTime {
    match claim {
        Claim::Run { claimed_at } => claimed_at,
        other => panic!("expected to run, got {other:?}"),
    }
}

fn a_claim_runs_once_then_replays(db: TestDb) {
    let store = db.store();
    let m = merchant(&store);
    let at = claimed_at(claim(&store, m, "k", "h1", now()));
    assert_eq!(claim(&store, m, "k", "h1", now()), Claim::InProgress);
    assert_eq!(claim(&store, m, "k", "h2", now()), Claim::Mismatch);
    store.write(|c| idempotency::finish(c, m, "k", at, 201, "{\"id\":1}")).unwrap();
    assert_eq!(claim(&store, m, "k", "h1", now()), Claim::Replay { status: 201, body: "{\"id\":1}".into() });
    assert_eq!(claim(&store, m, "k", "h2", now()), Claim::Mismatch);
    // Keys are per merchant: another key is another request.
    claimed_at(claim(&store, m, "other", "h1", now()));
}

fn an_answer_commits_with_its_change_or_not_at_all(db: TestDb) {
    let store = db.store();
    let m = merchant(&store);
    let at = claimed_at(claim(&store, m, "k", "h", now()));
    // The business transaction fails after recording: the record goes with it.
    let failed: Result<(), StoreError> = store.write(|c| {
        idempotency::finish(c, m, "k", at, 201, "{}")?;
        Err(StoreError::NotFound)
    });
    assert!(failed.is_err());
    assert_eq!(claim(&store, m, "k", "h", now()), Claim::InProgress, "still only claimed");
    store.write(|c| idempotency::finish(c, m, "k", at, 201, "{}")).unwrap();
    assert!(matches!(claim(&store, m, "k", "h", now()), Claim::Replay { .. }));
}

fn a_dead_claim_is_taken_over_after_a_minute_and_its_owner_can_no_longer_finish(db: TestDb) {
    let store = db.store();
    let m = merchant(&store);
    let start = now();
    let dead = claimed_at(claim(&store, m, "k", "h", start));
    let almost = start + Duration::seconds(limits::IDEMPOTENCY_TAKEOVER_SECS - 1);
    assert_eq!(claim(&store, m, "k", "h", almost), Claim::InProgress);
    let later = start + Duration::seconds(limits::IDEMPOTENCY_TAKEOVER_SECS);
    let mine = claimed_at(claim(&store, m, "k", "h", later));
    assert_ne!(mine, dead);
    // The first owner wakes up: its transaction must not commit a second change.
    let late = store.write(|c| idempotency::finish(c, m, "k", dead, 201, "{\"id\":1}"));
    assert!(matches!(late, Err(StoreError::IdempotencyTakenOver(_))), "{late:?}");
    store.write(|c| idempotency::release(c, m, "k", dead)).unwrap();
    store.write(|c| idempotency::finish(c, m, "k", mine, 201, "{\"id\":2}")).unwrap();
    assert_eq!(claim(&store, m, "k", "h", later), Claim::Replay { status: 201, body: "{\"id\":2}".into() });
}

fn a_released_claim_runs_afresh(db: TestDb) {
    let store = db.store();
    let m = merchant(&store);
    let at = claimed_at(claim(&store, m, "k", "h", now()));
    store.write(|c| idempotency::release(c, m, "k", at)).unwrap();
    // A corrected request — even with another body — may use the key now.
    claimed_at(claim(&store, m, "k", "h2", now()));
}

fn an_application_moves_only_from_the_state_it_is_in(db: TestDb) {
    use ApplicationStatus as S;
    let store = db.store();
    let m = merchant(&store);
    let line = NewLine {
        trade_no: "261201110000000000001".into(),
        payee_kind: "platform_account".into(),
        payee_account: "p@example.com".into(),
        payee_name: "收款".into(),
        amount: 100,
        fee: 0,
        remark: String::new(),
        notify_phone: None,
        merchant_order_no: None,
        payee_bank: None,
        payee_branch: None,
        payout_speed: None,
    };
    let (created, lines) = store
        .write(|c| {
            applications::create(
                c,
                &NewApplication {
                    merchant_id: m,
                    trade_no: "261201100000000000001",
                    kind: "transfer",
                    remark: "",
                    created_by: 1,
                    lines: &[line],
                    review_mode: paydesk_domain::permissions::ReviewMode::MakerChecker,
                    at: now(),
                    batch_no: None,
                },
            )
        })
        .unwrap();
    let id = created.id;
    assert_eq!(
        store.read(|c| applications::find(c, m, id)).unwrap().as_ref(),
        Some(&created),
        "answered as stored"
    );
    assert_eq!(store.read(|c| applications::lines(c, id)).unwrap(), lines, "its lines as stored");
    let step = |from, to| store.write(|c| applications::transition(c, id, from, to, now())).unwrap();
    assert!(step(S::PendingReview, S::Approved));
    assert!(!step(S::PendingReview, S::Rejected), "a second reviewer loses");
    assert!(step(S::Approved, S::Processing));
    assert!(step(S::Processing, S::Succeeded));
    let app = store.read(|c| applications::find(c, m, id)).unwrap().unwrap();
    assert_eq!(app.status, S::Succeeded);
}
