import datetime
import math

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from issues.suggestions.forms import SuggestionForm
from issues.suggestions.services import TooManySuggestions, submit_suggestion
from newsroom.core.clients import client_address

TEMPLATE = "issues/suggestion_form.html"


# The form carries a CSRF token of its own: no shared cache may keep a copy.
@never_cache
def suggest(request):
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": SuggestionForm()})
    form = SuggestionForm(request.POST)
    if form.is_from_a_bot:
        # Looks like success to the bot; nothing is kept.
        return redirect("suggest_thanks")
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form})
    try:
        submit_suggestion(
            **form.suggestion_data, sender_address=client_address(request.META)
        )
    except TooManySuggestions as refusal:
        context = {"form": form, "refusal": str(refusal)}
        response = render(request, TEMPLATE, context, status=429)
        response["Retry-After"] = seconds_until(refusal.retry_at)
        return response
    except ValidationError as error:
        # What the model refuses and the form let through: said beside the field.
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return render(request, TEMPLATE, {"form": form})
    return redirect("suggest_thanks")


def seconds_until(moment: datetime.datetime) -> str:
    """Whole seconds from now until ``moment``, at least one: a Retry-After value."""
    return str(max(1, math.ceil((moment - timezone.now()).total_seconds())))


def suggest_thanks(request):
    return render(request, "issues/suggestion_thanks.html")
