// A local OpenID Connect provider on node-oidc-provider (panva; an OpenID Certified implementation), for
// trying and testing the portal's sign-in. It knows one client (the portal) and the people in a JSON file,
// and asks for a user name and password on its own login page.
//
//   node idp/oidc_provider.mjs --module var/node/node_modules/oidc-provider/lib/index.js --port 8802 \
//       --client-id samverkan --client-secret hemlig --redirect-uri http://127.0.0.1:8000/konto/oidc/callback/ \
//       --post-logout-uri http://127.0.0.1:8000/konto/utloggad/ --users users.json
//
// users.json: {"username": {"password": "...", "uid": "...", "email": "...", "given_name": "...", "family_name": "..."}}
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    module: { type: 'string' },
    port: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-uri': { type: 'string' },
    'post-logout-uri': { type: 'string' },
    users: { type: 'string' },
  },
});
const { default: Provider } = await import(pathToFileURL(args.module).href);
const people = JSON.parse(fs.readFileSync(args.users, 'utf8'));
const byUid = Object.fromEntries(Object.values(people).map((p) => [p.uid, p]));
const issuer = `http://127.0.0.1:${args.port}`;
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'lokal-1', use: 'sig', alg: 'RS256' };

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: args['client-id'],
    client_secret: args['client-secret'],
    redirect_uris: [args['redirect-uri']],
    post_logout_redirect_uris: [args['post-logout-uri']],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  async findAccount(ctx, id) {
    const person = byUid[id];
    if (!person) return undefined; // no longer at the provider: no sign-in
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: person.email,
          email_verified: true,
          given_name: person.given_name,
          family_name: person.family_name,
        };
      },
    };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
  conformIdTokenClaims: false,
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      // the provider's own pages, in Swedish and valid HTML (the browser tests check every page they visit)
      async logoutSource(ctx, form) {
        ctx.body = page('Lokal OIDC-leverantör: logga ut', `${form}
          <p>Vill du logga ut från leverantören också?</p>
          <p><button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logga ut</button></p>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Lokal OIDC-leverantör', '<p>Du är utloggad.</p>');
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
});

const loginForm = (uid, error = '') => page('Lokal OIDC-leverantör: logga in', `
  ${error ? `<p role="alert">${escape(error)}</p>` : ''}
  <form method="post" action="/interaction/${escape(uid)}/login">
    <p><label for="username">Användarnamn</label><br><input id="username" name="username"></p>
    <p><label for="password">Lösenord</label><br><input id="password" name="password" type="password"></p>
    <p><button type="submit">Logga in</button></p>
  </form>`);
const readBody = (req) => new Promise((resolve) => {
  let data = '';
  req.on('data', (chunk) => { data += chunk; });
  req.on('end', () => resolve(new URLSearchParams(data)));
});
const send = (res, status, html) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
};

const callback = provider.callback();
http.createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  const match = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params, session } = details;
    if (prompt.name === 'login') {
      if (req.method !== 'POST' || !match[2]) return send(res, 200, loginForm(details.uid));
      const form = await readBody(req);
      const person = people[form.get('username') || ''];
      if (!person || person.password !== form.get('password')) {
        return send(res, 200, loginForm(details.uid, 'Fel användarnamn eller lösenord.'));
      }
      return await provider.interactionFinished(req, res, { login: { accountId: person.uid } }, { mergeWithLastSubmission: false });
    }
    // consent: the portal is the organisation's own service, so the grant is given without asking
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  } catch (error) {
    return send(res, 400, page('Fel', `<p>${escape(error.message)}</p>`));
  }
}).listen(Number(args.port), '127.0.0.1', () => {
  console.log(`OIDC-leverantör på ${issuer}/.well-known/openid-configuration`);
});
