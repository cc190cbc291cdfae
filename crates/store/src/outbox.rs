//! Every e-mail and SMS the platform sends is kept here first; the adapters
//! deliver it and record the outcome. Development mode shows the outbox.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::ledger::now;
use crate::schema::outbox;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct OutboxMessage {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub error: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn push(
    conn: &mut DbConn,
    channel: &str,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<i64, StoreError> {
    let id = diesel::insert_into(outbox::table)
        .values((
            outbox::channel.eq(channel),
            outbox::recipient.eq(recipient),
            outbox::subject.eq(subject),
            outbox::body.eq(body),
            outbox::status.eq("queued"),
            outbox::created_at.eq(now()),
        ))
        .returning(outbox::id)
        .get_result::<i64>(conn)?;
    Ok(id)
}

pub fn set_status(conn: &mut DbConn, id: i64, status: &str, error: Option<&str>) -> Result<(), StoreError> {
    diesel::update(outbox::table.find(id))
        .set((outbox::status.eq(status), outbox::error.eq(error)))
        .execute(conn)?;
    Ok(())
}

/// Newest first; `recipient` filters to one address or phone.
pub fn list(
    conn: &mut DbConn,
    recipient: Option<&str>,
    limit: i64,
) -> Result<Vec<OutboxMessage>, StoreError> {
    let mut query = outbox::table.order(outbox::id.desc()).limit(limit).into_boxed();
    if let Some(r) = recipient {
        query = query.filter(outbox::recipient.eq(r.to_owned()));
    }
    Ok(query.load(conn)?)
}
