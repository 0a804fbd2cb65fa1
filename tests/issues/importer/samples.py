"""
A newsletter as the HTML of an e-mail, written by hand the way mailers lay one out:
nested layout tables, a hidden preheader, headings, a bold deadline line, link-only
calls to action, an event, the team, social links and the mailer's footer.
"""

from urllib.parse import quote

SAFE_LINKS = "https://eur01.safelinks.protection.outlook.com/?url={}&data=05%7C02%7C0"


def safe_link(url: str) -> str:
    return SAFE_LINKS.format(quote(url, safe=""))


EMAIL_HTML = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Research Network – March 2025</title>
<style>td {{ font-family: Arial; }}</style></head>
<body>
<div style="display:none;max-height:0">
  Grants, a workshop and who is who this spring</div>
<table role="presentation" width="100%"><tr><td align="center">
<table role="presentation" width="600">
<tr><td><img src="https://assets-gbr.mkt.dynamics.com/org/images/banner?ts=1"
  alt="Research Network banner"></td></tr>
<tr><td><h1>The Research Network</h1></td></tr>
<tr><td><h2>March 2025</h2></td></tr>
<tr><td>
  <p>The Research Network brings together people who work with data in health.</p>
  <p>This month we welcome our new members.</p>
  <p>Forward this e-mail to colleagues: they can sign up
     <a href="{signup}">here</a>.</p>
</td></tr>
<tr><td><h2>News and opportunities</h2></td></tr>
<tr><td>
  <img src="https://assets-gbr.mkt.dynamics.com/org/images/news?ts=2" alt="">
</td></tr>
<tr><td>
  <h3>Seed grants for collaborations</h3>
  <p><strong>Application deadline:</strong> 20 November 2024</p>
  <p>Grants of up to &pound;10,000 for new projects &amp; pilot studies, see the
     <a href="{guidance}">guidance</a>.</p>
  <p><a href="{apply}">Apply here</a></p>
</td></tr>
<tr><td>
  <h3>A second item</h3>
  <p>Its only paragraph.&nbsp;</p>
  <p><a href="{tracker}">Read more</a></p>
</td></tr>
<tr><td><h2>Events</h2></td></tr>
<tr><td>
  <h3>Data linkage workshop</h3>
  <p><strong>14 March 2025</strong></p>
  <p>In this workshop held in Leeds, the Data Institute is bringing together
     analysts and clinicians.</p>
  <p><a href="https://events.example.org/linkage?utm_source=newsletter&amp;id=7"
    >Register here</a></p>
</td></tr>
<tr><td><h2>Our team</h2></td></tr>
<tr><td><ul>
  <li>Ada Lovelace, University of London, Network Lead</li>
  <li>Alan Turing, Manchester, Theme Lead</li>
</ul></td></tr>
<tr><td><h2>Connect with us</h2></td></tr>
<tr><td><p>Find us on our <a href="https://network.example.org/">website</a>.</p></td></tr>
<tr><td>
  <a href="https://www.linkedin.com/company/network/"
    ><img src="https://assets-gbr.mkt.dynamics.com/org/images/li" alt="LinkedIn"></a>
</td></tr>
<tr><td>Research Network, 1 High Street, Leeds LS1 1AA, United Kingdom</td></tr>
<tr><td><a
  href="https://public-gbr.mkt.dynamics.com/api/v1.0/orgs/org/consent/preferences"
  >Unsubscribe</a></td></tr>
<tr><td>&copy; The Research Network 2025</td></tr>
</table>
</td></tr></table>
</body>
</html>
"""

TRACKER = "https://click.mailer.example/track/click?u=abc&id=123"


def email_html(**links: str) -> str:
    defaults = {
        "signup": safe_link("https://network.example.org/signup?utm_medium=email"),
        "guidance": "https://grants.example.org/guidance#msdynmkt_trackingcontext=x",
        "apply": safe_link("https://grants.example.org/apply"),
        "tracker": TRACKER,
    }
    return EMAIL_HTML.format(**{**defaults, **links})
