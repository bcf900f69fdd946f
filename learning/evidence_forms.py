"""Forms for learning evidence: a time entry and a reflection. Bounds are the services' answers."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired

from core.forms import strip
from learning.models import NOTE_MAX, REFLECTION_MAX, REFLECTION_MIN


class TimeEntryForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired()])
    hours = StringField(_l("Hours"), filters=[strip], validators=[InputRequired()],
                        description=_l("In decimal hours: 1.5 for an hour and a half; at most 24 a day."))
    note = StringField(_l("What you worked on"), filters=[strip], validators=[InputRequired()],
                       description=_l("A short note, at most %(count)d characters.", count=NOTE_MAX))

    def service_fields(self) -> dict:
        return {"day": self.day.data, "hours": self.hours.data, "note": self.note.data}


_BOUNDS = _l("Between %(low)d and %(high)d characters.", low=REFLECTION_MIN, high=REFLECTION_MAX)


class ReflectionForm(FlaskForm):
    did = TextAreaField(_l("What I did"), filters=[strip], description=_BOUNDS)
    learned = TextAreaField(_l("What I learned"), filters=[strip], description=_BOUNDS)
    differently = TextAreaField(_l("What I would do differently"), filters=[strip], description=_BOUNDS)

    def service_fields(self) -> dict:
        return {"did": self.did.data, "learned": self.learned.data, "differently": self.differently.data}


class VisibilityForm(FlaskForm):
    public = HiddenField()
