import pytest
from sqlalchemy.exc import IntegrityError

from chapters.models import ChapterMembership
from core.extensions import db
from tests.factories import make_chapter


def test_foreign_keys_are_enforced_on_every_database(app):
    chapter = make_chapter()
    db.session.add(ChapterMembership(chapter_id=chapter.id, user_id=987654, role="member"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
