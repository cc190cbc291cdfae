//! `api-spec/openapi.json` must be exactly what the code generates.

#[test]
fn checked_in_openapi_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../api-spec/openapi.json");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = paydesk_server::openapi_json();
    assert!(
        checked_in == generated,
        "api-spec/openapi.json differs from the code's OpenAPI document; regenerate it with `just spec`"
    );
}

/// Every operation is documented well enough for an integrator.
#[test]
fn every_operation_has_a_summary_tag_and_error_shape() {
    let doc: serde_json::Value = serde_json::from_str(&paydesk_server::openapi_json()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    assert!(!paths.is_empty());
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, op) in item.as_object().unwrap() {
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{method} {path} has no summary");
            assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{method} {path} has no tag");
        }
    }
}
