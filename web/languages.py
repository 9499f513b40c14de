"""Texts typed by staff are French; a page in another language marks them so
(WCAG 3.1.2: screen readers then read them with a French voice)."""

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

#: The language in which staff type names, descriptions and notes.
SOURCE_LANGUAGE = "fr"


def page_is_in_source_language() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0] == SOURCE_LANGUAGE


def source_lang_attribute() -> SafeString:
    """`` lang="fr"`` when the page is in another language, else nothing."""
    if page_is_in_source_language():
        return mark_safe("")
    return mark_safe(f' lang="{SOURCE_LANGUAGE}"')  # noqa: S308 (a constant)
