//! The SMS gateway adapter against a real HTTP peer on loopback, and the outbox
//! recording what happened to each message.

use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use paydesk_server::messaging::{HttpSms, Messenger, OutboxOnly, SmsSender};
use paydesk_store::outbox;
use paydesk_store::testing::TestDb;

type Seen = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

/// A gateway that records requests and answers `status`.
fn gateway(status: u16) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    let server = HttpServer::new(move || {
        let record = record.clone();
        App::new().route(
            "/send",
            web::post().to(move |req: HttpRequest, body: web::Json<serde_json::Value>| {
                let record = record.clone();
                async move {
                    let auth = req
                        .headers()
                        .get("authorization")
                        .map(|v| v.to_str().unwrap().to_owned())
                        .unwrap_or_default();
                    record.lock().unwrap().push((auth, body.into_inner()));
                    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
                }
            }),
        )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    actix_web::rt::spawn(server);
    (url, seen)
}

#[actix_web::test]
async fn the_http_gateway_gets_the_number_text_and_token() {
    let (url, seen) = gateway(200);
    let sms = HttpSms::new(url, "t0ken".into()).unwrap();
    let result = web::block(move || sms.deliver("13800138000", "您的验证码 123456")).await.unwrap();
    assert_eq!(result, Ok(()));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, "Bearer t0ken");
    assert_eq!(seen[0].1, serde_json::json!({"to": "13800138000", "text": "您的验证码 123456"}));
}

#[actix_web::test]
async fn a_refusing_gateway_leaves_a_failed_message_in_the_outbox() {
    let (url, _) = gateway(503);
    let db = TestDb::sqlite();
    let store = db.store();
    let messenger = Messenger {
        mailer: Arc::new(OutboxOnly),
        sms: Arc::new(HttpSms::new(url, "t".into()).unwrap()),
        outbox_keeps_secrets: false,
    };
    let s = store.clone();
    web::block(move || messenger.sms(&s, "13800138000", "hello")).await.unwrap().unwrap();
    let kept = store.read(|c| outbox::list(c, Some("13800138000"), 10)).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].status, "failed");
    assert!(kept[0].error.as_deref().unwrap().contains("503"));
}

/// An `https://` gateway is spoken to in TLS: the first bytes on the wire are a
/// TLS handshake record (0x16, version 3.x), not plain HTTP.
#[test]
fn an_https_gateway_is_reached_over_tls() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/send", listener.local_addr().unwrap());
    let peer = std::thread::spawn(move || {
        use std::io::Read;
        let (mut stream, _) = listener.accept().unwrap();
        let mut first = [0u8; 3];
        stream.read_exact(&mut first).unwrap();
        first
    });
    let sms = HttpSms::new(url, "t0ken".into()).unwrap();
    assert!(sms.is_tls());
    // The loopback peer can't finish the handshake, so delivery fails; what
    // matters is how it began.
    assert!(sms.deliver("13800138000", "code 123456").is_err());
    let first = peer.join().unwrap();
    assert_eq!((first[0], first[1]), (0x16, 0x03), "a TLS record, not {first:?}");
}
