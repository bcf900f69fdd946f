"""The revocation form: the reason is required, and is published with the revocation."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from core.forms import ReasonForm, strip


class RevocationForm(ReasonForm):
    """A ReasonForm whose reason may not be left empty."""

    reason = TextAreaField(_l("Reason for revoking"), filters=[strip],
                           description=_l("Shown on the credential page and to anyone who verifies it."),
                           validators=[DataRequired(_l("Say why the credential is revoked.")), Length(max=2000)])
