#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The ledger's promises, checked on SQLite and PostgreSQL alike.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use diesel::connection::SimpleConnection;
use paydesk_domain::ledger::{AccountKind, Discrepancy, EntryError, JournalEntry, ModelLedger, Posting};
use paydesk_domain::Money;
use paydesk_store::db::count_rows;
use paydesk_store::ledger::{self, Account, EntryMeta, Last};
use paydesk_store::testing::TestDb;
use paydesk_store::{Store, StoreError};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

paydesk_store::on_both_backends!(
    unbalanced_entry_is_refused,
    overdraft_is_refused_and_writes_nothing,
    failure_half_way_rolls_everything_back,
    concurrent_debits_never_overdraw,
    statement_rows_carry_the_balance_after,
    reconciliation_catches_tampering,
    random_postings_match_the_model,
    a_last_entry_posts_with_the_commit,
    a_refused_last_entry_rolls_the_write_back,
    remarks_reach_the_books_as_written,
    migrations_are_all_applied,
);

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

fn meta(kind: &str) -> EntryMeta<'_> {
    EntryMeta { kind, reference: None, remark: kind }
}

fn open(store: &Store, code: &str, kind: AccountKind) -> Account {
    store.write(|c| ledger::open_account(c, code, kind, None)).unwrap()
}

/// A bank-clearing account and a merchant account holding `funded`.
fn funded(store: &Store, prefix: &str, funded: &str) -> (Account, Account) {
    let bank = open(store, &format!("{prefix}:bank"), AccountKind::PlatformBankClearing);
    let merchant = open(store, &format!("{prefix}:available"), AccountKind::MerchantAvailable);
    if money(funded) != Money::ZERO {
        let entry = JournalEntry::transfer(bank.id, merchant.id, money(funded)).unwrap();
        store.write(|c| ledger::post_entry(c, &entry, &meta("recharge"))).unwrap();
    }
    (bank, merchant)
}

fn balance(store: &Store, account: &Account) -> i64 {
    store.read(|c| ledger::balance(c, account.id)).unwrap()
}

fn counts(store: &Store) -> [i64; 3] {
    store
        .read(|c| -> Result<_, StoreError> {
            Ok([
                count_rows(c, "journal_entries")?,
                count_rows(c, "postings")?,
                count_rows(c, "statement_rows")?,
            ])
        })
        .unwrap()
}

fn assert_books_balance(store: &Store) {
    let found = store.read(ledger::reconcile_all).unwrap();
    assert!(found.is_empty(), "reconciliation found {found:?}");
}

fn unbalanced_entry_is_refused(db: TestDb) {
    let store = db.store();
    let (bank, merchant) = funded(&store, "m", "10.00");
    let lopsided = JournalEntry::new(vec![
        Posting { account: bank.id, amount: -500 },
        Posting { account: merchant.id, amount: 499 },
    ]);
    assert_eq!(lopsided, Err(EntryError::Unbalanced(-1)));
    // The database itself refuses a zero posting, whatever the caller.
    let before = counts(&store);
    let raw = store.write(|c| -> Result<(), StoreError> {
        c.batch_execute(&format!(
            "INSERT INTO postings (entry_id, account_id, amount, created_at) \
             VALUES (1, {}, 0, '2026-01-01 00:00:00')",
            merchant.id
        ))?;
        Ok(())
    });
    assert!(matches!(raw, Err(StoreError::Database(_))), "{raw:?}");
    assert_eq!(counts(&store), before);
    assert_books_balance(&store);
}

fn overdraft_is_refused_and_writes_nothing(db: TestDb) {
    let store = db.store();
    let (bank, merchant) = funded(&store, "m", "100.00");
    let other = open(&store, "other:available", AccountKind::MerchantAvailable);
    let before = counts(&store);

    let too_much = JournalEntry::transfer(merchant.id, other.id, money("100.01")).unwrap();
    let refused = store.write(|c| ledger::post_entry(c, &too_much, &meta("transfer")));
    assert!(matches!(refused, Err(StoreError::InsufficientBalance(id)) if id == merchant.id), "{refused:?}");
    assert_eq!(counts(&store), before, "a refused entry writes no row");
    assert_eq!((balance(&store, &merchant), balance(&store, &other)), (10_000, 0));

    let exact = JournalEntry::transfer(merchant.id, other.id, money("100.00")).unwrap();
    store.write(|c| ledger::post_entry(c, &exact, &meta("transfer"))).unwrap();
    assert_eq!((balance(&store, &merchant), balance(&store, &other)), (0, 10_000));
    assert_eq!(balance(&store, &bank), -10_000, "bank clearing mirrors money at the bank");
    assert_books_balance(&store);
}

fn failure_half_way_rolls_everything_back(db: TestDb) {
    let store = db.store();
    let (_bank, merchant) = funded(&store, "m", "50.00");
    let poor = open(&store, "poor:available", AccountKind::MerchantAvailable);
    let payee = open(&store, "payee:available", AccountKind::MerchantAvailable);
    let before = counts(&store);

    // The first debit (lower id) succeeds, the second finds no money: nothing stays.
    assert!(merchant.id < poor.id);
    let entry = JournalEntry::new(vec![
        Posting { account: merchant.id, amount: -1_000 },
        Posting { account: poor.id, amount: -1 },
        Posting { account: payee.id, amount: 1_001 },
    ])
    .unwrap();
    let refused = store.write(|c| ledger::post_entry(c, &entry, &meta("split")));
    assert!(matches!(refused, Err(StoreError::InsufficientBalance(id)) if id == poor.id), "{refused:?}");
    assert_eq!(counts(&store), before);
    assert_eq!(balance(&store, &merchant), 5_000);

    // A whole entry is written, then the work that follows fails: all of it goes.
    let entry = JournalEntry::transfer(merchant.id, payee.id, money("20.00")).unwrap();
    let failed: Result<(), StoreError> = store.write(|c| {
        ledger::post_entry(c, &entry, &meta("transfer"))?;
        Err(StoreError::NotFound)
    });
    assert!(matches!(failed, Err(StoreError::NotFound)));
    assert_eq!(counts(&store), before);
    assert_eq!((balance(&store, &merchant), balance(&store, &payee)), (5_000, 0));

    // A panic inside the transaction rolls back too, and the pool stays usable.
    let store2 = store.clone();
    let panicked = std::thread::spawn(move || {
        let _ = store2.write(|c| -> Result<(), StoreError> {
            ledger::post_entry(c, &entry, &meta("transfer"))?;
            panic!("simulated crash half-way");
        });
    })
    .join();
    assert!(panicked.is_err());
    assert_eq!(counts(&store), before);
    assert_eq!(balance(&store, &merchant), 5_000);
    assert_books_balance(&store);
}

/// 200 threads race to take 1.00 each from an account holding 100.00.
fn concurrent_debits_never_overdraw(db: TestDb) {
    let store = db.store();
    let (_bank, merchant) = funded(&store, "m", "100.00");
    let payee = open(&store, "payee:available", AccountKind::MerchantAvailable);
    let succeeded = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let threads: Vec<_> = (0..200)
        .map(|_| {
            let store = store.clone();
            let succeeded = succeeded.clone();
            let entry = JournalEntry::transfer(merchant.id, payee.id, money("1.00")).unwrap();
            std::thread::spawn(move || {
                match store.write(|c| ledger::post_entry(c, &entry, &meta("transfer"))) {
                    Ok(_) => {
                        succeeded.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(StoreError::InsufficientBalance(_)) => {}
                    Err(e) => panic!("unexpected failure: {e}"),
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = started.elapsed();
    let ok = succeeded.load(Ordering::SeqCst);
    eprintln!(
        "{}: 200 concurrent debits in {:.0} ms ({:.0} per second), {ok} succeeded",
        db.backend().as_str(),
        elapsed.as_secs_f64() * 1000.0,
        200.0 / elapsed.as_secs_f64()
    );
    assert_eq!(ok, 100, "exactly the money that was there moves");
    assert_eq!(balance(&store, &merchant), 0);
    assert_eq!(balance(&store, &payee), 10_000);
    let posted = store.read(|c| ledger::sum_of_postings(c, merchant.id)).unwrap();
    assert_eq!(posted, 10_000 - 100 * ok as i64, "balance equals the sum of the postings that succeeded");
    assert_books_balance(&store);
}

fn statement_rows_carry_the_balance_after(db: TestDb) {
    let store = db.store();
    let (_bank, merchant) = funded(&store, "m", "30.00");
    let payee = open(&store, "payee:available", AccountKind::MerchantAvailable);
    for amount in ["10.00", "5.50"] {
        let entry = JournalEntry::transfer(merchant.id, payee.id, money(amount)).unwrap();
        store.write(|c| ledger::post_entry(c, &entry, &meta("transfer"))).unwrap();
    }
    let rows = store.read(|c| ledger::statement(c, merchant.id, 20, 0)).unwrap();
    let seen: Vec<(i64, i64)> = rows.iter().map(|r| (r.amount, r.balance_after)).collect();
    assert_eq!(seen, vec![(-550, 1_450), (-1_000, 2_000), (3_000, 3_000)]);
    let payee_rows = store.read(|c| ledger::statement(c, payee.id, 1, 0)).unwrap();
    assert_eq!(payee_rows[0].balance_after, 1_550);
    assert_books_balance(&store);
}

fn reconciliation_catches_tampering(db: TestDb) {
    let store = db.store();
    let (_bank, merchant) = funded(&store, "m", "30.00");
    store
        .write(|c| -> Result<(), StoreError> {
            c.batch_execute(&format!(
                "UPDATE accounts SET balance = balance + 1 WHERE id = {}",
                merchant.id
            ))?;
            Ok(())
        })
        .unwrap();
    let found = store.read(ledger::reconcile_all).unwrap();
    assert!(found.contains(&Discrepancy::BalanceMismatch {
        account: merchant.id,
        stored: 3_001,
        postings: 3_000
    }));
    assert!(found.contains(&Discrepancy::LedgerNotZero { sum: 1 }));
}

/// Random sequences of movements give the same balances in the database as in
/// the in-memory model, and the books reconcile after every one.
fn random_postings_match_the_model(db: TestDb) {
    let store = db.store();
    let mut runner = TestRunner::new(Config { cases: 12, failure_persistence: None, ..Config::default() });
    let case = AtomicU64::new(0);
    let ops = proptest::collection::vec((0usize..4, 0usize..4, 1i64..20_000), 1..30);
    runner
        .run(&ops, |ops| {
            let n = case.fetch_add(1, Ordering::SeqCst);
            let mut model = ModelLedger::default();
            let mut ids = Vec::new();
            for i in 0..4 {
                let kind =
                    if i == 0 { AccountKind::PlatformBankClearing } else { AccountKind::MerchantAvailable };
                let a = open(&store, &format!("case{n}:{i}"), kind);
                model.open(a.id, kind);
                ids.push(a.id);
            }
            for (from, to, fen) in ops {
                let Ok(entry) = JournalEntry::transfer(ids[from], ids[to], Money::from_fen(fen).unwrap())
                else {
                    continue;
                };
                let expected = model.post(&entry);
                let actual = store.write(|c| ledger::post_entry(c, &entry, &meta("move")));
                prop_assert_eq!(expected.is_ok(), actual.is_ok(), "{:?} vs {:?}", expected, actual);
                for id in &ids {
                    prop_assert_eq!(
                        model.balance(*id),
                        Some(store.read(|c| ledger::balance(c, *id)).unwrap())
                    );
                }
            }
            let found = store.read(ledger::reconcile_all).unwrap();
            prop_assert!(found.is_empty(), "{:?}", found);
            Ok(())
        })
        .unwrap();
}

/// `Store::write_closing`: the work's rows and the entry it hands back are
/// committed together (on PostgreSQL the entry travels with the COMMIT).
fn a_last_entry_posts_with_the_commit(db: TestDb) {
    let store = db.store();
    let (_bank, merchant) = funded(&store, "m", "30.00");
    let payee = open(&store, "payee:available", AccountKind::MerchantAvailable);
    let entry = JournalEntry::transfer(merchant.id, payee.id, money("12.34")).unwrap();
    let opened = store
        .write_closing(|c| -> Result<_, StoreError> {
            let other = ledger::open_account(c, "other:available", AccountKind::MerchantAvailable, None)?;
            let meta =
                EntryMeta {
                    kind: "transfer", reference: Some("application:1"), remark: "收款 it's \\ done"
                };
            Ok((other, Some(Last::new(entry, &meta, ledger::now()))))
        })
        .unwrap();
    assert_eq!(
        (balance(&store, &merchant), balance(&store, &payee), balance(&store, &opened)),
        (1_766, 1_234, 0)
    );
    let row = &store.read(|c| ledger::statement(c, payee.id, 1, 0)).unwrap()[0];
    assert_eq!((row.amount, row.balance_after, row.remark.as_str()), (1_234, 1_234, "收款 it's \\ done"));
    assert_books_balance(&store);
}

/// A last entry the money isn't there for fails the write with the account
/// named — one whose account is missing fails it too — and nothing of it stays.
fn a_refused_last_entry_rolls_the_write_back(db: TestDb) {
    let store = db.store();
    let (_bank, merchant) = funded(&store, "m", "30.00");
    let payee = open(&store, "payee:available", AccountKind::MerchantAvailable);
    let before = counts(&store);
    let accounts = || store.read(|c| count_rows(c, "accounts")).unwrap();
    let opened_before = accounts();
    let write = |entry: JournalEntry| {
        store.write_closing(|c| -> Result<_, StoreError> {
            ledger::open_account(c, "rolled:back", AccountKind::MerchantAvailable, None)?;
            Ok(((), Some(Last::new(entry, &meta("transfer"), ledger::now()))))
        })
    };
    let too_much = JournalEntry::transfer(merchant.id, payee.id, money("30.01")).unwrap();
    let refused = write(too_much);
    assert!(matches!(refused, Err(StoreError::InsufficientBalance(id)) if id == merchant.id), "{refused:?}");
    let missing = JournalEntry::transfer(merchant.id, payee.id + 1_000, money("1.00")).unwrap();
    // The posting's foreign key refuses it first.
    assert!(write(missing).is_err());
    assert_eq!((counts(&store), accounts()), (before, opened_before), "nothing of a refused write stays");
    assert_eq!((balance(&store, &merchant), balance(&store, &payee)), (3_000, 0));
    // The connections it used work on: the whole of the money moves next.
    let exact = JournalEntry::transfer(merchant.id, payee.id, money("30.00")).unwrap();
    write(exact).unwrap();
    assert_eq!((balance(&store, &merchant), balance(&store, &payee)), (0, 3_000));
    assert_books_balance(&store);
}

/// Entry remarks and references of any text — quotes, backslashes, dollar
/// signs, semicolons, newlines, Chinese — are stored exactly as written: on
/// PostgreSQL they are written into the SQL text of the posting's call.
fn remarks_reach_the_books_as_written(db: TestDb) {
    let store = db.store();
    let (_bank, merchant) = funded(&store, "m", "1000.00");
    let payee = open(&store, "payee:available", AccountKind::MerchantAvailable);
    let mut runner = TestRunner::new(Config { cases: 48, failure_persistence: None, ..Config::default() });
    let text = "(\\\\|'|\"|\\$\\$|\\$|;|--|/\\*|\\n|\\t|E'|\\\\x00|[a-z]|中|文|😀|\\u{7f}){0,24}";
    runner
        .run(&(text, text, any::<bool>()), |(remark, reference, last)| {
            let entry = JournalEntry::transfer(merchant.id, payee.id, Money::from_fen(1).unwrap()).unwrap();
            let meta = EntryMeta { kind: "transfer", reference: Some(&reference), remark: &remark };
            if last {
                let last = Last::new(entry, &meta, ledger::now());
                store.write_closing(|_| -> Result<_, StoreError> { Ok(((), Some(last))) }).unwrap();
            } else {
                store.write(|c| ledger::post_entry(c, &entry, &meta)).unwrap();
            }
            let row = store.read(|c| ledger::statement(c, payee.id, 1, 0)).unwrap().remove(0);
            prop_assert_eq!(&row.remark, &remark);
            let stored: String = store
                .read(|c| -> Result<String, StoreError> {
                    use diesel::prelude::*;
                    use paydesk_store::schema::journal_entries;
                    Ok(journal_entries::table
                        .order(journal_entries::id.desc())
                        .select(journal_entries::reference.assume_not_null())
                        .first(c)?)
                })
                .unwrap();
            prop_assert_eq!(stored, reference);
            Ok(())
        })
        .unwrap();
    if db.backend() == paydesk_store::Backend::Postgres {
        let entry = JournalEntry::transfer(merchant.id, payee.id, Money::from_fen(1).unwrap()).unwrap();
        let nul = store.write(|c| {
            ledger::post_entry(c, &entry, &EntryMeta { kind: "t", reference: None, remark: "a\0b" })
        });
        assert!(matches!(nul, Err(StoreError::Database(_))), "PostgreSQL's text holds no NUL: {nul:?}");
    }
    assert_books_balance(&store);
}

fn migrations_are_all_applied(db: TestDb) {
    let store = db.store();
    let state = store.migration_state().unwrap();
    assert!(state.pending.is_empty());
    assert!(!state.applied.is_empty());
    assert_eq!(store.migrate().unwrap(), Vec::<String>::new(), "migrating twice applies nothing");
}
