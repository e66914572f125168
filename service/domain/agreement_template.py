"""The agreement template: STOry's checklist pre-filled in the agreement's language.

These are the supervisor's starting texts, edited per agreement and stored in the
version as written; they are content, not interface strings, so they live here by
language rather than in the message catalogues.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateTexts:
    methods: str
    invoicing_terms: str
    early_termination_terms: str
    dissatisfaction_terms: str
    confidentiality_clause: str


TEMPLATES: dict[str, TemplateTexts] = {
    "fi": TemplateTexts(
        methods="Ratkaisukeskeinen työnohjaus: keskustelu, asteikkokysymykset ja pienet "
        "seuraavat askeleet.",
        invoicing_terms="Laskutus kuukausittain toteutuneista ja veloitettavista "
        "tapaamisista, maksuehto 14 päivää netto.",
        early_termination_terms="Kumpikin osapuoli voi päättää prosessin ilmoittamalla "
        "siitä kirjallisesti. Jo sovitut tapaamiset laskutetaan peruutusehtojen mukaan.",
        dissatisfaction_terms="Tyytymättömyydestä kerrotaan työnohjaajalle; asia käsitellään "
        "seuraavalla tapaamisella tai erikseen sovittavassa palaverissa.",
        confidentiality_clause="Työnohjaaja ja ohjattavat sitoutuvat vaitioloon. Tilaaja "
        "saa tiedon tapaamisten määrästä, osallistujamääristä ja laskutuksesta, ei "
        "keskustelujen sisällöstä.",
    ),
    "sv": TemplateTexts(
        methods="Lösningsfokuserad handledning: samtal, skalfrågor och små nästa steg.",
        invoicing_terms="Fakturering månadsvis för genomförda och debiterbara träffar, "
        "betalningsvillkor 14 dagar netto.",
        early_termination_terms="Vardera parten kan avsluta processen genom skriftligt "
        "meddelande. Redan avtalade träffar faktureras enligt avbokningsvillkoren.",
        dissatisfaction_terms="Missnöje tas upp med handledaren och behandlas vid följande "
        "träff eller vid ett separat möte.",
        confidentiality_clause="Handledaren och de handledda har tystnadsplikt. Beställaren "
        "får veta antalet träffar, deltagarantal och fakturering, inte samtalens innehåll.",
    ),
    "en": TemplateTexts(
        methods="Solution-focused supervision: conversation, scaling questions and small "
        "next steps.",
        invoicing_terms="Invoiced monthly for sessions held and chargeable, payment within "
        "14 days net.",
        early_termination_terms="Either party may end the process by written notice. "
        "Sessions already agreed are invoiced under the cancellation terms.",
        dissatisfaction_terms="Dissatisfaction is raised with the supervisor and discussed "
        "at the next session or in a separate meeting.",
        confidentiality_clause="The supervisor and the supervisees are bound by "
        "confidentiality. The orderer learns the number of sessions, attendance counts "
        "and invoicing, never what was said.",
    ),
}


def template_for(language: str) -> TemplateTexts:
    return TEMPLATES.get(language, TEMPLATES["fi"])
