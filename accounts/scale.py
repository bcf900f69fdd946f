"""Scale data for accounts: skills and members living in many cities, each with a few skills."""
from __future__ import annotations

import click
from werkzeug.security import generate_password_hash

from core.scale import World, scale_generator
from accounts.services import skill_slug
from accounts.skill_catalogue import CATALOGUE
from core.slugs import slugify

SCALE_PASSWORD = "scale-password-1"

# (city, country, weight): members and chapters are spread over these, big cities more.
CITIES = [
    ("Lagos", "NG", 6), ("Nairobi", "KE", 5), ("Accra", "GH", 4), ("Dakar", "SN", 3), ("Kigali", "RW", 2),
    ("Cairo", "EG", 5), ("Casablanca", "MA", 3), ("Tunis", "TN", 2), ("Johannesburg", "ZA", 4),
    ("Cape Town", "ZA", 3), ("Abidjan", "CI", 3), ("Kampala", "UG", 2), ("Addis Ababa", "ET", 3),
    ("London", "GB", 6), ("Manchester", "GB", 3), ("Dublin", "IE", 2), ("Paris", "FR", 6), ("Lyon", "FR", 3),
    ("Marseille", "FR", 2), ("Berlin", "DE", 5), ("Hamburg", "DE", 2), ("Munich", "DE", 2),
    ("Amsterdam", "NL", 3), ("Brussels", "BE", 2), ("Madrid", "ES", 4), ("Barcelona", "ES", 4),
    ("Lisbon", "PT", 3), ("Rome", "IT", 3), ("Milan", "IT", 3), ("Vienna", "AT", 2), ("Zurich", "CH", 2),
    ("Warsaw", "PL", 3), ("Prague", "CZ", 2), ("Budapest", "HU", 2), ("Bucharest", "RO", 2),
    ("Athens", "GR", 2), ("Stockholm", "SE", 2), ("Copenhagen", "DK", 2), ("Oslo", "NO", 1),
    ("Helsinki", "FI", 1), ("Istanbul", "TR", 5), ("Kyiv", "UA", 3), ("Tallinn", "EE", 1),
    ("Montréal", "CA", 4), ("Toronto", "CA", 5), ("Vancouver", "CA", 3), ("New York", "US", 6),
    ("Chicago", "US", 3), ("Austin", "US", 3), ("San Francisco", "US", 4), ("Seattle", "US", 2),
    ("Atlanta", "US", 2), ("Mexico City", "MX", 5), ("Guadalajara", "MX", 2), ("Bogotá", "CO", 4),
    ("Medellín", "CO", 2), ("Lima", "PE", 3), ("Santiago", "CL", 3), ("Buenos Aires", "AR", 4),
    ("São Paulo", "BR", 6), ("Rio de Janeiro", "BR", 4), ("Recife", "BR", 2), ("Mumbai", "IN", 6),
    ("Bengaluru", "IN", 6), ("Delhi", "IN", 5), ("Pune", "IN", 3), ("Chennai", "IN", 3), ("Dhaka", "BD", 4),
    ("Karachi", "PK", 4), ("Lahore", "PK", 3), ("Colombo", "LK", 2), ("Kathmandu", "NP", 2),
    ("Jakarta", "ID", 5), ("Manila", "PH", 5), ("Cebu", "PH", 2), ("Ho Chi Minh City", "VN", 4),
    ("Hanoi", "VN", 3), ("Bangkok", "TH", 4), ("Kuala Lumpur", "MY", 3), ("Singapore", "SG", 3),
    ("Seoul", "KR", 4), ("Tokyo", "JP", 4), ("Taipei", "TW", 2), ("Sydney", "AU", 3), ("Melbourne", "AU", 3),
    ("Auckland", "NZ", 2), ("Beirut", "LB", 2), ("Amman", "JO", 2), ("Dubai", "AE", 3),
]

SKILLS = [
    "Accessibility", "Accounting", "Bookkeeping", "Branding", "Community management", "Content strategy",
    "Copywriting", "Data analysis", "Data engineering", "Data visualisation", "DevOps", "Facilitation",
    "Fundraising", "Grant writing", "Illustration", "JavaScript", "Legal research", "Machine learning",
    "Mapping", "Marketing", "Mobile development", "Photography", "Pricing", "Product management",
    "Project management", "Python", "Public speaking", "QA testing", "Research", "SEO", "Security",
    "Social media", "Statistics", "Translation", "Training", "User research", "UX design", "Video editing",
    "Web design", "WordPress",
]

FIRST_NAMES = [
    "Ada", "Adebayo", "Aiko", "Alejandro", "Amara", "Ana", "Ananya", "Arjun", "Aylin", "Bruno", "Camille",
    "Chen", "Chidi", "Clara", "Daniel", "Dara", "Elena", "Emeka", "Fatima", "Felix", "Grace", "Hana",
    "Hugo", "Ines", "Isaac", "Jamal", "Jia", "Jonas", "Kofi", "Laila", "Leila", "Lucas", "Lucia", "Mai",
    "Malik", "Maria", "Mateo", "Mei", "Nadia", "Noah", "Nora", "Olga", "Omar", "Pablo", "Priya", "Rahul",
    "Rosa", "Sara", "Sofia", "Tariq", "Thanh", "Tom", "Valentina", "Wanjiru", "Yara", "Yusuf", "Zainab",
]
LAST_NAMES = [
    "Abebe", "Adeyemi", "Almeida", "Banerjee", "Becker", "Costa", "Diallo", "Dubois", "Fernandes", "Garcia",
    "Gonzalez", "Haddad", "Hassan", "Ivanova", "Kamau", "Kim", "Kowalski", "Lee", "Lopez", "Martin",
    "Mensah", "Moreau", "Nguyen", "Novak", "Okafor", "Olsen", "Park", "Patel", "Rossi", "Santos", "Sato",
    "Schmidt", "Silva", "Singh", "Tanaka", "Torres", "Wang", "Williams", "Yilmaz", "Zhang",
]
BIOS = [
    "Freelance {skill} specialist who likes small teams and clear scopes.",
    "I help non-profits with {skill}; learning pricing and contracts along the way.",
    "Independent since {year}; {skill} by day, volunteering on weekends.",
    "Career changer moving into {skill}, looking for real projects to learn on.",
]


def password_hash() -> str:
    """One hash of SCALE_PASSWORD with the production method, computed once and shared by every member:
    hashing 100,000 passwords at a deliberately slow cost would take over an hour, and sign-in still
    checks it at its real cost."""
    return generate_password_hash(SCALE_PASSWORD)


@scale_generator(order=10, label="Members", members=100_000)
def generate_members(world: World) -> None:
    rng, size = world.rng, world.sizes["members"]
    if size < 10:
        raise click.UsageError("A scale data set needs at least 10 members (--members).")
    skills = [{"id": n, "slug": slugify(name), "name": name, "name_fr": CATALOGUE.get(slugify(name), (None, None))[1],
               "slug_fr": skill_slug(CATALOGUE[slugify(name)][1]) if slugify(name) in CATALOGUE else None}
              for n, name in enumerate(SKILLS, start=1)]
    world.insert("skill", skills)
    cities = [(city, country) for city, country, _ in CITIES]
    weights = [weight for _, _, weight in CITIES]
    homes = rng.choices(range(len(cities)), weights=weights, k=size)
    hashed = password_hash()
    names = [("Ada", "Admin")] + [(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)) for _ in range(size - 1)]
    handles = ["admin"] + [f"{first}{last}{n}".lower() for n, (first, last) in enumerate(names[1:], start=2)]

    def users():
        for user_id in range(1, size + 1):
            (first, last), handle = names[user_id - 1], handles[user_id - 1]
            city, country = cities[homes[user_id - 1]]
            yield {"id": user_id, "email": f"{handle}@example.org", "handle": handle,
                   "name": f"{first} {last}", "password_hash": hashed,
                   "bio": rng.choice(BIOS).format(skill=rng.choice(SKILLS).lower(), year=rng.randint(2012, 2025)),
                   "city": city, "country": country, "locale": rng.choice(("en", "en", "fr")),
                   "is_admin": user_id == 1, "profile_hidden": user_id > 1 and rng.random() < 0.03, "suspended_at": None,
                   "created_at": (joined := world.ago(rng.uniform(30, 1500))), "email_verified_at": joined}

    world.insert("user", users())
    world.insert("user_skill", ({"user_id": user_id, "skill_id": skill_id}
                                for user_id in range(1, size + 1)
                                for skill_id in rng.sample(range(1, len(SKILLS) + 1), rng.randint(1, 4))))
    world.facts.update(users=size, handles=handles, homes=homes, cities=cities, city_weights=weights, skills=len(SKILLS),
                       password=SCALE_PASSWORD, sign_ins=[("admin@example.org", "platform admin")])
