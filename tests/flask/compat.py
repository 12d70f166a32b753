"""Flask-JWT-Extended's side of the wire-compatibility tests.

    python compat.py mint SECRET          -> JSON object of tokens minted by Flask-JWT-Extended
    python compat.py decode SECRET TOKEN  -> JSON: the claims Flask-JWT-Extended decodes,
                                             or {"error": "<ExceptionName>: message"}

Tokens are minted with the default configuration (HS256, csrf claim on, nbf on).
"""

import json
import sys
from datetime import timedelta

from flask import Flask
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    decode_token,
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


if __name__ == "__main__":
    command, secret = sys.argv[1], sys.argv[2]
    if command == "mint":
        print(json.dumps(mint(secret)))
    elif command == "decode":
        print(json.dumps(decode(secret, sys.argv[3])))
    else:
        sys.exit(f"unknown command {command!r}")
