//! The demo data `just run` starts with: a verified merchant with its three
//! default operators, every product signed and the example integrator's API client, a second verified merchant to
//! pay (no products signed), and a staff account. Created once; a later start finds them and adds only what newer
//! versions need (the signings, the API client). Never used in production mode.

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
    if let Some(merchant) = store.read(|c| identity::find_merchant_by_email(c, MERCHANT))? {
        top_up(store, merchant.id)?;
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
        add_api_client(c, merchant.id, &unusable_hash, at)?;
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

/// A demo database made before products needed signing (and before the example's
/// API client) gets both, so its merchant keeps working; anything present is left
/// as it is.
fn top_up(store: &Store, merchant_id: i64) -> Result<(), ApiError> {
    let at = crate::auth::now();
    let missing: Vec<paydesk_domain::apps::App> = store.read(|c| -> Result<_, ApiError> {
        let signed = paydesk_store::signings::of_merchant(c, merchant_id)?;
        Ok(paydesk_domain::apps::App::ALL
            .iter()
            .copied()
            .filter(|a| !signed.iter().any(|s| s.product == *a))
            .collect())
    })?;
    let has_client = store.read(|c| paydesk_store::gateway::client(c, API_CLIENT.0))?.is_some();
    if missing.is_empty() && has_client {
        return Ok(());
    }
    let unusable_hash = hash_password(&crate::auth::random_token())?;
    store.write(|c| -> Result<(), ApiError> {
        for app in &missing {
            paydesk_store::signings::sign_outright(c, merchant_id, *app, at)?;
        }
        if !has_client {
            add_api_client(c, merchant_id, &unusable_hash, at)?;
        }
        Ok(())
    })
}

/// The example integrator's API client with its published key.
fn add_api_client(
    c: &mut paydesk_store::DbConn,
    merchant_id: i64,
    unusable_hash: &str,
    at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let role = paydesk_store::roles::builtin_id(c, merchant_id, BuiltinRole::Applicant)?;
    let client = identity::NewOperator {
        login_name: API_CLIENT.0,
        display_name: API_CLIENT.1,
        password_hash: unusable_hash,
        phone: None,
        password_change_required: false,
    };
    paydesk_store::gateway::create_client(c, merchant_id, role, API_CLIENT.0, &client, at)?;
    paydesk_store::gateway::add_key(c, API_CLIENT.0, "Ed25519", API_CLIENT_KEY, at)?;
    Ok(())
}

/// A clock the history is written under: each step of the month happens at its
/// own time through the same code a live request runs.
#[derive(Debug, Clone)]
struct HistoryClock(std::sync::Arc<std::sync::Mutex<chrono::NaiveDateTime>>);

impl crate::bank::Clock for HistoryClock {
    fn now(&self) -> chrono::NaiveDateTime {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl HistoryClock {
    fn set(&self, at: chrono::NaiveDateTime) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = at;
    }
}

/// How many days of trades [`seed_history`] writes.
pub const HISTORY_DAYS: i64 = 30;

/// What a day of the demo shop sells: (subject, amount).
const GOODS: [(&str, &str); 8] = [
    ("咖啡豆 1kg", "128.00"),
    ("挂耳咖啡 20 片", "59.90"),
    ("手冲壶", "219.00"),
    ("滤纸 100 张", "18.50"),
    ("门店消费", "36.00"),
    ("咖啡杯 2 只", "88.00"),
    ("冷萃咖啡 6 瓶", "72.00"),
    ("磨豆机", "399.00"),
];

/// A month of the demo merchant's trades (`just run`'s `--demo-history`), so a
/// new user's pages are not empty: each day's API trades (instant and
/// guaranteed) and QR payments, paid at the sandbox bank, some left unpaid and
/// closed on expiry, guaranteed ones shipped and confirmed, each day settled T+1
/// net of the acquiring fee — all through the same core flows as live traffic,
/// under a clock set to each moment, so the books, statements and notification
/// log agree. Today's trades wait in 待结算. Written once: a merchant with trades
/// is left alone. Returns the number of trades written.
pub fn seed_history(st: &crate::AppState) -> Result<usize, ApiError> {
    use chrono::{Duration, NaiveTime, Utc};
    use paydesk_api_types::NewTrade;
    use paydesk_domain::fees::{FeeRule, Product};

    use crate::core::trades::{self, BankPayment};

    let Some(merchant) = st.store.read(|c| identity::find_merchant_by_email(c, MERCHANT))? else {
        return Ok(0);
    };
    if st.store.read(|c| paydesk_store::trades::of_merchant(c, merchant.id, 0, 1))?.1 > 0 {
        return Ok(0);
    }
    let clock = HistoryClock(std::sync::Arc::default());
    let mut st = st.clone();
    st.clock = std::sync::Arc::new(clock.clone());
    let now = Utc::now().naive_utc();
    let china = Duration::hours(8);
    let today = (now + china).date();
    let start = today - Duration::days(HISTORY_DAYS);
    let at_china = |day: chrono::NaiveDate, h: u32, m: u32| {
        day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()) - china
    };
    // What staff set when the products were signed: 0.60 % for acquiring, 0.38 % for QR codes.
    let staff = st.store.read(|c| identity::find_staff(c, STAFF.0))?.map_or(0, |s| s.id);
    st.store.write(|c| -> Result<(), ApiError> {
        for (product, rate_bp) in
            [(Product::AcquiringInstant, 60), (Product::AcquiringGuaranteed, 60), (Product::QrCollection, 38)]
        {
            let rule = FeeRule { rate_bp, ..FeeRule::FREE };
            paydesk_store::fees::set(c, merchant.id, product, &rule, staff, at_china(start, 9, 0))?;
        }
        Ok(())
    })?;
    let client = st.store.read(|c| -> Result<_, ApiError> {
        let signer = paydesk_store::gateway::signer(c, API_CLIENT.0)?
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the demo API client is missing")))?;
        Ok(crate::core::gateway::Signed::of(signer))
    })?;
    let code = "qdemoshopcounter00001";
    clock.set(at_china(start, 8, 0));
    st.store.write(|c| {
        paydesk_store::trades::create_qr(c, merchant.id, code, "门店收款", None, at_china(start, 8, 0))
    })?;

    let mut written = 0;
    let mut held = Vec::new();
    for offset in 0..=HISTORY_DAYS {
        let day = start + Duration::days(offset);
        // Just after midnight: yesterday's completed trades settle, unpaid ones close.
        clock.set(at_china(day, 0, 5));
        trades::run_jobs(&st, at_china(day, 0, 5))?;
        let count = 2 + (offset % 4) as u32;
        for k in 0..count {
            let at = at_china(day, 9 + 3 * k, (offset as u32 * 7 + k * 13) % 60);
            if at > now {
                break;
            }
            clock.set(at);
            let (subject, amount) = GOODS[((offset as usize) * 3 + k as usize) % GOODS.len()];
            let trade_no = match (offset + i64::from(k)) % 5 {
                0 | 3 => {
                    let t = crate::core::qr::start_payment(&st, code, amount)?;
                    t.trade_no
                }
                kind => {
                    let body = NewTrade {
                        merchant_order_no: format!("DEMO{}{k}", day.format("%Y%m%d")),
                        subject: subject.into(),
                        amount: amount.into(),
                        mode: if kind == 4 { "guaranteed" } else { "instant" }.into(),
                        expire_minutes: None,
                        notify_url: None,
                        return_url: None,
                    };
                    st.store.write(|c| trades::create(c, &st, &client, &body))?.0.trade_no
                }
            };
            written += 1;
            // One trade in seven is never paid and closes when it expires.
            if (offset * 5 + i64::from(k)) % 7 == 6 {
                continue;
            }
            let paid_at = at + Duration::minutes(2);
            clock.set(paid_at);
            let t = st
                .store
                .read(|c| paydesk_store::trades::by_trade_no(c, &trade_no))?
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("demo trade vanished")))?;
            let reference = format!("SBX{}", &trade_no[trade_no.len() - 10..]);
            st.store.write(|c| {
                let payment = BankPayment {
                    trade_no: &trade_no,
                    bank: "ICBC",
                    amount: t.amount,
                    paid: true,
                    reference: &reference,
                };
                trades::bank_paid(c, &st, &payment, paid_at)
            })?;
            if t.mode == paydesk_domain::trades::TradeMode::Guaranteed {
                held.push((trade_no, paid_at));
            }
        }
        // Guaranteed trades ship the next morning and are confirmed two days after paying.
        for (trade_no, paid_at) in &held {
            let ship_at = *paid_at + Duration::hours(20);
            let confirm_at = *paid_at + Duration::days(2);
            for (when, step) in [(ship_at, 0), (confirm_at, 1)] {
                if (when + china).date() == day && when <= now {
                    clock.set(when);
                    st.store.write(|c| {
                        if step == 0 {
                            trades::ship(c, &st, merchant.id, trade_no)
                        } else {
                            trades::confirm_receipt(c, &st, merchant.id, trade_no)
                        }
                    })?;
                }
            }
        }
    }
    clock.set(now);
    trades::run_jobs(&st, now)?;
    Ok(written)
}
