//! Property tests: arbitrary headers and tokens never panic, never pass, and never answer 5xx;
//! every token jwt-ext mints decodes to its claims, and any one-character change breaks it.

mod common;

use common::{client, config, manager};
use proptest::prelude::*;
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use serde_json::json;

fn answer(client: &Client, value: &str) -> Status {
    client
        .get("/protected")
        .header(Header::new("Authorization", value.to_owned()))
        .dispatch()
        .status()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_authorization_headers_are_refused_cleanly(value in "\\PC{0,200}") {
        let client = client(config());
        let status = answer(&client, &value);
        prop_assert!(status == Status::Unauthorized || status == Status::UnprocessableEntity, "{value:?}: {status}");
    }

    #[test]
    fn arbitrary_bearer_tokens_are_refused_cleanly(token in "[A-Za-z0-9_\\-\\.=+/]{0,300}") {
        let client = client(config());
        let status = answer(&client, &format!("Bearer {token}"));
        prop_assert!(status == Status::Unauthorized || status == Status::UnprocessableEntity, "{token:?}: {status}");
    }

    #[test]
    fn arbitrary_bytes_never_decode(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let jwt = manager(config());
        let text = String::from_utf8_lossy(&bytes);
        prop_assert!(jwt.decode_token(&text).is_err());
        prop_assert!(jwt.decode_token_allow_expired(&text).is_err());
    }

    #[test]
    fn minted_tokens_round_trip(identity in "\\PC{1,40}", role in "\\PC{0,20}", tenant in any::<i64>()) {
        let jwt = manager(config());
        let token = jwt
            .access_token(&identity)
            .additional_claims(json!({ "role": role, "tenant": tenant }))
            .create()
            .unwrap();
        let decoded = jwt.decode_token(&token).unwrap();
        prop_assert_eq!(decoded.identity(), &json!(identity));
        prop_assert_eq!(&decoded.claims()["role"], &json!(role));
        prop_assert_eq!(&decoded.claims()["tenant"], &json!(tenant));
    }

    #[test]
    fn any_one_character_change_breaks_a_token(position in any::<prop::sample::Index>(), replacement in "[A-Za-z0-9_\\-\\.]") {
        let jwt = manager(config());
        let token = jwt.create_access_token("alice").unwrap();
        let index = position.index(token.len());
        let mut changed = token.clone();
        changed.replace_range(index..=index, &replacement);
        prop_assume!(changed != token);
        prop_assert!(jwt.decode_token(&changed).is_err(), "{changed}");
    }
}
