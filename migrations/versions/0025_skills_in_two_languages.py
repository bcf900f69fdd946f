"""Skills in two languages (a French name and its slug, filled from the catalogue; a skill stored under its
French slug joins its code); an index for the newest projects first

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-29 06:34:01.374521

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


# accounts/skill_catalogue.py as it was when this migration was written: code → (English, French).
CATALOGUE = {
    'accessibility': ('Accessibility', 'Accessibilité'),
    'accounting': ('Accounting', 'Comptabilité générale'),
    'bookkeeping': ('Bookkeeping', 'Comptabilité'),
    'branding': ('Branding', 'Image de marque'),
    'budgeting': ('Budgeting', 'Budgétisation'),
    'community-management': ('Community management', 'Animation de communauté'),
    'copywriting': ('Copywriting', 'Rédaction publicitaire'),
    'customer-research': ('Customer research', 'Études clients'),
    'data-analysis': ('Data analysis', 'Analyse de données'),
    'event-planning': ('Event planning', "Organisation d'événements"),
    'facilitation': ('Facilitation', "Animation d'ateliers"),
    'fundraising': ('Fundraising', 'Collecte de fonds'),
    'graphic-design': ('Graphic design', 'Design graphique'),
    'illustration': ('Illustration', 'Illustration'),
    'interviewing': ('Interviewing', "Conduite d'entretiens"),
    'javascript': ('JavaScript', 'JavaScript'),
    'legal-research': ('Legal research', 'Recherche juridique'),
    'mapping': ('Mapping', 'Cartographie'),
    'marketing': ('Marketing', 'Marketing'),
    'negotiation': ('Negotiation', 'Négociation'),
    'photography': ('Photography', 'Photographie'),
    'pricing': ('Pricing', 'Tarification'),
    'project-management': ('Project management', 'Gestion de projet'),
    'public-speaking': ('Public speaking', 'Prise de parole en public'),
    'python': ('Python', 'Python'),
    'sales': ('Sales', 'Vente'),
    'seo': ('SEO', 'Référencement'),
    'social-media': ('Social media', 'Réseaux sociaux'),
    'spreadsheets': ('Spreadsheets', 'Tableurs'),
    'translation': ('Translation', 'Traduction'),
    'ux-design': ('UX design', 'Design UX'),
    'user-research': ('User research', 'Recherche utilisateur'),
    'video-editing': ('Video editing', 'Montage vidéo'),
    'web-design': ('Web design', 'Conception web'),
    'web-development': ('Web development', 'Développement web'),
    'writing': ('Writing', 'Rédaction'),
    'content-strategy': ('Content strategy', 'Stratégie de contenu'),
    'data-engineering': ('Data engineering', 'Ingénierie des données'),
    'data-visualisation': ('Data visualisation', 'Visualisation de données'),
    'devops': ('DevOps', 'DevOps'),
    'grant-writing': ('Grant writing', 'Rédaction de demandes de subvention'),
    'machine-learning': ('Machine learning', 'Apprentissage automatique'),
    'mobile-development': ('Mobile development', 'Développement mobile'),
    'operations': ('Operations', 'Opérations'),
    'product-management': ('Product management', 'Gestion de produit'),
    'qa-testing': ('QA testing', 'Tests qualité'),
    'research': ('Research', 'Recherche'),
    'security': ('Security', 'Sécurité'),
    'statistics': ('Statistics', 'Statistiques'),
    'training': ('Training', 'Formation'),
    'wordpress': ('WordPress', 'WordPress'),
}


def skill_slug(name):  # accounts.services.skill_slug
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9+#.]+", "-", ascii_name.lower()).strip("-") or name.casefold()


LINKS = (("user_skill", "user_id"), ("project_skill", "project_id"))


def _name_skills_in_both_languages():
    """Each catalogue skill gets its names in both languages; a skill stored under the slug of a French name
    (typed in French before) becomes that code's skill, or joins it when both exist (its people and projects
    move over, none counted twice)."""
    bind = op.get_bind()
    skill = sa.table("skill", sa.column("id"), sa.column("slug"), sa.column("name"), sa.column("name_fr"),
                     sa.column("slug_fr"))
    for code, (english, french) in CATALOGUE.items():
        french_slug = skill_slug(french)[:60]
        coded = bind.scalar(sa.select(skill.c.id).where(skill.c.slug == code))
        typed = bind.scalar(sa.select(skill.c.id).where(skill.c.slug == french_slug)) if french_slug != code else None
        if typed is not None and coded is None:
            bind.execute(skill.update().where(skill.c.id == typed).values(slug=code))
        elif typed is not None:
            for table, owner in LINKS:
                bind.execute(sa.text(
                    f"DELETE FROM {table} WHERE skill_id = :typed AND {owner} IN "
                    f"(SELECT {owner} FROM {table} WHERE skill_id = :coded)"), {"typed": typed, "coded": coded})
                bind.execute(sa.text(f"UPDATE {table} SET skill_id = :coded WHERE skill_id = :typed"),
                             {"typed": typed, "coded": coded})
            bind.execute(skill.delete().where(skill.c.id == typed))
        bind.execute(skill.update().where(skill.c.slug == code)
                     .values(name=english, name_fr=french, slug_fr=french_slug))


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index('ix_project_created', ['created_at', 'id'], unique=False)

    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_fr', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('slug_fr', sa.String(length=60), nullable=True))
        batch_op.create_index(batch_op.f('ix_skill_slug_fr'), ['slug_fr'], unique=False)

    # ### end Alembic commands ###
    _name_skills_in_both_languages()


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_slug_fr'))
        batch_op.drop_column('slug_fr')
        batch_op.drop_column('name_fr')

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index('ix_project_created')

    # ### end Alembic commands ###
