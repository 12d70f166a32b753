// An OpenID provider on loopback for the resource-server tests: node-oidc-provider, set up
// from the JSON in the OIDC_CONFIG environment variable:
//
// {
//   "port": 41234,
//   "keys": [{ "kid": "a", "pem": "-----BEGIN PRIVATE KEY-----..." }],
//   "clients": [{ "client_id": "...", "client_secret": "...", "acr": "mfa", "auth_age": 30 }],
//   "resources": { "urn:orders": { "audience": "orders-api", "alg": "RS256", "scope": "orders:read" } }
// }
//
// The first key of each algorithm signs. A client gets the client-credentials and
// authorization-code grants (redirect `http://127.0.0.1/callback`); its `acr` and `auth_age`
// (seconds before issue), when given, become the `acr` and `auth_time` claims of its JWT
// access tokens. Prints `listening <issuer>` once it serves.
import { createPrivateKey } from 'node:crypto';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_CONFIG);
const issuer = `http://127.0.0.1:${config.port}`;

const jwks = {
  keys: config.keys.map(({ kid, pem }) => ({
    ...createPrivateKey(pem).export({ format: 'jwk' }),
    kid,
    use: 'sig',
  })),
};
const byClient = new Map(config.clients.map((client) => [client.client_id, client]));

const provider = new Provider(issuer, {
  jwks,
  clients: config.clients.map(({ client_id, client_secret }) => ({
    client_id,
    client_secret,
    grant_types: ['client_credentials', 'authorization_code'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/callback'],
    token_endpoint_auth_method: 'client_secret_post',
  })),
  pkce: { required: () => false },
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo(ctx, indicator) {
        const resource = config.resources[indicator];
        if (!resource) {
          throw new Provider.errors.InvalidTarget();
        }
        return {
          scope: resource.scope,
          audience: resource.audience,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
          jwt: { sign: { alg: resource.alg } },
        };
      },
    },
  },
  extraTokenClaims(ctx, token) {
    const client = byClient.get(token.clientId);
    if (!client || client.acr === undefined) {
      return undefined;
    }
    return {
      acr: client.acr,
      auth_time: Math.floor(Date.now() / 1000) - (client.auth_age ?? 0),
    };
  },
  // A single account per login name, for the authorization-code flow.
  async findAccount(ctx, sub) {
    return { accountId: sub, claims: () => ({ sub }) };
  },
});

const server = provider.listen(config.port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
