"""Sponsor forms: register an organisation, manage members, offer or request a sponsorship."""
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, Email, InputRequired, Length, Optional

from core.forms import choices, lower_strip, strip
from sponsors import money

IN_KIND_LABELS = [("compute", _l("Compute")), ("data", _l("Data")), ("mentoring", _l("Mentoring")),
                  ("venue", _l("Venue")), ("other", _l("Other"))]


class OrganisationForm(FlaskForm):
    name = StringField(_l("Organisation name"), filters=[strip], validators=[InputRequired(), Length(min=2, max=120)])
    website = URLField(_l("Website"), filters=[strip], validators=[Optional(), URL(), Length(max=300)])
    contact_email = EmailField(_l("Contact email"), filters=[strip],
                               validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    description = TextAreaField(
        _l("Description"), filters=[strip], validators=[InputRequired(), Length(min=20, max=5000)],
        description=_l("What the organisation does and what it sponsors (at least 20 characters)."))
    logo = FileField(_l("Logo (optional)"), description=_l("A PNG, JPEG or WebP image of at most 1 MB."))
    remove_logo = BooleanField(_l("Remove the current logo"))

    def service_fields(self) -> dict:
        return {"name": self.name.data, "website": self.website.data, "description": self.description.data,
                "contact_email": self.contact_email.data, "logo": self.logo.data}


class InvitationForm(FlaskForm):
    """Invite someone by email; they join once they accept (an account is made with that address)."""

    email = EmailField(_l("Their email address"), filters=[lower_strip],
                       validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    role = SelectField(_l("Role"), choices=choices([("reviewer", _l("Reviewer")), ("admin", _l("Admin"))]))


class SponsorshipForm(FlaskForm):
    """Offer (organisation admins) or request (chapter leads) funding or in-kind help."""

    organisation = SelectField(_l("Organisation"), coerce=int, validators=[InputRequired()])
    kind = SelectField(_l("Kind of sponsorship"),
                       choices=choices([("funding", _l("Funding")), ("in_kind", _l("In-kind help"))]))
    amount = StringField(_l("Amount"), filters=[strip], validators=[Optional(), Length(max=30)],
                         description=LazyString(lambda: _("For funding: the amount in the currency below, written "
                                                           "like %(example)s.", example=money.example())))
    currency = StringField(_l("Currency"), filters=[strip], validators=[Optional(), Length(max=3)],
                           description=_l("For funding: the ISO 4217 code, such as EUR, USD or CAD."))
    in_kind_type = SelectField(_l("In-kind help"), choices=choices([("", _l("Not in-kind"))] + IN_KIND_LABELS),
                               validators=[Optional()])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=2000)],
                                description=_l("Required for in-kind help: what exactly is given or needed."))

    def service_fields(self) -> dict:
        return {"kind": self.kind.data, "amount": self.amount.data, "currency": (self.currency.data or "").upper(),
                "in_kind_type": self.in_kind_type.data or None, "description": self.description.data}
