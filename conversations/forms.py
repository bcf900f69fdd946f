"""The message form: the text is checked by the service (empty, length, control characters, mentions), so that
the same rules answer the page and any other door."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from conversations.models import MAX_MESSAGE_LENGTH


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), render_kw={"rows": 4, "maxlength": MAX_MESSAGE_LENGTH},
                         description=_l("Plain text; links become clickable. Mention someone in this "
                                        "conversation with @ and their handle to notify them."))
