//! Roles and review policies (manual §3.3.3; the bank seed's 单人操作 / 多人制单复核).
//! The three built-in roles exist per merchant; their permissions live in code
//! ([`BuiltinRole::permissions`]) so the admin's can never be edited. Custom
//! roles list their permissions in `role_permissions`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use paydesk_domain::application::ApplicationKind;
use paydesk_domain::permissions::{BuiltinRole, Permission, Permissions, ReviewMode};

use crate::db::DbConn;
use crate::error::StoreError;
use crate::identity::Operator;
use crate::schema::{operators, review_policies, role_permissions, roles};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Role {
    pub id: i64,
    pub merchant_id: i64,
    pub builtin: Option<String>,
    pub name: String,
    pub description: String,
    pub created_at: NaiveDateTime,
}

impl Role {
    pub fn builtin(&self) -> Option<BuiltinRole> {
        self.builtin.as_deref().and_then(BuiltinRole::parse)
    }
}

/// Creates the merchant's 管理, 申请 and 审核 roles.
pub fn create_builtins(conn: &mut DbConn, merchant_id: i64, at: NaiveDateTime) -> Result<(), StoreError> {
    for (role, description) in [
        (BuiltinRole::Admin, "具有最高权限，且该角色具有的功能不能更改"),
        (BuiltinRole::Applicant, "可进行资金操作，如充值、转账、提现，但这些操作需要审核"),
        (BuiltinRole::Auditor, "对“申请”角色进行的资金操作进行审核"),
    ] {
        diesel::insert_into(roles::table)
            .values((
                roles::merchant_id.eq(merchant_id),
                roles::builtin.eq(role.as_str()),
                roles::name.eq(role.label_zh()),
                roles::description.eq(description),
                roles::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn builtin_id(conn: &mut DbConn, merchant_id: i64, role: BuiltinRole) -> Result<i64, StoreError> {
    roles::table
        .filter(roles::merchant_id.eq(merchant_id))
        .filter(roles::builtin.eq(role.as_str()))
        .select(roles::id)
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// The merchant's roles: built-ins first, then custom ones by name.
pub fn list(conn: &mut DbConn, merchant_id: i64) -> Result<Vec<Role>, StoreError> {
    let mut all: Vec<Role> =
        roles::table.filter(roles::merchant_id.eq(merchant_id)).order(roles::id.asc()).load(conn)?;
    all.sort_by_key(|r| {
        (r.builtin.is_none(), if r.builtin.is_none() { r.name.clone() } else { String::new() })
    });
    Ok(all)
}

pub fn find(conn: &mut DbConn, merchant_id: i64, id: i64) -> Result<Option<Role>, StoreError> {
    Ok(roles::table.find(id).filter(roles::merchant_id.eq(merchant_id)).first(conn).optional()?)
}

/// What holders of `role` may do.
pub fn permissions(conn: &mut DbConn, role: &Role) -> Result<Permissions, StoreError> {
    if let Some(b) = role.builtin() {
        return Ok(b.permissions());
    }
    let names: Vec<String> = role_permissions::table
        .filter(role_permissions::role_id.eq(role.id))
        .select(role_permissions::permission)
        .load(conn)?;
    Ok(names.iter().filter_map(|n| Permission::parse(n)).collect())
}

/// The operator's role and what it allows; an operator without a role may do nothing.
pub fn of_operator(
    conn: &mut DbConn,
    operator: &Operator,
) -> Result<(Option<Role>, Permissions), StoreError> {
    let Some(role_id) = operator.role_id else { return Ok((None, Permissions::new())) };
    let role = find(conn, operator.merchant_id, role_id)?;
    let held = match &role {
        Some(r) => permissions(conn, r)?,
        None => Permissions::new(),
    };
    Ok((role, held))
}

fn set_permissions(conn: &mut DbConn, role_id: i64, held: &Permissions) -> Result<(), StoreError> {
    diesel::delete(role_permissions::table.filter(role_permissions::role_id.eq(role_id))).execute(conn)?;
    for p in held {
        diesel::insert_into(role_permissions::table)
            .values((role_permissions::role_id.eq(role_id), role_permissions::permission.eq(p.as_str())))
            .execute(conn)?;
    }
    Ok(())
}

fn name_taken(
    conn: &mut DbConn,
    merchant_id: i64,
    name: &str,
    except: Option<i64>,
) -> Result<bool, StoreError> {
    let mut q =
        roles::table.filter(roles::merchant_id.eq(merchant_id)).filter(roles::name.eq(name)).into_boxed();
    if let Some(id) = except {
        q = q.filter(roles::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

/// Adds a custom role; `None` when the name is taken.
pub fn create_custom(
    conn: &mut DbConn,
    merchant_id: i64,
    name: &str,
    description: &str,
    held: &Permissions,
    at: NaiveDateTime,
) -> Result<Option<Role>, StoreError> {
    if name_taken(conn, merchant_id, name, None)? {
        return Ok(None);
    }
    let id = diesel::insert_into(roles::table)
        .values((
            roles::merchant_id.eq(merchant_id),
            roles::name.eq(name),
            roles::description.eq(description),
            roles::created_at.eq(at),
        ))
        .returning(roles::id)
        .get_result::<i64>(conn)?;
    set_permissions(conn, id, held)?;
    find(conn, merchant_id, id)
}

/// Renames a custom role and replaces its permissions; `None` when the name is taken.
pub fn update_custom(
    conn: &mut DbConn,
    role: &Role,
    name: &str,
    description: &str,
    held: &Permissions,
) -> Result<Option<Role>, StoreError> {
    if name_taken(conn, role.merchant_id, name, Some(role.id))? {
        return Ok(None);
    }
    diesel::update(roles::table.find(role.id))
        .set((roles::name.eq(name), roles::description.eq(description)))
        .execute(conn)?;
    set_permissions(conn, role.id, held)?;
    find(conn, role.merchant_id, role.id)
}

/// How many operators (not deleted) hold the role.
pub fn holders(conn: &mut DbConn, role_id: i64) -> Result<i64, StoreError> {
    Ok(operators::table
        .filter(operators::role_id.eq(role_id))
        .filter(operators::status.ne("deleted"))
        .count()
        .get_result(conn)?)
}

/// Deletes a custom role nobody holds; false when it is held.
pub fn delete_custom(conn: &mut DbConn, role: &Role) -> Result<bool, StoreError> {
    if holders(conn, role.id)? > 0 {
        return Ok(false);
    }
    diesel::delete(role_permissions::table.filter(role_permissions::role_id.eq(role.id))).execute(conn)?;
    diesel::delete(roles::table.find(role.id)).execute(conn)?;
    Ok(true)
}

/// The merchant's review mode for `kind` (the default when none was set).
pub fn policy(conn: &mut DbConn, merchant_id: i64, kind: ApplicationKind) -> Result<ReviewMode, StoreError> {
    let mode: Option<String> = review_policies::table
        .find((merchant_id, kind.as_str()))
        .select(review_policies::mode)
        .first(conn)
        .optional()?;
    Ok(mode_of(mode.as_deref(), kind))
}

/// The review mode a stored policy names, or the default for `kind` without one.
pub fn mode_of(stored: Option<&str>, kind: ApplicationKind) -> ReviewMode {
    stored.and_then(ReviewMode::parse).unwrap_or_else(|| ReviewMode::default_for(kind))
}

pub fn set_policy(
    conn: &mut DbConn,
    merchant_id: i64,
    kind: ApplicationKind,
    mode: ReviewMode,
    operator_id: i64,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::delete(review_policies::table.find((merchant_id, kind.as_str()))).execute(conn)?;
    diesel::insert_into(review_policies::table)
        .values((
            review_policies::merchant_id.eq(merchant_id),
            review_policies::kind.eq(kind.as_str()),
            review_policies::mode.eq(mode.as_str()),
            review_policies::updated_by.eq(operator_id),
            review_policies::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
