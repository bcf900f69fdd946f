// Verify a Chapterhouse credential offline, with Digital Bazaar's libraries and `jose`.
//
//   node verify.mjs [folder]        (folder defaults to the one this script is in)
//
// Every document the verification needs (JSON-LD contexts, the issuer's profile and keys, the
// status list) is read from the folder through documents.json; any other URL is refused, so
// nothing is fetched from the network. Exit code 0 when every check passes, 1 otherwise.
import {readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gunzipSync} from 'node:zlib';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as jose from 'jose';

const folder = resolve(process.argv[2] || dirname(fileURLToPath(import.meta.url)));
const read = name => readFileSync(join(folder, name), 'utf8');
const readJson = name => JSON.parse(read(name));

const credential = readJson('credential.json');
const jwt = read('credential.jwt').trim();
const files = readJson('documents.json');

// The local document loader: URLs known to the bundle, and fragments (key ids) inside them.
function localDocument(url) {
  if(files[url]) {
    return readJson(files[url]);
  }
  const [base, fragment] = url.split('#');
  if(fragment !== undefined && files[base]) {
    const controller = readJson(files[base]);
    const found = (controller.verificationMethod || []).find(m => m.id === url);
    if(found) {
      return {'@context': controller['@context'], ...found};
    }
  }
  throw new Error(`not in the bundle (refusing to fetch): ${url}`);
}
const documentLoader = async url => ({contextUrl: null, documentUrl: url, document: localDocument(url)});

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

function statusEntry(vcDocument) {
  const status = vcDocument.credentialStatus;
  return Array.isArray(status) ? status[0] : status;
}

// Bitstring Status List: the bit at statusListIndex (first bit = most significant bit of byte 0).
async function checkStatus({credential: checked}) {
  const entry = statusEntry(checked);
  const list = (await documentLoader(entry.statusListCredential)).document;
  const listResult = await vc.verifyCredential({credential: list, suite, documentLoader});
  if(!listResult.verified) {
    return {verified: false, error: new Error('the status list credential does not verify')};
  }
  const issuerOf = c => (typeof c.issuer === 'string' ? c.issuer : c.issuer.id);
  if(issuerOf(list) !== issuerOf(checked)) {
    return {verified: false, error: new Error('the status list has another issuer')};
  }
  const subject = list.credentialSubject;
  const bits = gunzipSync(Buffer.from(subject.encodedList.slice(1), 'base64url'));
  const index = Number(entry.statusListIndex);
  const set = (bits[index >> 3] >> (7 - (index % 8))) & 1;
  const revoked = set === 1 && entry.statusPurpose === 'revocation';
  return revoked ? {verified: false, error: new Error('revoked (status list bit is set)')} : {verified: true};
}

const canonical = value => JSON.stringify(value, (k, v) => (v && typeof v === 'object' && !Array.isArray(v) ?
  Object.fromEntries(Object.keys(v).sort().map(key => [key, v[key]])) : v));

async function checkJwt() {
  const {kid} = jose.decodeProtectedHeader(jwt);
  const key = localDocument(kid);
  const issuerId = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
  if(key.controller !== issuerId) {
    throw new Error(`the JWT key ${kid} is not controlled by the issuer`);
  }
  const jwk = await Ed25519Multikey.toJwk({keyPair: await Ed25519Multikey.from(key)});
  const {payload} = await jose.jwtVerify(jwt, await jose.importJWK(jwk, 'EdDSA'),
    {typ: 'vc+jwt', algorithms: ['EdDSA', 'Ed25519']});
  const claims = new Set(['iss', 'sub', 'jti', 'nbf', 'iat', 'exp', 'aud']);
  const signed = payload.vc || Object.fromEntries(Object.entries(payload).filter(([name]) => !claims.has(name)));
  const {proof, ...unsigned} = credential;
  if(canonical(signed) !== canonical(unsigned)) {
    throw new Error('the JWT carries a different credential');
  }
}

const results = [];
async function run(name, check) {
  try {
    const error = await check();
    results.push({name, ok: !error, detail: error || ''});
  } catch(e) {
    results.push({name, ok: false, detail: e.message});
  }
}

await run('Data Integrity proof (eddsa-rdfc-2022) and issuer key', async () => {
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus: async () =>
    ({verified: true})});
  return result.verified ? '' : errorsOf(result);
});
await run('Status (Bitstring Status List snapshot)', async () => {
  const result = await checkStatus({credential});
  return result.verified ? '' : result.error.message;
});
await run('VC-JWT (EdDSA)', async () => {
  await checkJwt();
  return '';
});

function errorsOf(result) {
  const errors = [result.error, ...(result.results || []).map(r => r.error)].filter(Boolean);
  return errors.map(e => (e.errors || [e]).map(inner => inner.message).join('; ')).join('; ') || 'not verified';
}

for(const {name, ok, detail} of results) {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `: ${detail}` : ''}`);
}
const verified = results.every(r => r.ok);
console.log(verified ? 'VERIFIED: this credential is authentic and not revoked.' : 'NOT VERIFIED.');
process.exit(verified ? 0 : 1);
