"""The form that subscribes to webhooks."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import choices, strip
from webhooks.models import MAX_URL
from webhooks.services import EVENT_LABELS


class SubscriptionForm(FlaskForm):
    url = StringField(_l("Address (URL)"), filters=[strip],
                      validators=[InputRequired(message=_l("Enter the address that receives the events.")),
                                  Length(max=MAX_URL)],
                      description=_l("Where we POST each event, for example https://example.org/hooks/chapterhouse."))
    events = SelectMultipleField(_l("Events"), widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                 validators=[InputRequired(message=_l("Choose at least one event."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events.choices = choices(EVENT_LABELS.items())
