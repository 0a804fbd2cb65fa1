"""
Who may open what: every named address of the site, public and admin, against four
people (anonymous, an editor, an approver, a superuser), with the answer each gets.
The list of addresses comes from the URLconf itself, so that a new page cannot go
unchecked: an address missing from the table below fails the test, by name.

Then the requests that change something: the workflow steps, decisions on
suggestions, preview links and restores, each refused to those not allowed and
leaving the database as it was; and the fields an editor's form cannot set.
"""

import dataclasses
import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from issues.editorial.preview_links import create_preview_link, token_for
from issues.editorial.revisions import record_revision
from issues.models import (
    Erratum,
    Issue,
    IssueRevision,
    IssueTransition,
    Item,
    MailerProfile,
    PreviewLink,
    Suggestion,
)
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_person,
    make_publication,
    make_section,
    make_superuser,
    make_team,
    make_user,
)
from tests.issues.admin.test_issue import issue_post_data
from tests.issues.editorial.test_concurrency import item_row
from tests.issues.export.helpers import export_settings
from tests.utils import get_counting_queries

Status = Issue.Status
ROLES = ("anonymous", "editor", "approver", "superuser")
# The answer to an anonymous visitor on an admin page: the admin's login page.
LOGIN = "login"


def everyone(answer):
    return (answer, answer, answer, answer)


def staff(answer):
    """``answer`` for every member of staff; the login page for anonymous."""
    return (LOGIN, answer, answer, answer)


def superuser_only(answer=200, others=403):
    return (LOGIN, others, others, answer)


@dataclasses.dataclass(frozen=True)
class At:
    """
    One address of a named URL: its arguments (names of the objects made in
    ``setUpTestData``, or literal values), a query string, and the answer for each
    role in the order of ROLES: a status code, or LOGIN.
    """

    args: tuple = ()
    expect: tuple = staff(200)
    query: str = ""


def at(*args, expect, query=""):
    return At(args=args, expect=expect, query=query)


STAFF_200 = staff(200)
SUPERUSER_200 = superuser_only()


def model_pages(
    *,
    obj: str,
    add=STAFF_200,
    change=STAFF_200,
    delete=SUPERUSER_200,
    history=STAFF_200,
    changelist=STAFF_200,
):
    """The five standard admin pages of a model, about the object named ``obj``."""
    return {
        "changelist": [at(expect=changelist)],
        "add": [at(expect=add)],
        "change": [at(obj, expect=change)],
        "delete": [at(obj, expect=delete)],
        "history": [at(obj, expect=history)],
    }


def admin_table(model: str, **pages):
    return {f"admin:{model}_{page}": cases for page, cases in pages.items()}


# A model editors may only look at: its pages are shown read-only to them.
VIEW_ONLY = {
    "add": superuser_only(),
    "change": staff(200),
    "delete": superuser_only(),
    "history": staff(200),
}
# Users and groups are the superuser's alone; the admin does not list them to others.
SUPERUSER_PAGES = {
    "changelist": superuser_only(),
    "add": superuser_only(),
    "change": superuser_only(),
    "delete": superuser_only(),
    "history": superuser_only(),
}

MATRIX = {
    # The admin site's own pages.
    "admin:index": [at(expect=staff(200))],
    "admin:app_list": [
        at("issues", expect=staff(200)),
        at("auth", expect=superuser_only(200, others=404)),
    ],
    "admin:autocomplete": [
        # Asked for events from an item's form: open to those who may see events.
        at(
            expect=staff(200),
            query="app_label=issues&model_name=item&field_name=event&term=Omics",
        ),
        at(expect=staff(403)),
    ],
    "admin:jsi18n": [at(expect=staff(200))],
    "admin:login": [at(expect=(200, 302, 302, 302))],
    # Logging out is a POST; anonymous visitors are sent to the index, then login.
    "admin:logout": [at(expect=(302, 405, 405, 405))],
    "admin:password_change": [at(expect=staff(200))],
    "admin:password_change_done": [at(expect=staff(200))],
    "admin:view_on_site": [at("issue_type", "sent", expect=staff(302))],
    **admin_table("auth_group", **model_pages(obj="group", **SUPERUSER_PAGES)),
    **admin_table("auth_user", **model_pages(obj="editor", **SUPERUSER_PAGES)),
    "admin:auth_user_password_change": [at("editor", expect=superuser_only())],
    # The login log and lockouts (django-axes) are the superuser's; nobody adds to
    # them by hand.
    **admin_table(
        "axes_accessattempt",
        **model_pages(
            obj="access_attempt", **{**SUPERUSER_PAGES, "add": superuser_only(403)}
        ),
    ),
    **admin_table(
        "axes_accesslog",
        **model_pages(
            obj="access_log", **{**SUPERUSER_PAGES, "add": superuser_only(403)}
        ),
    ),
    **admin_table(
        "axes_accessfailurelog",
        **model_pages(
            obj="access_failure_log", **{**SUPERUSER_PAGES, "add": superuser_only(403)}
        ),
    ),
    # Issues: editors and approvers draft and assemble; only a superuser deletes,
    # and not even they a sent issue.
    "admin:issues_issue_changelist": [at(expect=staff(200))],
    "admin:issues_issue_add": [at(expect=staff(200))],
    "admin:issues_issue_change": [
        at("draft", expect=staff(200)),
        at("approved", expect=staff(200)),
        # Read-only, for everyone.
        at("sent", expect=staff(200)),
        # A publication whose editor groups neither belongs to: not found for them
        # (the admin's answer is a redirect to its index).
        at("other_programme", expect=(LOGIN, 302, 302, 200)),
    ],
    "admin:issues_issue_delete": [
        at("draft", expect=superuser_only()),
        at("sent", expect=superuser_only(403)),
    ],
    "admin:issues_issue_history": [at("sent", expect=staff(200))],
    "admin:issues_issue_revisions": [
        at("draft", expect=staff(200)),
        at("sent", expect=staff(200)),
    ],
    "admin:issues_issue_preview": [
        at("draft", expect=staff(200)),
        at("sent", expect=staff(200)),
        at("other_programme", expect=(LOGIN, 404, 404, 200)),
    ],
    "admin:issues_issue_web_preview": [
        at("approved", expect=staff(200)),
        at("sent", expect=staff(200)),
    ],
    "admin:issues_issue_export": [
        at("sent", "profile", expect=staff(200)),
        at("draft", "profile", expect=staff(200)),
        # With a blocking problem (no items): back to the preview, which lists it.
        at("empty", "profile", expect=staff(302)),
        at("empty", "profile", query="force=1", expect=staff(200)),
        at("draft", "no-such-profile", expect=staff(404)),
    ],
    "admin:issues_issue_add_events": [
        at("draft", expect=staff(200)),
        # A sent issue takes nothing new: back to it, with a message saying why.
        at("sent", expect=staff(302)),
    ],
    "admin:issues_issue_add_from_inbox": [
        at("draft", expect=staff(200)),
        at("sent", expect=staff(302)),
    ],
    # An import is published as sent at once: for those who may mark issues sent.
    "admin:issues_issue_import": [at(expect=(LOGIN, 403, 200, 200))],
    # Every member of staff reads an issue's errata; approvers publish them, on a
    # sent issue only (see the POST table).
    "admin:issues_issue_errata": [
        at("draft", expect=staff(200)),
        at("sent", expect=staff(200)),
    ],
    # Errata are published from the issue and never edited; only a superuser may
    # withdraw one.
    **admin_table(
        "issues_erratum",
        **model_pages(obj="erratum", add=staff(403), change=staff(200)),
    ),
    # Steps that change something answer POST only (see the POST table below).
    "admin:issues_issue_workflow": [at("approved", "mark-sent", expect=staff(405))],
    "admin:issues_issue_restore": [at("draft", "revision", expect=staff(405))],
    "admin:issues_issue_preview_link_create": [at("draft", expect=staff(405))],
    "admin:issues_issue_preview_link_revoke": [
        at("draft", "preview_link", expect=staff(405))
    ],
    # Items: an item of a sent issue is shown, never changed nor deleted.
    "admin:issues_item_changelist": [
        at(expect=staff(200)),
        at(query="placement=inbox", expect=staff(200)),
    ],
    "admin:issues_item_add": [at(expect=staff(200))],
    "admin:issues_item_change": [
        at("inbox_item", expect=staff(200)),
        at("sent_item", expect=staff(200)),
    ],
    "admin:issues_item_delete": [
        at("inbox_item", expect=staff(200)),
        at("sent_item", expect=staff(403)),
    ],
    "admin:issues_item_history": [at("inbox_item", expect=staff(200))],
    **admin_table("issues_mailerprofile", **model_pages(obj="profile_pk", **VIEW_ONLY)),
    **admin_table("issues_publication", **model_pages(obj="publication", **VIEW_ONLY)),
    **admin_table("issues_section", **model_pages(obj="section", **VIEW_ONLY)),
    # Suggestions come from the public form only: no one adds one in the admin.
    **admin_table(
        "issues_suggestion",
        **model_pages(obj="suggestion", add=staff(403)),
    ),
    "admin:issues_suggestion_accept": [at("suggestion", expect=staff(405))],
    "admin:issues_suggestion_decline": [at("suggestion", expect=staff(405))],
    **admin_table("events_event", **model_pages(obj="event")),
    **admin_table("people_person", **model_pages(obj="person")),
    **admin_table("people_team", **model_pages(obj="team", **VIEW_ONLY)),
    # The public site: the same for everyone, signed in or not, and nothing unsent.
    "home": [at(expect=everyone(200))],
    "search": [
        at(expect=everyone(200)),
        at(query="q=Omics&page=2", expect=everyone(200)),
    ],
    "sitemap": [at(expect=everyone(200))],
    "robots_txt": [at(expect=everyone(200))],
    "suggest": [at(expect=everyone(200))],
    "suggest_thanks": [at(expect=everyone(200))],
    "issues:archive": [at(expect=everyone(200))],
    "issues:feed": [at(expect=everyone(200))],
    "issues:publication": [at("publication_slug", expect=everyone(200))],
    "issues:publication_feed": [at("publication_slug", expect=everyone(200))],
    "issues:issue": [
        at("publication_slug", "sent_slug", expect=everyone(200)),
        at("publication_slug", "approved_slug", expect=everyone(404)),
        at("publication_slug", "draft_slug", expect=everyone(404)),
    ],
    "events:list": [at(expect=everyone(200))],
    "events:calendar": [at(expect=everyone(200))],
    "events:event": [at("event_slug", expect=everyone(200))],
    "events:event_calendar": [at("event_slug", expect=everyone(200))],
    "people:person": [at("person_slug", expect=everyone(200))],
    "people:team": [at("team_slug", expect=everyone(200))],
    "preview_link": [
        at("preview_token", expect=everyone(200)),
        # Once the issue is sent, the link leads to its public page.
        at("sent_preview_token", expect=everyone(302)),
        at("expired_preview_token", expect=everyone(410)),
        at("revoked_preview_token", expect=everyone(410)),
        at("not-a-token", expect=everyone(404)),
    ],
}


# As an editor, with the objects of ``Fixtures``.
EDITOR_LIST_QUERIES = {
    "admin:issues_issue_changelist": 11,
    "admin:issues_item_changelist": 8,
    # One of them for whether the public form's hourly cap was reached.
    "admin:issues_suggestion_changelist": 10,
    "admin:issues_publication_changelist": 7,
    "admin:issues_section_changelist": 8,
    "admin:issues_mailerprofile_changelist": 7,
    "admin:events_event_changelist": 9,
    "admin:people_person_changelist": 9,
    "admin:people_team_changelist": 7,
}


def named_urls() -> set[str]:
    """
    Every named URL of the site, namespaced as ``reverse`` takes it: the URLconf's,
    and those of the admin site and of each of its model admins, should any of
    them not be mounted in the URLconf.
    """

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}"

    names = set(walk(get_resolver().url_patterns))
    names |= set(walk(admin.site.get_urls(), "admin:"))
    for model_admin in admin.site._registry.values():
        names |= set(walk(model_admin.get_urls(), "admin:"))
    return names


def make_member(group: str, username: str) -> User:
    user = make_user(username)
    user.groups.add(Group.objects.get(name=group))
    return user


class Fixtures:
    """The people and the objects every address is tried with."""

    @classmethod
    def setUpTestData(cls):
        cls.users = {
            "anonymous": None,
            "editor": make_member("Editors", "editor"),
            "approver": make_member("Approvers", "approver"),
            "superuser": make_superuser("superuser"),
        }
        publication = make_publication("Partnership News")
        section = make_section(publication, title="News")
        cls.draft = make_issue(publication, month=12, title="December draft")
        make_item(cls.draft, section, title="Draft item")
        cls.empty = make_issue(publication, month=9, title="No items yet")
        cls.in_review = make_issue(
            publication, month=1, year=2025, status=Status.IN_REVIEW
        )
        make_item(cls.in_review, section, title="Item in review")
        cls.approved = make_issue(publication, month=11, status=Status.APPROVED)
        make_item(cls.approved, section, title="Approved item")
        cls.sent = make_issue(
            publication, month=10, status=Status.SENT, title="October issue"
        )
        sent_item = make_item(cls.sent, section, title="Sent item")
        erratum = Erratum.objects.create(
            issue=cls.sent, item=sent_item, text="<p>The deadline is 3 March.</p>"
        )
        other = make_publication("Health Programme")
        other.editor_groups.add(Group.objects.create(name="Health editors"))
        other_programme = make_issue(other, month=12)
        make_item(other_programme, make_section(other), title="Health item")
        cls.event = make_event("Omics Meeting")
        person = make_person("Ada Lovelace")
        team = make_team("Partnership team")
        cls.inbox_item = make_item(title="Waiting in the inbox")
        cls.suggestion = Suggestion.objects.create(
            title="A workshop",
            summary="<p>Come along.</p>",
            contact_name="Grace",
            contact_email="grace@example.org",
            consent=True,
        )
        superuser = cls.users["superuser"]
        record_revision(issue=cls.draft, user=superuser, note="Created")
        cls.preview_link = create_preview_link(issue=cls.draft, user=superuser)
        # Made while the issue was approved; it has been sent since.
        sent_link = PreviewLink.objects.create(
            issue=cls.sent,
            created_by=superuser,
            expires_at=timezone.now() + datetime.timedelta(days=7),
        )
        expired = PreviewLink.objects.create(
            issue=cls.draft,
            created_by=superuser,
            created_at=timezone.now() - datetime.timedelta(days=9),
            expires_at=timezone.now() - datetime.timedelta(days=2),
        )
        revoked = PreviewLink.objects.create(
            issue=cls.draft,
            created_by=superuser,
            expires_at=timezone.now() + datetime.timedelta(days=7),
            revoked_at=timezone.now(),
        )
        profile = MailerProfile.objects.get(slug="generic")
        access = {
            "user_agent": "Firefox",
            "ip_address": "192.0.2.7",
            # Not one of the people signing in below: a login clears their attempts.
            "username": "intruder",
            "http_accept": "text/html",
            "path_info": "/admin/login/",
        }
        cls.url_args = {
            "access_attempt": AccessAttempt.objects.create(
                **access, get_data="", post_data="", failures_since_start=2
            ).pk,
            "access_log": AccessLog.objects.create(**access).pk,
            "access_failure_log": AccessFailureLog.objects.create(**access).pk,
            "draft": cls.draft.pk,
            "other_programme": other_programme.pk,
            "empty": cls.empty.pk,
            "in_review": cls.in_review.pk,
            "approved": cls.approved.pk,
            "sent": cls.sent.pk,
            "draft_slug": cls.draft.slug,
            "approved_slug": cls.approved.slug,
            "sent_slug": cls.sent.slug,
            "issue_type": ContentType.objects.get_for_model(Issue).pk,
            "publication": publication.pk,
            "publication_slug": publication.slug,
            "section": section.pk,
            "sent_item": sent_item.pk,
            "erratum": erratum.pk,
            "inbox_item": cls.inbox_item.pk,
            "event": cls.event.pk,
            "event_slug": cls.event.slug,
            "person": person.pk,
            "person_slug": person.slug,
            "team": team.pk,
            "team_slug": team.slug,
            "suggestion": cls.suggestion.pk,
            "profile": profile.slug,
            "profile_pk": profile.pk,
            "revision": 1,
            "preview_link": cls.preview_link.pk,
            "preview_token": token_for(cls.preview_link),
            "sent_preview_token": token_for(sent_link),
            "expired_preview_token": token_for(expired),
            "revoked_preview_token": token_for(revoked),
            "group": Group.objects.get(name="Editors").pk,
            "editor": cls.users["editor"].pk,
        }

    def sign_in(self, role: str) -> None:
        self.client.logout()
        if self.users[role] is not None:
            self.client.force_login(self.users[role])

    def address(self, name: str, case: At) -> str:
        args = [self.url_args.get(arg, arg) for arg in case.args]
        url = reverse(name, args=args)
        return f"{url}?{case.query}" if case.query else url

    def assert_answer(self, response, expected) -> None:
        login = reverse("admin:login")
        if expected == LOGIN:
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(login))
            return
        self.assertEqual(response.status_code, expected)
        if expected == 302:
            # A refusal in disguise would send the visitor to the login page.
            self.assertFalse(response["Location"].startswith(login))


@export_settings
class PermissionMatrixTests(Fixtures, TestCase):
    def test_every_named_url_is_in_the_matrix(self):
        """A page added to the site must be given its answers in the table."""
        missing = sorted(named_urls() - MATRIX.keys())
        self.assertFalse(
            missing,
            "Add these URL names to MATRIX in tests/newsroom/test_permissions.py, "
            f"with the answer each role should get: {', '.join(missing)}",
        )
        stale = sorted(MATRIX.keys() - named_urls())
        self.assertFalse(stale, f"No longer URLs of the site: {', '.join(stale)}")

    def test_list_pages_cost_the_same_for_an_editor(self):
        """
        Group permissions are read once per page, not once per row or per link:
        each list costs an editor a fixed number of queries.
        """
        self.sign_in("editor")
        for more_rows in (False, True):
            if more_rows:
                publication = make_publication()
                issue = make_issue(publication, title="One more issue")
                make_item(issue, title="One more item")
                make_event()
                make_team()
                make_person()
                Suggestion.objects.create(
                    title="One more",
                    summary="<p>More.</p>",
                    contact_name="Ada",
                    contact_email="ada@example.org",
                    consent=True,
                )
            for name, queries in EDITOR_LIST_QUERIES.items():
                with self.subTest(name=name, more_rows=more_rows):
                    get_counting_queries(self, reverse(name), queries)

    def test_each_role_gets_its_answer_at_every_address(self):
        """Each address answers each role as the table says."""
        for role_index, role in enumerate(ROLES):
            self.sign_in(role)
            for name, cases in MATRIX.items():
                for case in cases:
                    url = self.address(name, case)
                    with self.subTest(url=url, name=name, role=role):
                        response = self.client.get(url)
                        self.assert_answer(response, case.expect[role_index])


@dataclasses.dataclass(frozen=True)
class Kept:
    """An answer after which the database is as it was: a refusal with a message."""

    status: int


# Answers that never change anything, whatever the request.
REFUSALS = (LOGIN, 403, 404, 405)


@dataclasses.dataclass(frozen=True)
class Post:
    """
    A POST to one address, and the answer for each role in the order of ROLES: a
    status code after which the database has changed, Kept(status) or a refusal
    after which it has not.
    """

    args: tuple
    expect: tuple
    data: dict = dataclasses.field(default_factory=dict)


def post(*args, expect, **data):
    return Post(args=args, expect=expect, data=data)


def selected(*names):
    return {"_selected_action": list(names)}


POST_MATRIX = {
    "admin:issues_issue_workflow": [
        post("draft", "submit", expect=staff(302)),
        post("in_review", "approve", expect=(LOGIN, 403, 302, 302)),
        post(
            "in_review", "send-back", expect=(LOGIN, 403, 302, 302), comment="Shorter"
        ),
        post("approved", "mark-sent", expect=(LOGIN, 403, 302, 302)),
        # The step is refused with a message saying why.
        post("draft", "mark-sent", expect=(LOGIN, 403, Kept(302), Kept(302))),
        post("sent", "submit", expect=(LOGIN, Kept(302), Kept(302), Kept(302))),
        post("draft", "no-such-step", expect=staff(404)),
    ],
    "admin:issues_issue_restore": [
        post("draft", "revision", expect=staff(302)),
    ],
    "admin:issues_issue_preview_link_create": [
        post("draft", expect=staff(302), days=7, note="Board"),
        post("sent", expect=staff(403), days=7),
    ],
    "admin:issues_issue_preview_link_revoke": [
        post("draft", "preview_link", expect=staff(302)),
        # A link belongs to its own issue only.
        post("approved", "preview_link", expect=staff(404)),
    ],
    "admin:issues_issue_add_from_inbox": [
        post(
            "draft",
            expect=staff(302),
            **{"place_inbox_item": "on", "section_inbox_item": "section"},
        ),
        # Refused with a message, back on the issue's page; nothing changes.
        post(
            "sent",
            expect=(LOGIN, Kept(302), Kept(302), Kept(302)),
            place_inbox_item="on",
        ),
    ],
    "admin:issues_issue_delete": [
        post("draft", expect=(LOGIN, 403, 403, 302), post="yes"),
        post("sent", expect=(LOGIN, 403, 403, 403), post="yes"),
    ],
    "admin:issues_issue_changelist": [
        # Editors have no such action: the list says so. A superuser may delete,
        # but not a sent issue: nothing is deleted.
        post(
            expect=(LOGIN, Kept(200), Kept(200), 403),
            action="delete_selected",
            post="yes",
            **selected("draft", "sent"),
        ),
    ],
    "admin:issues_issue_change": [
        post("sent", expect=staff(403), title="Rewritten after sending"),
    ],
    "admin:issues_item_change": [
        post("sent_item", expect=staff(403), title="Rewritten after sending"),
    ],
    "admin:issues_issue_errata": [
        post("sent", expect=(LOGIN, 403, 302, 302), text="The deadline is 5 March."),
        # Not on an issue readers have not received: the message says so.
        post("draft", expect=(LOGIN, 403, Kept(302), Kept(302)), text="Too early."),
    ],
    "admin:issues_erratum_change": [
        post("erratum", expect=staff(403), text="Rewritten correction"),
    ],
    "admin:issues_erratum_delete": [
        post("erratum", expect=(LOGIN, 403, 403, 302), post="yes"),
    ],
    "admin:issues_item_delete": [
        post("sent_item", expect=staff(403), post="yes"),
        post("inbox_item", expect=staff(302), post="yes"),
    ],
    "admin:issues_suggestion_accept": [post("suggestion", expect=staff(302))],
    "admin:issues_suggestion_decline": [post("suggestion", expect=staff(302))],
    "admin:issues_suggestion_changelist": [
        post(expect=staff(302), action="accept_selected", **selected("suggestion")),
    ],
    "admin:issues_mailerprofile_delete": [
        post("profile_pk", expect=(LOGIN, 403, 403, 302), post="yes"),
    ],
    "admin:issues_publication_delete": [
        post("publication", expect=(LOGIN, 403, 403, Kept(200)), post="yes"),
    ],
    # Editors cannot widen their own permissions.
    "admin:auth_group_change": [
        post("group", expect=(LOGIN, 403, 403, 302), name="Editors"),
    ],
    "admin:auth_user_delete": [
        post("editor", expect=(LOGIN, 403, 403, 302), post="yes"),
    ],
}


def database_state() -> tuple:
    """What the POSTs above may change, read in one go."""
    return (
        list(
            Issue.objects.order_by("pk").values_list(
                "pk", "status", "title", "version", "sent_at"
            )
        ),
        list(Item.objects.order_by("pk").values_list("pk", "issue", "title")),
        IssueTransition.objects.count(),
        IssueRevision.objects.count(),
        list(PreviewLink.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(Suggestion.objects.order_by("pk").values_list("pk", "status")),
        list(Erratum.objects.order_by("pk").values_list("pk", "text")),
        list(MailerProfile.objects.order_by("pk").values_list("pk", "name")),
        list(User.objects.order_by("pk").values_list("pk", "is_superuser")),
        Group.permissions.through.objects.count(),
    )


@export_settings
class PostMatrixTests(Fixtures, TestCase):
    def post_data(self, case: Post) -> dict:
        data = {}
        for key, value in case.data.items():
            key = key.replace("inbox_item", str(self.url_args["inbox_item"]))
            if isinstance(value, list):
                data[key] = [self.url_args.get(v, v) for v in value]
            else:
                data[key] = self.url_args.get(value, value)
        return data

    def test_each_role_gets_its_answer_to_each_post(self):
        """
        What changes something is done for those allowed to, and refused to the
        others with the database left as it was.
        """
        for name, cases in POST_MATRIX.items():
            for case in cases:
                url = self.address(name, At(args=case.args))
                for role, expected in zip(ROLES, case.expect, strict=True):
                    with self.subTest(url=url, role=role, data=case.data):
                        # Each request starts from the same data, then is undone.
                        with transaction.atomic():
                            self.sign_in(role)
                            before = database_state()
                            response = self.client.post(url, self.post_data(case))
                            after = database_state()
                            transaction.set_rollback(True)
                        kept = expected in REFUSALS or isinstance(expected, Kept)
                        if isinstance(expected, Kept):
                            expected = expected.status
                        self.assert_answer(response, expected)
                        if kept:
                            self.assertEqual(after, before)
                        else:
                            self.assertNotEqual(after, before)


@export_settings
class ForbiddenChangesTests(Fixtures, TestCase):
    def change_url(self, issue: Issue) -> str:
        return reverse("admin:issues_issue_change", args=[issue.pk])

    def form_data(self, issue: Issue, **fields) -> dict:
        item = issue.items.get()
        return issue_post_data(issue, item_row(item), initial=1, **fields)

    def test_editor_cannot_approve_or_mark_sent(self):
        """An editor's POST to approve or mark sent is refused; the status stays."""
        self.sign_in("editor")
        for issue, step in [(self.in_review, "approve"), (self.approved, "mark-sent")]:
            with self.subTest(step=step):
                url = reverse("admin:issues_issue_workflow", args=[issue.pk, step])
                response = self.client.post(url, {"comment": "Looks fine to me"})
                self.assertEqual(response.status_code, 403)
                stored = Issue.objects.get(pk=issue.pk)
                self.assertEqual(stored.status, issue.status)
                self.assertIsNone(stored.sent_at)
                self.assertFalse(stored.transitions.exists())

    def test_editor_form_cannot_set_the_status_or_what_sending_stores(self):
        """
        The status, the time of sending, the frozen copy and the version are not
        the form's to set: an editor's save keeps the issue a draft.
        """
        self.sign_in("editor")
        for status in (Status.APPROVED, Status.SENT):
            with self.subTest(status=status):
                issue = Issue.objects.get(pk=self.draft.pk)
                data = self.form_data(
                    issue,
                    title=f"Retitled while trying {status}",
                    status=status,
                    sent_at="2024-12-01 10:00:00",
                    frozen_content='{"issue": {"title": "Forged"}}',
                    frozen_content_sha256="0" * 64,
                    frozen_at="2024-12-01 10:00:00",
                    version=999,
                )
                response = self.client.post(self.change_url(issue), data)
                self.assertRedirects(response, reverse("admin:issues_issue_changelist"))
                stored = Issue.objects.get(pk=issue.pk)
                self.assertEqual(stored.title, f"Retitled while trying {status}")
                self.assertEqual(stored.status, Status.DRAFT)
                self.assertIsNone(stored.sent_at)
                self.assertIsNone(stored.frozen_at)
                self.assertFalse(stored.frozen_content)
                self.assertEqual(stored.frozen_content_sha256, "")
                self.assertEqual(stored.version, issue.version + 1)
                self.assertFalse(stored.transitions.filter(to_status=status).exists())

    def test_editor_edit_of_an_approved_issue_sends_it_back_to_draft(self):
        """Posting “approved” with a change does not keep the approval."""
        self.sign_in("editor")
        data = self.form_data(self.approved, title="Changed", status=Status.APPROVED)
        response = self.client.post(self.change_url(self.approved), data)
        self.assertEqual(response.status_code, 302)
        self.approved.refresh_from_db()
        self.assertEqual(self.approved.status, Status.DRAFT)

    def test_a_version_ahead_of_the_stored_one_is_refused(self):
        """A made-up version cannot pass for the latest: the save is refused."""
        self.sign_in("editor")
        for loaded, message in [
            (self.draft.version + 5, "Your changes are below and are not saved"),
            ("", "This form does not say which version it was opened at"),
        ]:
            with self.subTest(loaded_version=loaded):
                data = self.form_data(
                    self.draft, title="Forced through", loaded_version=loaded
                )
                response = self.client.post(self.change_url(self.draft), data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                stored = Issue.objects.get(pk=self.draft.pk)
                self.assertEqual(stored.title, self.draft.title)
                self.assertEqual(stored.version, self.draft.version)

    def test_a_sent_issue_is_not_changed_by_a_post_to_its_form(self):
        """Not even a superuser changes what readers received through the form."""
        for role in ("approver", "superuser"):
            with self.subTest(role=role):
                self.sign_in(role)
                before = database_state()
                data = self.form_data(
                    self.sent,
                    title="Rewritten",
                    **{"items-0-title": "Rewritten item"},
                )
                response = self.client.post(self.change_url(self.sent), data)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(database_state(), before)

    def test_staff_status_is_needed_for_the_admin(self):
        """
        Someone signed in without staff status is sent to the admin's login,
        whatever their groups; their POSTs change nothing.
        """
        outsider = make_user("outsider", is_staff=False)
        outsider.groups.add(Group.objects.get(name="Approvers"))
        self.client.force_login(outsider)
        login = reverse("admin:login")
        for url in (
            reverse("admin:index"),
            reverse("admin:issues_issue_changelist"),
            self.change_url(self.draft),
            reverse("admin:issues_issue_preview", args=[self.draft.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(
                    response, f"{login}?next={url}", fetch_redirect_response=False
                )
        before = database_state()
        url = reverse(
            "admin:issues_issue_workflow", args=[self.approved.pk, "mark-sent"]
        )
        response = self.client.post(url)
        self.assertRedirects(
            response, f"{login}?next={url}", fetch_redirect_response=False
        )
        self.assertEqual(database_state(), before)

    def test_anonymous_posts_to_admin_actions_are_refused(self):
        """Without signing in, no list action runs: the login page is shown."""
        before = database_state()
        login = reverse("admin:login")
        for name, action, target in [
            ("admin:issues_issue_changelist", "delete_selected", self.draft.pk),
            ("admin:issues_item_changelist", "delete_selected", self.inbox_item.pk),
            (
                "admin:issues_suggestion_changelist",
                "accept_selected",
                self.suggestion.pk,
            ),
        ]:
            with self.subTest(action=name):
                url = reverse(name)
                data = {"action": action, "_selected_action": [target], "post": "yes"}
                response = self.client.post(url, data)
                self.assertRedirects(
                    response, f"{login}?next={url}", fetch_redirect_response=False
                )
        self.assertEqual(database_state(), before)
