"""Mentoring forms: the offer, the list's filters, a request, the mentor's answer, a session, ending."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from core import vocabularies
from core.forms import CommaSeparatedField, FastSelectField, NoControlCharacters, choices, strip
from core.integers import BoundedIntegerField
from mentoring.models import MAX_CAPACITY, MAX_COMPETENCIES, MAX_SESSION_MINUTES, MAX_SKILLS
from projects.forms import CheckboxesField, check_competencies, offer_competencies


class OfferForm(FlaskForm):
    competencies = CheckboxesField(_l("Business competencies you mentor on"), validate_choice=False,
                                   description=_l("Choose at most %(count)d.", count=MAX_COMPETENCIES))
    skills = CommaSeparatedField(_l("Skills you mentor on"),
                                 description=_l("Separate skills with commas, for example: Python, copywriting."))
    capacity = BoundedIntegerField(_l("Monthly capacity (mentees at a time)"), default=2, minimum=1,
                                   maximum=MAX_CAPACITY, validators=[InputRequired()],
                                   description=_l("Requests beyond this number are refused until a place frees up."))
    bio = TextAreaField(_l("Short bio"), filters=[strip],
                        validators=[InputRequired(), Length(min=20, max=1000), NoControlCharacters()],
                        description=_l("Who you are as a mentor and how you like to work (20 to 1,000 characters)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_competencies(self)

    def validate_competencies(self, field):
        check_competencies(field, MAX_COMPETENCIES)

    def validate_skills(self, field):
        if len(field.data) > MAX_SKILLS or any(len(name) > 60 for name in field.data):
            raise ValidationError(_l("List at most %(count)d skills of at most 60 characters each.", count=MAX_SKILLS))

    def service_fields(self) -> dict:
        return {"competencies": self.competencies.data or [], "skills": self.skills.data or [],
                "capacity": self.capacity.data, "bio": self.bio.data}


class MentorFilterForm(FlaskForm):
    class Meta:
        csrf = False

    competency = SelectField(_l("Business competency"), validators=[Optional()])
    skill = FastSelectField(_l("Skill"), validators=[Optional()])
    chapter = StringField(_l("Chapter or city"), filters=[strip], validators=[Optional(), Length(max=80)],
                          description=_l("The start of a chapter's name or of its city."))
    available = BooleanField(_l("Only mentors with a place left"))

    def __init__(self, formdata, skills: list[tuple[str, str]]):
        super().__init__(formdata)
        self.skill.choices = choices([("", _l("Any skill"))] + skills)
        self.competency.choices = {None: [("", _l("Any competency"))]} | dict(vocabularies.grouped("competency"))


class RequestForm(FlaskForm):
    goal = TextAreaField(_l("Your goal"), filters=[strip],
                         validators=[InputRequired(message=_l("Say what you would like help with.")),
                                     Length(min=10, max=2000), NoControlCharacters()],
                         description=_l("What you would like help with, in a few sentences (the mentor reads it)."))


class AnswerForm(FlaskForm):
    decision = RadioField(_l("Your answer"), choices=choices([("accept", _l("Accept")), ("decline", _l("Decline"))]),
                          validators=[InputRequired()])
    message = TextAreaField(_l("Message to the member"), filters=[strip],
                            validators=[Length(max=2000), NoControlCharacters()],
                            description=_l("Required when you decline: a kind word on why."))

    def validate_message(self, field):
        if self.decision.data == "decline" and not field.data:
            raise ValidationError(_l("Say why you decline, in a few words."))


class SessionForm(FlaskForm):
    day = DateField(_l("Day of the session"), validators=[InputRequired(message=_l("Give the day of the session."))])
    minutes = BoundedIntegerField(_l("Length (minutes)"), minimum=-MAX_SESSION_MINUTES * 10,
                                  maximum=MAX_SESSION_MINUTES * 10, validators=[InputRequired()])
    notes = TextAreaField(_l("Private notes"), filters=[strip],
                          validators=[Optional(), Length(max=5000), NoControlCharacters()],
                          description=_l("Only the two of you read them."))


class EndForm(FlaskForm):
    reason = TextAreaField(_l("Reason (optional)"), filters=[strip], validators=[Optional(), Length(max=2000)])
