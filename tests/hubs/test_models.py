import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hubs.models import Hub, HubIndicator, HubKind, HubPhoto
from tests import factories

pytestmark = pytest.mark.django_db


def _raises_integrity(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_reference_vocabularies_are_installed_by_migrations():
    assert {"fablab", "coworking", "pepiniere", "ecole", "tiers-lieu", "campus"} <= set(
        HubKind.objects.values_list("slug", flat=True)
    )


def test_database_refuses_out_of_range_coordinates():
    hub = factories.hub()
    _raises_integrity(lambda: Hub.objects.filter(pk=hub.pk).update(latitude=91))
    _raises_integrity(lambda: Hub.objects.filter(pk=hub.pk).update(longitude=-180.5))


def test_database_refuses_a_hub_that_is_its_own_parent():
    hub = factories.hub()
    _raises_integrity(lambda: Hub.objects.filter(pk=hub.pk).update(parent=hub))


def test_database_refuses_empty_name_and_zero_surface():
    hub = factories.hub()
    _raises_integrity(lambda: Hub.objects.filter(pk=hub.pk).update(name=""))
    _raises_integrity(lambda: Hub.objects.filter(pk=hub.pk).update(surface_m2=0))


def test_clean_refuses_parent_cycles():
    forge = factories.hub(name="Forge")
    school = factories.hub(name="École", parent=forge)
    forge.parent = school
    with pytest.raises(ValidationError) as error:
        forge.full_clean()
    assert error.value.error_dict["parent"][0].code == "parent_cycle"


def test_clean_refuses_a_postcode_of_another_commune():
    hub = factories.hub(postcode="59300")
    hub.full_clean()
    hub.postcode = "62100"
    with pytest.raises(ValidationError) as error:
        hub.full_clean()
    assert "postcode" in error.value.error_dict


def test_photo_alt_text_is_required_everywhere():
    hub = factories.hub()
    photo = HubPhoto(hub=hub, image="hubs/photos/x.jpg", alt_text="")
    with pytest.raises(ValidationError):
        photo.full_clean()
    _raises_integrity(lambda: HubPhoto.objects.create(hub=hub, image="x.jpg", alt_text=""))


def test_indicator_constraints():
    hub = factories.hub()
    HubIndicator.objects.create(hub=hub, year=2017, jobs=25)
    _raises_integrity(lambda: HubIndicator.objects.create(hub=hub, year=2017))
    _raises_integrity(lambda: HubIndicator.objects.create(hub=hub, year=2018, success_rate=101))
    with pytest.raises(ValidationError):
        HubIndicator(hub=hub, year=1800).full_clean()


def test_search_text_follows_name_commune_and_kinds():
    hub = factories.hub(name="La Pépinière", kinds=["fablab"])
    hub.refresh_from_db()
    assert " pepiniere " in hub.search_text and "valenciennes" in hub.search_text
    assert "fablab" in hub.search_text
    hub.kinds.add(HubKind.objects.get(slug="coworking"))
    hub.refresh_from_db()
    assert "coworking" in hub.search_text
    hub.kinds.clear()
    hub.refresh_from_db()
    assert "fablab" not in hub.search_text


def test_renaming_a_kind_refreshes_its_hubs():
    hub = factories.hub(kinds=["epn"])
    kind = HubKind.objects.get(slug="epn")
    kind.name = "Médiathèque numérique"
    kind.save()
    hub.refresh_from_db()
    assert "mediatheque numerique" in hub.search_text


def test_absolute_url():
    assert factories.hub(slug="pop-school").get_absolute_url() == "/hubs/pop-school/"


def test_seeded_kind_colours_carry_white_text(db):
    from hubs.models import MIN_BADGE_CONTRAST, HubKind, contrast_with_white

    for kind in HubKind.objects.all():
        kind.full_clean()
        assert contrast_with_white(kind.color) >= MIN_BADGE_CONTRAST, kind.slug
    assert round(contrast_with_white("#767676"), 2) == 4.54  # WCAG's reference grey
    assert contrast_with_white("#ffffff") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["cards", "fiche-exacte"])
def test_a_hub_cannot_take_a_path_of_the_site(slug, demo_territories):
    """/hubs/cards/ and /hubs/fiche-exacte/… are the site's own pages (hubs/urls.py)."""
    hub = factories.hub(slug=slug)
    with pytest.raises(ValidationError) as error:
        hub.full_clean()
    assert "slug" in error.value.message_dict
