// Verify a Chapterhouse credential from this bundle, with Digital Bazaar's libraries and `jose`.
//
//   node verify.mjs [folder] [--offline] [--issuer-url URL]
//
// folder         the bundle's folder (default: the one this script is in)
// --offline      do not compare with the issuer's live documents
// --issuer-url   fetch the live documents from this address instead of the one the credential names
//                (a mirror, or a copy of the site you run yourself)
//
// Every document the cryptographic checks need (JSON-LD contexts, the issuer's keys, the status list) is
// read from the folder through documents.json; the document loader refuses any other URL. But a bundle
// cannot vouch for itself: whoever made it could have put their own key in it and signed with that. So
// the verdict names the key that signed (its fingerprint, the key's publicKeyMultibase), and unless
// --offline is given the script fetches the issuer's live DID document (or Profile) and status list
// and compares: the key must be one the issuer publishes, and the live status list decides revocation.
// Exit code 0 when every check passes, 1 otherwise.
import {readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gunzipSync} from 'node:zlib';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as jose from 'jose';

const args = process.argv.slice(2);
const option = name => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args.splice(at, 2)[1];
};
const offline = args.includes('--offline') ? (args.splice(args.indexOf('--offline'), 1), true) : false;
const issuerUrl = option('--issuer-url');
const folder = resolve(args[0] || dirname(fileURLToPath(import.meta.url)));
const read = name => readFileSync(join(folder, name), 'utf8');
const readJson = name => JSON.parse(read(name));

const credential = readJson('credential.json');
const jwt = read('credential.jwt').trim();
const files = readJson('documents.json');

// A DID or https URL, and the fragments (key ids) inside it.
function findIn(documentOf, url) {
  const whole = documentOf(url);
  if(whole) return whole;
  const [base, fragment] = url.split('#');
  const controller = fragment !== undefined && documentOf(base);
  const found = controller && (controller.verificationMethod || []).find(m => m.id === url);
  return found ? {'@context': controller['@context'], ...found} : undefined;
}
function localDocument(url) {
  const found = findIn(id => files[id] && readJson(files[id]), url);
  if(!found) throw new Error(`not in the bundle (refusing to fetch): ${url}`);
  return found;
}
const documentLoader = async url => ({contextUrl: null, documentUrl: url, document: localDocument(url)});
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const issuerOf = c => (typeof c.issuer === 'string' ? c.issuer : c.issuer.id);
const statusEntry = c => (Array.isArray(c.credentialStatus) ? c.credentialStatus[0] : c.credentialStatus);
const proofOf = c => (Array.isArray(c.proof) ? c.proof[0] : c.proof);

// Where the live copy of a document is: did:web resolves to https (W3C did:web method), an https id is
// its own address; --issuer-url moves the site's origin.
function liveUrl(id) {
  let url = id;
  if(id.startsWith('did:web:')) {
    const [host, ...path] = id.slice('did:web:'.length).split(':').map(decodeURIComponent);
    url = `https://${host}/${path.length ? path.join('/') : '.well-known'}/did.json`;
  }
  if(issuerUrl) {
    const site = new URL(typeof credential.issuer === 'object' && credential.issuer.url || url);
    if(url.startsWith(site.origin)) url = issuerUrl.replace(/\/$/, '') + url.slice(site.origin.length);
  }
  return url;
}
async function fetchLive(id) {
  const url = liveUrl(id);
  const response = await fetch(url, {signal: AbortSignal.timeout(8000),
    headers: {accept: 'application/did+ld+json, application/ld+json, application/json'}});
  if(!response.ok) throw new Error(`${url} answered ${response.status}`);
  return {url, document: await response.json()};
}

function bitIsSet(list, index) {
  const bits = gunzipSync(Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url'));
  return ((bits[index >> 3] >> (7 - (index % 8))) & 1) === 1;
}

// The same issuer: the same id, or (credentials issued before the issuer had a DID) a DID whose document in
// the bundle names the credential's https issuer among its alsoKnownAs.
function sameIssuer(listIssuer, credentialIssuer) {
  if(listIssuer === credentialIssuer) return true;
  const did = files[listIssuer] && readJson(files[listIssuer]);
  return Boolean(did && (did.alsoKnownAs || []).includes(credentialIssuer));
}

// Bitstring Status List, from the bundle's snapshot: the list must verify and have the same issuer.
async function checkStatus({credential: checked}) {
  const entry = statusEntry(checked);
  const list = (await documentLoader(entry.statusListCredential)).document;
  const listResult = await vc.verifyCredential({credential: list, suite, documentLoader});
  if(!listResult.verified) {
    return {verified: false, error: new Error('the status list credential does not verify')};
  }
  if(!sameIssuer(issuerOf(list), issuerOf(checked))) {
    return {verified: false, error: new Error('the status list has another issuer')};
  }
  const revoked = bitIsSet(list, Number(entry.statusListIndex)) && entry.statusPurpose === 'revocation';
  return revoked ? {verified: false, error: new Error('revoked (status list bit is set)')}
    : {verified: true, validFrom: list.validFrom};
}

const canonical = value => JSON.stringify(value, (k, v) => (v && typeof v === 'object' && !Array.isArray(v) ?
  Object.fromEntries(Object.keys(v).sort().map(key => [key, v[key]])) : v));
const JWT_CLAIMS = new Set(['iss', 'sub', 'jti', 'nbf', 'iat', 'exp', 'aud']);

async function checkJwt() {
  const {kid, typ} = jose.decodeProtectedHeader(jwt);
  const key = localDocument(kid);
  if(key.controller !== issuerOf(credential)) {
    throw new Error(`the JWT key ${kid} is not controlled by the issuer`);
  }
  const jwk = await Ed25519Multikey.toJwk({keyPair: await Ed25519Multikey.from(key)});
  // Open Badges 3.0 (typ JWT, registered claims beside the credential); earlier credentials followed
  // VC-JOSE-COSE (typ vc+jwt).
  const {payload} = await jose.jwtVerify(jwt, await jose.importJWK(jwk, 'EdDSA'),
    {typ: typ === 'JWT' ? 'JWT' : 'vc+jwt', algorithms: ['EdDSA', 'Ed25519']});
  const signed = payload.vc || Object.fromEntries(Object.entries(payload).filter(([name]) => !JWT_CLAIMS.has(name)));
  const {proof, ...unsigned} = credential;
  if(canonical(signed) !== canonical(unsigned)) {
    throw new Error('the JWT carries a different credential');
  }
  if(payload.iss !== undefined && payload.iss !== issuerOf(credential)) throw new Error('iss is not the issuer');
  if(payload.jti !== undefined && payload.jti !== credential.id) throw new Error('jti is not the credential id');
}

const results = [];
async function run(name, check) {
  try {
    const detail = await check();
    results.push({name, ok: true, detail: detail || ''});
  } catch(e) {
    results.push({name, ok: false, detail: e.message});
  }
}
function errorsOf(result) {
  const errors = [result.error, ...(result.results || []).map(r => r.error)].filter(Boolean);
  return errors.map(e => (e.errors || [e]).map(inner => inner.message).join('; ')).join('; ') || 'not verified';
}

const method = proofOf(credential)?.verificationMethod || '';
let signingKey;
try {
  signingKey = localDocument(method);
} catch {
  signingKey = undefined;
}
const fingerprint = signingKey?.publicKeyMultibase || '(unknown)';
let snapshot;

await run('Data Integrity proof (eddsa-rdfc-2022) with the key in this bundle', async () => {
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus: async () =>
    ({verified: true})});
  if(!result.verified) throw new Error(errorsOf(result));
});
await run('Status (the bundle\'s snapshot of the Bitstring Status List)', async () => {
  const result = await checkStatus({credential});
  if(!result.verified) throw new Error(result.error.message);
  snapshot = result.validFrom;
  return `not revoked as of ${snapshot}`;
});
await run('VC-JWT (EdDSA) with the key in this bundle', checkJwt);

let live = 'not compared (--offline)';
if(!offline) {
  const controllerId = method.split('#')[0];
  try {
    const {url, document} = await fetchLive(controllerId);
    const published = findIn(id => (id === document.id ? document : undefined), method);
    live = `compared with ${url}`;
    await run(`The key is the one the issuer publishes (${url})`, async () => {
      if(!published) throw new Error(`the issuer does not publish ${method}`);
      if(published.publicKeyMultibase !== fingerprint) {
        throw new Error(`the issuer's key ${method} is ${published.publicKeyMultibase}, not this bundle's ` +
          `${fingerprint}: this bundle was not signed by the issuer`);
      }
    });
    const entry = statusEntry(credential);
    const {url: listUrl, document: list} = await fetchLive(entry.statusListCredential);
    await run(`Status now (${listUrl})`, async () => {
      const listResult = await vc.verifyCredential({credential: list, suite, documentLoader: async url => {
        const key = url.split('#')[0] === document.id ? findIn(id => (id === document.id ? document : undefined), url)
          : undefined;
        return key ? {contextUrl: null, documentUrl: url, document: key} : documentLoader(url);
      }});
      if(!listResult.verified) throw new Error('the live status list does not verify with the live key');
      if(bitIsSet(list, Number(entry.statusListIndex))) throw new Error('revoked');
      snapshot = list.validFrom;
      return `not revoked as of ${list.validFrom}`;
    });
  } catch(e) {
    live = `could not reach the issuer (${e.message}); compare the fingerprint yourself`;
  }
}

for(const {name, ok, detail} of results) {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `: ${detail}` : ''}`);
}
const verified = results.every(r => r.ok);
console.log('');
console.log(`Signing key: ${method}`);
console.log(`Fingerprint: ${fingerprint}`);
console.log(`Live check:  ${live}`);
console.log(`Compare the fingerprint with the key ${method.split('#')[1] || ''} the issuer publishes in its DID ` +
  `document (${liveUrl(method.split('#')[0])}), also shown on the credential's page (${credential.id}).`);
if(verified) {
  const source = live.startsWith('compared') ? 'the key the issuer publishes' : 'the key in this bundle';
  console.log(`VERIFIED: signed with ${source} (fingerprint ${fingerprint}); not revoked as of ${snapshot}.`);
} else {
  console.log('NOT VERIFIED.');
}
process.exit(verified ? 0 : 1);
