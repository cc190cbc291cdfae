//! E-mail and SMS. Every message is written to the outbox first, then handed to
//! an adapter: SMTP (lettre) for mail, an HTTP gateway for SMS. With no adapter
//! configured (development), the outbox is where messages end up, and the
//! development-mode outbox page and API show them.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use paydesk_store::{outbox, Store, StoreError};

/// Delivers one e-mail.
pub trait Mailer: Send + Sync {
    fn deliver(&self, to: &str, subject: &str, body: &str) -> Result<(), String>;
    /// `smtp` or `outbox`, for the outbox status.
    fn name(&self) -> &'static str;
}

/// Delivers one text message.
pub trait SmsSender: Send + Sync {
    fn deliver(&self, phone: &str, text: &str) -> Result<(), String>;
    fn name(&self) -> &'static str;
}

/// Keeps messages in the outbox only (development, tests).
#[derive(Debug, Default)]
pub struct OutboxOnly;

impl Mailer for OutboxOnly {
    fn deliver(&self, _: &str, _: &str, _: &str) -> Result<(), String> {
        Ok(())
    }
    fn name(&self) -> &'static str {
        "outbox"
    }
}

impl SmsSender for OutboxOnly {
    fn deliver(&self, _: &str, _: &str) -> Result<(), String> {
        Ok(())
    }
    fn name(&self) -> &'static str {
        "outbox"
    }
}

/// SMTP settings: `PAYDESK_SMTP_HOST`, `_PORT` (587), `_USER`, `_PASSWORD`, `_FROM`.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
}

pub struct SmtpMailer {
    transport: SmtpTransport,
    from: Mailbox,
}

impl SmtpMailer {
    /// STARTTLS on the given port; credentials when both are set.
    pub fn new(s: &SmtpSettings) -> anyhow::Result<SmtpMailer> {
        let mut builder =
            SmtpTransport::starttls_relay(&s.host)?.port(s.port).timeout(Some(Duration::from_secs(10)));
        if let (Some(u), Some(p)) = (&s.username, &s.password) {
            builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(SmtpMailer { transport: builder.build(), from: s.from.parse()? })
    }
}

impl Mailer for SmtpMailer {
    fn deliver(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse().map_err(|e| format!("recipient: {e}"))?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| e.to_string())?;
        self.transport.send(&message).map(|_| ()).map_err(|e| e.to_string())
    }
    fn name(&self) -> &'static str {
        "smtp"
    }
}

/// An SMS gateway over HTTP: `POST {url}` with `{"to": "1380013800", "text": "..."}`,
/// `Authorization: Bearer {token}`; any 2xx is delivered. Set `PAYDESK_SMS_URL` and
/// `PAYDESK_SMS_TOKEN`.
///
/// The blocking HTTP client is made per message, on the blocking thread that
/// sends it: a blocking client may neither be created nor dropped inside the
/// async runtime, and SMS volume is small.
#[derive(Debug)]
pub struct HttpSms {
    url: String,
    token: String,
}

impl HttpSms {
    pub fn new(url: String, token: String) -> anyhow::Result<HttpSms> {
        url::Url::parse(&url)?;
        install_tls_provider();
        Ok(HttpSms { url, token })
    }

    /// Whether codes would travel encrypted.
    pub fn is_tls(&self) -> bool {
        self.url.starts_with("https://")
    }
}

/// rustls's ring provider for every TLS client in the process (once; a second
/// install is a no-op).
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl SmsSender for HttpSms {
    fn deliver(&self, phone: &str, text: &str) -> Result<(), String> {
        let client = reqwest::blocking::Client::builder()
            .tls_backend_rustls()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        let response = client
            .post(&self.url)
            .bearer_auth(&self.token)
            .json(&serde_json::json!({ "to": phone, "text": text }))
            .send()
            .map_err(|e| e.to_string())?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(format!("gateway answered {}", response.status()))
        }
    }
    fn name(&self) -> &'static str {
        "http"
    }
}

/// Sends through the outbox. Blocking: call from `web::block`.
#[derive(Clone)]
pub struct Messenger {
    pub mailer: Arc<dyn Mailer>,
    pub sms: Arc<dyn SmsSender>,
    /// Whether the outbox may keep a message's secrets (codes, link tokens):
    /// only in development, where the outbox is the sandbox's phone and inbox.
    /// Everywhere else they are written as `******`. [`crate::serve`] sets it.
    pub outbox_keeps_secrets: bool,
}

/// What the outbox writes for a message carrying `secrets`.
pub fn redacted(text: &str, secrets: &[&str]) -> String {
    secrets.iter().filter(|s| !s.is_empty()).fold(text.to_owned(), |t, s| t.replace(s, "******"))
}

impl std::fmt::Debug for Messenger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Messenger(mail: {}, sms: {})", self.mailer.name(), self.sms.name())
    }
}

impl Messenger {
    pub fn outbox_only() -> Messenger {
        Messenger { mailer: Arc::new(OutboxOnly), sms: Arc::new(OutboxOnly), outbox_keeps_secrets: false }
    }

    fn kept(&self, text: &str, secrets: &[&str]) -> String {
        if self.outbox_keeps_secrets {
            text.to_owned()
        } else {
            redacted(text, secrets)
        }
    }

    /// Records the e-mail, delivers it, records the outcome. A failed delivery is
    /// kept with its error (and logged); it does not fail the caller's request.
    pub fn email(&self, store: &Store, to: &str, subject: &str, body: &str) -> Result<(), StoreError> {
        self.email_with_secrets(store, to, subject, body, &[])
    }

    /// An e-mail carrying secrets (a link's token): delivered whole, kept
    /// redacted unless the outbox keeps secrets.
    pub fn email_with_secrets(
        &self,
        store: &Store,
        to: &str,
        subject: &str,
        body: &str,
        secrets: &[&str],
    ) -> Result<(), StoreError> {
        let id = store.write(|c| outbox::push(c, "email", to, subject, &self.kept(body, secrets)))?;
        let outcome = self.mailer.deliver(to, subject, body);
        self.record(store, id, self.mailer.name(), outcome)
    }

    pub fn sms(&self, store: &Store, phone: &str, text: &str) -> Result<(), StoreError> {
        self.sms_with_secrets(store, phone, text, &[])
    }

    /// A text carrying secrets (a code): delivered whole, kept redacted unless
    /// the outbox keeps secrets.
    pub fn sms_with_secrets(
        &self,
        store: &Store,
        phone: &str,
        text: &str,
        secrets: &[&str],
    ) -> Result<(), StoreError> {
        let id = store.write(|c| outbox::push(c, "sms", phone, "", &self.kept(text, secrets)))?;
        let outcome = self.sms.deliver(phone, text);
        self.record(store, id, self.sms.name(), outcome)
    }

    /// SMS notices of a change that has committed (payees told of a transfer): one
    /// that can't be recorded is logged, never turned into a failed request.
    pub fn send_after_commit(&self, store: &Store, notices: Vec<(String, String)>) {
        for (phone, text) in notices {
            if let Err(e) = self.sms(store, &phone, &text) {
                tracing::warn!(error = %e, "recording a notice failed");
            }
        }
    }

    fn record(
        &self,
        store: &Store,
        id: i64,
        adapter: &str,
        outcome: Result<(), String>,
    ) -> Result<(), StoreError> {
        match outcome {
            Ok(()) => {
                let status = if adapter == "outbox" { "kept" } else { "sent" };
                store.write(|c| outbox::set_status(c, id, status, None))
            }
            Err(e) => {
                tracing::warn!(outbox_id = id, adapter, error = %e, "message delivery failed");
                store.write(|c| outbox::set_status(c, id, "failed", Some(&e)))
            }
        }
    }
}
