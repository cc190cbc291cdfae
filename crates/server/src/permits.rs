//! Permission checks that run before anything else of a request: a handler names
//! what it needs in its signature (`Can<perm::Transfer>`), so an operator without
//! it is refused with `403 permission_denied` before the body is even read. The
//! same permission is written into the operation's OpenAPI entry as
//! `x-permission`, and a test walks the document to prove the two agree.

use paydesk_api_types::ErrorCode;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest};
use paydesk_domain::permissions::Permission;

use crate::auth::{OperatorAuth, VerifiedOperator};
use crate::error::ApiError;

/// A permission requirement: the operator needs at least one of `ANY_OF`.
pub trait Needs {
    const ANY_OF: &'static [Permission];
}

pub fn denied(any_of: &[Permission]) -> ApiError {
    let names: Vec<&str> = any_of.iter().map(|p| p.label_en()).collect();
    let zh: Vec<&str> = any_of.iter().map(|p| p.label_zh()).collect();
    ApiError::rule(StatusCode::FORBIDDEN, ErrorCode::PermissionDenied, "Your role doesn't allow this")
        .with_detail(format!("needs the {} permission ({})", names.join(" or "), zh.join("/")))
}

fn check<N: Needs>(auth: &OperatorAuth) -> Result<(), ApiError> {
    if N::ANY_OF.iter().any(|p| auth.holds(*p)) {
        Ok(())
    } else {
        Err(denied(N::ANY_OF))
    }
}

/// A signed-in operator holding the permission `N`.
pub struct Can<N: Needs>(pub OperatorAuth, pub PhantomData<N>);

impl<N: Needs + 'static> FromRequest for Can<N> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let auth = OperatorAuth::from_request(req, payload);
        Box::pin(async move {
            let auth = auth.await?;
            check::<N>(&auth)?;
            Ok(Can(auth, PhantomData))
        })
    }
}

/// [`Can`], and the merchant has passed real-name verification (money endpoints).
pub struct CanVerified<N: Needs>(pub OperatorAuth, pub PhantomData<N>);

impl<N: Needs + 'static> FromRequest for CanVerified<N> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let verified = VerifiedOperator::from_request(req, payload);
        Box::pin(async move {
            let VerifiedOperator(auth) = verified.await?;
            check::<N>(&auth)?;
            Ok(CanVerified(auth, PhantomData))
        })
    }
}

/// An extractor whose failure waits: actix polls a handler's extractors
/// together, so a malformed body could answer before the permission check does.
/// Wrapped in `Deferred`, the body's error is kept and returned by [`Deferred::take`]
/// inside the handler — after `Can` has let the operator in.
pub struct Deferred<E>(Result<E, ApiError>);

impl<E> Deferred<E> {
    pub fn take(self) -> Result<E, ApiError> {
        self.0
    }
}

impl<E: FromRequest + 'static> FromRequest for Deferred<E> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let inner = E::from_request(req, payload);
        Box::pin(async move { Ok(Deferred(inner.await.map_err(|e| ApiError::from_extractor(&e.into())))) })
    }
}

/// A JSON body read after the permission check.
pub type Body<T> = Deferred<actix_web::web::Json<T>>;
/// Query parameters read after the permission check.
pub type Params<T> = Deferred<actix_web::web::Query<T>>;

/// The requirement markers, one per permission (and the combinations in use).
pub mod perm {
    use super::Needs;
    use paydesk_domain::permissions::Permission as P;

    macro_rules! needs {
        ($($(#[$meta:meta])* $name:ident => [$($p:ident),+];)+) => {
            $(
                $(#[$meta])*
                #[doc = concat!("Requires any of: ", $(stringify!($p), " ",)+)]
                pub struct $name;
                impl Needs for $name {
                    const ANY_OF: &'static [P] = &[$(P::$p),+];
                }
            )+
        };
    }

    needs! {
        Home => [Home];
        AccountSettings => [AccountSettings];
        Contacts => [Contacts];
        Operators => [Operators];
        SecurityCentre => [SecurityCentre];
        FundsOverview => [FundsOverview];
        Recharge => [Recharge];
        Transfer => [Transfer];
        Withdrawal => [Withdrawal];
        AccountStatement => [AccountStatement];
        TransactionRecords => [TransactionRecords];
        MyReviews => [MyReviews];
        ReviewWithdrawal => [ReviewWithdrawal];
        ReviewRefund => [ReviewRefund];
        ReviewPayroll => [ReviewPayroll];
        OperationLog => [OperationLog];
        /// 转账审核 lists transfers to platform and to bank accounts.
        ReviewTransfers => [ReviewTransfer, ReviewBankPayout];
        /// The withdrawal form lists the cards that account settings manage.
        CardsView => [AccountSettings, Withdrawal];
    }
}
