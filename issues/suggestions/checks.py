"""What the suggestion form's settings leave open, said at start-up."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def client_address_header_needs_trusted_proxies(app_configs, **kwargs):
    """A header named with no proxy to believe it from is ignored: say so."""
    if (
        settings.NEWSROOM_CLIENT_ADDRESS_HEADER
        and not settings.NEWSROOM_TRUSTED_PROXIES
    ):
        return [
            checks.Warning(
                "CLIENT_ADDRESS_HEADER is set, but TRUSTED_PROXIES names no proxy: "
                "the header is never read, and every suggestion counts against the "
                "address the connection comes from (behind a proxy, the proxy's, "
                "which all senders then share).",
                hint=(
                    "Set TRUSTED_PROXIES to the addresses or networks of the proxies "
                    "in front of Newsroom, e.g. 10.0.0.1 or 10.0.0.0/8; or unset "
                    "CLIENT_ADDRESS_HEADER if there is none."
                ),
                id="issues.W001",
            )
        ]
    return []
