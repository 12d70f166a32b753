"""jwt-ext's revocation store on Redis, for the Flask-JWT-Extended side of an app moving to
Rocket route by route: both sides then refuse the tokens either one revoked.

    import redis
    from jwt_ext_blocklist import JwtExtBlocklist

    blocklist = JwtExtBlocklist(redis.Redis.from_url(app.config["REDIS_URL"]), prefix="jwt-ext:")

    @jwt.token_in_blocklist_loader
    def check_if_token_revoked(jwt_header, jwt_payload):
        return blocklist.is_revoked(jwt_payload)

    @app.route("/logout", methods=["DELETE"])
    @jwt_required()
    def logout():
        blocklist.revoke_login(get_jwt())
        return jsonify(msg="Successfully logged out")

The keys are jwt-ext's (see `RedisBlocklist` in its documentation), with the same prefix as
`jwt_redis_key_prefix`:

    <prefix>{<login>}:revoked:<jti>         the UNIX second from which the token is refused
    <prefix>{<login>}:family-revoked        every token of the login is refused
    <prefix>{<login>}:chain:<orig_jti>      JSON [current, previous, previous_until] of a chain

    <prefix>user:{<identity>}:logged-out    microseconds: logins made until then are refused

where <login> is the token's `fam` claim, or its own `jti` when it has none (Flask's tokens),
and <identity> the token's `sub` (as compact JSON when it is not a string):
the braces are Redis Cluster's hash tag, which keeps a login's keys in one slot. Each write
is followed, in the same transaction, by a PUBLISH of its <login> on `<prefix>revocations`:
the push that tells every Rocket instance's near-cache to read that login's keys again.

Needs the `redis` package (redis-py).
"""

import json
import math
import time


class JwtExtBlocklist:
    """Reads and writes jwt-ext's revocations in Redis."""

    def __init__(self, redis_client, prefix="jwt-ext:", leeway=0, window=None):
        """`leeway` is `jwt_decode_leeway`, `window` jwt-ext's `jwt_sliding_refresh_window`
        (seconds; None when exchanges are off): a revocation must last as long as either lets
        the token be used."""
        self.redis = redis_client
        self.prefix = prefix
        self.leeway = leeway
        self.window = window

    def is_revoked(self, payload):
        """Whether jwt-ext or this side revoked the token, its login, or replaced it in an
        exchange chain, or jwt-ext logged its identity out everywhere after the login was
        made: Flask's `token_in_blocklist_loader`."""
        if self._logged_out_everywhere(payload):
            return True
        jti, family, chain = payload.get("jti"), payload.get("fam"), payload.get("orig_jti")
        login = family or jti
        keys = []
        if jti:
            keys.append(self._key(login, "revoked:" + jti))
        if family:
            keys.append(self._key(family, "family-revoked"))
        if chain:
            keys.append(self._key(login, "chain:" + chain))
        if not keys:
            return False
        values = iter(self.redis.mget(keys))
        now = time.time()
        if jti:
            revoked_from = next(values)
            if revoked_from is not None:
                try:
                    if float(revoked_from) <= now:
                        return True
                except ValueError:
                    return True
        if family and next(values) is not None:
            return True
        if chain:
            state = next(values)
            if state is not None:
                try:
                    current, previous, previous_until = json.loads(state)
                except (ValueError, TypeError):
                    return True
                return not (jti == current or (jti == previous and now < previous_until))
        return False

    def revoke(self, payload):
        """Revokes one token, for as long as it could be used: its `exp`, the exchange window
        after its login, and the leeway."""
        jti = payload.get("jti")
        if not jti:
            raise ValueError("the token has no jti claim and cannot be revoked")
        now = int(time.time())
        login = payload.get("fam") or jti
        self._write(login, "revoked:" + jti, now, self._ttl(self._token_end(payload), now))

    def revoke_login(self, payload):
        """Revokes every token of the token's login (its `fam` claim), or the token alone."""
        family = payload.get("fam")
        if not family:
            self.revoke(payload)
            return
        now = int(time.time())
        end = payload.get("fam_exp") or payload.get("exp")
        if end is not None:
            end = end + (self.window or 0) + self._access_lifetime(payload) + self.leeway
            end = max(end, self._token_end(payload) or end)
        self._write(family, "family-revoked", 1, self._ttl(end, now))

    def _write(self, login, rest, value, ttl):
        # MULTI/EXEC: the key and its push, or neither.
        pipeline = self.redis.pipeline(transaction=True)
        pipeline.set(self._key(login, rest), value, ex=ttl)
        pipeline.publish(self.prefix + "revocations", login)
        pipeline.execute()

    def _logged_out_everywhere(self, payload, identity_claim="sub"):
        # jwt-ext's `<prefix>user:{<identity>}:logged-out`: the instant (microseconds) before
        # which the identity's logins are refused. A login's tokens carry when it was made in
        # `fam_iat` (microseconds); others only `iat`, taken at the start of its second.
        identity = payload.get(identity_claim)
        if not isinstance(identity, str):
            identity = json.dumps(identity, separators=(",", ":"))
        before = self.redis.get(self.prefix + "user:{" + identity + "}:logged-out")
        if before is None:
            return False
        made = payload.get("fam_iat")
        if made is None and payload.get("iat") is not None:
            made = math.floor(payload["iat"]) * 1_000_000
        try:
            return made is None or int(made) <= int(before)
        except ValueError:
            return True

    def _key(self, login, rest):
        return self.prefix + "{" + login + "}:" + rest

    def _token_end(self, payload):
        exp = payload.get("exp")
        if exp is None:
            return None
        end = math.ceil(exp)
        if self.window and payload.get("type", "access") != "refresh":
            login = payload.get("orig_iat", payload.get("iat"))
            if login is not None:
                end = max(end, int(login) + self.window)
        return end + self.leeway

    @staticmethod
    def _access_lifetime(payload):
        # The login's access tokens live at most as long as this one did.
        if payload.get("exp") is not None and payload.get("iat") is not None:
            return max(0, math.ceil(payload["exp"] - payload["iat"]))
        return 0

    @staticmethod
    def _ttl(end, now):
        if end is None:
            return None
        return max(1, math.ceil(end - now))
