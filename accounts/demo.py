"""Demo accounts: an admin and freelancers with skills in several cities."""
from accounts.services import register_user
from core.cli import seeder, sign_ins

DEMO_PASSWORD = "demo-password-1"

# (handle, name, city, country, locale, skills, is_admin); French speakers type their skills in French,
# and find the same skills as everyone (accounts/skill_catalogue.py)
PEOPLE = [
    ("admin", "Ada Admin", "Lyon", "FR", "fr", ["Operations"], True),
    ("amara", "Amara Diallo", "Montréal", "CA", "fr", ["Project management", "Fundraising", "Facilitation"], False),
    ("lucas", "Lucas Martin", "Lyon", "FR", "fr", ["Python", "Analyse de données", "Comptabilité"], False),
    ("priya", "Priya Raman", "Toronto", "CA", "en", ["UX design", "User research", "Copywriting"], False),
    ("tom", "Tom Becker", "Berlin", "DE", "en", ["JavaScript", "Accessibility", "Web design"], False),
    ("ines", "Inès Moreau", "Dakar", "SN", "fr", ["Marketing", "Rédaction publicitaire", "Photographie"], False),
    ("kofi", "Kofi Mensah", "Accra", "GH", "en", ["Data analysis", "Python", "Mapping"], False),
    ("sofia", "Sofia Rossi", "Montréal", "CA", "fr", ["Comptabilité générale", "comptabilite", "Tarification"], False),
    ("noah", "Noah Williams", "Toronto", "CA", "en", ["Video editing", "Marketing"], False),
]

# What each demo account can try, printed by `flask seed-demo` (chapters come from chapters/demo.py).
ROLES = {
    "admin": "platform admin",
    "amara": "lead of Freelance Montréal",
    "sofia": "co-lead of Freelance Montréal",
    "lucas": "lead of Lyon Indépendants",
    "kofi": "lead of Accra Makers Collective",
    "priya": "lead of Toronto Freelance Guild",
    "tom": "member; proposed Berlin Solo Collective (pending)",
}

DEMO_ACCOUNTS = [(f"{handle}@example.org", ROLES.get(handle, "member")) for handle, *_ in PEOPLE]


@sign_ins
def demo_sign_ins() -> list[str]:
    return [f"Demo sign-ins (password for all: {DEMO_PASSWORD}):"] + [f"  {email:<32} {role}"
                                                                     for email, role in DEMO_ACCOUNTS]


@seeder(order=10)
def seed_people(world: dict) -> None:
    for handle, name, city, country, locale, skills, admin in PEOPLE:
        user = register_user(name=name, handle=handle, email=f"{handle}@example.org",
                             password=DEMO_PASSWORD, city=city, country=country,
                             skills=skills, locale=locale, is_admin=admin)
        world.setdefault("people", {})[handle] = user
        world["accounts"].append(user)
