//! Merchants, operators, platform staff and the sign-in lockout records.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use paydesk_domain::ledger::AccountKind;
use paydesk_domain::states::{KybStatus, OperatorStatus, StaffStatus};

use crate::db::DbConn;
use crate::error::StoreError;
use crate::ledger::{self, now};
use crate::schema::{merchants, operators, staff};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Merchant {
    pub id: i64,
    pub email: String,
    pub company_name: String,
    pub payment_password_hash: String,
    #[diesel(deserialize_as = String)]
    pub kyb_status: KybStatus,
    pub phone: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Operator {
    pub id: i64,
    pub merchant_id: i64,
    pub login_name: String,
    pub display_name: String,
    pub password_hash: String,
    pub phone: Option<String>,
    #[diesel(deserialize_as = String)]
    pub status: OperatorStatus,
    pub created_at: NaiveDateTime,
    /// Always set (the migration filled it for operators created before roles).
    pub role_id: Option<i64>,
    /// The password was set by someone else; it is changed at the next sign-in.
    pub password_change_required: bool,
    /// 安全邮箱: the bound e-mail (not the login).
    pub email: Option<String>,
    /// `person`, or `api` for an integrator's client (it signs requests and never signs in).
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Staff {
    pub id: i64,
    pub login_name: String,
    pub password_hash: String,
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = String)]
    pub status: StaffStatus,
}

/// What registration needs to open a merchant.
#[derive(Debug, Clone)]
pub struct NewMerchant<'a> {
    pub email: &'a str,
    pub company_name: &'a str,
    pub login_password_hash: &'a str,
    pub payment_password_hash: &'a str,
}

/// Opens a merchant with its admin operator (login name = e-mail) and its ledger
/// accounts. Call inside a write transaction. `None` when the e-mail is taken.
pub fn create_merchant(conn: &mut DbConn, new: &NewMerchant<'_>) -> Result<Option<Merchant>, StoreError> {
    if find_merchant_by_email(conn, new.email)?.is_some() {
        return Ok(None);
    }
    let at = now();
    let id = diesel::insert_into(merchants::table)
        .values((
            merchants::email.eq(new.email),
            merchants::company_name.eq(new.company_name),
            merchants::payment_password_hash.eq(new.payment_password_hash),
            merchants::kyb_status.eq(KybStatus::Draft.as_str()),
            merchants::created_at.eq(at),
        ))
        .returning(merchants::id)
        .get_result::<i64>(conn)?;
    crate::roles::create_builtins(conn, id, at)?;
    let admin = create_operator(conn, id, new.email, "管理员", new.login_password_hash, "admin", None)?;
    // The admin's bound e-mail starts as the registration e-mail (its login).
    diesel::update(operators::table.find(admin.id))
        .set(operators::email.eq(Some(new.email)))
        .execute(conn)?;
    for kind in
        [AccountKind::MerchantAvailable, AccountKind::MerchantFrozen, AccountKind::MerchantPendingSettlement]
    {
        ledger::open_account(conn, &paydesk_domain::postings::merchant_account(id, kind), kind, Some(id))?;
    }
    Ok(Some(merchant(conn, id)?))
}

/// Adds an operator in one of the merchant's built-in roles (`admin`,
/// `applicant`, `auditor`).
pub fn create_operator(
    conn: &mut DbConn,
    merchant_id: i64,
    login_name: &str,
    display_name: &str,
    password_hash: &str,
    role: &str,
    phone: Option<&str>,
) -> Result<Operator, StoreError> {
    let builtin = paydesk_domain::permissions::BuiltinRole::parse(role)
        .ok_or_else(|| StoreError::Corrupt(format!("no built-in role {role}")))?;
    let role_id = crate::roles::builtin_id(conn, merchant_id, builtin)?;
    let new = NewOperator { login_name, display_name, password_hash, phone, password_change_required: false };
    create_operator_in_role(conn, merchant_id, role_id, &new)
}

/// A new operator's details.
pub struct NewOperator<'a> {
    pub login_name: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub phone: Option<&'a str>,
    /// The admin chose the password: the operator changes it at first sign-in.
    pub password_change_required: bool,
}

/// Adds an operator in the role `role_id` (built-in or custom).
pub fn create_operator_in_role(
    conn: &mut DbConn,
    merchant_id: i64,
    role_id: i64,
    new: &NewOperator<'_>,
) -> Result<Operator, StoreError> {
    let id = diesel::insert_into(operators::table)
        .values((
            operators::merchant_id.eq(merchant_id),
            operators::login_name.eq(new.login_name),
            operators::display_name.eq(new.display_name),
            operators::password_hash.eq(new.password_hash),
            operators::role_id.eq(role_id),
            operators::phone.eq(new.phone),
            operators::status.eq("active"),
            operators::created_at.eq(now()),
            operators::password_change_required.eq(new.password_change_required),
        ))
        .returning(operators::id)
        .get_result::<i64>(conn)?;
    operator(conn, id)
}

pub fn merchant(conn: &mut DbConn, id: i64) -> Result<Merchant, StoreError> {
    merchants::table.find(id).first(conn).optional()?.ok_or(StoreError::NotFound)
}

pub fn find_merchant_by_email(conn: &mut DbConn, email: &str) -> Result<Option<Merchant>, StoreError> {
    Ok(merchants::table.filter(merchants::email.eq(email)).first(conn).optional()?)
}

pub fn list_merchants(
    conn: &mut DbConn,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Merchant>, i64), StoreError> {
    let total = merchants::table.count().get_result(conn)?;
    let rows = merchants::table.order(merchants::id.desc()).limit(limit).offset(offset).load(conn)?;
    Ok((rows, total))
}

pub fn set_kyb_status(conn: &mut DbConn, merchant_id: i64, status: KybStatus) -> Result<(), StoreError> {
    diesel::update(merchants::table.find(merchant_id))
        .set(merchants::kyb_status.eq(status.as_str()))
        .execute(conn)?;
    Ok(())
}

pub fn set_merchant_phone(conn: &mut DbConn, merchant_id: i64, phone: &str) -> Result<(), StoreError> {
    diesel::update(merchants::table.find(merchant_id)).set(merchants::phone.eq(phone)).execute(conn)?;
    Ok(())
}

pub fn operator(conn: &mut DbConn, id: i64) -> Result<Operator, StoreError> {
    operators::table.find(id).first(conn).optional()?.ok_or(StoreError::NotFound)
}

pub fn find_operator(
    conn: &mut DbConn,
    merchant_id: i64,
    login_name: &str,
) -> Result<Option<Operator>, StoreError> {
    Ok(operators::table
        .filter(operators::merchant_id.eq(merchant_id))
        .filter(operators::login_name.eq(login_name))
        .first(conn)
        .optional()?)
}

/// Binds (or with `None` unbinds) an operator's phone. The admin's phone is
/// also the merchant's (see `factors::phone_of`), so both change together.
pub fn bind_phone(conn: &mut DbConn, operator_id: i64, phone: Option<&str>) -> Result<(), StoreError> {
    let o = operator(conn, operator_id)?;
    diesel::update(operators::table.find(operator_id)).set(operators::phone.eq(phone)).execute(conn)?;
    let m = merchant(conn, o.merchant_id)?;
    if o.login_name == m.email {
        diesel::update(merchants::table.find(m.id)).set(merchants::phone.eq(phone)).execute(conn)?;
    }
    Ok(())
}

pub fn set_operator_phone(conn: &mut DbConn, operator_id: i64, phone: &str) -> Result<(), StoreError> {
    diesel::update(operators::table.find(operator_id)).set(operators::phone.eq(phone)).execute(conn)?;
    Ok(())
}

pub fn create_staff(
    conn: &mut DbConn,
    login_name: &str,
    password_hash: &str,
) -> Result<Option<Staff>, StoreError> {
    if find_staff(conn, login_name)?.is_some() {
        return Ok(None);
    }
    diesel::insert_into(staff::table)
        .values((
            staff::login_name.eq(login_name),
            staff::password_hash.eq(password_hash),
            staff::created_at.eq(now()),
        ))
        .execute(conn)?;
    find_staff(conn, login_name)
}

pub fn find_staff(conn: &mut DbConn, login_name: &str) -> Result<Option<Staff>, StoreError> {
    Ok(staff::table.filter(staff::login_name.eq(login_name)).first(conn).optional()?)
}

pub fn staff_member(conn: &mut DbConn, id: i64) -> Result<Staff, StoreError> {
    staff::table.find(id).first(conn).optional()?.ok_or(StoreError::NotFound)
}

/// The merchant's operators (deleted ones too: old applications name them), oldest first.
pub fn operators_of(conn: &mut DbConn, merchant_id: i64) -> Result<Vec<Operator>, StoreError> {
    Ok(operators::table
        .filter(operators::merchant_id.eq(merchant_id))
        .order(operators::id.asc())
        .load(conn)?)
}

/// Changes an operator's name, phone and role.
pub fn update_operator(
    conn: &mut DbConn,
    id: i64,
    display_name: &str,
    role_id: i64,
) -> Result<(), StoreError> {
    diesel::update(operators::table.find(id))
        .set((operators::display_name.eq(display_name), operators::role_id.eq(role_id)))
        .execute(conn)?;
    Ok(())
}

/// Sets a login password; `chosen_by_someone_else` (an admin's reset) makes the
/// operator change it at the next sign-in.
pub fn set_operator_password(
    conn: &mut DbConn,
    id: i64,
    hash: &str,
    chosen_by_someone_else: bool,
) -> Result<(), StoreError> {
    diesel::update(operators::table.find(id))
        .set((
            operators::password_hash.eq(hash),
            operators::password_change_required.eq(chosen_by_someone_else),
        ))
        .execute(conn)?;
    Ok(())
}

/// `active` or `disabled`.
pub fn set_operator_status(conn: &mut DbConn, id: i64, status: OperatorStatus) -> Result<(), StoreError> {
    diesel::update(operators::table.find(id)).set(operators::status.eq(status.as_str())).execute(conn)?;
    Ok(())
}

/// Deletes an operator: the row stays (applications name who made them) but the
/// login name is freed, the role let go, and nobody can sign in with it again.
pub fn delete_operator(conn: &mut DbConn, operator: &Operator) -> Result<(), StoreError> {
    diesel::update(operators::table.find(operator.id))
        .set((
            operators::status.eq("deleted"),
            operators::login_name.eq(format!("{}#deleted-{}", operator.login_name, operator.id)),
            // A deleted operator holds no role, so the role can go too.
            operators::role_id.eq(None::<i64>),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_staff_status(conn: &mut DbConn, id: i64, status: StaffStatus) -> Result<(), StoreError> {
    diesel::update(staff::table.find(id)).set(staff::status.eq(status.as_str())).execute(conn)?;
    Ok(())
}

/// Sets the merchant's payment password.
pub fn set_payment_password(conn: &mut DbConn, merchant_id: i64, hash: &str) -> Result<(), StoreError> {
    diesel::update(merchants::table.find(merchant_id))
        .set(merchants::payment_password_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}

/// Binds (or with `None` unbinds) an operator's 安全邮箱.
pub fn set_operator_email(
    conn: &mut DbConn,
    operator_id: i64,
    email: Option<&str>,
) -> Result<(), StoreError> {
    diesel::update(operators::table.find(operator_id)).set(operators::email.eq(email)).execute(conn)?;
    Ok(())
}
