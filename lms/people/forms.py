"""Forms of the people screens: the list filter, an account, a student's profile, the actions."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from lms.access import is_cluster_wide
from lms.core.fields import destructive, id_value
from lms.core.views import FREE_TEXT_MAX
from lms.people.services import PROFILE_FIELDS
from lms.users.models import LearnerType, Role, Settlement, Sex, YesNo
from lms.users.queries import years_before

# Older than this at the date of birth given is taken for a typing mistake, not a learner.
MAX_AGE_YEARS = 100
LANGUAGES = [("uk", "Українська"), ("en", "English")]
STATUSES = {
    "active": _l("Active"), "deactivated": _l("Deactivated"), "archived": _l("Archived students"),
    "all": _l("Everyone"),
}


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _blank_to_none(value):
    return value or None


class FilterForm(FlaskForm):
    """The list filter: a GET form, so it carries no CSRF token and can be bookmarked."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or e-mail"), filters=[_stripped],
                    validators=[Optional(), Length(max=FREE_TEXT_MAX)])
    center = SelectField(_l("Center"), choices=[], default="")
    role = SelectField(_l("Role"), choices=[("", _l("Any role"))] + Role.choices(), default="")
    status = SelectField(_l("Status"), choices=list(STATUSES.items()), default="active")
    submit = SubmitField(_l("Show"))


class AccountForm(FlaskForm):
    """The fields of an account; the role (and center) choices are set for the signed-in user."""

    full_name = StringField(_l("Full name"), filters=[_stripped],
                            validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), filters=[_stripped],
                       validators=[DataRequired(), Length(max=254), Email()])
    role = SelectField(_l("Role"), choices=[])
    center_id = SelectField(_l("Center"), choices=[], coerce=id_value)
    locale = SelectField(_l("Language"), choices=LANGUAGES, default="uk")


class ProfileFields(FlaskForm):
    """A student's profile: demographics (for the donor reports) and the guardian's consent."""

    date_of_birth = DateField(_l("Date of birth"), validators=[Optional()])
    sex = SelectField(_l("Sex"), choices=Sex.choices(), default=Sex.NOT_STATED.value)
    disability = SelectField(_l("Disability"), choices=YesNo.choices(),
                             default=YesNo.NOT_STATED.value)
    displaced = SelectField(_l("Internally displaced"), choices=YesNo.choices(),
                            default=YesNo.NOT_STATED.value)
    settlement = SelectField(_l("Settlement"), default="",
                             choices=[("", _l("Not stated"))] + Settlement.choices())
    learner_type = SelectField(_l("Learner"), choices=LearnerType.choices(),
                               default=LearnerType.OTHER.value)
    institution = StringField(_l("School or university"), filters=[_stripped, _blank_to_none],
                              validators=[Optional(), Length(max=200)])
    grade = StringField(_l("Grade or year"), filters=[_stripped, _blank_to_none],
                        validators=[Optional(), Length(max=40)])
    guardian_name = StringField(_l("Guardian's name"), filters=[_stripped, _blank_to_none],
                                validators=[Optional(), Length(max=200)])
    guardian_contact = StringField(_l("Guardian's phone or e-mail"),
                                   filters=[_stripped, _blank_to_none],
                                   validators=[Optional(), Length(max=200)])
    guardian_consent_on = DateField(_l("Guardian's consent given on"), validators=[Optional()],
                                    description=_l("Needed for students under 16."))

    def validate_date_of_birth(self, field) -> None:
        today = date.today()
        if field.data and field.data > today:
            raise ValidationError(_l("The date of birth cannot be in the future."))
        if field.data and field.data < years_before(today, MAX_AGE_YEARS):
            raise ValidationError(_l("Check the year: that is more than %(num)d years ago.",
                                     num=MAX_AGE_YEARS))

    def validate_guardian_consent_on(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(_l("The consent date cannot be in the future."))
        born = self.date_of_birth.data
        if field.data and born and field.data < born:
            raise ValidationError(_l("The consent date cannot be before the date of birth."))

    def profile_data(self) -> dict:
        """The profile's column values from the form."""
        data = {name: getattr(self, name).data for name in PROFILE_FIELDS}
        data["settlement"] = data["settlement"] or None  # "not stated" is stored as no value
        return data


class NewUserForm(AccountForm, ProfileFields):
    """A new account; the profile fields are used when the role is student."""

    submit = SubmitField(_l("Create and invite"))


class EditUserForm(AccountForm):
    submit = SubmitField(_l("Save"))


class ProfileForm(ProfileFields):
    submit = SubmitField(_l("Save the profile"))


def _action(label, confirm=None):
    class ActionForm(FlaskForm):
        submit = SubmitField(label, render_kw=destructive(confirm) if confirm else None)
    return ActionForm


ACTIONS = {
    "deactivate": _action(_l("Deactivate"),
                          _l("Deactivate this account? The person can no longer sign in.")),
    "reactivate": _action(_l("Reactivate")),
    "archive": _action(_l("Archive the student"),
                       _l("Archive this student? They leave the center's lists.")),
    "restore": _action(_l("Restore the student")),
    "invite": _action(_l("Send the invitation again")),
}


def action_forms(user) -> dict:
    """The action buttons that make sense for the account's state, by name."""
    names = ["deactivate" if user.is_active else "reactivate"]
    if user.profile is not None:
        names.append("restore" if user.profile.archived_at else "archive")
    if user.password_hash is None and user.is_active:
        names.append("invite")
    return {name: ACTIONS[name](prefix=name) for name in names}


def offer_roles(form: FlaskForm, roles) -> None:
    form.role.choices = [(role.value, role.label) for role in roles]


def offer_centers(form: FlaskForm, centers, actor) -> None:
    """Administrators choose a center; a head's accounts and list stay in their own center."""
    field = "center" if isinstance(form, FilterForm) else "center_id"
    if not is_cluster_wide(actor):
        delattr(form, field)
    elif field == "center":
        form.center.choices = [("", _l("All centers"))] + [(str(c.id), c.name) for c in centers]
    else:
        form.center_id.choices = [(0, _l("None (cluster administrator)"))] + [
            (c.id, c.name) for c in centers]


def account_data(form: AccountForm) -> dict:
    """The account's values from the form (no center field: the service decides)."""
    data = {name: form[name].data for name in ("full_name", "email", "role", "locale")}
    data["center_id"] = form.center_id.data if "center_id" in form else None
    return data


NOTE_MAX = 5000


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Note"), filters=[_stripped], validators=[DataRequired(), Length(max=NOTE_MAX)],
        render_kw={"rows": 3},
        description=_l("Visible to the mentors and the head of the student's center."))
    submit = SubmitField(_l("Add the note"))
