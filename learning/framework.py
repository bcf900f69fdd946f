"""The freelance business-skills framework as data: areas, competencies, their stable codes and texts.

The framework lives in code, not in database tables: it is reviewed like code, versioned with the release,
and each wording change is one commit. Rows elsewhere (a project's competencies, later goals and
attestations, credentials' alignments) refer to a competency by its code, which is stable forever: a code
is never renamed or reused, only retired (and then kept here with `retired=True`) in a new version.

ESCO: no ESCO URI is recorded. None could be verified from a source available where this framework was
written, and an unverified URI in a credential's alignment would be worse than none; `esco_uri` is there for
a later version to fill from the ESCO classification itself.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale

NAME = "Chapterhouse freelance business skills"
NAME_FR = "Compétences entrepreneuriales du freelance (Chapterhouse)"
VERSION = "1.0"


@dataclass(frozen=True)
class Text:
    en: str
    fr: str

    def __str__(self) -> str:
        """The text in the reader's language (English outside a request or for any other language)."""
        try:
            language = get_locale().language
        except (RuntimeError, AttributeError):
            language = "en"
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True)
class Competency:
    code: str
    area: str
    name: Text
    good: Text  # what good looks like
    esco_uri: str | None = None
    retired: bool = False


@dataclass(frozen=True)
class Area:
    code: str
    name: Text
    competencies: tuple[Competency, ...]


def _area(code: str, en: str, fr: str, *competencies: tuple[str, str, str, str, str]) -> Area:
    return Area(code, Text(en, fr), tuple(Competency(f"{code}.{slug}", code, Text(name_en, name_fr),
                                                     Text(good_en, good_fr))
                                          for slug, name_en, name_fr, good_en, good_fr in competencies))


AREAS: tuple[Area, ...] = (
    _area(
        "brand", "Brand and marketing", "Image de marque et marketing",
        ("positioning", "Positioning and offer", "Positionnement et offre",
         "You can say in one sentence who you help, with what problem and why you rather than someone else, and "
         "your offer follows from it: a few named services with a clear scope and result instead of \"I do "
         "everything\". You test the sentence on real prospects, drop the services nobody buys and adjust the "
         "wording to the words clients use.",
         "Vous savez dire en une phrase qui vous aidez, pour quel problème et pourquoi vous plutôt qu'un autre, "
         "et votre offre en découle : quelques prestations nommées, au périmètre et au résultat clairs, plutôt "
         "que « je fais de tout ». Vous testez cette phrase auprès de vrais prospects, abandonnez les prestations "
         "que personne n'achète et reprenez les mots qu'emploient vos clients."),
        ("portfolio", "Portfolio and case studies", "Portfolio et études de cas",
         "Your portfolio shows a handful of chosen projects, each told as a short case study: the client's "
         "situation, what you did, the result in numbers or in the client's words, and what you would reuse. "
         "You ask for permission before publishing, remove confidential details and keep it up to date after "
         "every project worth showing.",
         "Votre portfolio présente quelques projets choisis, chacun raconté comme une courte étude de cas : la "
         "situation du client, ce que vous avez fait, le résultat en chiffres ou dans les mots du client, et ce "
         "que vous réutiliseriez. Vous demandez l'autorisation avant de publier, retirez les éléments "
         "confidentiels et le mettez à jour après chaque projet qui mérite d'être montré."),
        ("content", "Content and visibility", "Contenus et visibilité",
         "You publish regularly, on one or two channels where your clients actually are, content that helps them "
         "(a lesson learned, a checklist, a before-and-after) rather than announcements about yourself. You keep "
         "a simple calendar, reuse one piece in several formats and look at which posts bring conversations, "
         "not only likes.",
         "Vous publiez régulièrement, sur un ou deux canaux où se trouvent réellement vos clients, des contenus "
         "qui les aident (une leçon tirée d'un projet, une liste de contrôle, un avant-après) plutôt que des "
         "annonces sur vous-même. Vous tenez un calendrier simple, déclinez un même contenu en plusieurs formats "
         "et regardez quelles publications amènent des échanges, pas seulement des mentions « j'aime »."),
        ("network", "Professional network", "Réseau professionnel",
         "You keep in touch with past clients, peers and partners on purpose: you note who you met and what they "
         "need, follow up within a week, introduce people to each other and refer work you cannot take. Most of "
         "your new work comes from people who already know what you do, because you made it easy for them to "
         "recommend you.",
         "Vous entretenez délibérément le lien avec vos anciens clients, vos pairs et vos partenaires : vous "
         "notez qui vous avez rencontré et ce dont ces personnes ont besoin, relancez dans la semaine, mettez "
         "les gens en relation et orientez vers d'autres les missions que vous ne pouvez pas prendre. L'essentiel "
         "de vos nouvelles missions vient de personnes qui savent déjà ce que vous faites, parce que vous leur "
         "avez rendu la recommandation facile."),
    ),
    _area(
        "sales", "Finding clients and selling", "Trouver des clients et vendre",
        ("prospecting", "Prospecting", "Prospection",
         "You know which organisations could need you and why now, keep a short list of them with the right "
         "contact, and write to each one a personal message that refers to their situation and proposes a small "
         "next step. You follow up politely once or twice, track replies in a simple pipeline and set aside time "
         "for it every week, even when you are busy.",
         "Vous savez quelles organisations pourraient avoir besoin de vous et pourquoi maintenant, en tenez une "
         "courte liste avec le bon interlocuteur, et écrivez à chacune un message personnel qui parle de sa "
         "situation et propose une petite étape suivante. Vous relancez poliment une ou deux fois, suivez les "
         "réponses dans un tableau de prospection simple et y consacrez du temps chaque semaine, même quand vous "
         "êtes très pris."),
        ("discovery", "Discovery conversations", "Entretiens de découverte",
         "In a first meeting you listen more than you talk: you ask open questions about the problem, its cost, "
         "who decides, the budget and the deadline, and you reformulate what you heard. You leave with a shared "
         "written summary of the need and a clear next step, and you are ready to say when the project is not a "
         "good fit.",
         "Lors d'un premier rendez-vous, vous écoutez plus que vous ne parlez : vous posez des questions ouvertes "
         "sur le problème, ce qu'il coûte, qui décide, le budget et l'échéance, puis reformulez ce que vous avez "
         "compris. Vous repartez avec un résumé écrit et partagé du besoin et une étape suivante claire, et vous "
         "savez dire quand le projet ne vous correspond pas."),
        ("pitching", "Pitching", "Présenter et convaincre",
         "You present your approach to a client or a sponsor in a few minutes, starting from their problem and "
         "the result they want, backed by one relevant example and a concrete plan. You adapt the pitch to the "
         "audience (a board, a technical lead, a funder), anticipate objections and end with a clear request.",
         "Vous présentez votre démarche à un client ou à un financeur en quelques minutes, en partant de son "
         "problème et du résultat qu'il recherche, appuyé par un exemple pertinent et un plan concret. Vous "
         "adaptez votre présentation au public (un conseil d'administration, un responsable technique, un "
         "bailleur de fonds), anticipez les objections et terminez par une demande claire."),
        ("negotiation", "Negotiation and closing", "Négociation et conclusion",
         "You know before the conversation what you can give and what you cannot, and you trade rather than "
         "concede: a lower price for a smaller scope, a faster date for a higher fee. You stay friendly and "
         "firm, put the agreement in writing the same day and know when to walk away from a deal that would "
         "cost you more than it brings.",
         "Vous savez avant l'échange ce que vous pouvez céder et ce que vous ne pouvez pas, et vous échangez "
         "plutôt que de concéder : un prix plus bas contre un périmètre réduit, un délai plus court contre un "
         "tarif plus élevé. Vous restez cordial et ferme, mettez l'accord par écrit le jour même et savez "
         "renoncer à une affaire qui vous coûterait plus qu'elle ne rapporte."),
    ),
    _area(
        "scoping", "Scoping, pricing and proposals", "Cadrage, tarification et propositions",
        ("requirements", "Scoping the work", "Cadrer le travail",
         "You turn a vague request into a written scope: the goal, the deliverables, what is explicitly out of "
         "scope, the assumptions and what the client must provide, and how both sides will know the work is "
         "done. The client reads and agrees to it before work starts, and it becomes the reference when "
         "questions arise.",
         "Vous transformez une demande floue en un périmètre écrit : l'objectif, les livrables, ce qui est "
         "explicitement exclu, les hypothèses et ce que le client doit fournir, ainsi que la façon dont chacun "
         "saura que le travail est terminé. Le client le lit et l'approuve avant le démarrage, et il devient la "
         "référence quand des questions se posent."),
        ("estimating", "Estimating effort", "Estimer la charge",
         "You break the work into tasks small enough to estimate, give each a range rather than a single number, "
         "add time for meetings, reviews and the unexpected, and compare with what similar past work actually "
         "took. After each project you compare estimate and reality, so your estimates get better.",
         "Vous découpez le travail en tâches assez petites pour être estimées, donnez à chacune une fourchette "
         "plutôt qu'un chiffre unique, ajoutez du temps pour les réunions, les relectures et les imprévus, et "
         "comparez avec ce qu'ont réellement pris des travaux semblables. Après chaque projet, vous confrontez "
         "l'estimation à la réalité pour estimer mieux la fois suivante."),
        ("pricing", "Pricing", "Fixer ses prix",
         "You know the day rate you need to cover your costs, taxes, holidays and unbilled time, and you price "
         "from the value and risk of the work as well as from the time it takes. You choose knowingly between a "
         "daily rate, a fixed price and a retainer, state what the price includes and hold it without "
         "apologising.",
         "Vous connaissez le tarif journalier nécessaire pour couvrir vos charges, vos impôts, vos congés et le "
         "temps non facturé, et vous fixez vos prix selon la valeur et le risque du travail autant que selon le "
         "temps passé. Vous choisissez en connaissance de cause entre tarif journalier, forfait et abonnement, "
         "précisez ce que comprend le prix et le tenez sans vous en excuser."),
        ("proposal", "Writing proposals", "Rédiger une proposition commerciale",
         "Your proposal is short and written for the client: it restates their problem in their words, presents "
         "the approach, the deliverables and a timeline with milestones, the price and payment terms, and the "
         "conditions. It offers options where useful, is easy to say yes to and is sent while the conversation "
         "is still fresh.",
         "Votre proposition est courte et écrite pour le client : elle reformule son problème avec ses mots, "
         "présente la démarche, les livrables et un calendrier jalonné, le prix et les modalités de paiement, "
         "ainsi que les conditions. Elle propose des options quand c'est utile, se signe facilement et part "
         "tant que l'échange est encore frais."),
    ),
    _area(
        "delivery", "Delivery and time management", "Livraison et gestion du temps",
        ("planning", "Planning and milestones", "Planification et jalons",
         "You plan the work backwards from the delivery date into milestones that each end with something the "
         "client can see, with owners and due dates. You keep the plan visible to the team, check it every week "
         "and warn the client early, with options, when a milestone is at risk.",
         "Vous planifiez le travail à rebours depuis la date de livraison, en jalons qui se terminent chacun par "
         "un résultat visible par le client, avec un responsable et une échéance. Vous gardez le plan visible de "
         "toute l'équipe, le revoyez chaque semaine et prévenez tôt le client, en proposant des options, quand un "
         "jalon est menacé."),
        ("time", "Managing your time", "Gérer son temps",
         "You protect blocks of focused time for client work, batch small tasks, and keep track of the hours "
         "you spend, including the unbilled ones. You say no or not now to what does not fit, notice when a "
         "project takes more time than planned, and keep a sustainable pace instead of working nights before "
         "each deadline.",
         "Vous protégez des plages de concentration pour le travail client, regroupez les petites tâches et "
         "suivez les heures que vous passez, y compris celles qui ne sont pas facturées. Vous savez dire non, ou "
         "pas maintenant, à ce qui ne rentre pas, remarquez quand un projet prend plus de temps que prévu et "
         "gardez un rythme tenable plutôt que de travailler la nuit avant chaque échéance."),
        ("quality", "Quality and handover", "Qualité et passation",
         "Before you deliver, you check the work against the agreed scope and acceptance criteria, have someone "
         "review it, and fix what you find. You hand over with everything the client needs to use and maintain "
         "it (access, documentation, a short walkthrough) and you ask for a formal acceptance.",
         "Avant de livrer, vous vérifiez le travail au regard du périmètre et des critères d'acceptation "
         "convenus, le faites relire par quelqu'un et corrigez ce que vous trouvez. Vous remettez au client tout "
         "ce dont il a besoin pour l'utiliser et le faire vivre (accès, documentation, courte prise en main) et "
         "lui demandez une validation formelle."),
        ("change", "Managing changes in scope", "Gérer les changements de périmètre",
         "When the client asks for something new, you welcome it but name it as a change: you explain its effect "
         "on time and price, offer to add it, swap it for something else or keep it for later, and write down "
         "the decision. Small favours stay a choice you make, not a drift that eats the budget.",
         "Quand le client demande quelque chose de nouveau, vous l'accueillez mais le nommez comme un changement : "
         "vous expliquez son effet sur les délais et le prix, proposez de l'ajouter, de l'échanger contre autre "
         "chose ou de le garder pour plus tard, et consignez la décision par écrit. Les petits gestes restent un "
         "choix, pas une dérive qui grignote le budget."),
    ),
    _area(
        "relations", "Client relations and reporting", "Relation client et reporting",
        ("communication", "Client communication", "Communication avec le client",
         "You agree at the start on one contact person, the channel and how fast each side answers, and you keep "
         "to it. Your messages are short, say what you need and by when, and you confirm decisions made in "
         "meetings in writing. The client is never surprised: bad news travels as fast as good news.",
         "Vous convenez dès le départ d'un interlocuteur unique, d'un canal et d'un délai de réponse pour chacun, "
         "et vous vous y tenez. Vos messages sont courts, disent ce dont vous avez besoin et pour quand, et vous "
         "confirmez par écrit les décisions prises en réunion. Le client n'est jamais pris au dépourvu : les "
         "mauvaises nouvelles circulent aussi vite que les bonnes."),
        ("reporting", "Progress reporting", "Compte rendu d'avancement",
         "You send a regular, brief progress report: what was done, what comes next, the risks and the decisions "
         "you need from the client, with the budget and time used so far against the plan. A busy reader "
         "understands the state of the project in one minute, and the reports together tell the story of the "
         "project.",
         "Vous envoyez régulièrement un bref compte rendu d'avancement : ce qui a été fait, ce qui vient ensuite, "
         "les risques et les décisions attendues du client, avec le budget et le temps consommés par rapport au "
         "prévisionnel. Un lecteur pressé comprend en une minute où en est le projet, et l'ensemble des comptes "
         "rendus raconte son histoire."),
        ("feedback", "Feedback and difficult conversations", "Retours et conversations difficiles",
         "You ask for feedback at each milestone and receive it without defending yourself: you separate the "
         "facts from the feelings, agree on what to change and do it. When something goes wrong (a late "
         "payment, an unhappy client, a mistake of yours) you raise it early, calmly and with a proposal.",
         "Vous sollicitez des retours à chaque jalon et les accueillez sans vous justifier : vous distinguez les "
         "faits du ressenti, convenez de ce qu'il faut changer et le faites. Quand quelque chose se passe mal "
         "(un retard de paiement, un client mécontent, une erreur de votre part), vous l'abordez tôt, calmement "
         "et avec une proposition."),
        ("presenting", "Presenting results", "Présenter les résultats",
         "At the end of the work, you present to the client or sponsor what was achieved against the goals "
         "agreed at the start, with evidence, what was learned and what you recommend next. You tailor it to the "
         "audience, keep it short and leave them with a document they can share, and you ask for a testimonial "
         "or a referral.",
         "À la fin du travail, vous présentez au client ou au financeur ce qui a été accompli au regard des "
         "objectifs fixés au départ, preuves à l'appui, ce que vous en avez appris et ce que vous recommandez "
         "pour la suite. Vous l'adaptez au public, restez bref et laissez un document facile à diffuser, puis "
         "vous demandez un témoignage ou une recommandation."),
    ),
    _area(
        "admin", "Finances, legal and administration", "Finances, droit et administration",
        ("budget", "Budgets and cash flow", "Budget et trésorerie",
         "You keep a simple budget for each project and for your business: income expected and received, "
         "costs, and the cash you will have in three months. You set money aside for taxes and quiet months, "
         "track spending against the budget as the project runs and act early when it drifts.",
         "Vous tenez un budget simple pour chaque projet et pour votre activité : les recettes attendues et "
         "encaissées, les dépenses et la trésorerie dont vous disposerez dans trois mois. Vous mettez de côté "
         "de quoi payer vos impôts et passer les mois creux, suivez les dépenses par rapport au budget pendant "
         "le projet et réagissez tôt quand il dérive."),
        ("invoicing", "Quotes, invoices and payment", "Devis, factures et encaissement",
         "Your quotes and invoices carry everything the law of your country requires, are numbered and sent on "
         "time, with clear payment terms and a deposit for larger work. You know which invoices are due, "
         "follow up late payments politely then firmly, and never let unpaid work pile up.",
         "Vos devis et vos factures comportent toutes les mentions obligatoires dans votre pays, sont numérotés "
         "et envoyés à temps, avec des conditions de paiement claires et un acompte pour les travaux importants. "
         "Vous savez quelles factures arrivent à échéance, relancez les retards de paiement poliment puis "
         "fermement, et ne laissez jamais s'accumuler du travail impayé."),
        ("contracts", "Contracts and intellectual property", "Contrats et propriété intellectuelle",
         "You work under a written agreement that states the scope, price, payment terms, deadlines, who owns "
         "and may reuse the work, confidentiality, liability and how either side can end it. You read what you "
         "sign, know which clauses you will not accept, and ask for advice when the stakes are high.",
         "Vous travaillez avec un accord écrit qui précise le périmètre, le prix, les modalités de paiement, les "
         "délais, à qui appartient le travail et qui peut le réutiliser, la confidentialité, la responsabilité et "
         "la manière dont chaque partie peut y mettre fin. Vous lisez ce que vous signez, savez quelles clauses "
         "vous refusez et demandez conseil quand l'enjeu est important."),
        ("compliance", "Status, tax and data protection", "Statut, fiscalité et protection des données",
         "You know your legal status and its duties: registering, declaring income, collecting and paying VAT "
         "or sales tax where it applies, insurance and social contributions, and you keep your records in "
         "order. When you handle personal data for a client, you collect only what is needed, keep it safe and "
         "agree in writing who is responsible for it.",
         "Vous connaissez votre statut juridique et ses obligations : immatriculation, déclaration des revenus, "
         "TVA à facturer et à reverser le cas échéant, assurances et cotisations sociales, et vous tenez vos "
         "registres à jour. Quand vous traitez des données personnelles pour un client, vous ne collectez que le "
         "nécessaire, les protégez et convenez par écrit de qui en est responsable."),
    ),
)

COMPETENCIES: dict[str, Competency] = {c.code: c for area in AREAS for c in area.competencies}

# What leading a chapter project to delivery exercises: pitching it to sponsors, scoping it, planning its
# milestones, reporting to the sponsor and reviewing the team's deliverables. A lead's credential aligns to them.
LEADING: tuple[str, ...] = ("sales.pitching", "scoping.requirements", "delivery.planning", "relations.reporting",
                            "relations.feedback")
AREAS_BY_CODE: dict[str, Area] = {area.code: area for area in AREAS}


def competency(code: str) -> Competency | None:
    return COMPETENCIES.get(code)


def codes() -> frozenset[str]:
    """The codes a project may choose now (retired ones stay readable, not choosable)."""
    return frozenset(code for code, c in COMPETENCIES.items() if not c.retired)


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(area name, [(code, competency name)])] in the framework's order, in the reader's language."""
    return [(str(area.name), [(c.code, str(c.name)) for c in area.competencies if not c.retired])
            for area in AREAS]


def title() -> str:
    """The framework's name in the reader's language."""
    return str(Text(NAME, NAME_FR))


def label(code: str) -> str:
    found = COMPETENCIES.get(code)
    return str(found.name) if found else code
