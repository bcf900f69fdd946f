// Verify Chapterhouse credentials with DIDKit (SpruceID's Rust `ssi` compiled to WebAssembly), as LearnCard
// ships it in @learncard/didkit-plugin. Its did:web resolver fetches over HTTP through the global fetch;
// here that fetch answers only the URLs given on input (what the test site serves) and refuses the rest.
// The JSON-LD contexts are handed over as DIDKit's context map, from our local copies.
//
// Input (stdin, JSON): {"responses": {url: body}, "contexts": {url: context}, "credentials": [...],
//   "jwts": [...]}
// Output (stdout, JSON): {"version", "credentials": [DIDKit result], "jwts": [DIDKit result], "fetched": [...]}
import {readFileSync} from 'node:fs';

const input = JSON.parse(readFileSync(0, 'utf8'));
const fetched = [];

function answer(url, status, body) {
  const response = new Response(body, {status, headers: {'content-type': 'application/json'}});
  Object.defineProperty(response, 'url', {value: url});  // DIDKit's HTTP client reads the response's URL
  return response;
}

globalThis.fetch = async resource => {
  const url = typeof resource === 'string' ? resource : resource.url || String(resource);
  fetched.push(url);
  return url in input.responses ? answer(url, 200, JSON.stringify(input.responses[url]))
    : answer(url, 404, '{"error": "not found (offline test)"}');
};

// The package exports only its plugin wrapper, which JSON-encodes a JWT before handing it over; the
// WebAssembly module's own functions take the JWT as it is, so they are loaded from the package's files.
const dist = new URL('../../node_modules/@learncard/didkit-plugin/dist/', import.meta.url);
const didkit = await import(new URL('didkit_wasm.js', dist));
await didkit.default({module_or_path: readFileSync(new URL('didkit_wasm_bg.wasm', dist))});
const contextMap = JSON.stringify(Object.fromEntries(
  Object.entries(input.contexts).map(([url, context]) => [url, JSON.stringify(context)])));

const output = {version: didkit.getVersion(), credentials: [], jwts: [], fetched};
for(const credential of input.credentials || []) {
  output.credentials.push(JSON.parse(await didkit.verifyCredential(JSON.stringify(credential), '{}', contextMap)));
}
for(const jwt of input.jwts || []) {
  output.jwts.push(JSON.parse(await didkit.verifyCredential(jwt, JSON.stringify({proofFormat: 'jwt'}), contextMap)));
}
process.stdout.write(JSON.stringify(output));
