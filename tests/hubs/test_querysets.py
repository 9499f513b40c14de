import pytest

from hubs.models import Hub
from territories.lookup import resolve_territory
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    calais = factories.commune(
        insee="62193",
        name="Calais",
        dep="62",
        epci_siren="200090751",
        postcodes=("62100",),
        lat=50.9513,
        lng=1.8587,
    )
    return {
        "forge": factories.hub(name="La Nouvelle Forge", kinds=["tiers-lieu"]),
        "pepiniere": factories.hub(
            name="Pépinière d'entreprises", kinds=["pepiniere"], lat=50.36, lng=3.51
        ),
        "fablab": factories.hub(name="Fablab Côte d'Opale", kinds=["fablab"], commune_obj=calais),
        "draft": factories.hub(name="Brouillon", publication=Hub.Publication.DRAFT),
    }


def test_published_hides_drafts_and_archives(places):
    factories.hub(name="Archivé", publication=Hub.Publication.ARCHIVED)
    names = set(Hub.objects.published().values_list("name", flat=True))
    assert names == {"La Nouvelle Forge", "Pépinière d'entreprises", "Fablab Côte d'Opale"}


@pytest.mark.parametrize("query", ["pepiniere", "PÉPINIÈRE", "Pepinière", "entreprises pepin"])
def test_search_ignores_accents_and_case(places, query):
    assert list(Hub.objects.search(query)) == [places["pepiniere"]]


def test_search_by_commune_name(places):
    assert list(Hub.objects.search("calais")) == [places["fablab"]]
    assert Hub.objects.search("").count() == 4


def test_near_filters_by_radius_and_orders_by_distance(places):
    found = list(Hub.objects.published().near(50.3579, 3.5234, km=5))
    assert [h.name for h in found] == ["La Nouvelle Forge", "Pépinière d'entreprises"]
    assert found[0].distance < found[1].distance < 5
    assert Hub.objects.near(50.3579, 3.5234, km=200).count() == 4


def test_in_territory_each_level(places):
    factories.epci("200090751", "CA Grand Calais Terres et Mers")
    epci = resolve_territory("245901160")
    assert places["fablab"] not in Hub.objects.in_territory(epci)
    assert Hub.objects.in_territory(resolve_territory("dep:62")).get() == places["fablab"]
    assert Hub.objects.in_territory(resolve_territory("region:32")).count() == 4  # draft too
    assert Hub.objects.in_territory(resolve_territory("62193")).get() == places["fablab"]


def test_with_any_and_with_all(places):
    places["forge"].kinds.add(*places["pepiniere"].kinds.all())
    assert set(Hub.objects.published().with_any("kinds", ["pepiniere", "fablab"])) == {
        places["forge"],
        places["pepiniere"],
        places["fablab"],
    }
    assert list(Hub.objects.published().with_all("kinds", ["pepiniere", "tiers-lieu"])) == [
        places["forge"]
    ]
    # No duplicates from the join:
    assert Hub.objects.published().with_any("kinds", ["pepiniere", "tiers-lieu"]).count() == 2


def test_related_by_hub_orders_names_and_shapes_each_distinct_list_once(places):
    from hubs.models import HubKind
    from hubs.selectors import kinds_by_hub, related_by_hub

    both = ["fablab", "tiers-lieu"]
    places["forge"].kinds.set(HubKind.objects.filter(slug__in=both))
    places["pepiniere"].kinds.set(HubKind.objects.filter(slug__in=both))
    hubs = Hub.objects.filter(pk__in=[places["forge"].pk, places["pepiniere"].pk])
    order = list(HubKind.objects.filter(slug__in=both).order_by("position", "name"))

    assert kinds_by_hub(hubs) == {
        places["forge"].pk: [k.slug for k in order],
        places["pepiniere"].pk: [k.slug for k in order],
    }
    pairs = related_by_hub(hubs, "kinds", with_names=True)
    assert pairs[places["forge"].pk] == [(k.name, k.slug) for k in order]

    shaped = []

    def shape(slugs):
        shaped.append(slugs)
        return "|".join(slugs)

    texts = kinds_by_hub(hubs, shape=shape)
    assert (
        texts[places["forge"].pk]
        == texts[places["pepiniere"].pk]
        == "|".join(k.slug for k in order)
    )
    assert len(shaped) == 1  # two hubs, one distinct set of kinds
    assert places["fablab"].pk not in texts


def test_vocabulary_filters_given_nothing_leave_the_queryset_alone(places):
    from hubs.filters import HubFilterSet

    filterset = HubFilterSet({}, queryset=Hub.objects.published())
    assert filterset.is_valid()
    # An empty list, not an empty queryset each request would compile to find empty.
    assert filterset.form.cleaned_data["kind"] == []
    assert filterset.qs.query.where == Hub.objects.published().query.where
    chosen = HubFilterSet({"kind": ["fablab"]}, queryset=Hub.objects.published())
    assert [h.name for h in chosen.qs] == ["Fablab Côte d'Opale"]
