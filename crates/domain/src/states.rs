//! The states that cross layers as names — in the database, the API and the web
//! app — each an enum parsed once where it is read (the store's boundary) and
//! written back by its `as_str`. Application kinds and states are in
//! [`crate::application`]; payout speeds and payee kinds in [`crate::draft`].

/// Declares an enum stored by name: `as_str`, `parse`, `ALL`, `Display` and
/// `TryFrom<String>` (what the store deserializes through).
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::application::UnknownName;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value).ok_or($crate::application::UnknownName { what: $what, value })
            }
        }
    };
}

pub(crate) use named_enum;

named_enum!(
    /// Where a merchant's real-name verification (实名认证, §2.2) stands.
    KybStatus, "KYB status" {
        /// Steps being filled in.
        Draft => "draft",
        /// Under review (审核中, 3 working days).
        Submitted => "submitted",
        /// Refused with a reason; the merchant may change and resubmit.
        Rejected => "rejected",
        /// Approved by staff; the micro-deposit waits to be typed back.
        AwaitingDeposit => "awaiting_deposit",
        /// Money may move.
        Verified => "verified",
    }
);

impl KybStatus {
    /// The steps may still change.
    pub fn is_editable(self) -> bool {
        matches!(self, KybStatus::Draft | KybStatus::Rejected)
    }
}

named_enum!(
    /// Whether an operator (操作员) may sign in.
    OperatorStatus, "operator status" {
        Active => "active",
        Disabled => "disabled",
        /// Removed; kept so the operation log still names them.
        Deleted => "deleted",
    }
);

named_enum!(
    /// Whether a staff member may sign in to the console.
    StaffStatus, "staff status" {
        Active => "active",
        Disabled => "disabled",
    }
);

named_enum!(
    /// A secret whose wrong guesses are counted (five a day freeze it for a day).
    AttemptKind, "attempt kind" {
        /// An operator's sign-in password (§3.1).
        OperatorSignIn => "operator_sign_in",
        /// A staff member's sign-in password.
        StaffSignIn => "staff_sign_in",
        /// The payment password, counted per operator (§3.7.2).
        PaymentPassword => "payment_password",
    }
);

named_enum!(
    /// A payout handed to the bank.
    PayoutStatus, "payout status" {
        /// With the bank, not answered yet.
        Submitted => "submitted",
        /// Paid out.
        Succeeded => "succeeded",
        /// Refused; the money went back.
        Failed => "failed",
        /// Paid, then came back (退票); the money went back.
        Returned => "returned",
    }
);

named_enum!(
    /// One line of an application: each pays on its own, so a batch can end
    /// partly paid.
    LineStatus, "line status" {
        /// Waiting for review or execution.
        Pending => "pending",
        /// With the bank.
        Processing => "processing",
        /// Paid.
        Succeeded => "succeeded",
        /// Not paid; its money and fee went back.
        Failed => "failed",
        /// Paid, then came back (退票); its money and fee went back.
        Returned => "returned",
    }
);

impl LineStatus {
    /// The word the pages and the lines export use.
    pub fn label_zh(self) -> &'static str {
        match self {
            LineStatus::Pending => "待处理",
            LineStatus::Processing => "处理中",
            LineStatus::Succeeded => "成功",
            LineStatus::Failed => "失败",
            LineStatus::Returned => "退票",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_what_it_writes() {
        for s in KybStatus::ALL {
            assert_eq!(KybStatus::try_from(s.to_string()), Ok(*s));
        }
        for s in OperatorStatus::ALL {
            assert_eq!(OperatorStatus::parse(s.as_str()), Some(*s));
        }
        for s in PayoutStatus::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.as_str()));
        }
        assert!(KybStatus::try_from("approved".to_owned()).is_err());
        assert!(KybStatus::Rejected.is_editable() && !KybStatus::Submitted.is_editable());
    }
}
