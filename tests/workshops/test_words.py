"""Word normalisation, frequencies, shared words and the cloud layout."""

from types import SimpleNamespace

from debate.workshops import words


def test_normalise_merges_case_accents_and_spaces():
    assert words.normalise("  VIE   PRIVÉE ! ") == "vie privee"
    assert words.normalise("Vie privée") == words.normalise("vie privee") == "vie privee"


def test_frequencies_merge_spellings_and_show_the_most_frequent_one():
    entries = words.frequencies(
        ["Vie privée", "vie privee", "VIE PRIVÉE", "santé", "Santé", "Santé", "ondes"]
    )
    assert [(e.label, e.count) for e in entries] == [("Santé", 3), ("Vie privée", 3), ("ondes", 1)]


def test_words_of_ignores_french_stop_words_and_elisions():
    assert words.words_of("L'antenne est près de l'école et des habitants") == [
        "antenne",
        "pres",
        "ecole",
        "habitants",
    ]


def test_shared_across_groups_uses_normalised_words_without_stop_words():
    notes = [
        SimpleNamespace(group="A", text="Les opérateurs et la santé"),
        SimpleNamespace(group="B", text="Des OPERATEURS absents"),
        SimpleNamespace(group="C", text="La santé d'abord, les opérateurs"),
        SimpleNamespace(group="", text="santé sans groupe"),
    ]
    shared = words.shared_across_groups(notes)
    assert [(s["word"], s["groups"]) for s in shared] == [
        ("operateurs", ["A", "B", "C"]),
        ("sante", ["A", "C"]),
    ]
    assert shared[0]["label"] == "opérateurs"


def test_cloud_layout_is_deterministic_sized_by_frequency_and_within_the_view_box():
    entries = words.frequencies(["débit"] * 5 + ["ondes"] * 2 + [f"mot{i}" for i in range(40)])
    first, second = words.cloud_layout(entries), words.cloud_layout(entries)
    assert first == second
    sizes = {w.label: w.size for w in first.words}
    assert sizes["débit"] > sizes["ondes"] > sizes["mot1"]
    assert all(0 <= w.x <= first.width and 0 < w.y <= first.height for w in first.words)
    assert len({w.y for w in first.words}) > 1  # rows wrap
