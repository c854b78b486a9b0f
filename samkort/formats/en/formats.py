"""English dates as a reader in Denmark reads them: day before month, never 01/02 for the 2nd of January, and a
24-hour clock. Only the display formats; what a form accepts stays Django's (ISO dates first)."""

DATE_FORMAT = "j F Y"  # 16 January 2026
SHORT_DATE_FORMAT = "j M Y"  # 16 Jan 2026
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
