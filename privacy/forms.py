"""The form that deletes one's own account."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import InputRequired, Length


class DeleteAccountForm(FlaskForm):
    current_password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=200)])
    revoke_credentials = BooleanField(_l("Also revoke the credentials I was awarded (verifiers will then see them "
                                         "as revoked)"))
    confirm = BooleanField(_l("I understand that this cannot be undone"),
                           validators=[InputRequired(message=_l("Tick this box to confirm."))])
