import pytest

from geo.morphology import is_russian_adjective, kazakh_stem, russian_gender, russian_lemma


@pytest.mark.parametrize(
    ("word", "gender", "lemma"),
    [
        ("Восточно-Кызылтасского", "neut", "Восточно-Кызылтасское"),
        ("Ушбулакском", "masc", "Ушбулакский"),
        ("Ушбулакской", "femn", "Ушбулакская"),
        ("УШБУЛАКСКОЕ", "neut", "Ушбулакское"),
        ("Кызылтас", "neut", "Кызылтас"),
        ("Берёзовский", "neut", "Берёзовский"),
        ("Озёрная", "neut", "Озёрная"),
        ("Tobol", "neut", "Tobol"),
    ],
)
def test_russian_adjectival_names_come_back_in_the_nominative(word, gender, lemma):
    assert russian_lemma(word, gender) == lemma


def test_the_gender_of_a_site_word_in_any_case():
    assert [russian_gender(w) for w in ("месторождением", "рудника", "шахте", "заводу")] == [
        "neut",
        "masc",
        "femn",
        "masc",
    ]


def test_only_adjectives_are_adjectives():
    assert is_russian_adjective("Ушбулакского")
    assert not is_russian_adjective("Освоение")


@pytest.mark.parametrize(
    ("word", "stem"),
    [("Ушбулакта", "Ушбулак"), ("Кызылтастан", "Кызылтас"), ("Тасқораның", "Тасқора"), ("Текелі", "Текелі")],
)
def test_kazakh_case_endings_come_off_and_names_stay_whole(word, stem):
    assert kazakh_stem(word) == stem
