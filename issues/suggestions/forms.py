from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.utils import timezone

from issues.models import Suggestion
from newsroom.core.dates import validate_kept_date
from newsroom.core.fields import SafeURLFormField

CONSENT_TEXT = (
    "I agree that the newsletter's editors may keep these details and contact me "
    "about this suggestion. They are not published and are used for nothing else."
)
SUMMARY_MAX_LENGTH = 5000
# The trap for bots. Its name is one no browser or password manager fills in by
# itself, so that a person's suggestion is never taken for a bot's.
HONEYPOT = "leave_empty"


def _max_length(name: str) -> int:
    return Suggestion._meta.get_field(name).max_length


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SuggestionForm(forms.Form):
    title = forms.CharField(
        max_length=_max_length("title"),
        help_text="A short headline, e.g. “Call for papers: health data workshop”.",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=SUMMARY_MAX_LENGTH,
        help_text=(
            "What it is, who it is for and what to do. Plain text: leave a blank "
            "line between paragraphs."
        ),
    )
    url = SafeURLFormField(
        label="Link",
        required=False,
        max_length=_max_length("url"),
        help_text="Where readers find out more, starting with https://.",
    )
    deadline = forms.DateField(
        required=False,
        widget=DateInput(),
        validators=[validate_kept_date],
        help_text="The last day to apply, register or submit, if there is one.",
    )
    event_date = forms.DateField(
        label="Date of the event",
        required=False,
        widget=DateInput(),
        validators=[validate_kept_date],
        help_text="If you are suggesting an event.",
    )
    contact_name = forms.CharField(
        label="Your name", max_length=_max_length("contact_name")
    )
    contact_email = forms.EmailField(
        label="Your e-mail address",
        max_length=_max_length("contact_email"),
        help_text="So that an editor can ask you about it.",
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": "Tick the box to agree, or we cannot take your suggestion."
        },
    )
    # Hidden from people and from assistive technology; bots fill in every field.
    leave_empty = forms.CharField(label="Leave this empty", required=False)

    REQUIRED_MESSAGES = {
        "title": "Give your suggestion a title.",
        "summary": "Tell us what you are suggesting.",
        "contact_name": "Give your name.",
        "contact_email": "Give your e-mail address.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                # The browser would cut a longer paste short without a word; the
                # server says how long it is instead, and keeps all of it.
                field.widget.attrs.pop("maxlength", None)
                field.error_messages["max_length"] = (
                    "Shorten this to %(limit_value)d characters or fewer "
                    "(it has %(show_value)d)."
                )
        self.fields["contact_email"].error_messages["invalid"] = (
            "Enter an e-mail address like name@example.org."
        )
        for name in ("deadline", "event_date"):
            self.fields[name].error_messages["invalid"] = (
                "Enter the date as day/month/year, e.g. 31/01/2025."
            )
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "Your suggestion", "title", "summary", "url", "deadline", "event_date"
            ),
            Fieldset("About you", "contact_name", "contact_email", "consent"),
            Div(
                Field(HONEYPOT, tabindex="-1", autocomplete="off"),
                css_class="visually-hidden",
                aria_hidden="true",
            ),
        )

    @property
    def is_from_a_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix(HONEYPOT), "").strip())

    @property
    def suggestion_data(self) -> dict:
        """The cleaned fields, as ``submit_suggestion`` takes them."""
        return {
            name: value for name, value in self.cleaned_data.items() if name != HONEYPOT
        }

    def _clean_future_date(self, name: str):
        value = self.cleaned_data.get(name)
        if value and value < timezone.localdate():
            raise forms.ValidationError(
                "This date has passed. Give a date from today on, or leave it empty."
            )
        return value

    def clean_deadline(self):
        return self._clean_future_date("deadline")

    def clean_event_date(self):
        return self._clean_future_date("event_date")

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())
