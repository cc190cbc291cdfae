//! 操作员 (manual §3.3.3): roles and operators, opened with the payment
//! password, and 日志查询, the operation log.
//!
//! The rules a payments company needs: nobody grants a permission they don't
//! hold (to a role or through one), nobody manages an operator more powerful
//! than themselves or changes their own role, and the last active admin can't
//! be disabled, deleted or demoted. Disabling or deleting an operator ends their
//! sessions at once.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, put, web, HttpResponse};
use chrono::Duration;
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{
    NewOperatorRequest, OperationLogEntry, OperatorView, Page, PermissionInfo, Problem, RoleRequest,
    RoleView, UnlockRequest, Unlocked, UpdateOperatorRequest,
};
use paydesk_domain::limits;
use paydesk_domain::permissions::Permission;
use paydesk_domain::states::OperatorStatus;
use paydesk_store::identity::{self};
use paydesk_store::oplog;
use paydesk_store::roles::{self};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{now, OperatorAuth};
use crate::core::factors::check_payment_password;
use crate::core::operators::{
    change_status, checked_role_fields, create, custom_role, name_taken, operation_log_page, operator_view,
    require_unlocked, role_view, rule, update, within_own, LogQuery,
};
use crate::error::ApiError;
use crate::permits::{perm, Body, Can, Params};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(permissions)
        .service(unlock)
        .service(list_roles)
        .service(create_role)
        .service(update_role)
        .service(delete_role)
        .service(list_operators)
        .service(create_operator)
        .service(update_operator)
        .service(disable_operator)
        .service(enable_operator)
        .service(delete_operator)
        .service(operation_log);
}

/// The permissions a role can hold, with the manual's names
#[utoipa::path(
    tag = "operators", security(("bearer" = [])),
    responses((status = 200, body = [PermissionInfo])),
    extensions(("x-permission" = json!([]))),
)]
#[get("/permissions")]
async fn permissions(_auth: OperatorAuth) -> web::Json<Vec<PermissionInfo>> {
    web::Json(
        Permission::ALL
            .into_iter()
            .map(|p| PermissionInfo {
                name: p.as_str().into(),
                label_zh: p.label_zh().into(),
                label_en: p.label_en().into(),
                review: p.is_review(),
            })
            .collect(),
    )
}

/// Open the operator pages with the payment password (for 15 minutes)
#[utoipa::path(
    tag = "operators", security(("bearer" = [])), request_body = UnlockRequest,
    responses((status = 200, body = Unlocked), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, description = "`payment_password_wrong`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/operators/unlock")]
async fn unlock(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    body: Body<UnlockRequest>,
) -> Result<web::Json<Unlocked>, ApiError> {
    let body = body.take()?.into_inner();
    let st = state.clone();
    let until = web::block(move || -> Result<_, ApiError> {
        let merchant = st.store.read(|c| identity::merchant(c, auth.merchant_id))?;
        check_payment_password(&st, &auth, &merchant, &body.payment_password)?;
        let until = now() + Duration::seconds(limits::OPERATOR_PAGES_UNLOCK_SECS);
        auth.audit.write(&st.store, |c| oplog::unlock(c, &auth.session_id, until))?;
        Ok(until)
    })
    .await??;
    Ok(web::Json(Unlocked { until: until.and_utc().to_rfc3339() }))
}

/// 角色管理: the merchant's roles
#[utoipa::path(
    tag = "operators", security(("bearer" = [])),
    responses((status = 200, body = [RoleView]), (status = 403, description = "`permission_denied` or `payment_password_required`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[get("/roles")]
async fn list_roles(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
) -> Result<web::Json<Vec<RoleView>>, ApiError> {
    let store = state.store.clone();
    let list = web::block(move || {
        store.read(|c| -> Result<_, ApiError> {
            require_unlocked(c, &auth)?;
            roles::list(c, auth.merchant_id)?.iter().map(|r| role_view(c, r)).collect::<Result<Vec<_>, _>>()
        })
    })
    .await??;
    Ok(web::Json(list))
}

/// 添加角色: a custom role over permissions the caller holds
#[utoipa::path(
    tag = "operators", security(("bearer" = [])), request_body = RoleRequest,
    responses(
        (status = 201, body = RoleView),
        (status = 403, description = "`grant_exceeds_own`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`role_name_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/roles")]
async fn create_role(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    body: Body<RoleRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?.into_inner();
    let (name, description, held) = checked_role_fields(&body)?;
    within_own(&auth, &held)?;
    let store = state.store.clone();
    let view = web::block(move || {
        auth.audit.write(&store, |c| -> Result<_, ApiError> {
            require_unlocked(c, &auth)?;
            let role = roles::create_custom(c, auth.merchant_id, &name, &description, &held, now())?
                .ok_or_else(name_taken)?;
            role_view(c, &role)
        })
    })
    .await??;
    Ok(HttpResponse::Created().json(view))
}

/// Change a custom role
#[utoipa::path(
    tag = "operators", security(("bearer" = [])), request_body = RoleRequest, params(("id" = i64, Path)),
    responses(
        (status = 200, body = RoleView),
        (status = 403, description = "`grant_exceeds_own`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`role_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`role_builtin` or `role_name_taken`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[put("/roles/{id}")]
async fn update_role(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    id: web::Path<i64>,
    body: Body<RoleRequest>,
) -> Result<web::Json<RoleView>, ApiError> {
    let body = body.take()?.into_inner();
    let id = id.into_inner();
    let (name, description, held) = checked_role_fields(&body)?;
    within_own(&auth, &held)?;
    let store = state.store.clone();
    let view = web::block(move || {
        auth.audit.write(&store, |c| -> Result<_, ApiError> {
            require_unlocked(c, &auth)?;
            let role = custom_role(c, &auth, id)?;
            // What the role holds now must be the caller's to take away, too.
            within_own(&auth, &roles::permissions(c, &role)?)?;
            let role = roles::update_custom(c, &role, &name, &description, &held)?.ok_or_else(name_taken)?;
            role_view(c, &role)
        })
    })
    .await??;
    Ok(web::Json(view))
}

/// Delete a custom role nobody holds
#[utoipa::path(
    tag = "operators", security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "`role_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`role_builtin` or `role_in_use`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[delete("/roles/{id}")]
async fn delete_role(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let store = state.store.clone();
    web::block(move || {
        auth.audit.write(&store, |c| -> Result<(), ApiError> {
            require_unlocked(c, &auth)?;
            let role = custom_role(c, &auth, id)?;
            if !roles::delete_custom(c, &role)? {
                return Err(rule(
                    StatusCode::CONFLICT,
                    ErrorCode::RoleInUse,
                    "Operators still hold this role",
                ));
            }
            Ok(())
        })
    })
    .await??;
    Ok(HttpResponse::NoContent().finish())
}

/// 成员管理: the merchant's operators
#[utoipa::path(
    tag = "operators", security(("bearer" = [])),
    responses((status = 200, body = [OperatorView]), (status = 403, description = "`permission_denied` or `payment_password_required`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[get("/operators")]
async fn list_operators(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
) -> Result<web::Json<Vec<OperatorView>>, ApiError> {
    let store = state.store.clone();
    let list = web::block(move || {
        store.read(|c| -> Result<_, ApiError> {
            require_unlocked(c, &auth)?;
            identity::operators_of(c, auth.merchant_id)?
                .iter()
                // API clients are operators too, listed under 应用中心 · API 接入.
                .filter(|o| o.status != OperatorStatus::Deleted && o.kind != "api")
                .map(|o| operator_view(c, o, auth.operator_id))
                .collect::<Result<Vec<_>, _>>()
        })
    })
    .await??;
    Ok(web::Json(list))
}

/// 添加成员: an operator with their own login name, password, phone and role
#[utoipa::path(
    tag = "operators", security(("bearer" = [])), request_body = NewOperatorRequest,
    responses(
        (status = 201, body = OperatorView),
        (status = 403, description = "`grant_exceeds_own`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`login_name_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/operators")]
async fn create_operator(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    body: Body<NewOperatorRequest>,
) -> Result<HttpResponse, ApiError> {
    let (st, body) = (state.clone(), body.take()?.into_inner());
    let view = web::block(move || create(&st, &auth, body)).await??;
    Ok(HttpResponse::Created().json(view))
}

/// 修改成员: name, phone, role, and optionally a new login password
#[utoipa::path(
    tag = "operators", security(("bearer" = [])), request_body = UpdateOperatorRequest, params(("id" = i64, Path)),
    responses(
        (status = 200, body = OperatorView),
        (status = 403, description = "`grant_exceeds_own`, `operator_outranks_you` or `own_role`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`operator_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`last_admin`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[put("/operators/{id}")]
async fn update_operator(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    id: web::Path<i64>,
    body: Body<UpdateOperatorRequest>,
) -> Result<web::Json<OperatorView>, ApiError> {
    let (st, body, id) = (state.clone(), body.take()?.into_inner(), id.into_inner());
    Ok(web::Json(web::block(move || update(&st, &auth, id, body)).await??))
}

/// Disable an operator: they can't sign in, and their sessions end now
#[utoipa::path(
    tag = "operators", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Disabled"), (status = 409, description = "`last_admin` or `own_operator`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/operators/{id}/disable")]
async fn disable_operator(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    change_status(&state, auth, id.into_inner(), OperatorStatus::Disabled).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Enable a disabled operator
#[utoipa::path(
    tag = "operators", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Enabled"), (status = 404, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/operators/{id}/enable")]
async fn enable_operator(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    change_status(&state, auth, id.into_inner(), OperatorStatus::Active).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Delete an operator (what they did stays on record under their name)
#[utoipa::path(
    tag = "operators", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 409, description = "`last_admin` or `own_operator`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[delete("/operators/{id}")]
async fn delete_operator(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    change_status(&state, auth, id.into_inner(), OperatorStatus::Deleted).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// 日志查询: who changed what, newest first, 20 a page
#[utoipa::path(
    tag = "operators", security(("bearer" = [])), params(LogQuery),
    responses((status = 200, body = Page<OperationLogEntry>), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["operation_log"]))),
)]
#[get("/operation-log")]
async fn operation_log(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::OperationLog>,
    query: Params<LogQuery>,
) -> Result<web::Json<Page<OperationLogEntry>>, ApiError> {
    let (st, query) = (state.clone(), query.take()?.into_inner());
    Ok(web::Json(web::block(move || operation_log_page(&st, &auth, &query)).await??))
}
