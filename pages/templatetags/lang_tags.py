"""Texts typed in French stay French on the English site, and say so (WCAG 3.1.2)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from web.languages import page_is_in_source_language, source_lang_attribute

register = template.Library()


@register.simple_tag
def source_lang():
    """`` lang="fr"`` on an element holding typed text, when the page is in another
    language; nothing otherwise (``web.languages``)."""
    return source_lang_attribute()


@register.simple_tag
def source_lang_notice():
    """One line, on pages in another language, saying the typed texts are French."""
    if page_is_in_source_language():
        return ""
    return format_html(
        '<p class="help source-lang-notice">{}</p>',
        _("Les descriptions sont rédigées en français par les équipes des lieux."),
    )
