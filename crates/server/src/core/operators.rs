//! Operators and roles (操作员, manual §3.3.3): who may manage whom, the
//! payment-password gate on the operator pages, and the operation log.

use actix_web::http::StatusCode;
use actix_web::web;
use chrono::Duration;
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{
    NewOperatorRequest, OperationLogEntry, OperatorView, Page, RoleRequest, RoleView, UpdateOperatorRequest,
};
use paydesk_domain::identity::{check_login_password, Phone};
use paydesk_domain::limits;
use paydesk_domain::permissions::{not_grantable, BuiltinRole, Permission, Permissions};
use paydesk_domain::states::OperatorStatus;
use paydesk_store::identity::{self, Operator};
use paydesk_store::roles::{self, Role};
use paydesk_store::{oplog, sessions, DbConn};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{hash_password, now, OperatorAuth, SubjectKind};
use crate::error::ApiError;
use crate::query::{page_of, period};
use crate::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct LogQuery {
    /// First day `YYYY-MM-DD`; default 30 days ago.
    pub from: Option<String>,
    /// Last day included; default today.
    pub to: Option<String>,
    /// An operator's login name.
    pub operator: Option<String>,
    /// Part of the action, e.g. `transfers`.
    pub action: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

pub(crate) fn rule(status: StatusCode, code: ErrorCode, title: &str) -> ApiError {
    ApiError::rule(status, code, title)
}

/// The operator pages need the payment password first (§3.3.3.1).
pub(crate) fn require_unlocked(c: &mut DbConn, auth: &OperatorAuth) -> Result<(), ApiError> {
    if oplog::is_unlocked(c, &auth.session_id, now())? {
        Ok(())
    } else {
        Err(rule(
            StatusCode::FORBIDDEN,
            ErrorCode::PaymentPasswordRequired,
            "Enter the payment password first",
        )
        .with_detail("POST /api/v1/operators/unlock opens the operator pages for 15 minutes"))
    }
}

pub(crate) fn names(held: &Permissions) -> Vec<String> {
    held.iter().map(|p| p.as_str().to_owned()).collect()
}

pub(crate) fn role_view(c: &mut DbConn, role: &Role) -> Result<RoleView, ApiError> {
    Ok(RoleView {
        id: role.id,
        name: role.name.clone(),
        description: role.description.clone(),
        builtin: role.builtin.clone(),
        permissions: names(&roles::permissions(c, role)?),
        holders: u32::try_from(roles::holders(c, role.id)?).unwrap_or(0),
    })
}

/// Refuses granting what the granter doesn't hold.
pub(crate) fn within_own(auth: &OperatorAuth, wanted: &Permissions) -> Result<(), ApiError> {
    let beyond = not_grantable(&auth.permissions, wanted);
    if beyond.is_empty() {
        return Ok(());
    }
    let list: Vec<&str> = beyond.iter().map(|p| p.label_zh()).collect();
    Err(rule(
        StatusCode::FORBIDDEN,
        ErrorCode::GrantExceedsOwn,
        "You can't grant a permission you don't hold",
    )
    .with_detail(format!("not yours to grant: {}", list.join("、"))))
}

pub(crate) fn is_admin(role: &Option<Role>) -> bool {
    role.as_ref().and_then(Role::builtin) == Some(BuiltinRole::Admin)
}

/// Active operators in the admin role.
pub(crate) fn active_admins(c: &mut DbConn, merchant_id: i64) -> Result<usize, ApiError> {
    let mut n = 0;
    for o in identity::operators_of(c, merchant_id)? {
        if o.status == OperatorStatus::Active && is_admin(&roles::of_operator(c, &o)?.0) {
            n += 1;
        }
    }
    Ok(n)
}

/// The operator `id` of the merchant, not deleted, and no more powerful than the caller.
pub(crate) fn manageable(
    c: &mut DbConn,
    auth: &OperatorAuth,
    id: i64,
) -> Result<(Operator, Option<Role>), ApiError> {
    let operator = identity::operator(c, id)
        .ok()
        .filter(|o| o.merchant_id == auth.merchant_id && o.status != OperatorStatus::Deleted)
        .ok_or_else(|| rule(StatusCode::NOT_FOUND, ErrorCode::OperatorNotFound, "No such operator"))?;
    let (role, held) = roles::of_operator(c, &operator)?;
    if !not_grantable(&auth.permissions, &held).is_empty() {
        return Err(rule(
            StatusCode::FORBIDDEN,
            ErrorCode::OperatorOutranksYou,
            "This operator holds permissions you don't; ask someone who holds them",
        ));
    }
    Ok((operator, role))
}

pub(crate) fn operator_view(c: &mut DbConn, o: &Operator, me: i64) -> Result<OperatorView, ApiError> {
    let role = roles::of_operator(c, o)?.0;
    Ok(OperatorView {
        id: o.id,
        login_name: o.login_name.clone(),
        display_name: o.display_name.clone(),
        phone: o.phone.as_deref().and_then(|p| Phone::parse(p).ok()).map(|p| p.masked()),
        role_id: role.as_ref().map(|r| r.id).unwrap_or(0),
        role_name: role.map(|r| r.name).unwrap_or_default(),
        status: o.status.to_string(),
        created_at: o.created_at.and_utc().to_rfc3339(),
        is_me: o.id == me,
    })
}

pub(crate) fn parse_permissions(list: &[String]) -> Result<Permissions, ApiError> {
    list.iter()
        .map(|n| {
            Permission::parse(n).ok_or_else(|| {
                ApiError::field("permissions", "permission_unknown", format!("no permission is called {n}"))
            })
        })
        .collect()
}

pub(crate) fn checked_role_fields(body: &RoleRequest) -> Result<(String, String, Permissions), ApiError> {
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > limits::ROLE_NAME_CHARS {
        return Err(ApiError::field(
            "name",
            "name_invalid",
            format!("a role name has 1 to {} characters", limits::ROLE_NAME_CHARS),
        ));
    }
    let description = body.description.clone().unwrap_or_default().trim().to_owned();
    if description.chars().count() > limits::ROLE_DESCRIPTION_CHARS {
        return Err(ApiError::field(
            "description",
            "description_too_long",
            format!("at most {} characters", limits::ROLE_DESCRIPTION_CHARS),
        ));
    }
    let held = parse_permissions(&body.permissions)?;
    if held.is_empty() {
        return Err(ApiError::field("permissions", "permissions_required", "choose at least one permission"));
    }
    Ok((name, description, held))
}

pub(crate) fn name_taken() -> ApiError {
    rule(StatusCode::CONFLICT, ErrorCode::RoleNameTaken, "Another role has this name")
}

pub(crate) fn custom_role(c: &mut DbConn, auth: &OperatorAuth, id: i64) -> Result<Role, ApiError> {
    let role = roles::find(c, auth.merchant_id, id)?
        .ok_or_else(|| rule(StatusCode::NOT_FOUND, ErrorCode::RoleNotFound, "No such role"))?;
    if role.builtin.is_some() {
        return Err(rule(
            StatusCode::CONFLICT,
            ErrorCode::RoleBuiltin,
            "The built-in roles can't be changed",
        ));
    }
    Ok(role)
}

pub(crate) fn login_name_ok(name: &str) -> bool {
    let (min, max) = limits::LOGIN_NAME_CHARS;
    (min..=max).contains(&name.chars().count())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.@-".contains(c))
}

pub(crate) fn checked_display_name(name: &str) -> Result<String, ApiError> {
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > limits::OPERATOR_NAME_CHARS {
        return Err(ApiError::field(
            "display_name",
            "display_name_invalid",
            format!("a name has 1 to {} characters", limits::OPERATOR_NAME_CHARS),
        ));
    }
    Ok(name)
}

/// The role `id` of the merchant, if the caller may hand it out.
pub(crate) fn grantable_role(c: &mut DbConn, auth: &OperatorAuth, id: i64) -> Result<Role, ApiError> {
    let role = roles::find(c, auth.merchant_id, id)?
        .ok_or_else(|| ApiError::field("role_id", "role_unknown", "choose one of your roles"))?;
    within_own(auth, &roles::permissions(c, &role)?)?;
    Ok(role)
}

pub(crate) fn last_admin() -> ApiError {
    rule(StatusCode::CONFLICT, ErrorCode::LastAdmin, "The last administrator can't be removed or demoted")
}

/// Disables, enables or deletes another operator under the rules above.
pub(crate) async fn change_status(
    state: &AppState,
    auth: OperatorAuth,
    id: i64,
    to: OperatorStatus,
) -> Result<(), ApiError> {
    let store = state.store.clone();
    web::block(move || {
        auth.audit.write(&store, |c| -> Result<(), ApiError> {
            require_unlocked(c, &auth)?;
            let (operator, role) = manageable(c, &auth, id)?;
            if operator.id == auth.operator_id {
                return Err(rule(
                    StatusCode::CONFLICT,
                    ErrorCode::OwnOperator,
                    "Ask another operator to do this",
                ));
            }
            if to != OperatorStatus::Active
                && is_admin(&role)
                && operator.status == OperatorStatus::Active
                && active_admins(c, auth.merchant_id)? <= 1
            {
                return Err(last_admin());
            }
            match to {
                OperatorStatus::Deleted => identity::delete_operator(c, &operator)?,
                other => identity::set_operator_status(c, operator.id, other)?,
            }
            if to != OperatorStatus::Active {
                sessions::revoke_all(c, "operator", operator.id, now())?;
            }
            Ok(())
        })
    })
    .await?
}

/// 添加成员: an operator in a role the adder may grant, with their own login name,
/// password and phone. Blocking.
pub(crate) fn create(
    st: &AppState,
    auth: &OperatorAuth,
    body: NewOperatorRequest,
) -> Result<OperatorView, ApiError> {
    let login = body.login_name.trim().to_owned();
    if !login_name_ok(&login) {
        return Err(ApiError::field(
            "login_name",
            "login_name_invalid",
            format!(
                "{} to {} letters, digits or _ . @ -",
                limits::LOGIN_NAME_CHARS.0,
                limits::LOGIN_NAME_CHARS.1
            ),
        ));
    }
    let display_name = checked_display_name(&body.display_name)?;
    check_login_password(&body.password).map_err(|e| ApiError::field("password", e.code, e.message))?;
    let hash = hash_password(&body.password)?;
    auth.audit.write(&st.store, |c| -> Result<_, ApiError> {
        require_unlocked(c, auth)?;
        let role = grantable_role(c, auth, body.role_id)?;
        if identity::find_operator(c, auth.merchant_id, &login)?.is_some() {
            return Err(rule(
                StatusCode::CONFLICT,
                ErrorCode::LoginNameTaken,
                "Another operator has this login name",
            ));
        }
        let new = identity::NewOperator {
            login_name: &login,
            display_name: &display_name,
            password_hash: &hash,
            phone: None,
            password_change_required: true,
        };
        let o = identity::create_operator_in_role(c, auth.merchant_id, role.id, &new)?;
        operator_view(c, &o, auth.operator_id)
    })
}

/// 修改成员: name, phone, role, and optionally a new login password. Blocking.
pub(crate) fn update(
    st: &AppState,
    auth: &OperatorAuth,
    id: i64,
    body: UpdateOperatorRequest,
) -> Result<OperatorView, ApiError> {
    let display_name = checked_display_name(&body.display_name)?;
    let hash = match body.password.as_deref().filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => {
            check_login_password(p).map_err(|e| ApiError::field("password", e.code, e.message))?;
            Some(hash_password(p)?)
        }
    };
    auth.audit.write(&st.store, |c| -> Result<_, ApiError> {
        require_unlocked(c, auth)?;
        let (operator, current) = manageable(c, auth, id)?;
        let role = grantable_role(c, auth, body.role_id)?;
        let changes_role = current.as_ref().map(|r| r.id) != Some(role.id);
        if changes_role && operator.id == auth.operator_id {
            return Err(rule(StatusCode::FORBIDDEN, ErrorCode::OwnRole, "Nobody changes their own role"));
        }
        if changes_role
            && is_admin(&current)
            && operator.status == OperatorStatus::Active
            && active_admins(c, auth.merchant_id)? <= 1
        {
            return Err(last_admin());
        }
        identity::update_operator(c, operator.id, &display_name, role.id)?;
        if let Some(h) = &hash {
            // A reset: the old password's sessions end, and the operator
            // chooses their own at the next sign-in.
            identity::set_operator_password(c, operator.id, h, true)?;
            sessions::revoke_all(c, SubjectKind::Operator.as_str(), operator.id, now())?;
        }
        let updated = identity::operator(c, operator.id)?;
        operator_view(c, &updated, auth.operator_id)
    })
}

/// 日志查询: a page of the operation log, by period, operator login and action. Blocking.
pub(crate) fn operation_log_page(
    st: &AppState,
    auth: &OperatorAuth,
    query: &LogQuery,
) -> Result<Page<OperationLogEntry>, ApiError> {
    let (from, to) = period(query.from.as_deref(), query.to.as_deref())?;
    let (page, per_page) = page_of(query.page, query.per_page);
    st.store.read(|c| -> Result<_, ApiError> {
        let people: std::collections::HashMap<i64, Operator> =
            identity::operators_of(c, auth.merchant_id)?.into_iter().map(|o| (o.id, o)).collect();
        // An unknown login matches nobody.
        let operator_id = query
            .operator
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(|login| people.values().find(|o| o.login_name == login).map(|o| o.id).unwrap_or(-1));
        let filter = oplog::Filter {
            from: from.and_hms_opt(0, 0, 0),
            to: (to + Duration::days(1)).and_hms_opt(0, 0, 0),
            operator_id,
            action: query.action.clone().filter(|a| !a.trim().is_empty()),
        };
        let (rows, total) = oplog::search(
            c,
            auth.merchant_id,
            &filter,
            i64::from(per_page),
            i64::from(page - 1) * i64::from(per_page),
        )?;
        let items = rows
            .into_iter()
            .map(|e| OperationLogEntry {
                id: e.id,
                operator: e
                    .operator_id
                    .and_then(|id| people.get(&id))
                    .map(|o| format!("{} ({})", o.display_name, o.login_name))
                    .unwrap_or_default(),
                action: e.action,
                target: e.target,
                status: u16::try_from(e.status).unwrap_or(0),
                ip: e.ip,
                at: e.at.and_utc().to_rfc3339(),
            })
            .collect();
        Ok(Page { items, page, per_page, total: u64::try_from(total).unwrap_or(0) })
    })
}
