"""Facts about a delivered project and a team member → the unsigned OpenBadgeCredential (pure).

Follows Open Badges 3.0 (https://www.imsglobal.org/spec/ob/v3p0/): a Verifiable Credential 2.0
of type OpenBadgeCredential whose AchievementSubject names the member by a salted SHA-256 hash
of their email (IdentityObject) and their role, and whose Achievement describes the project.
Every text is written in the member's language (Flask-Babel `force_locale`), so an app context
is needed, but nothing is read from the database or the request.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from credentials.contexts import CREDENTIAL_CONTEXT
from projects.sdg import SDG_NAMES

ROLE_NAMES = {"contributor": _l("Contributor"), "task_lead": _l("Task lead"), "mentor": _l("Mentor")}
# OB 3.0 AchievementType: social-impact work done for a community, beside one's job.
ACHIEVEMENT_TYPE = "CommunityService"
SDG_URL = "https://sdgs.un.org/goals/goal{number}"


@dataclass(frozen=True)
class Evidence:
    url: str
    name: str
    accepted_on: datetime | None = None


@dataclass(frozen=True)
class SkillFacts:
    name: str
    slug: str
    url: str


@dataclass(frozen=True)
class CredentialFacts:
    """Everything a credential says, gathered by the issuing service."""

    credential_id: str
    locale: str
    issuer: dict
    valid_from: datetime
    recipient_email: str
    salt: str
    role: str
    activity_start: datetime
    activity_end: datetime
    project_title: str
    project_summary: str
    project_url: str
    chapter_name: str
    chapter_url: str
    chapter_city: str
    chapter_country: str
    image_data_uri: str
    credential_status: dict
    skills: tuple[SkillFacts, ...] = ()
    outcomes: tuple[str, ...] = ()
    sdgs: tuple[int, ...] = ()
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    badge_png_url: str = ""  # the badge as a PNG, for wallets that show no SVG


def timestamp(moment: datetime) -> str:
    """XML Schema dateTime in UTC with a trailing Z, as OB 3.0 asks (DateTimeZ)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 IdentityHash: 'sha256$' + hex(SHA-256(identifier + salt)), both UTF-8."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _criteria(facts: CredentialFacts) -> str:
    narrative = _("Be a member of the team of “%(project)s” (chapter %(chapter)s) when the project was "
                  "delivered: the deliverable of every milestone was reviewed and accepted.",
                  project=facts.project_title, chapter=facts.chapter_name)
    if facts.outcomes:
        narrative += "\n\n" + _("Learning outcomes:") + "\n" + "\n".join(f"- {o}" for o in facts.outcomes)
    return narrative


def _alignments(facts: CredentialFacts) -> list[dict]:
    skills = [{"type": ["Alignment"], "targetName": skill.name, "targetUrl": skill.url,
               "targetCode": skill.slug, "targetType": "ceasn:Competency",
               "targetFramework": _("Chapterhouse skills")} for skill in facts.skills]
    goals = [{"type": ["Alignment"], "targetName": str(SDG_NAMES[number]), "targetUrl": SDG_URL.format(number=number),
              "targetCode": f"SDG{number}", "targetType": "ext:SDG",
              "targetFramework": _("UN Sustainable Development Goals")} for number in facts.sdgs]
    return skills + goals


def _achievement(facts: CredentialFacts) -> dict:
    description = _("Took part in “%(project)s”, a social-impact project run by the %(chapter)s chapter.",
                    project=facts.project_title, chapter=facts.chapter_name)
    if facts.project_summary:
        description += " " + facts.project_summary
    achievement = {
        "id": facts.project_url + "#achievement",
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPE,
        "name": facts.project_title,
        "description": description,
        "criteria": {"narrative": _criteria(facts)},
        "image": {"id": facts.image_data_uri, "type": "Image",
                  "caption": _("Badge of “%(project)s”, %(chapter)s", project=facts.project_title,
                               chapter=facts.chapter_name)},
        "creator": {"id": facts.chapter_url, "type": ["Profile"], "name": facts.chapter_name,
                    "url": facts.chapter_url,
                    "address": {"type": ["Address"], "addressLocality": facts.chapter_city,
                                "addressCountryCode": facts.chapter_country}},
        "inLanguage": facts.locale,
    }
    if facts.skills:
        achievement["tag"] = [skill.name for skill in facts.skills]
    alignment = _alignments(facts)
    if alignment:
        achievement["alignment"] = alignment
    return achievement


def _evidence(facts: CredentialFacts) -> list[dict]:
    items = []
    for item in facts.evidence:
        entry = {"id": item.url, "type": ["Evidence"], "name": item.name}
        if item.accepted_on:
            entry["narrative"] = _("Deliverable accepted on %(date)s.", date=item.accepted_on.strftime("%Y-%m-%d"))
        items.append(entry)
    return items


def build_credential(facts: CredentialFacts) -> dict:
    """The unsigned OpenBadgeCredential, in the member's language."""
    with force_locale(facts.locale):
        role = str(ROLE_NAMES.get(facts.role, facts.role))
        credential = {
            "@context": list(CREDENTIAL_CONTEXT),
            "id": facts.credential_id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": _("%(project)s — %(role)s", project=facts.project_title, role=role),
            "description": _("Awarded by %(issuer)s to a %(role)s of the team that delivered “%(project)s” "
                              "(chapter %(chapter)s).", issuer=facts.issuer.get("name", ""), role=role.lower(),
                              project=facts.project_title, chapter=facts.chapter_name),
            "issuer": facts.issuer,
            "validFrom": timestamp(facts.valid_from),
            "awardedDate": timestamp(facts.valid_from),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [{"type": "IdentityObject", "identityHash": identity_hash(facts.recipient_email, facts.salt),
                                "identityType": "emailAddress", "hashed": True, "salt": facts.salt}],
                "role": role,
                "activityStartDate": timestamp(facts.activity_start),
                "activityEndDate": timestamp(facts.activity_end),
                "achievement": _achievement(facts),
            },
            "credentialStatus": facts.credential_status,
        }
        if facts.badge_png_url:
            credential["image"] = {"id": facts.badge_png_url, "type": "Image",
                                   "caption": credential["credentialSubject"]["achievement"]["image"]["caption"]}
        evidence = _evidence(facts)
        if evidence:
            credential["evidence"] = evidence
        return credential
