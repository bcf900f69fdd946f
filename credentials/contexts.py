"""Local JSON-LD contexts and RDF canonicalization (RDFC-1.0 / URDNA2015) in safe mode.

The contexts are the published documents, copied out of the npm packages that ship them by
`node scripts/copy_contexts.mjs` into credentials/contexts/ (index.json names each one's URL,
package and version). The document loader below serves only those files: nothing is ever
fetched from the network, and pyld's own default loader is replaced by it at import so no
code path can reach the network by accident. pyld keeps processed contexts in its
module-level resolved-context cache, so each context is parsed once per process.

Safe mode: like the JSON-LD "safe mode" of Digital Bazaar's verifiers, canonicalization
refuses a document in which any property is not defined by its contexts (pyld would
otherwise drop it silently, leaving it unsigned), and any `@type` that does not expand to
an absolute IRI.
"""
from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path

from cachetools import LRUCache
from pyld import jsonld, resolved_context
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer
from pyld.jsonld import JsonLdError, JsonLdProcessor

CONTEXT_DIR = Path(__file__).parent / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
CREDENTIAL_CONTEXT = [VC_V2, OB_V3]


class UndefinedTerm(ValueError):
    """A document uses a term its contexts do not define (JSON-LD safe mode refuses it)."""


@cache
def index() -> dict[str, dict]:
    """URL → {file, package, version} for every context we keep."""
    return json.loads((CONTEXT_DIR / "index.json").read_text())


@cache
def documents() -> dict[str, dict]:
    """URL → the context document, read once per process."""
    return {url: json.loads((CONTEXT_DIR / entry["file"]).read_text()) for url, entry in index().items()}


def document_loader(url: str, options: dict | None = None) -> dict:
    """pyld document loader serving only the local copies; anything else is an error."""
    try:
        document = documents()[url]
    except KeyError:
        raise JsonLdError(f"Context {url} is not kept locally; it is never fetched.",
                          "jsonld.LoadDocumentError", code="loading document failed") from None
    # tag "static": the document never changes, so pyld keeps it (and its processed forms) across calls
    return {"contextUrl": None, "documentUrl": url, "document": document, "tag": "static"}


jsonld.set_document_loader(document_loader)


def _refuse_dropped(term: str | None) -> None:
    raise UndefinedTerm(f"The term {term!r} is not defined by the document's contexts.")


# --- speed: processed contexts are cached ------------------------------------------------------
# pyld caches processed contexts per resolved context, but by default only 10 active contexts per
# context and 100 resolved contexts in all, fewer than the VC 2.0 + OB 3.0 type-scoped contexts
# need, and it JSON-canonicalizes every scoped context object on every use to find it in its
# cache. Our contexts are static objects, so they are resolved once and found by identity.
resolved_context.MAX_ACTIVE_CONTEXTS = 256
_shared_cache = LRUCache(maxsize=4096)
_by_identity: LRUCache = LRUCache(maxsize=4096)
_lock = threading.Lock()  # LRU caches reorder themselves on reads: one thread at a time


def _cached(cache: LRUCache, key, *objects):
    """The cached value for `key` if it was computed from these very objects, else None."""
    with _lock:
        hit = cache.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[:-1], objects)):
        return hit[-1]
    return None


def _remember(cache: LRUCache, key, *objects_and_value) -> None:
    with _lock:
        cache[key] = objects_and_value


class _StaticContextResolver(ContextResolver):
    """pyld's resolver, remembering each context object it resolved (the identity check keeps a
    recycled id from matching: the cache holds a reference to the object)."""

    def resolve(self, active_ctx, context, base, cycles=None):
        if not isinstance(context, dict):
            return super().resolve(active_ctx, context, base, cycles)
        resolved = _cached(_by_identity, id(context), context)
        if resolved is None:
            resolved = super().resolve(active_ctx, context, base, cycles)
            _remember(_by_identity, id(context), context, resolved)
        return resolved


_processed: LRUCache = LRUCache(maxsize=4096)


class _Processor(JsonLdProcessor):
    """pyld's processor in safe mode, remembering processed contexts.

    pyld clones the active context before applying a type-scoped (non-propagating) context, so
    its own cache of processed contexts, keyed by the clone's fresh id, never hits: every node
    of every credential re-processed the OB 3.0 scoped contexts (about 100 term definitions
    each). Active contexts are never modified once built, so the result of applying a context
    object to an active context can be reused; the key holds both objects, so identities stay
    unique while cached."""

    def __init__(self):
        super().__init__(on_property_dropped=_refuse_dropped)

    def _process_context(self, active_ctx, local_ctx, options, override_protected=False, propagate=True,
                         validate_scoped=True, cycles=None):
        key = (id(active_ctx), id(local_ctx), override_protected, propagate, validate_scoped)
        result = _cached(_processed, key, active_ctx, local_ctx)
        if result is None:
            result = super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                              validate_scoped, cycles)
            _remember(_processed, key, active_ctx, local_ctx, result)
        return result


def _options() -> dict:
    return {"documentLoader": document_loader, "base": None,  # None: relative IRIs stay relative
            "contextResolver": _StaticContextResolver(_shared_cache, document_loader),
            "produceGeneralizedRdf": False, "processingMode": "json-ld-1.1", "extractAllScripts": False}


def _check_iris(node) -> None:
    """Every @type and @id of the expanded document must be an absolute IRI (or a blank node):
    a relative one means an undefined type, which RDF conversion would silently drop."""
    if isinstance(node, list):
        for item in node:
            _check_iris(item)
    elif isinstance(node, dict):
        for value in node.get("@type", []) if isinstance(node.get("@type"), list) else []:
            if ":" not in value:
                raise UndefinedTerm(f"The type {value!r} is not defined by the document's contexts.")
        if "@id" in node and ":" not in node["@id"]:
            raise UndefinedTerm(f"The identifier {node['@id']!r} is not an absolute IRI.")
        for key, value in node.items():
            if key not in ("@type", "@id", "@value", "@context"):
                _check_iris(value)


def to_rdf(document: dict) -> dict:
    """The document's RDF dataset, refusing undefined terms (safe mode). Same steps as pyld's
    to_rdf (expand, node map, graph to RDF) without expanding the document a second time."""
    processor = _Processor()
    options = _options()
    expanded = processor.expand(document, options)
    _check_iris(expanded)
    issuer = IdentifierIssuer("_:b")
    node_map = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    return {name: processor._graph_to_rdf(graph, issuer, options) for name, graph in sorted(node_map.items())
            if name == "@default" or ":" in name}


def canonize(document: dict) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document, in safe mode."""
    from pyld.canon import URDNA2015

    return URDNA2015().main(to_rdf(document), {"format": "application/n-quads"})
