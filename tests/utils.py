from django.contrib.contenttypes.models import ContentType

# The test runner makes the "pages" cache a dummy; tests of that cache give it this.
REAL_PAGES_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "issue-page-tests",
    },
}


def get_counting_queries(testcase, url, number):
    """
    Loads ``url`` and asserts its number of queries, with the content type cache
    emptied first so that the count does not depend on which tests ran before.
    """
    ContentType.objects.clear_cache()
    with testcase.assertNumQueries(number):
        response = testcase.client.get(url)
    testcase.assertEqual(response.status_code, 200)
    return response
