//! Every number of the merchant manual and of our own policy, in one place.
//! The server and the web app read them from here; no other code types them.
//!
//! Manual: `shared/seeds/000_3848bd926909625b.txt` (sections and lines cited).

/// Payees on one manually entered transfer: "最多可添加5条转账信息, 如需更多,
/// 请使用右上角批量转账导入功能" (§3.4.2.2.1, line 520).
pub const TRANSFER_LINES: usize = 5;

/// Bank cards per merchant: "最多可添加 20 张银行卡" (§3.3.1.3, line 259).
pub const BANK_CARDS: usize = 20;

/// Characters in a transfer, payout or line remark (备注; our policy — the manual
/// shows the field, e.g. "备注: 劳务费", line 530, without a length).
pub const REMARK_CHARS: usize = 50;

/// Characters in a reviewer's remark (审核备注, §3.5.1.2; our policy).
pub const REVIEW_REMARK_CHARS: usize = 100;

/// Rows in one batch file: "每个批量文件记录数最多支持999条" (§3.4.2.2.2, line 586).
pub const BATCH_ROWS: usize = 999;

/// The most a batch file may weigh: 2 MB.
pub const BATCH_FILE_BYTES: usize = 2 * 1024 * 1024;

/// Characters in a merchant order number (商户订单号) or batch number (批次号):
/// "不超过32位字符，支持数字和字母组合" (§3.4.2.2.2, line 586).
pub const ORDER_NO_CHARS: usize = 32;

/// Refunds of one gateway trade, at most (issue 13; our policy: a trade's
/// refund list stays readable and each refund's fee share stays above a fen).
pub const REFUNDS_PER_TRADE: u32 = 50;

/// Applications decided by one bulk review (批量审核, §3.5.1.3; our policy).
pub const BULK_REVIEW: usize = 100;

/// Rows per page of every list: the manual's pages show 20 (§3.5.1.1, §3.6.2).
pub const PAGE_SIZE: u32 = 20;

/// 交易记录: a query covers at most this many days (§3.6.1, 自当天至以前 31 天).
pub const RECORD_RANGE_DAYS: i64 = 31;

/// 交易记录 counts its rows up to this many; a list that matches more says so
/// ("1000+") rather than counting a month of a busy shop on every page.
pub const RECORD_COUNT_CAP: i64 = 1_000;

/// Characters in a company's full registered name (企业名称, §2.1; our policy).
pub const COMPANY_NAME_CHARS: (usize, usize) = (2, 100);

/// Characters in a bank account holder's name (收款开户名, §3.4.2.3; our policy).
pub const HOLDER_NAME_CHARS: (usize, usize) = (2, 60);

/// An image captcha's validity in seconds (图形验证码, §2.1, §3.1; our policy).
pub const CAPTCHA_VALID_SECS: i64 = 5 * 60;

/// A registration link's validity in hours (§2.1 线上开通步骤; our policy).
pub const REGISTRATION_LINK_HOURS: i64 = 24;

/// Digits in an SMS code (短信校验码).
pub const SMS_CODE_DIGITS: usize = 6;

/// Characters in an image captcha's answer (§2.1, §3.1).
pub const CAPTCHA_CHARS: usize = 4;

/// An access token's life in seconds; the refresh cookie renews it (our policy).
pub const ACCESS_TOKEN_SECS: i64 = 5 * 60;

/// A session ends after this many idle seconds (our policy, as banks do).
pub const SESSION_IDLE_SECS: i64 = 15 * 60;

/// A session ends this many seconds after sign-in, however busy (our policy;
/// OWASP ASVS 3.3.4 asks for an absolute limit).
pub const SESSION_MAX_SECS: i64 = 12 * 60 * 60;

/// A security-key challenge's life in seconds (快捷盾, §3.7.5; our policy).
pub const KEY_CHALLENGE_SECS: i64 = 5 * 60;

/// The most rows a list page may ask for.
pub const MAX_PER_PAGE: u32 = 100;

/// The most rows one statement export holds; narrow the period for more.
pub const EXPORT_MAX_ROWS: i64 = 50_000;

/// Days the funds overview's chart covers (资金总览, §3.4: 近30天).
pub const TREND_DAYS: i64 = 30;

/// Sends of one money-moving request the web app makes before it shows the
/// error (keeping the key for the next click).
pub const MONEY_REQUEST_TRIES: u32 = 4;

/// An SMS code's validity in seconds (短信验证码; our policy, as banks do).
pub const SMS_CODE_VALID_SECS: i64 = 5 * 60;

/// Seconds before another SMS code or e-mail link may be sent: "60秒后重新发送"
/// (§2.1 registration, §3.7.3 phone).
pub const RESEND_COOLDOWN_SECS: i64 = 60;

/// Wrong guesses an SMS code survives before it is void (our policy).
pub const SMS_CODE_ATTEMPTS: i32 = 5;

/// Wrong passwords within [`LOCKOUT_WINDOW_SECS`] that freeze a login: "连续一天内输错
/// 5 次，则账号将被冻结，24 小时后才可使用" (§3.1, line 193).
pub const LOCKOUT_FAILURES: usize = 5;

/// The rolling window in which wrong passwords are counted: a day (§3.1).
pub const LOCKOUT_WINDOW_SECS: i64 = 24 * 60 * 60;

/// How long a frozen login stays frozen: 24 hours (§3.1).
pub const LOCKOUT_FREEZE_SECS: i64 = 24 * 60 * 60;

/// Characters in a login password. The manual says 6–32 (§3.7.1); we ask for
/// at least 8, as OWASP ASVS 2.1.1 does — a recorded deviation.
pub const LOGIN_PASSWORD_CHARS: (usize, usize) = (8, 32);

/// Characters in a payment password: the manual's 6–32 (§3.7.2). It is always
/// asked with a signed-in session and locks after five wrong tries.
pub const PAYMENT_PASSWORD_CHARS: (usize, usize) = (6, 32);

/// Tries at typing back the verification micro-deposit before a new one is
/// needed (§2.2 实名认证; our policy).
pub const MICRO_DEPOSIT_ATTEMPTS: i32 = 5;

/// New micro-deposits the merchant may ask for after staff sent one; then
/// staff take over (our policy: five guesses at 9,801 pairs, four times, leave
/// a 0.2% chance to a guesser).
pub const MICRO_DEPOSIT_RESENDS: i64 = 3;

/// The largest scan of a document: "大小不超过3M" (§2.2, line 113).
pub const SCAN_BYTES: usize = 3 * 1024 * 1024;

/// How long the operator pages stay open after the payment password (§3.3.3; our
/// policy).
pub const OPERATOR_PAGES_UNLOCK_SECS: i64 = 15 * 60;

/// Characters in a role's name and description (§3.3.3.2; our policy).
pub const ROLE_NAME_CHARS: usize = 20;
pub const ROLE_DESCRIPTION_CHARS: usize = 100;

/// Characters in an operator's login name (操作员登录名, §3.3.3.4; our policy).
pub const LOGIN_NAME_CHARS: (usize, usize) = (4, 32);

/// Characters in the reason staff give for refusing a verification (our policy).
pub const KYB_REJECT_REASON_CHARS: usize = 500;

/// Characters in an operator's display name (§3.3.3.4; our policy).
pub const OPERATOR_NAME_CHARS: usize = 20;

/// An idempotency claim older than this may be taken over: the request that made
/// it died before finishing (IETF Idempotency-Key draft; our policy).
pub const IDEMPOTENCY_TAKEOVER_SECS: i64 = 60;

/// Characters in an `Idempotency-Key` header.
pub const IDEMPOTENCY_KEY_CHARS: usize = 255;

/// Requests a window allows, per client address and per account (our policy,
/// OWASP ASVS 2.2.1: anti-automation on the doors an attacker knocks at). A
/// busy office shares one address, hence the generous per-address numbers.
pub mod rate {
    /// (requests, window seconds)
    pub type Limit = (u32, u64);
    /// Sign-in attempts (merchant and staff) from one address.
    pub const SIGN_IN_PER_IP: Limit = (300, 600);
    /// Sign-in attempts at one account (merchant + operator, or staff login).
    pub const SIGN_IN_PER_ACCOUNT: Limit = (100, 600);
    /// Captchas from one address.
    pub const CAPTCHA_PER_IP: Limit = (300, 600);
    /// SMS codes to one operator (the cool-down allows at most 60 an hour).
    pub const SMS_PER_ACCOUNT: Limit = (20, 3600);
    /// SMS codes asked for from one address.
    pub const SMS_PER_IP: Limit = (100, 3600);
    /// Registrations started (each sends an e-mail) from one address.
    pub const REGISTER_PER_IP: Limit = (20, 3600);
    /// Registrations started for one e-mail address.
    pub const REGISTER_PER_ACCOUNT: Limit = (5, 3600);
    /// Password recoveries started from one address.
    pub const RECOVER_PER_IP: Limit = (20, 3600);
    /// Password recoveries started for one merchant account.
    pub const RECOVER_PER_ACCOUNT: Limit = (5, 3600);
    /// Signed requests of one API client: 500 a second on average over a minute,
    /// bursts allowed (our policy; a runaway loop stops here, a busy shop doesn't).
    pub const GATEWAY_PER_APP: Limit = (30_000, 60);
    /// Signed requests refused (bad signature, unknown app, stale, reused nonce)
    /// from one address before every signed request from it waits out the window.
    pub const GATEWAY_REFUSED_PER_IP: Limit = (100, 600);
}

/// Password hashes (Argon2id, 19 MiB each) computed at once; more wait, so a
/// flood of sign-ins can't exhaust memory (our policy).
pub const CONCURRENT_HASHES: usize = 4;

/// A password recovery stays open this long, and its e-mailed link is good
/// this long after it is sent (our policy, as registration links).
pub const RECOVERY_SECS: i64 = 30 * 60;

/// Seconds before a recovery link may be sent again (§3.7.1: 60 秒后重新发送).
pub const RECOVERY_RESEND_SECS: i64 = 60;
