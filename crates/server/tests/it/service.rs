use ferrodesk_testkit::spawn_app;
use reqwest::StatusCode;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = spawn_app().await;
    let h = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(h.status(), StatusCode::OK);
    let r: serde_json::Value = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["database"], "ok");
    app.get("/api/v1/tickets", &app.admin_token).await;
    // Not on the public address: only on the metrics listener.
    let public = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
    let m = app
        .client
        .get(format!("{}/metrics", app.metrics_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("ferrodesk_http_requests_total{method=\"GET\",route=\"/api/v1/tickets\",status=\"200\"} 1"), "{m}");
    assert!(
        m.contains("ferrodesk_http_request_duration_seconds_bucket"),
        "{m}"
    );
}

#[tokio::test]
async fn openapi_document_covers_the_api_and_docs_page_is_served() {
    let app = spawn_app().await;
    let spec: serde_json::Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/tickets",
        "/api/v1/tickets/{id}",
        "/api/v1/tickets/{id}/messages",
        "/api/v1/tickets/{id}/events",
        "/api/v1/customers",
        "/api/v1/organizations/{id}",
        "/api/v1/agents",
        "/api/v1/teams/{id}",
    ] {
        assert!(
            spec["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    let status = &spec["components"]["schemas"]["Ticket"]["properties"]["status"];
    assert_eq!(status["$ref"], "#/components/schemas/Status");
    let values = &spec["components"]["schemas"]["Status"]["enum"];
    assert_eq!(
        values,
        &serde_json::json!([
            "new", "open", "pending", "on_hold", "solved", "closed", "merged"
        ])
    );
    let page = app.client.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("/api/v1/openapi.json"));
}

#[tokio::test]
async fn every_path_parameter_is_declared_in_the_openapi_document() {
    let app = spawn_app().await;
    let spec: serde_json::Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut checked = 0;
    for (path, ops) in spec["paths"].as_object().unwrap() {
        let wanted: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|p| p.split('}').next())
            .collect();
        for (method, op) in ops.as_object().unwrap() {
            let declared: Vec<&str> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .filter_map(|p| p["name"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            for name in &wanted {
                assert!(
                    declared.contains(name),
                    "{method} {path} does not declare its path parameter {name}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 50, "{checked} path parameters checked");
}
