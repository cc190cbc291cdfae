//! Who a merchant and its people are: e-mail addresses, passwords, phone numbers,
//! ID numbers, licence numbers and bank account numbers. Each is a newtype with one
//! constructor that refuses bad input, so the rest of the code never checks twice.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A field-level reason, with a stable code for the API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub code: &'static str,
    pub message: &'static str,
}

const fn invalid(code: &'static str, message: &'static str) -> Invalid {
    Invalid { code, message }
}

/// A lower-cased e-mail address: the merchant's account name (商户账号).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, Invalid> {
        let text = text.trim();
        if text.is_empty() {
            return Err(invalid("email_required", "enter an e-mail address"));
        }
        if text.len() > 254 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("email_invalid", "this is not an e-mail address"));
        }
        let Some((local, domain)) = text.rsplit_once('@') else {
            return Err(invalid("email_invalid", "this is not an e-mail address"));
        };
        let domain_ok = domain.len() <= 253
            && domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid("email_invalid", "this is not an e-mail address"));
        }
        Ok(Email(text.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `8*****4@qq.com`, as the manual shows bound addresses.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or((&self.0, ""));
        let chars: Vec<char> = local.chars().collect();
        let masked = match chars.len() {
            0 | 1 => "*".to_owned(),
            2 => format!("{}*", chars[0]),
            n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
        };
        format!("{masked}@{domain}")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Email::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// How hard a password is to guess, for the strength meter (弱 / 中 / 强).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Weak,
    Medium,
    Strong,
}

/// A login password (§3.7.1): [`limits::LOGIN_PASSWORD_CHARS`] letters, digits
/// and symbols (8–32: OWASP ASVS's minimum over the manual's 6), no spaces, not
/// of a single kind of character.
pub fn check_login_password(password: &str) -> Result<Strength, Invalid> {
    check_password(password, crate::limits::LOGIN_PASSWORD_CHARS, "a login password has 8 to 32 characters")
}

/// A payment password (§3.7.2): [`limits::PAYMENT_PASSWORD_CHARS`] (the
/// manual's 6–32), otherwise as a login password.
pub fn check_payment_password(password: &str) -> Result<Strength, Invalid> {
    check_password(
        password,
        crate::limits::PAYMENT_PASSWORD_CHARS,
        "a payment password has 6 to 32 characters",
    )
}

/// The manual's password rule: letters, digits and symbols within `(min, max)`
/// characters, no spaces. We also refuse passwords of a single kind of
/// character (`123456`, `abcdef`), which the strength meter would call weak.
fn check_password(
    password: &str,
    (min, max): (usize, usize),
    length_message: &'static str,
) -> Result<Strength, Invalid> {
    let len = password.chars().count();
    if len == 0 {
        return Err(invalid("password_required", "enter a password"));
    }
    if password.chars().any(char::is_whitespace) {
        return Err(invalid("password_has_space", "a password can't contain spaces"));
    }
    if !password.chars().all(|c| c.is_ascii_graphic()) {
        return Err(invalid("password_invalid_characters", "use only letters, digits and symbols"));
    }
    if !(min..=max).contains(&len) {
        return Err(invalid("password_length", length_message));
    }
    match password_strength(password) {
        Strength::Weak => Err(invalid("password_weak", "mix at least two of letters, digits and symbols")),
        s => Ok(s),
    }
}

/// Strength for the meter; any input, even an invalid one, gets a grade.
pub fn password_strength(password: &str) -> Strength {
    let letters = password.chars().any(|c| c.is_ascii_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    let symbols = password.chars().any(|c| c.is_ascii_punctuation());
    let kinds = [letters, digits, symbols].iter().filter(|k| **k).count();
    let mixed_case =
        password.chars().any(|c| c.is_ascii_lowercase()) && password.chars().any(|c| c.is_ascii_uppercase());
    match (kinds, password.chars().count()) {
        (0 | 1, _) | (_, 0..=5) => Strength::Weak,
        (3, 10..) => Strength::Strong,
        (2, 12..) if mixed_case => Strength::Strong,
        _ => Strength::Medium,
    }
}

/// A mainland mobile number, 11 digits starting 13–19.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(text: &str) -> Result<Phone, Invalid> {
        let digits: String =
            text.trim().trim_start_matches("+86").chars().filter(|c| *c != ' ' && *c != '-').collect();
        let b = digits.as_bytes();
        if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit)
        {
            Ok(Phone(digits))
        } else {
            Err(invalid("phone_invalid", "enter an 11-digit mobile number"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `186****3290`.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

/// A resident identity card number (GB 11643): 17 digits and a check character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdNumber(String);

impl IdNumber {
    pub fn parse(text: &str) -> Result<IdNumber, Invalid> {
        let id = text.trim().to_ascii_uppercase();
        let b = id.as_bytes();
        let shape_ok = b.len() == 18
            && b[..17].iter().all(u8::is_ascii_digit)
            && (b[17].is_ascii_digit() || b[17] == b'X');
        if !shape_ok {
            return Err(invalid("id_number_invalid", "an ID number has 17 digits and a check digit or X"));
        }
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const CHECK: &[u8; 11] = b"10X98765432";
        let sum: u32 = b[..17].iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
        if CHECK[(sum % 11) as usize] != b[17] {
            return Err(invalid("id_number_checksum", "this ID number's check digit is wrong"));
        }
        let year: u32 = id[6..10].parse().unwrap_or(0);
        let month: u32 = id[10..12].parse().unwrap_or(0);
        let day: u32 = id[12..14].parse().unwrap_or(0);
        if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(invalid("id_number_invalid", "this ID number has no valid birth date"));
        }
        Ok(IdNumber(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `3205**********1234`.
    pub fn masked(&self) -> String {
        format!("{}{}{}", &self.0[..4], "*".repeat(10), &self.0[14..])
    }
}

/// A business licence number: the 18-character unified social credit code
/// (GB 32100, check character verified) or an older 15-digit registration number
/// (format only: the manual's own example fails the ISO 7064 check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceNumber(String);

impl LicenceNumber {
    pub fn parse(text: &str) -> Result<LicenceNumber, Invalid> {
        let code = text.trim().to_ascii_uppercase();
        if code.len() == 15 && code.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(LicenceNumber(code));
        }
        if code.len() != 18 {
            return Err(invalid(
                "licence_number_invalid",
                "a licence number is an 18-character credit code or a 15-digit registration number",
            ));
        }
        const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        const WEIGHTS: [usize; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        let values: Option<Vec<usize>> = code.chars().map(|c| ALPHABET.find(c)).collect();
        let Some(values) = values else {
            return Err(invalid(
                "licence_number_invalid",
                "this credit code has characters that can't appear in one",
            ));
        };
        let sum: usize = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
        let check = (31 - sum % 31) % 31;
        if values[17] != check {
            return Err(invalid("licence_number_checksum", "this credit code's check character is wrong"));
        }
        Ok(LicenceNumber(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An organisation code (GB 11714): 8 characters and a check character, with an
/// optional hyphen before it.
pub fn check_organisation_code(text: &str) -> Result<String, Invalid> {
    let code: String = text.trim().to_ascii_uppercase().chars().filter(|c| *c != '-').collect();
    let bad = || {
        invalid("organisation_code_invalid", "an organisation code has 8 characters and a check character")
    };
    if code.len() != 9 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let value = |c: char| c.to_digit(36).unwrap_or(0);
    let sum: u32 = code.chars().take(8).zip(WEIGHTS).map(|(c, w)| value(c) * w).sum();
    let expected = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap_or('?'),
    };
    if code.ends_with(expected) {
        Ok(format!("{}-{}", &code[..8], &code[8..]))
    } else {
        Err(invalid("organisation_code_checksum", "this organisation code's check character is wrong"))
    }
}

/// A bank account number: 8 to 30 digits, spaces allowed while typing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct BankAccountNo(String);

impl BankAccountNo {
    pub fn parse(text: &str) -> Result<BankAccountNo, Invalid> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if (8..=30).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(BankAccountNo(digits))
        } else {
            Err(invalid("bank_account_invalid", "a bank account number has 8 to 30 digits"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `*****1332`, as the manual lists accounts.
    pub fn masked(&self) -> String {
        format!("*****{}", &self.0[self.0.len() - 4..])
    }
}

/// The last step of opening an account (§2.1): the company's full registered
/// name, and a login and a payment password that are each strong enough and not
/// the same. Answers the trimmed company name.
pub fn check_registration(
    company_name: &str,
    login_password: &str,
    payment_password: &str,
) -> Result<String, Vec<crate::draft::FieldProblem>> {
    use crate::draft::FieldProblem;
    use crate::limits::COMPANY_NAME_CHARS;
    let mut problems = Vec::new();
    let company = company_name.trim().to_owned();
    let (min, max) = COMPANY_NAME_CHARS;
    if !(min..=max).contains(&company.chars().count()) {
        problems.push(FieldProblem::new(
            "company_name",
            "company_name_length",
            format!("enter the company's full registered name ({min}–{max} characters)"),
        ));
    }
    if let Err(e) = check_login_password(login_password) {
        problems.push(FieldProblem::new("login_password", e.code, e.message));
    }
    if let Err(e) = check_payment_password(payment_password) {
        problems.push(FieldProblem::new("payment_password", e.code, e.message));
    } else if payment_password == login_password {
        problems.push(FieldProblem::new(
            "payment_password",
            "payment_password_same_as_login",
            "the payment password must differ from the login password",
        ));
    }
    if problems.is_empty() {
        Ok(company)
    } else {
        Err(problems)
    }
}

/// `上海示例贸易有限公司` → `上海**贸易有限公司`: enough to recognise, not to read out.
pub fn masked_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1..=3 => format!("{}**", chars[0]),
        n if n <= 6 => format!("{}**{}", chars[0], chars[n - 1]),
        n => format!(
            "{}**{}",
            chars[..2].iter().collect::<String>(),
            chars[n - 6..].iter().collect::<String>()
        ),
    }
}

/// 安全等级 (§3.7): how well an operator's account is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityLevel {
    Low,
    Medium,
    High,
}

impl SecurityLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityLevel::Low => "low",
            SecurityLevel::Medium => "medium",
            SecurityLevel::High => "high",
        }
    }
}

/// What the security centre's rows show as set up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Protections {
    pub payment_password: bool,
    pub phone: bool,
    pub email: bool,
    pub verified: bool,
    pub security_key: bool,
}

impl Protections {
    /// The level: the login password always counts; high when all six rows are
    /// set up, medium from four, else low.
    pub fn level(&self) -> SecurityLevel {
        let set = 1 + [self.payment_password, self.phone, self.email, self.verified, self.security_key]
            .iter()
            .filter(|x| **x)
            .count();
        match set {
            6 => SecurityLevel::High,
            4 | 5 => SecurityLevel::Medium,
            _ => SecurityLevel::Low,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails() {
        assert_eq!(Email::parse(" Boss@Example.COM ").unwrap().as_str(), "boss@example.com");
        for bad in ["", "a", "a@b", "a b@c.com", "@c.com", "a@-c.com", "a@c..com", "a@b@c.com"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Email::parse("8123454@qq.com").unwrap().masked(), "8*****4@qq.com");
    }

    #[test]
    fn payment_passwords_follow_the_manual() {
        let check = check_payment_password;
        assert_eq!(check("abc123"), Ok(Strength::Medium));
        assert_eq!(check("Abc123!xyz9"), Ok(Strength::Strong));
        assert_eq!(check("").unwrap_err().code, "password_required");
        assert_eq!(check("ab1").unwrap_err().code, "password_length");
        assert_eq!(check(&"a1".repeat(17)).unwrap_err().code, "password_length");
        assert_eq!(check("abc 123").unwrap_err().code, "password_has_space");
        assert_eq!(check("密码abc123").unwrap_err().code, "password_invalid_characters");
        assert_eq!(check("123456").unwrap_err().code, "password_weak");
        assert_eq!(check("abcdefgh").unwrap_err().code, "password_weak");
        assert_eq!(password_strength("12"), Strength::Weak);
    }

    #[test]
    fn the_security_level_counts_the_rows_set_up() {
        let none = Protections::default();
        assert_eq!(none.level(), SecurityLevel::Low);
        let most = Protections { payment_password: true, phone: true, email: true, ..none };
        assert_eq!(most.level(), SecurityLevel::Medium);
        let all = Protections { verified: true, security_key: true, ..most };
        assert_eq!(all.level(), SecurityLevel::High);
    }

    #[test]
    fn login_passwords_have_at_least_eight_characters() {
        assert_eq!(check_login_password("abc123!").unwrap_err().code, "password_length");
        assert_eq!(check_login_password("abc123!x"), Ok(Strength::Medium));
        assert_eq!(check_login_password(&"a1".repeat(16)).map(|_| ()), Ok(()));
        assert_eq!(check_login_password(&"a1".repeat(17)).unwrap_err().code, "password_length");
        assert_eq!(check_login_password("12345678").unwrap_err().code, "password_weak");
    }

    #[test]
    fn phones() {
        assert_eq!(Phone::parse("186 1234 3290").unwrap().masked(), "186****3290");
        assert!(Phone::parse("+8613800138000").is_ok());
        for bad in ["1234", "12800138000", "2380013800a", "138001380001"] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn id_numbers_are_checksummed() {
        assert!(IdNumber::parse("11010519491231002X").is_ok());
        assert!(IdNumber::parse("11010519491231002x").is_ok());
        assert_eq!(IdNumber::parse("110105194912310021").unwrap_err().code, "id_number_checksum");
        assert_eq!(IdNumber::parse("1101051949123100").unwrap_err().code, "id_number_invalid");
        assert_eq!(IdNumber::parse("11010519491231002X").unwrap().masked(), "1101**********002X");
    }

    #[test]
    fn licence_numbers() {
        assert!(LicenceNumber::parse("320501100006302").is_ok(), "the manual's example");
        assert!(LicenceNumber::parse("91350100M000100Y43").is_ok());
        assert_eq!(LicenceNumber::parse("91350100M000100Y44").unwrap_err().code, "licence_number_checksum");
        assert_eq!(LicenceNumber::parse("12345").unwrap_err().code, "licence_number_invalid");
    }

    #[test]
    fn organisation_codes() {
        assert_eq!(check_organisation_code("D2143569-X").unwrap(), "D2143569-X");
        assert_eq!(check_organisation_code("d2143569x").unwrap(), "D2143569-X");
        assert!(check_organisation_code("D2143569-2").is_err());
    }

    #[test]
    fn bank_accounts() {
        assert_eq!(BankAccountNo::parse("6222 0212 3456 1332").unwrap().masked(), "*****1332");
        assert!(BankAccountNo::parse("1234567").is_err());
        assert!(BankAccountNo::parse("6222x").is_err());
    }

    proptest! {
        #[test]
        fn a_valid_id_stays_valid_and_one_changed_digit_is_caught(body in "[1-6][0-9]{5}19[5-9][0-9]0[1-9]1[0-9][0-9]{3}", pos in 0usize..17, delta in 1u8..10) {
            const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
            let sum: u32 = body.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
            let id = format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char);
            prop_assert!(IdNumber::parse(&id).is_ok());
            let mut bytes = id.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(IdNumber::parse(&changed).is_err(), "{changed}");
        }

        #[test]
        fn password_rule_never_panics(p in "\\PC{0,40}") {
            let _ = check_login_password(&p);
            let _ = password_strength(&p);
        }
    }

    #[test]
    fn names_are_masked_but_recognisable() {
        assert_eq!(masked_name("上海示例贸易有限公司"), "上海**贸易有限公司");
        assert_eq!(masked_name("某某公司"), "某**司");
        assert_eq!(masked_name("甲"), "甲**");
    }

    #[test]
    fn registration_needs_a_name_and_two_different_strong_passwords() {
        assert_eq!(check_registration(" 示例公司 ", "abc123!x", "pay456#y"), Ok("示例公司".into()));
        let codes = |r: Result<String, Vec<crate::draft::FieldProblem>>| {
            r.unwrap_err().into_iter().map(|p| p.code).collect::<Vec<_>>()
        };
        assert_eq!(codes(check_registration("甲", "abc123!x", "pay456#y")), ["company_name_length"]);
        assert_eq!(
            codes(check_registration("示例公司", "abc123!x", "abc123!x")),
            ["payment_password_same_as_login"]
        );
        assert_eq!(codes(check_registration("示例公司", "short", "pay456#y")).len(), 1);
    }
}
