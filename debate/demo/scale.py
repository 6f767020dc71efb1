"""A large, realistic data set for load tests and benchmarks: `flask --app debate demo --scale N`.

N is the number of arguments. At N = 100 000 (the largest documented size): 20 debates, 100 000
arguments with 150 000 sources and 500 000 endorsements, 20 000 users, 2 000 recommendations,
200 workshops with 20 000 notes; smaller N scale every figure down in proportion (at least one
debate, one workshop). Each debate is on 5G in another town, in its arguments phase; about a
quarter of the arguments answer another one, and the first argument of each debate has exactly
200 answers (the "long thread" benchmarks read).

Rows go in with bulk INSERTs (`db.session.execute(insert(Model), rows)`) in batches and one commit
per debate, so memory stays flat and an interrupted run keeps whole debates. Counters
(endorsements, answers) are computed with the rows they count; full-text search stays consistent
because the search index is maintained by the database itself (SQLite triggers, PostgreSQL GIN
expression index). The random generator is seeded: the same N gives the same data.

This module sits above the domains (like demo.py): it may use them all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from debate.accounts.models import User
from debate.accounts.passwords import hash_password
from debate.arguments import search
from debate.arguments.models import Argument, ArgumentSource, ArgumentStatus, Endorsement
from debate.core import cache
from debate.core.sanitize import render_markdown
from debate.core.sources import normalize_url
from debate.debates import operations as debates
from debate.debates.models import Debate, Membership, Theme
from debate.debates.phases import PhaseKey, Role
from debate.demo.arguments import SOURCES as REAL_SOURCES
from debate.extensions import db
from debate.outcome.models import Recommendation, RecommendationLink, Response
from debate.workshops.models import AgendaItem, NoteKind, Workshop, WorkshopNote

LARGEST = 100_000
SLUG_PREFIX = "echelle-"
EMAIL_DOMAIN = "echelle.debat.example"
LONG_THREAD = 200
BATCH = 2000


@dataclass(frozen=True)
class Plan:
    """How many rows of each kind for N arguments (the documented proportions)."""

    arguments: int

    def _share(self, at_largest: int, minimum: int = 1) -> int:
        return max(minimum, round(at_largest * self.arguments / LARGEST))

    @property
    def debates(self) -> int:
        return self._share(20)

    @property
    def sources(self) -> int:
        return self._share(150_000, 0)

    @property
    def endorsements(self) -> int:
        return self._share(500_000, 0)

    @property
    def users(self) -> int:
        # Enough people for the long thread and for the most endorsed arguments.
        return self._share(20_000, LONG_THREAD + 10)

    @property
    def recommendations(self) -> int:
        return self._share(2_000, 0)

    @property
    def workshops(self) -> int:
        return self._share(200)

    @property
    def notes(self) -> int:
        return self._share(20_000, 0)

    def rows(self) -> int:
        """Rows to write, for the progress bar."""
        return (
            self.users
            + self.arguments
            + self.sources
            + self.endorsements
            + self.recommendations
            + self.workshops
            + self.notes
        )


# --- words to build realistic French text from ---------------------------------------------------

TOWNS = [
    "Villeneuve-sur-Lande",
    "Saint-Aubin-des-Prés",
    "Montferrand-le-Haut",
    "Port-Sauveur",
    "Les Clos-Verts",
    "Bellerive-sur-Oise",
    "Roche-Blanche",
    "Valmont-en-Forez",
    "Sainte-Marine-du-Lac",
    "Champfleury",
    "Beaulieu-les-Vignes",
    "Lauzerte-sur-Tarn",
    "Mirecourt-la-Plaine",
    "Castelnau-des-Bois",
    "Pont-de-Sèvre",
    "Fontaine-l'Abbé",
    "Rivesaltes-Haute",
    "Vauclair",
    "Saint-Hilaire-du-Rocher",
    "Marcilly-la-Source",
]
FIRST_NAMES = [
    "Léa",
    "Thomas",
    "Fatima",
    "Julien",
    "Nathalie",
    "Hugo",
    "Camille",
    "Karim",
    "Sophie",
    "Isabelle",
    "Marc",
    "Anne",
    "Inès",
    "Lucas",
    "Chloé",
    "Mehdi",
    "Manon",
    "Paul",
    "Sarah",
    "Antoine",
    "Yasmine",
    "Louis",
    "Emma",
    "Nicolas",
    "Aïcha",
    "Pierre",
    "Jeanne",
    "Samir",
    "Élodie",
    "Bruno",
]
LAST_NAMES = [
    "Martin",
    "Girard",
    "Haddad",
    "Moreau",
    "Perrin",
    "Lefèvre",
    "Roux",
    "Benali",
    "Lemaire",
    "Fontaine",
    "Delorme",
    "Vasseur",
    "Bernard",
    "Petit",
    "Durand",
    "Leroy",
    "Mercier",
    "Bonnet",
    "Garnier",
    "Chevalier",
    "Nguyen",
    "Da Silva",
    "Traoré",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Faure",
    "André",
    "Gautier",
]
# theme → claims, usable for, against or nuancing the question
CLAIMS = {
    "health": [
        "Les mesures d'exposition restent très inférieures aux valeurs limites",
        "Les effets à long terme de la bande 26 GHz ne sont pas encore connus",
        "Les personnes électrosensibles doivent être écoutées et accompagnées",
        "Publier les mesures de l'ANFR près des écoles rassurerait les parents",
        "Le principe de précaution justifie d'attendre les conclusions de l'ANSES",
        "L'exposition vient surtout du téléphone tenu contre soi, pas de l'antenne",
    ],
    "environment": [
        "Le renouvellement des smartphones pèse lourd dans l'empreinte carbone",
        "À trafic égal, la 5G consomme moins d'énergie par gigaoctet transmis",
        "L'effet rebond risque d'annuler les gains d'efficacité énergétique",
        "Éteindre les antennes la nuit dans les zones peu fréquentées économiserait de l'énergie",
        "La sobriété numérique doit accompagner tout nouveau déploiement",
    ],
    "sovereignty": [
        "Le contrôle des équipements de cœur de réseau relève de la sécurité nationale",
        "Les données des capteurs de la ville connectée doivent rester protégées",
        "Une filière européenne d'équipements réduirait notre dépendance",
        "La ville doit savoir qui exploite les données collectées sur son territoire",
    ],
    "economy": [
        "Les entreprises locales ont besoin d'un débit fiable pour rester compétitives",
        "Les hameaux attendent d'abord une bonne couverture 4G",
        "La mutualisation des antennes entre opérateurs réduit les coûts et les nuisances",
        "Le télétravail rend la connectivité essentielle pour les zones rurales",
        "Les petites communes risquent d'être servies en dernier",
    ],
}
BODY_SENTENCES = [
    "Le rapport cité le montre avec des chiffres précis.",
    "Nous demandons que la commune publie ces informations sur son site.",
    "Plusieurs habitantes et habitants du quartier ont posé la même question en réunion publique.",
    "Il faut distinguer les bandes de fréquences : 700 MHz, 3,5 GHz et 26 GHz n'ont pas les mêmes effets.",
    "La ville ne décide pas de l'emplacement des antennes, mais elle peut négocier une charte.",
    "Une carte publique des antennes et des mesures aiderait chacun à se faire une opinion.",
    "Les associations locales proposent d'organiser des mesures indépendantes.",
    "Le coût pour la collectivité doit être mis en regard du service rendu.",
    "Les écoles, les crèches et les établissements de santé méritent une attention particulière.",
    "Les opérateurs se sont engagés à partager certaines infrastructures.",
    "Ce point a été discuté lors de l'atelier du mois dernier, sans conclusion commune.",
    "Les avis des experts entendus divergent sur ce point, ce qui appelle de la prudence.",
]
ANSWER_TITLES = [
    "Je partage ce constat, et il faudrait aller plus loin",
    "Les chiffres cités ne disent pas tout",
    "C'est vrai en centre-ville, beaucoup moins dans les hameaux",
    "Attention à ne pas confondre exposition et risque",
    "La source citée date un peu : des mesures plus récentes existent",
    "Un exemple concret dans notre quartier va dans ce sens",
]
PRESS = [
    ("Ouest-France", "press"),
    ("Le Monde", "press"),
    ("La Dépêche", "press"),
    ("Le Parisien", "press"),
    ("Robin des Toits", "association"),
    ("Agir pour l'environnement", "association"),
    ("Fédération française des télécoms", "operator"),
    ("Orange", "operator"),
    ("Témoignage d'habitant", "testimony"),
]
WORDS = [
    "ondes",
    "santé",
    "vie privée",
    "progrès",
    "inquiétude",
    "débit",
    "télétravail",
    "antennes",
    "climat",
    "énergie",
    "sobriété",
    "innovation",
    "transparence",
    "souveraineté",
    "données",
    "fracture numérique",
    "choix",
    "écoles",
    "mesures",
    "confiance",
]
NOTES = {
    NoteKind.STICKY: [
        "Qui mesure les ondes près des écoles ?",
        "Une carte des antennes lisible par toutes et tous",
        "Le télétravail a besoin d'un bon débit",
        "Partager les antennes entre opérateurs",
    ],
    NoteKind.STRENGTH: ["Une couverture 4G déjà bonne dans le centre", "Des associations actives"],
    NoteKind.WEAKNESS: [
        "Peu d'information publique sur les mesures",
        "Des zones blanches dans les hameaux",
    ],
    NoteKind.OPPORTUNITY: [
        "Négocier une charte avec les opérateurs",
        "Des capteurs pour la sobriété énergétique",
    ],
    NoteKind.THREAT: [
        "Une défiance qui bloque la discussion",
        "Des données personnelles mal protégées",
    ],
    NoteKind.ACTION: [
        "Demander des mesures à l'ANFR avant l'été",
        "Recenser les zones blanches avec les habitants",
    ],
    NoteKind.REPORT_BACK: ["Toutes les tables demandent des mesures publiques et régulières."],
}
NOTE_MIX = [
    (NoteKind.ICEBREAKER_WORD, 30),
    (NoteKind.STICKY, 40),
    (NoteKind.STRENGTH, 5),
    (NoteKind.WEAKNESS, 5),
    (NoteKind.OPPORTUNITY, 5),
    (NoteKind.THREAT, 5),
    (NoteKind.ACTION, 5),
    (NoteKind.REPORT_BACK, 5),
]


# --- the generator -------------------------------------------------------------------------------


def already_generated() -> bool:
    """Whether scale data is present (the command is idempotent, like `demo`)."""
    return (
        db.session.scalar(sa.select(Debate.id).where(Debate.slug.like(SLUG_PREFIX + "%")).limit(1))
        is not None
    )


def _insert(model, rows: list[dict], advance, *, returning=None) -> list:
    """Bulk INSERT in batches; returns the generated ids in order when `returning` is a column."""
    ids: list = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        if returning is not None:
            statement = sa.insert(model).returning(returning, sort_by_parameter_order=True)
            ids.extend(db.session.scalars(statement, chunk).all())
        else:
            db.session.execute(sa.insert(model), chunk)
        advance(len(chunk))
    return ids


def _split(total: int, parts: int) -> list[int]:
    """`total` shared as evenly as possible into `parts`."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


class _Generator:
    def __init__(self, plan: Plan, advance, seed: int):
        self.plan = plan
        self.advance = advance
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.user_ids: list[int] = []

    def moment(self, days: int = 90) -> datetime:
        return self.now - timedelta(seconds=self.rng.randrange(days * 86400))

    # people ------------------------------------------------------------------------------------
    def users(self) -> None:
        password = hash_password(
            "Echelle-Charge-Test-2026"
        )  # one hash for all: hashing is slow on purpose
        rows = []
        for i in range(self.plan.users):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            rows.append(
                {
                    "email": f"personne{i + 1}@{EMAIL_DOMAIN}",
                    "display_name": f"{first} {last[0]}.",
                    "password_hash": password,
                    "is_admin": False,
                    "created_at": (created := self.moment(180)),
                    "email_confirmed_at": created,  # some get roles: only confirmed ones may
                }
            )
        self.user_ids = _insert(User, rows, self.advance, returning=User.id)
        db.session.commit()

    # debates -----------------------------------------------------------------------------------
    def debate(self, number: int, arguments: int, endorsements: int, sources: int) -> None:
        town = TOWNS[(number - 1) % len(TOWNS)]
        suffix = "" if number <= len(TOWNS) else f" ({number})"
        debate = debates.create_debate(
            {
                "slug": f"{SLUG_PREFIX}{number:02d}",
                "title": f"La 5G à {town}{suffix}",
                "municipality": town,
                "question": f"Faut-il accueillir de nouvelles antennes 5G à {town} ?",
                "description": f"{town} ouvre un débat public sur le déploiement de la 5G : **santé**, "
                "environnement, souveraineté et économie.",
                "template": "5g",
            }
        )
        debate.current_phase = PhaseKey.ARGUMENTS
        debate.settings = {**debate.settings, "pre_moderation": False}
        db.session.flush()
        roles = [Role.WORKING_GROUP, Role.WORKING_GROUP, Role.ELECTED, Role.GUARANTOR]
        members = self.rng.sample(self.user_ids, len(roles))
        db.session.execute(
            sa.insert(Membership),
            [
                {"debate_id": debate.id, "user_id": u, "role": r}
                for u, r in zip(members, roles, strict=True)
            ],
        )
        themes = [(t.id, t.key) for t in debate.themes if t.key in CLAIMS]
        self.arguments(debate, themes, arguments, endorsements, sources)
        db.session.commit()

    def _argument_row(self, debate, theme, *, parent=None, relation=None, n_sources=0):
        theme_id, key = theme
        if parent is None:
            title = self.rng.choice(CLAIMS[key])
            stance = self.rng.choices(["for", "against", "nuance"], [4, 4, 2])[0]
        else:
            title = self.rng.choice(ANSWER_TITLES)
            stance = (
                parent["stance"]
                if relation == "supports"
                else {"for": "against", "against": "for"}.get(parent["stance"], "nuance")
            )
        body = " ".join(self.rng.sample(BODY_SENTENCES, self.rng.randint(1, 4)))
        sources = [self._source() for _ in range(n_sources)]
        created = self.moment()
        status = (
            ArgumentStatus.PUBLISHED
            if self.rng.random() > 0.03 or parent is not None
            else (self.rng.choice([ArgumentStatus.PENDING, ArgumentStatus.HIDDEN]))
        )
        row = {
            "debate_id": debate.id,
            "theme_id": theme_id,
            "stance": stance,
            "title": title,
            "body": body,
            "body_html": render_markdown(body),
            "author_id": self.rng.choice(self.user_ids),
            "status": status,
            "parent_id": parent["id"] if parent else None,
            "root_id": (parent["root_id"] or parent["id"]) if parent else None,
            "relation": relation,
            "replies_count": 0,
            "endorsements_count": 0,
            "created_at": created,
            "updated_at": created,
            "search_text": search.search_text_for(title, body, sources),
        }
        return row, sources

    def _source(self) -> dict:
        if self.rng.random() < 0.6:
            url, title, publisher, published, kind, excerpt = self.rng.choice(
                list(REAL_SOURCES.values())
            )
            published_on = date.fromisoformat(published) if published else None
        else:
            publisher, kind = self.rng.choice(PRESS)
            number = self.rng.randrange(1_000_000)
            url = f"https://{'-'.join(search.words(publisher))}.example/5g/article-{number}"
            title = f"5G : {self.rng.choice(CLAIMS[self.rng.choice(list(CLAIMS))]).lower()}"
            published_on, excerpt = date(2020, 1, 1) + timedelta(days=self.rng.randrange(1500)), ""
        return {
            "url": url,
            "normalized_url": normalize_url(url),
            "title": title[:300],
            "publisher": publisher,
            "published_on": published_on,
            "kind": kind,
            "excerpt": excerpt,
        }

    def arguments(self, debate, themes, total: int, endorsements: int, sources: int) -> None:
        rng = self.rng
        long_thread = min(LONG_THREAD, max(0, total - 1))
        # A quarter of the rest answers another argument; the others are top-level.
        answers = (total - 1 - long_thread) // 4
        tops = total - long_thread - answers
        source_counts = self._spread(sources, total, cap=6)
        # Top-level arguments first (they carry the sources), then the answers to them.
        top_rows, top_sources = [], []
        for i in range(tops):
            row, cited = self._argument_row(
                debate, themes[i % len(themes)], n_sources=source_counts[i]
            )
            top_rows.append(row)
            top_sources.append(cited)
        top_ids = _insert(Argument, top_rows, self.advance, returning=Argument.id)
        for row, new_id in zip(top_rows, top_ids, strict=True):
            row["id"] = new_id
        published = [r for r in top_rows if r["status"] == ArgumentStatus.PUBLISHED]
        first = published[0] if published else top_rows[0]
        others = [r for r in published if r is not first] or top_rows
        parents = [first] * long_thread + [rng.choice(others) for _ in range(answers)]
        answer_rows, answer_sources = [], []
        for j, parent in enumerate(parents):
            relation = rng.choice(["supports", "objects"])
            theme = next(t for t in themes if t[0] == parent["theme_id"])
            row, cited = self._argument_row(
                debate, theme, parent=parent, relation=relation, n_sources=source_counts[tops + j]
            )
            answer_rows.append(row)
            answer_sources.append(cited)
            parent["replies_count"] += row["status"] == ArgumentStatus.PUBLISHED
        answer_ids = _insert(Argument, answer_rows, self.advance, returning=Argument.id)
        for row, new_id in zip(answer_rows, answer_ids, strict=True):
            row["id"] = new_id
        everything = top_rows + answer_rows
        # Sources: rows of their own, with the argument's id.
        source_rows = []
        for row, cited in zip(everything, top_sources + answer_sources, strict=True):
            for position, source in enumerate(cited):
                source_rows.append({"argument_id": row["id"], "position": position, **source})
        _insert(ArgumentSource, source_rows, self.advance)
        # Endorsements: a few arguments convince many people, most convince a few (Zipf-like).
        self._endorse(everything, endorsements)
        # Counters equal to the rows just written (answers and endorsements), in bulk.
        counters = [
            {
                "b_id": r["id"],
                "b_replies": r["replies_count"],
                "b_endorsements": r["endorsements_count"],
            }
            for r in everything
            if r["replies_count"] or r["endorsements_count"]
        ]
        statement = (
            sa.update(Argument.__table__)
            .where(Argument.__table__.c.id == sa.bindparam("b_id"))
            .values(
                replies_count=sa.bindparam("b_replies"),
                endorsements_count=sa.bindparam("b_endorsements"),
            )
        )
        for start in range(0, len(counters), BATCH):
            db.session.execute(statement, counters[start : start + BATCH])

    def _spread(self, total: int, slots: int, *, cap: int) -> list[int]:
        """`total` items over `slots`, at random, at most `cap` per slot."""
        counts = [0] * slots
        if slots == 0:
            return counts
        placed = 0
        while placed < min(total, slots * cap):
            i = self.rng.randrange(slots)
            if counts[i] < cap:
                counts[i] += 1
                placed += 1
        return counts

    def _endorse(self, rows: list[dict], total: int) -> None:
        published = [r for r in rows if r["status"] == ArgumentStatus.PUBLISHED]
        if not published or not total:
            return
        weights = [1 / (rank + 1) ** 0.9 for rank in range(len(published))]
        self.rng.shuffle(weights)
        scale = total / sum(weights)
        cap = len(self.user_ids) - 1
        wanted = [min(cap, int(w * scale)) for w in weights]
        # What rounding and the cap left out goes to arguments below the cap, at random.
        room = [i for i, count in enumerate(wanted) if count < cap]
        for _ in range(min(total - sum(wanted), len(room) * cap)):
            i = self.rng.choice(room)
            while wanted[i] >= cap:
                i = self.rng.choice(room)
            wanted[i] += 1
        batch: list[dict] = []
        for row, count in zip(published, wanted, strict=True):
            people = [
                u
                for u in self.rng.sample(self.user_ids, min(len(self.user_ids), count + 1))
                if u != row["author_id"]
            ][:count]
            row["endorsements_count"] = len(people)
            created = self.moment(60)
            batch.extend(
                {"argument_id": row["id"], "user_id": u, "created_at": created} for u in people
            )
            if len(batch) >= BATCH:
                _insert(Endorsement, batch, self.advance)
                batch = []
        _insert(Endorsement, batch, self.advance)

    # workshops ---------------------------------------------------------------------------------
    def workshops(self, debate_ids: list[int]) -> None:
        notes_per = _split(self.plan.notes, self.plan.workshops)
        themes = dict(
            db.session.execute(
                sa.select(Theme.debate_id, sa.func.min(Theme.id))
                .where(Theme.debate_id.in_(debate_ids))
                .group_by(Theme.debate_id)
            ).all()
        )
        kinds, weights = zip(*NOTE_MIX, strict=True)
        for w, notes in enumerate(notes_per):
            debate_id = debate_ids[w % len(debate_ids)]
            held = (self.now - timedelta(days=self.rng.randrange(120))).date()
            summary = "Atelier en sous-groupes : nuage de mots, post-it regroupés par thème, grilles AFOM."
            workshop = Workshop(
                debate_id=debate_id,
                title=f"Atelier citoyen n° {w + 1} sur la 5G",
                held_on=held,
                format=self.rng.choice(["online", "in_person"]),
                duration_minutes=120,
                participants_count=self.rng.randint(12, 60),
                facilitators="Camille Roux, Karim Benali",
                tools=["nuage de mots", "post-it"],
                summary=summary,
                summary_html=render_markdown(summary),
            )
            db.session.add(workshop)
            db.session.flush()
            workshop_id = workshop.id
            db.session.execute(
                sa.insert(AgendaItem),
                [
                    {
                        "workshop_id": workshop_id,
                        "position": 0,
                        "title": "Nuage de mots",
                        "duration_minutes": 15,
                        "mode": "plenary",
                    },
                    {
                        "workshop_id": workshop_id,
                        "position": 1,
                        "title": "Travail en sous-groupes",
                        "duration_minutes": 75,
                        "mode": "subgroups",
                    },
                    {
                        "workshop_id": workshop_id,
                        "position": 2,
                        "title": "Restitution",
                        "duration_minutes": 30,
                        "mode": "plenary",
                    },
                ],
            )
            self.advance(1)
            rows = []
            for _ in range(notes):
                kind = self.rng.choices(kinds, weights)[0]
                if kind == NoteKind.ICEBREAKER_WORD:
                    text, group, cluster = self.rng.choice(WORDS), "", ""
                else:
                    text = self.rng.choice(NOTES[kind])
                    group = f"Groupe {self.rng.choice('ABCD')}"
                    cluster = "Santé et exposition" if kind == NoteKind.STICKY else ""
                rows.append(
                    {
                        "workshop_id": workshop_id,
                        "kind": kind,
                        "group": group,
                        "cluster": cluster,
                        "text": text,
                        "theme_id": themes.get(debate_id) if kind == NoteKind.STICKY else None,
                        "created_at": self.moment(120),
                    }
                )
            _insert(WorkshopNote, rows, self.advance)
        db.session.commit()

    # recommendations ---------------------------------------------------------------------------
    def recommendations(self, debate_ids: list[int]) -> int:
        """Recommendations, each resting on three of the most endorsed arguments of its theme. The
        first debate is in its outcome phase: its recommendations are published, numbered, and
        half of them have the officials' response; the others' are drafts."""

        written = 0
        for index, (debate_id, count) in enumerate(
            zip(debate_ids, _split(self.plan.recommendations, len(debate_ids)), strict=True)
        ):
            published = index == 0
            if published:
                db.session.execute(
                    sa.update(Debate)
                    .where(Debate.id == debate_id)
                    .values(current_phase=PhaseKey.OUTCOME)
                )
            themes = db.session.execute(
                sa.select(Theme.id, Theme.key).where(
                    Theme.debate_id == debate_id, Theme.key.in_(list(CLAIMS))
                )
            ).all()
            top = {
                theme_id: db.session.scalars(
                    sa.select(Argument.id)
                    .where(
                        Argument.debate_id == debate_id,
                        Argument.theme_id == theme_id,
                        Argument.status == ArgumentStatus.PUBLISHED,
                    )
                    .order_by(Argument.endorsements_count.desc())
                    .limit(30)
                ).all()
                for theme_id, _key in themes
            }
            rows = []
            for number in range(1, count + 1):
                theme_id, key = themes[number % len(themes)]
                claim = self.rng.choice(CLAIMS[key])
                body = f"La commune s'engage à agir : {claim[0].lower()}{claim[1:]}."
                rationale = " ".join(self.rng.sample(BODY_SENTENCES, 2))
                moment = self.moment(30)
                rows.append(
                    {
                        "debate_id": debate_id,
                        "theme_id": theme_id,
                        "number": number if published else None,
                        "version": 1,
                        "status": "published" if published else "draft",
                        "title": f"Recommandation {number} : {claim}"[:200],
                        "body": body,
                        "body_html": render_markdown(body),
                        "rationale": rationale,
                        "rationale_html": render_markdown(rationale),
                        "dissent": "",
                        "dissent_html": "",
                        "origin": self.rng.choice(
                            ["working_group", "citizen_panel", "workshop", "citizens"]
                        ),
                        "competence": self.rng.choice(
                            ["municipal", "intercommunal", "state", "operators"]
                        ),
                        "consensus": self.rng.choice(["consensual", "majority", "divided"]),
                        "open_for_comments": False,
                        "author_id": self.rng.choice(self.user_ids),
                        "created_at": moment,
                        "updated_at": moment,
                        "published_at": moment if published else None,
                    }
                )
            ids = _insert(Recommendation, rows, self.advance, returning=Recommendation.id)
            links, responses = [], []
            for recommendation_id, row in zip(ids, rows, strict=True):
                candidates = top.get(row["theme_id"]) or []
                for position, argument_id in enumerate(
                    self.rng.sample(candidates, min(3, len(candidates)))
                ):
                    links.append(
                        {
                            "recommendation_id": recommendation_id,
                            "kind": "argument",
                            "position": position,
                            "argument_id": argument_id,
                        }
                    )
                if published and self.rng.random() < 0.5:
                    text = (
                        "La municipalité retient cette recommandation et en précise le calendrier."
                    )
                    responses.append(
                        {
                            "recommendation_id": recommendation_id,
                            "decision": self.rng.choice(
                                ["adopted", "partially_adopted", "rejected", "under_study"]
                            ),
                            "justification": text,
                            "justification_html": render_markdown(text),
                            "author_id": self.rng.choice(self.user_ids),
                            "published_at": self.now,
                            "updated_at": self.now,
                        }
                    )
            for start in range(0, len(links), BATCH):
                db.session.execute(sa.insert(RecommendationLink), links[start : start + BATCH])
            if responses:
                db.session.execute(sa.insert(Response), responses)
            written += len(ids)
            db.session.commit()
        return written


def generate(arguments: int, *, progress=None, echo=print, seed: int = 2026) -> dict:
    """Write the scale data set for `arguments` arguments; returns the counts written.

    `progress(n)` is called as rows are written (for a progress bar). Commits once per debate.
    """
    if arguments < 1:
        raise ValueError("the number of arguments must be positive")
    plan = Plan(arguments)
    advance = progress or (lambda n: None)
    generator = _Generator(plan, advance, seed)
    generator.users()
    per_debate = _split(plan.arguments, plan.debates)
    endorsements = _split(plan.endorsements, plan.debates)
    sources = _split(plan.sources, plan.debates)
    debate_ids = []
    for number in range(1, plan.debates + 1):
        generator.debate(
            number, per_debate[number - 1], endorsements[number - 1], sources[number - 1]
        )
        debate_ids.append(
            db.session.scalar(
                sa.select(Debate.id).where(Debate.slug == f"{SLUG_PREFIX}{number:02d}")
            )
        )
    generator.workshops(debate_ids)
    recommendations = generator.recommendations(debate_ids)
    # Every scale debate gets a cache generation, so its cached values are used from the start.
    for debate_id in debate_ids:
        cache.bump(debate_id)
    db.session.commit()
    return counts(recommendations=recommendations)


def counts(**extra) -> dict:
    """What the scale debates hold, counted in the database."""
    scale = sa.select(Debate.id).where(Debate.slug.like(SLUG_PREFIX + "%")).scalar_subquery()
    in_scale = Argument.debate_id.in_(scale)

    def n(query):
        return db.session.scalar(query)

    return {
        "debates": n(sa.select(sa.func.count()).where(Debate.slug.like(SLUG_PREFIX + "%"))),
        "arguments": n(sa.select(sa.func.count(Argument.id)).where(in_scale)),
        "sources": n(sa.select(sa.func.count(ArgumentSource.id)).join(Argument).where(in_scale)),
        "endorsements": n(sa.select(sa.func.count(Endorsement.id)).join(Argument).where(in_scale)),
        "users": n(sa.select(sa.func.count(User.id)).where(User.email.like(f"%@{EMAIL_DOMAIN}"))),
        "workshops": n(sa.select(sa.func.count(Workshop.id)).where(Workshop.debate_id.in_(scale))),
        "notes": n(
            sa.select(sa.func.count(WorkshopNote.id))
            .join(Workshop)
            .where(Workshop.debate_id.in_(scale))
        ),
        **extra,
    }
