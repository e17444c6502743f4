"""English dates as the newsroom writes them: day, month, year (12 July 2024) and a 24-hour clock.

Templates name these formats (``|date:"DATE_FORMAT"``) instead of spelling a format out, so another language
brings its own through Django's locale formats.
"""

DATE_FORMAT = "j F Y"  # 12 July 2024
DATETIME_FORMAT = "j F Y, H:i"  # 12 July 2024, 09:00
TIME_FORMAT = "H:i"  # 09:00
YEAR_MONTH_FORMAT = "F Y"  # July 2024
MONTH_DAY_FORMAT = "j M"  # 12 Jul
SHORT_DATE_FORMAT = "j M Y"  # 12 Jul 2024
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 12 Jul 2024, 09:00
