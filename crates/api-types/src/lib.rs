//! The JSON the Paydesk API speaks, shared by the server and the SPA so that the
//! two can't disagree. Amounts travel as strings with two decimals (`"1024.50"`).

pub mod account;
pub mod apps;
pub mod batches;
pub mod errors;
pub mod funds;
pub mod gateway;
pub mod kyb;
pub mod onboarding;
pub mod operators;
pub mod ops;
pub mod refunds;
pub mod reviews;
pub mod security;
pub mod session;
pub mod system;

pub use account::*;
pub use apps::*;
pub use batches::*;
pub use errors::*;
pub use funds::*;
pub use gateway::*;
pub use kyb::*;
pub use onboarding::*;
pub use operators::*;
pub use ops::*;
pub use refunds::*;
pub use reviews::*;
pub use security::*;
pub use session::*;
pub use system::*;

#[cfg(test)]
pub mod tests {
    use super::*;

    /// The wire shape of an error is a contract with integrators.
    #[test]
    fn problem_json_shape_is_pinned() {
        let p = Problem {
            type_uri: "/problems/validation_failed".into(),
            title: "The request has invalid fields".into(),
            status: 422,
            code: "validation_failed".into(),
            detail: None,
            errors: vec![FieldError {
                field: "amount".into(),
                code: "amount_signed".into(),
                message: "an amount has no sign".into(),
            }],
        };
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::json!({
                "type": "/problems/validation_failed",
                "title": "The request has invalid fields",
                "status": 422,
                "code": "validation_failed",
                "errors": [{"field": "amount", "code": "amount_signed", "message": "an amount has no sign"}]
            })
        );
    }
}
