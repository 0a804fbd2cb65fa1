"""
Media in an S3 bucket, as production settings configure it for a bucket on Amazon
(AWS_STORAGE_BUCKET_NAME=news-media, AWS_S3_REGION_NAME=eu-west-2): an image uploaded
in the admin and the e-mail's rendition of it go to the bucket, and the e-mail links
to them at their public address. The bucket is moto's, in this process: nothing
reaches the network.
"""

import io
import os
import zipfile
from unittest import mock
from urllib.parse import urlsplit

import boto3
from django.conf import settings
from django.test import TestCase, override_settings
from django.urls import reverse
from moto import mock_aws

from issues.editorial.sending import export_issue
from issues.models import MailerProfile
from tests.factories import (
    make_image_file,
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
)
from tests.issues.export.helpers import export_settings, parse
from tests.utils import get_counting_queries

BUCKET = "news-media"
REGION = "eu-west-2"
MEDIA_URL = f"https://{BUCKET}.s3.{REGION}.amazonaws.com/media/"
S3_MEDIA = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": BUCKET,
        "location": "media",
        "custom_domain": f"{BUCKET}.s3.{REGION}.amazonaws.com",
        "url_protocol": "https:",
        "querystring_auth": False,
        "file_overwrite": False,
        "region_name": REGION,
    },
}


@export_settings
class S3MediaTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        publication = make_publication()
        cls.section = make_section(publication, title="News")
        cls.issue = make_issue(publication)
        cls.item = make_item(cls.issue, cls.section, title="New microscope")
        cls.profile = MailerProfile.objects.get(slug="generic")

    def setUp(self):
        # moto's own keys, and no configuration file of the machine's.
        environment = mock.patch.dict(
            os.environ,
            {
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            },
        )
        environment.start()
        self.addCleanup(environment.stop)
        aws = mock_aws()
        aws.start()
        self.addCleanup(aws.stop)
        # Changing STORAGES makes Django forget the storage it had made, on the way
        # in and on the way out, so no other test sees the bucket.
        storage = override_settings(
            STORAGES={**settings.STORAGES, "default": S3_MEDIA}, MEDIA_URL=MEDIA_URL
        )
        storage.enable()
        self.addCleanup(storage.disable)
        self.s3 = boto3.client("s3", region_name=REGION)
        self.s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        self.client.force_login(self.user)

    def stored(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def upload_image(self):
        response = self.client.post(
            reverse("admin:issues_item_change", args=[self.item.pk]),
            {
                "issue": self.issue.pk,
                "section": self.section.pk,
                "position": 0,
                "title": "New microscope",
                "loaded_version": self.item.version,
                "image": make_image_file("Microscope.png", "PNG", size=(800, 400)),
                "image_alt": "The microscope",
            },
        )
        self.assertRedirects(response, reverse("admin:issues_item_changelist"))
        self.item.refresh_from_db()

    def test_uploaded_image_is_stored_in_the_bucket(self):
        self.upload_image()
        name = self.item.image.name
        self.assertRegex(name, r"^items/\d{4}/\d{2}/Microscope.*\.png$")
        self.assertTrue(self.stored(f"media/{name}").startswith(b"\x89PNG"))
        self.assertEqual(self.item.image_src, MEDIA_URL + name)

    def test_email_links_to_the_rendition_in_the_bucket(self):
        self.upload_image()
        result = export_issue(issue=self.issue, profile=self.profile)
        [rendition] = result.images
        self.assertRegex(rendition, r"^renditions/[0-9a-f]{40}-600\.png$")
        listed = self.s3.list_objects_v2(Bucket=BUCKET, Prefix="media/renditions/")
        self.assertEqual(
            [entry["Key"] for entry in listed["Contents"]], [f"media/{rendition}"]
        )
        src = parse(result.html).find("img", alt="The microscope")["src"]
        # Plain and absolute: a signed link would stop working within the hour.
        self.assertEqual(src, MEDIA_URL + rendition)
        parts = urlsplit(src)
        self.assertEqual(parts.scheme, "https")
        self.assertEqual(parts.query, "")

    def test_downloaded_zip_holds_the_rendition_from_the_bucket(self):
        self.upload_image()
        url = reverse("admin:issues_issue_export", args=[self.issue.pk, "generic"])
        response = get_counting_queries(self, url, 12)
        self.assertEqual(response["Content-Type"], "application/zip")
        [rendition] = export_issue(issue=self.issue, profile=self.profile).images
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            image = archive.read(f"images/{rendition.rpartition('/')[2]}")
        self.assertEqual(image, self.stored(f"media/{rendition}"))
