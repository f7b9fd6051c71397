import pytest

from geo.detect import Candidate, adjective_base_key, detect_sites, read_sites
from geo.names import merge_key
from geo.sources import Document


def doc(*sentences: str, name: str = "a.txt") -> Document:
    return Document(name, 1, "", "", None, "", tuple(sentences))


def names(*sentences: str, known=()) -> list[str]:
    return [d.name for d in detect_sites([doc(*sentences)], known)]


@pytest.mark.parametrize(
    ("sentence", "expected", "kind"),
    [
        ("Work resumed at the Koktenkol deposit last year.", "Koktenkol", "deposit"),
        ("Bakyrchik gold mine produced more ore.", "Bakyrchik", "mine"),
        ("The Shokpar field holds gold and silver.", "Shokpar", "deposit"),
        ("The Balkhash copper smelter was modernised.", "Balkhash", "smelter"),
        ("Ore goes to the Zhezkazgan processing plant.", "Zhezkazgan", "plant"),
        ("Licences for deposit Akbeit were sold.", "Akbeit", "deposit"),
        ("Разведка месторождения Коктенколь продолжается.", "Коктенколь", "deposit"),
        ("Коктенкольское месторождение богато вольфрамом.", "Коктенкольское", "deposit"),
        ("The Ridder-Sokolnoye polymetallic deposit is old.", "Ridder-Sokolnoye", "deposit"),
    ],
)
def test_each_naming_pattern(sentence, expected, kind):
    (detection,) = detect_sites([doc(sentence)])
    assert (detection.name, detection.kind) == (expected, kind)


def test_a_list_before_a_plural_site_word():
    found = sorted(
        names("Pilot projects at the Karatas (copper), Zhosabai (gold), North Katpar, and Upper Kayrakty deposits.")
    )
    assert found == ["Karatas", "North Katpar", "Upper Kayrakty", "Zhosabai"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Kazakhstan to Develop Rare Earth Metals Deposit in Karaganda Region",
        "Kazakhmys Corporation mine output rose.",
        "Tau-Ken Samruk LLP plant opened.",
        "The Karaganda Region deposit list grew.",
        "The company owns the Bozymchak copper-gold mine in Kyrgyzstan.",
        "Industry data suggest the mine should average 170,000 tonnes.",
        "Few mines in the region are older.",
        "The North, South and East mines were closed.",
        "Kazakhstan will auction 50 deposits of gold in June.",
    ],
)
def test_false_friends_are_rejected(sentence):
    assert names(sentence) == []


def test_a_document_that_names_no_site_gives_nothing():
    assert names("The ministry said investment grew by 40% in 2024.", "Mining Week opens in Astana.") == []


def test_known_sites_are_not_new_even_inside_a_longer_name():
    known = ["Qarmet Karagandy metallurgical plant", "Kuirektykol"]
    sentence = "The expansion of the Qarmet Karagandy metallurgical plant and the Kuirektykol deposit continue."
    assert names(sentence, known=known) == []


def test_mentions_merge_across_documents_and_spellings():
    documents = [
        doc("Tungsten was found at the Upper Kairakty deposit.", name="a.txt"),
        doc("The Verkhnee Kairakty deposit is large.", name="b.txt"),
        doc("Разработка месторождения Верхнекайрактинское начнётся.", name="c.txt"),
    ]
    (detection,) = detect_sites(documents)
    assert detection.name == "Upper Kairakty"
    assert set(detection.aliases) == {"Verkhnee Kairakty", "Верхнекайрактинское"}
    assert detection.documents == ("a.txt", "b.txt", "c.txt")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Upper Kairakty", "Verkhnekayraktinskoye"),
        ("Koktenkol", "Коктенкольское"),
        ("Satpaev ore field", "Satpaev"),
        ("North Katpar", "Severny Katpar"),
    ],
)
def test_merge_key_joins_spellings(one, other):
    assert merge_key(one) == merge_key(other)


def test_merge_key_keeps_different_sites_apart():
    assert merge_key("North Katpar") != merge_key("South Katpar")
    assert merge_key("Aktogay") != merge_key("Aktobe")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The ministry lists four promising deposits: Alpha-Tau, Berezovskoye, Kyzyltas and Ushbulak.", 4),
        ("Current gold extraction sites include Alpha-Tau, Kyzyltas and North Ushbulak.", 3),
        ("Deposits in the Tobol ore field, 20 km to the south, include Kyzyltas, Ushbulak and Berezovskoye.", 4),
        ("Several copper fields, such as Kyzyltas and Ushbulak, are explored.", 2),
        ("Компания владеет тремя рудниками: Берёзовский, Кызылтасский и Ушбулакский.", 3),
        ("В регионе пять месторождений, среди них Кызылтас, Ушбулак и Берёзовское.", 3),
        ("На западе два месторождения – Кызылтас и Ушбулак.", 2),
        ("Разведка месторождений Кызылтас, Ушбулак и Берёзовское продолжается.", 3),
    ],
)
def test_lists_after_a_plural_site_word_or_a_count(sentence, expected):
    assert len(names(sentence)) == expected


def test_a_list_of_partners_is_no_list_of_sites():
    assert names("The agency runs 30 projects with partners such as Globex Mining and Acme Resources.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Бокситы добывают на Восточно-Кызылтасского бокситового месторождения.", "Восточно-Кызылтасское"),
        ("Работы идут на Ушбулакском месторождении.", "Ушбулакское"),
        ("Руду везут на Кызылтасский металлургический завод.", "Кызылтасский"),
        ("КЫЗЫЛТАССКОЕ МЕСТОРОЖДЕНИЕ", "Кызылтасское"),
        ("Добыча на руднике «Кызылтас» выросла.", "Кызылтас"),
        ("Ушбулак алтын кенішінде жұмыс жүріп жатыр.", "Ушбулак"),
        ("«Кызылтас» кені игеріледі.", "Кызылтас"),
        ("Тасқора учаскесінде барлау жүргізілді.", "Тасқора"),
        ("Work began at the Kyzyltas lead-zinc deposit.", "Kyzyltas"),
        ("Ore goes to the Tobol metallurgical plant.", "Tobol"),
        ("The Tobol Alumina Plant was upgraded.", "Tobol Alumina"),
        ('Miners reached the "Molodezhnaya" mine.', "Molodezhnaya"),
        ("The Kyzyltas graphite project is advancing.", "Kyzyltas"),
        ("The largest tin deposit, Ushbulak, is located in the east.", "Ushbulak"),
    ],
)
def test_inflected_quoted_and_described_names(sentence, expected):
    assert names(sentence) == [expected]


def test_a_word_that_only_looks_like_a_russian_adjective_is_no_name():
    assert names("Освоение месторождения начнётся в 2027 году.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Kyzyltas Mining LLP signed the deal for the deposit.",
        "The Ushbulak Mining Directorate mines uranium at two fields.",
        "ТОО «Кызылтас» получило лицензию на месторождение.",
        "Президент Kassym-Jomart Tokayev visited the mine.",
        "The company's Kumtor gold mine in Kyrgyzstan lost output.",
        "Месторождение Удокан в Забайкальском крае, в России, осваивается.",
    ],
)
def test_companies_persons_and_sites_abroad_are_rejected(sentence):
    assert names(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Open pit mining has been in progress since 2006.",
        "IOCG deposits - 70 papers",
        "Porphyry deposits are large and low grade.",
    ],
)
def test_a_kind_of_working_or_of_deposit_is_no_name(sentence):
    assert names(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Началось освоение месторождения золота в Чаткале (Зоргайская область).", []),
        ("Началось освоение месторождения золота в Чаткале (Зорг-Абадская область).", []),
        ("Геологи изучают месторождение Кухалы Жамбылской области.", ["Кухалы"]),
        ("Работы идут на месторождении Кухалы района Биржан сал.", ["Кухалы"]),
        ("The Quxaly District deposits grew.", []),
        ("Works at the Quxaly deposit in the Zorgan District grew.", ["Quxaly"]),
    ],
)
def test_a_word_for_an_administrative_unit_makes_the_name_before_it_the_units(sentence, expected):
    assert names(sentence) == expected


def test_a_name_written_with_a_foreign_country_is_abroad_throughout_the_document():
    sentences = ("QUXALY, Kyrgyzstan -- The Quxaly gold mine is high.", "The Quxaly site carves an edge in the hills.")
    assert names(*sentences) == []
    assert names(sentences[1]) == ["Quxaly"]


@pytest.mark.parametrize(
    "first",
    [
        "The Quxaly gold mine in Kyrgyzstan is high.",
        "Centerra's Quxaly, Kyrgyzstan, shipped gold.",
        "Рудник Quxaly в Кыргызстане работает.",
    ],
)
def test_a_site_written_with_its_country_is_abroad_in_the_next_sentence_too(first):
    assert names(first, "The Quxaly mine produced gold.") == []


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (
            "The Quxaly deposit ships concentrate to smelters in China.",
            "The Quxaly deposit lies near Balkhash.",
            "Quxaly",
        ),
        ("Output rose at Quxaly, Russia's ARMZ said.", "The Quxaly mine ships uranium.", "Quxaly"),
        ("Поставки угля Кухалы в Россию выросли.", "Месторождение Кухалы разрабатывается.", "Кухалы"),
    ],
)
def test_a_site_near_a_foreign_place_in_one_sentence_is_still_at_home_in_the_others(first, second, expected):
    assert names(first, second) == [expected]


def test_a_country_in_a_list_is_no_site():
    assert names("Рудник Кумтор, Кыргызстан.") == []


def test_a_regions_possessive_is_no_part_of_the_name():
    assert names("Karaganda Region's Quxaly deposit is large.") == ["Quxaly"]


def test_a_known_site_in_another_spelling_is_linked_not_new():
    reading = read_sites([doc("Drilling resumed at the Kyzyltash deposit.")], {"Kyzyltas": "kyzyltas"})
    assert reading.detections == []
    assert reading.links == {"kyzyltas": ("Kyzyltash",)}


def test_an_inflected_russian_name_is_linked_by_its_lemma():
    reading = read_sites([doc("Добыча на Ушбулакском месторождении растёт.")], {"Ушбулакское": "ushbulak"})
    assert reading.links == {"ushbulak": ("Ушбулакском",)}


def test_a_namesake_the_article_rules_out_is_read_as_a_new_site():
    reading = read_sites(
        [doc("Work began at the Kyzyltas deposit.")], {"Kyzyltas": "far-away"}, lambda _document, _site: False
    )
    assert [d.name for d in reading.detections] == ["Kyzyltas"]


def test_a_name_described_after_a_comma():
    assert names("Kyzyltas, a copper open pit about 70 km west of Ekibastuz, opened in 2016.") == ["Kyzyltas"]


def test_a_company_named_as_its_plant_is_the_plant():
    assert names("JSC Tobol Titanium and Magnesium Plant paid a dividend to its shareholders.") == [
        "Tobol Titanium and Magnesium"
    ]


def test_a_plural_site_word_after_descriptors_still_reads_the_name():
    assert names("A plant will be built on the basis of Kyzyltas iron ore deposits in the north.") == ["Kyzyltas"]


def test_an_organisation_before_a_comma_is_no_site():
    assert names("According to the Tobol Investment Fund, the project will focus on gold.") == []


def test_a_kazakh_genitive_name_is_read_without_its_case_ending():
    from geo.detect import detect_sites
    from geo.sources import Document

    document = Document("kk.md", 1, "", "", None, "", ("Жаңатасбайдың кен орнында барлау жүріп жатыр.",))
    assert [d.name for d in detect_sites([document])] == ["Жаңатасбай"]


def test_commodity_symbols_between_a_name_and_its_site_word_are_no_part_of_the_name():
    assert names("The Zorgan Cu deposits lie in the steppe.") == ["Zorgan"]
    assert names("Drilling continued at the Quxaly Au-Cu mine in May.") == ["Quxaly"]


def test_a_known_name_that_is_also_a_place_links_only_beside_a_site_word():
    """'Plumtown' is a town and the name of a known mine: the mine is meant only where the text says so."""
    documents = [
        doc("The Plumtown copper mine shipped its first concentrate.", name="a.txt"),
        doc("Officials met in Plumtown on Monday.", name="b.txt"),
    ]
    reading = read_sites(documents, {}, beside_site_word={"Plumtown": "plumtown-mine"})
    assert reading.detections == []
    assert reading.links == {"plumtown-mine": ("Plumtown copper mine",)}


def test_a_place_named_site_the_article_rules_out_is_read_as_a_new_site():
    reading = read_sites(
        [doc("The Plumtown copper mine shipped its first concentrate.")],
        {},
        lambda _document, _site: False,
        beside_site_word={"Plumtown": "plumtown-mine"},
    )
    assert [d.name for d in reading.detections] == ["Plumtown"] and reading.links == {}


def test_an_ore_body_is_a_site_and_a_bearing_before_it_is_no_part_of_its_name():
    assert names("The Zorgan ore body lies in the steppe.") == ["Zorgan"]
    assert names("Quxaly lies 20 km East of Zorgan ore body.") == ["Zorgan"]


def test_a_numbered_name_links_to_its_site_though_its_first_word_names_another():
    """'Zorgan-3' is the known Zorgan III, even though 'Zorgan' alone names another known site."""
    reading = read_sites(
        [doc("Ore from the Zorgan-3 deposit was tested.")], {"Zorgan": "zorgan", "Zorgan III": "zorgan-3"}
    )
    assert reading.detections == [] and reading.links == {"zorgan-3": ("Zorgan-3",)}


def test_a_nominative_name_in_a_list_keeps_its_own_gender():
    found = names("Учтены три месторождения, среди них Кызылтас, Берёзовский и Ушбулакское.")
    assert sorted(found) == ["Берёзовский", "Кызылтас", "Ушбулакское"]


def test_a_second_name_in_brackets_after_a_site_is_its_alias_not_a_site():
    (found,) = detect_sites([doc("Учтены месторождения, среди них Кызылтас (уч. Жарык), Ушбулак.")])[:1]
    assert (found.name, found.aliases) == ("Кызылтас", ("Жарык",))
    assert sorted(names("Учтены месторождения, среди них Кызылтас (уч. Жарык), Ушбулак.")) == ["Кызылтас", "Ушбулак"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("«Кызылтас Смелтинг» ЖШС жаңа пешті іске қосты.", "Кызылтас Смелтинг"),
        ("Tobol Refining LLP shipped its first cathodes.", "Tobol Refining"),
    ],
)
def test_a_company_named_as_its_works_is_the_works(sentence, expected):
    assert names(sentence) == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Облыста Кызылтас, Ушбулак және Жарык кен орындары бар.", ["Жарык", "Кызылтас", "Ушбулак"]),
        ("Тау өңірінде Кызылтас (Ақсай), Ушбулак аталған кен көздері кездеседі.", ["Кызылтас", "Ушбулак"]),
        ("Кызылтас, Ушбулак, Жарык тауының етегінде аталған кен көздері бар.", ["Кызылтас", "Ушбулак"]),
        ("Globex, Acme және Initech компаниялары жаңа кен орындарын іздейді.", []),
    ],
)
def test_a_kazakh_list_before_a_plural_site_word(sentence, expected):
    assert sorted(names(sentence)) == expected


def test_a_site_said_to_be_in_kazakhstan_is_not_abroad_though_a_site_abroad_is_named_before_it():
    sentence = "Руду обогатят на Забайкальском ГОКе, а затем отправят на Кызылтасский химический завод в Казахстане."
    assert names(sentence) == ["Кызылтасский"]


def test_a_list_after_a_plural_site_word_and_at_is_a_list_of_sites():
    found = names("The directorate works deposits at Quxaly, Foobar, Zorkol and Barkum in the south.")
    assert sorted(found) == ["Barkum", "Foobar", "Quxaly", "Zorkol"]
    assert names("Ore was found in deposits at depths of 300 m.") == []


def test_two_direction_words_sharing_one_name_are_two_sites():
    assert sorted(names("Deposits in the field include Foobar, East and West Quxal, and Zorkol.")) == [
        "East Quxal",
        "Foobar",
        "West Quxal",
        "Zorkol",
    ]
    assert sorted(names("The North and South Quxal deposits were drilled.")) == ["North Quxal", "South Quxal"]


def test_a_named_part_of_a_deposit_is_a_site_named_with_its_deposit():
    (deposit, part) = detect_sites([doc("Work went on at the Severny block of the Quxaly deposit in the south.")])
    assert (part.name, part.aliases, deposit.name) == ("Quxaly Severny", ("Severny block",), "Quxaly")
    assert names("The site of the Quxaly deposit was fenced.") == ["Quxaly"]


def test_a_russian_plant_named_by_an_adjective_links_to_the_site_named_after_its_base():
    plant = read_sites(
        [doc("Концентрат отправят на Зорбинский металлургический завод.")], beside_site_word={"Zorba": "z"}
    )
    assert plant.links == {"z": ("Зорбинский металлургический завод",)} and plant.detections == []
    known = read_sites([doc("Зорбинский металлургический завод работает.")], {"Zorba plant": "zp"})
    assert known.links == {"zp": ("Зорбинский",)}


def test_only_a_facility_s_adjective_is_read_as_made_from_a_base_name():
    plant = Candidate("Зорбинский", "plant", "d", "s", 0, "name-noun")
    assert adjective_base_key(plant) == "zorb"
    assert adjective_base_key(Candidate("Зорбинский", "deposit", "d", "s", 0, "name-noun")) == ""
    assert adjective_base_key(Candidate("Zorbin", "plant", "d", "s", 0, "name-noun")) == ""
