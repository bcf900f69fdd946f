// Verify Chapterhouse credentials with the Digital Credentials Consortium's verifier, the one inside the
// Learner Credential Wallet and VerifierPlus (@digitalcredentials/verifier-core), unchanged.
//
// It resolves did:web DIDs, status lists and schemas over HTTP itself. Here that HTTP is offline: the
// global fetch it uses answers only the URLs given on input (what the test site serves, taken from the
// Flask test client) and the published OB 3.0 JSON Schema kept in tests/credentials/schemas; any other
// URL is refused, and every URL asked for is reported back.
//
// Input (stdin, JSON): {"responses": {url: body (JSON value)}, "credentials": [...]}
// Output (stdout, JSON): {"results": [one verifier-core result per credential], "fetched": [urls]}
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const input = JSON.parse(readFileSync(0, 'utf8'));
const responses = {
  ...input.responses,
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json':
    JSON.parse(readFileSync(join(here, 'schemas', 'ob_v3p0_achievementcredential_schema.json'), 'utf8')),
};
const fetched = [];

globalThis.fetch = async (resource, options) => {
  const url = typeof resource === 'string' ? resource : resource.url || String(resource);
  fetched.push(url);
  if(!(url in responses)) {
    return new Response('not found (offline test)', {status: 404, headers: {'content-type': 'text/plain'}});
  }
  return new Response(JSON.stringify(responses[url]), {status: 200, headers: {'content-type': 'application/json'}});
};

const {verifyCredential} = await import('@digitalcredentials/verifier-core');
const results = [];
for(const credential of input.credentials) {
  const result = await verifyCredential({credential, knownDIDRegistries: []});
  delete result.credential;  // the input, echoed
  results.push(JSON.parse(JSON.stringify(result, (key, value) => (key === 'stackTrace' ? String(value) : value))));
}
process.stdout.write(JSON.stringify({results, fetched}));
