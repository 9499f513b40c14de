import datetime

from events.dates import day_label, hours_label, price_label, when_label
from tests.events.conftest import paris


def test_french_dates():
    assert day_label(datetime.date(2026, 7, 21)) == "mardi 21 juillet 2026"
    assert day_label(datetime.date(2026, 9, 1)) == "mardi 1er septembre 2026"
    assert when_label(paris(2016, 7, 21, 18), paris(2016, 7, 21, 20), False) == (
        "jeudi 21 juillet 2016, 18\u00a0h – 20\u00a0h"
    )
    assert when_label(paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 12), False).endswith(
        "9\u00a0h\u00a030 – 12\u00a0h"
    )
    assert when_label(paris(2017, 9, 1), paris(2017, 12, 15, 23, 59), True) == (
        "du 1er septembre au 15 décembre 2017"
    )
    assert when_label(paris(2026, 12, 30, 18), paris(2027, 1, 2, 18), False) == (
        "du 30 décembre 2026, 18\u00a0h, au 2 janvier 2027, 18\u00a0h"
    )
    assert hours_label(paris(2026, 12, 5), paris(2026, 12, 5, 23, 59), True) == "toute la journée"
    assert price_label(7.5) == "7,50\u00a0€" and price_label(5) == "5\u00a0€"
