"""Every label and sentence of the board report, in Dutch and English.

The report has its own dictionary (the terminal advice uses
:mod:`engine.common.i18n`); a test fails when a key exists in one language only.
Region-specific words (step names, outcome sentences, the deciding body)
come from the rule set, never from here.
"""

from __future__ import annotations

from typing import Any

LANGS = ("nl", "en")

REPORT_TEXT: dict[str, dict[str, str]] = {
    # document frame
    "doc_kind": {"nl": "Bestuursvoorstel", "en": "Board proposal"},
    "doc_subtitle": {"nl": "Advies over bovenregionale samenwerking", "en": "Advice on supra-regional collaboration"},
    "appendix": {"nl": "Bijlage", "en": "Appendix"},
    "page": {"nl": "pagina", "en": "page"},
    "contents": {"nl": "Inhoud", "en": "Contents"},
    "logo_alt": {"nl": "Logo", "en": "Logo"},
    "toc_hint": {"nl": "Klik met de rechtermuisknop en kies 'Veld bijwerken' om de inhoudsopgave te tonen.",
                 "en": "Right-click and choose 'Update field' to show the table of contents."},
    "footer": {"nl": "Getoetst met regiotoets {version} op {day} aan {ruleset} (versie {rs_version}).",
               "en": "Evaluated with regiotoets {version} on {day} against {ruleset} (version {rs_version})."},
    # meta block
    "meta_region": {"nl": "Regio", "en": "Region"},
    "meta_proposal": {"nl": "Voorstel", "en": "Proposal"},
    "meta_topic": {"nl": "Onderwerp", "en": "Topic"},
    "meta_kind": {"nl": "Soort samenwerking", "en": "Kind of collaboration"},
    "meta_partners": {"nl": "Partnerregio's", "en": "Partner regions"},
    "meta_partner_organisations": {"nl": "Partnerorganisaties", "en": "Partner organisations"},
    "meta_administrative_burden": {"nl": "Administratieve lasten", "en": "Administrative burden"},
    "meta_submitter": {"nl": "Indiener", "en": "Submitter"},
    "meta_date": {"nl": "Datum voorstel", "en": "Date of proposal"},
    "meta_evaluated": {"nl": "Getoetst op", "en": "Evaluated on"},
    "meta_ruleset": {"nl": "Regelset", "en": "Rule set"},
    "meta_ruleset_value": {"nl": "{id}, versie {version} (geldig {start} t/m {end})",
                           "en": "{id}, version {version} (valid {start} to {end})"},
    "meta_source": {"nl": "Bron", "en": "Source"},
    "open_end": {"nl": "nader te bepalen", "en": "open-ended"},
    "none": {"nl": "geen", "en": "none"},
    "validity_title": {"nl": "Let op", "en": "Note"},
    # section headings
    "sec_decision_points": {"nl": "Beslispunten", "en": "Decision points"},
    "sec_occasion": {"nl": "Aanleiding", "en": "Background"},
    "sec_effect": {"nl": "Beoogd effect", "en": "Intended effect"},
    "sec_reasons": {"nl": "Argumenten", "en": "Arguments"},
    "sec_caveats": {"nl": "Kanttekeningen en risico's", "en": "Caveats and risks"},
    "sec_finances": {"nl": "Financiën", "en": "Finances"},
    "sec_procurement": {"nl": "Inkoopprincipes", "en": "Procurement principles"},
    "sec_missing": {"nl": "Ontbrekende informatie", "en": "Missing information"},
    "sec_next_steps": {"nl": "Communicatie en vervolg", "en": "Communication and next steps"},
    "sec_appendix": {"nl": "Bijlagen", "en": "Appendices"},
    # decision points
    "dp_intro": {"nl": "Voorgesteld wordt:", "en": "It is proposed:"},
    "dp_participate": {"nl": "In te stemmen met deelname van {region} aan de bovenregionale samenwerking \u2018{title}\u2019.",
                       "en": "To agree that {region} participates in the supra-regional collaboration \u2018{title}\u2019."},
    "dp_participate_provided": {
        "nl": "In te stemmen met deelname van {region} aan de bovenregionale samenwerking \u2018{title}\u2019, "
              "onder de voorwaarden die onder Beoogd effect zijn genoemd.",
        "en": "To agree that {region} participates in the supra-regional collaboration \u2018{title}\u2019, "
              "on the conditions listed under Intended effect."},
    "dp_decline": {"nl": "Niet in te stemmen met deelname van {region} aan de bovenregionale samenwerking \u2018{title}\u2019.",
                   "en": "Not to agree that {region} participates in the supra-regional collaboration \u2018{title}\u2019."},
    "dp_handle_at_lower_scale": {
        "nl": "Niet deel te nemen aan de bovenregionale samenwerking \u2018{title}\u2019 en het onderwerp lokaal of "
              "binnen de regio op te pakken.",
        "en": "Not to join the supra-regional collaboration \u2018{title}\u2019 and to handle the topic locally or "
              "within the region."},
    "dp_insufficient_information": {
        "nl": "Het besluit over \u2018{title}\u2019 aan te houden tot de ontbrekende informatie is aangevuld en het "
              "voorstel opnieuw is getoetst.",
        "en": "To defer the decision on \u2018{title}\u2019 until the missing information has been supplied and the "
              "proposal has been evaluated again."},
    "dp_other": {"nl": "Over de bovenregionale samenwerking \u2018{title}\u2019 te besluiten overeenkomstig het advies: {outcome}.",
                 "en": "To decide on the supra-regional collaboration \u2018{title}\u2019 in line with the advice: {outcome}."},
    "dp_conditions": {"nl": "Opdracht te geven de voorwaarden uit te werken en de uitwerking voor te leggen voordat de deelname ingaat.",
                      "en": "To instruct that the conditions be worked out and the result presented before participation starts."},
    "dp_missing": {"nl": "Opdracht te geven de ontbrekende informatie aan te vullen en het voorstel opnieuw te laten toetsen.",
                   "en": "To instruct that the missing information be supplied and the proposal evaluated again."},
    # background
    "occ_partners": {"nl": "Op {date} is een voorstel ingediend voor bovenregionale samenwerking met {partners} (indiener: {submitter}). Onderwerp: {topic}.",
                     "en": "On {date} a proposal was submitted for supra-regional collaboration with {partners} (submitter: {submitter}). Topic: {topic}."},
    "occ_no_partners": {"nl": "Op {date} is een voorstel ingediend voor bovenregionale samenwerking (indiener: {submitter}). Onderwerp: {topic}.",
                        "en": "On {date} a proposal was submitted for supra-regional collaboration (submitter: {submitter}). Topic: {topic}."},
    # intended effect
    "effect_intro": {"nl": "Met het besluit volgt het bestuur het advies dat uit de toetsing aan de regiovisie komt.",
                     "en": "With this decision the board follows the advice that results from the assessment against the regional vision."},
    # caveats
    "cav_validity": {"nl": "Regiovisie buiten haar geldigheid.", "en": "Regional vision outside its validity."},
    "cav_conditions": {"nl": "Deelname hangt af van {n_words} voorwaarden.", "en": "Participation depends on {n_words} conditions."},
    "cav_conditions_one": {"nl": "Deelname hangt af van één voorwaarde.", "en": "Participation depends on one condition."},
    "cav_conditions_text": {"nl": "Zolang hieraan niet is voldaan, is deelname niet verantwoord: {items}. Wordt een voorwaarde niet vervuld, dan moet het bestuur opnieuw besluiten.",
                            "en": "Until these are met, participation is not justified: {items}. If a condition is not met, the board has to decide again."},
    "cav_deviations": {"nl": "De inkoop wijkt op {n_words} punten af van de inkoopprincipes.",
                       "en": "The procurement deviates from the procurement principles on {n_words} points."},
    "cav_deviations_one": {"nl": "De inkoop wijkt op één punt af van de inkoopprincipes.",
                           "en": "The procurement deviates from the procurement principles on one point."},
    "cav_deviations_text": {"nl": "Het gaat om: {items}. Elke afwijking moet gemotiveerd of hersteld worden; zie Inkoopprincipes.",
                            "en": "These are: {items}. Each deviation must be justified or corrected; see Procurement principles."},
    "cav_capacity": {"nl": "Onvoldoende capaciteit voor bemensing.", "en": "Insufficient staffing capacity."},
    "cav_capacity_text": {"nl": "De regio heeft nu niet genoeg capaciteit om de samenwerking te bemensen; dat moet vóór deelname geregeld zijn",
                          "en": "The region does not have enough capacity to staff the collaboration; this must be arranged before participation"},
    "cav_fte": {"nl": "{fte} fte", "en": "{fte} FTE"},
    "cav_hours": {"nl": "{hours} uur per week", "en": "{hours} hours a week"},
    "cav_worse": {"nl": "Financieel nadeel: {item}.", "en": "Financial disadvantage: {item}."},
    "cav_worse_text": {"nl": "Het voorstel noemt een financieel nadeel voor de gemeenten; de bestuurders moeten het meewegen en er dekking voor vinden",
                       "en": "The proposal states a financial disadvantage for the municipalities; the board must weigh it and find funding"},
    "cav_amount": {"nl": "naar schatting {amount} per jaar", "en": "an estimated {amount} a year"},
    "cav_missing": {"nl": "Nog niet alles is vastgesteld.", "en": "Not everything has been established."},
    "cav_missing_blocking": {"nl": "Op {n_words} vragen is nog geen antwoord; van {blocking_words} daarvan hangt de uitkomst af. Zie Ontbrekende informatie.",
                             "en": "{n_Words} questions are still unanswered; the outcome depends on {blocking_words} of them. See Missing information."},
    "cav_missing_blocking_one": {"nl": "Op één vraag is nog geen antwoord, en daarvan hangt de uitkomst af. Zie Ontbrekende informatie.",
                                 "en": "One question is still unanswered, and the outcome depends on it. See Missing information."},
    "cav_missing_open": {"nl": "Op {n_words} vragen is nog geen antwoord; zij veranderen de uitkomst niet, maar moeten vóór de uitvoering zijn beantwoord. Zie Ontbrekende informatie.",
                         "en": "{n_Words} questions are still unanswered; they do not change the outcome but must be answered before execution. See Missing information."},
    "cav_missing_open_one": {"nl": "Op één vraag is nog geen antwoord; die verandert de uitkomst niet, maar moet vóór de uitvoering zijn beantwoord. Zie Ontbrekende informatie.",
                             "en": "One question is still unanswered; it does not change the outcome but must be answered before execution. See Missing information."},
    "cav_not_assessed": {"nl": "Nog niet alle inkoopprincipes zijn te beoordelen ({n}).", "en": "Not all procurement principles can be assessed yet ({n})."},
    "cav_not_assessed_text": {"nl": "Het voorstel geeft nog niet de gegevens om deze uitgangspunten te toetsen; zie Inkoopprincipes.",
                              "en": "The proposal does not yet give the information to assess these principles; see Procurement principles."},
    # communication and next steps
    "com_approval": {"nl": "Besluitvorming: voor iedere nieuwe bovenregionale samenwerking is goedkeuring vereist van {body}.",
                     "en": "Decision: every new supra-regional collaboration requires the approval of {body}."},
    "com_inform": {"nl": "Communicatie: na het besluit wordt de indiener ({submitter}) geïnformeerd.",
                   "en": "Communication: after the decision the submitter ({submitter}) is informed."},
    "com_inform_partners": {"nl": "Communicatie: na het besluit worden de indiener ({submitter}) en de partnerregio's ({partners}) geïnformeerd.",
                            "en": "Communication: after the decision the submitter ({submitter}) and the partner regions ({partners}) are informed."},
    # appendices
    "app_sources": {"nl": "Bronnen en bijlagen bij het voorstel", "en": "Sources and attachments of the proposal"},
    "app_sources_none": {"nl": "Het voorstel noemt geen bronnen of bijlagen.", "en": "The proposal lists no sources or attachments."},
    "app_route": {"nl": "Beslisroute", "en": "Decision route"},
    # advice
    "advice_outcome": {"nl": "Uitkomst", "en": "Outcome"},
    "advice_conditions": {"nl": "Voorwaarden", "en": "Conditions"},
    "advice_conditions_intro": {"nl": "Deelname is verantwoord zodra aan deze voorwaarden is voldaan:",
                                "en": "Participation is justified once these conditions are met:"},
    # weighing
    "weighing_intro": {
        "nl": "De afweging volgt de stappen van de regiovisie. De gemarkeerde stappen bepalen de uitkomst; "
              "de overige stappen zijn meegewogen of hadden geen bevinding.",
        "en": "The weighing follows the steps of the regional vision. The highlighted steps decide the outcome; "
              "the other steps were taken into account or had no finding."},
    "weighing_flow_title": {"nl": "Beslisroute", "en": "Decision route"},
    "col_step": {"nl": "Stap", "en": "Step"},
    "col_result": {"nl": "Resultaat", "en": "Result"},
    "col_rules": {"nl": "Regels", "en": "Rules"},
    "status_decisive": {"nl": "Bepalend voor de uitkomst", "en": "Decides the outcome"},
    "status_considered": {"nl": "Meegewogen", "en": "Taken into account"},
    "status_none": {"nl": "Geen bevinding", "en": "No finding"},
    "status_short_decisive": {"nl": "bepalend", "en": "decisive"},
    "status_short_considered": {"nl": "meegewogen", "en": "considered"},
    "status_short_none": {"nl": "geen bevinding", "en": "no finding"},
    "role_reason": {"nl": "argument", "en": "argument"},
    "role_condition": {"nl": "voorwaarde", "en": "condition"},
    "role_caveat": {"nl": "kanttekening", "en": "caveat"},
    "role_next_step": {"nl": "vervolgstap", "en": "next step"},
    "role_missing": {"nl": "ontbrekende informatie", "en": "missing information"},
    "role_route": {"nl": "tussenconclusie", "en": "intermediate conclusion"},
    "role_outcome": {"nl": "uitkomst", "en": "outcome"},
    "more_rules": {"nl": "+{n} meer", "en": "+{n} more"},
    # reasons and citations
    "cite_label": {"nl": "Bron", "en": "Source"},
    "cite_section": {"nl": "paragraaf \u2018{section}\u2019", "en": "section \u2018{section}\u2019"},
    "rule_label": {"nl": "regel", "en": "rule"},
    "reasons_considered": {"nl": "Verder meegewogen", "en": "Also weighed"},
    "reasons_considered_intro": {"nl": "Deze bevindingen zijn meegewogen, maar bepalen de uitkomst niet.",
                                 "en": "These findings were weighed but do not decide the outcome."},
    "no_reasons": {"nl": "Geen argumenten vastgesteld.", "en": "No arguments found."},
    "no_caveats": {"nl": "Er zijn geen kanttekeningen of risico's vastgesteld.", "en": "No caveats or risks were found."},
    # finances
    "fin_intro": {"nl": "De financiële effecten zoals het voorstel die noemt (bedragen per jaar; positief is voordeel voor de gemeenten).",
                  "en": "The financial effects as stated in the proposal (amounts per year; positive is an advantage for the municipalities)."},
    "fin_col_item": {"nl": "Onderdeel", "en": "Item"},
    "fin_col_effect": {"nl": "Effect", "en": "Effect"},
    "fin_col_amount": {"nl": "Bedrag", "en": "Amount"},
    "fin_col_note": {"nl": "Toelichting", "en": "Note"},
    "fin_total": {"nl": "Saldo van de genoemde bedragen", "en": "Balance of the stated amounts"},
    "fin_none": {"nl": "Het voorstel noemt geen financiële effecten.", "en": "The proposal states no financial effects."},
    "fin_content": {"nl": "Inhoudelijke verbetering", "en": "Improvement in content"},
    "fin_execution": {"nl": "Uitvoering", "en": "Execution"},
    "fin_negotiating_position": {"nl": "Onderhandelingspositie", "en": "Negotiating position"},
    "fin_no_amount": {"nl": "\u2014", "en": "\u2014"},
    # procurement principles
    "proc_intro": {"nl": "Toetsing van de inkoop aan de strategische uitgangspunten van de regio.",
                   "en": "Assessment of the procurement against the region's procurement principles."},
    "proc_not_applicable": {"nl": "Niet van toepassing: het voorstel betreft geen inkoop.",
                            "en": "Not applicable: the proposal does not concern procurement."},
    "proc_no_principles": {"nl": "De regelset van de regio bevat geen inkoopprincipes om deze inkoop aan te toetsen.",
                           "en": "The region's rule set contains no procurement principles to assess this procurement against."},
    "proc_col_principle": {"nl": "Uitgangspunt", "en": "Principle"},
    "proc_col_status": {"nl": "Beoordeling", "en": "Assessment"},
    "proc_col_reason": {"nl": "Toelichting", "en": "Explanation"},
    "proc_deviating": {"nl": "Wijkt af", "en": "Deviates"},
    "proc_conform": {"nl": "Conform", "en": "Conforms"},
    "proc_not_assessed": {"nl": "Niet beoordeeld", "en": "Not assessed"},
    "proc_unknown_facts": {"nl": "Nog niet te beoordelen; het voorstel beantwoordt nog niet: {questions}",
                           "en": "Not yet assessable; the proposal does not yet answer: {questions}"},
    "proc_conform_text": {"nl": "Het voorstel volgt dit uitgangspunt", "en": "The proposal follows this principle"},
    "proc_given": {"nl": " ({given})", "en": " ({given})"},
    "proc_summary": {"nl": "{deviating} afwijkend, {conform} conform, {unknown} niet beoordeeld.",
                     "en": "{deviating} deviating, {conform} conforming, {unknown} not assessed."},
    # missing information
    "missing_intro": {"nl": "Om het voorstel volledig te kunnen afwegen, is het antwoord op deze vragen nodig:",
                      "en": "To weigh the proposal completely, these questions need an answer:"},
    "missing_none": {"nl": "Er ontbreekt geen informatie die de afweging bepaalt.",
                     "en": "No information that decides the weighing is missing."},
    "missing_blocking": {"nl": "bepaalt de uitkomst", "en": "decides the outcome"},
    "missing_open": {"nl": "nog vast te stellen", "en": "still to be established"},
    "col_question": {"nl": "Vraag", "en": "Question"},
    "missing_answers": {"nl": "Per antwoord", "en": "Per answer"},
    "col_fact": {"nl": "Feit", "en": "Fact"},
    "col_weight": {"nl": "Gewicht", "en": "Weight"},
    # next steps
    "next_none": {"nl": "Geen vervolgstappen.", "en": "No next steps."},
    # appendix
    "app_facts": {"nl": "Gebruikte feiten", "en": "Facts used"},
    "app_facts_intro": {"nl": "De feiten uit het voorstel waarop de toegepaste regels steunen.",
                        "en": "The facts from the proposal on which the applied rules rest."},
    "app_col_value": {"nl": "Waarde", "en": "Value"},
    "app_hashes": {"nl": "Herkomst en controlegetallen", "en": "Provenance and checksums"},
    "app_hashes_intro": {
        "nl": "Met deze SHA-256-controlegetallen is na te gaan welk voorstelbestand en welke regels dit advies hebben opgeleverd.",
        "en": "These SHA-256 checksums show which proposal file and which rules produced this advice."},
    "app_file": {"nl": "Bestand", "en": "File"},
    "app_hash": {"nl": "SHA-256", "en": "SHA-256"},
    "app_proposal_file": {"nl": "Voorstel", "en": "Proposal"},
    "app_ruleset_total": {"nl": "Regelset als geheel", "en": "Rule set as a whole"},
    "app_engine": {"nl": "Versie van regiotoets", "en": "Version of regiotoets"},
    "app_rules_applied": {"nl": "Toegepaste regels", "en": "Rules applied"},
    # overview of several reports
    "ov_title": {"nl": "Overzicht van de adviezen", "en": "Overview of the advice"},
    "ov_intro": {"nl": "{n_Words} voorstellen getoetst op {day}.", "en": "{n_Words} proposals evaluated on {day}."},
    "ov_intro_one": {"nl": "Eén voorstel getoetst op {day}.", "en": "One proposal evaluated on {day}."},
    "ov_col_proposal": {"nl": "Voorstel", "en": "Proposal"},
    "ov_col_outcome": {"nl": "Uitkomst", "en": "Outcome"},
    "ov_col_reason": {"nl": "Bepalende regel", "en": "Deciding rule"},
    "ov_col_region": {"nl": "Regio en regelset", "en": "Region and rule set"},
    "ov_ruleset": {"nl": "versie {version}", "en": "version {version}"},
    "ov_counts": {"nl": "Aantal per uitkomst", "en": "Count per outcome"},
    "ov_expired": {"nl": "Let op: {n_words} adviezen zijn gegeven met een regelset buiten haar geldigheid; zie de kolom Regio en regelset.",
                   "en": "Note: {n_words} advices were given with a rule set outside its validity; see the column Region and rule set."},
    "ov_expired_one": {"nl": "Let op: één advies is gegeven met een regelset buiten haar geldigheid; zie de kolom Regio en regelset.",
                       "en": "Note: one advice was given with a rule set outside its validity; see the column Region and rule set."},
    "ov_col_report": {"nl": "Rapport", "en": "Report"},
    "ov_open": {"nl": "openen", "en": "open"},
    "ov_failed": {"nl": "Niet getoetst door een fout in het bestand ({n}):", "en": "Not evaluated because of an error in the file ({n}):"},
}


_NUMBER_WORDS = {
    "nl": ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf",
           "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien", "twintig"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
           "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"),
}


def number_words(n: int, lang: str) -> str:
    """A count as running text writes it: in words up to twenty ('twee voorwaarden'), then in digits (1.250)."""
    if 0 <= n < len(_NUMBER_WORDS[lang]):
        return _NUMBER_WORDS[lang][n]
    return f"{n:,}".replace(",", ".") if lang == "nl" else f"{n:,}"


def rt(key: str, lang: str, **kwargs: Any) -> str:
    """A report label in ``lang``, with ``{placeholders}`` filled; ``n=1`` takes the ``_one`` form when there is one,
    and every count ``x`` is also offered in words as ``{x_words}``."""
    if kwargs.get("n") == 1 and f"{key}_one" in REPORT_TEXT:
        key = f"{key}_one"
    text = REPORT_TEXT[key][lang]
    for name, value in list(kwargs.items()):
        if isinstance(value, int) and not isinstance(value, bool):
            words = kwargs[f"{name}_words"] = number_words(value, lang)
            kwargs[f"{name}_Words"] = words[:1].upper() + words[1:]  # at the start of a sentence
    return text.format(**kwargs) if kwargs else text


def missing_keys() -> list[tuple[str, str]]:
    """(key, language) pairs without a text; the parity test expects none."""
    return [(key, lang) for key, texts in REPORT_TEXT.items() for lang in LANGS if not texts.get(lang)]
