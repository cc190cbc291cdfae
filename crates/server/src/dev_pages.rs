//! `/dev/outbox`: the development outbox as a page a person can read and click.

use actix_web::{get, web, HttpResponse};

use crate::error::ApiError;
use crate::routes::dev::{outbox_messages, OutboxQuery};
use crate::AppState;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Escapes the text and turns http(s) addresses into links.
fn linkify(text: &str) -> String {
    escape(text)
        .split_inclusive(|c: char| c.is_whitespace())
        .map(|word| {
            let trimmed = word.trim_end();
            if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                format!("<a href=\"{trimmed}\">{trimmed}</a>{}", &word[trimmed.len()..])
            } else {
                word.to_owned()
            }
        })
        .collect()
}

#[get("/dev/outbox")]
pub async fn outbox_page(
    state: web::Data<AppState>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    let messages = outbox_messages(&state, query.into_inner()).await?;
    let mut html = String::from(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>Outbox · 发件箱</title>\
         <style>body{font-family:system-ui,'WenQuanYi Micro Hei',sans-serif;margin:24px;background:#f4f6fa}\
         .m{background:#fff;border:1px solid #e3e7ef;border-radius:8px;padding:12px 16px;margin:0 0 12px}\
         .h{color:#6b7385;font-size:13px}pre{white-space:pre-wrap;font:inherit}</style></head><body>\
         <h1>发件箱 · Development outbox</h1><p class=\"h\">Every e-mail and SMS, newest first. \
         Development mode only.</p>",
    );
    if messages.is_empty() {
        html.push_str("<p>暂无消息 · No messages yet.</p>");
    }
    for m in messages {
        html.push_str(&format!(
            "<div class=\"m\" data-channel=\"{}\" data-recipient=\"{}\"><div class=\"h\">#{} · {} · {} · {} · {}</div>\
             <strong>{}</strong><pre>{}</pre></div>",
            escape(&m.channel),
            escape(&m.recipient),
            m.id,
            escape(&m.channel),
            escape(&m.recipient),
            escape(&m.status),
            escape(&m.created_at),
            escape(&m.subject),
            linkify(&m.body)
        ));
    }
    html.push_str("</body></html>");
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_clickable_and_text_is_escaped() {
        assert_eq!(
            linkify("open http://x/y?a=1&b=2 <now>"),
            "open <a href=\"http://x/y?a=1&amp;b=2\">http://x/y?a=1&amp;b=2</a> &lt;now&gt;"
        );
    }
}
