//! `just run`'s demo month (issue 12, `--demo-history`): written through the
//! live flows under a clock set to each moment, once, and the books agree with
//! the trades — settled ones on the available balance net of the fee, today's in
//! pending settlement, nothing recorded in the future.

use diesel::prelude::*;
use paydesk_domain::trades::TradeStatus;
use paydesk_server::messaging::Messenger;
use paydesk_server::{demo, AppState, Settings};
use paydesk_store::schema::journal_entries;
use paydesk_store::testing::TestDb;
use paydesk_store::StoreError;

use crate::common::available_fen;

on_both_backends_async!(the_demo_month_is_written_once_and_the_books_agree);

fn balance(store: &paydesk_store::Store, code: &str) -> i64 {
    store
        .read(|c| -> Result<i64, StoreError> {
            let account = paydesk_store::ledger::find_account(c, code)?.expect("the account");
            paydesk_store::ledger::balance(c, account.id)
        })
        .unwrap()
}

async fn the_demo_month_is_written_once_and_the_books_agree(db: TestDb) {
    let store = db.store();
    assert!(demo::seed(&store).unwrap());
    let dir = std::env::temp_dir().join(format!("paydesk-demo-{}", std::process::id()));
    let st = AppState::new(store.clone(), Settings::development(dir.clone(), dir), Messenger::outbox_only())
        .unwrap();
    // A demo database from before signings: the next start signs the products again, once.
    store
        .write(|c| -> Result<(), StoreError> {
            diesel::delete(paydesk_store::schema::product_signings::table).execute(c)?;
            Ok(())
        })
        .unwrap();
    assert!(!demo::seed(&store).unwrap());
    assert!(!demo::seed(&store).unwrap());
    let signed = store.read(|c| paydesk_store::signings::of_merchant(c, 1)).unwrap();
    assert_eq!(signed.len(), paydesk_domain::apps::App::ALL.len());
    let written = demo::seed_history(&st).unwrap();
    assert!(written >= 3 * demo::HISTORY_DAYS as usize, "{written} trades");
    assert_eq!(demo::seed_history(&st).unwrap(), 0, "written once");

    let merchant =
        store.read(|c| paydesk_store::identity::find_merchant_by_email(c, demo::MERCHANT)).unwrap().unwrap();
    let (trades, total) =
        store.read(|c| paydesk_store::trades::of_merchant(c, merchant.id, 0, 10_000)).unwrap();
    assert_eq!(total as usize, written);
    let count = |s: TradeStatus| trades.iter().filter(|t| t.status == s).count();
    assert!(count(TradeStatus::Settled) > written / 2, "most of the month settled");
    assert!(count(TradeStatus::Closed) > 0, "some were never paid and closed");
    assert!(trades.iter().any(|t| t.shipped_at.is_some()), "guaranteed trades were shipped");
    assert!(trades.iter().any(|t| t.qr_code_id.is_some()), "some came through the QR code");
    // Today's last unpaid trade may still be within its two hours; none past them waits.
    let now = chrono::Utc::now().naive_utc();
    let overdue = trades.iter().filter(|t| t.status == TradeStatus::Pending && t.expires_at <= now).count();
    assert_eq!(overdue, 0, "nothing left waiting from the past");
    let days: std::collections::BTreeSet<_> = trades.iter().map(|t| t.created_at.date()).collect();
    assert!(days.len() >= demo::HISTORY_DAYS as usize, "{} days", days.len());

    // The books: settled trades net of the fee are available; completed and held ones wait.
    let settled: i64 =
        trades.iter().filter(|t| t.status == TradeStatus::Settled).map(|t| t.amount - t.fee).sum();
    assert!(trades.iter().any(|t| t.fee > 0), "the acquiring fee was charged");
    assert_eq!(available_fen(&store, merchant.id), settled);
    let waiting: i64 = trades
        .iter()
        .filter(|t| matches!(t.status, TradeStatus::Completed | TradeStatus::Paid))
        .map(|t| t.amount)
        .sum();
    let pending = balance(&store, &format!("merchant:{}:merchant_pending_settlement", merchant.id));
    assert_eq!(pending, waiting);
    let found = store.read(paydesk_store::ledger::reconcile_all).unwrap();
    assert!(found.is_empty(), "{found:?}");

    // Recorded when it happened, never later than now.
    let stamps: Vec<chrono::NaiveDateTime> = store
        .read(|c| -> Result<_, StoreError> {
            Ok(journal_entries::table.select(journal_entries::created_at).load(c)?)
        })
        .unwrap();
    let now = chrono::Utc::now().naive_utc();
    assert!(stamps.iter().all(|t| *t <= now));
    let entry_days: std::collections::BTreeSet<_> = stamps.iter().map(chrono::NaiveDateTime::date).collect();
    assert!(entry_days.len() >= 25, "entries spread over the month: {}", entry_days.len());
}
