"""Settings of the events app."""

from django.conf import settings


def uid_domain() -> str:
    """The fixed domain in iCalendar UIDs (``event-<pk>@<domain>``).

    Not the request's host: a feed served under two host names (or through a
    proxy) must give the same UIDs, or calendars would show every event twice.
    """
    return settings.EVENTS_UID_DOMAIN  # the environment's EVENTS_UID_DOMAIN (docs/settings.md)


EVENTS_PER_PAGE = 30
# A subscribed calendar replaces its copy at each refresh: feeds keep the events
# that ended in the last RECENT_DAYS so that they do not vanish at once.
FEED_RECENT_DAYS = 60
# The month view shows at most this many events (a month of a real agenda has far fewer).
MONTH_MAX_EVENTS = 400
HUB_PAGE_EVENTS = 5
# A feed lists at most this many events (the soonest): a calendar app has no use for
# thousands, and icalendar takes about 1 ms per event. Rendered feeds are cached
# by ETag for FEED_CACHE_SECONDS (the ETag changes whenever an event or hub does).
FEED_MAX_EVENTS = 1000
FEED_CACHE_SECONDS = 600
