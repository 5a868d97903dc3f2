"""The overlap finder on texts: seed 003's measures, bokmål and nynorsk, stop words, boilerplate, edge cases.

No database: the finder reads `MeasureText`s. Seed 003's measures come from the demo's copy of the
seed as the project's importer read it (lokalkomp/demo/data/ytre_helgeland_2024.json).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from lokalkomp.allocation.overlap import THRESHOLD, MeasureText, OverlapIndex, find_overlaps
from lokalkomp.allocation.overlap.text import DATA, STOP_WORDS, read_variants, term_id
from lokalkomp.needs.models import Measure
from lokalkomp.needs.models.report import LONG_TEXT

SEED_003 = Path(__file__).resolve().parents[2] / "demo" / "data" / "ytre_helgeland_2024.json"


def seed_003() -> list[MeasureText]:
    """Seed 003's measures 1–8 (Ytre Helgeland, 2024), with the texts the importer read, in the form's order."""
    data = json.loads(SEED_003.read_text(encoding="utf-8"))
    return [
        MeasureText(
            pk=number,
            year=2024,
            title=m.get("name", ""),
            text="\n".join(m.get(field, "") for field in Measure.NARRATIVE_FIELDS),
            partnership="God opplæring for alle",
            partnership_id=3,
        )
        for number, m in enumerate(data["measures"], start=1)
    ]


def measure(pk: int, title: str, text: str = "", partnership: int | None = None, year: int = 2027) -> MeasureText:
    return MeasureText(
        pk=pk, year=year, title=title, text=text, partnership_id=partnership if partnership is not None else pk
    )


# Other partnerships' measures on other topics, so that the weights have a round to be weighed in.
OTHERS = [
    measure(101, "Matematikk på mellomtrinnet", "Lærerne prøver ut utforskende matematikkundervisning."),
    measure(102, "Klasseledelse og læringsmiljø", "Ledere og lærere arbeider med relasjoner og struktur i klassen."),
    measure(103, "Digital kompetanse for ansatte", "Kurs i bruk av digitale verktøy i undervisningen."),
    measure(104, "Overgangen fra barnehage til skole", "Rutiner for samarbeid mellom barnehage og skole."),
    measure(105, "Kvalitet i SFO", "Ansatte i SFO utvikler leik og aktivitetstilbudet."),
]


def pks(matches) -> list[int]:
    return [m.measure.pk for m in matches]


def test_seed_003s_two_language_networks_find_each_other_as_their_closest_match():
    found = find_overlaps(seed_003())
    two, three = found[2], found[3]
    assert two[0].measure.pk == 3 and three[0].measure.pk == 2
    assert two[0].score == three[0].score >= 80
    assert {"nettverk", "språk", "lesing", "skriving", "tverrkommunalt"} <= set(two[0].shared_words)
    assert two[0].same_partnership  # both are Ytre Helgeland's: shown, and marked


def test_seed_003s_pedagogical_analysis_does_not_match_the_language_networks():
    """«Pedagogisk analyse» (measure 5) is about a tool for analysing a school's own practice, not language.

    It is the closest of the unrelated measures to the networks: like them it is Ytre Helgeland's,
    with the same partners (SePU, HINN), the same words about collective processes and leaders, and
    the same pasted paragraph about teacher education (left out as the partnership's boilerplate).
    The survey (1) and the coordinator (8) are further off and must not match either.
    """
    index = OverlapIndex(seed_003())
    assert index.similarity(5, 2) < THRESHOLD and index.similarity(5, 3) < THRESHOLD
    found = find_overlaps(seed_003())
    assert not {1, 5, 8} & set(pks(found[2]) + pks(found[3]))
    assert not {2, 3} & set(pks(found[5]))


def test_seed_003s_networks_find_each_other_in_a_round_with_other_partnerships_and_last_year():
    last_year = [measure(200 + m.pk, m.title, m.text, partnership=9, year=2023) for m in OTHERS]
    found = find_overlaps(seed_003(), among=[*seed_003(), *OTHERS, *last_year])
    assert pks(found[2])[0] == 3 and pks(found[3])[0] == 2
    assert 5 not in pks(found[2]) + pks(found[3])


def test_a_paragraph_a_partnership_pastes_into_most_of_its_measures_makes_no_match():
    pasted = "Høgskolen bruker erfaringene fra partnerskapet i undervisningen i lærerutdanningen og på mastertorget."
    own = [
        measure(1, "Matematikk i barnehagen", pasted, partnership=7),
        measure(2, "Lesing på småtrinnet", pasted, partnership=7),
        measure(3, "Klasseledelse", pasted, partnership=7),
    ]
    found = find_overlaps([*own, *OTHERS], threshold=0.0)
    assert all(not {1, 2, 3} & set(pks(found[m.pk])) for m in own)
    twice = find_overlaps([own[0], own[1], *OTHERS])  # in two of them it is no boilerplate, and it counts
    assert pks(twice[1])[0] == 2 and pks(twice[2])[0] == 1


def test_bokmål_and_nynorsk_forms_of_a_topic_find_each_other():
    language = [
        measure(1, "Språkutvikling"),
        measure(2, "Språkutvikling i barnehagen"),
        measure(3, "Språkutvikling i barnehagane"),
    ]
    found = find_overlaps([*language, *OTHERS])
    assert set(pks(found[1])) == {2, 3}
    assert pks(found[2])[0] == 3 and found[2][0].score == 100  # «barnehagen» and «barnehagane»: one stem
    assert set(found[3][0].shared_words) == {"barnehagane", "språkutvikling"}  # as the nynorsk measure wrote them
    assert set(found[2][0].shared_words) == {"barnehagen", "språkutvikling"}


def test_nynorsk_words_count_as_their_bokmål_twins_also_in_compounds():
    found = find_overlaps(
        [
            measure(1, "Leiarutvikling for skuleleiarar", "Lærarane på skulen får rettleiing."),
            measure(2, "Lederutvikling for skoleledere", "Lærerne på skolen får veiledning."),
            *OTHERS,
        ]
    )
    assert pks(found[1])[0] == 2
    assert {"leiarutvikling", "skulen"} <= set(found[1][0].shared_words)


def test_every_line_of_the_variants_list_gives_its_two_words_one_term():
    for word, twin in read_variants(DATA / "variants.txt"):
        if word.endswith("-"):  # a compound's first part: try it on a compound
            word, twin = word[:-1] + "utvikling", twin[:-1] + "utvikling"
        assert term_id(word) == term_id(twin), (word, twin)


def test_stop_words_of_both_standards_are_no_words():
    for word in ("og", "ikkje", "korleis", "frå", "berre", "òg", "hvordan", "også", "bl"):
        assert word in STOP_WORDS
    found = find_overlaps(
        [
            measure(1, "Korleis og kvifor: det som er i og på", "Det er ikkje slik at vi og dei er her."),
            measure(2, "Hvordan og hvorfor: det som er i og på", "Det er ikke slik at vi og de er her."),
        ],
        threshold=0.0,
    )
    assert found == {1: [], 2: []}  # nothing but stop words: nothing to match on
    shared = find_overlaps([measure(1, "Lesing i barnehagen"), measure(2, "Lesing og skriving i barnehagen")])
    assert set(shared[1][0].shared_words) == {"lesing", "barnehagen"}


def test_empty_texts_find_nothing_and_are_found_by_nothing():
    found = find_overlaps([measure(1, ""), measure(2, "", "   \n\n"), measure(3, "Lesing"), measure(4, "Lesing")])
    assert found[1] == found[2] == []
    assert pks(found[3]) == [4]
    assert find_overlaps([]) == {}


def test_a_measure_is_never_its_own_match_and_a_pk_given_twice_counts_once():
    same = measure(1, "Lesing i barnehagen")
    found = find_overlaps([same, same], among=[same, measure(2, "Lesing i barnehagen")], threshold=0.0)
    assert pks(found[1]) == [2]


def test_matches_in_the_same_partnership_are_kept_and_marked():
    found = find_overlaps(
        [
            measure(1, "Lesing i barnehagen", partnership=5),
            measure(2, "Lesing i barnehagane", partnership=5),
            measure(3, "Lesing i barnehager", partnership=6),
        ]
    )
    marks = {m.measure.pk: m.same_partnership for m in found[1]}
    assert marks == {2: True, 3: False}


def test_among_is_where_matches_come_from_and_top_and_threshold_hold():
    pool = [measure(10 + k, f"Lesing og skriving {word}") for k, word in enumerate(("i barnehagen", "på skolen"))]
    asked = [measure(1, "Lesing og skriving")]
    found = find_overlaps(asked, among=pool)
    assert set(pks(found[1])) == {10, 11}
    assert len(find_overlaps(asked, among=pool, top=1)[1]) == 1
    assert find_overlaps(asked, among=pool, threshold=1.0)[1] == []
    scores = [m.score for m in found[1]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)


def test_a_look_up_that_reads_only_part_of_the_index_gives_the_exact_score_of_what_it_finds():
    texts = [*seed_003(), *OTHERS]
    exact = OverlapIndex(texts, max_postings=10**6, probe_terms=10**6)
    rough = OverlapIndex(texts, max_postings=1, probe_terms=2, candidates=3)
    for t in texts:
        full = {m.measure.pk: m.score for m in exact.matches(t.pk, top=20, threshold=0.0)}
        for m in rough.matches(t.pk, threshold=0.0):
            assert m.score == full[m.measure.pk]
    assert pks(rough.matches(2))[0] == 3


def test_a_text_as_long_as_the_form_allows_is_compared_like_any_other():
    """Its speed is bench/overlap.py's to measure (a timed test fails on a loaded machine); here, that it works."""
    rng = random.Random(3)
    vocabulary = sorted({w for m in seed_003() for w in m.text.split()})
    fields = [" ".join(rng.choice(vocabulary) for _ in range(LONG_TEXT // 8))[:LONG_TEXT] for _ in range(9)]
    huge = measure(1, "Lesing og skriving " * 15, "\n".join(fields))
    texts = [huge, *seed_003(), *OTHERS]
    found = find_overlaps(texts)
    assert len(huge.text) > 8 * LONG_TEXT and all(len(v) <= 5 for v in found.values())
    assert set(found) == {t.pk for t in texts}


@pytest.mark.parametrize("text", ["\x00\x00", "1234 5678 – 90", "…!? – " * 2000, "a b c d e f"])
def test_text_without_words_gives_no_match_and_no_error(text):
    assert find_overlaps([measure(1, text, text), measure(2, text, text)]) == {1: [], 2: []}
