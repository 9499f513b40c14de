"""Model fields shared by the apps."""

from django.db import models


class URLField(models.URLField):
    """A web address. Typed without its scheme (« www.lieu.fr »), a form reads it as
    https: Django 6's default, asked for now (no deprecation warning), in every form
    the field makes (admin, managers' forms, imports' validation).

    Stored and migrated exactly as Django's URLField (``deconstruct``).
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs
