"""Project forms: the project itself, discovery filters, applications, team, milestones, deliverables."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (DateField, SelectField, SelectMultipleField, StringField, TextAreaField,
                     URLField)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core import vocabularies
from core.forms import CommaSeparatedField, CountryField, CoverFields, FastSelectField, choices, strip
from core.integers import BoundedIntegerField
from projects.models import MAX_COMPETENCIES, PROJECT_STATES
from projects.sdg import SDG_NAMES


def sdg_choices():
    return choices((str(number), f"{number}. {name}") for number, name in SDG_NAMES.items())


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def offer_competencies(form) -> None:
    """Fill the form's `competencies` checkboxes with the framework's, grouped by area for the template."""
    form.competency_groups = vocabularies.grouped("competency")
    form.competencies.choices = [choice for _, group in form.competency_groups for choice in group]


def check_competencies(field, limit: int) -> None:
    """Competencies chosen from the list, at most `limit` of them."""
    known = {code for code, _ in field.choices}
    if any(code not in known for code in field.data or []):
        raise ValidationError(_l("Choose competencies from the list."))
    if len(set(field.data or [])) > limit:
        raise ValidationError(_l("Choose at most %(count)d competencies.", count=limit))


class ProjectForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip], validators=[InputRequired(), Length(min=5, max=160)])
    summary = TextAreaField(_l("Summary"), filters=[strip], validators=[InputRequired(), Length(max=1000)],
                            description=_l("Two or three sentences shown in project lists."))
    problem = TextAreaField(_l("Problem statement"), filters=[strip], validators=[Optional(), Length(max=5000)],
                            description=_l("What problem does the project solve, and for whom?"))
    skills = CommaSeparatedField(_l("Required skills"),
                                 description=_l("Separate skills with commas, for example: Python, copywriting."))
    learning_outcomes = TextAreaField(_l("Learning outcomes"), filters=[strip],
                                      validators=[Optional(), Length(max=3000)],
                                      description=_l("One per line: what members will learn by doing this project."))
    sdgs = CheckboxesField(_l("Impact areas (UN Sustainable Development Goals)"), coerce=int)
    # Codes of the learning framework (a vocabulary the learning package provides), checked below and again
    # by the service; the template lists them by area (competency_groups).
    competencies = CheckboxesField(_l("Business competencies practised"), validate_choice=False,
                                   description=_l("Choose at most %(count)d: the business skills members "
                                                  "practise by doing this project.", count=MAX_COMPETENCIES))
    team_min = BoundedIntegerField(_l("Minimum team size"), default=2, minimum=1, maximum=50,
                                   validators=[InputRequired(), NumberRange(min=1, max=50)])
    team_max = BoundedIntegerField(_l("Maximum team size"), default=6, minimum=1, maximum=50,
                                   validators=[InputRequired(), NumberRange(min=1, max=50)])
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sdgs.choices = sdg_choices()
        offer_competencies(self)

    def validate_competencies(self, field):
        check_competencies(field, MAX_COMPETENCIES)

    def validate_skills(self, field):
        if len(field.data) > 20 or any(len(name) > 60 for name in field.data):
            raise ValidationError(_l("List at most 20 skills of at most 60 characters each."))

    def validate_team_max(self, field):
        if self.team_min.data and field.data and field.data < self.team_min.data:
            raise ValidationError(_l("The maximum must be at least the minimum."))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date must be after the start date."))

    def service_fields(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "title", "summary", "problem", "learning_outcomes", "team_min", "team_max", "start_date",
            "end_date", "skills")} | {"sdgs": self.sdgs.data or [], "competencies": self.competencies.data or []}


class ProjectEditForm(CoverFields, ProjectForm):
    """Editing a project adds its cover picture to what was drafted."""

    def service_fields(self) -> dict:
        return super().service_fields() | self.cover_fields()


# How /projects/ may be sorted ("" is the default: recruiting first, then by how alive, newest first).
SORT_CHOICES = (("", _l("Recruiting first")), ("newest", _l("Newest")), ("starting", _l("Starting soon")),
                ("places", _l("Most places left")))


class DiscoveryForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), filters=[strip], validators=[Optional(), Length(max=100)])
    skill = FastSelectField(_l("Skill"), validators=[Optional()])
    sdg = FastSelectField(_l("Impact area"), validators=[Optional()])
    status = FastSelectField(_l("Status"), validators=[Optional()])
    competency = SelectField(_l("Business competency"), validators=[Optional()])
    # Typed, not chosen from a list: a list of every chapter would be a thousand options on every page, and a
    # list of one country's chapters asked for a country first. A chapter's address (slug) still works.
    chapter = StringField(_l("Chapter or city"), filters=[strip], validators=[Optional(), Length(max=80)],
                          description=_l("The start of a chapter's name or of its city."))
    country = CountryField(_l("Country"), validators=[Optional()], blank_label=_l("Any country"))
    sort = FastSelectField(_l("Sort by"), validators=[Optional()], choices=choices(SORT_CHOICES))

    def __init__(self, formdata, skills: list[tuple[str, str]], status_labels: dict):
        super().__init__(formdata)
        self.skill.choices = choices([("", _l("Any skill"))] + skills)
        self.sdg.choices = choices([("", _l("Any impact area"))]) + sdg_choices()
        self.competency.choices = {None: [("", _l("Any competency"))]} | dict(vocabularies.grouped("competency"))
        self.status.choices = choices([("", _l("Any status"))] + [
            (state, status_labels[state]) for state in PROJECT_STATES if state != "draft"])

    def filters(self) -> dict:
        """The chosen filters, empty ones left out."""
        chosen = {name: self[name].data for name in ("q", "skill", "status", "chapter", "country", "competency",
                                                     "sort") if self[name].data}
        if self.sdg.data:
            chosen["sdg"] = int(self.sdg.data)
        return chosen


class ApplicationForm(FlaskForm):
    motivation = TextAreaField(_l("Why do you want to join?"), filters=[strip],
                               validators=[InputRequired(), Length(min=20, max=3000)],
                               description=_l("What you bring and what you want to learn (at least 20 characters)."))
    portfolio_url = URLField(_l("Portfolio link (optional)"), filters=[strip],
                             validators=[Optional(), URL(require_tld=True), Length(max=500)])


class DecisionForm(FlaskForm):
    message = TextAreaField(_l("Message to the applicant (optional)"), filters=[strip],
                            validators=[Optional(), Length(max=2000)])


class TeamRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices([("contributor", _l("Contributor")),
                                                    ("task_lead", _l("Task lead")), ("mentor", _l("Mentor"))]))


class JoinTeamForm(FlaskForm):
    """A lead of the project's chapter joins its team directly (core/authz.py project.join)."""
    role = SelectField(_l("Join as"), choices=choices([("contributor", _l("Contributor")), ("mentor", _l("Mentor"))]))


class MilestoneForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip], validators=[InputRequired(), Length(max=160)])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=3000)])
    due_date = DateField(_l("Due date"), validators=[InputRequired()])

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project  # its start and end bound the due date (the service checks again)

    def validate_due_date(self, field):
        problem = self.project.due_date_problem(field.data) if self.project is not None else None
        if problem:
            raise ValidationError(problem)


class SubmissionForm(FlaskForm):
    note = TextAreaField(_l("Note"), filters=[strip], validators=[InputRequired(), Length(max=5000)],
                         description=_l("What you deliver and how to review it."))
    link = URLField(_l("Link (optional)"), filters=[strip],
                    validators=[Optional(), URL(require_tld=True), Length(max=500)])
    file = FileField(_l("File (optional)"),
                     description=_l("At most 10 MB: pdf, png, jpg, csv, zip, ipynb, md or txt."))


class ReviewForm(FlaskForm):
    # Filled by the view with the capacities the reviewer has ("" = as the chapter's lead); the service
    # checks the choice against the permission table.
    reviewing_for = SelectField(_l("You review"), choices=[], validate_choice=False)
    comment = TextAreaField(_l("Comment"), filters=[strip], validators=[Optional(), Length(max=5000)],
                            description=_l("Required when you request changes."))
