"""
Cache headers for the public pages.

Every public page says that shared caches may keep it for ``PUBLIC_CACHE_MAX_AGE``
seconds (``Cache-Control: public, max-age=…``) and carries an ETag, so that a reader's
browser or a proxy that asks again with ``If-None-Match`` gets an empty 304. Pages
that know their version before rendering (an issue's page: the checksum of its frozen
content) set their own ETag and Last-Modified with ``condition`` and answer 304
without rendering; the others are given an ETag from their content.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
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


def address_key(kind: str, *parts: str) -> str:
    """
    The key under which the ``pages`` cache keeps what the address made of ``parts``
    names (an issue's: its publication and slug). Hashed: a guessed address can be of
    any length, and memcached refuses keys longer than 250 characters.
    """
    address = hashlib.sha256("/".join(parts).encode()).hexdigest()[:40]
    return f"{kind}:address:{address}"


def forget_address(kind: str, *parts: str) -> None:
    """
    Make this process read what the address names again on the next request, as after
    an erratum. Other processes do within ``PUBLIC_CACHE_MAX_AGE``, unless the
    ``pages`` cache is one they share.
    """
    caches["pages"].delete(address_key(kind, *parts))
