"""Demo escalation ladders from the seeds and two years of deviations and disputes in Blekinge, Kalmar and
Västernorrland. Loaded by ``manage.py load_demo`` after the governance and agreement demos; does nothing when
the demo agreements already have a ladder or cases.

Every case goes through the real services with past timestamps, so states, levels, deadlines, overdue marks
and timelines are what the portal itself would have recorded. The texts describe failures between
organisations and contain no personal data.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion, Duty, ResponsibilityArea, Section, TargetGroup
from deviations import services
from deviations.models import Case, Category, Event, Ladder, LadderLevel
from governance.models import Body, Membership
from governance.services import membership_add
from samverkan.demo.loader import USERS
from samverkan.models import Organisation
from samverkan.registry import Demo

TZ = ZoneInfo("Europe/Stockholm")
FIRST_DAY = date(2025, 1, 2)
LAST_MOMENT = datetime(2026, 11, 23, 18, 0, tzinfo=TZ)  # the end of the demo's history
DEVIATIONS = 100
REASON = "Demodata"
A = Event.Action
P, B, E = LadderLevel.Handler.PARTIES, LadderLevel.Handler.BODY, LadderLevel.Handler.EXECUTIVES
MUNICIPAL, REGION = "municipal", "region"

# --- Ladders ----------------------------------------------------------------------------------------

BLEKINGE_LSG = {code: f"Lokal samverkansgrupp {m}" for code, m in [
    ("1082", "Karlshamn"), ("1080", "Karlskrona"), ("1060", "Olofström"), ("1081", "Ronneby"),
    ("1083", "Sölvesborg"),
]}  # fmt: skip
VASTERNORRLAND_LSG = {
    **dict.fromkeys(["2281", "2262", "2260"], "LSG södra länsdelen"),
    **dict.fromkeys(["2280", "2282", "2283"], "LSG Ådalen"),
    "2284": "LSG Örnsköldsvik",
}
BLEKINGE_SG_CHILDREN, BLEKINGE_SG_ADULTS, BLEKINGE_SG_ELDERLY = (
    "Samverkansgrupp Barn och unga",
    "Samverkansgrupp Vuxna",
    "Samverkansgrupp Äldre",
)


@dataclass(frozen=True)
class LevelSpec:
    name: str
    handler: str
    bodies: tuple[str, ...]
    start_days: int
    feedback_days: int
    needs_agreement: bool = False


@dataclass(frozen=True)
class LadderSpec:
    note: str
    general_body: str | None
    levels: tuple[LevelSpec, ...]


LADDERS = {
    "10": LadderSpec(
        "Enligt överenskommelsen avsnitt 8.2: bristerna löses i första hand av närmaste chef i respektive "
        "organisation med mandat att fatta beslut i frågan, skyndsamt och med återkoppling till berörda "
        "parter. Generella eller återkommande frågor lyfts till LSVO.",
        "Ledningssamverkan vård och omsorg",
        (
            LevelSpec("Närmaste chef i respektive organisation", P, (), 7, 21),
            LevelSpec("Kommunvis lokal samverkansgrupp", B, tuple(BLEKINGE_LSG.values()), 30, 60),
            LevelSpec(
                "Länsövergripande samverkansgrupp",
                B,
                (BLEKINGE_SG_CHILDREN, BLEKINGE_SG_ADULTS, BLEKINGE_SG_ELDERLY),
                30,
                90,
                needs_agreement=True,
            ),
        ),
    ),
    "08": LadderSpec(
        "Enligt överenskommelsen, ”Former för hur samverkansproblem mellan parterna ska lösas”: företrädarna "
        "inleder diskussioner inom två veckor och återkoppling sker till alla berörda parter.",
        None,
        (
            LevelSpec("Verksamheterna på tjänsteperson- och chefsnivå", P, (), 14, 30),
            LevelSpec("Länsgemensam ledning i samverkan", B, ("Länsgemensam ledning i samverkan",), 14, 60),
            LevelSpec("Kommunchef eller förbundsdirektör och regiondirektör", E, (), 14, 45, True),
            LevelSpec(
                "Kommunförbundets styrelse och regionstyrelsens presidium",
                E,
                (),
                14,
                90,
                needs_agreement=True,
            ),
        ),
    ),
    "22": LadderSpec(
        "Enligt överenskommelsen, ”Vid tvist”: i första hand i ordinarie linjeorganisation, annars på "
        "närmast "
        "övergripande ledningsnivå. Tvister av principiell karaktär lyfts till närmaste samverkansnivå; "
        "länsövergripande frågor till Beredningsgruppen.",
        "Beredningsgruppen",
        (
            LevelSpec("Ordinarie linjeorganisation", P, (), 14, 30),
            LevelSpec("Närmast övergripande ledningsnivå", P, (), 14, 45),
            LevelSpec(
                "Närmaste samverkansnivå",
                B,
                ("LSG södra länsdelen", "LSG Ådalen", "LSG Örnsköldsvik", "Beredningsgruppen"),
                30,
                90,
                needs_agreement=True,
            ),
        ),
    ),
}

# Leaders of the strategic bodies (the governance demo seats only LSVO), so that the chairs and secretaries
# of LLS and Beredningsgruppen can handle the cases that reach their body.
LEADERS = {
    "Länsgemensam ledning i samverkan": [
        ("ordforande.lls", Membership.Role.CHAIR),
        ("sekreterare.lls", Membership.Role.SECRETARY),
        ("ledamot.lls", Membership.Role.MEMBER),
    ],
    "Beredningsgruppen": [
        ("ordforande.beredningsgruppen", Membership.Role.CHAIR),
        ("sekreterare.beredningsgruppen", Membership.Role.SECRETARY),
        ("ledamot.beredningsgruppen", Membership.Role.MEMBER),
    ],
}
CHAIRS = {"10": "ordforande.lsvo", "08": "ordforande.lls", "22": "ordforande.beredningsgruppen"}
ADMINS = {"10": "admin.blekinge", "08": "admin.kalmar", "22": "admin.vasternorrland"}

# --- Where in each agreement a topic belongs: section number, target group key, responsibility area ---------

BL_VUXNA, BL_BARN = "vuxna-med-funktionsnedsattning", "barn-och-unga"
BL_BEROENDE, BL_TVANG = "beroende-spel-och-samsjuklighet", "psykiatrisk-tvangsvard"
KA, VN = "psykisk-funktionsnedsattning", "samordnade-insatser"
PLACES: dict[str, dict[str, tuple[str, str | None, str | None]]] = {
    "10": {
        "utskrivning": ("6.3", None, None),
        "sip": ("6.1", None, None),
        "barn": ("4.2.3", BL_BARN, "Utredning, bedömning"),
        "skola": ("4.2.3", BL_BARN, "Hjälpmedel i skolan"),
        "lss": ("4.3.3", BL_VUXNA, "Korttidsvistelse enligt LSS/Korttidsvistelse"),
        "hjalpmedel": ("4.3.3", BL_VUXNA, "Hjälpmedel"),
        "hemsjukvard": ("4.3.3", BL_VUXNA, "Ordinärt boende"),
        "boende": ("4.3.3", BL_VUXNA, "Särskilt boende"),
        "sysselsattning": ("4.3.3", BL_VUXNA, "Sysselsättning och rehabilitering"),
        "psykiatri": ("4.3.3", BL_VUXNA, "Insatser enligt HSL"),
        "beroende": ("4.4.3", BL_BEROENDE, "Insatser i öppenvård"),
        "tillnyktring": ("4.4.3", BL_BEROENDE, "Insatser för personer i behov av tillnyktring"),
        "samsjuklighet": ("4.4.3", BL_BEROENDE, "Insatser vid samsjuklighet"),
        "tvangsvard": ("4.5.3", BL_TVANG, "Permission från tvångsvård"),
        "anhoriga": ("3.4.1", None, None),
        "placering": ("5.4", None, None),
    },
    "08": {
        "utskrivning": ("7.1.3", KA, "Samverkan vid utskrivning från slutet hälso-och sjukvård"),
        "sip": ("7.1.2", KA, "Samordnad individuell plan"),
        "hjalpmedel": ("7.2.4.3", KA, "Hjälpmedel"),
        "hemsjukvard": ("7.2.4", KA, "Hälso-och sjukvård, habilitering, rehabilitering och hjälpmedel"),
        "psykiatri": ("7.2.4", KA, "Hälso-och sjukvård, habilitering, rehabilitering och hjälpmedel"),
        "boende": ("7.2.3", KA, "Bostad"),
        "sysselsattning": ("7.1.4", KA, "Arbetsrehabilitering"),
        "beroende": ("7.1.1", KA, "Personer med samsjuklighet"),
        "samsjuklighet": ("7.1.1", KA, "Personer med samsjuklighet"),
        "anhoriga": ("7.2.2", KA, "Stöd till barn som anhöriga"),
    },
    "22": {
        "utskrivning": ("5.5", VN, "Samordnad individuell plan (SIP)"),
        "sip": ("5.5", VN, "Samordnad individuell plan (SIP)"),
        "hjalpmedel": ("5.3", VN, "Hjälpmedel"),
        "hemsjukvard": ("5", VN, "Ansvarsfördelning – allmänt"),
        "boende": ("5.1", VN, "Boende"),
        "sysselsattning": ("5.2", VN, "Sysselsättning och arbetsrehabilitering"),
        "psykiatri": ("5.6", VN, "Behandlingslinjer"),
        "beroende": ("5.6", VN, "Behandlingslinjer"),
        "samsjuklighet": ("5.6", VN, "Behandlingslinjer"),
        "barn": ("5.6", VN, "Behandlingslinjer"),
        "anhoriga": ("5.4", VN, "Anhöriga och närstående"),
        "placering": ("5", VN, "Ansvarsfördelning – allmänt"),
    },
}


# --- Deviations -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    category: str
    topic: str
    reporter_side: str
    title: str
    description: str
    consequence: str
    improvement: str
    measures: str
    feedback: str


SCENARIOS = [
    Scenario(
        "discharge-failed",
        "utskrivning",
        MUNICIPAL,
        "Utskrivning utan meddelande till kommunen",
        "En patient skrevs ut från slutenvården till ordinärt boende utan att inskrivningsmeddelande och "
        "meddelande om utskrivningsklar hade skickats till kommunen. Hemsjukvården fick kännedom om "
        "hemgången "
        "först när personen redan var hemma, och ordinerade läkemedel saknades.",
        "Hemtjänst och hemsjukvård kunde inte planeras i förväg och den enskilde var utan tillsyn första "
        "kvällen.",
        "Följ rutinen för samverkan vid utskrivning och kontrollera att meddelandena har skickats före "
        "hemgång.",
        "Avdelningen har gått igenom rutinen för utskrivning med all personal och lagt in en kontrollpunkt i "
        "checklistan före hemgång.",
        "Vi beklagar det inträffade. Rutinen är genomgången på avdelningen och kontrollpunkten i checklistan "
        "gäller från och med nu.",
    ),
    Scenario(
        "discharge-failed",
        "utskrivning",
        REGION,
        "Utskrivningsklar patient kunde inte tas emot",
        "Patienten bedömdes utskrivningsklar och kommunen meddelades enligt rutin. Kommunen kallade inte "
        "till "
        "planering inom överenskommen tid och plats i korttidsboende erbjöds först fem dagar senare.",
        "Vårdplatsen var upptagen i onödan och den enskilde fick stanna på sjukhuset utan medicinskt behov.",
        "Kommunen behöver en utsedd kontaktväg för utskrivningar även under helger.",
        "Biståndshandläggningen har infört bemanning för utskrivningsärenden även under helger.",
        "Vi har sett över bemanningen och infört en jourfunktion för utskrivningsärenden på helger. "
        "Uppföljning sker i den lokala samverkansgruppen.",
    ),
    Scenario(
        "information-not-transferred",
        "utskrivning",
        MUNICIPAL,
        "Läkemedelslista saknades vid hemgång",
        "Vid hemgång från sjukhuset följde ingen aktuell läkemedelslista med. Kommunens sjuksköterska fick "
        "vänta "
        "över ett dygn på att nå avdelningen för att få ordinationerna bekräftade.",
        "Läkemedel kunde inte delas enligt ordination under första dygnet.",
        "Läkemedelslistan ska skickas digitalt senast vid utskrivningen.",
        "Avdelningen har förtydligat att läkemedelslistan skickas i samband med utskrivningsmeddelandet.",
        "Rutinen är förtydligad och följs upp vid avdelningens egenkontroll under kommande kvartal.",
    ),
    Scenario(
        "sip-late",
        "sip",
        MUNICIPAL,
        "Kallelse till SIP besvarades inte",
        "Socialtjänsten kallade till samordnad individuell plan för en ungdom med behov av stöd från både "
        "socialtjänst och psykiatri. Regionens verksamhet svarade inte på kallelsen och ingen företrädare "
        "deltog vid mötet.",
        "Planeringen försenades och insatserna kunde inte samordnas.",
        "Kallelser till SIP behöver en funktionsbrevlåda som bevakas varje dag.",
        "Mottagningen har inrättat en funktionsbrevlåda för kallelser till SIP som bevakas dagligen.",
        "Kallelser tas nu emot i en bevakad funktionsbrevlåda. Nytt SIP-möte är bokat med deltagande från "
        "mottagningen.",
    ),
    Scenario(
        "sip-late",
        "sip",
        REGION,
        "SIP kom inte till stånd trots begäran",
        "Vårdcentralen begärde SIP för en vuxen med psykisk funktionsnedsättning och insatser från "
        "hemtjänsten. "
        "Kommunen bekräftade begäran men något möte blev inte av inom fyra veckor.",
        "Ansvarsfördelningen mellan vårdcentralen och hemtjänsten förblev oklar.",
        "Bekräftade begäranden om SIP behöver få en mötestid inom två veckor.",
        "Socialtjänsten har utsett en samordnare som bokar SIP-möten inom två veckor från begäran.",
        "Mötet är genomfört och en samordnare ansvarar nu för att boka SIP inom två veckor.",
    ),
    Scenario(
        "information-not-transferred",
        "sip",
        REGION,
        "Planen från SIP-mötet skickades inte ut",
        "Efter SIP-mötet skulle kommunen som sammankallande skicka ut den gemensamma planen. Planen hade "
        "inte "
        "kommit till regionens verksamheter efter fem veckor och uppföljningsdatum saknades.",
        "Verksamheterna arbetade utifrån olika uppfattningar om vad som beslutats.",
        "Planen bör skickas ut inom en vecka efter mötet.",
        "Handläggarna har fått en påminnelse om att planen skickas ut inom en vecka.",
        "Planen är nu utskickad och uppföljningsdatum är satt. Rutinen är påmind i arbetsgruppen.",
    ),
    Scenario(
        "referral-not-answered",
        "barn",
        MUNICIPAL,
        "Remiss till BUP obesvarad i sju veckor",
        "Elevhälsan skickade en remiss till barn- och ungdomspsykiatrin efter samråd med vårdnadshavare. "
        "Efter "
        "sju veckor hade varken kallelse eller besked om bedömning kommit.",
        "Skolan har inte kunnat planera anpassningar och frånvaron har ökat.",
        "Remisser från elevhälsan bör bekräftas inom två veckor med besked om fortsatt handläggning.",
        "Remissen är bedömd och kallelse skickad. Rutinen för mottagningsbekräftelse har setts över.",
        "Remissen är nu bedömd. Framöver skickas en bekräftelse till elevhälsan inom två veckor.",
    ),
    Scenario(
        "referral-not-answered",
        "skola",
        MUNICIPAL,
        "Begäran om stöd från habiliteringen obesvarad",
        "Skolan begärde handledning från habiliteringen kring anpassningar och hjälpmedel för en elev med "
        "omfattande behov. Begäran har inte besvarats efter två månader.",
        "Eleven har saknat anpassningar under en stor del av terminen.",
        "Habiliteringen bör ha en kontaktväg för skolornas frågor.",
        "Habiliteringen har utsett en kontaktperson för skolornas frågor om hjälpmedel.",
        "Handledningen är bokad och skolorna har fått en kontaktväg till habiliteringen.",
    ),
    Scenario(
        "unit-unreachable",
        "psykiatri",
        MUNICIPAL,
        "Psykiatrins öppenvård gick inte att nå",
        "Boendestödet försökte under tre dagar nå psykiatrins öppenvårdsmottagning om en brukare med "
        "försämrat "
        "mående. Telefontiden var full och meddelanden i e-tjänsten besvarades inte.",
        "Boendestödet kunde inte få råd om hur personen skulle stödjas och kontaktade till slut akuten.",
        "Kommunens verksamheter behöver ett direktnummer till mottagningen.",
        "Mottagningen har infört ett direktnummer för kommunens personal under kontorstid.",
        "Ett direktnummer för samverkanspartner finns nu och har skickats till kommunens verksamheter.",
    ),
    Scenario(
        "unit-unreachable",
        "hemsjukvard",
        REGION,
        "Hemsjukvården kunde inte nås kvällstid",
        "Akutmottagningen behövde lämna information om ändrad behandling till kommunens hemsjukvård inför "
        "hemgång en kväll. Angivet telefonnummer gick inte fram och ingen sjuksköterska i tjänst kunde nås "
        "förrän nästa morgon.",
        "Hemgången fick skjutas upp till nästa dag.",
        "Kommunen bör hålla kontaktuppgifterna i den gemensamma katalogen aktuella.",
        "Kontaktuppgifterna till hemsjukvården kvällstid är uppdaterade i den gemensamma katalogen.",
        "Numret är rättat och kontrolleras nu varje månad.",
    ),
    Scenario(
        "unit-unreachable",
        "hemsjukvard",
        MUNICIPAL,
        "Vårdcentralen svarade inte hemtjänsten",
        "Hemtjänsten sökte vårdcentralen under två dagar om en brukare med snabbt försämrat allmäntillstånd. "
        "Ingen återuppringning kom och hemtjänsten fick till slut vända sig till sjukvårdsrådgivningen.",
        "Bedömningen av vårdbehovet försenades.",
        "Vårdcentralen bör ringa tillbaka till kommunens personal samma dag.",
        "Vårdcentralen har infört en särskild återuppringningslista för kommunens personal.",
        "Kommunens personal får nu återuppringning samma dag via en särskild lista.",
    ),
    Scenario(
        "duty-not-performed",
        "hjalpmedel",
        REGION,
        "Hjälpmedel för daglig verksamhet förskrevs inte",
        "Arbetsterapeut i regionen hänvisade till kommunen för förskrivning av hjälpmedel till en person i "
        "daglig "
        "verksamhet. Kommunen hänvisade tillbaka till regionen och efter sex veckor hade ingen förskrivning "
        "gjorts.",
        "Personen kunde inte delta fullt ut i sin dagliga verksamhet.",
        "Ansvarsfördelningen för hjälpmedel i daglig verksamhet behöver spridas till förskrivarna.",
        "Kommunen har förskrivit hjälpmedlet och informerat sina förskrivare om ansvarsfördelningen.",
        "Hjälpmedlet är förskrivet. Ansvarsfördelningen enligt överenskommelsen har tagits upp på "
        "arbetsplatsträffar.",
    ),
    Scenario(
        "duty-not-performed",
        "hjalpmedel",
        MUNICIPAL,
        "Hjälpmedel provades inte ut före hemgång",
        "En person skrevs ut efter en fraktur utan att gånghjälpmedel och toalettförhöjning hade provats ut. "
        "Enligt rutinen ansvarar regionens rehabilitering för detta före utskrivning.",
        "Personen kunde inte röra sig säkert i bostaden och hemtjänsten fick utöka sina besök.",
        "Hjälpmedelsbehovet ska bedömas och tillgodoses före utskrivning.",
        "Rehabiliteringen har lagt in bedömning av hjälpmedel i planeringen inför utskrivning.",
        "Bedömningen av hjälpmedel är nu en fast punkt inför utskrivning.",
    ),
    Scenario(
        "duty-not-performed",
        "lss",
        REGION,
        "Beslutad korttidsvistelse verkställdes inte",
        "Habiliteringen fick besked om att beslutad korttidsvistelse enligt LSS inte kunnat verkställas på "
        "flera "
        "månader. Familjen har inte fått besked om när insatsen kan starta.",
        "Habiliteringens planering påverkas och familjens avlastning uteblir.",
        "Kommunen bör lämna besked om planerad verkställighet till berörda verksamheter.",
        "Kommunen har tagit fram en plan för verkställighet och informerat familjen och habiliteringen.",
        "Insatsen beräknas kunna starta inom en månad. Habiliteringen informeras om förändringar.",
    ),
    Scenario(
        "duty-not-performed",
        "beroende",
        MUNICIPAL,
        "Abstinensbehandling avslutades utan kontakt med socialtjänsten",
        "En person som vårdades frivilligt för abstinens skrevs ut efter två dygn. Socialtjänsten, som "
        "planerade "
        "fortsatt behandling, fick inte veta om utskrivningen och kontakten bröts.",
        "Den planerade behandlingen kunde inte påbörjas.",
        "Socialtjänsten ska kontaktas före utskrivning när en gemensam planering finns.",
        "Beroendevården har förtydligat att socialtjänsten kontaktas före utskrivning.",
        "Rutinen är förtydligad och socialtjänsten får numera besked före utskrivning.",
    ),
    Scenario(
        "referral-not-answered",
        "samsjuklighet",
        REGION,
        "Förfrågan om boende med stöd obesvarad",
        "Beroendemottagningen skickade en förfrågan till socialtjänsten om bedömning av boende med stöd för "
        "en "
        "patient med samsjuklighet. Förfrågan har inte besvarats trots två påminnelser.",
        "Behandlingen kan inte avslutas på ett tryggt sätt.",
        "Förfrågningar från vården bör besvaras inom två veckor.",
        "Socialtjänsten har besvarat förfrågan och inrättat en gemensam brevlåda för vårdens förfrågningar.",
        "Förfrågan är besvarad och bedömning av boende pågår.",
    ),
    Scenario(
        "duty-not-performed",
        "tillnyktring",
        MUNICIPAL,
        "Tillnyktring hänvisades till kommunen",
        "En berusad person som behövde tillnyktring under medicinsk övervakning hänvisades från akuten till "
        "kommunens boende, som saknar sjukvårdspersonal nattetid.",
        "Personalen på boendet fick ta ansvar för en medicinsk bedömning de inte kan göra.",
        "Tillnyktring med behov av medicinsk övervakning ska ske inom regionens vård.",
        "Akuten har gått igenom ansvarsfördelningen för tillnyktring med sina läkare.",
        "Ansvarsfördelningen är genomgången på akuten och frågan följs upp i samverkansgruppen.",
    ),
    Scenario(
        "information-not-transferred",
        "tvangsvard",
        MUNICIPAL,
        "Permission beviljades utan information till kommunen",
        "En person som vårdas enligt LPT fick permission till sin bostad utan att socialtjänsten eller "
        "boendestödet hade informerats i förväg.",
        "Stöd under permissionen kunde inte planeras.",
        "Kommunen ska informeras före permission när kommunala insatser behövs.",
        "Avdelningen har lagt in kontakt med kommunen i planeringen inför permission.",
        "Kommunen informeras nu i förväg inför permission när stöd behövs.",
    ),
    Scenario(
        "duty-not-performed",
        "boende",
        REGION,
        "Bostad saknades vid utskrivning från psykiatrin",
        "Psykiatrisk slutenvård meddelade i god tid att en patient behövde bostad med särskild service efter "
        "utskrivning. Kommunen hade inte fattat beslut när patienten var utskrivningsklar.",
        "Patienten blev kvar på avdelningen utan medicinskt behov.",
        "Behov av bostad bör utredas parallellt med vården så att beslut finns vid utskrivning.",
        "Kommunen har påbörjat utredningen och erbjudit ett tillfälligt boende med stöd.",
        "Tillfälligt boende med stöd är ordnat och beslut om bostad med särskild service väntas inom en "
        "månad.",
    ),
    Scenario(
        "other",
        "sysselsattning",
        MUNICIPAL,
        "Arbetsrehabilitering avslutades utan samordning",
        "Regionens arbetsrehabilitering avslutade insatsen för en person med psykisk funktionsnedsättning "
        "utan "
        "att kommunens sysselsättning hade kontaktats, trots att en gemensam plan fanns.",
        "Personen stod utan sysselsättning i flera veckor.",
        "Avslut ska stämmas av med övriga parter i den gemensamma planen.",
        "Arbetsrehabiliteringen stämmer nu av avslut med kommunen enligt planen.",
        "Rutinen för avslut är förtydligad och personen har fått plats i kommunens sysselsättning.",
    ),
    Scenario(
        "information-not-transferred",
        "anhoriga",
        MUNICIPAL,
        "Barnens behov uppmärksammades inte vid inläggning",
        "Socialtjänsten fick veta först efter en vecka att en förälder med minderåriga barn hade lagts in "
        "inom "
        "psykiatrin. Enligt överenskommelsen ska vården uppmärksamma barnens behov och informera "
        "socialtjänsten.",
        "Barnens situation kunde inte bedömas i tid.",
        "Vården bör alltid fråga om minderåriga barn vid inläggning och kontakta socialtjänsten vid behov.",
        "Avdelningen har infört frågan om minderåriga barn i inskrivningssamtalet.",
        "Frågan om barn ställs nu vid varje inskrivning och kontakten med socialtjänsten är dokumenterad.",
    ),
]

CONTEXTS = [
    "",
    "",
    " Händelsen inträffade under en helg.",
    " Liknande händelser har förekommit tidigare under året.",
    " Händelsen inträffade under semesterperioden.",
    " Händelsen är dokumenterad i verksamhetens eget avvikelsesystem.",
]
ESCALATION_REASONS = [
    "Åtgärderna på verksamhetsnivå har inte löst problemet och liknande händelser har upprepats.",
    "Parterna är inte överens om vem som ansvarar för insatsen.",
    "Ingen återkoppling har lämnats inom överenskommen tid.",
    "Bristen gäller fler verksamheter och behöver hanteras som en gemensam fråga.",
]
UPPER_LEVEL_TEXTS = {
    P: (
        "Närmast övergripande chefer har gått igenom ärendet och kommit överens om hur ansvaret fördelas.",
        "Cheferna har enats om ansvarsfördelningen och informerat berörda verksamheter.",
    ),
    B: (
        "Samverkansgruppen har gått igenom ärendet med båda parter och beslutat att rutinen ska förtydligas "
        "och "
        "spridas till berörda verksamheter.",
        "Samverkansgruppen har återkopplat beslutet till båda parter. Uppföljning sker vid gruppens nästa "
        "möte.",
    ),
    E: (
        "Kommunchef och regiondirektör har enats om en gemensam tolkning av ansvarsfördelningen.",
        "Den gemensamma tolkningen är skickad till berörda förvaltningar och verksamheter.",
    ),
}

# outcome: weight
OUTCOMES = {
    "closed": 50,
    "closed_late": 13,
    "feedback_open": 4,
    "escalated_closed": 11,
    "escalated_open": 7,
    "top_closed": 5,
    "never_received": 4,
    "no_feedback": 6,
}
STILL_OPEN = ("feedback_open", "escalated_open", "never_received", "no_feedback")


@dataclass
class Step:
    day: float  # days after the report
    action: str  # an Event.Action, or ESCALATE
    text: str = ""


ESCALATE = "escalate"


# --- Disputes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DisputeSpec:
    county: str
    reporter: str  # organisation code
    concerned: str
    question: str
    topic: str
    reported: date
    title: str
    description: str
    position: str
    counter_position: str
    steps: tuple[tuple[float, str, str], ...]  # day, action, text


DISPUTES = [
    DisputeSpec(
        "10",
        "1081",
        "R10",
        Case.Question.PAYMENT,
        "placering",
        date(2025, 3, 11),
        "Kostnadsansvar för placering på HVB",
        "Kommunen och regionen är oense om fördelningen av kostnaderna för en placering på HVB där den unge "
        "har "
        "behov av både psykiatrisk behandling och stöd från socialtjänsten. Någon gemensam planering enligt "
        "avsnitt 5.3 gjordes inte före placeringen.",
        "Kommunen anser att placeringen till stor del motiveras av vårdbehov och att kostnaderna ska delas "
        "enligt avsnitt 5.4.",
        "Regionen anser att placeringen beslutades utan samråd och att regionen därför inte har "
        "kostnadsansvar "
        "för den del som avser boende.",
        (
            (6, A.STARTED, ""),
            (20, A.FEEDBACK, "Cheferna har träffats två gånger utan att komma överens."),
            (35, ESCALATE, "Parterna är inte överens om kostnadsfördelningen."),
            (45, A.STARTED, ""),
            (
                70,
                A.RESOLVED,
                "Kostnaderna för placeringen delas lika från placeringens början. Gemensam planering före "
                "placering ska alltid göras enligt avsnitt 5.3.",
            ),
        ),
    ),
    DisputeSpec(
        "10",
        "R10",
        "1080",
        Case.Question.RESPONSIBILITY,
        "hjalpmedel",
        date(2025, 9, 2),
        "Ansvar för hjälpmedel i daglig verksamhet",
        "Parterna tolkar ansvarsfördelningen för hjälpmedel olika när hjälpmedlet behövs i daglig verksamhet "
        "för personer i ordinärt boende. Flera förskrivningar har dröjt medan frågan utretts.",
        "Regionen anser att kommunen förskriver hjälpmedel till daglig verksamhet enligt avsnitt 4.3.3.",
        "Kommunen anser att förskrivningen följer av regionens habiliteringsinsatser.",
        (
            (5, A.STARTED, ""),
            (30, ESCALATE, "Parterna tolkar avsnitt 4.3.3 olika."),
            (38, A.STARTED, ""),
            (80, ESCALATE, "Frågan gäller alla kommuner i länet och bör avgöras av samverkansgruppen."),
            (95, A.STARTED, ""),
            (
                120,
                A.RESOLVED,
                "Samverkansgruppen konstaterar att kommunerna förskriver hjälpmedel till daglig verksamhet "
                "för "
                "personer i ordinärt boende, enligt gällande version av överenskommelsen.",
            ),
        ),
    ),
    DisputeSpec(
        "10",
        "1082",
        "R10",
        Case.Question.RESPONSIBILITY,
        "tillnyktring",
        date(2026, 2, 16),
        "Ansvar för tillnyktring nattetid",
        "Parterna är oense om var personer som behöver tillnyktring nattetid ska tas emot när medicinsk "
        "övervakning behövs men inte sjukhusvård.",
        "Kommunen anser att tillnyktring med behov av medicinsk övervakning är regionens ansvar.",
        "Regionen anser att kommunen ansvarar för boende och tillsyn när sjukhusvård inte behövs.",
        (
            (7, A.STARTED, ""),
            (30, ESCALATE, "Cheferna har inte kunnat enas."),
            (50, A.STARTED, ""),
            (95, ESCALATE, "Den lokala samverkansgruppen bedömer att frågan gäller hela länet."),
            (110, A.STARTED, ""),
            (
                150,
                ESCALATE,
                "Frågan gäller alla kommuner i länet och hänskjuts till LSVO som en generell fråga.",
            ),
        ),
    ),
    DisputeSpec(
        "08",
        "0880",
        "R08",
        Case.Question.RESPONSIBILITY,
        "boende",
        date(2026, 8, 18),
        "Ansvar för stöd i bostad vid samsjuklighet",
        "Parterna är oense om vem som ansvarar för stöd i bostaden till personer med samsjuklighet som har "
        "pågående behandling inom psykiatrin.",
        "Kommunen anser att behandlingsinsatserna i bostaden är hälso- och sjukvård som regionen ansvarar "
        "för.",
        "Regionen anser att stödet är boendestöd enligt socialtjänstlagen.",
        (
            (10, A.STARTED, ""),
            (40, ESCALATE, "Parterna är inte överens efter tre möten."),
            (52, A.STARTED, ""),
        ),
    ),
    DisputeSpec(
        "08",
        "R08",
        "0882",
        Case.Question.PAYMENT,
        "hjalpmedel",
        date(2025, 5, 6),
        "Betalningsansvar för hjälpmedel efter utskrivning",
        "Parterna är oense om vem som betalar hjälpmedel som förskrevs under slutenvården och behövs i "
        "bostaden "
        "efter utskrivning.",
        "Regionen anser att hjälpmedel för bostaden bekostas av kommunen från utskrivningsdagen.",
        "Kommunen anser att regionen bekostar hjälpmedel som förskrivits av regionens personal.",
        (
            (9, A.STARTED, ""),
            (20, A.FEEDBACK, "Parterna har gått igenom hjälpmedelsavsnittet tillsammans."),
            (
                28,
                A.RESOLVED,
                "Förskrivande huvudman betalar hjälpmedlet. Kommunen tar över ansvaret vid nästa "
                "förskrivning.",
            ),
        ),
    ),
    DisputeSpec(
        "08",
        "0882",
        "R08",
        Case.Question.INDIVIDUAL,
        "sip",
        date(2026, 4, 14),
        "Samordning kring en enskild med omfattande behov",
        "Parterna är oense om vem som ska vara fast vårdkontakt och sammankalla till SIP för en enskild med "
        "omfattande behov från både psykiatri och socialtjänst.",
        "Kommunen anser att psykiatrin ska sammankalla eftersom behandlingen är det mest omfattande behovet.",
        "Regionen anser att socialtjänsten ska sammankalla eftersom insatserna i bostaden dominerar.",
        (
            (8, A.STARTED, ""),
            (30, ESCALATE, "Verksamheterna har inte kunnat enas."),
            (40, A.STARTED, ""),
            (70, A.FEEDBACK, "Länsgemensam ledning har hört båda parter och återkommer med ett förslag."),
            (100, ESCALATE, "Förslaget från länsgemensam ledning godtogs inte av någon av parterna."),
        ),
    ),
    DisputeSpec(
        "22",
        "2281",
        "R22",
        Case.Question.INDIVIDUAL,
        "psykiatri",
        date(2026, 10, 1),
        "Ansvar för behandling i hemmet",
        "Parterna är oense om vem som ansvarar för behandlingsinsatser i hemmet för en enskild som behöver "
        "både "
        "psykiatrisk behandling och stöd från socialtjänsten.",
        "Kommunen anser att behandlingen är specialiserad psykiatri enligt behandlingslinjerna.",
        "Regionen anser att insatserna är stöd i vardagen som kommunen ansvarar för.",
        ((5, A.STARTED, ""),),
    ),
    DisputeSpec(
        "22",
        "R22",
        "2280",
        Case.Question.RESPONSIBILITY,
        "boende",
        date(2025, 10, 20),
        "Ansvar för boende efter utskrivning",
        "Parterna är oense om hur boende ska ordnas för personer som skrivs ut från psykiatrisk slutenvård "
        "och "
        "saknar bostad.",
        "Regionen anser att kommunen ansvarar för att ordna boende enligt avsnittet om boende.",
        "Kommunen anser att planeringen ska påbörjas av vården i god tid före utskrivning.",
        (
            (6, A.STARTED, ""),
            (25, ESCALATE, "Linjeorganisationen har inte kunnat lösa frågan."),
            (33, A.STARTED, ""),
            (70, ESCALATE, "Frågan är av principiell karaktär."),
            (80, A.STARTED, ""),
            (
                110,
                A.RESOLVED,
                "Vården meddelar kommunen senast två veckor före planerad utskrivning, och kommunen ordnar "
                "boende till utskrivningsdagen.",
            ),
        ),
    ),
]


# --- Loading ----------------------------------------------------------------------------------------


@dataclass
class DemoCounty:
    """What the demo needs of one county: its agreement, ladder, people and places."""

    code: str
    agreement: Agreement
    ladder: LadderSpec
    parties: dict[str, list[Organisation]]  # side -> organisations
    officials: dict[int, User]  # organisation id -> a demo official
    admin: User
    chair: User
    bodies: dict[str, Body]
    leaders: dict[int, User]  # body id -> its chair or secretary
    places: dict[str, tuple[Section | None, TargetGroup | None, ResponsibilityArea | None]]
    duties: dict[tuple[int, str], list[Duty]] = field(default_factory=dict)  # (area id, side) -> duties


def deviations_demo_run(demo: Demo) -> None:
    deviations_demo_load()


@transaction.atomic
def deviations_demo_load() -> None:
    """Ladders for the demo agreements, about a hundred deviations and a handful of disputes."""
    agreements = {code: _demo_agreement(code) for code in LADDERS}
    if None in agreements.values():
        return
    if (
        Ladder.objects.filter(agreement__in=agreements.values()).exists()
        or Case.objects.filter(agreement__in=agreements.values()).exists()
    ):
        return
    _leaders_seat()
    end = min(LAST_MOMENT, timezone.now())
    with _without_notifications():
        counties = {code: _county(code, agreement) for code, agreement in agreements.items()}
        rng = random.Random(2026)  # noqa: S311 - demo data, not security
        categories = {c.code: c for c in Category.objects.filter(county__isnull=True)}
        runs = [
            (spec[1], partial(_deviation_run, rng, *spec, categories=categories, end=end))
            for spec in _deviation_specs(rng, counties, end)
        ]
        runs += [
            (_dispute_at(spec), partial(_dispute_run, spec, counties[spec.county], end=end))
            for spec in DISPUTES
        ]
        for _reported_at, run in sorted(runs, key=lambda r: r[0]):  # references follow the calendar
            run()


def _demo_agreement(code: str) -> Agreement | None:
    return (
        Agreement.objects.filter(county__code=code, versions__status=AgreementVersion.Status.ADOPTED)
        .order_by("pk")
        .first()
    )


@contextmanager
def _without_notifications() -> Iterator[None]:
    """Drop the e-mails the services queue for after the commit: the demo's cases are history, and in
    development the console backend would print hundreds of them. (Django's ``captureOnCommitCallbacks``
    reads the same list.)"""
    connection = transaction.get_connection()
    with transaction.atomic():
        queued = len(connection.run_on_commit)
        yield
        del connection.run_on_commit[queued:]


def _leaders_seat() -> None:
    usernames = [username for seats in LEADERS.values() for username, _role in seats]
    users = {
        u.username: u
        for u in User.objects.filter(username__in=usernames).select_related("profile__organisation")
    }
    for name, seats in LEADERS.items():
        body = Body.objects.filter(name=name).first()
        if body is None or body.memberships.exists():
            continue
        for username, role in seats:
            user = users[username]
            membership_add(
                body=body,
                user=user,
                organisation=user.profile.organisation,
                role=role,
                starts_on=date(2025, 1, 1),
                by=None,
                reason=REASON,
            )


def _county(code: str, agreement: Agreement) -> DemoCounty:
    spec = LADDERS[code]
    bodies = {b.name: b for b in Body.objects.filter(county=agreement.county)}
    services.ladder_save(
        agreement=agreement,
        by=None,
        general_body=bodies.get(spec.general_body),
        note=spec.note,
        levels=[
            {
                "name": level.name,
                "handler": level.handler,
                "bodies": [bodies[name] for name in level.bodies],
                "start_days": level.start_days,
                "feedback_days": level.feedback_days,
                "needs_agreement": level.needs_agreement,
            }
            for level in spec.levels
        ],
    )
    parties: dict[str, list[Organisation]] = {MUNICIPAL: [], REGION: []}
    for party in agreement.parties.select_related("organisation").order_by("organisation__name"):
        if party.organisation.code:  # not the municipal associations
            parties[party.side].append(party.organisation)
    users = {u.username: u for u in User.objects.filter(username__in=[u.username for u in USERS])}
    leading = Membership.objects.filter(
        body__in=bodies.values(), role__in=[Membership.Role.CHAIR, Membership.Role.SECRETARY]
    ).order_by("role")
    return DemoCounty(
        code=code,
        agreement=agreement,
        ladder=spec,
        parties=parties,
        officials=_officials(users, [o for side in parties.values() for o in side]),
        admin=users[ADMINS[code]],
        chair=users[CHAIRS[code]],
        bodies=bodies,
        leaders={m.body_id: m.user for m in leading.select_related("user")},
        places=_places(agreement, PLACES[code]),
    )


def _officials(users: dict[str, User], organisations: list[Organisation]) -> dict[int, User]:
    """A demo official per organisation, preferring the plain officials ("tjansteperson.…")."""
    by_code = {o.code: o for o in organisations}
    officials: dict[int, User] = {}
    for spec in sorted(USERS, key=lambda u: not u.username.startswith("tjansteperson")):
        for role, scope in spec.roles:
            if role == "official" and scope in by_code:
                officials.setdefault(by_code[scope].pk, users[spec.username])
    return officials


def _places(agreement: Agreement, places: dict) -> dict:
    version = agreement.versions.get(status=AgreementVersion.Status.ADOPTED)
    sections = {s.number: s for s in Section.objects.filter(version=version)}
    groups = {g.key: g for g in TargetGroup.objects.filter(version=version)}
    areas = {
        (a.target_group.key, a.name): a
        for a in ResponsibilityArea.objects.filter(version=version).select_related("target_group")
    }
    return {
        topic: (sections.get(number), groups.get(group), areas.get((group, area)))
        for topic, (number, group, area) in places.items()
    }


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 15), rng.randrange(0, 60, 5)), tzinfo=TZ)


def _deviation_specs(rng: random.Random, counties: dict[str, DemoCounty], end: datetime) -> list[tuple]:
    """(county, reported at, scenario, outcome) for each deviation: most spread over the two years, one in ten
    in the last six weeks so that the open lists have something."""
    span = (end.date() - FIRST_DAY).days - 1
    specs = []
    for n in range(DEVIATIONS):
        county = counties[rng.choices(["10", "08", "22"], weights=[45, 30, 25])[0]]
        back = rng.randint(1, 42) if n % 10 == 0 else rng.randint(1, span)
        scenario = rng.choice([s for s in SCENARIOS if s.topic in county.places])
        outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
        if outcome in STILL_OPEN and back > 300 and rng.random() < 0.5:
            outcome = "closed"  # most old cases have been dealt with by now
        specs.append((county, _at(end.date() - timedelta(days=back), rng), scenario, outcome))
    return specs


def _pick(rng: random.Random, organisations: list[Organisation], officials: dict[int, User]) -> Organisation:
    """An organisation, three times as likely when a demo user works there."""
    weights = [3 if o.pk in officials else 1 for o in organisations]
    return rng.choices(organisations, weights=weights)[0]


def _deviation_run(
    rng: random.Random,
    county: DemoCounty,
    reported_at: datetime,
    scenario: Scenario,
    outcome: str,
    *,
    categories: dict[str, Category],
    end: datetime,
) -> None:
    other = REGION if scenario.reporter_side == MUNICIPAL else MUNICIPAL
    reporting = _pick(rng, county.parties[scenario.reporter_side], county.officials)
    concerned = _pick(rng, county.parties[other], county.officials)
    section, group, area = county.places[scenario.topic]
    units = list(reporting.units.order_by("name"))
    report = services.Report(
        kind=Case.Kind.DEVIATION,
        agreement=county.agreement,
        reporting_organisation=reporting,
        concerned=[concerned],
        title=scenario.title,
        description=scenario.description + rng.choice(CONTEXTS),
        category=categories[scenario.category],
        section=section,
        area=area,
        duty=_duty(rng, county, area, other),
        target_group=group,
        reporting_unit=rng.choice(units) if units and rng.random() < 0.7 else None,
        event_date=reported_at.date() - timedelta(days=rng.randint(0, 6)),
        consequence=scenario.consequence,
        improvement=scenario.improvement if rng.random() < 0.8 else "",
    )
    case = services.case_report(report=report, by=_reporter(county, reporting), now=reported_at)
    _steps_run(case, county, _plan(rng, county, scenario, outcome), end=end)


def _duty(rng: random.Random, county: DemoCounty, area: ResponsibilityArea | None, side: str) -> Duty | None:
    """One of the concerned side's duties in the area (or a shared one), if the table has any."""
    if area is None:
        return None
    key = (area.pk, side)
    if key not in county.duties:
        county.duties[key] = list(
            Duty.objects.filter(area=area, side__in=[side, "shared"]).order_by("order", "pk")
        )
    return rng.choice(county.duties[key]) if county.duties[key] else None


def _reporter(county: DemoCounty, organisation: Organisation) -> User:
    """The organisation's demo official, or the chair reporting on its behalf."""
    return county.officials.get(organisation.pk, county.chair)


def _plan(rng: random.Random, county: DemoCounty, scenario: Scenario, outcome: str) -> list[Step]:
    levels = county.ladder.levels
    plan = _Plan(rng, levels)
    if outcome == "never_received":
        return []
    if outcome == "no_feedback":
        plan.level(0, scenario, finish=False)
    elif outcome in ("closed", "closed_late", "feedback_open"):
        plan.level(0, scenario, late=outcome == "closed_late", close=outcome != "feedback_open")
    else:
        plan.level(0, scenario, finish=rng.random() < 0.4, close=False)
        plan.escalate()
        top = len(levels) - 1 if outcome == "top_closed" else rng.choice([1, 1, 2])
        for number in range(1, top):
            plan.level(number, scenario, finish=rng.random() < 0.5, close=False)
            plan.escalate()
        if outcome == "escalated_open":
            if rng.random() < 0.6:
                plan.level(top, scenario, finish=False)
        else:
            plan.level(top, scenario)
    return plan.steps


class _Plan:
    """Builds the steps of a deviation's life, level by level, on a running clock (days after the report)."""

    def __init__(self, rng: random.Random, levels: tuple[LevelSpec, ...]) -> None:
        self.rng, self.levels, self.clock, self.steps = rng, levels, 0.0, []

    def _add(self, days: float, action: str, text: str = "") -> None:
        self.clock += days
        self.steps.append(Step(self.clock, action, text))

    def level(self, index: int, scenario: Scenario, *, late=False, finish=True, close=True) -> None:
        rng, spec = self.rng, self.levels[index]
        started = self.clock
        late_start, late_feedback = late and rng.random() < 0.5, late
        wait = spec.start_days + rng.uniform(2, 15) if late_start else rng.uniform(0.1, spec.start_days * 0.7)
        self._add(wait, A.RECEIVED)
        if rng.random() < 0.6:
            self._add(rng.uniform(0.5, 5), A.INVESTIGATING)
        if not finish:
            return
        measures, feedback = (
            (scenario.measures, scenario.feedback) if index == 0 else UPPER_LEVEL_TEXTS[spec.handler]
        )
        if rng.random() < 0.6:
            self._add(rng.uniform(1, 6), A.MEASURES, measures)
        deadline = started + spec.feedback_days - self.clock
        if late_feedback and not late_start:
            self._add(deadline + rng.uniform(2, 20), A.FEEDBACK, feedback)
        else:
            self._add(rng.uniform(0.5, max(1.0, deadline * 0.8)), A.FEEDBACK, feedback)
        if close:
            self._add(rng.uniform(1, 10), A.CLOSED)

    def escalate(self) -> None:
        self._add(self.rng.uniform(3, 15), ESCALATE, self.rng.choice(ESCALATION_REASONS))


def _steps_run(case: Case, county: DemoCounty, steps: list[Step], *, end: datetime) -> Case:
    """Take the steps that lie before the end; each level's handlers act, the reporter escalates."""
    for step in steps:
        now = case.reported_at + timedelta(days=step.day)
        if now > end:
            break
        if step.action == ESCALATE:
            case = services.case_escalate(
                case=case,
                by=_reporter(county, case.reporting_organisation),
                reason=step.text,
                body=_next_body(case, county),
                now=now,
            )
        else:
            case = services.case_act(
                case=case,
                action=step.action,
                by=_handler(case, county),
                text=step.text,
                parties_agree=True,
                now=now,
            )
    return case


def _handler(case: Case, county: DemoCounty) -> User:
    if case.level_handler == B and case.handling_body_id:
        return county.leaders.get(case.handling_body_id, county.admin)
    if case.level_handler == P:
        for organisation in case.concerned.all():
            if organisation.pk in county.officials:
                return county.officials[organisation.pk]
    return county.admin


def _next_body(case: Case, county: DemoCounty) -> Body | None:
    """The body that takes the case at the next level: the municipality's local group or the county-wide
    group for the target group."""
    if case.level >= len(county.ladder.levels):
        return None
    spec = county.ladder.levels[case.level]  # the next level (levels are numbered from 1)
    if spec.handler != B:
        return None
    if len(spec.bodies) == 1:
        return county.bodies[spec.bodies[0]]
    municipalities = [
        o.code
        for o in [case.reporting_organisation, *case.concerned.all()]
        if o.kind == Organisation.Kind.MUNICIPALITY
    ]
    if county.code == "10" and case.level == 1:
        return county.bodies[BLEKINGE_LSG[municipalities[0]]]
    if county.code == "10":
        return county.bodies[_blekinge_group(case)]
    return county.bodies[VASTERNORRLAND_LSG.get(municipalities[0], "Beredningsgruppen")]


def _blekinge_group(case: Case) -> str:
    """The county-wide group by target group; failed discharges go to the group for the elderly."""
    if case.target_group_id and case.target_group.key == BL_BARN:
        return BLEKINGE_SG_CHILDREN
    if case.category_id and case.category.code == "discharge-failed":
        return BLEKINGE_SG_ELDERLY
    return BLEKINGE_SG_ADULTS


def _dispute_at(spec: DisputeSpec) -> datetime:
    return datetime.combine(spec.reported, time(10), tzinfo=TZ)


def _dispute_run(spec: DisputeSpec, county: DemoCounty, *, end: datetime) -> None:
    organisations = {o.code: o for side in county.parties.values() for o in side}
    reporting, concerned = organisations[spec.reporter], organisations[spec.concerned]
    section, group, area = county.places[spec.topic]
    reported_at = _dispute_at(spec)
    report = services.Report(
        kind=Case.Kind.DISPUTE,
        agreement=county.agreement,
        reporting_organisation=reporting,
        concerned=[concerned],
        title=spec.title,
        description=spec.description,
        section=section,
        area=area,
        target_group=group,
        question=spec.question,
        position=spec.position,
    )
    case = services.case_report(report=report, by=_reporter(county, reporting), now=reported_at)
    services.position_state(
        case=case,
        organisation=concerned,
        by=_reporter(county, concerned),
        text=spec.counter_position,
        now=reported_at + timedelta(days=2),
    )
    _steps_run(case, county, [Step(day, action, text) for day, action, text in spec.steps], end=end)
