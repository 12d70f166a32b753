"""Flask-JWT-Extended's side of the wire-compatibility tests.

    python compat.py mint SECRET          -> JSON object of tokens minted by Flask-JWT-Extended
    python compat.py decode SECRET TOKEN  -> JSON: the claims Flask-JWT-Extended decodes,
                                             or {"error": "<ExceptionName>: message"}
    python compat.py cookies SECRET       -> JSON: the Set-Cookie headers of a login that calls
                                             set_access_cookies and set_refresh_cookies
    python compat.py cookie-call SECRET METHOD ACCESS_TOKEN CSRF
                                          -> JSON: status and body of a cookie-only Flask route
                                             called with that cookie and X-CSRF-TOKEN header
    python compat.py redis-call SECRET REDIS_URL PREFIX PATH TOKEN
                                          -> JSON: status and body of PATH (`/protected`, or
                                             `/logout`, which revokes the token's login) of a
                                             Flask app whose blocklist is jwt-ext's on Redis

Tokens are minted with the default configuration (HS256, csrf claim on, nbf on).
"""

import json
import sys
from datetime import timedelta

from flask import Flask, jsonify
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    decode_token,
    get_jwt,
    get_jwt_identity,
    jwt_required,
    set_access_cookies,
    set_refresh_cookies,
)


def app_with(secret):
    app = Flask(__name__)
    app.config["JWT_SECRET_KEY"] = secret
    JWTManager(app)
    return app


def mint(secret):
    with app_with(secret).app_context():
        return {
            "access": create_access_token("alice"),
            "fresh_access": create_access_token("alice", fresh=True),
            "fresh_for_an_hour": create_access_token("alice", fresh=timedelta(hours=1)),
            "refresh": create_refresh_token("alice"),
            "never_expires": create_access_token("alice", expires_delta=False),
            "expired": create_access_token("alice", expires_delta=timedelta(seconds=-30)),
            "with_claims": create_access_token(
                "alice",
                additional_claims={"role": "admin", "tenant": 7},
                additional_headers={"kid": "k1"},
            ),
        }


def decode(secret, token):
    with app_with(secret).app_context():
        try:
            return {"claims": decode_token(token)}
        except Exception as error:  # the test reads the exception's name and message
            return {"error": f"{type(error).__name__}: {error}"}


def cookies(secret):
    app = app_with(secret)
    with app.test_request_context():
        response = jsonify(login=True)
        set_access_cookies(response, create_access_token("alice"))
        set_refresh_cookies(response, create_refresh_token("alice"))
        return {"set_cookie": response.headers.getlist("Set-Cookie")}


def cookie_call(secret, method, token, csrf):
    app = app_with(secret)
    app.config["JWT_TOKEN_LOCATION"] = ["cookies"]

    @app.route("/protected", methods=["GET", "POST"])
    @jwt_required()
    def protected():
        return jsonify(logged_in_as=get_jwt_identity())

    client = app.test_client()
    client.set_cookie("access_token_cookie", token)
    headers = {"X-CSRF-TOKEN": csrf} if csrf else {}
    response = client.open("/protected", method=method, headers=headers)
    return {"status": response.status_code, "body": response.get_json()}


def redis_call(secret, url, prefix, path, token):
    import redis

    from jwt_ext_blocklist import JwtExtBlocklist

    app = Flask(__name__)
    app.config["JWT_SECRET_KEY"] = secret
    jwt = JWTManager(app)
    blocklist = JwtExtBlocklist(redis.Redis.from_url(url), prefix=prefix)

    @jwt.token_in_blocklist_loader
    def check_if_token_revoked(jwt_header, jwt_payload):
        return blocklist.is_revoked(jwt_payload)

    @app.route("/protected")
    @jwt_required()
    def protected():
        return jsonify(logged_in_as=get_jwt_identity())

    @app.route("/logout", methods=["DELETE"])
    @jwt_required()
    def logout():
        blocklist.revoke_login(get_jwt())
        return jsonify(msg="Successfully logged out")

    method = "DELETE" if path == "/logout" else "GET"
    response = app.test_client().open(
        path, method=method, headers={"Authorization": f"Bearer {token}"}
    )
    return {"status": response.status_code, "body": response.get_json()}


if __name__ == "__main__":
    command, secret = sys.argv[1], sys.argv[2]
    if command == "mint":
        print(json.dumps(mint(secret)))
    elif command == "decode":
        print(json.dumps(decode(secret, sys.argv[3])))
    elif command == "cookies":
        print(json.dumps(cookies(secret)))
    elif command == "cookie-call":
        print(json.dumps(cookie_call(secret, *sys.argv[3:6])))
    elif command == "redis-call":
        print(json.dumps(redis_call(secret, *sys.argv[3:7])))
    else:
        sys.exit(f"unknown command {command!r}")
