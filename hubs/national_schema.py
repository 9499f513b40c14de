"""The national schema « lieux de médiation numérique » v1.0.2, and our hubs in it.

One table says how our fields and vocabularies map onto the schema's columns and
words: ``COLUMNS`` (where each column comes from) and ``TERMS`` (our code or slug
↔ the schema's word, for the enumerated columns). The export reads it one way
(:func:`words`), an import reads it the other way (:func:`codes`), and
``docs/national-schema.md`` prints it (:func:`markdown`, kept in step by a test).

The schema itself is ``standards/mediation-numerique/schema.json`` (Licence Ouverte).
"""

from dataclasses import dataclass
from pathlib import Path

from .choices import Itinerance, NationalProgramme, Service, SpecificSupport, SupportMode

SCHEMA_VERSION = "v1.0.2"
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "standards/mediation-numerique/schema.json"

#: The character between the values of a list column.
LIST_SEPARATOR = "|"

#: The schema's columns, in its order, and what each is made of here.
COLUMNS: list[tuple[str, str]] = [
    ("id", "`pk` : le numéro du lieu, stable (celui de `/api/v1/hubs/<id>.json`)"),
    ("pivot", "`siret` ; « 00000000000000 » (pivot inconnu) quand il n'est pas renseigné"),
    ("nom", "`name`"),
    ("commune", "`commune.name`"),
    ("code_postal", "`postcode`, sinon le premier code postal de la commune"),
    ("code_insee", "`commune` (code INSEE)"),
    ("adresse", "`street_address`, sinon le nom de la commune (la colonne est obligatoire)"),
    ("complement_adresse", "vide (pas de champ)"),
    ("latitude", "`latitude` (WGS84, 6 décimales)"),
    ("longitude", "`longitude`"),
    ("typologie", "`kinds` et `operator_kind`, par la table ci-dessous"),
    ("telephone", "`phone` au format international (+33…) ; vide s'il ne s'y ramène pas"),
    ("courriels", "`email`"),
    ("site_web", "`website`"),
    ("horaires", "`opening_hours` tel quel (syntaxe OpenStreetMap, déjà validée)"),
    ("presentation_resume", "`summary`, coupé proprement à 280 caractères"),
    ("presentation_detail", "`description`"),
    ("source", "le nom du site (`SITE_NAME`)"),
    ("itinerance", "`itinerance`"),
    ("structure_parente", "`operator`, sinon le nom du lieu parent publié"),
    ("date_maj", "`updated_at` (date, heure de Paris)"),
    ("services", "`services`, et les équipements de la table"),
    ("publics_specifiquement_adresses", "`audiences`, par la table"),
    ("prise_en_charge_specifique", "`specific_support`"),
    ("frais_a_charge", "`fees`"),
    ("dispositif_programmes_nationaux", "`national_programmes`, et les labels de la table"),
    ("formations_labels", "`labels`, par la table"),
    ("autres_formations_labels", "les noms des autres `labels`"),
    ("modalites_acces", "`access_modes`"),
    ("modalites_accompagnement", "`support_modes`"),
    ("fiche_acces_libre", "`acceslibre_url`"),
    ("prise_rdv", "`booking_url`"),
]
COLUMN_NAMES = [name for name, _source in COLUMNS]


@dataclass(frozen=True)
class Term:
    """Our ``code`` in ``source`` (a field's choice, a vocabulary's slug) is the
    schema's ``word`` in ``column``."""

    column: str
    source: str
    code: str
    word: str


def _terms(column: str, source: str, pairs) -> list[Term]:
    return [Term(column, source, str(code), word) for code, word in pairs]


# Within a column and a source, the first term of a word is the one an import
# reads it as (``tiers-lieu`` before ``coworking`` for TIERS_LIEUX).
TERMS: list[Term] = [
    # typologie: the data.inclusion typology of structures (the schema points to it).
    *_terms(
        "typologie",
        "kinds",
        [
            ("fablab", "FABLAB"),
            ("tiers-lieu", "TIERS_LIEUX"),
            ("coworking", "TIERS_LIEUX"),
            ("epn", "EPN"),
            ("maison-numerique", "EPN"),
            ("ecole", "OF"),
            ("campus", "OF"),
        ],
    ),
    *_terms(
        "typologie",
        "operator_kind",
        [
            ("association", "ASSO"),
            ("commune", "MUNI"),
            ("epci", "EPCI"),
            ("departement", "CD"),
            ("region", "REG"),
            ("chamber", "CCONS"),
        ],
    ),
    *_terms(
        "itinerance",
        "itinerance",
        [(Itinerance.FIXED, "Fixe"), (Itinerance.ITINERANT, "Itinérant")],
    ),
    *_terms(
        "services",
        "services",
        [
            (Service.ADMIN_PROCEDURES, "Aide aux démarches administratives"),
            (Service.EVERYDAY_TOOLS, "Maîtrise des outils numériques du quotidien"),
            (Service.EMPLOYMENT, "Insertion professionnelle via le numérique"),
            (Service.SAFE_USE, "Utilisation sécurisée du numérique"),
            (Service.PARENTING, "Parentalité et éducation avec le numérique"),
            (Service.LEISURE, "Loisirs et créations numériques"),
            (Service.UNDERSTANDING, "Compréhension du monde numérique"),
            (Service.INTERNET_ACCESS, "Accès internet et matériel informatique"),
            (Service.AFFORDABLE_EQUIPMENT, "Acquisition de matériel informatique à prix solidaire"),
        ],
    ),
    *_terms("services", "equipment", [("ordinateurs", "Accès internet et matériel informatique")]),
    # Audiences are an editable vocabulary: « familles », « seniors » and « femmes »
    # are not seeded, but an audience created with one of these slugs maps.
    *_terms(
        "publics_specifiquement_adresses",
        "audiences",
        [
            ("jeunes", "Jeunes"),
            ("etudiants", "Étudiants"),
            ("familles", "Familles et/ou enfants"),
            ("scolaires", "Familles et/ou enfants"),
            ("seniors", "Seniors"),
            ("femmes", "Femmes"),
        ],
    ),
    *_terms(
        "prise_en_charge_specifique",
        "specific_support",
        [
            (SpecificSupport.DEAFNESS, "Surdité"),
            (SpecificSupport.MOTOR, "Handicaps moteurs"),
            (SpecificSupport.MENTAL, "Handicaps mentaux"),
            (SpecificSupport.ILLITERACY, "Illettrisme"),
            (SpecificSupport.ENGLISH, "Langues étrangères (anglais)"),
            (SpecificSupport.OTHER_LANGUAGES, "Langues étrangères (autres)"),
            (SpecificSupport.VISUAL, "Déficience visuelle"),
        ],
    ),
    *_terms(
        "frais_a_charge",
        "fees",
        [("free", "Gratuit"), ("conditional", "Gratuit sous condition"), ("paid", "Payant")],
    ),
    *_terms(
        "dispositif_programmes_nationaux",
        "national_programmes",
        [
            (NationalProgramme.AIDANTS_CONNECT, "Aidants Connect"),
            (NationalProgramme.BNR, "Bibliothèques numérique de référence"),
            (NationalProgramme.PIX, "Certification PIX"),
            (NationalProgramme.CONSEILLERS_NUMERIQUES, "Conseillers numériques"),
            (NationalProgramme.EMMAUS_CONNECT, "Emmaüs Connect"),
            (NationalProgramme.FRANCE_SERVICES, "France Services"),
            (NationalProgramme.GRANDE_ECOLE_NUMERIQUE, "Grande école du numérique"),
            (NationalProgramme.CROIX_ROUGE, "La Croix Rouge"),
            (NationalProgramme.CAF, "Point d'accès numérique CAF"),
            (NationalProgramme.PROMENEURS_DU_NET, "Promeneurs du net"),
            (NationalProgramme.RELAIS_EMMAUS_CONNECT, "Relais numérique (Emmaüs Connect)"),
        ],
    ),
    *_terms(
        "dispositif_programmes_nationaux",
        "labels",
        [("grande-ecole-numerique", "Grande école du numérique")],
    ),
    *_terms("formations_labels", "labels", [("fabrique-territoire", "Fabriques de Territoire")]),
    *_terms(
        "modalites_acces",
        "access_modes",
        [
            ("walk_in", "Se présenter"),
            ("phone", "Téléphoner"),
            ("email", "Contacter par mail"),
            ("online", "Prendre un RDV en ligne"),
            ("referral", "Envoyer un mail avec une fiche de prescription"),
            ("no_public", "Ce lieu n'accueille pas de public"),
        ],
    ),
    *_terms(
        "modalites_accompagnement",
        "support_modes",
        [
            (SupportMode.AUTONOMOUS, "En autonomie"),
            (SupportMode.INDIVIDUAL, "Accompagnement individuel"),
            (SupportMode.GROUP, "Dans un atelier collectif"),
            (SupportMode.REMOTE, "À distance"),
        ],
    ),
]

_TERMS_BY_COLUMN: dict[str, list[Term]] = {}
for _term in TERMS:
    _TERMS_BY_COLUMN.setdefault(_term.column, []).append(_term)

#: A hub both fixed and itinerant is the two words of the schema.
ITINERANCE_CODES = {
    Itinerance.FIXED: [Itinerance.FIXED],
    Itinerance.ITINERANT: [Itinerance.ITINERANT],
    Itinerance.BOTH: [Itinerance.FIXED, Itinerance.ITINERANT],
}

#: Labels that map to a column of their own (the others go to autres_formations_labels).
MAPPED_LABELS = frozenset(term.code for term in TERMS if term.source == "labels")


def words(column: str, sources: dict[str, list[str]]) -> list[str]:
    """The schema's words of ``column`` for our codes, ``{source: [codes]}``.

    In the table's order, each word once; a code the table does not know is left out.
    """
    result = []
    for term in _TERMS_BY_COLUMN.get(column, ()):
        if term.code in sources.get(term.source, ()) and term.word not in result:
            result.append(term.word)
    return result


def codes(column: str, source: str, schema_words) -> list[str]:
    """Our codes in ``source`` for the schema's words of ``column`` (an import's way).

    A word the table does not know is left out; each code once.
    """
    wanted = set(schema_words)
    result = []
    for term in TERMS:
        if (
            term.column == column
            and term.source == source
            and term.word in wanted
            and term.code not in result
        ):
            wanted.discard(term.word)  # the first term of a word is its reading
            result.append(term.code)
    return result


def markdown() -> str:
    """The table as Markdown, for ``docs/national-schema.md``."""
    lines = ["| Colonne du schéma | Ici |", "|---|---|"]
    lines += [f"| `{name}` | {source} |" for name, source in COLUMNS]
    lines += ["", "| Colonne | Champ ici | Code ici | Valeur du schéma |", "|---|---|---|---|"]
    lines += [f"| `{t.column}` | `{t.source}` | `{t.code}` | {t.word} |" for t in TERMS]
    return "\n".join(lines) + "\n"


DOC_FILE = SCHEMA_FILE.parent.parent.parent / "docs/national-schema.md"
DOC_START, DOC_END = "<!-- table:start -->\n", "<!-- table:end -->"


def write_doc() -> None:
    """Print the table into ``docs/national-schema.md``, between its markers."""
    text = DOC_FILE.read_text()
    head, rest = text.split(DOC_START, 1)
    tail = rest.split(DOC_END, 1)[1]
    DOC_FILE.write_text(head + DOC_START + markdown() + DOC_END + tail)
