"""What a credential says, read from its signed document, for people: names, dates, skills, share links."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"


def _date(value: str | None) -> date | None:
    """An xsd:dateTime or xsd:date from the document as a date (None when absent or malformed)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None


def _text(value) -> str:
    """A plain string, or the first value of a JSON-LD language map / list."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("@value") or next(iter(value.values()), ""))
    if isinstance(value, list) and value:
        return _text(value[0])
    return ""


@dataclass(frozen=True)
class Statement:
    """The facts of one OpenBadgeCredential, as the issuer signed them."""

    name: str
    achievement_name: str
    description: str
    criteria: str
    issuer_name: str
    creator_name: str
    skills: list[str] = field(default_factory=list)
    alignments: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    valid_from: date | None = None
    activity_start: date | None = None
    activity_end: date | None = None
    subject_name: str = ""
    role: str = ""
    minutes: int | None = None  # the hours logged (creditsEarned), in minutes
    results: list[tuple[str, str]] = field(default_factory=list)  # (goal, attested level)
    endorsements: list[dict] = field(default_factory=list)  # {organisation, comment, url}


def _results(subject: dict, achievement: dict) -> list[tuple[str, str]]:
    """Each result as (its result description's name, the name of the level achieved)."""
    descriptions = {rd.get("id"): rd for rd in achievement.get("resultDescription") or [] if isinstance(rd, dict)}
    shown = []
    for result in subject.get("result") or []:
        if not isinstance(result, dict):
            continue
        description = descriptions.get(result.get("resultDescription")) or {}
        levels = {level.get("id"): _text(level.get("name")) for level in description.get("rubricCriterionLevel") or []
                  if isinstance(level, dict)}
        shown.append((_text(description.get("name")), levels.get(result.get("achievedLevel")) or _text(result.get("value"))))
    return shown


def _endorsements(achievement: dict) -> list[dict]:
    found = []
    for endorsement in achievement.get("endorsement") or []:
        if not isinstance(endorsement, dict):
            continue
        issuer = endorsement.get("issuer") or {}
        subject = endorsement.get("credentialSubject") or {}
        found.append({"organisation": _text(issuer.get("name")) if isinstance(issuer, dict) else "",
                      "comment": _text(subject.get("endorsementComment")) if isinstance(subject, dict) else "",
                      "url": endorsement.get("id") or ""})
    return found


def _minutes(subject: dict) -> int | None:
    value = subject.get("creditsEarned")
    return round(value * 60) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def read(document_text: str) -> Statement:
    """The statement of a signed credential document (JSON text)."""
    document = json.loads(document_text)
    subject = document.get("credentialSubject") or {}
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    achievement = subject.get("achievement") or {}
    issuer = document.get("issuer") or {}
    creator = achievement.get("creator") or {}
    return Statement(
        name=_text(document.get("name")),
        achievement_name=_text(achievement.get("name")),
        description=_text(achievement.get("description")),
        criteria=_text((achievement.get("criteria") or {}).get("narrative")),
        issuer_name=_text(issuer.get("name")) if isinstance(issuer, dict) else "",
        creator_name=_text(creator.get("name")) if isinstance(creator, dict) else "",
        skills=[_text(tag) for tag in achievement.get("tag") or []],
        alignments=[_text(a.get("targetName")) for a in achievement.get("alignment") or [] if isinstance(a, dict)],
        evidence=[{"name": _text(e.get("name")), "url": e.get("id") or ""}
                  for e in document.get("evidence") or [] if isinstance(e, dict)],
        valid_from=_date(document.get("validFrom") or document.get("issuanceDate")),
        activity_start=_date(subject.get("activityStartDate")),
        activity_end=_date(subject.get("activityEndDate")),
        subject_name=_text(subject.get("name")),
        role=_text(subject.get("role")),
        minutes=_minutes(subject),
        results=_results(subject, achievement),
        endorsements=_endorsements(achievement),
    )


def linkedin_add_url(*, name: str, organisation: str, issued: date | datetime, page_url: str, cert_id: str) -> str:
    """LinkedIn's "Add licence or certification" link, prefilled (a link for the member; never fetched)."""
    query = {"startTask": "CERTIFICATION_NAME", "name": name, "organizationName": organisation,
             "issueYear": issued.year, "issueMonth": issued.month, "certUrl": page_url, "certId": cert_id}
    return f"{LINKEDIN_ADD_URL}?{urlencode(query)}"


def badge_image(document_text: str) -> str | None:
    """The SVG embedded as the achievement's image (a data: URI), as signed; None when absent."""
    import base64
    from urllib.parse import unquote

    achievement = (json.loads(document_text).get("credentialSubject") or {}).get("achievement") or {}
    image = achievement.get("image") or {}
    uri = image.get("id", "") if isinstance(image, dict) else str(image)
    head, _, data = uri.partition(",")
    if not head.startswith("data:image/svg+xml"):
        return None
    return base64.b64decode(data).decode() if head.endswith(";base64") else unquote(data)


def badge_svg_of(credential) -> str:
    """The credential's badge: the image it was signed with, else one drawn for its project and chapter."""
    from credentials.badge import badge_svg

    return badge_image(credential.document) or badge_svg(credential.project.title, credential.project.chapter.name)
