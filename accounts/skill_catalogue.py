"""The skills Chapterhouse knows by code, with their names in English and French.

A skill is stored once, by its code (Skill.slug), whatever language it was typed in: "comptabilité" and
"Bookkeeping" are the same skill. Skills outside this list are still welcome; they are stored by the slug of
the name typed, in the language it was typed in. Migration 0025 copies this list into the database (a later
change to it needs a migration of its own to reach existing rows).
"""
from __future__ import annotations

# code: (English name, French name)
CATALOGUE: dict[str, tuple[str, str]] = {
    "accessibility": ("Accessibility", "Accessibilité"),
    "accounting": ("Accounting", "Comptabilité générale"),
    "bookkeeping": ("Bookkeeping", "Comptabilité"),
    "branding": ("Branding", "Image de marque"),
    "budgeting": ("Budgeting", "Budgétisation"),
    "community-management": ("Community management", "Animation de communauté"),
    "copywriting": ("Copywriting", "Rédaction publicitaire"),
    "customer-research": ("Customer research", "Études clients"),
    "data-analysis": ("Data analysis", "Analyse de données"),
    "event-planning": ("Event planning", "Organisation d'événements"),
    "facilitation": ("Facilitation", "Animation d'ateliers"),
    "fundraising": ("Fundraising", "Collecte de fonds"),
    "graphic-design": ("Graphic design", "Design graphique"),
    "illustration": ("Illustration", "Illustration"),
    "interviewing": ("Interviewing", "Conduite d'entretiens"),
    "javascript": ("JavaScript", "JavaScript"),
    "legal-research": ("Legal research", "Recherche juridique"),
    "mapping": ("Mapping", "Cartographie"),
    "marketing": ("Marketing", "Marketing"),
    "negotiation": ("Negotiation", "Négociation"),
    "photography": ("Photography", "Photographie"),
    "pricing": ("Pricing", "Tarification"),
    "project-management": ("Project management", "Gestion de projet"),
    "public-speaking": ("Public speaking", "Prise de parole en public"),
    "python": ("Python", "Python"),
    "sales": ("Sales", "Vente"),
    "seo": ("SEO", "Référencement"),
    "social-media": ("Social media", "Réseaux sociaux"),
    "spreadsheets": ("Spreadsheets", "Tableurs"),
    "translation": ("Translation", "Traduction"),
    "ux-design": ("UX design", "Design UX"),
    "user-research": ("User research", "Recherche utilisateur"),
    "video-editing": ("Video editing", "Montage vidéo"),
    "web-design": ("Web design", "Conception web"),
    "web-development": ("Web development", "Développement web"),
    "writing": ("Writing", "Rédaction"),
    "content-strategy": ("Content strategy", "Stratégie de contenu"),
    "data-engineering": ("Data engineering", "Ingénierie des données"),
    "data-visualisation": ("Data visualisation", "Visualisation de données"),
    "devops": ("DevOps", "DevOps"),
    "grant-writing": ("Grant writing", "Rédaction de demandes de subvention"),
    "machine-learning": ("Machine learning", "Apprentissage automatique"),
    "mobile-development": ("Mobile development", "Développement mobile"),
    "operations": ("Operations", "Opérations"),
    "product-management": ("Product management", "Gestion de produit"),
    "qa-testing": ("QA testing", "Tests qualité"),
    "research": ("Research", "Recherche"),
    "security": ("Security", "Sécurité"),
    "statistics": ("Statistics", "Statistiques"),
    "training": ("Training", "Formation"),
    "wordpress": ("WordPress", "WordPress"),
}
