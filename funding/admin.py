from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backoffice.admin_layout import InlineAddLabelsMixin
from backoffice.admin_scoping import StaleListFilter, TerritoryScopedAdmin
from backoffice.imports.admin import ScopedImportExportMixin
from backoffice.scoping import Scope
from territories.lookup import resolve_territory, territory_name

from .models import FinancingLine, FundedOperation, Funder
from .money import format_euros, format_share
from .resources import OperationLineResource


class FunderForm(forms.ModelForm):
    """A funder; for a territory editor, one of their own territories' (set by
    ``FunderAdmin.get_form``: ``scope``)."""

    scope = None

    class Meta:
        model = Funder
        fields = ["name", "short_name", "slug", "category", "territory_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editable = "territory_code" in self.fields  # not on a read-only page
        if editable and self.scope is not None and not self.scope.unrestricted:
            # An editor chooses among their territories rather than typing a code.
            field = self.fields["territory_code"]
            field.widget = forms.Select(
                choices=[("", "---------"), *self.scope.territory_choices()]
            )
            field.help_text = _("Le territoire de ce financeur, parmi les vôtres.")

    def clean_territory_code(self):
        code = self.cleaned_data.get("territory_code", "")
        if self.scope is None or self.scope.unrestricted:
            return code
        if not code:
            raise ValidationError(
                _(
                    "Indiquez le territoire de ce financeur (votre intercommunalité, "
                    "une de ses communes…) : vous enregistrez les financeurs de vos "
                    "territoires."
                ),
                code="territory_required",
            )
        territory = resolve_territory(code)
        if territory is None or not self.scope.contains_territory(territory.level, territory.obj):
            raise ValidationError(
                _("Ce territoire n'est pas l'un des vôtres (%(territories)s)."),
                code="territory_out_of_scope",
                params={"territories": self.scope.describe()},
            )
        return territory.code


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    """Funders: everyone with a role reads them; a territory editor records and
    edits those of their own territories (a commune, an EPCI, a département, a
    syndicate's area), a regional administrator all of them, and merges duplicates.
    """

    form = FunderForm
    list_display = ["name", "short_name", "category", "territory", "line_count"]
    list_filter = ["category"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_lines=Count("lines"), _territory=territory_name("territory_code"))
            # A grouped query loses the model's ordering: the autocomplete pages it.
            .order_by("name", "pk")
        )

    @admin.display(description=_("lignes"), ordering="_lines")
    def line_count(self, obj):
        return obj._lines

    @admin.display(description=_("territoire"), ordering="_territory")
    def territory(self, obj):
        """« Jeumont », « CA Maubeuge Val de Sambre »: the name, not the code."""
        return obj._territory or "-"

    # -- who may change which funder ----------------------------------------
    def in_scope(self, request, funder) -> bool:
        scope = Scope.for_user(request.user)
        if scope.unrestricted:
            return True
        territory = resolve_territory(funder.territory_code) if funder.territory_code else None
        return territory is not None and scope.contains_territory(territory.level, territory.obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.in_scope(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.in_scope(request, obj))

    def has_merge_permission(self, request):
        """Merging moves lines of every territory: regional administrators only."""
        return (
            Scope.for_user(request.user).unrestricted
            and request.user.has_perm("funding.change_funder")
            and request.user.has_perm("funding.delete_funder")
            and request.user.has_perm("funding.change_financingline")
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"scope": Scope.for_user(request.user)})

    def save_model(self, request, obj, form, change):
        # The form keeps an editor's funder in their territories; the last guard, on
        # the new values and on the stored funder (a form posted from elsewhere).
        if not self.in_scope(request, obj):
            raise PermissionDenied
        if change and not self.in_scope(request, Funder.objects.get(pk=obj.pk)):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    # -- merging duplicates --------------------------------------------------
    @admin.action(description=_("Fusionner les financeurs sélectionnés"), permissions=["merge"])
    def merge(self, request, queryset):
        funders = list(queryset.order_by("name"))
        if len(funders) < 2:
            self.message_user(
                request, _("Sélectionnez au moins deux financeurs à fusionner."), messages.WARNING
            )
            return None
        keep_id = request.POST.get("keep")
        if request.POST.get("confirm") and keep_id:
            keep = next((funder for funder in funders if str(funder.pk) == keep_id), None)
            if keep is None:
                self.message_user(request, _("Financeur à garder inconnu."), messages.ERROR)
                return None
            moved = merge_funders(keep, [f for f in funders if f.pk != keep.pk], request.user)
            self.message_user(
                request,
                ngettext(
                    "%(count)d ligne de financement rattachée à « %(name)s » ; les doublons "
                    "sont supprimés.",
                    "%(count)d lignes de financement rattachées à « %(name)s » ; les doublons "
                    "sont supprimés.",
                    moved,
                )
                % {"count": moved, "name": keep.name},
                messages.SUCCESS,
            )
            return None
        counts = dict(
            FinancingLine.objects.filter(funder__in=funders)
            .values_list("funder_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        # The one with the most lines first, and chosen unless changed.
        choices = sorted(
            ((funder, counts.get(funder.pk, 0)) for funder in funders), key=lambda c: -c[1]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Fusionner des financeurs"),
            "opts": self.model._meta,
            "choices": choices,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/funding/funder/merge.html", context)


@transaction.atomic
def merge_funders(keep: Funder, duplicates: list[Funder], user) -> int:
    """Move the lines of ``duplicates`` to ``keep`` (each line's history says so and
    who did it), then delete the duplicates. Returns how many lines moved."""
    moved = 0
    for duplicate in duplicates:
        for line in FinancingLine.objects.filter(funder=duplicate).select_for_update():
            line.funder = keep
            line._change_reason = f"fusion de financeurs : « {duplicate.name} » → « {keep.name} »"
            line._history_user = user
            line.save()
            moved += 1
        duplicate.delete()
    return moved


class LinesFormSet(forms.BaseInlineFormSet):
    """Checks the lines of an operation together: shares ≤ 100 %, amounts ≤ total."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The formset checks the siblings with their new values (clean below);
        # the line's own clean() would compare with the old ones.
        form.instance.siblings_checked_by_formset = True
        return form

    def saved_since(self) -> dict:
        """Share and amount of the operation's lines this form does not show.

        Lines another staff member saved after this form was opened: they count.
        """
        if self.instance.pk is None:
            return {"share": None, "amount": None}
        shown = [form.instance.pk for form in self.forms if form.instance.pk]
        return (
            FinancingLine.objects.filter(operation=self.instance)
            .exclude(pk__in=shown)
            .aggregate(share=Sum("share"), amount=Sum("amount"))
        )

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        elsewhere = self.saved_since()
        reload = (
            _(" Des lignes ont été enregistrées entre-temps : rechargez la page pour les voir.")
            if elsewhere["share"] is not None or elsewhere["amount"] is not None
            else ""
        )
        shares = sum((data.get("share") or Decimal(0)) for data in kept)
        shares += elsewhere["share"] or 0
        if shares > 100:
            raise ValidationError(
                _("Les parts des financeurs font %(total)s : elles ne peuvent dépasser 100 %%.")
                + reload,
                code="shares_over_100",
                params={"total": format_share(shares)},
            )
        total = self.instance.total_cost
        amounts = sum((data.get("amount") or Decimal(0)) for data in kept)
        amounts += elsewhere["amount"] or 0
        if total is not None and amounts > total:
            raise ValidationError(
                _("Les montants des lignes (%(amounts)s) dépassent le coût total (%(total)s).")
                + reload,
                code="amounts_over_total",
                params={"amounts": format_euros(amounts), "total": format_euros(total)},
            )


class ConcurrentSaveMixin:
    """The form error, not a 500, for whoever saves second.

    Two staff members changing one operation's lines at once can both pass the
    form's checks; the database trigger then refuses the second save (shares
    over 100 %, amounts over the total) and nothing of it is written. Its form
    is checked again, now against the lines the other saved, and shown with
    the error.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            self.message_user(
                request,
                _(
                    "Les financements de cette opération ont changé pendant l'enregistrement : "
                    "rien n'a été enregistré, vérifiez-les et recommencez."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class FinancingLineInline(admin.StackedInline):
    """The lines of an operation, each on three short lines: in a table row its
    seven fields made a form 1,650 px wide."""

    model = FinancingLine
    formset = LinesFormSet
    extra = 1
    autocomplete_fields = ["funder"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("funder", "status"),
                    ("amount", "share", "decision_date"),
                    ("nature", "source"),
                ]
            },
        )
    ]
    classes = ["compact-inline"]  # its layout: static/css/admin_layout.css
    add_label = _("Ajouter une ligne de financement")


class YearFilter(admin.SimpleListFilter):
    title = _("année de début")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = FundedOperation.objects.exclude(start_date=None).dates(
            "start_date", "year", order="DESC"
        )
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(start_date__year=int(value))
        return queryset


@admin.register(FundedOperation)
class FundedOperationAdmin(
    InlineAddLabelsMixin, ConcurrentSaveMixin, ScopedImportExportMixin, TerritoryScopedAdmin
):
    resource_classes = [OperationLineResource]
    import_models = (FundedOperation, FinancingLine)
    list_display = ["title", "hub", "purpose", "total_display", "line_count", "start_date"]
    list_filter = [
        "lines__funder__category",
        ("lines__funder", admin.RelatedOnlyFieldListFilter),
        "lines__status",
        YearFilter,
        "purpose",
        StaleListFilter,
        ("hub__commune__departement", admin.RelatedOnlyFieldListFilter),
        ("hub__commune__epci", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "hub__name", "programme"]
    autocomplete_fields = ["hub"]
    list_select_related = ["hub"]
    inlines = [FinancingLineInline]
    ordering = ["hub__name", "start_date", "title"]  # Meta.ordering is lost with Count()
    scope_paths = ("hub__commune",)
    fieldsets = [
        (None, {"fields": ["hub", "title", "purpose", "total_cost"]}),
        (_("Période et programme"), {"fields": ["start_date", "end_date", "programme"]}),
        (_("Précisions"), {"fields": ["notes", "source"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_lines=Count("lines")).distinct()

    @admin.display(description=_("coût total"), ordering="total_cost")
    def total_display(self, obj):
        return format_euros(obj.total_cost) if obj.total_cost is not None else "—"

    @admin.display(description=_("lignes"), ordering="_lines")
    def line_count(self, obj):
        return obj._lines

    def save_formset(self, request, form, formset, change):
        if formset.model is not FinancingLine:
            return super().save_formset(request, form, formset, change)
        # Save lowered lines before raised ones: the database trigger checks the
        # operation's totals after every single row.
        lines = formset.save(commit=False)
        for line in formset.deleted_objects:
            line.delete()
        old = FinancingLine.objects.in_bulk([line.pk for line in lines if line.pk])

        def growth(line):
            before = old.get(line.pk)
            return (
                (line.share or 0) - ((before.share or 0) if before else 0),
                (line.amount or 0) - ((before.amount or 0) if before else 0),
            )

        for line in sorted(lines, key=growth):
            line.save()
        formset.save_m2m()


@admin.register(FinancingLine)
class FinancingLineAdmin(ConcurrentSaveMixin, TerritoryScopedAdmin):
    list_display = [
        "operation",
        "funder",
        "amount_display",
        "share_display",
        "status",
        "nature",
        "decision_date",
    ]
    list_filter = [
        "funder__category",
        ("funder", admin.RelatedOnlyFieldListFilter),
        "status",
        "nature",
        ("operation__hub__commune__departement", admin.RelatedOnlyFieldListFilter),
        ("operation__hub__commune__epci", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["operation__title", "operation__hub__name", "funder__name", "source"]
    autocomplete_fields = ["operation", "funder"]
    list_select_related = ["operation", "funder"]
    date_hierarchy = "decision_date"
    scope_paths = ("operation__hub__commune",)

    @admin.display(description=_("montant"), ordering="amount")
    def amount_display(self, obj):
        return format_euros(obj.amount) if obj.amount is not None else "—"

    @admin.display(description=_("part"), ordering="share")
    def share_display(self, obj):
        return format_share(obj.share) if obj.share is not None else "—"
