"""
The page shown when django-axes refuses a login (see AXES_* in settings): what
happened, how long to wait, and who can lift the lock sooner.
"""

import math

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """Answer a login refused after too many wrong passwords (429)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    wait = settings.AXES_COOLOFF_TIME.total_seconds()
    return render(
        request,
        "registration/locked_out.html",
        {
            "username": username,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": math.ceil(wait / 60),
        },
        status=429,
    )
