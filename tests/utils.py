from django.contrib.contenttypes.models import ContentType


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
