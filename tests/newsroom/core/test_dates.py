import datetime

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from newsroom.core.dates import (
    FIRST_YEAR,
    LAST_YEAR,
    is_kept,
    validate_kept_date,
    validate_kept_year,
)


class KeptDatesTests(SimpleTestCase):
    def test_the_range_is_inclusive(self):
        """The first day of the first year and the last day of the last are kept."""
        first = datetime.date(FIRST_YEAR, 1, 1)
        last = datetime.date(LAST_YEAR, 12, 31)
        for day in (first, last):
            with self.subTest(day=day):
                self.assertTrue(is_kept(day))
                validate_kept_date(day)
        for day in (
            first - datetime.timedelta(days=1),
            last + datetime.timedelta(days=1),
        ):
            with self.subTest(day=day):
                self.assertFalse(is_kept(day))
                with self.assertRaises(ValidationError):
                    validate_kept_date(day)

    def test_a_far_year_is_refused_with_how_to_fix_it(self):
        """The message names the year, the range and what to do."""
        with self.assertRaises(ValidationError) as raised:
            validate_kept_date(datetime.date(9999, 12, 31))
        self.assertEqual(
            raised.exception.messages,
            [
                f"The year 9999 is outside the dates Newsroom keeps ({FIRST_YEAR} to "
                f"{LAST_YEAR}): check the year."
            ],
        )
        self.assertEqual(raised.exception.code, "year_out_of_range")

    def test_datetimes_and_years_are_checked_alike(self):
        """An aware datetime and a bare year are held to the same years as a date."""
        far = datetime.datetime(1, 1, 1, 9, 0, tzinfo=datetime.UTC)
        self.assertFalse(is_kept(far))
        with self.assertRaises(ValidationError):
            validate_kept_date(far)
        with self.assertRaises(ValidationError):
            validate_kept_year(LAST_YEAR + 1)
        validate_kept_year(FIRST_YEAR)
