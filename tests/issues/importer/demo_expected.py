"""
The November 2024 issue of “The Turing-Roche Strategic Partnership” newsletter as
structured content: what importing issues/demo/newsletter-2024-11.md (the same issue
as readers received it, converted to Markdown) must give, written out by hand. These
are the rules that lead from one to the other.

Links
    Every link in the source is wrapped twice. The outer wrapper is Outlook's safe links
    (``https://eur01.safelinks.protection.outlook.com/?url=…``): its ``url`` parameter
    holds the inner one, the mailer's redirect
    (``https://public-gbr.mkt.dynamics.com/api/orgs/<org>/r/<id>?target=…&digest=…``).
    That redirect's ``target`` parameter is JSON, and its ``TargetUrl`` is the real
    link, still percent-encoded: it is decoded until its scheme reads ``https://`` (or
    ``http://``) and no further, so that escapes belonging to the link itself survive.
    Links the mailer did not redirect carry its ``msdynmkt_trackingcontext`` in the
    query or the fragment instead: that parameter goes, and so would any ``utm_``
    parameter; a ``?`` or ``#`` left empty goes with it; everything else of the link
    stays (``…/turing/en/career#vacancies``, ``http://`` where the source says so).
    An address in angle brackets is a ``mailto:`` link.
    Links to the mailer itself are not content: the unsubscribe and preference-centre
    links and the tracking pixel belong to the mailer, which adds its own when the issue
    is exported.

Text
    Rich text is kept as the sanitiser stores it: ``<p>`` paragraphs joined by a
    newline, links with their real targets, ``&amp;`` for “&”. Non-breaking spaces
    become plain spaces and spaces at either end of a paragraph go. Otherwise the words
    are the source's own, slips included (“University College London..”).

Headings
    The level-1 heading is the publication's name and the level-2 heading under it the
    issue's title. After that, every bold level-2 heading is a section, in order, except
    “Connect with us”, which holds the publication's social links. Every ``###`` heading
    is an item of the section above it, its title without the bold.

Items
    An item is its heading, an optional bold line directly under it, its paragraphs,
    and a paragraph that is nothing but a link. The bold line is a deadline when it
    reads “<label>: <date>” (label and date kept apart: “Application deadline”,
    2024-11-20) and an event's date when it is a date alone; either way it is not
    repeated in the body. The paragraphs are the body. The first link-only paragraph is
    the call to action, its text the label. A further link-only paragraph after it is
    an item of its own: title and call-to-action label the link's text, the link its
    call to action, no body (the “Current … job vacancies” links).

Events
    An item whose bold line is a date alone is an event, and the item is linked to it:
    the title is the item's; the date is the start date, with no times (the source gives
    none), in the site's time zone; the format is hybrid when the text calls it hybrid,
    online for an online series or webinar, and in person when the text says where it is
    held, that place being the location; the organiser is who the text says hosts it
    (“hosted by …”, “co-hosted by …”, “… is bringing together …”), in its words; the
    registration link is the item's “Register here” call to action, which the item keeps
    too; the summary is the first paragraph as plain text and the body is the item's.
    The slug is the title's slug and the date, because a series repeats its titles.

Images
    Every picture is hosted by the mailer on ``assets-gbr.mkt.dynamics.com``: real
    images (the ``ts`` parameter is their upload time), not trackers, kept by link as
    they are. None has alt text in the source and none is made up here, so alt text is
    empty; the banner is the exception, its alt text being the publication's name,
    which it shows. Which image belongs to what:

    - the image above the publication's name is the banner;
    - an image directly under a section heading is the section's header image;
    - unless the section's items carry pictures, which shows as an image directly above
      the heading of an item other than the first: then each image directly above an
      item heading is that item's (the first item's is the one under the section
      heading) and the section has none. Here that is “Events from the Community”: its
      three pictures were uploaded on 13 November 2024, minutes apart, while the other
      sections' header images date from July and August 2024 and recur every month;
    - every other image is part of the mailer's template (the strip under the issue
      title, dividers between sections, the logos in “Connect with us”) and is not kept;
      the social links' icons belong to the social links' templates.

Publication and issue
    Of the paragraphs under the issue title, those about the partnership and the
    newsletter are the publication's intro, repeated in every issue; the one asking
    readers to pass the newsletter on gives the sign-up link, its wording left to the
    template. Any paragraph about this month alone would be the issue's intro: there is
    none, so the intro is empty, and so is the preheader, which the source lacks. The
    footer gives the postal address and, in “© <holder> <year>”, the copyright holder.
    The two text links of “Connect with us” are social links labelled with their text,
    followed by the icon links, which have no text, in the source's order.

Team
    The list under the team heading reads “name, organisation, role”; its order is the
    team's order. Memberships have no start date: the source does not say since when.
    A person's job title is their own, not their role in the team, and only the
    contact's is given (“Programme Manager for the partnership”).
"""

import datetime

from events.models import Event
from issues.importer.structure import (
    EventContent,
    IssueContent,
    ItemContent,
    PublicationContent,
    SectionContent,
    SocialLinkContent,
    TeamContent,
    TeamMemberContent,
)
from issues.models import Section, SocialLink

_IMAGES = (
    "https://assets-gbr.mkt.dynamics.com/cd69a60c-3e6e-41d1-9cc4-5dc606fed704"
    "/digitalassets/images/"
)


TEAM = TeamContent(
    name="The Turing-Roche Strategic Partnership team",
    slug="turing-roche-strategic-partnership-team",
    members=(
        TeamMemberContent(
            name="Ryan Copping",
            slug="ryan-copping",
            organisation="Roche",
            role="Turing-Roche Partnership Lead",
        ),
        TeamMemberContent(
            name="Ben MacArthur",
            slug="ben-macarthur",
            organisation="Turing Institute and University of Southampton",
            role="Turing-Roche Partnership Deputy Lead",
        ),
        TeamMemberContent(
            name="Chris Harbron",
            slug="chris-harbron",
            organisation="Roche",
            role="Turing-Roche Partnership Deputy Lead",
        ),
        TeamMemberContent(
            name="Sarah McGough",
            slug="sarah-mcgough",
            organisation="Roche",
            role="Turing-Roche Partnership Deputy Lead",
        ),
        TeamMemberContent(
            name="Rohan Chakraborty",
            slug="rohan-chakraborty",
            organisation="Turing Institute",
            role="Theme Lead",
        ),
        TeamMemberContent(
            name="Chris Banerji",
            slug="chris-banerji",
            organisation="Turing Institute",
            role="Theme Lead",
        ),
        TeamMemberContent(
            name="Jay Dougherty",
            slug="jay-dougherty",
            organisation="Roche",
            role="Turing-Roche Partnership Alliance Director",
        ),
        TeamMemberContent(
            name="Michelle O'Gorman",
            slug="michelle-ogorman",
            organisation="Roche",
            role="Turing-Roche Partnership Project Manager",
        ),
        TeamMemberContent(
            name="Vicky Hellon",
            slug="vicky-hellon",
            organisation="Turing Institute",
            role="Turing-Roche Partnership Senior Research Community Manager",
        ),
        TeamMemberContent(
            name="Maria Anagnostopoulou",
            slug="maria-anagnostopoulou",
            organisation="Turing Institute",
            role="Turing-Roche Partnership Project Manager",
            job_title="Programme Manager",
            email="managnostopoulou@turing.ac.uk",
        ),
    ),
)


PRIVATE_DATA_FOR_PUBLIC_GOOD = EventContent(
    title=(
        "Private Data for Public Good: How Data Sharing Benefits Business and Society"
    ),
    slug=(
        "private-data-for-public-good-how-data-sharing-benefits-business-and-society"
        "-2024-11-20"
    ),
    start_date=datetime.date(2024, 11, 20),
    format=Event.Format.HYBRID,
    organiser="Turing's Novel data linkages for health and wellbeing Interest Group",
    summary=(
        "This hybrid event is being hosted by Turing's Novel data linkages for health "
        "and wellbeing Interest Group."
    ),
    body=(
        "<p>This hybrid event is being hosted by Turing's "
        '<a href="https://www.turing.ac.uk/research/interest-groups/'
        'novel-data-linkages-health-and-wellbeing">Novel data linkages for health and '
        "wellbeing Interest Group</a>.</p>\n"
        "<p>Over two sessions during the day the event will explore the balance "
        "between leveraging private data and maintaining privacy, showcasing "
        "successful case studies from industry partners who have effectively shared "
        "data to drive societal benefits.</p>\n"
        "<p>Guest speakers are from organisations such as Ocado Group, NatWest and "
        "Garmin whose talk will be 'Exploring Data-Driven Collaborations in Insurance, "
        "Research, Clinical Trials, and Healthcare.'</p>"
    ),
    registration_url=(
        "https://link.webropolsurveys.com/EventParticipation/EventPublic/"
        "38929c63-3a23-4d81-9194-4dd65bf1de16?displayId=Fin3153015"
    ),
)

AI_AND_SECURE_HEALTH_DATA = EventContent(
    title="AI and Secure Health Data: Bridging the Methodological Gap",
    slug="ai-and-secure-health-data-bridging-the-methodological-gap-2024-11-20",
    start_date=datetime.date(2024, 11, 20),
    format=Event.Format.IN_PERSON,
    location="Bristol",
    organiser="Jean Golding Institute",
    summary=(
        "As electronic health records are gathered in increasing volumes, it's time to "
        "discuss what gaps still remain between the important questions to ask, and "
        "what the data at hand can say about those questions."
    ),
    body=(
        "<p>As electronic health records are gathered in increasing volumes, it's time "
        "to discuss what gaps still remain between the important questions to ask, and "
        "what the data at hand can say about those questions.</p>\n"
        "<p>In this event held in Bristol, the Jean Golding Institute is bringing "
        "together researchers in AI and machine learning with experts in health data "
        "science to discuss the barriers to advanced methods being developed and "
        "deployed to get the most out of health data, and potential solutions.</p>"
    ),
    # The source's “Register here” leads to the same registration page as the
    # previous event's. Kept as sent: the demo is what readers received.
    registration_url=(
        "https://link.webropolsurveys.com/EventParticipation/EventPublic/"
        "38929c63-3a23-4d81-9194-4dd65bf1de16?displayId=Fin3153015"
    ),
)

STATISTICAL_METHODS_FOR_HEALTH_EQUITY = EventContent(
    title="Statistical Methods for Health Equity Webinar",
    slug="statistical-methods-for-health-equity-webinar-2024-11-26",
    start_date=datetime.date(2024, 11, 26),
    format=Event.Format.ONLINE,
    organiser=(
        "Data Science for Health Equity community, the Alan Turing Institute Health "
        "Equity Interest Group, and the Department of Statistical Science at "
        "University College London"
    ),
    summary=(
        "The Statistical Methods for Health Equity Series is a monthly online series "
        "co-hosted by the Data Science for Health Equity community, the Alan Turing "
        "Institute Health Equity Interest Group, and the Department of Statistical "
        "Science at University College London.."
    ),
    body=(
        "<p>The Statistical Methods for Health Equity Series is a monthly online "
        "series co-hosted by the "
        '<a href="https://www.datascienceforhealthequity.com/">Data Science for Health '
        "Equity</a> community, the "
        '<a href="https://www.turing.ac.uk/research/interest-groups/health-equity">'
        "Alan Turing Institute Health Equity Interest Group</a>, and the "
        '<a href="https://www.ucl.ac.uk/statistics/department-statistical-science">'
        "Department of Statistical Science</a> at University College London..</p>\n"
        "<p>This next instalment of the webinar series will feature speaker Christoph "
        "Kern from LMU Munich on the topic of 'Model Design Decisions, Lazy Data "
        "Practices and Algorithmic Fairness'.</p>"
    ),
    registration_url=(
        "https://www.datascienceforhealthequity.com/event-details/"
        "statistical-methods-for-health-equity-webinar-christoph-kern-lmu-munich"
    ),
)


SECTIONS = (
    SectionContent(
        title="Turing-Roche Strategic Partnership Updates",
        slug="partnership-updates",
        image_url=_IMAGES
        + "f5b4f32c-cd3e-ef11-a316-6045bdd05d44?ts=638562204476255984",
        image_alt="Turing-Roche Strategic Partnership Updates",
    ),
    SectionContent(
        title=(
            "Current News and Opportunities from The Alan Turing Institute and Roche"
        ),
        slug="news-and-opportunities",
        image_url=_IMAGES
        + "39b940fc-cf3e-ef11-a316-6045bdd05d44?ts=638562216600372753",
        image_alt=(
            "Current News and Opportunities from The Alan Turing Institute and Roche"
        ),
    ),
    # No header image: the image under this heading is the first event's.
    SectionContent(
        title="Events from the Community",
        slug="events-from-the-community",
    ),
    SectionContent(
        title="Other Opportunities",
        slug="other-opportunities",
        image_url=_IMAGES
        + "3466c65f-d33e-ef11-a316-6045bdd05d44?ts=638562231147479174",
        image_alt="Other Opportunities",
    ),
    SectionContent(
        title="Publication of the Month",
        slug="publication-of-the-month",
        image_url=_IMAGES
        + "1d04f738-d43e-ef11-a316-6045bdd05d44?ts=638562234745539232",
        image_alt="Publication of the Month",
    ),
    SectionContent(
        title="The Turing-Roche Strategic Partnership team",
        slug="team",
        kind=Section.Kind.TEAM,
        image_url=_IMAGES
        + "7a1cda7d-6d60-ef11-bfe4-000d3a7f472b?ts=638599176942171331",
        image_alt="The Turing-Roche Strategic Partnership team",
    ),
)


PUBLICATION = PublicationContent(
    name="The Turing-Roche Strategic Partnership",
    slug="turing-roche",
    intro=(
        "<p>Launched in June 2021, the Turing-Roche Partnership is a 5 year "
        "collaboration aiming to develop new data science methods to investigate "
        "large, complex, clinical and healthcare datasets to better understand how and "
        "why patients respond differently to treatment, and how treatment can be "
        "improved.</p>\n"
        "<p>Our newsletter features what's new in the partnership and opportunities, "
        "events and news from both the Alan Turing Institute, Roche and wider relevant "
        "networks.</p>\n"
        "<p>If you have anything you'd like featured in a future newsletter then "
        "please get in touch with Maria Anagnostopoulou, Programme Manager for the "
        'partnership at <a href="mailto:managnostopoulou@turing.ac.uk">'
        "managnostopoulou@turing.ac.uk</a></p>"
    ),
    contact_slug="maria-anagnostopoulou",
    signup_url=(
        "https://analytics-eu.clickdimensions.com/turingacuk-ap7zg/pages/"
        "gaajymqyeeypjwanotvtng.html?PageId=ca09a0193264ec118f8f000d3ad55336"
    ),
    # The source's footer breaks off after “United”: its mailer cut the line short.
    postal_address=(
        "The Alan Turing Institute, British Library, 96 Euston Rd., London NW1 2DB, "
        "United Kingdom"
    ),
    copyright_holder="The Alan Turing Institute",
    # Not in the source, whose colours live in its images: the default deep blue,
    # which is what importing the source gives a new publication.
    brand_colour="#1F4E79",
    banner_url=_IMAGES + "d9c7e13d-3a27-ef11-840a-7c1e522d712c?ts=638536284638288680",
    banner_alt="The Turing-Roche Strategic Partnership",
    social_links=(
        SocialLinkContent(
            network=SocialLink.Network.WEBSITE,
            label="webpage",
            url=(
                "https://www.turing.ac.uk/research/research-projects/"
                "alan-turing-institute-roche-strategic-partnership"
            ),
        ),
        # The form where people ask to join the workspace.
        SocialLinkContent(
            network=SocialLink.Network.SLACK,
            label="Slack workspace",
            url="https://forms.gle/iEuDrC9Nb4w63YtWA",
        ),
        SocialLinkContent(
            network=SocialLink.Network.LINKEDIN,
            url="https://uk.linkedin.com/showcase/health-and-medical-sciences/",
        ),
        SocialLinkContent(
            network=SocialLink.Network.X,
            url="https://twitter.com/turinginst",
        ),
        SocialLinkContent(
            network=SocialLink.Network.INSTAGRAM,
            url="http://www.instagram.com/theturinginst/",
        ),
        SocialLinkContent(
            network=SocialLink.Network.FACEBOOK,
            url="https://www.facebook.com/thealanturinginstitute",
        ),
        SocialLinkContent(
            network=SocialLink.Network.YOUTUBE,
            url="https://www.youtube.com/@turing-roche/videos",
        ),
    ),
    sections=SECTIONS,
    team=TEAM,
)


ISSUE = IssueContent(
    year=2024,
    month=11,
    title="November 2024",
    slug="2024-11",
    preheader="",
    intro="",
    # Outlook's safe links record when they were made, on delivery, as .NET ticks
    # (100 ns since 0001-01-01 UTC) in their ``data`` parameter. The earliest in the
    # source is 638675253446823767: 2024-11-18 11:15:44.68 UTC, kept to the second.
    sent_at=datetime.datetime(2024, 11, 18, 11, 15, 44, tzinfo=datetime.UTC),
    planned_send_date=datetime.date(2024, 11, 18),
    items={
        "partnership-updates": (
            ItemContent(
                title=(
                    "Partnership Team Members Fiona Young and Enrico Parisini present "
                    "at Omics Meeting"
                ),
                body=(
                    "<p>Our partnership Research Associates Fiona and Enrico recently "
                    "presented at a meeting on the theme of 'Multimodal Data "
                    "Integration with Omics', hosted by Turing's "
                    '<a href="https://www.turing.ac.uk/research/interest-groups/'
                    'omics-data-generation-and-analysis-group">Omics Data Generation '
                    "and Analysis Interest Group</a>. The hybrid event had around 100 "
                    "attendees.</p>\n"
                    "<p>Fiona presented current work on designing a multimodal "
                    "embedding model for pathology imaging and spatial "
                    "transcriptomics. Spatial transcriptomics (ST) data are powerful "
                    "and rich but rare and expensive, so this project is aimed at "
                    "transferring insights from ST to more accessible datasets.</p>\n"
                    "<p>Enrico presented on the need for explainability in clinical "
                    "deep learning models for multi-omics data.</p>"
                ),
            ),
        ),
        "news-and-opportunities": (
            ItemContent(
                title="Apply to take part in a Turing Data Study Group",
                deadline=datetime.date(2024, 11, 20),
                deadline_label="Application deadline",
                body=(
                    "<p>Data Study Groups (DSG) are collaborative hackathons hosted at "
                    "the Turing, which bring together organisations from industry, "
                    "government and the third sector who provide real-world problems "
                    "and datasets to be tackled by small groups of multi-disciplinary "
                    "researchers.</p>\n"
                    "<p>The next DSG is taking place virtually from 27 January - 07 "
                    "February 2025 featuring challenges from the British Geological "
                    "Survey, ScotRail and the Centre for Postdoctoral Development in "
                    "Infrastructure, Cities and Energy.</p>\n"
                    "<p>Applications are now open for researchers to take part.</p>"
                ),
                cta_label="More info and apply here",
                cta_url="https://www.turing.ac.uk/events/data-study-group-january-2025",
            ),
            ItemContent(
                title="Medical Statistics Internship at Roche",
                body=(
                    "<p>Roche's UK site in Welwyn are seeking apprentices to join the "
                    "Product Development Data Science &amp; Analytics team and "
                    "contribute to the development of medicines, starting in "
                    "September 2025.</p>\n"
                    "<p>Successful candidates will combine study for a Medical "
                    "Statistics MSc with practical on-the-job training. This includes "
                    "providing statistical and analytical expertise in "
                    "multi-disciplinary teams alongside experienced statisticians to "
                    "drive the design, conduct and analysis of clinical trials.</p>\n"
                    "<p>Applications are welcomed from those pursuing or have recently "
                    "completed a bachelor's degree in Mathematics or Statistics. "
                    "Alternatively, candidates who can demonstrate evidence of strong "
                    "mathematical ability and an interest in training in statistics "
                    "are encouraged to apply.</p>"
                ),
                cta_label="More info and apply here",
                cta_url=(
                    "https://careers.roche.com/global/en/job/202410-127448/"
                    "MSc-Medical-Statistics-Apprenticeship"
                ),
            ),
            ItemContent(
                title="Read about the Health Data Research UK-Roche Hackathon",
                body=(
                    "<p>Held in April 2024, this Hackathon saw 18 PhD students from "
                    "eight universities across the UK converge at the Wellcome "
                    "Collection in London for the second joint collaborative training "
                    "event between Health Data Research UK (HDR UK) and the Data "
                    "&amp; Analytics unit of Pharmaceutical Research and Development "
                    "at Roche.</p>\n"
                    "<p>This "
                    '<a href="https://www.hdruk.ac.uk/news/'
                    'the-hdr-uk-roche-hackathon-2024/">blog</a> gives an overview of '
                    "the event where participants built upon recent developments in "
                    "AI protein function prediction to devise their own prediction "
                    "algorithms in a challenge jointly developed by Roche scientist "
                    "Joshua Payne and HDR UK PhD student Jude Wells.</p>"
                ),
                cta_label="Read the blog here",
                cta_url="https://www.hdruk.ac.uk/news/the-hdr-uk-roche-hackathon-2024/",
            ),
            ItemContent(
                title="Current Turing job vacancies",
                cta_label="Current Turing job vacancies",
                cta_url="https://cezanneondemand.intervieweb.it/turing/en/career#vacancies",
            ),
            ItemContent(
                title="Current Roche job vacancies",
                cta_label="Current Roche job vacancies",
                cta_url="https://careers.roche.com/global/en",
            ),
        ),
        "events-from-the-community": (
            ItemContent(
                title=PRIVATE_DATA_FOR_PUBLIC_GOOD.title,
                image_url=_IMAGES
                + "39279c1e-b6a1-ef11-8a69-7c1e5204394d?ts=638670957154416178",
                body=PRIVATE_DATA_FOR_PUBLIC_GOOD.body,
                cta_label="Register here",
                cta_url=PRIVATE_DATA_FOR_PUBLIC_GOOD.registration_url,
                event=PRIVATE_DATA_FOR_PUBLIC_GOOD,
            ),
            ItemContent(
                title=AI_AND_SECURE_HEALTH_DATA.title,
                image_url=_IMAGES
                + "12679505-b8a1-ef11-8a69-7c1e5204394d?ts=638670965235725530",
                body=AI_AND_SECURE_HEALTH_DATA.body,
                cta_label="Register here",
                cta_url=AI_AND_SECURE_HEALTH_DATA.registration_url,
                event=AI_AND_SECURE_HEALTH_DATA,
            ),
            ItemContent(
                title=STATISTICAL_METHODS_FOR_HEALTH_EQUITY.title,
                image_url=_IMAGES
                + "76c7c18a-b8a1-ef11-8a69-7c1e5204394d?ts=638670967526098018",
                body=STATISTICAL_METHODS_FOR_HEALTH_EQUITY.body,
                cta_label="Register here",
                cta_url=STATISTICAL_METHODS_FOR_HEALTH_EQUITY.registration_url,
                event=STATISTICAL_METHODS_FOR_HEALTH_EQUITY,
            ),
        ),
        "other-opportunities": (
            ItemContent(
                title="Applications open for NHS Fellowship in Clinical AI",
                deadline=datetime.date(2024, 12, 18),
                deadline_label="Application deadline",
                body=(
                    "<p>The NHS Fellowship in Clinical AI is the only educational "
                    "fellowship of its kind. Healthcare leaders are equipped with the "
                    "knowledge and skills to safely adopt AI in clinical "
                    "practice.</p>\n"
                    "<p>Fellows work on real-world AI project placements to gain "
                    "hands-on experience, in a part-time role alongside their existing "
                    "employment/training. Fellows also attend bespoke interactive "
                    "workshops delivered by national and international experts, "
                    "starting with an intensive residential bootcamp in London.</p>"
                ),
                cta_label="Apply here",
                cta_url="https://gstt-csc.github.io/fellowship_cohort4.html",
            ),
            ItemContent(
                title=(
                    "Call for Papers: Health Digital Twins in Precision and "
                    "Personalized Medicine"
                ),
                deadline=datetime.date(2025, 4, 30),
                deadline_label="Submission deadline",
                body=(
                    "<p>The Computational and Structural Biotechnology Journal is "
                    "running a special issue focused on health digital twins in "
                    "precision and personalized medicine, exploring the potential of "
                    "the design, development, evaluation, and translation of the "
                    "digital twins technology in biomedical research and medical "
                    "practice.</p>\n"
                    "<p>They are accepting a broad scope of manuscripts: methodology "
                    "papers, original research, technical implementation papers, "
                    "preliminary research, and literature review.</p>"
                ),
                cta_label="More info and how to submit here",
                cta_url="https://www.csbj.org/call_digitaltwins",
            ),
            ItemContent(
                title="Updated Training Portal from Health Data Research UK",
                body=(
                    "<p>Health Data Research UK's portal 'Futures' features free and "
                    "flexible training on topics such as AI for clinicians, accessing "
                    "health data, disease modeling and target discovery and data "
                    "standardisation.</p>"
                ),
                cta_label="Access the portal here",
                cta_url="https://hdruklearn.org/",
            ),
        ),
        "publication-of-the-month": (
            ItemContent(
                title=(
                    "Balancing act: the complex role of artificial intelligence in "
                    "addressing burnout and healthcare workforce dynamics"
                ),
                body=(
                    "<p>November's publication of the month is 'Balancing act: the "
                    "complex role of artificial intelligence in addressing burnout and "
                    "healthcare workforce dynamics', published in BMJ Health and Care "
                    "Informatics.</p>\n"
                    "<p>In this perspective piece, the Yale University authors discuss "
                    "the challenges and opportunities of AI in healthcare workforce "
                    "dynamics from reducing administrative and cognitive burdens but "
                    "also diminishing clinical skills. They advocate for AI "
                    "technologies that re-humanise medical practice.</p>"
                ),
                cta_label="Read the paper here",
                cta_url="https://informatics.bmj.com/content/31/1/e101120",
            ),
        ),
    },
)
