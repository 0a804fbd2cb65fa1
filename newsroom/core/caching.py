"""
Cache headers for the public pages.

Every public page says that shared caches may keep it for ``PUBLIC_CACHE_MAX_AGE``
seconds (``Cache-Control: public, max-age=…``) and carries an ETag, so that a reader's
browser or a proxy that asks again with ``If-None-Match`` gets an empty 304. Pages
that know their version before rendering (an issue's page: the checksum of its frozen
content) set their own ETag and Last-Modified with ``condition`` and answer 304
without rendering; the others are given an ETag from their content.
"""

from functools import wraps

from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware

_conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def public_page(view):
    """Mark the responses of ``view`` cacheable by anyone, and answer revalidations."""

    @_conditional_get
    @wraps(view)
    def public_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(
                response, public=True, max_age=settings.PUBLIC_CACHE_MAX_AGE
            )
        return response

    return public_view
