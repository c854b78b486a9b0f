"""Demo data: four real kinds of citizen centre, their actors and two years of plausible collaborations.

The centres and the kinds of actor follow published cases; every collaboration is invented for the demo.
Everything is plain data below, loaded by `load_demo` with one seeded random generator, so the same `today`
always gives the same rows in the same order.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.db import transaction

from centres.models import Actor, ActorCategory, Centre, CentreKind, Membership, Presence, PresenceKind, Role
from collaboration.models import (
    ROLES_FOR_FORM,
    CitizensPart,
    Collaboration,
    Form,
    Frequency,
    HistoryEntry,
    Level,
    ParticipantRole,
    Participation,
    ResourceKind,
    Theme,
)

SEED = 20240917
DEMO_PASSWORD = "samkort-demo"

DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("medarbejder", DEMO_PASSWORD, "Boligsocial medarbejder: registrerer samarbejder på Motalavej og i Hedemarken"),
    (
        "tovholder",
        DEMO_PASSWORD,
        "Tovholder: registrerer samarbejder og styrer aktører og medlemmer på Motalavej og i Foreningernes Hus",
    ),
    ("leder", DEMO_PASSWORD, "Leder: læser samarbejderne i alle fire centre"),
    ("admin", DEMO_PASSWORD, "Administrator: adgang til administrationen, intet medlemskab af centre"),
]
DEMO_USERNAMES = [username for username, _password, _description in DEMO_LOGINS]
SUPERUSERS = {"admin"}

# (username, centre slug, role), in the order they are created.
DEMO_MEMBERSHIPS: list[tuple[str, str, str]] = [
    ("medarbejder", "motalavej", Role.STAFF),
    ("medarbejder", "hedemarken", Role.STAFF),
    ("tovholder", "motalavej", Role.COORDINATOR),
    ("tovholder", "foreningernes-hus", Role.COORDINATOR),
    ("leder", "motalavej", Role.MANAGER),
    ("leder", "foreningernes-hus", Role.MANAGER),
    ("leder", "hedemarken", Role.MANAGER),
    ("leder", "aalborg-oest", Role.MANAGER),
]

THEME_NAMES = {
    "U": "Uddannelse og livschancer",
    "B": "Beskæftigelse",
    "K": "Kriminalitetsforebyggelse",
    "S": "Sammenhængskraft og medborgerskab",
    # Themes from earlier periods, inactive in the seeded list: used sparingly, on older collaborations.
    "T": "Tryghed og trivsel",
    "H": "Sundhed",
}

# Short names keep the collaboration table below readable.
ONCE, OCC, MONTHLY, WEEKLY, DAILY = (
    Frequency.ONCE,
    Frequency.OCCASIONALLY,
    Frequency.MONTHLY,
    Frequency.WEEKLY,
    Frequency.DAILY,
)
CIT, ORG, LEADERS = Level.CITIZEN, Level.ORGANISATIONAL, Level.LEADERSHIP
INIT, DESIGN, IMPL, NOT = (
    CitizensPart.INITIATOR,
    CitizensPart.CO_DESIGNER,
    CitizensPart.CO_IMPLEMENTER,
    CitizensPart.NOT_INVOLVED,
)
BASED, AD_HOC = PresenceKind.BASED, PresenceKind.AD_HOC
GIVER, RECEIVER, PARTICIPANT = ParticipantRole.GIVER, ParticipantRole.RECEIVER, ParticipantRole.PARTICIPANT


@dataclass(frozen=True)
class ActorSpec:
    key: str
    name: str
    category: str
    description: str


@dataclass(frozen=True)
class PresenceSpec:
    actor: str
    kind: str
    since_months: int | None = None
    until_months: int | None = None
    note: str = ""


@dataclass(frozen=True)
class CollaborationSpec:
    """One collaboration. `actors` is space-separated actor keys; roles follow from the form and the flags."""

    form: int
    title: str
    actors: str
    frequency: str
    level: str
    citizens_part: str
    themes: str
    target_group: str
    description: str
    goals: str = ""
    outcome: str = ""
    lead: bool | None = None  # None: the first actor leads in coordinated action and co-creation.
    referral: bool = False  # Alignment only: the first actor refers to the second.
    resource: str = ""  # Resource exchange only: the first actor gives, the others receive.
    roles: tuple[str, ...] = ()  # Explicit roles when the defaults do not fit.
    ended: bool = False  # Set for collaborations that ran for a while and stopped.
    months_ago: int | None = None  # When it started, where the story needs it; otherwise random.
    citizen_count: int | None = None


@dataclass(frozen=True)
class CentreSpec:
    slug: str
    name: str
    kind: str
    municipality: str
    address: str
    helhedsplan: str
    housing_organisation: str
    description: str
    presences: list[PresenceSpec] = field(default_factory=list)
    collaborations: list[CollaborationSpec] = field(default_factory=list)


A = ActorCategory
ACTORS: list[ActorSpec] = [
    # Kvarterhuset på Motalavej, Korsør
    ActorSpec(
        "beboerdemo",
        "Beboerdemokraterne i Kvarterhuset",
        A.TENANTS_BOARD,
        "Seks beboervalgte, der driver Kvarterhuset i hverdagen og fordeler husets aktivitetsbudget.",
    ),
    ActorSpec(
        "boligkorsor",
        "BoligKorsør",
        A.HOUSING_ASSOCIATION,
        "Boligorganisationen, der ejer Kvarterhuset og de tre afdelinger omkring det.",
    ),
    ActorSpec(
        "efi",
        "En Fælles Indsats (helhedsplan)",
        A.HOUSING_SOCIAL,
        "Boligsocial helhedsplan for fire boligområder i Slagelse, Korsør og Skælskør.",
    ),
    ActorSpec(
        "afdbest",
        "Afdelingsbestyrelsen på Motalavej",
        A.TENANTS_BOARD,
        "Beboervalgt bestyrelse for afdelingen; holder beboermøder og tager sig af husorden og fællesarealer.",
    ),
    ActorSpec(
        "sumak",
        "Sumak – socialøkonomisk café",
        A.SOCIAL_ENTERPRISE,
        "Café med arbejdstræning, der bruger husets køkken og til gengæld gør rent og booker lokaler.",
    ),
    ActorSpec(
        "basen",
        "Basen – ungdomsklub",
        A.SCHOOL_DAYCARE,
        "Kommunalt værested for unge i området med åbent om eftermiddagen og aftenen.",
    ),
    ActorSpec(
        "uu",
        "UU Vestsjælland",
        A.YOUTH_GUIDANCE,
        "Ungdommens Uddannelsesvejledning; har faste vejledningstider i Kvarterhuset.",
    ),
    ActorSpec(
        "vaerksted",
        "Korsør Cykel- og Genbrugsværksted",
        A.SOCIAL_ENTERPRISE,
        "Socialøkonomisk værksted, der sætter cykler og møbler i stand med ledige og unge i praktik.",
    ),
    ActorSpec(
        "kvindeforum",
        "Kvindeforum Motalavej",
        A.RESIDENTS_GROUP,
        "Beboerdrevet netværk for kvinder i området med ugentlige møder og udflugter.",
    ),
    ActorSpec(
        "gaeld",
        "Gælds- og økonomirådgivningen i Kvarterhuset",
        A.NGO,
        "Frivillig rådgivning om budget, gæld og breve fra det offentlige.",
    ),
    ActorSpec(
        "motion",
        "Beboernes zumba- og yogahold",
        A.RESIDENTS_GROUP,
        "Motionshold, som beboere selv står for i husets sal.",
    ),
    ActorSpec(
        "korshaer", "Kirkens Korshær", A.NGO, "Folkekirkelig social organisation med varmestuer, genbrug og frivillige."
    ),
    ActorSpec("pleje", "Plejecentret i Korsør", A.MUNICIPAL_HEALTH, "Kommunalt plejecenter tæt på boligområdet."),
    ActorSpec(
        "korsbib",
        "Korsør Bibliotek",
        A.LIBRARY_CULTURE,
        "Byens folkebibliotek med arrangementer, lektiehjælp og udlån af udstyr.",
    ),
    ActorSpec(
        "jobslag",
        "Jobcenter Slagelse",
        A.JOB_CENTRE,
        "Kommunens jobcenter; en jobkonsulent er fremskudt i Kvarterhuset en dag om ugen.",
    ),
    ActorSpec(
        "sspslag",
        "SSP Slagelse",
        A.SSP,
        "Samarbejdet mellem skole, socialforvaltning og politi om forebyggelse blandt unge.",
    ),
    ActorSpec(
        "politikor",
        "Nærpolitiet i Korsør",
        A.POLICE,
        "Lokalbetjente, der kommer i området og deltager i tryghedsarbejdet.",
    ),
    ActorSpec("boernehus", "Børnehuset Motalavej", A.SCHOOL_DAYCARE, "Kommunal daginstitution i boligområdet."),
    ActorSpec(
        "sprogslag",
        "Sprogcenter Slagelse",
        A.EDUCATION,
        "Danskuddannelse for voksne; havde tidligere et udehold i Kvarterhuset.",
    ),
    ActorSpec(
        "socslag",
        "Socialrådgivningen, Slagelse Kommune",
        A.SOCIAL_SERVICES,
        "Kommunens rådgivning for familier og voksne med sociale problemer.",
    ),
    # Foreningernes Hus, Aarhus
    ActorSpec(
        "husraad",
        "Husrådet i Foreningernes Hus",
        A.ASSOCIATION,
        "Husets øverste organ, hvor hver forening har en stemme og vedtager reglerne for huset.",
    ),
    ActorSpec(
        "hp_vest",
        "Helhedsplanen Sammen om Vest",
        A.HOUSING_SOCIAL,
        "Boligsocial helhedsplan; dens medarbejder driver huset i hverdagen.",
    ),
    ActorSpec(
        "hp_nabo",
        "Helhedsplanen Nabo til Nabo",
        A.HOUSING_SOCIAL,
        "Nabohelhedsplan, der er med til at finansiere huset og bruger det til sine aktiviteter.",
    ),
    ActorSpec(
        "kommune_aa",
        "Aarhus Kommune, Kultur og Borgerservice",
        A.MUNICIPAL_OTHER,
        "Kommunal forvaltning, der giver driftstilskud til huset.",
    ),
    ActorSpec(
        "afdbest_aa",
        "Afdelingsbestyrelsen i Vestparken",
        A.TENANTS_BOARD,
        "Bestyrelsen for boligafdelingen, der bidrager til husets økonomi.",
    ),
    ActorSpec(
        "kvindenet",
        "Kvindernes Netværksforening",
        A.ASSOCIATION,
        "Forening for kvinder i området med sy-, madlavnings- og samtalegrupper.",
    ),
    ActorSpec(
        "somalisk",
        "Somalisk Forældreforening Aarhus",
        A.ASSOCIATION,
        "Forældreforening, der samler familier om skole, fritid og opdragelse.",
    ),
    ActorSpec(
        "vestenvind",
        "Ungdomsforeningen Vestenvind",
        A.ASSOCIATION,
        "Unge-drevet forening med fredagscafé, turneringer og ture.",
    ),
    ActorSpec(
        "solsikken", "Seniorklubben Solsikken", A.ASSOCIATION, "Klub for ældre beboere med kaffe, banko og udflugter."
    ),
    ActorSpec(
        "lektie", "Lektiehjælpen Aarhus Vest", A.NGO, "Frivillige, der hjælper skolebørn med lektier fire dage om ugen."
    ),
    ActorSpec(
        "idraet",
        "Idrætsforeningen Vest",
        A.ASSOCIATION,
        "Lokal idrætsforening med fodbold, basket og motion for alle aldre.",
    ),
    ActorSpec("syforening", "Syforeningen Nål og Tråd", A.ASSOCIATION, "Lille forening med symaskiner og syaftener."),
    ActorSpec(
        "rodekors_aa",
        "Røde Kors Aarhus",
        A.NGO,
        "Frivillig organisation med besøgstjeneste, lektiehjælp og nørklerier.",
    ),
    ActorSpec(
        "jobaarhus", "Jobcenter Aarhus", A.JOB_CENTRE, "Kommunens jobcenter; kommer i huset til åbne jobsamtaler."
    ),
    ActorSpec(
        "sspaarhus", "SSP Aarhus", A.SSP, "Kriminalpræventivt samarbejde mellem skole, socialforvaltning og politi."
    ),
    ActorSpec("fritid_aa", "Fritidsklubben Vest", A.SCHOOL_DAYCARE, "Kommunal fritids- og ungdomsklub i nabolaget."),
    ActorSpec("laerdansk", "Lærdansk Aarhus", A.EDUCATION, "Sprogskole med danskundervisning for voksne."),
    ActorSpec(
        "fond_aa",
        "Vestbyens Lokalfond",
        A.FOUNDATION,
        "Lokal fond, der støtter foreningsliv og fællesskaber i den vestlige del af byen.",
    ),
    ActorSpec(
        "sogn_aa",
        "Sognet i Aarhus Vest",
        A.FAITH_COMMUNITY,
        "Folkekirkens lokale sogn med kirkekontor og frivilliggrupper.",
    ),
    ActorSpec("vestbyg", "Byggefirmaet Vestbyg", A.BUSINESS, "Lokalt håndværksfirma, der tager lærlinge fra området."),
    # Bibliotek og Medborgercenter Hedemarken, Albertslund
    ActorSpec(
        "bib_hede",
        "Biblioteket i Hedemarken",
        A.LIBRARY_CULTURE,
        "Lokalbiblioteket; bibliotekets leder står også for medborgercentret.",
    ),
    ActorSpec(
        "hp_alb",
        "Boligsocial helhedsplan Albertslund",
        A.HOUSING_SOCIAL,
        "Helhedsplan, hvis boligsociale medarbejder har kontor sammen med biblioteket.",
    ),
    ActorSpec(
        "rodekors_alb", "Røde Kors Albertslund", A.NGO, "Frivillige, der driver lektiecaféen i medborgercentret."
    ),
    ActorSpec(
        "krea",
        "Foreningen Kreaklubben",
        A.ASSOCIATION,
        "Forening med kreativt værksted for børn: maling, ler og genbrugsmaterialer.",
    ),
    ActorSpec(
        "aeldresag",
        "Ældre Sagen Albertslund",
        A.NGO,
        "Lokalafdeling, hvis frivillige giver IT-hjælp i medborgercentret.",
    ),
    ActorSpec(
        "borgerservice_alb",
        "Borgerservice Albertslund",
        A.MUNICIPAL_OTHER,
        "Kommunens borgerservice; havde tidligere fremskudt åbningstid i centret.",
    ),
    ActorSpec("jobalb", "Jobcenter Albertslund", A.JOB_CENTRE, "Kommunens jobcenter."),
    ActorSpec(
        "ungdomsskole_alb",
        "Albertslund Ungdomsskole",
        A.SCHOOL_DAYCARE,
        "Kommunal ungdomsskole med aftenhold og klubtilbud.",
    ),
    ActorSpec(
        "sundpl_alb",
        "Sundhedsplejen Albertslund",
        A.MUNICIPAL_HEALTH,
        "Kommunens sundhedsplejersker for familier med små børn.",
    ),
    ActorSpec(
        "politi_alb", "Nærpolitiet i Albertslund", A.POLICE, "Lokalbetjente med fast kontakt til boligområderne."
    ),
    ActorSpec("ssp_alb", "SSP Albertslund", A.SSP, "Kriminalpræventivt samarbejde om børn og unge."),
    ActorSpec(
        "afdbest_hede",
        "Afdelingsbestyrelsen i Hedemarken",
        A.TENANTS_BOARD,
        "Beboervalgt bestyrelse for boligafdelingen ved centret.",
    ),
    ActorSpec(
        "foraeldre_hede",
        "Forældrenetværket Hedemarken",
        A.RESIDENTS_GROUP,
        "Forældre i området, der mødes om skole, fritid og fællesspisning.",
    ),
    ActorSpec("vuc", "VUC Vestegnen", A.EDUCATION, "Voksenuddannelsescenter med forberedende kurser og HF."),
    ActorSpec("frivillig_alb", "Frivilligcenter Albertslund", A.NGO, "Formidler frivillige og rådgiver foreninger."),
    ActorSpec("boernehus_hede", "Børnehuset Hedemarken", A.SCHOOL_DAYCARE, "Kommunal daginstitution i området."),
    ActorSpec(
        "kvindeklub",
        "Kvindeklubben Hedemarken",
        A.RESIDENTS_GROUP,
        "Beboerdrevet klub for kvinder med ugentlige møder.",
    ),
    ActorSpec(
        "codingpirates",
        "Coding Pirates Albertslund",
        A.ASSOCIATION,
        "Frivillig forening, der lærer børn at kode og bygge med teknologi.",
    ),
    # Sundheds- og Kvartershuset, Aalborg Øst
    ActorSpec(
        "himmerland",
        "Himmerland Boligforening",
        A.HOUSING_ASSOCIATION,
        "Boligorganisationen, der står for husets daglige drift og udlejning af lokaler.",
    ),
    ActorSpec(
        "hp_aal",
        "Boligsocial helhedsplan Aalborg Øst",
        A.HOUSING_SOCIAL,
        "Helhedsplanen for boligområderne i Aalborg Øst, med kontor i huset.",
    ),
    ActorSpec(
        "laegehus", "Lægehuset i Kvartershuset", A.HEALTH_PRACTICE, "Praktiserende lægers fællespraksis i huset."
    ),
    ActorSpec(
        "laegeklinik",
        "Lægeklinikken Aalborg Øst",
        A.HEALTH_PRACTICE,
        "Lægeklinik med flere praktiserende læger i huset.",
    ),
    ActorSpec("apotek", "Apoteket Aalborg Øst", A.HEALTH_PRACTICE, "Apotek i stueetagen."),
    ActorSpec(
        "stress",
        "Stressklinikken Aalborg Øst",
        A.HEALTH_PRACTICE,
        "Klinik med forløb for mennesker med stress og udbrændthed.",
    ),
    ActorSpec("politi_aal", "Lokalpolitiet Aalborg Øst", A.POLICE, "Lokalpolitiets station i huset."),
    ActorSpec(
        "cafe_aal", "Café Kvarteret", A.SOCIAL_ENTERPRISE, "Socialøkonomisk café i husets forhal med arbejdstræning."
    ),
    ActorSpec(
        "trekanten", "Trekanten – bibliotek og kulturhus", A.LIBRARY_CULTURE, "Bibliotek og kulturhus tæt på huset."
    ),
    ActorSpec(
        "psyk", "Psykiatrien i Region Nordjylland", A.REGION_HEALTH, "Regionens psykiatri med ambulante tilbud i huset."
    ),
    ActorSpec(
        "sundcenter",
        "Sundhedscenter Aalborg Øst",
        A.MUNICIPAL_HEALTH,
        "Kommunens sundhedscenter med træning, rygestop og kostvejledning.",
    ),
    ActorSpec("jobaal", "Jobcenter Aalborg", A.JOB_CENTRE, "Kommunens jobcenter; holder åbne samtaler i huset."),
    ActorSpec(
        "socaal",
        "Socialrådgivningen Aalborg Øst",
        A.SOCIAL_SERVICES,
        "Kommunal rådgivning for familier og voksne, med kontor i huset.",
    ),
    ActorSpec("ssp_aal", "SSP Aalborg", A.SSP, "Kriminalpræventivt samarbejde om børn og unge."),
    ActorSpec(
        "sundpl_aal",
        "Sundhedsplejen Aalborg",
        A.MUNICIPAL_HEALTH,
        "Kommunens sundhedspleje, med åben konsultation i huset.",
    ),
    ActorSpec("diabetes", "Diabetesforeningen Nordjylland", A.NGO, "Patientforening med netværksgrupper og kurser."),
    ActorSpec(
        "beboerdemo_aal",
        "Beboerdemokratiet i Aalborg Øst",
        A.TENANTS_BOARD,
        "Afdelingsbestyrelserne i områdets boligafdelinger.",
    ),
    ActorSpec(
        "lbf", "Landsbyggefonden", A.FOUNDATION, "Den almene sektors fond, der medfinansierede huset og helhedsplanen."
    ),
    ActorSpec(
        "ucn",
        "Professionshøjskolen UCN",
        A.EDUCATION,
        "Uddanner sygeplejersker, socialrådgivere og pædagoger; sender studerende i praktik.",
    ),
    ActorSpec(
        "fritid_aal", "Fritidscenter Aalborg Øst", A.SCHOOL_DAYCARE, "Kommunalt fritids- og ungdomscenter i området."
    ),
]

F1, F2, F3, F4, F5 = (
    Form.KNOWLEDGE_SHARING,
    Form.ALIGNMENT,
    Form.RESOURCE_EXCHANGE,
    Form.COORDINATED_ACTION,
    Form.CO_CREATION,
)
C = CollaborationSpec
R = ResourceKind

MOTALAVEJ = CentreSpec(
    slug="motalavej",
    name="Kvarterhuset på Motalavej",
    kind=CentreKind.HOUSING_AREA,
    municipality="Slagelse",
    address="Motalavej, 4220 Korsør",
    helhedsplan="En Fælles Indsats",
    housing_organisation="BoligKorsør",
    description=(
        "Kvarterhus for omkring 800 boliger i tre afdelinger, ejet af BoligKorsør. Seks beboerdemokrater driver "
        "huset i hverdagen, mødes hver måned og fordeler et aktivitetsbudget. Under samme tag: helhedsplanen, en "
        "socialøkonomisk café, en ungdomsklub, uddannelsesvejledning, gældsrådgivning og beboernes egne hold."
    ),
    presences=[
        PresenceSpec("beboerdemo", BASED, 60, None, "Driver huset og booker lokaler."),
        PresenceSpec("efi", BASED, 54, None, "Kontor på første sal."),
        PresenceSpec("sumak", BASED, 40, None, "Bruger køkkenet mod rengøring og lokalebooking."),
        PresenceSpec("basen", BASED, 48),
        PresenceSpec("uu", BASED, 30, None, "Fast vejledningstid tirsdag eftermiddag."),
        PresenceSpec("vaerksted", BASED, 26, None, "Værksted i kælderen."),
        PresenceSpec("kvindeforum", BASED, 36),
        PresenceSpec("gaeld", BASED, 20, None, "Åben rådgivning hver onsdag."),
        PresenceSpec("motion", BASED, 18),
        PresenceSpec("boligkorsor", AD_HOC),
        PresenceSpec("afdbest", AD_HOC),
        PresenceSpec("jobslag", AD_HOC, 22, None, "Fremskudt jobkonsulent en dag om ugen."),
        PresenceSpec("korshaer", AD_HOC),
        PresenceSpec("korsbib", AD_HOC),
        PresenceSpec("sspslag", AD_HOC),
        PresenceSpec("politikor", AD_HOC),
        PresenceSpec("pleje", AD_HOC),
        PresenceSpec("socslag", AD_HOC),
        PresenceSpec("sprogslag", AD_HOC, 30, 8, "Udeholdet flyttede tilbage til sprogcentret."),
    ],
    collaborations=[
        # Videndele
        C(
            F1,
            "Månedligt husmøde for Kvarterhusets faste aktører",
            "efi beboerdemo sumak basen uu",
            MONTHLY,
            ORG,
            NOT,
            "S",
            "Husets faste aktører",
            "De faste aktører fortæller om kommende aktiviteter, lokalebehov og det, der fylder i området lige nu.",
            lead=True,
        ),
        C(
            F1,
            "Fælles nyhedsbrev til beboerne i de tre afdelinger",
            "efi beboerdemo",
            MONTHLY,
            ORG,
            IMPL,
            "S",
            "Beboere i de tre afdelinger",
            "Helhedsplanen samler stof fra husets aktører; beboerdemokraterne skriver en fast spalte og deler bladet "
            "ud i de tre afdelinger.",
            lead=True,
        ),
        C(
            F1,
            "UU fortæller om vejledningstilbud på husmødet",
            "uu efi",
            ONCE,
            ORG,
            NOT,
            "U",
            "Unge 15-25 år",
            "Gennemgang af, hvad UU kan hjælpe med, og hvornår det giver mening at henvise.",
        ),
        C(
            F1,
            "Netværksmøde med Kirkens Korshær om frivilligindsatser",
            "korshaer efi",
            OCC,
            ORG,
            NOT,
            "S",
            "Frivillige i området",
            "Korshæren og helhedsplanen holder hinanden orienteret om frivillige og om, hvem der gør hvad i byen.",
        ),
        C(
            F1,
            "Erfaringsudveksling mellem Basen og SSP om unge i området",
            "basen sspslag",
            MONTHLY,
            ORG,
            NOT,
            "K",
            "Unge 13-18 år",
            "Fast møde, hvor klubben og SSP deler iagttagelser om grupper af unge og stemningen i området.",
        ),
        C(
            F1,
            "Kaffemøde mellem Sumak og beboerdemokraterne",
            "sumak beboerdemo",
            OCC,
            ORG,
            NOT,
            "S",
            "",
            "Uformel snak om køkkenet, rengøringen og kommende arrangementer i huset.",
        ),
        C(
            F1,
            "Nærpolitiet orienterer afdelingsbestyrelsen om tryghed",
            "politikor afdbest",
            OCC,
            ORG,
            NOT,
            "K",
            "Beboere på Motalavej",
            "Lokalbetjentene fortæller om henvendelser og hærværk, bestyrelsen om det beboerne oplever.",
        ),
        C(
            F1,
            "Gældsrådgivningen præsenterer sig for Jobcenter Slagelse",
            "gaeld jobslag",
            ONCE,
            ORG,
            NOT,
            "B",
            "Ledige beboere",
            "Rådgivningen fortalte jobkonsulenterne om sine åbningstider, og hvilke sager den kan tage.",
        ),
        C(
            F1,
            "Styregruppemøde i En Fælles Indsats",
            "efi boligkorsor socslag jobslag",
            OCC,
            LEADERS,
            NOT,
            "UBKS",
            "",
            "Kvartalsvis møde, hvor helhedsplanens parter følger op på indsatserne og deres mål.",
            lead=True,
        ),
        C(
            F1,
            "Korsør Bibliotek formidler husets aktiviteter",
            "korsbib efi",
            OCC,
            ORG,
            NOT,
            "S",
            "Borgere i hele Korsør",
            "Biblioteket viser Kvarterhusets program på skærme og i nyhedsbrevet; helhedsplanen fortæller om "
            "bibliotekets arrangementer.",
        ),
        C(
            F1,
            "Dialogmøde med plejecentret om generationsmøder",
            "pleje efi",
            ONCE,
            ORG,
            NOT,
            "S",
            "Ældre og unge beboere",
            "Første møde om, hvad plejecentret og huset kunne lave sammen.",
            months_ago=17,
        ),
        # Samvirke
        C(
            F2,
            "Henvisning fra gældsrådgivningen til Jobcenter Slagelse",
            "gaeld jobslag",
            OCC,
            CIT,
            NOT,
            "B",
            "Beboere med gæld uden for arbejdsmarkedet",
            "Når gæld og ledighed hænger sammen, aftaler rådgiveren et møde med den fremskudte jobkonsulent.",
            referral=True,
        ),
        C(
            F2,
            "Basen henviser unge til UU-vejledning",
            "basen uu",
            OCC,
            CIT,
            NOT,
            "U",
            "Unge 15-17 år",
            "Medarbejderne i Basen følger unge uden uddannelsesplan over til UU's vejledningstid i huset.",
            referral=True,
        ),
        C(
            F2,
            "Jobcenter Slagelse henviser til praktikpladser i Sumak",
            "jobslag sumak",
            OCC,
            CIT,
            NOT,
            "B",
            "Ledige med behov for arbejdstræning",
            "Jobcentret henviser borgere til praktik i caféens køkken og servering.",
            referral=True,
        ),
        C(
            F2,
            "Kvindeforum henviser til gældsrådgivningen",
            "kvindeforum gaeld",
            OCC,
            CIT,
            NOT,
            "S",
            "Kvinder i området",
            "Kvinder, der tager økonomiske bekymringer op i forummet, får tilbudt at gå med over til rådgivningen.",
            referral=True,
        ),
        C(
            F2,
            "Zumbaholdet flyttes, så det ikke ligger samtidig med kvindeforum",
            "motion kvindeforum",
            ONCE,
            ORG,
            DESIGN,
            "S",
            "",
            "Mange deltager i begge dele; holdene blev enige om nye tider for salen.",
        ),
        C(
            F2,
            "Sommerferiekalender, så tilbuddene ikke overlapper",
            "efi basen korshaer boernehus",
            OCC,
            ORG,
            NOT,
            "US",
            "Børn og unge i sommerferien",
            "Aktørerne lægger deres ferieaktiviteter ind i én kalender, før programmet trykkes.",
            lead=True,
        ),
        C(
            F2,
            "SSP henviser unge til fritidsjobhjælp i Basen",
            "sspslag basen",
            OCC,
            CIT,
            NOT,
            "K",
            "Unge 14-17 år",
            "Unge i risiko for at blive trukket ind i uro får hjælp til at finde et fritidsjob.",
            referral=True,
        ),
        C(
            F2,
            "Socialrådgivningen henviser familier til gældsrådgivningen",
            "socslag gaeld",
            OCC,
            CIT,
            NOT,
            "S",
            "Familier med økonomiske problemer",
            "Familier med restancer får en tid hos de frivillige rådgivere i Kvarterhuset.",
            referral=True,
        ),
        C(
            F2,
            "Sprogcentret henviser kursister til Kvindeforum",
            "sprogslag kvindeforum",
            OCC,
            CIT,
            NOT,
            "US",
            "Kvinder på danskuddannelsen",
            "Kursister, der vil øve dansk i hverdagen, blev henvist til forummets samtalegruppe.",
            referral=True,
            ended=True,
            months_ago=19,
        ),
        C(
            F2,
            "Julearrangementer fordelt mellem Kirkens Korshær og Kvarterhuset",
            "korshaer efi",
            ONCE,
            ORG,
            NOT,
            "S",
            "Ensomme og familier med lav indkomst",
            "Korshæren holder juleaften, huset julefrokost dagen før, så de ikke konkurrerer om de samme gæster.",
            months_ago=16,
        ),
        # Ressourceudveksle
        C(
            F3,
            "Lån af køkken mod rengøring og lokalebooking",
            "beboerdemo sumak",
            DAILY,
            ORG,
            NOT,
            "BS",
            "",
            "Sumak bruger husets køkken; til gengæld gør caféen rent og står for bookingen af lokaler.",
            resource=R.ROOMS,
        ),
        C(
            F3,
            "Aktivitetsmidler til Kvindeforums udflugt",
            "beboerdemo kvindeforum",
            ONCE,
            CIT,
            INIT,
            "S",
            "Kvinder i området",
            "Beboerdemokraterne bevilgede penge fra aktivitetsbudgettet til bus og entré.",
            resource=R.MONEY,
        ),
        C(
            F3,
            "Lokale til UU's ugentlige vejledningstid",
            "beboerdemo uu",
            WEEKLY,
            ORG,
            NOT,
            "U",
            "Unge 15-25 år",
            "UU låner mødelokalet hver tirsdag eftermiddag uden betaling.",
            resource=R.ROOMS,
        ),
        C(
            F3,
            "Cykelværkstedet reparerer cykler for Basens unge",
            "vaerksted basen",
            OCC,
            CIT,
            NOT,
            "U",
            "Unge 13-18 år",
            "Værkstedet sætter klubbens cykler i stand; de unge kan være med og lære at reparere selv.",
            resource=R.SERVICES,
        ),
        C(
            F3,
            "Donation af tøj og køkkengrej fra Kirkens Korshær",
            "korshaer efi",
            OCC,
            CIT,
            NOT,
            "S",
            "Familier med lav indkomst",
            "Korshærens genbrug giver tøj og køkkengrej, som helhedsplanen giver videre til nyindflyttede.",
            resource=R.DONATION,
        ),
        C(
            F3,
            "Lån af bibliotekets projektor og lydanlæg",
            "korsbib efi",
            OCC,
            ORG,
            NOT,
            "",
            "",
            "Biblioteket låner udstyr ud til husets foredrag og filmaftener.",
            resource=R.EQUIPMENT,
        ),
        C(
            F3,
            "Zumba- og yogaholdet bruger salen mod at stille op og rydde op",
            "beboerdemo motion",
            WEEKLY,
            CIT,
            INIT,
            "S",
            "Voksne beboere",
            "Holdet låner salen gratis og sørger selv for opstilling og oprydning.",
            resource=R.ROOMS,
        ),
        C(
            F3,
            "Sumak leverer mad til afdelingens beboermøder",
            "sumak afdbest",
            OCC,
            ORG,
            NOT,
            "S",
            "",
            "Afdelingsbestyrelsen bestiller aftensmad til beboermøderne; caféen tager kun for råvarerne.",
            resource=R.SERVICES,
        ),
        # Samordne
        C(
            F4,
            "Fælles jobcafé med Jobcenter Slagelse",
            "efi jobslag sumak gaeld",
            WEEKLY,
            CIT,
            IMPL,
            "B",
            "Ledige beboere 18-64 år",
            "Hver torsdag: jobkonsulent, CV-hjælp og kaffe fra Sumak. Gældsrådgivningen er der første torsdag i "
            "måneden. To beboere er faste værter.",
            goals="Mindst 15 besøgende om måneden; flere i job eller uddannelse efter et år end før.",
            outcome="Godt besøgt om vinteren, tyndere om sommeren. Flere besøgende kommer nu med, før de bliver "
            "indkaldt af jobcentret.",
            months_ago=14,
        ),
        C(
            F4,
            "Lektiecafé og uddannelsesvejledning samme aften",
            "uu basen korsbib efi",
            WEEKLY,
            CIT,
            NOT,
            "U",
            "Unge 14-18 år",
            "Biblioteket stiller frivillige lektiehjælpere, UU vejleder, og Basen sørger for, at de unge kommer.",
            goals="De unge, der kommer, har en uddannelsesplan inden sommerferien.",
        ),
        C(
            F4,
            "Generationsmøder: beboere og plejecentret laver mad sammen",
            "efi pleje sumak beboerdemo",
            MONTHLY,
            CIT,
            IMPL,
            "S",
            "Ældre og unge beboere",
            "Unge fra området og beboere fra plejecentret laver mad i Sumaks køkken og spiser sammen.",
            goals="Faste deltagere fra begge sider; de ældre beder selv om at komme igen.",
            outcome="Seks hold gennemført. Plejecentret har gjort det til et fast tilbud.",
            months_ago=15,
        ),
        C(
            F4,
            "Tryghedsvandring i området",
            "politikor afdbest boligkorsor sspslag",
            ONCE,
            ORG,
            DESIGN,
            "K",
            "Beboere på Motalavej",
            "Beboere, politi og boligorganisation gik området igennem om aftenen og noterede mørke og utrygge steder.",
            outcome="Ny belysning ved to stier og beskæring af buske ved legepladsen.",
        ),
        C(
            F4,
            "Sommerfest på Motalavej",
            "beboerdemo efi sumak basen korshaer",
            ONCE,
            CIT,
            INIT,
            "S",
            "Alle beboere",
            "Beboerdemokraterne tog initiativet; Sumak lavede mad, Basen stod for musik og Korshæren for loppemarked.",
            outcome="Omkring 250 gæster. Flere nye beboere har meldt sig som hjælpere til næste år.",
            months_ago=11,
            citizen_count=250,
        ),
        C(
            F4,
            "Forløb om privatøkonomi for kvinder",
            "gaeld kvindeforum",
            WEEKLY,
            CIT,
            DESIGN,
            "BS",
            "Kvinder i området",
            "Seks aftener om budget, netbank og breve fra det offentlige, planlagt sammen med forummet.",
            goals="Deltagerne kan selv lave et månedsbudget efter forløbet.",
            outcome="De fleste gennemførte; forummet vil have et opfølgningshold om pension.",
            ended=True,
        ),
        # Samskabe
        C(
            F5,
            "Ungeråd for Motalavej – første forsøg",
            "efi basen uu sspslag",
            OCC,
            CIT,
            DESIGN,
            "UKS",
            "Unge 15-20 år",
            "Forsøg på et ungeråd, der skulle give de unge indflydelse på husets aktiviteter.",
            goals="Et ungeråd med faste møder, der selv disponerer over en del af aktivitetsbudgettet.",
            outcome="Stoppet efter fire måneder. Møderne lå om eftermiddagen hos helhedsplanen, og dagsordenen var "
            "lagt på forhånd, så de unge holdt op med at komme. Læring: de unge skal sætte dagsordenen selv, og "
            "møderne skal ligge, hvor de allerede er – i Basen om aftenen. Erfaringerne bruges i ungegruppen.",
            ended=True,
            months_ago=21,
        ),
        C(
            F5,
            "Ungegruppen i Basen planlægger egne aktiviteter",
            "basen beboerdemo",
            WEEKLY,
            CIT,
            INIT,
            "US",
            "Unge 15-20 år",
            "Bygger på erfaringerne fra det første ungeråd: de unge mødes i Basen og søger selv midler hos "
            "beboerdemokraterne.",
            goals="De unge står selv for mindst fire arrangementer om året.",
            outcome="Gruppen har holdt en turnering og en filmaften og har søgt penge til en tur.",
            months_ago=12,
        ),
        C(
            F5,
            "Madfællesskab udviklet med Sumak og beboerne",
            "sumak beboerdemo",
            WEEKLY,
            CIT,
            DESIGN,
            "SB",
            "Beboere, der spiser alene",
            "Beboere og café udvikler en fællesspisning, hvor beboerne selv står for madlavningen på skift.",
            goals="Fællesspisningen kører med beboere som faste kokke.",
        ),
        C(
            F5,
            "Beboere som økonomiguider",
            "gaeld efi",
            MONTHLY,
            CIT,
            DESIGN,
            "BS",
            "Beboere med økonomiske problemer",
            "Rådgivningen uddanner beboere til at hjælpe naboer med budget og breve; metoden udvikles undervejs.",
            goals="Fem uddannede økonomiguider, og færre sager, der først kommer til rådgivningen som inkasso.",
        ),
        C(
            F5,
            "Kvarterhusets fremtid efter helhedsplanens udløb",
            "boligkorsor efi beboerdemo socslag",
            OCC,
            LEADERS,
            DESIGN,
            "S",
            "",
            "Boligorganisation, kommune, helhedsplan og beboerdemokrater udvikler sammen en model for husets drift og "
            "økonomi efter helhedsplanen.",
            goals="En aftale om drift og finansiering et år før helhedsplanen udløber.",
        ),
    ],
)

FORENINGERNES_HUS = CentreSpec(
    slug="foreningernes-hus",
    name="Foreningernes Hus",
    kind=CentreKind.ASSOCIATION,
    municipality="Aarhus",
    address="",
    helhedsplan="Sammen om Vest og Nabo til Nabo",
    housing_organisation="",
    description=(
        "Huset blev startet af beboerforeningerne selv. Husrådet, hvor hver forening har en stemme, vedtager "
        "reglerne, og en boligsocial medarbejder driver huset og sørger for, at de bliver overholdt. Økonomien er "
        "et kludetæppe af kommunen, boligafdelingen, to helhedsplaner og foreningerne og genforhandles hvert "
        "andet år."
    ),
    presences=[
        PresenceSpec("husraad", BASED, 70),
        PresenceSpec("hp_vest", BASED, 44, None, "Medarbejderen har kontor ved indgangen."),
        PresenceSpec("kvindenet", BASED, 70),
        PresenceSpec("somalisk", BASED, 64),
        PresenceSpec("vestenvind", BASED, 38, None, "Fredagscafé i kælderen."),
        PresenceSpec("solsikken", BASED, 70),
        PresenceSpec("lektie", BASED, 28, None, "Mandag til torsdag efter skole."),
        PresenceSpec("idraet", BASED, 50, None, "Depotrum og omklædning."),
        PresenceSpec("syforening", BASED, 14),
        PresenceSpec("hp_nabo", AD_HOC),
        PresenceSpec("korshaer", AD_HOC),
        PresenceSpec("rodekors_aa", AD_HOC, 10, None, "Nørkleri hver anden uge."),
        PresenceSpec("jobaarhus", AD_HOC),
        PresenceSpec("sspaarhus", AD_HOC),
        PresenceSpec("fritid_aa", AD_HOC),
        PresenceSpec("laerdansk", AD_HOC),
        PresenceSpec("sogn_aa", AD_HOC),
        PresenceSpec("kommune_aa", AD_HOC),
        PresenceSpec("afdbest_aa", AD_HOC),
    ],
    collaborations=[
        # Videndele
        C(
            F1,
            "Husrådsmøde med alle husets foreninger",
            "husraad hp_vest kvindenet somalisk vestenvind",
            MONTHLY,
            ORG,
            NOT,
            "S",
            "Husets foreninger",
            "Foreningerne fortæller om deres aktiviteter og behandler forslag til husets regler.",
            lead=True,
        ),
        C(
            F1,
            "Fælles opslagstavle og nyhedsmail fra huset",
            "hp_vest husraad",
            MONTHLY,
            ORG,
            NOT,
            "S",
            "Husets brugere",
            "Medarbejderen samler foreningernes nyheder i én mail og på tavlen ved indgangen.",
        ),
        C(
            F1,
            "Orientering om Nabo til Nabos indsatser",
            "hp_nabo husraad",
            OCC,
            ORG,
            NOT,
            "US",
            "Husets foreninger",
            "Helhedsplanen fortæller foreningerne, hvilke af dens indsatser de kan bruge og søge midler fra.",
        ),
        C(
            F1,
            "Jobcenter Aarhus præsenterer sine tilbud for foreningerne",
            "jobaarhus husraad",
            ONCE,
            ORG,
            NOT,
            "B",
            "Ledige medlemmer af foreningerne",
            "Jobcentret fortalte om mentorordninger og virksomhedspraktik; foreningerne om, hvem de møder.",
        ),
        C(
            F1,
            "Netværksmøde mellem Vestenvind og Fritidsklubben",
            "vestenvind fritid_aa",
            OCC,
            ORG,
            NOT,
            "KU",
            "Unge 13-20 år",
            "Foreningen og klubben deler viden om, hvilke unge der kommer hvor, og hvem der mangler et sted.",
        ),
        C(
            F1,
            "Erfaringsudveksling om at finde og fastholde frivillige",
            "lektie korshaer",
            ONCE,
            ORG,
            NOT,
            "S",
            "Frivillige",
            "Lektiehjælpen og Korshæren delte, hvad der har virket, når de skulle finde nye frivillige.",
        ),
        C(
            F1,
            "Kaffebord mellem seniorklubben og syforeningen",
            "solsikken syforening",
            OCC,
            ORG,
            NOT,
            "S",
            "Ældre beboere",
            "De to foreninger mødes over kaffe for at høre, hvad den anden laver.",
        ),
        C(
            F1,
            "Sognet og husrådet orienterer hinanden om højtider og arrangementer",
            "sogn_aa husraad",
            OCC,
            ORG,
            NOT,
            "S",
            "",
            "Sognet og husrådet udveksler kalendere, så de kender hinandens store arrangementer.",
        ),
        C(
            F1,
            "Forberedende møde om husets finansiering",
            "hp_vest kommune_aa",
            ONCE,
            LEADERS,
            NOT,
            "S",
            "",
            "Helhedsplanen og kommunen gennemgik regnskabet, før den toårige aftale skal genforhandles.",
            lead=True,
            months_ago=9,
        ),
        C(
            F1,
            "Lærdansk fortæller om danskundervisning på husrådsmødet",
            "laerdansk husraad",
            ONCE,
            ORG,
            NOT,
            "U",
            "Voksne, der vil lære dansk",
            "Sprogskolen fortalte om hold, tider og betaling, så foreningerne kan svare deres medlemmer.",
        ),
        # Samvirke
        C(
            F2,
            "Lektiehjælpen henviser forældre til Somalisk Forældreforening",
            "lektie somalisk",
            OCC,
            CIT,
            NOT,
            "U",
            "Forældre til skolebørn",
            "Forældre, der vil vide mere om skolen, får kontakt til foreningens forældremøder.",
            referral=True,
        ),
        C(
            F2,
            "Vestenvind og Idrætsforeningen fordeler fredagene",
            "vestenvind idraet",
            OCC,
            ORG,
            NOT,
            "S",
            "",
            "Ungdomsforeningens fredagscafé og idrætsforeningens turneringer skiftes til at have fredagen.",
        ),
        C(
            F2,
            "Jobcenter Aarhus henviser til Kvindernes Netværksforening",
            "jobaarhus kvindenet",
            OCC,
            CIT,
            NOT,
            "B",
            "Kvinder uden for arbejdsmarkedet",
            "Jobcentret henviser kvinder, der har brug for et netværk, før de er klar til praktik.",
            referral=True,
        ),
        C(
            F2,
            "SSP henviser unge til Ungdomsforeningen Vestenvind",
            "sspaarhus vestenvind",
            OCC,
            CIT,
            NOT,
            "K",
            "Unge 14-18 år",
            "Unge, der hænger ud uden at have et fritidstilbud, får kontakt til fredagscaféen.",
            referral=True,
        ),
        C(
            F2,
            "Kirkens Korshær henviser ældre til seniorklubben",
            "korshaer solsikken",
            OCC,
            CIT,
            NOT,
            "S",
            "Ensomme ældre",
            "Ældre, der kommer i Korshærens varmestue, får en invitation til Solsikken.",
            referral=True,
        ),
        C(
            F2,
            "Kvindernes Netværksforening henviser til Lærdansk",
            "kvindenet laerdansk",
            OCC,
            CIT,
            NOT,
            "U",
            "Kvinder, der vil lære dansk",
            "Foreningen hjælper medlemmer med at komme i gang på et danskhold.",
            referral=True,
        ),
        C(
            F2,
            "Fritidsklubben og Vestenvind fordeler åbningsaftener",
            "fritid_aa vestenvind",
            ONCE,
            ORG,
            NOT,
            "U",
            "Unge 13-18 år",
            "Klubben holder åbent mandag til torsdag, foreningen fredag og lørdag.",
        ),
        C(
            F2,
            "Fælles sommerferieprogram, så tilbuddene ikke overlapper",
            "hp_nabo idraet vestenvind fritid_aa",
            ONCE,
            ORG,
            NOT,
            "US",
            "Børn og unge i sommerferien",
            "Aktørerne lagde deres tilbud ind i én oversigt og flyttede to ture.",
            lead=True,
        ),
        C(
            F2,
            "Idrætsforeningen henviser forældre til lektiehjælpen",
            "idraet lektie",
            OCC,
            CIT,
            NOT,
            "U",
            "Forældre til skolebørn",
            "Trænerne fortæller forældre om lektiehjælpen, når børn har svært ved skolen.",
            referral=True,
        ),
        # Ressourceudveksle
        C(
            F3,
            "Husets store sal til Somalisk Forældreforenings forældremøder",
            "hp_vest somalisk",
            MONTHLY,
            ORG,
            NOT,
            "U",
            "Forældre til skolebørn",
            "Foreningen låner salen en aften om måneden.",
            resource=R.ROOMS,
        ),
        C(
            F3,
            "Syforeningen låner symaskiner ud til Kvindernes Netværksforening",
            "syforening kvindenet",
            WEEKLY,
            CIT,
            NOT,
            "S",
            "Kvinder i området",
            "Symaskinerne står i syforeningens rum og bruges af netværksforeningen om onsdagen.",
            resource=R.EQUIPMENT,
        ),
        C(
            F3,
            "Tilskud fra Vestbyens Lokalfond til nyt køkken",
            "fond_aa husraad",
            ONCE,
            LEADERS,
            NOT,
            "S",
            "",
            "Fonden gav tilskud til at forny husets køkken, som alle foreninger bruger.",
            resource=R.MONEY,
            months_ago=13,
        ),
        C(
            F3,
            "Kommunalt driftstilskud til Foreningernes Hus",
            "kommune_aa husraad",
            OCC,
            LEADERS,
            NOT,
            "S",
            "",
            "Kommunens andel af husets drift, udbetalt en gang om året.",
            resource=R.MONEY,
        ),
        C(
            F3,
            "Kirkens Korshær donerer tøj til byttemarked",
            "korshaer kvindenet",
            ONCE,
            CIT,
            IMPL,
            "S",
            "Familier i området",
            "Korshæren gav sække med tøj; foreningens medlemmer stod for byttemarkedet.",
            resource=R.DONATION,
        ),
        C(
            F3,
            "Idrætsforeningen låner bolde og redskaber ud til fritidsklubben",
            "idraet fritid_aa",
            WEEKLY,
            ORG,
            NOT,
            "U",
            "Børn og unge",
            "Klubben låner udstyr til sine aftener på banen bag huset.",
            resource=R.EQUIPMENT,
        ),
        C(
            F3,
            "Byggefirmaet Vestbyg sætter mødelokalet i stand",
            "vestbyg husraad vestenvind",
            ONCE,
            ORG,
            IMPL,
            "B",
            "Unge 16-20 år",
            "Firmaet stillede håndværkere og materialer til rådighed; unge fra Vestenvind hjalp til.",
            resource=R.SERVICES,
            roles=(GIVER, RECEIVER, PARTICIPANT),
        ),
        C(
            F3,
            "Helhedsplanerne deler udgiften til rengøring af huset",
            "hp_vest hp_nabo husraad",
            OCC,
            LEADERS,
            NOT,
            "S",
            "",
            "De to helhedsplaner betaler hver halvdelen af rengøringen.",
            resource=R.MONEY,
            roles=(GIVER, GIVER, RECEIVER),
        ),
        # Samordne
        C(
            F4,
            "Genforhandling af husets økonomi for de næste to år",
            "hp_vest kommune_aa afdbest_aa hp_nabo husraad",
            OCC,
            LEADERS,
            NOT,
            "S",
            "",
            "Parterne forhandler fordelingen af husets udgifter og hvem der betaler hvad.",
            goals="En underskrevet aftale for de næste to år, før den gamle udløber.",
            outcome="Aftalen er på plads; foreningerne betaler lidt mere, til gengæld er lejen for salen sænket.",
            ended=True,
            months_ago=7,
        ),
        C(
            F4,
            "Kulturnat i Foreningernes Hus",
            "husraad kvindenet somalisk vestenvind sogn_aa",
            ONCE,
            CIT,
            INIT,
            "S",
            "Alle i nabolaget",
            "Foreningerne viste, hvad de laver, med mad, musik og åbne værksteder.",
            outcome="Omkring 300 gæster. To foreninger fik nye medlemmer.",
            months_ago=8,
            citizen_count=300,
        ),
        C(
            F4,
            "Job- og foreningsmesse med lokale virksomheder",
            "jobaarhus vestbyg hp_vest vestenvind",
            ONCE,
            CIT,
            IMPL,
            "B",
            "Ledige og unge 16-30 år",
            "Jobcentret inviterede virksomheder; de unge fra Vestenvind var værter og guider.",
            goals="Mindst ti samtaler mellem virksomheder og besøgende.",
            outcome="Fire aftaler om praktik og en læreplads hos Vestbyg.",
            months_ago=10,
        ),
        C(
            F4,
            "Danskundervisning med børnepasning i huset",
            "laerdansk kvindenet",
            WEEKLY,
            CIT,
            IMPL,
            "UB",
            "Mødre med små børn",
            "Sprogskolen underviser i huset, og foreningens frivillige passer børnene imens.",
            goals="Flere mødre gennemfører et modul.",
        ),
        C(
            F4,
            "Lektiecafé med forældreinddragelse",
            "lektie somalisk",
            WEEKLY,
            CIT,
            IMPL,
            "U",
            "Skolebørn og deres forældre",
            "En gang om måneden er forældrene med i lektiecaféen og får viden om skolens systemer.",
            goals="Flere forældre deltager i skole-hjem-samtaler.",
        ),
        C(
            F4,
            "Trygge aftener med forældrevandring og åben klub",
            "sspaarhus somalisk fritid_aa afdbest_aa",
            OCC,
            CIT,
            IMPL,
            "K",
            "Unge og forældre",
            "Forældre går aftenvandringer, mens fritidsklubben har åbent længere.",
            outcome="Færre henvendelser om uro på parkeringspladsen i vinterhalvåret.",
        ),
        # Samskabe
        C(
            F5,
            "Seniorer og unge udvikler et mentorfællesskab",
            "solsikken vestenvind",
            MONTHLY,
            CIT,
            DESIGN,
            "US",
            "Ældre og unge beboere",
            "Seniorer og unge finder sammen ud af, hvad de kan lære hinanden; formen ændrer sig undervejs.",
            goals="Mindst fem faste par efter et år.",
        ),
        C(
            F5,
            "Nye husregler udviklet sammen med foreningerne",
            "husraad hp_vest kvindenet idraet",
            OCC,
            ORG,
            DESIGN,
            "S",
            "Husets foreninger",
            "Foreningerne har sammen skrevet nye regler for booking, oprydning og nøgler.",
            outcome="Reglerne blev vedtaget i husrådet; færre konflikter om lokalerne.",
            ended=True,
        ),
        C(
            F5,
            "Kvindernes værksted bliver til et socialøkonomisk syprojekt",
            "kvindenet syforening jobaarhus hp_nabo",
            WEEKLY,
            CIT,
            INIT,
            "BS",
            "Kvinder uden for arbejdsmarkedet",
            "Kvinderne tog selv initiativet; sammen med jobcentret og helhedsplanen afprøves, om syningen kan blive "
            "til lønnet arbejde.",
            goals="Tre kvinder i løntimer eller praktik inden for to år.",
            outcome="Den første ordre på mulepose er leveret til en lokal butik.",
        ),
        C(
            F5,
            "Fælles frivilligpulje på tværs af husets foreninger",
            "husraad lektie",
            MONTHLY,
            ORG,
            DESIGN,
            "S",
            "Frivillige",
            "Husrådet og lektiehjælpen udvikler en fælles liste over frivillige, der kan hjælpe flere steder i huset.",
            goals="Ingen aktivitet aflyses, fordi der mangler frivillige.",
        ),
    ],
)

HEDEMARKEN = CentreSpec(
    slug="hedemarken",
    name="Bibliotek og Medborgercenter Hedemarken",
    kind=CentreKind.LIBRARY,
    municipality="Albertslund",
    address="Hedemarken, 2620 Albertslund",
    helhedsplan="Boligsocial helhedsplan Albertslund",
    housing_organisation="",
    description=(
        "Bibliotek og medborgercenter under ét tag, ledet af bibliotekets leder. Helhedsplanens boligsociale "
        "medarbejder deler kontor med biblioteket, og foreningerne bruger lokalerne til lektiecafé, kreativt værksted "
        "for børn og IT-hjælp. Centret får besøg fra hele byen, ikke kun fra boligområdet."
    ),
    presences=[
        PresenceSpec("bib_hede", BASED),
        PresenceSpec("hp_alb", BASED, 34, None, "Deler kontor med biblioteket."),
        PresenceSpec("rodekors_alb", BASED, 46, None, "Lektiecafé fire aftener om ugen."),
        PresenceSpec("krea", BASED, 30, None, "Værksted om lørdagen."),
        PresenceSpec("aeldresag", BASED, 40, None, "IT-hjælp tirsdag og torsdag."),
        PresenceSpec("kvindeklub", BASED, 16),
        PresenceSpec("borgerservice_alb", BASED, 36, 6, "Fremskudt borgerservice blev samlet på rådhuset."),
        PresenceSpec("codingpirates", AD_HOC, 12),
        PresenceSpec("jobalb", AD_HOC),
        PresenceSpec("ungdomsskole_alb", AD_HOC),
        PresenceSpec("sundpl_alb", AD_HOC),
        PresenceSpec("politi_alb", AD_HOC),
        PresenceSpec("ssp_alb", AD_HOC),
        PresenceSpec("afdbest_hede", AD_HOC),
        PresenceSpec("foraeldre_hede", AD_HOC),
        PresenceSpec("vuc", AD_HOC),
        PresenceSpec("frivillig_alb", AD_HOC),
        PresenceSpec("boernehus_hede", AD_HOC),
    ],
    collaborations=[
        # Videndele
        C(
            F1,
            "Ugentligt planlægningsmøde mellem bibliotek og helhedsplan",
            "bib_hede hp_alb",
            WEEKLY,
            ORG,
            NOT,
            "S",
            "",
            "Kort møde hver mandag om ugens aktiviteter, lokaler og henvendelser.",
        ),
        C(
            F1,
            "Husmøde for foreningerne i medborgercentret",
            "bib_hede rodekors_alb krea aeldresag hp_alb",
            MONTHLY,
            ORG,
            NOT,
            "S",
            "Centrets foreninger",
            "Foreningerne og biblioteket deler nyt og aftaler brugen af lokalerne.",
            lead=True,
        ),
        C(
            F1,
            "Sundhedsplejen fortæller om sine åbne tilbud",
            "sundpl_alb bib_hede",
            ONCE,
            ORG,
            NOT,
            "U",
            "Familier med små børn",
            "Sundhedsplejen præsenterede åben konsultation og babycafé for bibliotekets personale.",
        ),
        C(
            F1,
            "Nærpolitiet orienterer om tryghedsmålingen",
            "politi_alb afdbest_hede",
            OCC,
            ORG,
            NOT,
            "K",
            "Beboere i Hedemarken",
            "Politiet gennemgår resultaterne af tryghedsmålingen med bestyrelsen.",
        ),
        C(
            F1,
            "Netværksmøde om digital inklusion",
            "bib_hede borgerservice_alb",
            OCC,
            ORG,
            NOT,
            "S",
            "Borgere med behov for digital hjælp",
            "Biblioteket og borgerservice deler, hvilke spørgsmål de får om MitID, digital post og selvbetjening.",
            ended=True,
            months_ago=18,
        ),
        C(
            F1,
            "SSP og Ungdomsskolen deler viden om unges fritidsliv",
            "ssp_alb ungdomsskole_alb",
            MONTHLY,
            ORG,
            NOT,
            "KU",
            "Unge 13-18 år",
            "Fast møde om, hvilke unge der bruger hvilke tilbud, og hvem der falder igennem.",
        ),
        C(
            F1,
            "VUC præsenterer voksenuddannelse på biblioteket",
            "vuc bib_hede",
            ONCE,
            ORG,
            NOT,
            "U",
            "Voksne uden uddannelse",
            "VUC fortalte personalet om forberedende kurser og HF, så de kan svare borgerne.",
        ),
        C(
            F1,
            "Frivilligcentret og medborgercentret udveksler erfaringer",
            "frivillig_alb bib_hede",
            OCC,
            ORG,
            NOT,
            "S",
            "Frivillige",
            "Snak om, hvordan centret kan tiltrække frivillige fra hele byen.",
        ),
        C(
            F1,
            "Ledelsesmøde om centrets værdi ud over udlånstal",
            "bib_hede hp_alb afdbest_hede",
            OCC,
            LEADERS,
            NOT,
            "S",
            "",
            "Bibliotekets leder, helhedsplanen og bestyrelsen drøfter, hvordan centrets samarbejder kan "
            "dokumenteres, når udlånstal ikke viser det hele.",
            lead=True,
        ),
        C(
            F1,
            "Børnehuset og biblioteket orienterer om læsetilbud",
            "boernehus_hede bib_hede",
            OCC,
            ORG,
            NOT,
            "U",
            "Børn 3-6 år",
            "Biblioteket fortæller om højtlæsning og bogkasser, børnehuset om børnenes behov.",
        ),
        # Samvirke
        C(
            F2,
            "Biblioteket henviser borgere til Ældre Sagens IT-hjælp",
            "bib_hede aeldresag",
            WEEKLY,
            CIT,
            NOT,
            "S",
            "Ældre borgere",
            "Personalet sender borgere med spørgsmål om tablets og telefoner videre til de frivillige.",
            referral=True,
        ),
        C(
            F2,
            "Lektiecaféen henviser forældre til helhedsplanens familiestøtte",
            "rodekors_alb hp_alb",
            OCC,
            CIT,
            NOT,
            "U",
            "Forældre til skolebørn",
            "Når lektiehjælperne mærker, at familien har brug for mere, formidler de kontakt til helhedsplanen.",
            referral=True,
        ),
        C(
            F2,
            "Helhedsplanen henviser ledige til Jobcenter Albertslund",
            "hp_alb jobalb",
            OCC,
            CIT,
            NOT,
            "B",
            "Ledige beboere",
            "Helhedsplanens medarbejder går med til første samtale i jobcentret.",
            referral=True,
        ),
        C(
            F2,
            "Jobcenter Albertslund henviser til VUC's forberedende kurser",
            "jobalb vuc",
            OCC,
            CIT,
            NOT,
            "BU",
            "Ledige uden uddannelse",
            "Borgere, der mangler dansk eller matematik, henvises til forberedende voksenundervisning.",
            referral=True,
        ),
        C(
            F2,
            "Kreaklubben og Coding Pirates fordeler lørdagene",
            "krea codingpirates",
            ONCE,
            ORG,
            NOT,
            "U",
            "Børn 7-14 år",
            "Klubberne skiftes til værkstedet, så børn kan gå til begge dele.",
        ),
        C(
            F2,
            "Sundhedsplejen henviser mødre til Kvindeklubben",
            "sundpl_alb kvindeklub",
            OCC,
            CIT,
            NOT,
            "S",
            "Mødre på barsel",
            "Mødre, der føler sig alene, får at vide, hvornår klubben mødes.",
            referral=True,
        ),
        C(
            F2,
            "SSP henviser unge til Ungdomsskolens aftenhold",
            "ssp_alb ungdomsskole_alb",
            OCC,
            CIT,
            NOT,
            "K",
            "Unge 14-17 år",
            "Unge uden fritidstilbud får hjælp til at komme på et aftenhold.",
            referral=True,
        ),
        C(
            F2,
            "Borgerservice henviser til bibliotekets digitale hjælp",
            "borgerservice_alb bib_hede",
            OCC,
            CIT,
            NOT,
            "S",
            "Borgere med behov for digital hjælp",
            "Borgere, der skal have hjælp til selvbetjening, blev sendt videre til biblioteket.",
            referral=True,
            ended=True,
            months_ago=20,
        ),
        C(
            F2,
            "Fælles aktivitetskalender for vinterferien",
            "hp_alb bib_hede krea ungdomsskole_alb",
            OCC,
            ORG,
            NOT,
            "US",
            "Børn og unge i vinterferien",
            "Aktørerne samler ferieaktiviteterne i ét program og undgår, at to ting ligger samtidig.",
            lead=True,
        ),
        # Ressourceudveksle
        C(
            F3,
            "Lokaler til lektiecaféen fire aftener om ugen",
            "bib_hede rodekors_alb",
            WEEKLY,
            ORG,
            NOT,
            "U",
            "Skolebørn",
            "Biblioteket stiller studierum og computere til rådighed for lektiecaféen.",
            resource=R.ROOMS,
        ),
        C(
            F3,
            "Kontorplads til helhedsplanens medarbejder",
            "bib_hede hp_alb",
            DAILY,
            ORG,
            NOT,
            "",
            "",
            "Helhedsplanen har skrivebord i bibliotekets kontor uden husleje.",
            resource=R.ROOMS,
        ),
        C(
            F3,
            "Bærbare computere udlånes til IT-hjælpen",
            "bib_hede aeldresag",
            WEEKLY,
            ORG,
            NOT,
            "S",
            "Ældre borgere",
            "Biblioteket låner fem bærbare ud til de frivilliges IT-hjælp.",
            resource=R.EQUIPMENT,
        ),
        C(
            F3,
            "Helhedsplanen betaler materialer til kreaværkstedet",
            "hp_alb krea",
            OCC,
            ORG,
            NOT,
            "U",
            "Børn 6-12 år",
            "Tilskud til maling, ler og papir til lørdagsværkstedet.",
            resource=R.MONEY,
        ),
        C(
            F3,
            "Frivillige fra Frivilligcentret til lektiecaféen",
            "frivillig_alb rodekors_alb",
            OCC,
            ORG,
            NOT,
            "U",
            "Skolebørn",
            "Frivilligcentret formidler nye lektiehjælpere, når caféen mangler hænder.",
            resource=R.SERVICES,
        ),
        C(
            F3,
            "Afdelingsbestyrelsen låner festsalen ud til forældrenetværket",
            "afdbest_hede foraeldre_hede",
            OCC,
            CIT,
            INIT,
            "S",
            "Børnefamilier",
            "Forældrenetværket holder fællesspisning i afdelingens festsal.",
            resource=R.ROOMS,
        ),
        C(
            F3,
            "Biblioteket låner makerspace-udstyr ud til Ungdomsskolen og Coding Pirates",
            "bib_hede ungdomsskole_alb codingpirates",
            OCC,
            ORG,
            NOT,
            "U",
            "Børn og unge 10-17 år",
            "3D-printer, laserskærer og robotsæt lånes ud til hold, der bruger dem i centret.",
            resource=R.EQUIPMENT,
        ),
        # Samordne
        C(
            F4,
            "Fælles læsekampagne for børnefamilier",
            "bib_hede boernehus_hede sundpl_alb foraeldre_hede",
            OCC,
            CIT,
            IMPL,
            "U",
            "Familier med børn 0-6 år",
            "Sundhedsplejen deler bøger ud, børnehuset låner bogkasser, og forældrenetværket holder læsecafé.",
            goals="Flere familier med lånerkort; flere besøg i børneafdelingen.",
            outcome="Tydeligt flere familier fra området i børneafdelingen om lørdagen.",
            months_ago=16,
        ),
        C(
            F4,
            "Digital hjælp til årsopgørelse og MitID",
            "aeldresag bib_hede",
            OCC,
            CIT,
            NOT,
            "S",
            "Borgere med behov for digital hjælp",
            "De frivillige og biblioteket holdt fælles åbent hus i skattesæsonen.",
            outcome="Godt besøgt; gentages hvert forår.",
            ended=True,
            months_ago=22,
        ),
        C(
            F4,
            "Jobcafé på biblioteket",
            "jobalb hp_alb bib_hede vuc",
            WEEKLY,
            CIT,
            NOT,
            "B",
            "Ledige beboere",
            "Jobkonsulent, helhedsplan og VUC mødes med borgere i bibliotekets café.",
            goals="Mindst ti besøgende om ugen; opfølgning på, hvor mange der kommer i job eller uddannelse.",
        ),
        C(
            F4,
            "Ferieaktiviteter med kreaværksted og kodeklub",
            "hp_alb krea codingpirates bib_hede",
            ONCE,
            CIT,
            IMPL,
            "U",
            "Børn 6-14 år",
            "En uge i sommerferien med værksteder, hvor ældre børn hjalp de yngre.",
            outcome="Fuldt booket alle dage; Coding Pirates fik nye frivillige blandt forældrene.",
            months_ago=10,
        ),
        C(
            F4,
            "Tryghedsvandring i Hedemarken",
            "politi_alb afdbest_hede ssp_alb hp_alb",
            ONCE,
            ORG,
            DESIGN,
            "K",
            "Beboere i Hedemarken",
            "Beboere, politi og SSP gik området igennem og pegede på steder, der føles utrygge.",
            outcome="Boligafdelingen har sat lys op ved cykelkælderen.",
        ),
        C(
            F4,
            "Forældrekursus om skole og uddannelse",
            "vuc foraeldre_hede",
            WEEKLY,
            CIT,
            DESIGN,
            "U",
            "Forældre til skolebørn",
            "Fem aftener om skolesystemet, uddannelsesvalg og lektier, planlagt med forældrenetværket.",
            goals="Forældrene kender vejen fra folkeskole til ungdomsuddannelse.",
            outcome="Forældrenetværket vil selv gentage kurset med hjælp fra VUC.",
            ended=True,
        ),
        # Samskabe
        C(
            F5,
            "Borgerpanel udvikler centrets åbningstider og rum",
            "bib_hede hp_alb afdbest_hede foraeldre_hede",
            OCC,
            CIT,
            DESIGN,
            "S",
            "Brugere af centret",
            "Et panel af beboere og brugere arbejdede med personalet på, "
            "hvordan centret skal indrettes og holde åbent.",
            goals="Et forslag til indretning og åbningstider, som panelet selv står inde for.",
            outcome="Længere åbent om aftenen med selvbetjening og et nyt stillerum er gennemført.",
            ended=True,
        ),
        C(
            F5,
            "Kvindeklubbens idé: et fællesværksted for genbrug og reparation",
            "kvindeklub krea",
            MONTHLY,
            CIT,
            INIT,
            "S",
            "Voksne beboere",
            "Kvinderne foreslog et værksted, hvor man kan reparere tøj og ting; indhold og form udvikles hen ad vejen.",
            goals="Et værksted, der kører med beboere som værter.",
        ),
        C(
            F5,
            "Unge designer et nyt ungerum i medborgercentret",
            "ungdomsskole_alb bib_hede ssp_alb codingpirates",
            WEEKLY,
            CIT,
            DESIGN,
            "UK",
            "Unge 13-18 år",
            "De unge tegner og bygger selv rummet; aktørerne justerer regler og åbningstider efter deres ønsker.",
            goals="Et ungerum, der bruges mindst tre aftener om ugen.",
        ),
        C(
            F5,
            "Model for at dokumentere medborgercentrets værdi",
            "bib_hede hp_alb",
            OCC,
            LEADERS,
            NOT,
            "S",
            "",
            "Aktørerne udvikler sammen en måde at kortlægge samarbejder på, så centrets værdi kan vises for kommunen.",
            goals="En årlig rapport over samarbejder, som kommunen bruger i budgetforhandlingerne.",
        ),
    ],
)

AALBORG_OEST = CentreSpec(
    slug="aalborg-oest",
    name="Sundheds- og Kvartershuset",
    kind=CentreKind.HEALTH,
    municipality="Aalborg",
    address="9220 Aalborg Øst",
    helhedsplan="Boligsocial helhedsplan Aalborg Øst",
    housing_organisation="Himmerland Boligforening",
    description=(
        "Stort sundheds- og kvartershus, bygget for omkring 135 mio. kr. af Region Nordjylland, Aalborg Kommune, "
        "Landsbyggefonden og Himmerland Boligforening, som står for driften og udlejer lokalerne. Omkring 24 "
        "lejere og 200 ansatte: lægeklinikker, apotek, stressklinik, lokalpoliti, helhedsplanen og en "
        "socialøkonomisk café. Samarbejder med bibliotek og kulturhus Trekanten lige ved siden af."
    ),
    presences=[
        PresenceSpec("himmerland", BASED, None, None, "Drift og lokaleudlejning."),
        PresenceSpec("hp_aal", BASED, 58),
        PresenceSpec("laegehus", BASED, 58),
        PresenceSpec("laegeklinik", BASED, 58),
        PresenceSpec("apotek", BASED, 58),
        PresenceSpec("stress", BASED, 32),
        PresenceSpec("politi_aal", BASED, 58),
        PresenceSpec("cafe_aal", BASED, 50),
        PresenceSpec("psyk", BASED, 58, None, "Ambulante tilbud på tredje sal."),
        PresenceSpec("sundcenter", BASED, 58),
        PresenceSpec("socaal", BASED, 44),
        PresenceSpec("sundpl_aal", BASED, 44, None, "Åben konsultation om tirsdagen."),
        PresenceSpec("jobaal", AD_HOC),
        PresenceSpec("trekanten", AD_HOC),
        PresenceSpec("ssp_aal", AD_HOC),
        PresenceSpec("diabetes", AD_HOC, 24),
        PresenceSpec("beboerdemo_aal", AD_HOC),
        PresenceSpec("ucn", AD_HOC),
        PresenceSpec("fritid_aal", AD_HOC),
    ],
    collaborations=[
        # Videndele
        C(
            F1,
            "Lejermøde i Sundheds- og Kvartershuset",
            "himmerland hp_aal laegehus apotek politi_aal",
            MONTHLY,
            ORG,
            NOT,
            "S",
            "Husets lejere",
            "Husets lejere mødes om fællesarealer, nye lejere og arrangementer i forhallen.",
            lead=True,
        ),
        C(
            F1,
            "Faglig frokost mellem lægerne og socialrådgivningen",
            "laegehus socaal",
            MONTHLY,
            ORG,
            NOT,
            "S",
            "",
            "Læger og socialrådgivere lærer hinandens arbejdsgange at kende, uden at drøfte enkeltsager.",
        ),
        C(
            F1,
            "Nyhedsbrev om husets tilbud til beboerne",
            "hp_aal himmerland",
            MONTHLY,
            ORG,
            NOT,
            "S",
            "Beboere i Aalborg Øst",
            "Helhedsplanen samler husets tilbud i et månedligt nyhedsbrev, der også ligger i caféen.",
        ),
        C(
            F1,
            "Lokalpolitiet og SSP deler viden om uro i området",
            "politi_aal ssp_aal",
            MONTHLY,
            ORG,
            NOT,
            "K",
            "Unge 12-18 år",
            "Fast møde om hændelser, tendenser og hvem der tager kontakt til hvem.",
        ),
        C(
            F1,
            "Trekanten og huset koordinerer kulturtilbud",
            "trekanten hp_aal",
            OCC,
            ORG,
            NOT,
            "S",
            "Beboere i Aalborg Øst",
            "Kulturhuset og helhedsplanen orienterer hinanden om arrangementer og målgrupper.",
        ),
        C(
            F1,
            "Stressklinikken præsenterer sit forløb for jobcentret",
            "stress jobaal",
            ONCE,
            ORG,
            NOT,
            "B",
            "Sygemeldte med stress",
            "Klinikken fortalte jobkonsulenterne om forløbet og om, hvornår det passer til en sygemeldt.",
        ),
        C(
            F1,
            "Apoteket informerer om medicingennemgang",
            "apotek laegehus",
            ONCE,
            ORG,
            NOT,
            "H",
            "Borgere med mange slags medicin",
            "Apoteket fortalte lægerne om sin gratis medicinsamtale.",
            months_ago=21,
        ),
        C(
            F1,
            "Erfaringsudveksling om unge i mistrivsel",
            "psyk fritid_aal",
            OCC,
            ORG,
            NOT,
            "U",
            "Unge 13-24 år",
            "Psykiatrien og fritidscentret deler viden om tegn på mistrivsel og veje til hjælp.",
        ),
        C(
            F1,
            "Strategimøde i husets ejerkreds",
            "himmerland lbf sundcenter psyk",
            OCC,
            LEADERS,
            NOT,
            "S",
            "",
            "Parterne bag husets byggeri og drift drøfter udlejning, vedligehold og husets rolle i bydelen.",
            lead=True,
        ),
        C(
            F1,
            "Sundhedsplejen møder beboerdemokratiet",
            "sundpl_aal beboerdemo_aal",
            ONCE,
            ORG,
            NOT,
            "U",
            "Familier med små børn",
            "Sundhedsplejen fortalte bestyrelserne om sine tilbud, og om hvad de hører fra familierne.",
        ),
        C(
            F1,
            "UCN-studerende præsenterer projekter for husets aktører",
            "ucn hp_aal",
            ONCE,
            ORG,
            NOT,
            "U",
            "",
            "Studerende fremlagde projekter om sundhed og fællesskab i bydelen.",
        ),
        # Samvirke
        C(
            F2,
            "Lægehuset henviser patienter til Sundhedscentrets træningshold",
            "laegehus sundcenter",
            WEEKLY,
            CIT,
            NOT,
            "H",
            "Borgere med kroniske sygdomme",
            "Lægerne henviser til træning og kostvejledning to etager oppe.",
            referral=True,
            months_ago=20,
        ),
        C(
            F2,
            "Lægeklinikken henviser til Stressklinikken",
            "laegeklinik stress",
            OCC,
            CIT,
            NOT,
            "B",
            "Sygemeldte med stress",
            "Patienter med stress henvises til klinikkens forløb, så de kan vende tilbage til arbejdet.",
            referral=True,
        ),
        C(
            F2,
            "Socialrådgivningen henviser til Jobcenter Aalborg",
            "socaal jobaal",
            OCC,
            CIT,
            NOT,
            "B",
            "Ledige beboere",
            "Rådgiverne aftaler møde med jobcentrets medarbejder, når han er i huset.",
            referral=True,
        ),
        C(
            F2,
            "Helhedsplanen henviser unge til Fritidscentret",
            "hp_aal fritid_aal",
            OCC,
            CIT,
            NOT,
            "UK",
            "Unge 12-17 år",
            "Unge uden fritidstilbud bliver fulgt over til fritidscentret første gang.",
            referral=True,
        ),
        C(
            F2,
            "Apoteket henviser til Diabetesforeningens netværksgruppe",
            "apotek diabetes",
            OCC,
            CIT,
            NOT,
            "S",
            "Borgere med diabetes",
            "Kunder med ny diagnose får foreningens folder og tidspunktet for netværksgruppen.",
            referral=True,
        ),
        C(
            F2,
            "Café Kvarteret og Trekanten flytter arrangementer, så de ikke overlapper",
            "cafe_aal trekanten",
            ONCE,
            ORG,
            NOT,
            "S",
            "",
            "Caféens musikaften og Trekantens koncert lå samme aften; caféen flyttede sin.",
        ),
        C(
            F2,
            "Stressklinikken henviser til psykiatrien",
            "stress psyk",
            OCC,
            CIT,
            NOT,
            "",
            "Borgere med behov for psykiatrisk hjælp",
            "Når et stressforløb viser sig at handle om mere, henvises der til psykiatriens ambulatorium.",
            referral=True,
        ),
        C(
            F2,
            "Lokalpolitiet henviser familier til socialrådgivningen",
            "politi_aal socaal",
            OCC,
            CIT,
            NOT,
            "K",
            "Familier med unge i risiko",
            "Efter bekymrende hændelser formidler politiet kontakt til rådgivningen i samme hus.",
            referral=True,
        ),
        C(
            F2,
            "Fælles oversigt over åbningstider i husets reception",
            "himmerland hp_aal sundcenter socaal",
            ONCE,
            ORG,
            NOT,
            "S",
            "Besøgende i huset",
            "Lejerne samlede deres åbningstider og tilbud i én oversigt, så receptionen kan vise vej.",
            lead=True,
        ),
        # Ressourceudveksle
        C(
            F3,
            "Mødelokaler til Diabetesforeningens netværksgruppe",
            "himmerland diabetes",
            MONTHLY,
            ORG,
            NOT,
            "S",
            "Borgere med diabetes",
            "Foreningen låner et mødelokale en aften om måneden til nedsat pris.",
            resource=R.ROOMS,
        ),
        C(
            F3,
            "Café Kvarteret leverer frugt og mad til husets møder",
            "cafe_aal himmerland",
            WEEKLY,
            ORG,
            NOT,
            "B",
            "",
            "Caféen leverer forplejning til møderne og får faste ordrer, der giver arbejdstræning.",
            resource=R.SERVICES,
        ),
        C(
            F3,
            "Fondsmidler til aktivitetsrum i huset",
            "lbf himmerland",
            ONCE,
            LEADERS,
            NOT,
            "S",
            "",
            "Bevilling til inventar i husets aktivitetsrum.",
            resource=R.MONEY,
            months_ago=22,
        ),
        C(
            F3,
            "Trekanten låner udstillingsvægge og lydudstyr ud",
            "trekanten hp_aal",
            OCC,
            ORG,
            NOT,
            "S",
            "",
            "Kulturhuset låner udstyr til helhedsplanens arrangementer i forhallen.",
            resource=R.EQUIPMENT,
        ),
        C(
            F3,
            "Praktikpladser i Café Kvarteret for jobcentrets borgere",
            "cafe_aal jobaal",
            OCC,
            CIT,
            NOT,
            "B",
            "Ledige med behov for arbejdstræning",
            "Caféen stiller praktikpladser til rådighed for borgere, jobcentret følger.",
            resource=R.SERVICES,
        ),
        C(
            F3,
            "Sundhedscentret deler træningssal med Fritidscentret",
            "sundcenter fritid_aal",
            WEEKLY,
            ORG,
            NOT,
            "U",
            "Unge 13-17 år",
            "Fritidscentret bruger træningssalen to aftener om ugen.",
            resource=R.ROOMS,
        ),
        C(
            F3,
            "Apoteket donerer førstehjælpskasser til Fritidscentret",
            "apotek fritid_aal",
            ONCE,
            ORG,
            NOT,
            "",
            "",
            "Apoteket gav førstehjælpskasser til fritidscentrets ture og aktiviteter.",
            resource=R.DONATION,
        ),
        # Samordne
        C(
            F4,
            "Sammenhængende forløb om kost, motion og stress",
            "sundcenter stress cafe_aal laegehus",
            WEEKLY,
            CIT,
            IMPL,
            "SB",
            "Voksne med livsstilssygdomme",
            "Et samlet forløb i stedet for tre: træning, stresshåndtering og madlavning i caféen.",
            goals="Flere gennemfører hele forløbet end de enkelte tilbud hver for sig.",
            outcome="Frafaldet er halveret; lægerne henviser nu direkte til det samlede forløb.",
        ),
        C(
            F4,
            "Sundhedsdag i huset",
            "hp_aal apotek diabetes sundcenter trekanten",
            ONCE,
            CIT,
            IMPL,
            "S",
            "Alle i bydelen",
            "Blodtryksmåling, smagsprøver, foredrag og motion; beboere var værter ved standene.",
            outcome="Omkring 400 besøgende; mange kom for første gang i huset.",
            months_ago=9,
            citizen_count=400,
        ),
        C(
            F4,
            "Jobmesse med lokale arbejdsgivere i huset",
            "jobaal hp_aal cafe_aal ucn",
            ONCE,
            CIT,
            NOT,
            "B",
            "Ledige og studerende",
            "Jobcentret inviterede arbejdsgivere; caféen stod for forplejning, og UCN fortalte om uddannelser.",
            goals="Mindst 20 samtaler om job eller praktik.",
            outcome="Flere aftaler om praktik; næste gang skal messen ligge om eftermiddagen.",
            months_ago=6,
        ),
        C(
            F4,
            "Tryghedsindsats omkring nytår",
            "politi_aal ssp_aal fritid_aal beboerdemo_aal",
            ONCE,
            ORG,
            IMPL,
            "K",
            "Unge og beboere",
            "Fritidscentret holdt åbent, og beboere gik rundt sammen med politiet nytårsaften.",
            outcome="Færre brande og mindre hærværk end året før.",
            months_ago=14,
        ),
        C(
            F4,
            "Fælles indgang for familier",
            "socaal sundpl_aal",
            WEEKLY,
            CIT,
            NOT,
            "US",
            "Familier med børn",
            "Sundhedspleje og socialrådgivning har fælles åben dør, så familier ikke skal gå to steder.",
            goals="Færre familier, der henvises videre uden at møde op.",
        ),
        C(
            F4,
            "Studerende fra UCN i sundhedsfremmende praktik",
            "ucn sundcenter",
            OCC,
            ORG,
            NOT,
            "U",
            "",
            "Sygeplejestuderende laver sundhedsaktiviteter sammen med sundhedscentret.",
            outcome="To hold gennemført; UCN vil fortsætte med et nyt semester.",
            ended=True,
        ),
        C(
            F4,
            "Kursus i psykisk førstehjælp for husets medarbejdere",
            "psyk himmerland cafe_aal politi_aal",
            ONCE,
            ORG,
            NOT,
            "S",
            "Medarbejdere i huset",
            "Psykiatrien underviste medarbejdere fra drift, café og politi i at møde mennesker i krise.",
        ),
        # Samskabe
        C(
            F5,
            "Sund i Øst: beboere og sundhedsaktører skaber et fællesskab",
            "hp_aal sundcenter beboerdemo_aal laegehus",
            MONTHLY,
            CIT,
            DESIGN,
            "S",
            "Voksne beboere",
            "Beboere og sundhedsaktører udvikler sammen gå-hold, madklub og samtalegrupper; "
            "nye ideer afprøves løbende.",
            goals="Fællesskabet har beboere som tovholdere på mindst tre aktiviteter.",
        ),
        C(
            F5,
            "Ungeambassadører designer et sundhedstilbud for unge",
            "fritid_aal psyk",
            WEEKLY,
            CIT,
            DESIGN,
            "U",
            "Unge 15-24 år",
            "Unge fra området designer, hvordan et anonymt rådgivningstilbud skal se ud og hvor det skal ligge.",
            goals="Et tilbud, som de unge selv vil anbefale til deres venner.",
        ),
        C(
            F5,
            "Café Kvarteret som fælles platform for frivillige",
            "cafe_aal hp_aal diabetes trekanten",
            OCC,
            ORG,
            DESIGN,
            "S",
            "Frivillige",
            "Caféen udvikles til et sted, hvor frivillige fra flere organisationer mødes og finder nye opgaver.",
        ),
        C(
            F5,
            "Ny model for samarbejdet mellem læger og socialrådgivning",
            "laegehus socaal",
            MONTHLY,
            ORG,
            NOT,
            "S",
            "",
            "Lægehuset og socialrådgivningen afprøver faste fælles konsultationstider; modellen justeres hver måned.",
            goals="Kortere vej fra lægen til rådgivningen for patienter med sociale problemer.",
        ),
    ],
)

CENTRES: list[CentreSpec] = [MOTALAVEJ, FORENINGERNES_HUS, HEDEMARKEN, AALBORG_OEST]


def load_demo(today: datetime.date) -> dict[str, int]:
    """Create the demo centres, actors, users and collaborations, with every date relative to `today`."""
    rng = random.Random(SEED)
    with transaction.atomic():
        centres = _create_centres()
        actors = _create_actors()
        presences = _create_presences(centres, actors, today)
        users = _create_users()
        memberships = _create_memberships(users, centres)
        collaborations, participations = _create_collaborations(rng, centres, actors, users, today)
    return {
        "centres": len(centres),
        "actors": len(actors),
        "presences": presences,
        "users": len(users),
        "memberships": memberships,
        "collaborations": collaborations,
        "participations": participations,
    }


def delete_all() -> None:
    """Remove every centre, actor and collaboration, and the demo users, so the demo can be loaded again."""
    with transaction.atomic():
        HistoryEntry.objects.all().delete()
        # Participations go with their collaborations; they protect actors, so collaborations go first.
        Collaboration.objects.all().delete()
        Presence.objects.all().delete()
        Membership.objects.all().delete()
        Actor.objects.all().delete()
        Centre.objects.all().delete()
        get_user_model().objects.filter(username__in=DEMO_USERNAMES).delete()


def months_before(today: datetime.date, months: int) -> datetime.date:
    return today - datetime.timedelta(days=round(months * 30.44))


def _create_centres() -> dict[str, Centre]:
    centres = [
        Centre(
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            municipality=spec.municipality,
            address=spec.address,
            helhedsplan=spec.helhedsplan,
            housing_organisation=spec.housing_organisation,
            description=spec.description,
        )
        for spec in CENTRES
    ]
    _validate(centres)
    Centre.objects.bulk_create(centres)
    return {centre.slug: centre for centre in centres}


def _create_actors() -> dict[str, Actor]:
    actors = [Actor(name=spec.name, category=spec.category, description=spec.description) for spec in ACTORS]
    _validate(actors)
    Actor.objects.bulk_create(actors)
    return {spec.key: actor for spec, actor in zip(ACTORS, actors, strict=True)}


def _create_presences(centres: dict[str, Centre], actors: dict[str, Actor], today: datetime.date) -> int:
    presences = [
        Presence(
            centre=centres[centre.slug],
            actor=actors[spec.actor],
            kind=spec.kind,
            started_on=months_before(today, spec.since_months) if spec.since_months is not None else None,
            ended_on=months_before(today, spec.until_months) if spec.until_months is not None else None,
            note=spec.note,
        )
        for centre in CENTRES
        for spec in centre.presences
    ]
    _validate(presences)
    Presence.objects.bulk_create(presences)
    return len(presences)


def _create_users() -> dict[str, AbstractBaseUser]:
    # PBKDF2 is slow on purpose; hashing the shared demo password once keeps loading fast.
    password = make_password(DEMO_PASSWORD)
    user_model = get_user_model()
    users = [
        user_model(
            username=username,
            password=password,
            is_staff=username in SUPERUSERS,
            is_superuser=username in SUPERUSERS,
        )
        for username in DEMO_USERNAMES
    ]
    user_model.objects.bulk_create(users)
    return {user.username: user for user in user_model.objects.filter(username__in=DEMO_USERNAMES)}


def _create_memberships(users: dict[str, AbstractBaseUser], centres: dict[str, Centre]) -> int:
    memberships = [
        Membership(user=users[username], centre=centres[slug], role=role) for username, slug, role in DEMO_MEMBERSHIPS
    ]
    Membership.objects.bulk_create(memberships)
    return len(memberships)


def _loggers_by_centre(users: dict[str, AbstractBaseUser]) -> dict[str, list[AbstractBaseUser]]:
    """Who could have logged the collaborations of each centre: its staff and coordinators."""
    loggers: dict[str, list[AbstractBaseUser]] = {spec.slug: [] for spec in CENTRES}
    for username, slug, role in DEMO_MEMBERSHIPS:
        if role in (Role.STAFF, Role.COORDINATOR):
            loggers[slug].append(users[username])
    return loggers


def _create_collaborations(
    rng: random.Random,
    centres: dict[str, Centre],
    actors: dict[str, Actor],
    users: dict[str, AbstractBaseUser],
    today: datetime.date,
) -> tuple[int, int]:
    themes = {key: theme for key, name in THEME_NAMES.items() if (theme := Theme.objects.filter(name=name).first())}
    loggers = _loggers_by_centre(users)
    rows: list[tuple[Collaboration, CollaborationSpec]] = []
    for centre_spec in CENTRES:
        for spec in centre_spec.collaborations:
            logger = rng.choice(loggers[centre_spec.slug]) if loggers[centre_spec.slug] else None
            rows.append((_collaboration(rng, spec, centres[centre_spec.slug], logger, today), spec))
    collaborations = [collaboration for collaboration, _spec in rows]
    _validate(collaborations)
    Collaboration.objects.bulk_create(collaborations)

    theme_links = [
        Collaboration.themes.through(collaboration=collaboration, theme=themes[key])
        for collaboration, spec in rows
        for key in spec.themes
        if key in themes
    ]
    Collaboration.themes.through.objects.bulk_create(theme_links)
    participations = [
        Participation(collaboration=collaboration, actor=actors[key], role=role)
        for collaboration, spec in rows
        for key, role in zip(spec.actors.split(), roles_for(spec), strict=True)
    ]
    Participation.objects.bulk_create(participations)
    return len(collaborations), len(participations)


def _collaboration(
    rng: random.Random, spec: CollaborationSpec, centre: Centre, logger: AbstractBaseUser | None, today: datetime.date
) -> Collaboration:
    started_on, ended_on = _dates(rng, spec, today)
    return Collaboration(
        centre=centre,
        form=spec.form,
        title=spec.title,
        description=spec.description,
        started_on=started_on,
        ended_on=ended_on,
        frequency=spec.frequency,
        level=spec.level,
        target_group=spec.target_group,
        citizens_part=spec.citizens_part,
        citizen_count=_citizen_count(rng, spec),
        resource_kind=spec.resource,
        goals=spec.goals,
        outcome=spec.outcome,
        created_by=logger,
        updated_by=logger,
    )


def _dates(
    rng: random.Random, spec: CollaborationSpec, today: datetime.date
) -> tuple[datetime.date, datetime.date | None]:
    """A start within the last 24 months; once-off ones end the same day, ended ones some months later."""
    if spec.months_ago is not None:
        days_ago = round(spec.months_ago * 30.44) + rng.randint(-10, 10)
    elif spec.ended:
        days_ago = rng.randint(200, 715)
    else:
        days_ago = rng.randint(5, 715)
    started_on = today - datetime.timedelta(days=min(max(days_ago, 3), 715))
    if spec.frequency == Frequency.ONCE:
        return started_on, started_on
    if spec.ended:
        ended_on = started_on + datetime.timedelta(days=rng.randint(60, 240))
        return started_on, max(started_on, min(ended_on, today - datetime.timedelta(days=1)))
    return started_on, None


def _citizen_count(rng: random.Random, spec: CollaborationSpec) -> int | None:
    """Counts only where residents actually took part; leadership meetings have none."""
    if spec.citizen_count is not None:
        return spec.citizen_count
    if spec.level == Level.LEADERSHIP or (spec.level == Level.ORGANISATIONAL and spec.citizens_part == NOT):
        return None
    if spec.referral:
        return rng.randint(2, 14)
    if spec.frequency == Frequency.ONCE:
        return rng.randint(15, 120)
    return rng.randint(5, 35)


def roles_for(spec: CollaborationSpec) -> list[str]:
    """Each participant's role, in the order of `spec.actors`, checked against the form's allowed roles."""
    count = len(spec.actors.split())
    if spec.roles:
        roles = list(spec.roles)
    elif spec.form == Form.RESOURCE_EXCHANGE:
        roles = [GIVER] + [RECEIVER] * (count - 1)
    elif spec.referral:
        roles = [ParticipantRole.REFERRER, ParticipantRole.REFERRED] + [PARTICIPANT] * (count - 2)
    elif spec.lead or (spec.lead is None and spec.form in (Form.COORDINATED_ACTION, Form.CO_CREATION)):
        roles = [ParticipantRole.LEAD] + [PARTICIPANT] * (count - 1)
    else:
        roles = [PARTICIPANT] * count
    if len(roles) != count or any(role not in ROLES_FOR_FORM[spec.form] for role in roles):
        raise ValueError(f"Roles {roles} do not fit {spec.title!r}.")
    return roles


def _validate(objects: list) -> None:
    """Check choices, lengths and the personal-data validator, which bulk_create skips.

    Unique and check constraints are left to the database; checking them here costs a query each.
    """
    for obj in objects:
        obj.full_clean(
            exclude=["centre", "actor", "user", "created_by", "updated_by"],
            validate_unique=False,
            validate_constraints=False,
        )
