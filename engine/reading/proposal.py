"""The proposal file: pydantic models for what a policy officer writes down.

The generic part (legal status, scale, finances, capacity, procurement, …) is
the same for every region. The sections whose entries a region defines for
itself — its values, its care-landscape principles, its enrichment grounds —
are built per rule set from that rule set's vocabulary (see
:func:`proposal_model`), so a region's own terms get validation, did-you-mean
suggestions and editor autocompletion without any code change.

Every decision fact may be left out or set to ``unknown``: unknown is a value,
not false. Dutch answers (``ja``, ``nee``, ``weet ik niet``, …) are accepted.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from typing import Annotated, Any, Literal, Optional

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, create_model,
                      field_validator)

UNKNOWN = "unknown"

# Dutch (and a few English) spellings that mean the same as a canonical value.
_ALIASES: dict[str, str] = {
    "ja": "yes", "true": "yes", "y": "yes", "j": "yes",
    "nee": "no", "false": "no", "n": "no",
    "onbekend": UNKNOWN, "weet_ik_niet": UNKNOWN, "?": UNKNOWN, "nog_onbekend": UNKNOWN, "": UNKNOWN,
    "ondersteunt": "supports", "past": "supports", "draagt_bij": "supports",
    "neutraal": "neutral", "botst": "conflicts", "strijdig": "conflicts", "conflict": "conflicts",
    "beter": "better", "voordeliger": "better", "slechter": "worse", "nadeliger": "worse",
    "bestuurlijk_aanbesteden": "administrative_tendering", "europese_aanbesteding": "public_tender",
    "aanbesteding": "public_tender", "onderhandse_gunning": "single_source", "onderhands": "single_source",
    "subsidie": "subsidy", "anders": "other", "overig": "other",
    "onbepaalde_tijd": "indefinite", "bepaalde_tijd": "fixed",
    "inspanningsgericht": "effort", "outputgericht": "output", "taakgericht": "task", "geen": "none",
    "minder": "reduced", "lager": "reduced", "gelijk": "unchanged", "meer": "increased", "hoger": "increased",
    "inkoop": "procurement", "expertisefunctie": "expertise_function", "programma": "programme",
    "accounthouderschap": "account_holding", "kennisnetwerk": "knowledge_network",
    "regionaal": "regional", "lokaal": "local", "bovenregionaal": "supra_regional", "landelijk": "national",
    "subregionaal": "subregional", "deel_van_de_regio": "subregional",
    "in_lijn": "in_line", "past_in_de_lijn": "in_line",
}


_NORMALISED: dict[str, str] = {}  # answer as written -> canonical value (a few dozen spellings in practice)


def _normalise(value: Any) -> Any:
    """Accept booleans, None and Dutch spellings for enumerated answers."""
    if value is None:
        return UNKNOWN
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value.__class__ is str:
        found = _NORMALISED.get(value)
        if found is not None:
            return found
        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        found = _ALIASES.get(key, key)
        if len(_NORMALISED) >= 4096:
            _NORMALISED.clear()
        _NORMALISED[value] = found
        return found
    if isinstance(value, str):
        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        return _ALIASES.get(key, key)
    return value


def _enum(*values: str):
    """An enumerated fact that always admits ``unknown``; Dutch aliases are normalised first."""
    return Annotated[Literal[values + (UNKNOWN,)], BeforeValidator(_normalise)]  # type: ignore[valid-type]


Answer = _enum("yes", "no")
Fit = _enum("supports", "neutral", "conflicts")
Effect = _enum("better", "neutral", "worse")
Kind = _enum("procurement", "expertise_function", "programme", "account_holding", "knowledge_network", "other")
Tendering = _enum("administrative_tendering", "public_tender", "single_source", "subsidy", "other")
ContractTerm = _enum("indefinite", "fixed")
ExecutionVariant = _enum("effort", "output", "task", "none")
Burden = _enum("reduced", "unchanged", "increased")
Level = _enum("regional", "local")
ScaleAsked = _enum("local", "subregional", "regional", "supra_regional", "national")
Segment = Literal[1, 2, 3, 4, 5]


def q(nl: str, en: str, *, decision: bool = True, **extra: Any) -> dict[str, Any]:
    """Field metadata: the question in Dutch and English (used by docs and the interview)."""
    return {"json_schema_extra": {"question": {"nl": nl, "en": en}, "decision_fact": decision, **extra}}


def _not_a_number(value: Any) -> Any:
    """A date is written as a date: pydantic would read ``0`` as 1970-01-01 (a count of seconds)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("een getal is geen datum / a number is not a date (verwacht / expected: een datum "
                         "JJJJ-MM-DD / a date YYYY-MM-DD)")
    return value


FIRST_YEAR, LAST_YEAR = 1900, 2100  # a proposal date outside these years is a typing error


def _plausible_date(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"datum niet aannemelijk / implausible date (verwacht / expected: een datum van {FIRST_YEAR} "
                         f"t/m {LAST_YEAR} / a date from {FIRST_YEAR} to {LAST_YEAR})")
    return value


def _visible_title(value: str) -> str:
    """A title of only spaces and invisible characters (zero-width space, bidi marks) says nothing."""
    visible = "".join(ch for ch in value if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Mn"))
    if len(visible) < 3:
        raise ValueError("titel zonder zichtbare tekst / title without visible text (verwacht / expected: ten minste "
                         "3 zichtbare tekens / at least 3 visible characters)")
    return value


ProposalDate = Annotated[dt.date, BeforeValidator(_not_a_number), AfterValidator(_plausible_date)]


class Section(BaseModel):
    """Base for all proposal sections: unknown fields are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False, defer_build=True)


def _shorthand(field_name: str):
    """Allow ``key: conflicts`` as shorthand for ``key: {field_name: conflicts}``."""
    def convert(value: Any) -> Any:
        if value is None or isinstance(value, (str, bool)):
            return {field_name: value}
        return value
    return BeforeValidator(convert)


class Judgement(Section):
    """Who made a judgement, when, and on what evidence: a board asks whose word an advice rests on."""

    judged_by: Optional[str] = Field(None, description="Wie het oordeel gaf (naam, functie of overleg)")
    judged_on: Optional[ProposalDate] = Field(None, description="Wanneer het oordeel is gegeven (JJJJ-MM-DD)")
    evidence: Optional[str] = Field(None, description="Waarop het oordeel rust: een document, een overleg, een analyse")


class FitAssessment(Judgement):
    """How the proposal relates to one value or principle, with a one-line reason."""

    fit: Fit = Field(UNKNOWN, description="supports / neutral / conflicts / unknown")
    reason: Optional[str] = Field(None, description="Eén regel toelichting / one-line reason")


def _overall_fit(value: Any) -> Any:
    """An overall judgement is in line or conflicts; 'supports' and 'neutral' both mean: in line."""
    value = _normalise(value)
    return "in_line" if value in ("supports", "neutral") else value


OverallFit = Annotated[Literal["in_line", "conflicts", UNKNOWN], BeforeValidator(_overall_fit)]


class OverallAssessment(Judgement):
    """The officer's overall judgement on the fit with the region's values and care landscape."""

    fit: OverallFit = Field(UNKNOWN, description="in_line / conflicts / unknown")
    reason: Optional[str] = Field(None, description="Eén regel toelichting / one-line reason")


class GroundAssessment(Judgement):
    """Whether one ground holds, with its reason."""

    holds: Answer = Field(UNKNOWN, description="yes / no / unknown")
    reason: Optional[str] = None


FitEntry = Annotated[FitAssessment, _shorthand("fit")]
OverallEntry = Annotated[OverallAssessment, _shorthand("fit")]
GroundEntry = Annotated[GroundAssessment, _shorthand("holds")]


class Scale(Section):
    """The scale asked for, and whether a smaller scale would do."""

    requested: ScaleAsked = Field("supra_regional", **q(
        "Op welke schaal wordt samenwerking gevraagd?", "At which scale is collaboration asked for?", decision=False))
    local_possible: Answer = Field(UNKNOWN, **q(
        "Kan het onderwerp lokaal (per gemeente) worden opgepakt?",
        "Can the topic be handled locally (per municipality)?"))
    regional_possible: Answer = Field(UNKNOWN, **q(
        "Kan het onderwerp binnen de eigen jeugdhulpregio worden opgepakt?",
        "Can the topic be handled within the region itself?"))
    note: Optional[str] = None


class LegalCriteria(Section):
    """The NvO criteria that decide whether a function needs supra-regional organisation."""

    schaal: Answer = Field(UNKNOWN, **q("Is het aanbod schaars in verhouding tot volume en kosten (criterium schaal)?",
                                        "Is supply scarce relative to volume and cost (criterion scale)?", decision=False))
    personeel: Answer = Field(UNKNOWN, **q("Is bovenregionale samenwerking nodig om professionals beschikbaar te houden (criterium personeel)?",
                                           "Is collaboration needed to keep professionals available (criterion staff)?", decision=False))
    kennis: Answer = Field(UNKNOWN, **q("Is bovenregionale samenwerking nodig om kennis van hoogspecialistische functies te behouden (criterium kennis)?",
                                        "Is collaboration needed to keep knowledge of highly specialised functions (criterion knowledge)?", decision=False))
    innovatie: Answer = Field(UNKNOWN, **q("Is bovenregionale samenwerking nodig om continuïteit en kwaliteit van expertise te waarborgen (criterium innovatie)?",
                                           "Is collaboration needed to secure continuity and quality of expertise (criterion innovation)?", decision=False))


class Legal(Section):
    """Whether the collaboration is prescribed by law or a binding norm."""

    required: Answer = Field(UNKNOWN, **q("Is de samenwerking wettelijk voorgeschreven (bijvoorbeeld door de NvO)?",
                                          "Is the collaboration prescribed by law (for example by the NvO)?",
                                          fixed=True))
    basis: Optional[str] = Field(None, description="Wettelijke grondslag, bijv. 'Norm voor Opdrachtgeverschap (NvO)'")
    criteria: LegalCriteria = Field(default_factory=LegalCriteria)


MAX_AMOUNT = 1e12  # euros a year: more than every municipal budget together, so a typing error
_DUTCH_NUMBER = re.compile(r"\s*[-+]?\s*(€\s*)?\d{1,3}(\.\d{3})+(,\d+)?\s*|\s*[-+]?\s*(€\s*)?\d+,\d+\s*")


def _amount_as_written(value: Any) -> Any:
    """An amount is a plain number: ``true`` would be read as 1 and ``"-85.000"`` (Dutch thousands) as -85."""
    if isinstance(value, bool):
        raise ValueError("true/false is geen bedrag / is not an amount (verwacht / expected: een bedrag in euro's, "
                         "bijv. / e.g. amount_eur: -85000)")
    if isinstance(value, str) and _DUTCH_NUMBER.fullmatch(value):
        plain = value.replace("€", "").replace(" ", "").replace(".", "").replace(",", ".")
        raise ValueError(f"bedrag in Nederlandse notatie met punten of komma / amount in Dutch notation with dots or a "
                         f"comma (verwacht / expected: amount_eur: {plain}, zonder scheidingstekens en aanhalingstekens "
                         f"/ without separators or quotes)")
    return value


def _plausible_amount(value: Optional[float]) -> Optional[float]:
    if value is not None and (not math.isfinite(value) or abs(value) > MAX_AMOUNT):
        raise ValueError("bedrag is niet aannemelijk / amount is implausible (verwacht / expected: ten hoogste "
                         "1.000.000.000.000 euro per jaar / at most 10^12 euros a year)")
    return value


Amount = Annotated[Optional[float], BeforeValidator(_amount_as_written), AfterValidator(_plausible_amount)]
HOURS_IN_A_WEEK = 168


def _hours(value: Optional[float]) -> Optional[float]:
    if value is not None and value > HOURS_IN_A_WEEK:
        raise ValueError(f"meer uren dan een week heeft / more hours than a week has (verwacht / expected: ten hoogste "
                         f"/ at most {HOURS_IN_A_WEEK})")
    return value


class FinancialEffect(Judgement):
    """One financial effect: direction, optional amount in euros, and a note."""

    effect: Effect = Field(UNKNOWN, description="better / neutral / worse / unknown")
    amount_eur: Amount = Field(None, description="Bedrag in euro's per jaar (positief = voordeel)")
    note: Optional[str] = None

    @field_validator("amount_eur")
    @classmethod
    def _sign_matches_effect(cls, amount: Optional[float], info: ValidationInfo) -> Optional[float]:
        """A saving is positive, a cost negative: '€ 50.000 nadeel' written as +50000 would count as a saving."""
        effect = info.data.get("effect")
        if amount is None or not amount or (effect == "worse") == (amount < 0) or effect not in ("better", "worse"):
            return amount
        shown = int(-amount) if float(amount).is_integer() else -amount
        word = ("nadelig (worse) is een negatief bedrag / a disadvantage is a negative amount" if effect == "worse"
                else "voordelig (better) is een positief bedrag / an advantage is a positive amount")
        raise ValueError(f"het bedrag past niet bij het effect / the amount contradicts the effect: {word} — "
                         f"bedoelde u 'amount_eur: {shown}'? / did you mean 'amount_eur: {shown}'?")


EffectEntry = Annotated[FinancialEffect, _shorthand("effect")]


class Finances(Section):
    """Financial effects on content, on execution and on the negotiating position."""

    content: EffectEntry = Field(default_factory=FinancialEffect, **q(
        "Heeft de inhoudelijke verbetering voordelige financiële effecten voor de gemeenten?",
        "Does the improvement in content have favourable financial effects for the municipalities?"))
    execution: EffectEntry = Field(default_factory=FinancialEffect, **q(
        "Is de uitvoering bovenregionaal voordeliger?", "Is execution cheaper supra-regionally?"))
    negotiating_position: EffectEntry = Field(default_factory=FinancialEffect, **q(
        "Geeft de samenwerking een betere onderhandelingspositie tegenover jeugdhulpaanbieders?",
        "Does the collaboration give a better negotiating position towards providers?"))
    overall: EffectEntry = Field(default_factory=FinancialEffect, **q(
        "Is de samenwerking financieel als geheel voordeliger of nadeliger (als de effecten niet apart bekend zijn)?",
        "Is the collaboration cheaper or dearer as a whole (when the separate effects are not known)?"))


class Capacity(Section):
    """Staffing capacity for the collaboration."""

    sufficient: Answer = Field(UNKNOWN, **q("Is er voldoende capaciteit voor bemensing van de samenwerking?",
                                            "Is there enough staffing capacity for the collaboration?"))
    hours_per_week: Annotated[Optional[float], AfterValidator(_hours)] = Field(None, ge=0,
                                                                              description="Benodigde uren per week")
    fte: Optional[float] = Field(None, ge=0, description="Benodigde formatie in fte")
    note: Optional[str] = None


class CostComponents(Section):
    """Which cost components the cost-price research contains."""

    direct_staff: Answer = Field(UNKNOWN, **q("Bevat de kostprijs de directe personeelskosten?", "Does the cost price include direct staff costs?"))
    risk_surcharge: Answer = Field(UNKNOWN, **q("Bevat de kostprijs een risico-opslag?", "Does the cost price include a risk surcharge?"))
    accommodation: Answer = Field(UNKNOWN, **q("Bevat de kostprijs verblijfskosten?", "Does the cost price include accommodation costs?"))
    capital: Answer = Field(UNKNOWN, **q("Bevat de kostprijs kapitaallasten?", "Does the cost price include capital costs?"))


class Procurement(Section):
    """Procurement specifics, checked against a region's procurement principles."""

    tendering: Tendering = Field(UNKNOWN, **q("Welke inkoopsystematiek wordt gebruikt?", "Which tendering method is used?"))
    contract_term: ContractTerm = Field(UNKNOWN, **q("Worden contracten voor onbepaalde of bepaalde tijd gesloten?",
                                                     "Are contracts open-ended or fixed-term?"))
    execution_variant: ExecutionVariant = Field(UNKNOWN, **q("Welke uitvoeringsvariant wordt gekozen?", "Which execution variant is chosen?"))
    cost_price_research: Answer = Field(UNKNOWN, **q("Zijn de tarieven gebaseerd op kostprijsonderzoek?",
                                                     "Are the tariffs based on cost-price research?"))
    cost_price_with_providers: Answer = Field(UNKNOWN, **q("Wordt het kostprijsonderzoek samen met de aanbieders gedaan?",
                                                           "Is the cost-price research done together with the providers?"))
    cost_components: CostComponents = Field(default_factory=CostComponents)
    continuity_on_termination: Answer = Field(UNKNOWN, **q(
        "Is de continuïteit van jeugdhulp geregeld bij tussentijdse beëindiging van de overeenkomst?",
        "Is continuity of care arranged when the agreement ends early?"))
    administrative_burden: Burden = Field(UNKNOWN, **q("Wat doet de samenwerking met de administratieve lasten?",
                                                       "What does the collaboration do to the administrative burden?"))
    fraud_measures: Answer = Field(UNKNOWN, **q("Zijn er preventieve maatregelen tegen fraude?", "Are there preventive measures against fraud?"))
    segments: Optional[list[Segment]] = Field(None, **q("Welke segmenten betreft de inkoop (1 t/m 5)?",
                                                       "Which segments does the procurement concern (1 to 5)?"))


class Provider(Section):
    """The youth-care provider(s) involved, judged on partner-choice factors."""

    name: Optional[str] = None
    meets_quality_framework: Answer = Field(UNKNOWN, **q("Voldoet de aanbieder aan het kwaliteitskader?",
                                                         "Does the provider meet the quality framework?"))
    willing_to_transform: Answer = Field(UNKNOWN, **q("Is de aanbieder bereid mee te gaan in de transformatie?",
                                                      "Is the provider willing to move with the transformation?"))
    affordable: Answer = Field(UNKNOWN, **q("Is de aanbieder betaalbaar?", "Is the provider affordable?"))
    current_partner: Answer = Field(UNKNOWN, **q("Is het een huidige partner?", "Is it a current partner?"))


class Governance(Section):
    """Where the decision is taken."""

    decision_level: Level = Field(UNKNOWN, **q("Wordt het besluit regionaal of lokaal genomen?",
                                               "Is the decision taken regionally or locally?", decision=False))




# --------------------------------------------------------------------------- partner organisations

ORGANISATION_KINDS = ("certified_institution", "veilig_thuis", "child_protection_board", "provider", "other")
_ORGANISATION_ALIASES = {
    "gecertificeerde_instelling": "certified_institution", "gi": "certified_institution",
    "veilig_thuis": "veilig_thuis", "vt": "veilig_thuis", "safe_at_home": "veilig_thuis",
    "raad_voor_de_kinderbescherming": "child_protection_board", "rvdk": "child_protection_board",
    "raad": "child_protection_board", "aanbieder": "provider", "zorgaanbieder": "provider",
    "jeugdhulpaanbieder": "provider", "anders": "other", "overig": "other",
}


def _organisation_kind(value: Any) -> Any:
    if value is None:
        return "other"
    if isinstance(value, str):
        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        return _ORGANISATION_ALIASES.get(key, key)
    return value


OrganisationKind = Annotated[Literal[ORGANISATION_KINDS], BeforeValidator(_organisation_kind)]  # type: ignore[valid-type]


class PartnerOrganisation(Section):
    """An organisation that takes part beside the regions (a GI, Veilig Thuis, the Raad, a provider)."""

    name: str = Field(..., min_length=2, title="Naam", description="Naam van de organisatie")
    kind: OrganisationKind = Field("other", title="Soort organisatie",
                                   description="gecertificeerde instelling | Veilig Thuis | Raad voor de "
                                               "Kinderbescherming | aanbieder | anders")


def _organisation(value: Any) -> Any:
    """``- Veilig Thuis Gelderland-Midden`` is short for an organisation of kind 'other'."""
    if isinstance(value, str):
        return {"name": value}
    return value


def _burden(value: Any) -> Any:
    """Administrative burden of the collaboration as a whole (any kind, not only procurement)."""
    if value is None:
        return None
    normal = _normalise(value)
    if normal not in ("reduced", "unchanged", "increased", UNKNOWN):
        raise ValueError("ongeldige waarde / invalid value (verwacht / expected: minder | gelijk | meer | "
                         "weet ik niet / reduced | unchanged | increased | unknown)")
    return normal


OverallBurden = Annotated[Optional[str], BeforeValidator(_burden)]


class ProposalExtras(Section):
    """Partner organisations and the overall administrative burden: what officers know, shown in advice and
    report. Neither is a decision fact (rules do not read them), so adding them changes no outcome."""

    partner_organisations: list[Annotated[PartnerOrganisation, BeforeValidator(_organisation)]] = Field(
        default_factory=list, title="Partnerorganisaties",
        description="Organisaties die meedoen naast de regio's, met hun soort")
    administrative_burden: OverallBurden = Field(
        None, title="Administratieve lasten",
        description="Wat doet de samenwerking met de administratieve lasten? minder | gelijk | meer | weet ik niet",
        json_schema_extra={"enum": ["reduced", "unchanged", "increased", "unknown"]})


class ProposalBase(ProposalExtras):
    """Fields every proposal has, whatever the region."""

    title: Annotated[str, AfterValidator(_visible_title)] = Field(..., min_length=3,
                                                                  description="Titel van het voorstel")
    submitter: str = Field(..., min_length=2, description="Indiener (naam, functie, organisatie)")
    date: ProposalDate = Field(..., description="Datum van het voorstel (JJJJ-MM-DD)")
    region: Optional[str] = Field(None, description="Regel-set (regio) waartegen getoetst wordt, bijv. de map onder rules/")
    partner_regions: list[str] = Field(default_factory=list, description="Partnerregio's in de samenwerking")
    topic: str = Field(..., min_length=3, description="Onderwerp in één zin")
    kind: Kind = Field(UNKNOWN, **q("Wat voor samenwerking is het?", "What kind of collaboration is it?",
                                    fixed=True))  # what the proposal is, not a choice to change for a better advice
    new_collaboration: Answer = Field(UNKNOWN, **q(
        "Is het een nieuwe bovenregionale samenwerking (en niet de voortzetting van een bestaande)?",
        "Is it a new supra-regional collaboration (not the continuation of an existing one)?", decision=False))
    description: Optional[str] = None
    scale: Scale = Field(default_factory=Scale)
    legal: Legal = Field(default_factory=Legal)
    finances: Finances = Field(default_factory=Finances)
    capacity: Capacity = Field(default_factory=Capacity)
    procurement: Optional[Procurement] = None
    provider: Optional[Provider] = None
    governance: Governance = Field(default_factory=Governance)
    sources: list[str] = Field(default_factory=list, description="Bronnen of bijlagen bij het voorstel")


def _keyed_section(name: str, keys: tuple[tuple[str, str, str], ...], entry: Any, default: Any,
                   ask: tuple[str, str]):
    """A model with one optional field per vocabulary key (id, Dutch label, English label).

    ``ask`` holds the Dutch and English question, with ``{label}`` for the entry's label.
    """
    fields: dict[str, Any] = {}
    for key, nl, en in keys:
        question = {"nl": ask[0].format(label=nl), "en": ask[1].format(label=en)}
        fields[key] = (entry, Field(default_factory=default, title=nl, description=en,
                                    json_schema_extra={"question": question, "decision_fact": True}))
    return create_model(name, __base__=Section, **fields)


@lru_cache(maxsize=32)
def proposal_model(values: tuple, care_landscape: tuple, enrichment: tuple,
                   procurement_grounds: tuple = ()) -> type[ProposalBase]:
    """Build the proposal model for one vocabulary (tuples of (id, nl, en) per section)."""
    fit = ("Hoe verhoudt de samenwerking zich tot '{label}'?", "How does the collaboration relate to '{label}'?")
    Values = _keyed_section("Values", values, FitEntry, FitAssessment, fit)
    Landscape = _keyed_section("CareLandscape", care_landscape, FitEntry, FitAssessment, fit)
    Enrichment = _keyed_section("Enrichment", enrichment, GroundEntry, GroundAssessment,
                                ("Geldt deze grond: {label}?", "Does this ground hold: {label}?"))

    class Content(Section):
        values: Values = Field(default_factory=Values)  # type: ignore[valid-type]
        care_landscape: Landscape = Field(default_factory=Landscape)  # type: ignore[valid-type]
        overall: OverallEntry = Field(default_factory=OverallAssessment, **q(
            "Is de samenwerking als geheel in lijn met de waarden en het beoogde zorglandschap, of botst zij ermee?",
            "Is the collaboration as a whole in line with the values and the intended care landscape, or does it "
            "conflict with them?"))
        can_be_aligned: Answer = Field(UNKNOWN, **q(
            "Als iets botst: kan de samenwerking in lijn worden gebracht met de regionale lijn?",
            "If something conflicts: can the collaboration be brought in line with the regional course?"))
        alignment_note: Optional[str] = None

    extra: dict[str, Any] = {}
    if procurement_grounds:
        Grounds = _keyed_section("ProcurementGrounds", procurement_grounds, GroundEntry, GroundAssessment,
                                 ("Geldt deze grond voor bovenregionale inkoop: {label}?",
                                  "Does this ground for supra-regional procurement hold: {label}?"))
        RegionProcurement = create_model("Procurement", __base__=Procurement,
                                         grounds=(Grounds, Field(default_factory=Grounds)))
        extra["procurement"] = (Optional[RegionProcurement], None)
    return create_model("Proposal", __base__=ProposalBase,
                        content=(Content, Field(default_factory=Content)),
                        enrichment=(Enrichment, Field(default_factory=Enrichment)), **extra)
