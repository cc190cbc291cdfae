//! `paydesk`: serve the API and SPA, run migrations, print the OpenAPI document,
//! or reconcile the ledger.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use paydesk_server::{serve, telemetry, Settings};
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
}

fn main() -> ExitCode {
    telemetry::init();
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
        Command::Serve { listen, db, web_dir } => {
            let store = open(&db)?;
            let listener = TcpListener::bind(&listen).with_context(|| format!("binding {listen}"))?;
            let addr = listener.local_addr()?;
            tracing::info!(database = store.backend().as_str(), %addr, "Paydesk listening");
            println!("Paydesk is running at http://{addr}/  (API docs: http://{addr}/api/docs/)");
            actix_web::rt::System::new()
                .block_on(async move { serve(listener, store, Settings { web_dir })?.await })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
