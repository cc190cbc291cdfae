#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The operation log as a hash chain, on SQLite and PostgreSQL: appends verify;
//! an edited, removed or newest-removed entry is found.

use diesel::connection::SimpleConnection;
use paydesk_store::oplog::{self, NewEntry};
use paydesk_store::testing::TestDb;
use paydesk_store::Store;

paydesk_store::on_both_backends!(
    appended_entries_verify,
    an_edited_entry_breaks_the_chain,
    a_removed_entry_breaks_the_chain,
    a_removed_newest_entry_is_noticed,
);

fn append(store: &Store, n: usize) {
    for i in 0..n {
        let target = format!("/api/v1/transfers/{i}");
        store
            .write(|c| {
                oplog::record(
                    c,
                    &NewEntry {
                        merchant_id: Some(1),
                        operator_id: Some(7),
                        staff_id: None,
                        action: "POST /api/v1/transfers",
                        target: &target,
                        status: 201,
                        ip: "127.0.0.1",
                        at: paydesk_store::ledger::now(),
                    },
                )
            })
            .unwrap();
    }
    // Written lines wait for their seal; the jobs seal them in the server.
    assert_eq!(store.read(oplog::verify).unwrap().waiting, n as u64);
    assert_eq!(store.write(|c| oplog::seal(c, 1000)).unwrap(), n);
}

fn sql(store: &Store, text: &str) {
    store.write(|c| c.batch_execute(text).map_err(paydesk_store::StoreError::from)).unwrap();
}

fn appended_entries_verify(db: TestDb) {
    let store = db.store();
    append(&store, 5);
    let v = store.read(oplog::verify).unwrap();
    assert_eq!((v.chained, v.unchained, v.waiting, v.breaks.len()), (5, 0, 0, 0), "{v:?}");
    // Sealing again seals nothing twice; later lines continue the chain.
    assert_eq!(store.write(|c| oplog::seal(c, 1000)).unwrap(), 0);
    append(&store, 3);
    let v = store.read(oplog::verify).unwrap();
    assert_eq!((v.chained, v.breaks.len()), (8, 0), "{v:?}");
}

fn an_edited_entry_breaks_the_chain(db: TestDb) {
    let store = db.store();
    append(&store, 4);
    sql(&store, "UPDATE operation_log SET status = 200 WHERE id = 2");
    let v = store.read(oplog::verify).unwrap();
    assert_eq!(v.breaks.iter().map(|b| b.0).collect::<Vec<_>>(), [2], "{v:?}");
}

fn a_removed_entry_breaks_the_chain(db: TestDb) {
    let store = db.store();
    append(&store, 4);
    sql(&store, "DELETE FROM operation_log WHERE id = 2");
    let v = store.read(oplog::verify).unwrap();
    assert_eq!(v.breaks.iter().map(|b| b.0).collect::<Vec<_>>(), [3], "{v:?}");
}

fn a_removed_newest_entry_is_noticed(db: TestDb) {
    let store = db.store();
    append(&store, 3);
    sql(&store, "DELETE FROM operation_log WHERE id = 3");
    let v = store.read(oplog::verify).unwrap();
    assert_eq!(v.breaks.iter().map(|b| b.0).collect::<Vec<_>>(), [0], "{v:?}");
}
