"""Demo arguments for the main 5G debate: every theme and stance, real sources, answers, endorsements.

The main debate is open for arguments: these were written since the phase opened, through the same
operation as the pages, and published by the working group after review (the debate pre-moderates),
each decision citing the charter clause checked. The facts come from public reports (see shared/domain/5g-facts.md);
every sentence is written for this fictional town.
"""

from datetime import timedelta

from debate.arguments import operations
from debate.arguments.models import ArgumentStatus
from debate.demo.clock import backdate, daytime, decided, paris, spread
from debate.moderation import operations as moderation
from debate.positions import operations as position_operations

# key → (url, title, publisher, published_on, kind, excerpt)
SOURCES = {
    "anses2021": (
        "https://www.anses.fr/fr/content/deploiement-de-la-5g-en-france-pas-de-risques-nouveaux-pour-la-sante",
        "Exposition aux champs électromagnétiques liée au déploiement de la 5G (saisine 2019-SA-0006)",
        "ANSES",
        "2021-04-20",
        "public_agency",
        "Dans les bandes 700 MHz à 2,1 GHz, pas de risque nouveau ; à 3,5 GHz, risques peu probables ; "
        "à 26 GHz, données insuffisantes pour conclure.",
    ),
    "anfr2021": (
        "https://www.anfr.fr/publications/rapport-exposition-du-public-avant-et-apres-la-5g",
        "Exposition du public aux ondes avant et après l'activation de la 5G",
        "ANFR",
        "2021-12-14",
        "public_agency",
        "La bande 3,5 GHz ajoute en moyenne 0,11 V/m, pour une valeur limite de 61 V/m.",
    ),
    "circ2011": (
        "https://www.iarc.who.int/wp-content/uploads/2018/07/pr208_F.pdf",
        "Le CIRC classe les champs électromagnétiques de radiofréquences comme peut-être cancérogènes "
        "pour l'homme (communiqué n° 208)",
        "Centre international de recherche sur le cancer (OMS)",
        "2011-05-31",
        "scientific",
        "Classement 2B, sur la base d'indications limitées chez les gros utilisateurs de téléphones.",
    ),
    "abeille": (
        "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000030212642",
        "Loi n° 2015-136 du 9 février 2015 relative à la sobriété, à la transparence, à l'information "
        "et à la concertation en matière d'exposition aux ondes électromagnétiques",
        "Légifrance",
        "2015-02-09",
        "official_text",
        "",
    ),
    "decret2002": (
        "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000000226401",
        "Décret n° 2002-775 du 3 mai 2002 relatif aux valeurs limites d'exposition du public aux champs "
        "électromagnétiques",
        "Légifrance",
        "2002-05-03",
        "official_text",
        "",
    ),
    "anses_ehs": (
        "https://www.anses.fr/fr/content/hypersensibilite-electromagnetique-ehs",
        "Hypersensibilité électromagnétique ou intolérance environnementale idiopathique attribuée aux "
        "champs électromagnétiques : avis de l'ANSES",
        "ANSES",
        "2018-03-26",
        "public_agency",
        "",
    ),
    "hcc2020": (
        "https://www.hautconseilclimat.fr/publications/maitriser-limpact-carbone-de-la-5g/",
        "Maîtriser l'impact carbone de la 5G",
        "Haut Conseil pour le Climat",
        "2020-12-19",
        "public_agency",
        "Entre 2,7 et 6,7 MtCO2e supplémentaires par an en 2030, dont environ la moitié liée à la "
        "fabrication des terminaux.",
    ),
    "ademe2022": (
        "https://www.arcep.fr/actualites/actualites-et-communiques/detail/n/environnement-190122.html",
        "Évaluation de l'impact environnemental du numérique en France et analyse prospective",
        "ADEME et Arcep",
        "2022-01-19",
        "public_agency",
        "Les terminaux concentrent 65 à 90 % des impacts ; les réseaux environ 5 %.",
    ),
    "shift2021": (
        "https://theshiftproject.org/article/impact-environnemental-du-numerique-5g-nouvelle-etude-du-shift/",
        "Impact environnemental du numérique : tendances à 5 ans et gouvernance de la 5G",
        "The Shift Project",
        "2021-03-30",
        "association",
        "",
    ),
    "ccc2020": (
        "https://propositions.conventioncitoyennepourleclimat.fr/",
        "Les propositions de la Convention citoyenne pour le climat",
        "Convention citoyenne pour le climat",
        "2020-06-21",
        "other",
        "",
    ),
    "energie_bit": (
        "https://www.lci.fr/high-tech/5g-les-antennes-consomment-elles-plus-d-energie-2165889.html",
        "5G : les nouvelles antennes consomment-elles plus d'énergie ?",
        "LCI",
        "2020-09-16",
        "press",
        "",
    ),
    "academie2021": (
        "https://www.academie-sciences.fr/fr/Rapports-ouvrages-avis-et-recommandations-de-l-Academie/5g.html",
        "Rapport de l'Académie des sciences sur la 5G",
        "Académie des sciences",
        "2021-07-13",
        "scientific",
        "",
    ),
    "loi2019": (
        "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000038864094",
        "Loi n° 2019-810 du 1er août 2019 visant à préserver les intérêts de la défense et de la "
        "sécurité nationale dans le cadre de l'exploitation des réseaux radioélectriques mobiles",
        "Légifrance",
        "2019-08-01",
        "official_text",
        "",
    ),
    "cc2021": (
        "https://www.conseil-constitutionnel.fr/decision/2021/2020882QPC.htm",
        "Décision n° 2020-882 QPC du 5 février 2021, Société Bouygues Telecom et autres",
        "Conseil constitutionnel",
        "2021-02-05",
        "official_text",
        "",
    ),
    "ce2021": (
        "https://www.conseil-etat.fr/fr/arianeweb/CE/decision/2021-04-08/442120",
        "Décision n° 442120 du 8 avril 2021 sur le régime d'autorisation des équipements 5G",
        "Conseil d'État",
        "2021-04-08",
        "official_text",
        "",
    ),
    "toolbox": (
        "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:52020DC0050",
        "Déploiement sécurisé de la 5G dans l'UE : mise en œuvre de la boîte à outils, COM(2020) 50",
        "Commission européenne",
        "2020-01-29",
        "official_text",
        "",
    ),
    "ce_saint_denis": (
        "https://www.conseil-etat.fr/fr/arianeweb/CE/decision/2011-10-26/326492",
        "Décision d'Assemblée du 26 octobre 2011, Commune de Saint-Denis",
        "Conseil d'État",
        "2011-10-26",
        "official_text",
        "Le maire ne peut réglementer l'implantation des antennes relais : c'est une police spéciale de l'État.",
    ),
    "ce_dec2020": (
        "https://www.conseil-etat.fr/actualites/5g-le-conseil-d-etat-rejette-les-recours",
        "5G : le Conseil d'État rejette les recours contre l'attribution des fréquences",
        "Conseil d'État",
        "2020-12-31",
        "official_text",
        "",
    ),
    "arcep_enchere": (
        "https://www.arcep.fr/actualites/les-communiques-de-presse/detail/n/5g-021020.html",
        "Bande 3,4–3,8 GHz : résultats de la procédure d'attribution",
        "Arcep",
        "2020-10-02",
        "public_agency",
        "Montant total de 2,786 milliards d'euros pour les quatre opérateurs.",
    ),
    "arcep_obligations": (
        "https://www.arcep.fr/actualites/les-communiques-de-presse/detail/n/5g-211119.html",
        "Conditions d'attribution des fréquences 3,4–3,8 GHz : les obligations des opérateurs",
        "Arcep",
        "2019-11-21",
        "public_agency",
        "3 000 sites par opérateur en 2022, 8 000 en 2024, dont 25 % hors des grandes agglomérations.",
    ),
    "newdeal": (
        "https://www.arcep.fr/la-regulation/grands-dossiers-reseaux-mobiles/le-new-deal-mobile.html",
        "Le New Deal mobile",
        "Arcep",
        "2018-01-22",
        "public_agency",
        "",
    ),
    "insee2019": (
        "https://www.insee.fr/fr/statistiques/4241397",
        "Une personne sur six n'utilise pas Internet, plus d'un usager sur trois manque de compétences "
        "numériques de base (Insee Première n° 1780)",
        "Insee",
        "2019-10-30",
        "public_agency",
        "",
    ),
    "csf2021": (
        "https://www.csf-infrastructures-numeriques.fr/?p=1352",
        "Observatoire de la filière 5G",
        "Comité stratégique de filière Infrastructures numériques",
        "2021-12-01",
        "operator",
        "",
    ),
    "arcep26": (
        "https://www.arcep.fr/actualites/les-communiques-de-presse/detail/n/5g-071019.html",
        "Plateformes d'expérimentation 5G dans la bande 26 GHz : onze projets retenus",
        "Arcep",
        "2019-10-07",
        "public_agency",
        "",
    ),
    "boullier2022": (
        "https://aoc.media/analyse/2022/07/20/la-5g-une-innovation-imposee/",
        "La 5G, une innovation imposée ?",
        "AOC",
        "2022-07-20",
        "press",
        "",
    ),
    "montreuil": (
        "https://www.montreuil.fr/parlons-5g",
        "Parlons 5G : le débat public de Montreuil",
        "Ville de Montreuil",
        "2020-12-16",
        "other",
        "",
    ),
    "temoignage_ecole": (
        "https://www.example.org/val-de-lauziere/temoignage-parents-ecole-des-tilleuls",
        "Témoignage des parents d'élèves de l'école des Tilleuls",
        "Association des parents d'élèves des Tilleuls",
        "2024-03-02",
        "testimony",
        "",
    ),
}

# The positions the working group wrote for the debate's open question once the experts had been
# heard, from the options of the real 5G debates of 2020–21 (a moratorium, deployment under
# conditions, a siting charter, independent measurements):
# key → (author, theme, title, body, [endorsers]).
POSITIONS = {
    "moratorium": (
        "karim.benali",
        "health",
        "Demander un moratoire sur les nouvelles antennes 5G jusqu'aux évaluations attendues",
        "La commune demanderait publiquement à l'État et aux opérateurs de suspendre l'installation "
        "de nouvelles antennes 5G à Val-de-Lauzière tant que l'ANSES n'a pas conclu sur la bande "
        "26 GHz et que l'effet de la 5G sur le climat n'a pas été évalué, comme l'ont fait plusieurs "
        "conseils municipaux à l'automne 2020.\n\n"
        "Un maire ne peut pas imposer lui-même un moratoire : ce serait une demande politique, sans "
        "effet juridique contraignant.",
        ["fatima.haddad", "lea.martin"],
    ),
    "conditions": (
        "camille.roux",
        "uses",
        "Accompagner le déploiement en posant des conditions là où la commune décide",
        "Le déploiement se poursuit, mais la commune fixe ses propres règles là où elle a la main : "
        "l'usage de la 5G dans ses services et ses achats, la transparence sur les données de tout "
        "projet de « ville connectée », la priorité donnée aux hameaux encore mal couverts et "
        "l'accompagnement des habitants éloignés du numérique.",
        ["julien.moreau", "thomas.girard"],
    ),
    "charter": (
        "camille.roux",
        "planning",
        "Négocier avec les opérateurs une charte d'implantation des antennes",
        "Une charte communale de téléphonie mobile, signée avec les opérateurs, prévoirait "
        "l'information des riverains avant chaque installation (le dossier d'information mis en "
        "ligne dès sa réception), le partage des pylônes, une attention particulière aux abords des "
        "écoles et un bilan présenté chaque année en conseil municipal.\n\n"
        "Elle reste volontaire : l'emplacement des antennes ne relève pas de la commune.",
        ["hugo.lefevre", "thomas.girard", "nathalie.perrin", "fatima.haddad"],
    ),
    "measurements": (
        "karim.benali",
        "health",
        "Faire mesurer l'exposition par un laboratoire indépendant et publier les résultats",
        "Avant puis après la mise en service de chaque antenne 5G, la commune ferait mesurer "
        "l'exposition par un laboratoire accrédité, en priorité près des écoles, des crèches et de "
        "l'hôpital, et publierait les résultats quartier par quartier, avec la date de chaque mesure.",
        ["nathalie.perrin", "lea.martin", "hugo.lefevre"],
    ),
}

# The position each top-level argument takes its stance on (answers are on their parent's).
POSITION_OF = {
    **dict.fromkeys(("h2", "h4", "e1", "e4", "h1", "c4", "u1"), "moratorium"),
    **dict.fromkeys(("e2", "s1", "c1", "u2", "s2", "c2", "u3", "e3", "s3", "c3"), "conditions"),
    **dict.fromkeys(("p1", "p2", "p3", "p5"), "charter"),
    **dict.fromkeys(("h3", "h5", "h7"), "measurements"),
}

# (key, author, theme, stance on its position, title, body, [sources], parent key, relation,
# [endorsers])
ARGUMENTS = [
    # --- health ---------------------------------------------------------------------------
    (
        "h1",
        "thomas.girard",
        "health",
        "against",
        "Les mesures montrent une exposition très inférieure aux seuils légaux",
        "Après l'allumage de la 5G, l'ANFR a relevé une hausse d'environ **0,11 V/m** dans la bande "
        "3,5 GHz, alors que la limite réglementaire y est de 61 V/m. Même en doublant ce chiffre, nous "
        "resterions très loin du seuil.",
        ["anfr2021", "decret2002"],
        None,
        None,
        ["julien.moreau", "hugo.lefevre", "nathalie.perrin"],
    ),
    (
        "h2",
        "fatima.haddad",
        "health",
        "for",
        "À 26 GHz, personne ne sait encore mesurer l'effet sur la santé",
        "L'ANSES elle-même écrit qu'elle manque de données pour conclure sur la bande des 26 GHz. "
        "Déployer avant de savoir, c'est faire l'expérience sur les habitants.",
        ["anses2021"],
        None,
        None,
        ["lea.martin", "nathalie.perrin"],
    ),
    (
        "h3",
        "nathalie.perrin",
        "health",
        "for",
        "Rassurant pour les bandes actuelles, mais il faut mesurer chez nous",
        "L'expertise nationale est plutôt rassurante jusqu'à 3,5 GHz. Elle recommande pourtant des "
        "campagnes de mesure sur le terrain : la commune peut en demander près des écoles et publier les "
        "résultats.",
        ["anses2021", "abeille"],
        None,
        None,
        ["lea.martin", "thomas.girard", "fatima.haddad", "hugo.lefevre"],
    ),
    (
        "h4",
        "lea.martin",
        "health",
        "for",
        "Les radiofréquences sont classées « peut-être cancérogènes » depuis 2011",
        "Le CIRC, l'agence de l'OMS spécialisée dans le cancer, a classé les radiofréquences en "
        "catégorie 2B. Ce n'est pas une preuve, mais c'est une raison de rester prudents.",
        ["circ2011"],
        None,
        None,
        ["fatima.haddad"],
    ),
    (
        "h4a",
        "julien.moreau",
        "health",
        "nuance",
        "Le classement 2B porte sur les téléphones tenus contre la tête, pas sur les antennes",
        "Les indications limitées du CIRC concernent les très gros utilisateurs de téléphones. Pour "
        "l'exposition aux antennes, le CIRC juge les données insuffisantes.",
        ["circ2011"],
        "h4",
        "objects",
        ["thomas.girard"],
    ),
    (
        "h4b",
        "fatima.haddad",
        "health",
        "against",
        "Justement : les données sont insuffisantes, pas rassurantes",
        "Des données insuffisantes ne montrent pas l'absence de risque.",
        [],
        "h4a",
        "objects",
        [],
    ),
    (
        "h5",
        "hugo.lefevre",
        "health",
        "nuance",
        "Les personnes qui se disent électrosensibles doivent être écoutées",
        "L'ANSES reconnaît que leurs souffrances sont réelles, même si aucun lien de cause à effet avec "
        "les ondes n'a été établi. Un lieu d'accueil et d'information serait utile.",
        ["anses_ehs"],
        None,
        None,
        ["nathalie.perrin"],
    ),
    (
        "h6",
        "nathalie.perrin",
        "health",
        "for",
        "Les parents de l'école des Tilleuls veulent surtout de l'information",
        "Lors de la réunion de l'association, les parents ont demandé des mesures publiques plutôt qu'un "
        "refus de principe.",
        ["temoignage_ecole"],
        "h3",
        "supports",
        ["lea.martin"],
    ),
    # --- environment ----------------------------------------------------------------------
    (
        "e1",
        "lea.martin",
        "environment",
        "for",
        "La 5G alourdit notre bilan carbone, surtout par les nouveaux téléphones",
        "Le Haut Conseil pour le Climat estime l'effet de la 5G entre **+2,7 et +6,7 MtCO2e par an** en "
        "2030. Environ la moitié vient de la fabrication des terminaux, importés pour l'essentiel.",
        ["hcc2020"],
        None,
        None,
        ["fatima.haddad", "nathalie.perrin", "hugo.lefevre"],
    ),
    (
        "e2",
        "julien.moreau",
        "environment",
        "for",
        "À trafic égal, une antenne 5G consomme moins d'énergie par gigaoctet",
        "Les équipementiers annoncent une efficacité énergétique bien meilleure par donnée transmise. "
        "Sans 5G, la 4G saturée absorberait la croissance du trafic avec des équipements moins efficaces.",
        ["energie_bit"],
        None,
        None,
        ["thomas.girard"],
    ),
    (
        "e2a",
        "fatima.haddad",
        "environment",
        "against",
        "L'effet rebond annule le gain d'efficacité",
        "Si le trafic augmente de 30 à 40 % par an, une antenne plus efficace par gigaoctet consomme "
        "quand même davantage au total. L'efficacité n'a jamais compensé la croissance des usages.",
        ["shift2021", "energie_bit"],
        "e2",
        "objects",
        ["lea.martin", "nathalie.perrin"],
    ),
    (
        "e3",
        "thomas.girard",
        "environment",
        "nuance",
        "Le vrai levier, c'est la durée de vie des téléphones, pas les antennes",
        "Selon l'étude ADEME-Arcep, les terminaux concentrent l'essentiel des impacts du numérique et les "
        "réseaux environ 5 %. La commune peut encourager la réparation et le réemploi.",
        ["ademe2022"],
        None,
        None,
        ["julien.moreau", "lea.martin", "hugo.lefevre"],
    ),
    (
        "e3a",
        "lea.martin",
        "environment",
        "nuance",
        "D'accord, et la 5G pousse justement à renouveler les téléphones",
        "Les deux constats vont ensemble : c'est le renouvellement accéléré qui pèse.",
        ["hcc2020"],
        "e3",
        "supports",
        ["fatima.haddad"],
    ),
    (
        "e4",
        "nathalie.perrin",
        "environment",
        "for",
        "La Convention citoyenne pour le climat demandait un moratoire",
        "Des citoyens tirés au sort, après des mois de travail, ont demandé d'évaluer la 5G avant de la "
        "déployer.",
        ["ccc2020"],
        None,
        None,
        ["fatima.haddad"],
    ),
    # --- sovereignty ----------------------------------------------------------------------
    (
        "s1",
        "julien.moreau",
        "sovereignty",
        "for",
        "La loi de 2019 encadre strictement les équipements des antennes",
        "Depuis la loi du 1er août 2019, chaque équipement 5G doit être autorisé par le Premier ministre "
        "après instruction de l'ANSSI. Le Conseil constitutionnel a validé ce contrôle.",
        ["loi2019", "cc2021"],
        None,
        None,
        ["thomas.girard", "hugo.lefevre"],
    ),
    (
        "s2",
        "hugo.lefevre",
        "sovereignty",
        "against",
        "Nous dépendons de quelques équipementiers étrangers",
        "Les équipements viennent de trois fournisseurs, aucun n'est français. L'Europe recommande de "
        "diversifier les fournisseurs, ce qui reste difficile.",
        ["toolbox"],
        None,
        None,
        ["fatima.haddad"],
    ),
    (
        "s3",
        "lea.martin",
        "sovereignty",
        "nuance",
        "Une ville connectée doit dire quelles données elle collecte",
        "Capteurs et caméras reliés au réseau posent la question de la surveillance. Avant tout projet, "
        "la commune devrait publier ce qu'elle collecte et pourquoi.",
        ["montreuil"],
        None,
        None,
        ["nathalie.perrin", "julien.moreau"],
    ),
    (
        "s1a",
        "fatima.haddad",
        "sovereignty",
        "nuance",
        "Le contrôle existe, mais il a été voté sans étude d'impact",
        "La loi est issue d'une proposition de loi : aucune étude d'impact n'a été publiée.",
        ["loi2019"],
        "s1",
        "objects",
        [],
    ),
    (
        "s4",
        "thomas.girard",
        "sovereignty",
        "for",
        "Le Conseil d'État a confirmé que ce contrôle protège contre l'espionnage",
        "Le recours des opérateurs a été rejeté : l'objectif de prévenir l'espionnage et le sabotage "
        "justifie le régime d'autorisation.",
        ["ce2021"],
        "s1",
        "supports",
        ["julien.moreau"],
    ),
    # --- economy --------------------------------------------------------------------------
    (
        "c1",
        "thomas.girard",
        "economy",
        "for",
        "Les obligations de l'Arcep imposent des sites hors des grandes villes",
        "Un quart des sites 5G de chaque opérateur doit se trouver hors des grandes agglomérations : "
        "Val-de-Lauzière peut en bénéficier.",
        ["arcep_obligations"],
        None,
        None,
        ["julien.moreau", "hugo.lefevre"],
    ),
    (
        "c2",
        "fatima.haddad",
        "economy",
        "against",
        "Couvrons d'abord les zones blanches en 4G et en fibre",
        "Des hameaux de la commune captent encore mal la 4G. Le New Deal mobile a montré qu'on pouvait "
        "imposer une couverture ciblée : c'est la priorité.",
        ["newdeal"],
        None,
        None,
        ["lea.martin", "nathalie.perrin", "hugo.lefevre"],
    ),
    (
        "c3",
        "nathalie.perrin",
        "economy",
        "nuance",
        "Une personne sur six n'utilise pas Internet : la 5G ne réduit pas cette fracture",
        "Selon l'Insee, le manque de compétences et le coût pèsent plus que le réseau. Un accompagnement "
        "numérique en mairie serait plus utile à ces habitants.",
        ["insee2019"],
        None,
        None,
        ["lea.martin", "fatima.haddad", "thomas.girard"],
    ),
    (
        "c4",
        "julien.moreau",
        "economy",
        "against",
        "La filière 5G crée des emplois qualifiés",
        "L'observatoire de la filière prévoit une forte croissance du chiffre d'affaires et des emplois "
        "d'ici 2027. Les entreprises de la zone d'activité en profiteraient.",
        ["csf2021"],
        None,
        None,
        ["thomas.girard"],
    ),
    (
        "c4a",
        "hugo.lefevre",
        "economy",
        "nuance",
        "Des projections de la filière elle-même, à prendre avec prudence",
        "Ces chiffres viennent des industriels concernés ; il faudrait une évaluation indépendante.",
        [],
        "c4",
        "objects",
        ["fatima.haddad", "nathalie.perrin"],
    ),
    # --- uses -----------------------------------------------------------------------------
    (
        "u1",
        "julien.moreau",
        "uses",
        "against",
        "La 4G sature déjà dans le centre les jours de marché",
        "Le trafic mobile par utilisateur a été multiplié par dix en quelques années. La 5G soulage "
        "d'abord les sites saturés, ce qu'a confirmé l'Académie des sciences.",
        ["academie2021"],
        None,
        None,
        ["thomas.girard", "hugo.lefevre"],
    ),
    (
        "u2",
        "hugo.lefevre",
        "uses",
        "for",
        "Des usages utiles existent, surtout pour l'industrie",
        "Les plateformes d'expérimentation à 26 GHz (port du Havre, gares) montrent des usages "
        "professionnels. Pour les particuliers, le gain reste proche de la 4G.",
        ["arcep26"],
        None,
        None,
        ["julien.moreau"],
    ),
    (
        "u3",
        "lea.martin",
        "uses",
        "against",
        "La fibre répond déjà aux besoins des foyers",
        "Regarder des vidéos à la maison ne demande pas la 5G : la fibre arrive dans tous les quartiers.",
        ["ccc2020"],
        None,
        None,
        ["fatima.haddad"],
    ),
    (
        "u3a",
        "thomas.girard",
        "uses",
        None,
        "La fibre n'aide pas quand on se déplace",
        "",
        [],
        "u3",
        "objects",
        [],
    ),
    # --- planning -------------------------------------------------------------------------
    (
        "p1",
        "fatima.haddad",
        "planning",
        "for",
        "Les riverains découvrent les antennes une fois installées",
        "Le dossier d'information déposé en mairie est public, mais personne ne le sait. La loi Abeille "
        "permet au maire de demander une simulation d'exposition : utilisons-la.",
        ["abeille"],
        None,
        None,
        ["lea.martin", "nathalie.perrin", "julien.moreau"],
    ),
    (
        "p2",
        "thomas.girard",
        "planning",
        "for",
        "La commune ne peut pas interdire une antenne, mais elle peut négocier",
        "Le Conseil d'État a jugé que le maire ne peut pas réglementer l'implantation des antennes. Une "
        "charte avec les opérateurs reste possible : mutualisation des sites, intégration paysagère.",
        ["ce_saint_denis", "ce_dec2020"],
        None,
        None,
        ["hugo.lefevre", "nathalie.perrin", "fatima.haddad"],
    ),
    (
        "p3",
        "julien.moreau",
        "planning",
        "for",
        "Mutualiser les pylônes limite leur nombre",
        "Partager un même site entre opérateurs évite de multiplier les pylônes dans le paysage.",
        ["newdeal"],
        None,
        None,
        ["thomas.girard"],
    ),
    (
        "p4",
        "nathalie.perrin",
        "planning",
        "nuance",
        "D'autres villes ont organisé le débat au-delà du pour ou contre",
        "Montreuil a tenu un débat public qui a abouti à des engagements d'information et de mesure.",
        ["montreuil", "boullier2022"],
        "p2",
        "supports",
        ["lea.martin"],
    ),
    # --- written once the positions were up, so that each has arguments against it too ------
    (
        "p5",
        "hugo.lefevre",
        "planning",
        "against",
        "Une charte n'engage les opérateurs qu'à ce qu'ils acceptent de signer",
        "La commune ne peut ni interdire une antenne ni en choisir l'emplacement : le Conseil d'État "
        "l'a jugé en 2011. Une charte reste donc un accord volontaire ; si un opérateur refuse une "
        "clause, rien ne l'y oblige, et sans bilan public elle risque de rester une déclaration "
        "d'intention.",
        ["ce_saint_denis"],
        None,
        None,
        ["fatima.haddad", "julien.moreau"],
    ),
    (
        "h7",
        "julien.moreau",
        "health",
        "against",
        "Chaque habitant peut déjà obtenir une mesure gratuite, publiée par l'ANFR",
        "Le dispositif national permet de faire mesurer gratuitement l'exposition chez soi ou dans un "
        "lieu public, sur demande visée par la mairie ou une association agréée ; les résultats sont "
        "publiés sur Cartoradio. Une campagne payée par la commune ferait en partie doublon : mieux "
        "vaut faire connaître ce droit.",
        ["anfr2021"],
        None,
        None,
        ["thomas.girard"],
    ),
]


def _source(key: str) -> dict:
    url, title, publisher, published_on, kind, excerpt = SOURCES[key]
    return {
        "url": url,
        "title": title,
        "publisher": publisher,
        "published_on": published_on,
        "kind": kind,
        "excerpt": excerpt,
    }


def approve(argument, moderator, when):
    """The working group publishes a pre-moderated contribution, citing the clause it checked:
    sources cited for an argument that has some, respect of people for an answer resting on its
    parent. Dated `when` (a contribution already published is left as it is)."""
    if argument.status != ArgumentStatus.PENDING:
        return
    clause = SOURCES_CLAUSE if argument.sources else RESPECT_CLAUSE
    event = moderation.decide(argument, "approve", moderator, clause=clause)
    decided(event, argument, when)


SOURCES_CLAUSE, RESPECT_CLAUSE = 4, 1


def _positions(debate, people, arguments_opened) -> dict:
    """The working group's positions on the open question, written in the last days of the
    expertise phase (published at once: the working group writes them), then endorsed by readers."""
    written = spread(
        paris(arguments_opened - timedelta(days=3), 10, 20),
        paris(arguments_opened - timedelta(days=1), 16, 45),
        len(POSITIONS),
    )
    found = {}
    for (key, row), when in zip(POSITIONS.items(), written, strict=True):
        author, theme, title, body, endorsers = row
        position = position_operations.propose_position(
            debate, people[author], {"title": title, "body": body, "theme": theme}
        )
        backdate(position, when)
        for person in endorsers:
            position_operations.endorse_position(position, people[person])
        found[key] = position
    return found


def load_arguments_demo(context: dict, echo) -> None:
    """Arguments, answers and endorsements in the main demo debate, open for arguments: written
    since the phase opened, each published by the moderation hours later (flushed; the CLI commits)."""
    debate, people, today = context["main"], context["people"], context["today"]
    opened = context["phases"]["arguments"]["starts_on"]
    echo(f"[arguments] {len(ARGUMENTS)} arguments et réponses, avec leurs sources…")
    created: dict = {}
    endorsements = 0
    moments = spread(
        paris(opened + timedelta(days=1), 12, 30),
        paris(today - timedelta(days=2), 19, 40),
        len(ARGUMENTS),
    )
    moderators = (people["camille.roux"], people["karim.benali"])
    positions = context["positions"] = _positions(debate, people, opened)
    for index, (row, when) in enumerate(zip(ARGUMENTS, moments, strict=True)):
        key, author, theme, stance, title, body, sources, parent, relation, endorsers = row
        data = {"title": title, "body": body, "sources": [_source(s) for s in sources]}
        if parent:
            data.update(parent_id=created[parent].id, relation=relation)
        else:
            data.update(theme=theme, stance=stance, position_id=positions[POSITION_OF[key]].id)
        argument = operations.submit_argument(debate, people[author], data)
        backdate(argument, when)
        approve(argument, moderators[index % 2], daytime(when + timedelta(hours=5 + index % 7)))
        created[key] = argument
        for person in endorsers:
            endorsements += operations.endorse(argument, people[person])
    context["arguments"] = created
    echo(f"[arguments] {endorsements} marques « convaincant » par les habitantes et habitants.")
