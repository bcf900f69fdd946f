"""Facts about a delivered project and a team member → the unsigned OpenBadgeCredential (pure).

Follows Open Badges 3.0 (https://www.imsglobal.org/spec/ob/v3p0/): a Verifiable Credential 2.0
of type OpenBadgeCredential whose AchievementSubject names the member by a salted SHA-256 hash
of their email (IdentityObject) and their role, and whose Achievement describes the project.
Every text is written in the member's language (Flask-Babel `force_locale`), so an app context
is needed, but nothing is read from the database or the request.

What the member learned is their own: the subject's `role` is the business role they took, one
`result` per learning goal gives the level a mentor or lead attested against the achievement's
`resultDescription` for that competency (a rubric: demonstrated, practised, not shown),
`creditsEarned` carries the hours they logged, and `evidence` lists their accepted deliverables
and the reflections they made public. The achievement is the project's, the same for the whole
team: its business competencies as alignments to the framework (named with its version), one
result description per competency, and the sponsor's signed endorsement when there is one.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from credentials.contexts import CREDENTIAL_CONTEXT
from learning import framework
from learning.models import LEVEL_LABELS, LEVELS
from projects.sdg import SDG_NAMES

ROLE_NAMES = {"contributor": _l("Contributor"), "task_lead": _l("Task lead"), "mentor": _l("Mentor"),
              "project_lead": _l("Project lead")}
LEAD_ROLE = "project_lead"  # a chapter lead who led the project (credentials.issuing.project_leads)
# OB 3.0 AchievementType: social-impact work done for a community, beside one's job.
ACHIEVEMENT_TYPE = "CommunityService"
SDG_URL = "https://sdgs.un.org/goals/goal{number}"
# The published JSON Schemas, named the way VC 2.0 defines (type JsonSchema): the JSON-LD safe mode of
# verifiers refuses OB 3.0's own `1EdTechJsonSchemaValidator2019`, which context 3.0.3 does not define.
SCHEMA_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
ACHIEVEMENT_SCHEMA = SCHEMA_BASE + "ob_v3p0_achievementcredential_schema.json"
ENDORSEMENT_SCHEMA = SCHEMA_BASE + "ob_v3p0_endorsementcredential_schema.json"
LEVEL_MEANINGS = {
    "demonstrated": _l("Did it on their own, to the standard the framework describes."),
    "practised": _l("Did it with help, or part of it: on the way to the standard."),
    "not_shown": _l("Had the goal, but the project gave no chance to show it."),
}


@dataclass(frozen=True)
class Evidence:
    url: str
    name: str
    accepted_on: datetime | None = None
    genre: object = None  # "Deliverable", "Reflection" (a string, or lazy: written in the member's language)


@dataclass(frozen=True)
class GoalResult:
    """A learning goal of the member and what was attested of it (level None: not attested)."""

    code: str
    level: str | None = None
    note: str = ""


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
    competency_url: str = ""  # the framework's page of a competency, with "{code}" for its code
    competencies: tuple[str, ...] = ()  # the business competencies the project practised
    business_role: object = None  # the label of the business role the member took (a string, or lazy)
    goals: tuple[GoalResult, ...] = ()
    minutes: int = 0  # time the member logged on the project's milestones
    endorsement: dict | None = None  # the sponsor's signed EndorsementCredential

    @property
    def leads(self) -> bool:
        """A lead's credential: its own achievement, leading the project, aligned to what leading exercises."""
        return self.role == LEAD_ROLE


def timestamp(moment: datetime) -> str:
    """XML Schema dateTime in UTC with a trailing Z, as OB 3.0 asks (DateTimeZ)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 IdentityHash: 'sha256$' + hex(SHA-256(identifier + salt)), both UTF-8."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _criteria(facts: CredentialFacts) -> str:
    if facts.leads:
        narrative = _("Lead “%(project)s” for the %(chapter)s chapter to its delivery: propose it, recruit its team, "
                      "find its sponsors, plan its milestones and review every deliverable until it was accepted.",
                      project=facts.project_title, chapter=facts.chapter_name)
    else:
        narrative = _("Be a member of the team of “%(project)s” (chapter %(chapter)s) when the project was "
                      "delivered: the deliverable of every milestone was reviewed and accepted.",
                      project=facts.project_title, chapter=facts.chapter_name)
    if facts.outcomes:
        narrative += "\n\n" + _("Learning outcomes:") + "\n" + "\n".join(f"- {o}" for o in facts.outcomes)
    return narrative


def schema_reference(url: str) -> dict:
    return {"id": url, "type": "JsonSchema"}


def _framework_name() -> str:
    return _("%(framework)s, version %(version)s", framework=framework.title(), version=framework.VERSION)


def _competency_alignment(facts: CredentialFacts, code: str) -> dict:
    competency = framework.competency(code)
    return {"type": ["Alignment"], "targetName": str(competency.name), "targetDescription": str(competency.good),
            "targetUrl": facts.competency_url.format(code=code), "targetCode": code,
            "targetType": "ceasn:Competency", "targetFramework": _framework_name()}


def _result_id(facts: CredentialFacts, code: str) -> str:
    return f"{facts.project_url}#result-{code}"


def _result_descriptions(facts: CredentialFacts) -> list[dict]:
    """One rubric per competency the project practised: what a member's goal on it was attested as."""
    return [{"id": _result_id(facts, code), "type": ["ResultDescription"],
             "name": _("Learning goal: %(competency)s", competency=str(framework.competency(code).name)),
             "resultType": "RubricCriterionLevel",
             "alignment": [_competency_alignment(facts, code)],
             "rubricCriterionLevel": [{"id": f"{_result_id(facts, code)}-{level}", "type": ["RubricCriterionLevel"],
                                       "name": str(LEVEL_LABELS[level]), "description": str(LEVEL_MEANINGS[level])}
                                      for level in LEVELS]}
            for code in facts.competencies]


def _results(facts: CredentialFacts) -> list[dict]:
    practised = set(facts.competencies)
    return [{"type": ["Result"], "resultDescription": _result_id(facts, goal.code),
             "achievedLevel": f"{_result_id(facts, goal.code)}-{goal.level}", "value": str(LEVEL_LABELS[goal.level])}
            for goal in facts.goals if goal.level in LEVELS and goal.code in practised]


def _narrative(facts: CredentialFacts) -> str:
    """What was attested of each goal, in words (the subject's `narrative`)."""
    lines = [_("%(competency)s — %(level)s: %(note)s", competency=str(framework.competency(goal.code).name),
               level=str(LEVEL_LABELS[goal.level]).lower(), note=goal.note)
             for goal in facts.goals if goal.level in LEVELS and goal.code in facts.competencies]
    return "\n".join(f"- {line}" for line in lines)


def hours_text(minutes: int) -> str:
    """Logged minutes as hours, without trailing zeros (90 → "1.5")."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def _alignments(facts: CredentialFacts) -> list[dict]:
    skills = [{"type": ["Alignment"], "targetName": skill.name, "targetUrl": skill.url,
               "targetCode": skill.slug, "targetType": "ceasn:Competency",
               "targetFramework": _("Chapterhouse skills")} for skill in facts.skills]
    goals = [{"type": ["Alignment"], "targetName": str(SDG_NAMES[number]), "targetUrl": SDG_URL.format(number=number),
              "targetCode": f"SDG{number}", "targetType": "ext:SDG",
              "targetFramework": _("UN Sustainable Development Goals")} for number in facts.sdgs]
    leading = [code for code in framework.LEADING if code not in facts.competencies] if facts.leads else []
    return [_competency_alignment(facts, code) for code in (*facts.competencies, *leading)] + skills + goals


def _achievement(facts: CredentialFacts) -> dict:
    if facts.leads:
        description = _("Led “%(project)s”, a social-impact project run by the %(chapter)s chapter.",
                        project=facts.project_title, chapter=facts.chapter_name)
    else:
        description = _("Took part in “%(project)s”, a social-impact project run by the %(chapter)s chapter.",
                        project=facts.project_title, chapter=facts.chapter_name)
    if facts.project_summary:
        description += " " + facts.project_summary
    achievement = {
        "id": facts.project_url + ("#lead-achievement" if facts.leads else "#achievement"),
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
    if facts.competencies:
        achievement["resultDescription"] = _result_descriptions(facts)
    if facts.endorsement and not facts.leads:  # it endorses the team's achievement
        achievement["endorsement"] = [facts.endorsement]
    return achievement


def _subject(facts: CredentialFacts, role: str) -> dict:
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityHash": identity_hash(facts.recipient_email, facts.salt),
                        "identityType": "emailAddress", "hashed": True, "salt": facts.salt}],
        "role": role,
        "activityStartDate": timestamp(facts.activity_start),
        "activityEndDate": timestamp(facts.activity_end),
    }
    if facts.minutes:
        subject["creditsEarned"] = round(facts.minutes / 60, 2)  # hours logged, the unit named in the narrative
    results = _results(facts)
    if results:
        subject["result"] = results
    narrative = _narrative(facts)
    if facts.minutes or narrative:
        hours = _("Hours logged on the project's milestones: %(hours)s.", hours=hours_text(facts.minutes))
        subject["narrative"] = "\n\n".join(part for part in (hours if facts.minutes else "", narrative) if part)
    subject["achievement"] = _achievement(facts)
    return subject


def _evidence(facts: CredentialFacts) -> list[dict]:
    items = []
    for item in facts.evidence:
        entry = {"id": item.url, "type": ["Evidence"], "name": str(item.name)}
        if item.genre:
            entry["genre"] = str(item.genre)
        if item.accepted_on:
            entry["narrative"] = _("Deliverable accepted on %(date)s.", date=item.accepted_on.strftime("%Y-%m-%d"))
        items.append(entry)
    return items


def build_credential(facts: CredentialFacts) -> dict:
    """The unsigned OpenBadgeCredential, in the member's language."""
    with force_locale(facts.locale):
        team_role = str(ROLE_NAMES.get(facts.role, facts.role))
        role = str(facts.business_role) if facts.business_role and not facts.leads else team_role
        if facts.leads:
            description = _("Awarded by %(issuer)s to a lead of the %(chapter)s chapter who led “%(project)s” "
                            "to its delivery.", issuer=facts.issuer.get("name", ""), project=facts.project_title,
                            chapter=facts.chapter_name)
        else:
            description = _("Awarded by %(issuer)s to a %(role)s of the team that delivered “%(project)s” "
                            "(chapter %(chapter)s).", issuer=facts.issuer.get("name", ""), role=team_role.lower(),
                            project=facts.project_title, chapter=facts.chapter_name)
        if facts.business_role and not facts.leads:
            description += " " + _("Business role on the team: %(role)s.", role=role)
        credential = {
            "@context": list(CREDENTIAL_CONTEXT),
            "id": facts.credential_id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": _("%(project)s — %(role)s", project=facts.project_title, role=role),
            "description": description,
            "issuer": facts.issuer,
            "validFrom": timestamp(facts.valid_from),
            "awardedDate": timestamp(facts.valid_from),
            "credentialSubject": _subject(facts, role),
            "credentialStatus": facts.credential_status,
        }
        if facts.badge_png_url:
            credential["image"] = {"id": facts.badge_png_url, "type": "Image",
                                   "caption": credential["credentialSubject"]["achievement"]["image"]["caption"]}
        evidence = _evidence(facts)
        if evidence:
            credential["evidence"] = evidence
        credential["credentialSchema"] = [schema_reference(ACHIEVEMENT_SCHEMA)]
        return credential
