import datetime

from django.test import SimpleTestCase

from issues.importer.unwrap import LinkReport, safe_links_time, strip_tracking, unwrap

# One link of the reference issue, as readers received it: Outlook's safe links around
# the mailer's redirect around the real link.
WRAPPED = (
    "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fpublic-gbr.mkt."
    "dynamics.com%2Fapi%2Forgs%2Fcd69a60c-3e6e-41d1-9cc4-5dc606fed704%2Fr%2F2kZGWkapU0"
    "qh5We6LV6qOh4AAAA%3Ftarget%3D%257B%2522TargetUrl%2522%253A%2522https%25253A%25252F"
    "%25252Fuk.linkedin.com%25252Fshowcase%25252Fhealth-and-medical-sciences%25252F"
    "%2522%252C%2522RedirectOptions%2522%253A%257B%25225%2522%253Anull%257D%257D%26"
    "digest%3Dx&data=05%7C02%7Cv%7C0%7C638675253447307073%7CUnknown&reserved=0"
)


class UnwrapTests(SimpleTestCase):
    def test_safe_links_and_mailer_redirect_are_undone(self):
        """Both wrappers come off, outermost first, leaving the real link."""
        link = unwrap(WRAPPED)
        self.assertEqual(
            link.url, "https://uk.linkedin.com/showcase/health-and-medical-sciences/"
        )
        self.assertEqual(
            link.steps, ("Outlook safe links", "Dynamics 365 click tracking")
        )
        self.assertFalse(link.unknown_redirect)

    def test_tracking_parameters_go_and_the_rest_stays(self):
        """Tracking marks leave the query and fragment; a real fragment stays."""
        self.assertEqual(
            unwrap(
                "https://jobs.example.org/career?msdynmkt_trackingcontext=5a#vacancies"
            ).url,
            "https://jobs.example.org/career#vacancies",
        )
        self.assertEqual(
            unwrap("https://example.org/a?id=7&utm_source=x&utm_medium=email").url,
            "https://example.org/a?id=7",
        )
        self.assertEqual(
            strip_tracking("https://example.org/#msdynmkt_trackingcontext=5a"),
            "https://example.org/",
        )

    def test_wrappers_are_undone_until_the_link_is_stable(self):
        """A wrapper inside a wrapper inside a wrapper still leads to the link."""
        inner = "https://www.google.com/url?q=https%3A%2F%2Fexample.org%2Fp%3Futm_source%3Dx"
        outer = "https://eur02.safelinks.protection.outlook.com/?url=" + inner.replace(
            ":", "%3A"
        ).replace("/", "%2F").replace("?", "%3F").replace("=", "%3D").replace(
            "%2F", "%252F"
        )
        link = unwrap(outer)
        self.assertEqual(link.url, "https://example.org/p")
        self.assertIn("Google redirect", link.steps)

    def test_unknown_redirect_is_kept_and_reported(self):
        """A click tracker nobody here knows is kept as it is, and flagged."""
        tracker = "https://click.mailer.example/track/click?u=abc&id=123"
        link = unwrap(tracker)
        self.assertEqual(link.url, tracker)
        self.assertTrue(link.unknown_redirect)
        report = LinkReport()
        report.add(tracker)
        report.add("https://example.org/")
        self.assertEqual([k.url for k in report.kept_redirects], [tracker])

    def test_plain_links_and_addresses_are_left_alone(self):
        """Links with nothing to undo come back unchanged."""
        for url in (
            "https://example.org/path?a=1&b=2",
            "http://www.instagram.com/theturinginst/",
            "mailto:someone@example.org",
        ):
            with self.subTest(url=url):
                link = unwrap(url)
                self.assertEqual(link.url, url)
                self.assertFalse(link.changed)
                self.assertFalse(link.unknown_redirect)

    def test_a_link_python_cannot_read_is_kept_as_written(self):
        """An unclosed "[" where the host goes is not unwrapped, and nothing fails."""
        link = unwrap(" https://[assets.example.org/banner.png ")
        self.assertEqual(link.url, "https://[assets.example.org/banner.png")
        self.assertFalse(link.changed)
        self.assertEqual(link.steps, ())

    def test_safe_links_record_when_they_were_made(self):
        """The .NET ticks in ``data`` give the time of delivery, to the second."""
        self.assertEqual(
            safe_links_time(WRAPPED),
            datetime.datetime(2024, 11, 18, 11, 15, 44, tzinfo=datetime.UTC),
        )
        self.assertIsNone(safe_links_time("https://example.org/"))
