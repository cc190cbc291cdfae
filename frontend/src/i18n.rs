//! Chinese first (the manual's own labels), English second. The choice is kept
//! in localStorage so it survives a reload.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

const STORAGE_KEY: &str = "paydesk.lang";

impl Lang {
    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The saved choice, or Chinese.
    pub fn saved() -> Lang {
        storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|c| Lang::from_code(&c))
            .unwrap_or(Lang::Zh)
    }

    pub fn save(self) {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, self.code());
        }
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", self.code());
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The current language, provided by the app root.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Zh))
}

/// A label that follows the language switch.
pub fn tr(zh: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy {
    let lang = use_lang();
    move || lang.get().pick(zh, en)
}

/// A sentence holding numbers from `domain::limits`, in the chosen language:
/// `{0}`, `{1}` … in either text stand for `numbers[0]`, `numbers[1]` …, so no
/// limit is typed twice.
pub fn tr_n(zh: &'static str, en: &'static str, numbers: &'static [i64]) -> impl Fn() -> String + Copy {
    let lang = use_lang();
    move || {
        let mut text = lang.get().pick(zh, en).to_owned();
        for (i, n) in numbers.iter().enumerate() {
            text = text.replace(&format!("{{{i}}}"), &n.to_string());
        }
        text
    }
}

/// An RFC 3339 time from the API as `YYYY-MM-DD HH:MM:SS` in the browser's own
/// time zone (the server keeps and sends UTC).
pub fn local_time(rfc3339: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if d.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}
