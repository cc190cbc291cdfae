//! Image captchas (图形验证码) for registration and sign-in: one answer each,
//! within [`limits::CAPTCHA_VALID_SECS`]; stored hashed.

use chrono::Duration;
use paydesk_api_types::Captcha;
use paydesk_domain::limits;
use paydesk_store::onboarding;

use crate::auth::{now, random_token, sha256_hex};
use crate::captcha_image;
use crate::error::ApiError;
use crate::AppState;

fn captcha_hash(id: &str, answer: &str) -> String {
    sha256_hex(&format!("{id}:{}", answer.trim().to_ascii_uppercase()))
}

/// A new captcha; in development mode its answer comes back too. Blocking.
pub fn issue(st: &AppState) -> Result<Captcha, ApiError> {
    let id = random_token();
    let answer = captcha_image::random_answer(limits::CAPTCHA_CHARS);
    let image_svg = captcha_image::render_svg(&answer);
    let hash = captcha_hash(&id, &answer);
    let at = now();
    st.store.write(|c| {
        onboarding::create_captcha(c, &id, &hash, at, at + Duration::seconds(limits::CAPTCHA_VALID_SECS))
    })?;
    Ok(Captcha {
        id,
        image_svg,
        expires_in: u32::try_from(limits::CAPTCHA_VALID_SECS).unwrap_or(u32::MAX),
        dev_answer: st.settings.mode.is_development().then_some(answer),
    })
}

/// Spends the captcha; a wrong, used or expired one is a field error on
/// `captcha_answer`. Blocking.
pub fn check(st: &AppState, id: &str, answer: &str) -> Result<(), ApiError> {
    let hash = captcha_hash(id, answer);
    if st.store.write(|c| onboarding::spend_captcha(c, id, &hash, now()))? {
        Ok(())
    } else {
        Err(ApiError::field(
            "captcha_answer",
            "captcha_invalid",
            "the characters don't match the picture; try the new one",
        ))
    }
}
