"""Labels of the advice in Dutch and English: outcomes, answer values, headings.

Every key exists in both languages; a test fails when one is missing.
Region-specific wording (outcome sentences, step names, vocabulary) lives in
the rule set, not here.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

LANGS = ("nl", "en")

OUTCOME_LABELS: dict[str, dict[str, str]] = {
    "participate": {"nl": "Meedoen", "en": "Participate"},
    "participate_provided": {"nl": "Meedoen, mits aan de voorwaarden is voldaan", "en": "Participate, provided the conditions are met"},
    "decline": {"nl": "Niet meedoen", "en": "Do not participate"},
    "insufficient_information": {"nl": "Onvoldoende informatie", "en": "Insufficient information"},
    "handle_at_lower_scale": {"nl": "Lokaal of regionaal oppakken", "en": "Handle locally or regionally"},
}

# How favourable each outcome is for participation (used by invariants and what-if).
OUTCOME_RANK = {"decline": 0, "handle_at_lower_scale": 1, "insufficient_information": 2,
                "participate_provided": 3, "participate": 4}

VALUE_LABELS: dict[str, dict[str, str]] = {
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "unknown": {"nl": "onbekend", "en": "unknown"},
    "supports": {"nl": "ondersteunt", "en": "supports"},
    "neutral": {"nl": "neutraal", "en": "neutral"},
    "conflicts": {"nl": "botst", "en": "conflicts"},
    "better": {"nl": "beter", "en": "better"},
    "worse": {"nl": "slechter", "en": "worse"},
    "procurement": {"nl": "inkoop", "en": "procurement"},
    "expertise_function": {"nl": "expertisefunctie", "en": "expertise function"},
    "programme": {"nl": "programma", "en": "programme"},
    "account_holding": {"nl": "accounthouderschap", "en": "account-holding role"},
    "knowledge_network": {"nl": "kennisnetwerk", "en": "knowledge network"},
    "other": {"nl": "anders", "en": "other"},
    "administrative_tendering": {"nl": "bestuurlijk aanbesteden", "en": "administrative tendering"},
    "public_tender": {"nl": "aanbesteding", "en": "public tender"},
    "single_source": {"nl": "onderhandse gunning", "en": "single-source award"},
    "subsidy": {"nl": "subsidie", "en": "subsidy"},
    "indefinite": {"nl": "onbepaalde tijd", "en": "open-ended"},
    "fixed": {"nl": "bepaalde tijd", "en": "fixed term"},
    "effort": {"nl": "inspanningsgericht", "en": "effort-based"},
    "output": {"nl": "outputgericht", "en": "output-based"},
    "task": {"nl": "taakgericht", "en": "task-based"},
    "none": {"nl": "geen", "en": "none"},
    "reduced": {"nl": "minder", "en": "reduced"},
    "unchanged": {"nl": "gelijk", "en": "unchanged"},
    "increased": {"nl": "meer", "en": "increased"},
    "regional": {"nl": "regionaal", "en": "regional"},
    "local": {"nl": "lokaal", "en": "local"},
    "supra_regional": {"nl": "bovenregionaal", "en": "supra-regional"},
    "national": {"nl": "landelijk", "en": "national"},
    "certified_institution": {"nl": "gecertificeerde instelling", "en": "certified institution"},
    "veilig_thuis": {"nl": "Veilig Thuis", "en": "Veilig Thuis (domestic violence and child abuse advice)"},
    "child_protection_board": {"nl": "Raad voor de Kinderbescherming", "en": "Child Protection Board"},
    "provider": {"nl": "aanbieder", "en": "provider"},
    "subregional": {"nl": "deel van de regio", "en": "part of the region"},
    "in_line": {"nl": "in lijn", "en": "in line"},
}

# The parts of the generic finances section, as entries of a where-list ("nadelig: ‘de uitvoering’ — …").
SECTION_LABELS: dict[str, dict[str, str]] = {
    "content": {"nl": "op de inhoud", "en": "on content"},
    "execution": {"nl": "in de uitvoering", "en": "in execution"},
    "negotiating_position": {"nl": "in de onderhandelingspositie", "en": "in the negotiating position"},
    "overall": {"nl": "als geheel", "en": "as a whole"},
}

TEXT: dict[str, dict[str, str]] = {
    "advice": {"nl": "Advies", "en": "Advice"},
    "outcome": {"nl": "Uitkomst", "en": "Outcome"},
    "conditions": {"nl": "Voorwaarden", "en": "Conditions"},
    "reasons": {"nl": "Argumenten", "en": "Reasons"},
    "considered": {"nl": "Verder meegewogen", "en": "Also weighed"},
    "caveats": {"nl": "Kanttekeningen en risico's", "en": "Caveats and risks"},
    "next_steps": {"nl": "Vervolg", "en": "Next steps"},
    "missing": {"nl": "Ontbrekende informatie", "en": "Missing information"},
    "missing_blocking": {"nl": "Bepaalt de uitkomst", "en": "Decides the outcome"},
    "missing_open": {"nl": "Nog vast te stellen", "en": "Still to be established"},
    "trace": {"nl": "Afweging (regels die van toepassing zijn)", "en": "Weighing (rules that apply)"},
    "facts_used": {"nl": "gebruikte feiten", "en": "facts used"},
    "source": {"nl": "Bron", "en": "Source"},
    "region": {"nl": "Regio", "en": "Region"},
    "proposal": {"nl": "Voorstel", "en": "Proposal"},
    "submitter": {"nl": "Indiener", "en": "Submitter"},
    "date": {"nl": "Datum", "en": "Date"},
    "partners": {"nl": "Partnerregio's", "en": "Partner regions"},
    "partner_organisations": {"nl": "Partnerorganisaties", "en": "Partner organisations"},
    "administrative_burden": {"nl": "Administratieve lasten", "en": "Administrative burden"},
    "topic": {"nl": "Onderwerp", "en": "Topic"},
    "kind": {"nl": "Soort samenwerking", "en": "Kind of collaboration"},
    "ruleset": {"nl": "Regelset", "en": "Rule set"},
    "version": {"nl": "versie", "en": "version"},
    "valid": {"nl": "geldig", "en": "valid"},
    "evaluated_on": {"nl": "Getoetst op", "en": "Evaluated on"},
    "receipt": {"nl": "Verantwoording", "en": "Receipt"},
    "proposal_hash": {"nl": "Hash van het voorstel", "en": "Proposal hash"},
    "ruleset_hash": {"nl": "Hash van de regelset", "en": "Rule set hash"},
    "rule_engine": {"nl": "Regelmachine", "en": "Rule engine"},
    "none": {"nl": "geen", "en": "none"},
    "not_stated": {"nl": "niet opgegeven", "en": "not stated"},
    "until": {"nl": "t/m", "en": "to"},
    "judged_by": {"nl": "oordeel van {who}", "en": "judged by {who}"},
    "judged_on": {"nl": "op {day}", "en": "on {day}"},
    "judged_when": {"nl": "oordeel van {day}", "en": "judged on {day}"},
    "estimate": {"nl": "naar schatting {amount} per jaar", "en": "an estimated {amount} a year"},
    "evidence": {"nl": "onderbouwing: {what}", "en": "evidence: {what}"},
    "answers": {"nl": "bij dit antwoord", "en": "with this answer"},
    "unsubstantiated": {"nl": "Oordeel zonder onderbouwing", "en": "Judgement without substantiation"},
    "unsubstantiated_text": {
        "nl": "{label}: {value}. Het voorstel geeft geen reden en geen bron voor dit oordeel, terwijl het advies erop "
              "rust; vul de reden of de bron aan voordat de bestuurders besluiten.",
        "en": "{label}: {value}. The proposal gives no reason and no evidence for this judgement, while the advice "
              "rests on it; add the reason or the source before the board decides."},
    "from": {"nl": "vanaf", "en": "from"},
    "origin_foreign": {
        "nl": "Let op: deze regelset komt uit de map {folder} en is niet met regiotoets meegeleverd; controleer wie "
              "hem heeft opgesteld voordat u het advies gebruikt.",
        "en": "Note: this rule set comes from the folder {folder} and was not shipped with regiotoets; check who "
              "wrote it before you use the advice.",
    },
    "origin_same": {
        "nl": "Regelset uit de map {folder}: de inhoud is gelijk aan die van de meegeleverde regelset (versie {version}).",
        "en": "Rule set from the folder {folder}: its content equals the shipped rule set (version {version}).",
    },
    "origin_differs": {
        "nl": "Let op: deze regelset komt uit de map {folder}; hij heeft dezelfde naam en versie ({version}) als de "
              "meegeleverde regelset, maar een andere inhoud. Controleer wat er is gewijzigd voordat u het advies "
              "gebruikt.",
        "en": "Note: this rule set comes from the folder {folder}; it has the same name and version ({version}) as "
              "the shipped rule set, but different content. Check what was changed before you use the advice.",
    },
    "origin_other_version": {
        "nl": "Let op: deze regelset komt uit de map {folder} en is niet met regiotoets meegeleverd: met regiotoets "
              "is versie {shipped} meegeleverd, dit is versie {version}. Controleer wie deze versie heeft opgesteld "
              "voordat u het advies gebruikt.",
        "en": "Note: this rule set comes from the folder {folder} and was not shipped with regiotoets: version "
              "{shipped} was shipped, this is version {version}. Check who wrote this version before you use the "
              "advice.",
    },
    "board_origin_changed": {
        "nl": "Dit advies is opgesteld met een gewijzigde versie van de regelset '{name}' (versie {version}): de "
              "inhoud wijkt af van de regelset die met regiotoets is meegeleverd.",
        "en": "This advice was drawn up with a modified copy of the rule set '{name}' (version {version}): its "
              "content differs from the rule set shipped with regiotoets.",
    },
    "board_origin_version": {
        "nl": "Dit advies is opgesteld met versie {version} van de regelset '{name}'; die versie is niet met "
              "regiotoets meegeleverd (meegeleverd is versie {shipped}).",
        "en": "This advice was drawn up with version {version} of the rule set '{name}'; that version was not "
              "shipped with regiotoets (version {shipped} was).",
    },
    "board_origin_foreign": {
        "nl": "Dit advies is opgesteld met een regelset die niet met regiotoets is meegeleverd: '{name}' ({id}, "
              "versie {version}).",
        "en": "This advice was drawn up with a rule set that was not shipped with regiotoets: '{name}' ({id}, "
              "version {version}).",
    },
    "board_origin_changed_label": {"nl": "gewijzigde regelset", "en": "modified rule set"},
    "board_origin_foreign_label": {"nl": "niet meegeleverde regelset", "en": "rule set not shipped"},
    "validity_after": {
        "nl": "Let op: de regelset '{name}' (versie {version}) is geldig tot en met {until}; de toetsdatum {day} valt daarbuiten. "
              "Het advies volgt de laatst geldende visie; controleer of er een nieuwe visie is vastgesteld.",
        "en": "Note: the rule set '{name}' (version {version}) is valid until {until}; the evaluation date {day} falls outside it. "
              "The advice follows the last valid vision; check whether a new vision has been adopted."},
    "validity_before": {
        "nl": "Let op: de regelset '{name}' (versie {version}) geldt pas vanaf {start}; de toetsdatum {day} valt daarvoor.",
        "en": "Note: the rule set '{name}' (version {version}) only applies from {start}; the evaluation date {day} is earlier."},
}


def ui_lang(explicit: str | None = None) -> str:
    """The language of messages: ``--lang`` when given, else English when the locale is English, else Dutch."""
    if explicit in ("nl", "en"):
        return explicit
    import os

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "nl"
    return "nl"


def t(key: str, lang: str, **kwargs: Any) -> str:
    text = TEXT[key][lang]
    return text.format(**kwargs) if kwargs else text


def organisations(items: Iterable[Any], lang: str) -> str:
    """Partner organisations as one line: 'Veilig Thuis Gelderland-Midden (Veilig Thuis), Lindenhout (aanbieder)'."""
    out = []
    for item in items:
        name, kind = (item.name, item.kind) if hasattr(item, "name") else (item["name"], item["kind"])
        label = value_label(kind, lang)
        out.append(name if kind == "other" or label.lower() in name.lower() else f"{name} ({label})")
    return ", ".join(out)


def value_label(value: Any, lang: str) -> str:
    if isinstance(value, str) and value in VALUE_LABELS:
        return VALUE_LABELS[value][lang]
    return str(value)


def euro(amount: float, lang: str = "nl") -> str:
    """Format an amount the Dutch way: € 1.250.000 (or € 1.250.000,50)."""
    negative = amount < 0
    amount = abs(amount)
    whole = int(amount)
    cents = round((amount - whole) * 100)
    if cents == 100:
        whole, cents = whole + 1, 0
    digits = f"{whole:,}".replace(",", ".")
    text = f"€ {digits}" + (f",{cents:02d}" if cents else "")
    return f"-{text}" if negative else text


MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def long_date(day: Any, lang: str = "nl") -> str:
    """A date as a reader writes it: "7 april 2025" (English: "7 April 2025")."""
    return f"{day.day} {MONTHS.get(lang, MONTHS['nl'])[day.month - 1]} {day.year}"


def number(value: float) -> str:
    """A number the Dutch way: 1,5 rather than 1.5; whole numbers without decimals."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".rstrip("0").replace(",", "X").replace(".", ",").replace("X", ".")


def parse_number(text: str) -> float | None:
    """A number as an officer types it: '2,5', '€ 120.000', '120.000,50', '1.5', '120000'."""
    t = text.strip().replace("€", "").replace("EUR", "").replace("euro", "").replace(" ", "").replace("\u00a0", "")
    if not t or not re.fullmatch(r"-?[0-9.,]+", t):
        return None
    if "," in t:
        t = t.replace(".", "").replace(",", ".")  # Dutch: dots group thousands, the comma is the decimal sign
    elif re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{3})+", t):
        t = t.replace(".", "")  # 120.000: thousands
    try:
        value = float(t)
    except ValueError:
        return None
    return int(value) if value.is_integer() else value
