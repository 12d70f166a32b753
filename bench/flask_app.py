"""Flask-JWT-Extended's documented login / refresh / protected app, for bench/http.sh."""

from flask import Flask, jsonify, request
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    get_jwt_identity,
    jwt_required,
)

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = "a-benchmark-secret-that-is-at-least-32-bytes-long"
jwt = JWTManager(app)


@app.route("/login", methods=["POST"])
def login():
    username = request.json.get("username", None)
    password = request.json.get("password", None)
    if username != "test" or password != "test":
        return jsonify({"msg": "Bad username or password"}), 401
    return jsonify(
        access_token=create_access_token(identity=username, fresh=True),
        refresh_token=create_refresh_token(identity=username),
    )


@app.route("/refresh", methods=["POST"])
@jwt_required(refresh=True)
def refresh():
    return jsonify(access_token=create_access_token(identity=get_jwt_identity()))


@app.route("/protected", methods=["GET"])
@jwt_required()
def protected():
    return jsonify(logged_in_as=get_jwt_identity())


@app.route("/public", methods=["GET"])
def public():
    return jsonify(msg="Hello")
