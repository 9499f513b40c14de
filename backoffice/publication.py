"""The publication workflow: draft → published → archived, and who may publish.

Editors publish directly unless the region asks for a review first
(``DIRECTORY_REVIEW_REQUIRED``): then only who has the model's ``publish_<model>``
permission (regional administrators) puts a record online, by the change form,
a history version or the « Publier » action alike.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def can_publish(user, model) -> bool:
    """Editors publish directly unless the region asks for a review first."""
    if not settings.PUBLICATION_REVIEW_REQUIRED:
        return True
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


class PublicationAdminMixin:
    """The draft → published → archived workflow, and who may publish."""

    publication_field = "publication"
    #: On the admin home's to-do: what drafts and stale records are called.
    todo_labels: tuple[str, str] | None = None

    def extra_todo_rows(self, request, records, changelist_url) -> list[dict]:
        """More rows for the admin home's to-do, each a dict of ``count``, ``label`` and
        ``url``; ``records`` is the admin's queryset (the user's territories)."""
        return []

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == self.publication_field and not can_publish(request.user, self.model):
            published = self.model.Publication.PUBLISHED
            kwargs["choices"] = [
                (value, label)
                for value, label in db_field.get_choices(include_blank=False)
                if value != published
            ]
            kwargs.setdefault(
                "help_text",
                _("Un administrateur régional relit et publie les brouillons."),
            )
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def is_published_now(self, obj) -> bool:
        """Whether ``obj`` is published in the database (not in an older version of it)."""
        return (
            obj is not None
            and obj.pk is not None
            and self.model._default_manager.filter(
                pk=obj.pk, **{self.publication_field: self.model.Publication.PUBLISHED}
            ).exists()
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        field = form.base_fields.get(self.publication_field)
        if (
            field is not None
            and not can_publish(request.user, self.model)
            and self.is_published_now(obj)
        ):
            # An editor may correct a published record without unpublishing it.
            published = self.model.Publication.PUBLISHED
            field.choices = [*field.choices, (published, published.label)]
        return form

    def save_model(self, request, obj, form, change):
        # The last guard behind the form's choices: only who may publish puts a
        # record online (by the change form, a history version or any other form).
        if (
            getattr(obj, self.publication_field) == self.model.Publication.PUBLISHED
            and not can_publish(request.user, self.model)
            and not self.is_published_now(obj)
        ):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_publish(request.user, self.model):
            actions.pop("publish", None)
        return actions

    def _set_publication(self, request, queryset, value, message):
        """Move the selected records to ``value``, one save each (history), and say how many."""
        changed = 0
        for obj in queryset.exclude(**{self.publication_field: value}):
            setattr(obj, self.publication_field, value)
            obj._change_reason = _("action groupée : %(state)s") % {
                "state": obj.get_publication_display()
            }
            obj.save()
            changed += 1
        self.message_user(request, message(changed) % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Publier"), permissions=["change"])
    def publish(self, request, queryset):
        if not can_publish(request.user, self.model):
            raise PermissionDenied
        self._set_publication(
            request,
            queryset,
            self.model.Publication.PUBLISHED,
            lambda n: ngettext("%(count)d fiche publiée.", "%(count)d fiches publiées.", n),
        )

    @admin.action(description=_("Archiver (retirer du site)"), permissions=["change"])
    def archive(self, request, queryset):
        self._set_publication(
            request,
            queryset,
            self.model.Publication.ARCHIVED,
            lambda n: ngettext("%(count)d fiche archivée.", "%(count)d fiches archivées.", n),
        )

    @admin.action(description=_("Repasser en brouillon"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_publication(
            request,
            queryset,
            self.model.Publication.DRAFT,
            lambda n: ngettext(
                "%(count)d fiche repassée en brouillon.",
                "%(count)d fiches repassées en brouillon.",
                n,
            ),
        )
