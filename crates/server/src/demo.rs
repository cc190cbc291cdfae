//! The demo data `just run` starts with: a verified merchant with its three
//! default operators and every product signed, a second verified merchant to pay (no products signed), and a staff account. Created once; a
//! second start finds them and changes nothing. Never used in production mode.

use paydesk_domain::permissions::BuiltinRole;
use paydesk_domain::states::KybStatus;
use paydesk_store::{identity, Store};

use crate::auth::hash_password;
use crate::error::ApiError;

pub const MERCHANT: &str = "demo@paydesk.test";
pub const COMPANY: &str = "上海示例贸易有限公司";
/// (login name, display name, role, password)
pub const OPERATORS: [(&str, &str, &str, &str); 3] = [
    (MERCHANT, "管理员", "admin", "Demo123!"),
    ("applicant", "申请员", "applicant", "Apply123!"),
    ("auditor", "审核员", "auditor", "Audit123!"),
];
pub const PAYMENT_PASSWORD: &str = "Pay123456!";
/// The admin's phone (the merchant's bound phone); SMS codes go there.
pub const PHONE: &str = "13800138000";
/// Phones of the applicant and the auditor.
pub const OPERATOR_PHONES: [&str; 2] = ["13900139000", "13700137000"];
/// A second verified merchant to transfer to: (account, company, admin password).
pub const PAYEE: (&str, &str, &str) = ("shop@paydesk.test", "杭州示例网络科技有限公司", "Shop123!");
pub const STAFF: (&str, &str) = ("ops", "Ops12345!");
/// The demo merchant's API client (API 接入, in the 申请 role) that the example integrator in
/// `examples/integrator` signs as; its private key is `examples/integrator/demo-key.pem` —
/// demo data only, published on purpose, never in production.
pub const API_CLIENT: (&str, &str) = ("app_demo_integrator_0000000001", "示例商城");
pub const API_CLIENT_KEY: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA6mr5N2BqK9ivIn3s7l2QiGd9ZNofG2MCb4U67kHL5Zg=
-----END PUBLIC KEY-----";

/// The licence number on the demo merchant's verification filing (binding a security key asks for it).
pub const LICENCE_NUMBER: &str = "91350100M000100Y43";

/// The demo merchant's filing as real-name verification would have left it.
fn filing() -> paydesk_api_types::KybFiling {
    paydesk_api_types::KybFiling {
        enterprise_type: "enterprise".into(),
        licence_number: LICENCE_NUMBER.into(),
        licence_long_term: true,
        licence_valid_until: None,
        licence_scan: String::new(),
        organisation_code: None,
        organisation_code_scan: None,
        tax_registration_scan: None,
        other_scans: Vec::new(),
        icp_number: None,
        province: "上海市".into(),
        city: "上海市".into(),
        district: "浦东新区".into(),
        address: "世纪大道 100 号".into(),
        websites: Vec::new(),
        business_scope: None,
    }
}

/// Creates the demo merchant and staff account unless they exist; true if created.
pub fn seed(store: &Store) -> Result<bool, ApiError> {
    if store.read(|c| identity::find_merchant_by_email(c, MERCHANT))?.is_some() {
        return Ok(false);
    }
    let admin_hash = hash_password(OPERATORS[0].3)?;
    let payment_hash = hash_password(PAYMENT_PASSWORD)?;
    let others: Vec<(usize, String)> = (1..OPERATORS.len())
        .map(|i| hash_password(OPERATORS[i].3).map(|h| (i, h)))
        .collect::<Result<_, _>>()?;
    let staff_hash = hash_password(STAFF.1)?;
    let payee_hash = hash_password(PAYEE.2)?;
    // Nothing matches this hash: an API client never signs in with a password.
    let unusable_hash = hash_password(&crate::auth::random_token())?;
    let at = crate::auth::now();
    store.write(|c| -> Result<(), ApiError> {
        let new = identity::NewMerchant {
            email: MERCHANT,
            company_name: COMPANY,
            login_password_hash: &admin_hash,
            payment_password_hash: &payment_hash,
        };
        let Some(merchant) = identity::create_merchant(c, &new)? else { return Ok(()) };
        identity::set_kyb_status(c, merchant.id, KybStatus::Verified)?;
        identity::set_merchant_phone(c, merchant.id, PHONE)?;
        // Every product of the 应用中心 is signed; the second merchant signs none,
        // so a signing application can be tried on it.
        for app in paydesk_domain::apps::App::ALL {
            paydesk_store::signings::sign_outright(c, merchant.id, *app, at)?;
        }
        let json = serde_json::to_string(&filing()).map_err(|e| ApiError::Internal(e.into()))?;
        paydesk_store::kyb::save_step(
            c,
            merchant.id,
            paydesk_store::kyb::Step::Filing,
            &json,
            crate::auth::now(),
        )?;
        for (i, hash) in &others {
            let (login, display, role, _) = OPERATORS[*i];
            identity::create_operator(
                c,
                merchant.id,
                login,
                display,
                hash,
                role,
                Some(OPERATOR_PHONES[*i - 1]),
            )?;
        }
        let role = paydesk_store::roles::builtin_id(c, merchant.id, BuiltinRole::Applicant)?;
        let client = identity::NewOperator {
            login_name: API_CLIENT.0,
            display_name: API_CLIENT.1,
            password_hash: &unusable_hash,
            phone: None,
            password_change_required: false,
        };
        paydesk_store::gateway::create_client(c, merchant.id, role, API_CLIENT.0, &client, at)?;
        paydesk_store::gateway::add_key(c, API_CLIENT.0, "Ed25519", API_CLIENT_KEY, at)?;
        let payee = identity::NewMerchant {
            email: PAYEE.0,
            company_name: PAYEE.1,
            login_password_hash: &payee_hash,
            payment_password_hash: &payment_hash,
        };
        if let Some(shop) = identity::create_merchant(c, &payee)? {
            identity::set_kyb_status(c, shop.id, KybStatus::Verified)?;
        }
        identity::create_staff(c, STAFF.0, &staff_hash)?;
        Ok(())
    })?;
    Ok(true)
}
