"""The one schema of the atlas: kinds, statuses, commodities, regions and property names.

Everything that names a column, a layer property, a URL parameter or an allowed value
is defined here once and imported by the build, the app, the tests and the docs.
"""

from __future__ import annotations

__all__ = [
    "COMMODITIES",
    "COMMODITY_WORDS",
    "DATASETS",
    "FACT_FIELDS",
    "FORMER_REGION_NAMES",
    "KAZAKHSTAN_AREA_KM2",
    "KAZAKHSTAN_BOUNDS",
    "KINDS",
    "LAYER_FILES",
    "ORIGINS",
    "PRECISIONS",
    "QUERY_PARAMS",
    "REGIONS",
    "REGION_ALIASES",
    "REGISTRY_COLUMNS",
    "RUSSIAN_COMMODITY_LEMMAS",
    "SITE_PROPERTIES",
    "STATUSES",
    "UNKNOWN_PRECISION",
    "VIEW_PARAMS",
]

#: Kinds of site, with the label shown to people.
KINDS: dict[str, str] = {
    "deposit": "Deposit",
    "prospective_area": "Prospective area",
    "mine": "Mine",
    "plant": "Plant",
    "smelter": "Smelter",
    "project": "Project",
    "occurrence": "Occurrence",
    "refinery": "Refinery",
    "drill_hole": "Drill hole",
}

#: Stages a site can be at, in the order a project moves through them.
STATUSES: dict[str, str] = {
    "prospect": "Prospect",
    "exploration": "Exploration",
    "pre_development": "Pre-development",
    "construction": "Construction",
    "commissioning": "Commissioning",
    "operating": "Operating",
    "planned": "Planned",
    "unknown": "Unknown",
    "suspended": "Suspended",
    "closed": "Closed",
    "cancelled": "Cancelled",
}

#: How well a site's point is known, and the smallest radius each level may claim.
PRECISIONS: dict[str, float] = {
    "site": 0.0,
    "approximate": 1.0,
    "district": 10.0,
    "region": 50.0,
}

#: The precision of a site that no source places, even to a region: no geometry, no region, no radius.
UNKNOWN_PRECISION = "unknown"

#: Where a site record comes from: the curated registry, the open datasets, or extraction from text.
ORIGINS: tuple[str, ...] = ("registry", "open_data", "extracted")

#: Commodity symbols and their names.
COMMODITIES: dict[str, str] = {
    "REE": "Rare earth elements",
    "Li": "Lithium",
    "W": "Tungsten",
    "Mo": "Molybdenum",
    "Cu": "Copper",
    "Au": "Gold",
    "Ag": "Silver",
    "Fe": "Iron and steel",
    "Ni": "Nickel",
    "Ga": "Gallium",
    "In": "Indium",
    "Be": "Beryllium",
    "Ta": "Tantalum",
    "Nb": "Niobium",
    "Sc": "Scandium",
    "Ti": "Titanium",
    "Re": "Rhenium",
    "Os": "Osmium",
    "Bi": "Bismuth",
    "Sb": "Antimony",
    "Se": "Selenium",
    "Te": "Tellurium",
    "Ce": "Cerium",
    "La": "Lanthanum",
    "Y": "Yttrium",
    "Zn": "Zinc",
    "Pb": "Lead",
    "Sn": "Tin",
    "Co": "Cobalt",
    "Cr": "Chromium",
    "Mn": "Manganese",
    "Al": "Aluminium",
    "U": "Uranium",
    "V": "Vanadium",
    "C": "Coal",
    "K": "Potash",
    "P": "Phosphate",
    "Ba": "Barium (barite)",
    "Mg": "Magnesium",
    "B": "Boron",
    "Br": "Bromine",
    "F": "Fluorine (fluorspar)",
    "S": "Sulphur",
    "Pt": "Platinum",
    "Pd": "Palladium",
    "Rh": "Rhodium",
    "PGE": "Platinum-group elements",
    "Sr": "Strontium",
    "Zr": "Zirconium",
    "As": "Arsenic",
    "Cd": "Cadmium",
    "Hg": "Mercury",
}

#: Words in text that name a commodity, lower-case, mapped to its symbol.
COMMODITY_WORDS: dict[str, str] = {
    "rare earth": "REE",
    "rare-earth": "REE",
    "rare earths": "REE",
    "lanthanide": "REE",
    "lanthanides": "REE",
    "рзм": "REE",
    "редкоземельн": "REE",
    "lithium": "Li",
    "литий": "Li",
    "лития": "Li",
    "tungsten": "W",
    "вольфрам": "W",
    "molybdenum": "Mo",
    "молибден": "Mo",
    "copper": "Cu",
    "медь": "Cu",
    "меди": "Cu",
    "gold": "Au",
    "золото": "Au",
    "золота": "Au",
    "silver": "Ag",
    "iron ore": "Fe",
    "iron": "Fe",
    "steel": "Fe",
    "nickel": "Ni",
    "gallium": "Ga",
    "indium": "In",
    "beryllium": "Be",
    "tantalum": "Ta",
    "niobium": "Nb",
    "scandium": "Sc",
    "titanium": "Ti",
    "rhenium": "Re",
    "osmium": "Os",
    "bismuth": "Bi",
    "antimony": "Sb",
    "selenium": "Se",
    "tellurium": "Te",
    "cerium": "Ce",
    "lanthanum": "La",
    "yttrium": "Y",
    "zinc": "Zn",
    "lead": "Pb",
    "tin": "Sn",
    "cobalt": "Co",
    "chromium": "Cr",
    "chromite": "Cr",
    "manganese": "Mn",
    "aluminium": "Al",
    "aluminum": "Al",
    "bauxite": "Al",
    "uranium": "U",
    "vanadium": "V",
    "coal": "C",
}

#: Russian commodity words by their dictionary form (pymorphy3's normal form), nouns and the adjectives
#: made from them, mapped to the symbol: "бокситового месторождения", "медных руд", "урановых рудников"
#: are read through :func:`~geo.morphology.russian_normal_form`, so every case and number is one entry.
RUSSIAN_COMMODITY_LEMMAS: dict[str, str] = {
    "боксит": "Al",
    "бокситовый": "Al",
    "алюминий": "Al",
    "алюминиевый": "Al",
    "медь": "Cu",
    "медный": "Cu",
    "меднорудный": "Cu",
    "золото": "Au",
    "золотой": "Au",
    "золоторудный": "Au",
    "серебро": "Ag",
    "серебряный": "Ag",
    "уран": "U",
    "урановый": "U",
    "вольфрам": "W",
    "вольфрамовый": "W",
    "молибден": "Mo",
    "молибденовый": "Mo",
    "свинец": "Pb",
    "свинцовый": "Pb",
    "цинк": "Zn",
    "цинковый": "Zn",
    "олово": "Sn",
    "оловянный": "Sn",
    "железо": "Fe",
    "железный": "Fe",
    "железорудный": "Fe",
    "хром": "Cr",
    "хромит": "Cr",
    "хромитовый": "Cr",
    "хромовый": "Cr",
    "марганец": "Mn",
    "марганцевый": "Mn",
    "никель": "Ni",
    "никелевый": "Ni",
    "кобальт": "Co",
    "кобальтовый": "Co",
    "ванадий": "V",
    "ванадиевый": "V",
    "литий": "Li",
    "литиевый": "Li",
    "бериллий": "Be",
    "бериллиевый": "Be",
    "тантал": "Ta",
    "танталовый": "Ta",
    "галлий": "Ga",
    "редкоземельный": "REE",
    "фосфорит": "P",
    "фосфоритовый": "P",
    "барит": "Ba",
    "баритовый": "Ba",
    "уголь": "C",
    "угольный": "C",
}

#: The 20 first-level units of Kazakhstan (since 2022), named as in ``regions.geojson``.
REGIONS: tuple[str, ...] = (
    "Abai Region",
    "Akmola Region",
    "Aktobe Region",
    "Almaty Region",
    "Atyrau Region",
    "East Kazakhstan Region",
    "Jambyl Region",
    "Jetisu Region",
    "Karaganda Region",
    "Kostanay Region",
    "Kyzylorda Region",
    "Mangystau Region",
    "North Kazakhstan Region",
    "Pavlodar Region",
    "Turkistan Region",
    "Ulytau Region",
    "West Kazakhstan Region",
    "Astana",
    "Almaty",
    "Shymkent",
)

#: Other spellings of each region (English variants, Kazakh and Russian forms).
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "Abai Region": ("Abay Region", "Abai", "Abay", "Абайская область", "Абай облысы"),
    "Akmola Region": ("Akmola", "Aqmola", "Акмолинская область", "Ақмола облысы"),
    "Aktobe Region": ("Aktobe", "Aqtobe", "Aktyubinsk", "Актюбинская область", "Ақтөбе облысы"),
    "Almaty Region": ("Almaty oblast", "Алматинская область", "Алматы облысы"),
    "Atyrau Region": ("Atyrau", "Атырауская область", "Атырау облысы"),
    "East Kazakhstan Region": (
        "East Kazakhstan",
        "Shygys Kazakhstan",
        "Восточно-Казахстанская область",
        "Шығыс Қазақстан облысы",
    ),
    "Jambyl Region": ("Zhambyl Region", "Zhambyl", "Jambyl", "Жамбылская область", "Жамбыл облысы"),
    "Jetisu Region": ("Zhetysu Region", "Zhetisu Region", "Jetisu", "Zhetysu", "Жетысуская область", "Жетісу облысы"),
    "Karaganda Region": (
        "Karagandy Region",
        "Qaraghandy Region",
        "Karaganda oblast",
        "Карагандинская область",
        "Қарағанды облысы",
    ),
    "Kostanay Region": ("Kostanai Region", "Qostanay Region", "Kostanay", "Костанайская область", "Қостанай облысы"),
    "Kyzylorda Region": ("Qyzylorda Region", "Kyzylorda", "Кызылординская область", "Қызылорда облысы"),
    "Mangystau Region": (
        "Mangistau Region",
        "Mangystau",
        "Mangistau",
        "Mangyshlak",
        "Мангистауская область",
        "Мангышлак",
        "Мангышлакская область",
        "Маңғыстау облысы",
    ),
    "North Kazakhstan Region": (
        "North Kazakhstan",
        "Soltustik Kazakhstan",
        "Северо-Казахстанская область",
        "Солтүстік Қазақстан облысы",
    ),
    "Pavlodar Region": ("Pavlodar oblast", "Павлодарская область", "Павлодар облысы"),
    "Turkistan Region": ("Turkestan Region", "South Kazakhstan Region", "Туркестанская область", "Түркістан облысы"),
    "Ulytau Region": ("Ulytau", "Улытауская область", "Ұлытау облысы"),
    "West Kazakhstan Region": (
        "West Kazakhstan",
        "Batys Kazakhstan",
        "Западно-Казахстанская область",
        "Батыс Қазақстан облысы",
    ),
    "Astana": ("Nur-Sultan", "Akmola city", "Астана", "Нур-Султан"),
    "Almaty": ("Almaty city", "Alma-Ata", "Алматы", "Алма-Ата"),
    "Shymkent": ("Chimkent", "Шымкент", "Чимкент"),
}

#: Names of regions that no longer exist, for today's region that holds their sites: text written
#: before a reform names the old unit ("Shymkent Oblast", renamed South Kazakhstan in 1992 and
#: Turkistan in 2018; Semipalatinsk, merged into East Kazakhstan in 1997 and now Abai; Zhezkazgan,
#: merged into Karaganda in 1997 and now Ulytau; Taldykorgan, merged into Almaty in 2001 and now Jetisu).
#: Unlike ``REGION_ALIASES`` they are read only in full, with the region word: "Shymkent" alone is the city.
FORMER_REGION_NAMES: dict[str, tuple[str, ...]] = {
    "Turkistan Region": (
        "Shymkent Oblast",
        "Shymkent Region",
        "Chimkent Oblast",
        "Chimkent Region",
        "South Kazakhstan Oblast",
        "South-Kazakhstan Region",
        "Южно-Казахстанская область",
        "Чимкентская область",
        "Шымкентская область",
        "Оңтүстік Қазақстан облысы",
    ),
    "Abai Region": ("Semipalatinsk Oblast", "Semipalatinsk Region", "Semey Region", "Семипалатинская область"),
    "Ulytau Region": (
        "Zhezkazgan Oblast",
        "Zhezkazgan Region",
        "Dzhezkazgan Oblast",
        "Dzhezkazgan Region",
        "Jezkazgan Region",
        "Джезказганская область",
        "Жезказганская область",
    ),
    "Jetisu Region": (
        "Taldykorgan Oblast",
        "Taldykorgan Region",
        "Taldy-Kurgan Oblast",
        "Taldy-Kurgan Region",
        "Талдыкорганская область",
        "Талды-Курганская область",
    ),
}

#: Columns of ``data/sites.csv``, the curated site registry, in order.
REGISTRY_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "aliases",
    "kind",
    "commodities",
    "operator",
    "status",
    "region",
    "lat",
    "lon",
    "precision",
    "uncertainty_km",
    "location_source",
    "location_note",
    "info_source",
    "descriptions",
)

#: Properties of every feature in ``sites.geojson``, in order.
SITE_PROPERTIES: tuple[str, ...] = (
    "id",
    "name",
    "aliases",
    "kind",
    "commodities",
    "status",
    "operator",
    "region",
    "location_precision",
    "uncertainty_km",
    "location_source",
    "location_note",
    "info_source",
    "origin",
    "confidence",
    "sources",
    "datasets",
    "records",
    "value_sources",
    "flags",
    "region_history",
    "facts",
)

#: Fields of one fact (in ``sites.geojson`` and in ``facts.csv``), in order.
FACT_FIELDS: tuple[str, ...] = (
    "site_id",
    "kind",
    "label",
    "value",
    "unit",
    "text",
    "document",
    "item",
    "published",
    "sentence",
)

#: Layer files written by ``python -m geo build``.
LAYER_FILES: tuple[str, ...] = (
    "sites.geojson",
    "regions.geojson",
    "survey_areas.geojson",
    "facts.csv",
    "stats.json",
    "site_records.csv",
)

#: Where a site can be known from (the ``datasets`` property): the curated registry, the news, each open dataset.
DATASETS: dict[str, str] = {
    "registry": "Curated registry",
    "news": "News articles",
    "usgs": "USGS mineral deposit databases",
    "icmm": "ICMM Global Mining Dataset 2025",
    "gem-gist": "GEM Global Iron and Steel Tracker",
    "gem-giomt": "GEM Global Iron Ore Mines Tracker",
    "gem-gcmt": "GEM Global Coal Mine Tracker",
}

#: URL query parameters of the app; several values are comma-separated.
QUERY_PARAMS: tuple[str, ...] = (
    "region",
    "commodity",
    "kind",
    "status",
    "source",
    "record_kind",
    "q",
    "since",
    "until",
    "site",
)

#: URL query parameters of the map's view: ``center`` (``lat,lon``), ``zoom`` and ``basemap``
#: (a key of ``mapview.BASEMAPS``). The map writes them itself, so panning never reruns the app.
VIEW_PARAMS: tuple[str, ...] = ("center", "zoom", "basemap")

#: Kazakhstan's official area, km² (the 20 regions must sum to it within 0.5 %).
KAZAKHSTAN_AREA_KM2 = 2_724_900.0

#: A generous bounding box of Kazakhstan (lon_min, lat_min, lon_max, lat_max).
KAZAKHSTAN_BOUNDS: tuple[float, float, float, float] = (46.4, 40.5, 87.4, 55.5)
