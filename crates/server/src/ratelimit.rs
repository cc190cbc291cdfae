//! Fixed-window request limits per client address and per account, in memory
//! (one process; a restart forgives). The numbers are `limits::rate`.
//! Exceeding one answers 429 with `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use paydesk_domain::limits::rate::Limit;

use crate::error::ApiError;

/// Which door is knocked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Door {
    SignInIp,
    SignInAccount,
    CaptchaIp,
    SmsIp,
    SmsAccount,
    RegisterIp,
    RegisterAccount,
    RecoverIp,
    RecoverAccount,
    /// Signed requests of one API client.
    GatewayApp,
    /// Refused signed requests from one address.
    GatewayRefusedIp,
}

impl Door {
    fn limit(self) -> Limit {
        use paydesk_domain::limits::rate::*;
        match self {
            Door::SignInIp => SIGN_IN_PER_IP,
            Door::SignInAccount => SIGN_IN_PER_ACCOUNT,
            Door::CaptchaIp => CAPTCHA_PER_IP,
            Door::SmsIp => SMS_PER_IP,
            Door::SmsAccount => SMS_PER_ACCOUNT,
            Door::RegisterIp => REGISTER_PER_IP,
            Door::RegisterAccount => REGISTER_PER_ACCOUNT,
            Door::RecoverIp => RECOVER_PER_IP,
            Door::RecoverAccount => RECOVER_PER_ACCOUNT,
            Door::GatewayApp => GATEWAY_PER_APP,
            Door::GatewayRefusedIp => GATEWAY_REFUSED_PER_IP,
        }
    }
}

/// Entries kept before expired windows are swept out.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Default)]
pub struct Limiter {
    windows: Mutex<HashMap<(Door, String), (Instant, u32)>>,
}

impl Limiter {
    /// Counts one request at `door` for `key` (an address or an account);
    /// refuses it when the window's allowance is spent.
    pub fn hit(&self, door: Door, key: &str) -> Result<(), ApiError> {
        self.knock(door, key, true)
    }

    /// Refuses when `key`'s allowance at `door` is spent, without counting this
    /// request (the count goes up only for what the door counts, as refusals).
    pub fn check(&self, door: Door, key: &str) -> Result<(), ApiError> {
        self.knock(door, key, false)
    }

    fn knock(&self, door: Door, key: &str, count: bool) -> Result<(), ApiError> {
        let (allowed, window_secs) = door.limit();
        let window = Duration::from_secs(window_secs);
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() >= SWEEP_AT {
            windows
                .retain(|(d, _), (start, _)| now.duration_since(*start) < Duration::from_secs(d.limit().1));
        }
        let entry = windows.entry((door, key.to_lowercase())).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        if entry.1 >= allowed {
            let left = window.saturating_sub(now.duration_since(entry.0)).as_secs().max(1);
            return Err(ApiError::Throttled { retry_after: left });
        }
        if count {
            entry.1 += 1;
        }
        Ok(())
    }

    /// [`Limiter::hit`] at each (door, key) in turn.
    pub fn hit_all(&self, knocks: &[(Door, &str)]) -> Result<(), ApiError> {
        knocks.iter().try_for_each(|(door, key)| self.hit(*door, key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_allowance_is_counted_per_door_and_key() {
        let limiter = Limiter::default();
        let (allowed, _) = Door::RegisterAccount.limit();
        for _ in 0..allowed {
            limiter.hit(Door::RegisterAccount, "a@example.com").unwrap();
        }
        let refused = limiter.hit(Door::RegisterAccount, "A@example.com").unwrap_err();
        assert!(matches!(refused, ApiError::Throttled { retry_after } if retry_after > 0));
        limiter.hit(Door::RegisterAccount, "b@example.com").unwrap();
        limiter.hit(Door::RegisterIp, "a@example.com").unwrap();
    }
}
