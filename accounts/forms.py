"""Account forms: registration, sign-in, profile, language."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from accounts.passwords import MIN_PASSWORD_LENGTH, password_problem
from core.forms import choices, CommaSeparatedField, CountryField, lower_strip, strip

HANDLE_PATTERN = r"^[a-z0-9][a-z0-9_-]{1,28}[a-z0-9]$"


class ProfileFields:
    """Fields shared by registration and profile editing."""

    name = StringField(_l("Full name"), filters=[strip], validators=[InputRequired(), Length(max=120)])
    city = StringField(_l("City"), filters=[strip], validators=[InputRequired(), Length(max=120)])
    country = CountryField(_l("Country"), validators=[InputRequired()], blank_label=_l("Choose a country"))
    skills = CommaSeparatedField(
        _l("Skills"), description=_l("Separate skills with commas, for example: bookkeeping, Python, copywriting."))


class RegisterForm(ProfileFields, FlaskForm):
    handle = StringField(
        _l("Handle"), filters=[lower_strip],
        description=_l("3 to 30 lowercase letters, digits, - or _. Your public page will be /u/<handle>."),
        validators=[InputRequired(), Length(min=3, max=30),
                    Regexp(HANDLE_PATTERN, message=_l("Use 3 to 30 lowercase letters, digits, - or _, "
                                                     "starting and ending with a letter or digit."))])
    email = EmailField(_l("Email"), filters=[lower_strip],
                       validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(_l("Password"), description=_l("At least 10 characters."),
                             validators=[InputRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    confirm = PasswordField(_l("Repeat password"),
                            validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))])
    submit = SubmitField(_l("Create account"))

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "", email=self.email.data or "", handle=self.handle.data or "",
                                   name=self.name.data or "")
        if problem:
            raise ValidationError(problem)



class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[lower_strip], validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class ProfileForm(ProfileFields, FlaskForm):
    bio = TextAreaField(_l("About you"), filters=[strip], validators=[Optional(), Length(max=2000)])
    locale = SelectField(_l("Language"), choices=choices([("en", "English"), ("fr", "Français")]))
    profile_hidden = BooleanField(_l("Hide my public profile"))
    avatar = FileField(_l("Photo (optional)"), render_kw={"accept": "image/png,image/jpeg,image/webp"},
                       description=_l("A PNG, JPEG or WebP photo of at most 8 MB, cropped to a square. Without "
                                      "one, your initials are shown."))
    remove_avatar = BooleanField(_l("Remove my photo"))
    submit = SubmitField(_l("Save profile"))


class SearchUsersForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name, handle or email"), filters=[strip], validators=[Optional(), Length(max=120)])


CHANNEL_LABELS = (("app", _l("In the app only")), ("email", _l("By email, right away")),
                  ("digest", _l("In one daily digest email")))


class NotificationPreferencesForm(FlaskForm):
    """One choice per kind of notification; the fields are added by `for_kinds`."""

    submit = SubmitField(_l("Save preferences"))

    @staticmethod
    def field_name(kind: str) -> str:
        return "kind_" + kind.replace(".", "_")

    @classmethod
    def for_kinds(cls, kinds, **kwargs) -> "NotificationPreferencesForm":
        form_class = type("NotificationPreferencesForm", (cls,), {
            cls.field_name(kind.name): SelectField(kind.label, choices=choices(CHANNEL_LABELS),
                                                   validators=[InputRequired()])
            for kind in kinds})
        form = form_class(**kwargs)
        form.kinds = list(kinds)
        return form

    def choices_by_kind(self) -> dict[str, str]:
        return {kind.name: self[self.field_name(kind.name)].data for kind in self.kinds}


class UnsubscribeForm(FlaskForm):
    """The confirmation button; the signed token in the URL is the credential, so no CSRF token
    (mail clients post RFC 8058 one-click requests without one)."""

    class Meta:
        csrf = False

    submit = SubmitField(_l("Unsubscribe"))


class NewPasswordFields:
    """A new password typed twice; whether it is too easy to guess is the service's answer (it knows the
    account's email, handle and name)."""

    password = PasswordField(_l("New password"), description=_l("At least 10 characters."),
                             validators=[InputRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))])


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[lower_strip],
                       validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(NewPasswordFields, FlaskForm):
    submit = SubmitField(_l("Save the new password"))


class ChangePasswordForm(NewPasswordFields, FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=200)])
    submit = SubmitField(_l("Change password"))


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New email address"), filters=[lower_strip],
                       validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=200)])
    submit = SubmitField(_l("Send a confirmation link"))


class ButtonForm(FlaskForm):
    """A form that is only a button (with its CSRF token): confirm a new address, sign out everywhere."""

    submit = SubmitField(_l("Confirm"))


class TwoFactorCodeForm(FlaskForm):
    code = StringField(_l("Code"), filters=[strip], description=_l("The 6 digits your authenticator app shows now, "
                                                                   "or one of your recovery codes."),
                       validators=[InputRequired(), Length(max=20)])


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=200)])
