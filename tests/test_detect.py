import pytest

from geo.detect import detect_sites
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
