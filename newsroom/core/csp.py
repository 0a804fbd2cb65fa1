"""
The Content-Security-Policy of the few views that need other than SECURE_CSP.

The e-mail is shown in ``<iframe srcdoc>``, which inherits the policy of the page
around it, and the e-mail is all inline styles (``style`` attributes and ``<style>``
blocks, as mail clients need them): the pages that show it allow inline styles, and
only those pages. A nonce beside 'unsafe-inline' would make browsers ignore
'unsafe-inline', so these pages name none. The iframes are sandboxed: nothing in the
e-mail can run a script, whatever the policy says.
"""

from django.conf import settings
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override


def policy(**directives: list[str]) -> dict[str, list[str]]:
    """SECURE_CSP with the given directives (``frame_ancestors=…``) replaced."""
    changes = {name.replace("_", "-"): values for name, values in directives.items()}
    return {**settings.SECURE_CSP, **changes}


def shows_email(view):
    """For a page that shows the e-mail in an iframe: inline styles allowed."""
    return csp_override(policy(style_src=[CSP.SELF, CSP.UNSAFE_INLINE]))(view)


def framed_by_admin(view):
    """For a page the admin shows in an iframe of its own: no scripts at all."""
    return csp_override(policy(frame_ancestors=[CSP.SELF], script_src=[CSP.NONE]))(view)
