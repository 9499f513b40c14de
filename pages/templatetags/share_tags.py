"""What a shared link and a search engine read in a page's ``<head>``: its canonical
address, OpenGraph's locale and absolute image URLs (``templates/base.html``)."""

from django import template

register = template.Library()

#: OpenGraph names a locale as language_TERRITORY.
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's own address, absolute, without its query string.

    A hub or event page is its path. A list or the map with filters, a sort, a
    place or tracking parameters (``utm_*``, ``fbclid``) is a view of the same page:
    its canonical address is the bare path, so that links shared with any filters
    count for one page. Only a paginated list beyond its first page keeps its page
    number (``?page=3``): it lists other records, and search engines ask that each
    page of a series be its own canonical page. The number is the one served
    (``page_obj``), never the query string's text.
    """
    request = context.get("request")
    if request is None:
        return ""
    url = request.build_absolute_uri(request.path)
    page = context.get("page_obj")
    number = getattr(page, "number", 1)
    if isinstance(number, int) and number > 1:
        url += f"?page={number}"
    return url


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """``url`` (a path, a media or static URL) on the request's scheme and host;
    an absolute URL (static files on a CDN) is returned as it is."""
    request = context.get("request")
    if not url or request is None:
        return url or ""
    return request.build_absolute_uri(url)


@register.simple_tag
def og_locale(language_code: str) -> str:
    return OG_LOCALES.get((language_code or "").split("-")[0], OG_LOCALES["fr"])
