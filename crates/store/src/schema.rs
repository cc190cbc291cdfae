//! Table definitions, shared by both backends (see migrations/sqlite and migrations/postgres).

diesel::table! {
    accounts (id) {
        id -> BigInt,
        code -> Text,
        kind -> Text,
        merchant_id -> Nullable<BigInt>,
        balance -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    journal_entries (id) {
        id -> BigInt,
        kind -> Text,
        reference -> Nullable<Text>,
        remark -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    postings (id) {
        id -> BigInt,
        entry_id -> BigInt,
        account_id -> BigInt,
        amount -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    statement_rows (id) {
        id -> BigInt,
        account_id -> BigInt,
        entry_id -> BigInt,
        amount -> BigInt,
        balance_after -> BigInt,
        remark -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(postings -> journal_entries (entry_id));
diesel::joinable!(postings -> accounts (account_id));
diesel::joinable!(statement_rows -> accounts (account_id));
diesel::allow_tables_to_appear_in_same_query!(accounts, journal_entries, postings, statement_rows);
