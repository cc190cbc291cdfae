//! `paydesk`: serve the API and SPA, run migrations, print the OpenAPI document,
//! or reconcile the ledger.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use paydesk_domain::states::StaffStatus;
use paydesk_server::messaging::{
    HttpSms, Mailer, Messenger, OutboxOnly, SmsSender, SmtpMailer, SmtpSettings,
};
use paydesk_server::{auth, serve, telemetry, Mode, Settings};
use paydesk_store::db::redact;
use paydesk_store::Store;

/// The default database: an SQLite file under ./data/.
const DEFAULT_DATABASE_URL: &str = "sqlite://data/paydesk.db";

#[derive(Parser)]
#[command(name = "paydesk", version, about = "Paydesk merchant payments platform")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct DatabaseArgs {
    /// `sqlite://PATH` or `postgres://USER@HOST:PORT/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations, then serve the API and the web app.
    Serve {
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, env = "PAYDESK_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        #[command(flatten)]
        db: DatabaseArgs,
        /// Folder of the built SPA.
        #[arg(long, env = "PAYDESK_WEB_DIR", default_value = "frontend/dist")]
        web_dir: PathBuf,
        /// `production` (the default) needs PAYDESK_PUBLIC_URL; `development` shows the outbox, captcha
        /// answers and the sandbox bank's pages, and listens on loopback only.
        #[arg(long, env = "PAYDESK_MODE", value_enum, default_value = "production")]
        mode: Mode,
        /// Public address for links in e-mails, e.g. https://pay.example.com.
        #[arg(long, env = "PAYDESK_PUBLIC_URL")]
        public_url: Option<String>,
        /// Folder for uploaded files.
        #[arg(long, env = "PAYDESK_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
        /// Create the demo merchant, its operators and a staff account if missing (development only).
        #[arg(long, env = "PAYDESK_DEMO")]
        demo: bool,
        /// With --demo: also a month of the demo merchant's trades, settled day by day (once).
        #[arg(long, env = "PAYDESK_DEMO_HISTORY", requires = "demo")]
        demo_history: bool,
        /// Seconds before another SMS code may be sent to an operator (at least 60 in production).
        #[arg(long, env = "PAYDESK_SMS_COOLDOWN_SECS", default_value_t = 60)]
        sms_cooldown_secs: u32,
        /// Days after shipping before a guaranteed trade's receipt counts as confirmed.
        #[arg(long, env = "PAYDESK_AUTO_CONFIRM_DAYS", default_value_t = paydesk_domain::trades::AUTO_CONFIRM_DAYS)]
        auto_confirm_days: u32,
    },
    /// Platform staff administration.
    Ops {
        #[command(subcommand)]
        command: OpsCommand,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Check the ledger: balances against postings, entries balanced. Exits 1 on any discrepancy.
    Reconcile {
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Check the operation log's hash chain. Exits 1 on any break.
    VerifyLog {
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

// The variants are the command names people type (create-staff, disable-staff, ...).
#[allow(clippy::enum_variant_names)]
#[derive(Subcommand)]
enum OpsCommand {
    /// Create a staff account for the /ops console.
    CreateStaff {
        /// The staff member's login name.
        #[arg(long)]
        login: String,
        /// The password; read from PAYDESK_STAFF_PASSWORD when not given.
        #[arg(long, env = "PAYDESK_STAFF_PASSWORD", hide_env_values = true)]
        password: String,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Disable a staff account: it can no longer sign in, and its sessions end.
    DisableStaff {
        #[arg(long)]
        login: String,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Enable a disabled staff account again.
    EnableStaff {
        #[arg(long)]
        login: String,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Remove a staff member's lost security key: they sign in with the
    /// password alone until they bind a new one. Their sessions end.
    ResetStaffKey {
        #[arg(long)]
        login: String,
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

/// Removes a staff member's security key and ends their sessions.
#[allow(clippy::print_stdout)]
fn reset_staff_key(db: &DatabaseArgs, login: &str) -> anyhow::Result<ExitCode> {
    let store = open(db)?;
    let at = auth::now();
    let removed = store.write(|c| -> Result<Option<bool>, paydesk_store::StoreError> {
        let Some(member) = paydesk_store::identity::find_staff(c, login.trim())? else { return Ok(None) };
        let removed = paydesk_store::keys::unbind(c, paydesk_store::keys::Holder::Staff(member.id))?;
        paydesk_store::sessions::revoke_all(c, auth::SubjectKind::Staff.as_str(), member.id, at)?;
        Ok(Some(removed))
    })?;
    match removed {
        None => anyhow::bail!("no staff account named {login}"),
        Some(false) => println!("staff account {login} had no security key"),
        Some(true) => println!("the security key of staff account {login} is removed; its sessions ended"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Sets a staff account's status; ending its sessions when disabled.
#[allow(clippy::print_stdout)]
fn set_staff_status(db: &DatabaseArgs, login: &str, status: StaffStatus) -> anyhow::Result<ExitCode> {
    let store = open(db)?;
    let at = auth::now();
    let found = store.write(|c| -> Result<bool, paydesk_store::StoreError> {
        let Some(member) = paydesk_store::identity::find_staff(c, login.trim())? else { return Ok(false) };
        paydesk_store::identity::set_staff_status(c, member.id, status)?;
        if status == StaffStatus::Disabled {
            paydesk_store::sessions::revoke_all(c, auth::SubjectKind::Staff.as_str(), member.id, at)?;
        }
        Ok(true)
    })?;
    anyhow::ensure!(found, "no staff account named {login}");
    println!("staff account {login} is {status}");
    Ok(ExitCode::SUCCESS)
}

/// SMTP from PAYDESK_SMTP_HOST (and _PORT, _USER, _PASSWORD, _FROM); SMS over HTTP
/// from PAYDESK_SMS_URL and PAYDESK_SMS_TOKEN. Unset means outbox only.
fn messenger_from_env(mode: Mode) -> anyhow::Result<Messenger> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mailer: std::sync::Arc<dyn Mailer> = match var("PAYDESK_SMTP_HOST") {
        Some(host) => std::sync::Arc::new(SmtpMailer::new(&SmtpSettings {
            host,
            port: var("PAYDESK_SMTP_PORT").map(|p| p.parse()).transpose()?.unwrap_or(587),
            username: var("PAYDESK_SMTP_USER"),
            password: var("PAYDESK_SMTP_PASSWORD"),
            from: var("PAYDESK_SMTP_FROM").unwrap_or_else(|| "Paydesk <no-reply@localhost>".into()),
        })?),
        None => std::sync::Arc::new(OutboxOnly),
    };
    let sms: std::sync::Arc<dyn SmsSender> = match var("PAYDESK_SMS_URL") {
        Some(url) => {
            let gateway = HttpSms::new(url, var("PAYDESK_SMS_TOKEN").unwrap_or_default())?;
            anyhow::ensure!(
                mode.is_development() || gateway.is_tls(),
                "PAYDESK_SMS_URL must be https:// in production: SMS codes are secrets"
            );
            std::sync::Arc::new(gateway)
        }
        None => std::sync::Arc::new(OutboxOnly),
    };
    if !mode.is_development() && var("PAYDESK_SMTP_HOST").is_none() {
        tracing::warn!("no PAYDESK_SMTP_HOST: e-mails stay (redacted) in the outbox and reach nobody");
    }
    // Secrets stay in the outbox only in development (see `serve`).
    Ok(Messenger { mailer, sms, outbox_keeps_secrets: false })
}

#[allow(clippy::print_stdout)]
fn print_demo(created: bool) {
    use paydesk_server::demo;
    println!(
        "{} demo merchant {} ({})",
        if created { "Created" } else { "Using" },
        demo::MERCHANT,
        demo::COMPANY
    );
    for (login, display, role, password) in demo::OPERATORS {
        println!("  operator {login:<20} {display} ({role})  password {password}");
    }
    println!(
        "  payment password {}   staff console /ops: {} / {}",
        demo::PAYMENT_PASSWORD,
        demo::STAFF.0,
        demo::STAFF.1
    );
}

/// Refuses the combinations that would expose a development server or break
/// links in production.
fn check_serve_flags(
    mode: Mode,
    listen: &str,
    public_url: Option<&str>,
    sms_cooldown_secs: u32,
) -> anyhow::Result<()> {
    match mode {
        Mode::Development => {
            let addrs: Vec<std::net::SocketAddr> = std::net::ToSocketAddrs::to_socket_addrs(listen)
                .with_context(|| format!("resolving {listen}"))?
                .collect();
            anyhow::ensure!(
                !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback()),
                "development mode shows every SMS code and e-mail link: it listens on a loopback address only \
                 (127.0.0.1 or ::1), not {listen}"
            );
        }
        Mode::Production => {
            let url = public_url.unwrap_or("").trim();
            anyhow::ensure!(
                url.starts_with("https://") || url.starts_with("http://"),
                "production mode needs PAYDESK_PUBLIC_URL (or --public-url), e.g. https://pay.example.com: \
                 e-mailed links and security keys use it; for a local try-out pass --mode development"
            );
            anyhow::ensure!(
                sms_cooldown_secs >= 60,
                "the SMS cool-down can be shortened in development mode only"
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    telemetry::init();
    paydesk_server::messaging::install_tls_provider();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn open(db: &DatabaseArgs) -> anyhow::Result<Store> {
    let store =
        Store::connect(&db.database_url).with_context(|| format!("opening {}", redact(&db.database_url)))?;
    let applied = store.migrate().context("migrating")?;
    tracing::info!(database = store.backend().as_str(), applied = applied.len(), "migrations done");
    Ok(store)
}

#[allow(clippy::print_stdout)]
fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Openapi => {
            print!("{}", paydesk_server::openapi_json());
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { db } => {
            open(&db)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Reconcile { db } => {
            let store = open(&db)?;
            let found = store.read(paydesk_store::ledger::reconcile_all)?;
            if found.is_empty() {
                println!("ledger reconciled: no discrepancies");
                return Ok(ExitCode::SUCCESS);
            }
            for d in &found {
                println!("{}", serde_json::to_string(d)?);
            }
            Ok(ExitCode::FAILURE)
        }
        Command::VerifyLog { db } => {
            let store = open(&db)?;
            paydesk_server::oplog::seal_waiting(&store)?;
            let v = store.read(paydesk_store::oplog::verify)?;
            for (id, what) in &v.breaks {
                match id {
                    0 => println!("break at the head: {what}"),
                    id => println!("break at entry {id}: {what}"),
                }
            }
            println!(
                "operation log: {} entries chained, {} written before the chain, {} breaks",
                v.chained,
                v.unchained,
                v.breaks.len()
            );
            Ok(if v.breaks.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Ops { command: OpsCommand::DisableStaff { login, db } } => {
            set_staff_status(&db, &login, StaffStatus::Disabled)
        }
        Command::Ops { command: OpsCommand::EnableStaff { login, db } } => {
            set_staff_status(&db, &login, StaffStatus::Active)
        }
        Command::Ops { command: OpsCommand::ResetStaffKey { login, db } } => reset_staff_key(&db, &login),
        Command::Ops { command: OpsCommand::CreateStaff { login, password, db } } => {
            let store = open(&db)?;
            if let Err(e) = paydesk_domain::identity::check_login_password(&password) {
                anyhow::bail!("password refused: {e}");
            }
            let hash = auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
            match store.write(|c| paydesk_store::identity::create_staff(c, login.trim(), &hash))? {
                Some(s) => println!("staff account {} created", s.login_name),
                None => anyhow::bail!("a staff account named {login} already exists"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            listen,
            db,
            web_dir,
            mode,
            public_url,
            data_dir,
            demo,
            demo_history,
            sms_cooldown_secs,
            auto_confirm_days,
        } => {
            check_serve_flags(mode, &listen, public_url.as_deref(), sms_cooldown_secs)?;
            let store = open(&db)?;
            if demo {
                anyhow::ensure!(mode == Mode::Development, "--demo is for development mode only");
                let created = paydesk_server::demo::seed(&store)
                    .map_err(|e| anyhow::anyhow!("seeding the demo: {e}"))?;
                print_demo(created);
            }
            let messenger = messenger_from_env(mode)?;
            let settings = Settings {
                web_dir,
                mode,
                public_url,
                data_dir,
                self_url: None,
                sms_cooldown_secs,
                auto_confirm_days: auto_confirm_days.clamp(1, 90),
            };
            if demo_history {
                let st = paydesk_server::AppState::new(store.clone(), settings.clone(), messenger.clone())?;
                let written = paydesk_server::demo::seed_history(&st)
                    .map_err(|e| anyhow::anyhow!("seeding the demo's trades: {e}"))?;
                if written > 0 {
                    println!(
                        "  + {written} demo trades over the last {} days",
                        paydesk_server::demo::HISTORY_DAYS
                    );
                }
            }
            let listener = TcpListener::bind(&listen).with_context(|| format!("binding {listen}"))?;
            let addr = listener.local_addr()?;
            tracing::info!(database = store.backend().as_str(), %addr, "Paydesk listening");
            println!("Paydesk is running at http://{addr}/  (API docs: http://{addr}/api/docs/)");
            actix_web::rt::System::new().block_on(async move {
                serve(listener, store, settings, messenger)?.await.map_err(anyhow::Error::from)
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
