"""/styleguide's sample data: every component of templates/_macros/ shown with made-up content, in the reader's
language. Nothing here reads the database."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from core.forms import choices

# The palette of static/css/app.css: (name, colour, text colour on it, contrast ratio with that text).
PALETTE = (
    ("primary", "#0f5f66", "#ffffff", "7.4:1"),
    ("primary-deep", "#0b4f55", "#ffffff", "9.3:1"),
    ("tint", "#e7f1f2", "#0f5f66", "6.4:1"),
    ("ink", "#1f2937", "#ffffff", "14.3:1"),
    ("muted", "#495057", "#ffffff", "8.2:1"),
    ("copper", "#a33c05", "#ffffff", "6.6:1"),
)
SPACING = (("1", ".25rem"), ("2", ".5rem"), ("3", "1rem"), ("4", "1.5rem"), ("5", "3rem"))
STATES = {"project": ("draft", "recruiting", "active", "delivered", "cancelled"),
          "milestone": ("planned", "submitted", "changes_requested", "accepted"),
          "application": ("pending", "accepted", "declined", "withdrawn")}


class SampleForm(FlaskForm):
    """A form as every page writes it: labels, help text, an error next to its field."""

    title = StringField(_l("Project title"), validators=[DataRequired(), Length(max=120)],
                        description=_l("What the project does, in a few words."))
    city = SelectField(_l("City"), choices=choices([("lyon", "Lyon"), ("montreal", "Montréal"), ("accra", "Accra")]))
    public = BooleanField(_l("Show on my public profile"))


def sample_form() -> SampleForm:
    form = SampleForm(formdata=None, meta={"csrf": False})
    form.title.errors = [_("Give the project a title.")]
    return form


def samples() -> dict:
    now = datetime.now(timezone.utc)
    people = [SimpleNamespace(id=i, name=name, initials=initials, avatar=None)
              for i, (name, initials) in enumerate((("Amara Diallo", "AD"), ("Lucas Martin", "LM"),
                                                     ("Priya Nair", "PN")))]
    notifications = [SimpleNamespace(id=1, read_at=None, created_at=now - timedelta(hours=2),
                                     text=_("Your application to “Open map of water points” was accepted.")),
                     SimpleNamespace(id=2, read_at=now, created_at=now - timedelta(days=3),
                                     text=_("A sponsor reviewed the milestone “First survey”."),
                                     quote=_("Clear and well documented: thank you."))]
    rows = [(_("First survey"), "accepted", now.date() - timedelta(days=20)),
            (_("Map published"), "submitted", now.date() + timedelta(days=10))]
    return {"palette": PALETTE, "spacing": SPACING, "states": STATES, "people": people,
            "notifications": notifications, "rows": rows, "form": sample_form()}
