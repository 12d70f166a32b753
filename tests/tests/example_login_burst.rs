//! A flood of logins cannot exhaust memory: the examples' password check (Argon2id, 19 MiB
//! each) runs at most once per core, a bounded number wait, and the rest are answered at once
//! with 503 and `Retry-After`. Its own test binary: the bound is per process.

use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::{json, Value};

async fn login(client: &Client, password: &str) -> (Status, Option<String>, Value) {
    let response = client
        .post("/login")
        .header(ContentType::JSON)
        .body(json!({ "username": "test", "password": password }).to_string())
        .dispatch()
        .await;
    let status = response.status();
    let retry_after = response.headers().get_one("Retry-After").map(str::to_owned);
    (
        status,
        retry_after,
        response.into_json().await.unwrap_or(Value::Null),
    )
}

#[rocket::async_test]
async fn a_burst_of_logins_is_bounded_and_the_excess_told_to_retry() {
    let client = Client::tracked(quickstart::rocket()).await.unwrap();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    // Far more than the threads and their queue take (17 a core): the rest must be refused.
    let burst = cores * 17 + 100;
    let answers =
        rocket::futures::future::join_all((0..burst).map(|_| login(&client, "wrong"))).await;
    let busy: Vec<_> = answers
        .iter()
        .filter(|(status, _, _)| *status == Status::ServiceUnavailable)
        .collect();
    let checked = answers
        .iter()
        .filter(|(status, _, _)| *status == Status::Unauthorized)
        .count();
    assert_eq!(busy.len() + checked, burst, "only 401 or 503: {answers:?}");
    assert!(
        checked >= cores,
        "at least one check per core ran: {checked}"
    );
    // The queue, plus the few checks the threads finish while the burst is still arriving.
    assert!(
        busy.len() >= burst / 2,
        "most of the burst is refused at once: {} of {burst}",
        busy.len()
    );
    for (_, retry_after, body) in busy {
        assert_eq!(retry_after.as_deref(), Some("1"));
        assert_eq!(
            body,
            &json!({ "msg": "Too many logins at once, try again in a moment" })
        );
    }
    // Nothing is left held: a login after the burst is checked as usual.
    let (status, _, body) = login(&client, "test").await;
    assert_eq!(status, Status::Ok, "{body}");
}
