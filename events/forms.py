"""Event forms: the event itself, an answer, attendance, and the member's calendar settings."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, RadioField, StringField, TextAreaField, URLField
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional, ValidationError

from core.forms import FastSelectField, choices, strip
from core.integers import BoundedIntegerField
from events import timezones
from events.models import MAX_COMPETENCIES
from projects.forms import CheckboxesField, check_competencies, offer_competencies

KIND_LABELS = [("workshop", _l("Workshop")), ("meetup", _l("Meetup")), ("fireside_chat", _l("Fireside chat")),
               ("demo_day", _l("Demo day"))]
MODE_LABELS = [("in_person", _l("In person")), ("online", _l("Online"))]


def zone_choices(blank_label=None):
    blank = [("", blank_label)] if blank_label is not None else []
    return choices(blank + [(name, name.replace("_", " ")) for name in timezones.zone_names()])


class EventForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip], validators=[InputRequired(), Length(min=5, max=160)])
    kind = FastSelectField(_l("Kind of event"), choices=choices(KIND_LABELS))
    description = TextAreaField(_l("Description"), filters=[strip], validators=[InputRequired(), Length(max=5000)],
                                description=_l("What happens, for whom, and what to bring."))
    mode = RadioField(_l("Where"), choices=choices(MODE_LABELS), default="in_person")
    address = StringField(_l("Address"), filters=[strip], validators=[Optional(), Length(max=300)],
                          description=_l("For an event in person."))
    online_url = URLField(_l("Online link"), filters=[strip], validators=[Optional(), URL(), Length(max=500)],
                          description=_l("For an online event: shown only to the members going."))
    timezone = FastSelectField(_l("Time zone"), description=_l("The start and end are in this time zone."))
    starts_local = DateTimeLocalField(_l("Starts"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    ends_local = DateTimeLocalField(_l("Ends"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    capacity = BoundedIntegerField(_l("Places"), default=20, minimum=1, maximum=10000,
                                   validators=[InputRequired(), NumberRange(min=1, max=10000)],
                                   description=_l("Past this number, members join a waiting list."))
    competencies = CheckboxesField(_l("Business competencies covered (workshops)"), validate_choice=False,
                                   description=_l("Choose at most %(count)d.", count=MAX_COMPETENCIES))

    presenting = CheckboxesField(_l("Projects presenting (demo days)"), coerce=int, validate_choice=False,
                                 description=_l("Active or delivered projects of the chapter."))

    def __init__(self, *args, projects=(), **kwargs):
        """`projects`: (id, title) of the chapter's projects that may present, found by the view."""
        super().__init__(*args, **kwargs)
        self.presenting.choices = list(projects)
        self.timezone.choices = zone_choices()
        offer_competencies(self)

    def validate_competencies(self, field):
        check_competencies(field, MAX_COMPETENCIES)

    def validate_ends_local(self, field):
        if field.data and self.starts_local.data and field.data <= self.starts_local.data:
            raise ValidationError(_l("The event must end after it starts."))

    def service_fields(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "title", "kind", "description", "mode", "address", "online_url", "timezone", "starts_local",
            "ends_local", "capacity")} | {"competencies": self.competencies.data or [],
                                             "presenting": self.presenting.data or []}


class AnswerForm(FlaskForm):
    answer = RadioField(_l("Your answer"), choices=choices([("going", _l("Going")), ("not_going", _l("Not going"))]),
                        validators=[InputRequired()])


class AttendanceForm(FlaskForm):
    """The ids of the members who attended arrive as `attended` checkboxes (checked by the service)."""

    attended = CheckboxesField(_l("Attended"), coerce=int, validate_choice=False)


class CalendarForm(FlaskForm):
    timezone = FastSelectField(_l("Your time zone"), validators=[Optional()],
                               description=_l("Event pages show times in the event's zone and in yours."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices(_l("The event's own time zone"))
