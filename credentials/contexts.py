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
from functools import cache
from pathlib import Path

from pyld import jsonld
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
    return {"contextUrl": None, "documentUrl": url, "document": document}


jsonld.set_document_loader(document_loader)


def _refuse_dropped(term: str | None) -> None:
    raise UndefinedTerm(f"The term {term!r} is not defined by the document's contexts.")


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
    """The document's RDF dataset, refusing undefined terms (safe mode)."""
    processor = JsonLdProcessor(on_property_dropped=_refuse_dropped)
    options = {"documentLoader": document_loader, "base": None}  # None: relative IRIs stay relative
    expanded = processor.expand(document, options)
    _check_iris(expanded)
    return processor.to_rdf(expanded, options)


def canonize(document: dict) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document, in safe mode."""
    from pyld.canon import URDNA2015

    return URDNA2015().main(to_rdf(document), {"format": "application/n-quads"})
