//! Pieces the forms share: the captcha, field messages, the password meter,
//! the error banner, and a scan upload button.

use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_domain::identity::{password_strength, Strength};
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};

/// A captcha picture, its answer box, and a way to get a new one.
#[derive(Clone, Copy)]
pub struct CaptchaState {
    pub id: RwSignal<String>,
    pub answer: RwSignal<String>,
    svg: RwSignal<String>,
    dev_answer: RwSignal<Option<String>>,
}

impl CaptchaState {
    pub fn new() -> CaptchaState {
        let state = CaptchaState {
            id: RwSignal::new(String::new()),
            answer: RwSignal::new(String::new()),
            svg: RwSignal::new(String::new()),
            dev_answer: RwSignal::new(None),
        };
        state.reload();
        state
    }

    /// Fetches a new picture; every attempt spends the old one.
    pub fn reload(self) {
        spawn_local(async move {
            if let Ok(c) = ep::new_captcha().await {
                self.id.set(c.id);
                self.svg.set(c.image_svg);
                self.dev_answer.set(c.dev_answer);
                self.answer.set(String::new());
            }
        });
    }
}

impl Default for CaptchaState {
    fn default() -> Self {
        CaptchaState::new()
    }
}

#[component]
pub fn CaptchaField(state: CaptchaState, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    view! {
        <label class="field">
            <span class="label">{tr("验证码", "Captcha")}</span>
            <div class="captcha">
                <input name="captcha" autocomplete="off" maxlength=paydesk_domain::limits::CAPTCHA_CHARS bind:value=state.answer/>
                <button type="button" class="captcha-image" title="换一张 / new picture" on:click=move |_| state.reload()
                    inner_html=move || state.svg.get()></button>
                {move || state.dev_answer.get().map(|a| view! {
                    <span class="dev-answer" data-testid="captcha-answer" title="development mode">{a}</span>
                })}
            </div>
            <FieldMessage error=error field="captcha_answer"/>
        </label>
    }
}

/// The server's message for one field, under that field.
#[component]
pub fn FieldMessage(error: RwSignal<Option<ApiError>>, field: &'static str) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.field(field).cloned()).map(|f| {
            view! { <span class="field-error" data-field=field data-code=f.code.clone()>{f.message}</span> }
        })
    }
}

/// A banner for problems not tied to one field.
#[component]
pub fn ErrorBanner(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || {
        error.get().filter(|e| e.0.errors.is_empty()).map(|e| {
            view! { <div class="banner error" role="alert" data-code=e.code().to_owned()>{e.message()}</div> }
        })
    }
}

/// Which password a form sets: the numbers of its rule come from the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordKind {
    Login,
    Payment,
}

/// Whether a confirmation was typed and differs.
pub fn passwords_differ(password: RwSignal<String>, confirm: RwSignal<String>) -> bool {
    !confirm.get().is_empty() && confirm.get() != password.get()
}

/// A new password with its strength and rule, and its confirmation; `name`
/// names the input (the confirmation is `{name}_confirm`) and its errors.
#[component]
pub fn NewPasswordFields(
    password: RwSignal<String>,
    confirm: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    name: &'static str,
    kind: PasswordKind,
    label: (&'static str, &'static str),
    confirm_label: (&'static str, &'static str),
) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let rule = move || {
        let (min, max) = match kind {
            PasswordKind::Login => paydesk_domain::limits::LOGIN_PASSWORD_CHARS,
            PasswordKind::Payment => paydesk_domain::limits::PAYMENT_PASSWORD_CHARS,
        };
        match (lang.get(), kind) {
            (crate::i18n::Lang::Zh, PasswordKind::Login) => {
                format!("{min}~{max} 位数字、字母和特殊符号，不能使用空格")
            }
            (crate::i18n::Lang::Zh, PasswordKind::Payment) => {
                format!("{min}~{max} 位数字、字母和特殊符号，不能与登录密码相同")
            }
            (crate::i18n::Lang::En, PasswordKind::Login) => {
                format!("{min}–{max} letters, digits and symbols, no spaces")
            }
            (crate::i18n::Lang::En, PasswordKind::Payment) => {
                format!("{min}–{max} letters, digits and symbols; not the login password")
            }
        }
    };
    view! {
        <label class="field"><span class="label req">{tr(label.0, label.1)}</span>
            <input name=name type="password" autocomplete="new-password" required bind:value=password/>
            <StrengthMeter password=password/>
            <span class="hint">{rule}</span>
            <FieldMessage error=error field=name/></label>
        <label class="field"><span class="label req">{tr(confirm_label.0, confirm_label.1)}</span>
            <input name=format!("{name}_confirm") type="password" autocomplete="new-password" required bind:value=confirm/>
            {move || passwords_differ(password, confirm).then(|| view! { <span class="field-error" data-code="password_mismatch">{tr("两次输入的密码不一致", "The passwords differ")}</span> })}
        </label>
    }
}

/// 弱 / 中 / 强, computed with the same rule the server applies.
#[component]
pub fn StrengthMeter(password: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let p = password.get();
        if p.is_empty() {
            return None;
        }
        let (class, zh, en) = match password_strength(&p) {
            Strength::Weak => ("weak", "弱", "weak"),
            Strength::Medium => ("medium", "中", "medium"),
            Strength::Strong => ("strong", "强", "strong"),
        };
        Some(view! {
            <span class=format!("strength {class}")>
                <i></i><i></i><i></i>
                <b>{lang.get().pick(zh, en)}</b>
            </span>
        })
    }
}

/// A button that uploads one scan and reports its id.
/// The file chosen in a file input, as the multipart form (`file`) uploads send.
pub fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::FormData> {
    let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|f| f.get(0))?;
    let form = web_sys::FormData::new().ok()?;
    form.append_with_blob_and_filename("file", &file, &file.name()).ok()?;
    Some(form)
}

#[component]
pub fn ScanUpload(
    name: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let local_error = RwSignal::new(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(form) = chosen_file(&ev) else { return };
        busy.set(true);
        local_error.set(None);
        spawn_local(async move {
            match ep::upload_scan(&form).await {
                Ok(f) => value.set(f.id),
                Err(e) => local_error
                    .set(Some(e.field("file").map(|f| f.message.clone()).unwrap_or_else(|| e.message()))),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="scan">
            <input type="file" name=name accept=".jpg,.jpeg,.bmp,image/jpeg,image/bmp" on:change=on_change/>
            {move || busy.get().then(|| view! { <span class="muted">{tr("上传中…", "Uploading…")}</span> })}
            {move || (!value.get().is_empty() && !busy.get()).then(|| view! { <span class="ok-mark" data-uploaded=name>"✓ "{tr("已上传", "Uploaded")}</span> })}
            <span class="hint">{tr("格式：jpg、jpeg、bmp，大小不超过3M", "jpg, jpeg or bmp, at most 3 MB")}</span>
            {move || local_error.get().map(|m| view! { <span class="field-error">{m}</span> })}
            <FieldMessage error=error field=name/>
        </div>
    }
}

/// Bank, province, city and branch, chosen from the shipped branch directory
/// (查询支行信息). Sets `branch` to the chosen 联行号.
#[component]
pub fn BranchPicker(
    bank: RwSignal<String>,
    branch: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let province = RwSignal::new(String::new());
    let city = RwSignal::new(String::new());
    let banks = LocalResource::new(ep::get_recharge_banks);
    let places = LocalResource::new(move || {
        let b = bank.get();
        async move { ep::get_branch_places(b).await }
    });
    let branches = LocalResource::new(move || {
        let (b, p, c) = (bank.get(), province.get(), city.get());
        async move {
            if c.is_empty() {
                return Ok(Vec::new());
            }
            ep::get_branches(&b, &p, &c).await
        }
    });
    view! {
        <label class="field"><span class="label req">{tr("开户银行", "Bank")}</span>
            <select name="bank" on:change=move |ev| { bank.set(event_target_value(&ev)); province.set(String::new()); city.set(String::new()); branch.set(String::new()); }>
                {move || banks.get().and_then(|r| r.ok()).map(|list| list.into_iter().map(|b| {
                    let selected = b.code == bank.get_untracked();
                    view! { <option value=b.code.clone() selected=selected>{b.name}</option> }
                }).collect_view())}
            </select></label>
        <div class="field"><span class="label req">{tr("开户支行所在地", "Branch location")}</span>
            <div class="row">
                <select name="province" on:change=move |ev| { province.set(event_target_value(&ev)); city.set(String::new()); branch.set(String::new()); }>
                    <option value="">{tr("选择省份", "Province")}</option>
                    {move || places.get().and_then(|r| r.ok()).map(|list| list.into_iter().map(|p| view! { <option value=p.province.clone()>{p.province.clone()}</option> }).collect_view())}
                </select>
                <select name="city" on:change=move |ev| { city.set(event_target_value(&ev)); branch.set(String::new()); }>
                    <option value="">{tr("选择城市", "City")}</option>
                    {move || places.get().and_then(|r| r.ok()).map(|list| list.into_iter().filter(|p| p.province == province.get()).flat_map(|p| p.cities).map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view())}
                </select>
            </div></div>
        <label class="field"><span class="label req">{tr("开户支行", "Branch")}</span>
            <select name="branch" on:change=move |ev| branch.set(event_target_value(&ev))>
                <option value="">{tr("查询支行信息", "Choose the branch")}</option>
                {move || branches.get().and_then(|r| r.ok()).map(|list| list.into_iter().map(|b| view! { <option value=b.code.clone()>{b.name.clone()}" · "{b.code.clone()}</option> }).collect_view())}
            </select>
            <FieldMessage error=error field="branch_code"/></label>
    }
}

/// 手机校验码: the code box and the button that sends a code — to the
/// operator's bound phone (`fund_operation`, `security`), or with `to` to the
/// phone being bound (`new_phone`). `field` names the input and its errors.
#[component]
pub fn SmsCodeField(
    code: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    #[prop(default = "fund_operation")] purpose: &'static str,
    #[prop(default = "sms_code")] field: &'static str,
    #[prop(optional)] to: Option<RwSignal<String>>,
) -> impl IntoView {
    use paydesk_api_types::SmsCodeSent;
    let sent = RwSignal::new(None::<SmsCodeSent>);
    let send = move |_| {
        let phone = to.map(|p| p.get_untracked().trim().to_owned());
        spawn_local(async move {
            let body = paydesk_api_types::SmsCodeRequest { purpose: purpose.into(), phone };
            match ep::send_sms_code(&body).await {
                Ok(s) => sent.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let button = if field == "sms_code" { "send-sms".to_owned() } else { format!("send-{field}") };
    view! {
        <div class="field"><span class="label req">{tr("手机校验码", "SMS code")}</span>
            <div class="row">
                <input name=field inputmode="numeric" maxlength=paydesk_domain::limits::SMS_CODE_DIGITS bind:value=code/>
                <button type="button" name=button on:click=send>{tr("获取校验码", "Send code")}</button>
            </div>
            {move || sent.get().map(|s| view! { <span class="hint" data-testid=format!("{field}-sent")>{tr("已发送至 ", "Sent to ")}{s.phone}</span> })}
            <FieldMessage error=error field=field/></div>
    }
}

/// The second factor of an operation that completes at once: the security key
/// (快捷盾) once the operator has bound one, else the SMS code.
#[component]
pub fn SecondFactorField(code: RwSignal<String>, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let session = crate::session::use_session();
    move || {
        if session.me.get().is_some_and(|m| m.security_key_bound) {
            view! {
                <div class="field" data-testid="uses-key"><span class="label req">{tr("快捷盾", "Security key")}</span>
                    <span class="hint">{tr("确认时请插入快捷盾，按提示输入 PIN 或触摸。", "When you confirm, insert your key and follow its prompt.")}</span>
                    <FieldMessage error=error field="security_key"/></div>
            }
            .into_any()
        } else {
            view! { <SmsCodeField code=code error=error/> }.into_any()
        }
    }
}

/// 上一页 · 第 n / m 页，共 t 条 · 下一页, for a list of `total` rows at `per_page` a page.
#[component]
pub fn Pager(page: RwSignal<u32>, total: u64, per_page: u32) -> impl IntoView {
    let pages = total.div_ceil(u64::from(per_page.max(1))).max(1);
    view! {
        <div class="pager">
            <button type="button" name="previous-page" disabled=move || { page.get() <= 1 } on:click=move |_| page.update(|x| *x -= 1)>{tr("上一页", "Previous")}</button>
            <span>{move || page.get()}" / "{pages}{tr(" 页，共 ", " · ")}{total}{tr(" 条", " rows")}</span>
            <button type="button" name="next-page" disabled=move || { u64::from(page.get()) >= pages } on:click=move |_| page.update(|x| *x += 1)>{tr("下一页", "Next")}</button>
        </div>
    }
}
