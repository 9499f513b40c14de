"""How cells are read and written: « 1 000,50 », « oui », 31/12/2017, codes and slugs."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from territories.text import normalize
from web.spreadsheets import restore_cell


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(widgets.CharWidget):
    """Text, stripped; empty cells give "" (an export's « '=… » gives back « =… »)."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return restore_cell(str(value).strip())


class URLWidget(TextWidget):
    """« www.exemple.fr » becomes « https://www.exemple.fr » (as the admin form does)."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text and "://" not in text:
            text = "https://" + text
        return text


def _number_text(value) -> str:
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    text = text.replace("€", "").replace("%", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")  # 1.000,50
    return text.replace(",", ".")


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return Decimal(str(value))
        try:
            return Decimal(_number_text(value))
        except InvalidOperation:
            raise ValueError(_("« %(value)s » n'est pas un nombre") % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        if kwargs.get("force_native_type"):
            return value
        return format(value, "f")


class FloatWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        try:
            return float(_number_text(value))
        except ValueError:
            raise ValueError(_("« %(value)s » n'est pas un nombre") % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        return value if kwargs.get("force_native_type") else repr(float(value))


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        number = DecimalWidget().clean(value)
        if number != number.to_integral_value():
            raise ValueError(_("« %(value)s » n'est pas un nombre entier") % {"value": value})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        return value if kwargs.get("force_native_type") else str(value)


class DateWidget(widgets.Widget):
    """ISO dates (2017-12-31) or French ones (31/12/2017); XLSX dates as they are."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"):
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(
            _("« %(value)s » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        return value if kwargs.get("force_native_type") else value.isoformat()


TRUE_WORDS = {"1", "oui", "o", "vrai", "true", "yes", "y", "x"}
FALSE_WORDS = {"0", "non", "n", "faux", "false", "no"}


NUMBER_WIDGETS = (DecimalWidget, FloatWidget, IntegerWidget)


class BooleanWidget(widgets.Widget):
    """« oui » / « non » (and 1/0, vrai/faux, true/false, x); empty gives None."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        word = normalize(str(value))
        if isinstance(value, (int, float)):
            word = str(int(value))
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(_("« %(value)s » : écrivez oui ou non") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else ("oui" if value else "non")


class ChoiceWidget(widgets.Widget):
    """A code (« open ») or its French label (« ouvert »); exported as the code."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        text = str(value).strip()
        wanted = normalize(text)
        for code, label in self.choices:
            if text == code or wanted in (normalize(code), normalize(str(label))):
                return code
        allowed = ", ".join(code for code, _label in self.choices)
        raise ValueError(
            _("« %(value)s » n'est pas une valeur possible (%(allowed)s)")
            % {"value": value, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CodeWidget(widgets.ForeignKeyWidget):
    """A related record by a code (INSEE code, slug); unknown codes are named in the error.

    A record of the territories (``scope_path``: from it to its commune) is looked
    up in the importing user's territories only, the ``scope`` the resource passes
    to ``clean``: one elsewhere is not found, and reads exactly as one that does
    not exist (the ``missing`` message), so that an import tells an editor nothing
    of other territories' records.
    """

    def __init__(
        self,
        model,
        field,
        label,
        clean_code=None,
        queryset=None,
        scope_path=None,
        missing=None,
        **kwargs,
    ):
        super().__init__(model, field=field, **kwargs)
        self.label = label
        self.clean_code = clean_code or (lambda v: str(v).strip())
        self._queryset = queryset
        self.scope_path = scope_path
        self.missing = missing or gettext_lazy("%(label)s inconnu : « %(code)s »")

    def get_queryset(self, value, row, *args, **kwargs):
        return self._queryset() if self._queryset else self.model.objects.all()

    def clean(self, value, row=None, scope=None, **kwargs):
        if is_blank(value):
            return None
        code = self.clean_code(value)
        queryset = self.get_queryset(value, row)
        if self.scope_path is not None:
            if scope is None:
                raise TypeError(f"{self.label}: the importing user's scope is needed")
            queryset = queryset.filter(scope.communes_q(self.scope_path))
        obj = queryset.filter(**{self.field: code}).first()
        if obj is None:
            raise ValueError(str(self.missing) % {"label": self.label, "code": code})
        return obj

    def render(self, value, obj=None, **kwargs):
        return getattr(value, self.field, "") if value is not None else ""


class SlugListWidget(widgets.ManyToManyWidget):
    """Comma-separated (or semicolon-separated) slugs of a vocabulary."""

    def __init__(self, model, label, **kwargs):
        super().__init__(model, separator=",", field="slug", **kwargs)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return []
        wanted = [s.strip() for s in re.split(r"[,;]", str(value)) if s.strip()]
        found = {obj.slug: obj for obj in self.model.objects.filter(slug__in=wanted)}
        unknown = [slug for slug in wanted if slug not in found]
        if unknown:
            allowed = ", ".join(self.model.objects.order_by("slug").values_list("slug", flat=True))
            raise ValueError(
                f"{self.label} inconnu(s) : {', '.join(unknown)} (identifiants possibles : {allowed})"
            )
        return [found[slug] for slug in dict.fromkeys(wanted)]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(sorted(item.slug for item in value.all()))
