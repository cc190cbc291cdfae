#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The SQLite and PostgreSQL migration folders stay equivalent: the same
//! migrations, and after running them the same tables with the same columns and
//! the same nullability.

use std::collections::BTreeMap;
use std::path::Path;

use diesel::sql_types::{Integer, Text};
use diesel::RunQueryDsl;
use paydesk_store::testing::TestDb;
use paydesk_store::DbConn;

#[derive(diesel::QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
}

type Schema = BTreeMap<String, BTreeMap<String, bool>>;

fn schema(conn: &mut DbConn) -> Schema {
    let sql = match conn {
        DbConn::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name, \
                    CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 1 ELSE 0 END AS not_null \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'"
        }
        DbConn::Pg(_) => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                    CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS not_null \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> '__diesel_schema_migrations'"
        }
    };
    let rows: Vec<Column> = diesel::sql_query(sql).load(conn).unwrap();
    let mut out = Schema::new();
    for c in rows {
        out.entry(c.table_name).or_default().insert(c.column_name, c.not_null == 1);
    }
    out
}

fn folders(backend: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations").join(backend);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = folders("sqlite");
    assert_eq!(sqlite, folders("postgres"));
    for name in &sqlite {
        for backend in ["sqlite", "postgres"] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations").join(backend).join(name);
            assert!(dir.join("up.sql").is_file() && dir.join("down.sql").is_file(), "{backend}/{name}");
        }
    }
}

#[test]
fn both_backends_end_with_the_same_tables_and_columns() {
    let Some(pg) = TestDb::postgres() else { return };
    let lite = TestDb::sqlite();
    let a = lite.store().read(|c| Ok::<_, paydesk_store::StoreError>(schema(c))).unwrap();
    let b = pg.store().read(|c| Ok::<_, paydesk_store::StoreError>(schema(c))).unwrap();
    assert!(!a.is_empty());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the same tables");
    for (table, columns) in &a {
        assert_eq!(Some(columns), b.get(table), "table {table}: columns and nullability");
    }
}
