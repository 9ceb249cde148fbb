//! The regions and the holidays each keeps: a country, or a Swiss canton or German state
//! (code `CH-GE`, `DE-BY`), whose list adds to the holidays its whole country shares.
//! Sources and assumptions are in the module documentation of `holidays`.

use super::Lang;
use super::kind::HolidayKind as K;

/// In which years a region keeps a holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum When {
    /// Every year.
    Always,
    /// From this year on (the year the law made it a holiday).
    Since(i32),
    /// Only when it falls on a Monday (Neuchâtel's 2 January and 26 December).
    OnMonday,
    /// Unless it falls on a Tuesday or a Saturday (26 December in Appenzell and Uri).
    UnlessTuesdayOrSaturday,
}

/// One holiday of a region's list.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rule {
    /// The holiday.
    pub(super) kind: K,
    /// The years it is kept.
    pub(super) when: When,
}

const fn always(kind: K) -> Rule {
    Rule {
        kind,
        when: When::Always,
    }
}

const fn since(year: i32, kind: K) -> Rule {
    Rule {
        kind,
        when: When::Since(year),
    }
}

const fn on_monday(kind: K) -> Rule {
    Rule {
        kind,
        when: When::OnMonday,
    }
}

const fn unless_tuesday_or_saturday(kind: K) -> Rule {
    Rule {
        kind,
        when: When::UnlessTuesdayOrSaturday,
    }
}

/// A region whose holidays can be listed: what the web view's picker offers and what the
/// subscribable calendar URL names.
#[derive(Debug)]
pub struct Region {
    /// ISO 3166 code: `FR`, or `CH-GE` for a Swiss canton, `DE-BY` for a German state.
    pub code: &'static str,
    /// Its English name (a canton's or state's own name, without its country).
    name_en: &'static str,
    /// Its French name.
    name_fr: &'static str,
    /// The holidays it shares with others: a canton's or state's country-wide lists.
    shared: &'static [&'static [Rule]],
    /// Its own holidays.
    own: &'static [Rule],
}

impl Region {
    /// Its name in `lang`, without its country for a canton or state (see [`Region::title`]).
    #[must_use]
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.name_en,
            Lang::Fr => self.name_fr,
        }
    }

    /// The country of a canton or state; `None` for a country.
    #[must_use]
    pub fn country(&self) -> Option<&'static Region> {
        let (country, _) = self.code.split_once('-')?;
        region(country)
    }

    /// Its name with its country for a canton or state, "Geneva (Switzerland)": what a
    /// calendar is called, where the region stands alone.
    #[must_use]
    pub fn title(&self, lang: Lang) -> String {
        match self.country() {
            Some(country) => format!("{} ({})", self.name(lang), country.name(lang)),
            None => self.name(lang).to_owned(),
        }
    }

    /// Its holidays' rules, country first.
    pub(super) fn rules(&self) -> impl Iterator<Item = &'static Rule> {
        self.shared
            .iter()
            .flat_map(|list| list.iter())
            .chain(self.own)
    }
}

/// The region with this code (ASCII case ignored: `ch-ge` is `CH-GE`).
#[must_use]
pub fn region(code: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// What every Swiss canton keeps: the four days all cantons make holidays, and the two
/// Sunday feasts every cantonal law names.
const SWISS: &[Rule] = &[
    always(K::NewYear),
    always(K::EasterSunday),
    always(K::Ascension),
    always(K::WhitSunday),
    always(K::SwissNationalDay),
    always(K::Christmas),
];

/// The Federal Fast (a Sunday), kept by every canton but Geneva.
const FEDERAL_FAST: &[Rule] = &[always(K::FederalFast)];

/// Germany's nationwide holidays.
const GERMAN: &[Rule] = &[
    always(K::NewYear),
    always(K::GoodFriday),
    always(K::EasterMonday),
    always(K::LabourDay),
    always(K::Ascension),
    always(K::WhitMonday),
    always(K::GermanUnityDay),
    always(K::Christmas),
    always(K::SaintStephen),
];

/// A Swiss canton: the Swiss days, the Federal Fast, and `own`.
const fn canton(
    code: &'static str,
    name_en: &'static str,
    name_fr: &'static str,
    own: &'static [Rule],
) -> Region {
    Region {
        code,
        name_en,
        name_fr,
        shared: &[SWISS, FEDERAL_FAST],
        own,
    }
}

/// A German state: the nationwide days and `own`.
const fn state(
    code: &'static str,
    name_en: &'static str,
    name_fr: &'static str,
    own: &'static [Rule],
) -> Region {
    Region {
        code,
        name_en,
        name_fr,
        shared: &[GERMAN],
        own,
    }
}

/// Every region, by code.
pub static REGIONS: &[Region] = &[
    Region {
        code: "AT",
        name_en: "Austria",
        name_fr: "Autriche",
        shared: &[],
        own: &[
            always(K::NewYear),
            always(K::Epiphany),
            always(K::EasterMonday),
            always(K::LabourDay),
            always(K::Ascension),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AustrianNationalDay),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            always(K::Christmas),
            always(K::SaintStephen),
        ],
    },
    Region {
        code: "BE",
        name_en: "Belgium",
        name_fr: "Belgique",
        shared: &[],
        own: &[
            always(K::NewYear),
            always(K::EasterMonday),
            always(K::LabourDay),
            always(K::Ascension),
            always(K::WhitMonday),
            always(K::BelgianNationalDay),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ArmisticeDay),
            always(K::Christmas),
        ],
    },
    Region {
        code: "CH",
        name_en: "Switzerland",
        name_fr: "Suisse",
        shared: &[],
        own: SWISS,
    },
    canton(
        "CH-AG",
        "Aargau",
        "Argovie",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-AI",
        "Appenzell Innerrhoden",
        "Appenzell Rhodes-Intérieures",
        &[
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            unless_tuesday_or_saturday(K::SaintStephen),
        ],
    ),
    canton(
        "CH-AR",
        "Appenzell Ausserrhoden",
        "Appenzell Rhodes-Extérieures",
        &[
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            unless_tuesday_or_saturday(K::SaintStephen),
        ],
    ),
    canton(
        "CH-BE",
        "Bern",
        "Berne",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-BL",
        "Basel-Landschaft",
        "Bâle-Campagne",
        &[
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::LabourDay),
            always(K::WhitMonday),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-BS",
        "Basel-Stadt",
        "Bâle-Ville",
        &[
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::LabourDay),
            always(K::WhitMonday),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-FR",
        "Fribourg",
        "Fribourg",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            always(K::SaintStephen),
        ],
    ),
    Region {
        code: "CH-GE",
        name_en: "Geneva",
        name_fr: "Genève",
        // Geneva does not keep the Federal Fast: its own fast is the Thursday after.
        shared: &[SWISS],
        own: &[
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::JeuneGenevois),
            always(K::GenevaRestoration),
        ],
    },
    canton(
        "CH-GL",
        "Glarus",
        "Glaris",
        &[
            always(K::Berchtold),
            always(K::NafelserFahrt),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::AllSaints),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-GR",
        "Graubünden",
        "Grisons",
        &[
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-JU",
        "Jura",
        "Jura",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::LabourDay),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::JuraIndependence),
            always(K::Assumption),
            always(K::AllSaints),
        ],
    ),
    canton(
        "CH-LU",
        "Lucerne",
        "Lucerne",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-NE",
        "Neuchâtel",
        "Neuchâtel",
        &[
            on_monday(K::Berchtold),
            always(K::NeuchatelRepublic),
            always(K::GoodFriday),
            always(K::LabourDay),
            on_monday(K::SaintStephen),
        ],
    ),
    canton(
        "CH-NW",
        "Nidwalden",
        "Nidwald",
        &[
            always(K::Berchtold),
            always(K::SaintJoseph),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-OW",
        "Obwalden",
        "Obwald",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::NicholasOfFlue),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-SG",
        "St. Gallen",
        "Saint-Gall",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::AllSaints),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-SH",
        "Schaffhausen",
        "Schaffhouse",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::LabourDay),
            always(K::WhitMonday),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-SO",
        "Solothurn",
        "Soleure",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-SZ",
        "Schwyz",
        "Schwytz",
        &[
            always(K::Epiphany),
            always(K::SaintJoseph),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-TG",
        "Thurgau",
        "Thurgovie",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::LabourDay),
            always(K::WhitMonday),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-TI",
        "Ticino",
        "Tessin",
        &[
            always(K::Epiphany),
            always(K::SaintJoseph),
            always(K::EasterMonday),
            always(K::LabourDay),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::PeterAndPaul),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-UR",
        "Uri",
        "Uri",
        &[
            always(K::Epiphany),
            always(K::SaintJoseph),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            unless_tuesday_or_saturday(K::SaintStephen),
        ],
    ),
    canton(
        "CH-VD",
        "Vaud",
        "Vaud",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::FederalFastMonday),
        ],
    ),
    canton(
        "CH-VS",
        "Valais",
        "Valais",
        &[
            always(K::Berchtold),
            always(K::SaintJoseph),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-ZG",
        "Zug",
        "Zoug",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::WhitMonday),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            always(K::SaintStephen),
        ],
    ),
    canton(
        "CH-ZH",
        "Zurich",
        "Zurich",
        &[
            always(K::Berchtold),
            always(K::GoodFriday),
            always(K::EasterMonday),
            always(K::LabourDay),
            always(K::WhitMonday),
            always(K::SaintStephen),
        ],
    ),
    Region {
        code: "DE",
        name_en: "Germany",
        name_fr: "Allemagne",
        shared: &[],
        own: GERMAN,
    },
    state(
        "DE-BB",
        "Brandenburg",
        "Brandebourg",
        &[
            always(K::EasterSunday),
            always(K::WhitSunday),
            always(K::ReformationDay),
        ],
    ),
    state("DE-BE", "Berlin", "Berlin", &[since(2019, K::WomensDay)]),
    state(
        "DE-BW",
        "Baden-Württemberg",
        "Bade-Wurtemberg",
        &[
            always(K::Epiphany),
            always(K::CorpusChristi),
            always(K::AllSaints),
        ],
    ),
    state(
        "DE-BY",
        "Bavaria",
        "Bavière",
        &[
            always(K::Epiphany),
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AllSaints),
        ],
    ),
    state(
        "DE-HB",
        "Bremen",
        "Brême",
        &[since(2018, K::ReformationDay)],
    ),
    state("DE-HE", "Hesse", "Hesse", &[always(K::CorpusChristi)]),
    state(
        "DE-HH",
        "Hamburg",
        "Hambourg",
        &[since(2018, K::ReformationDay)],
    ),
    state(
        "DE-MV",
        "Mecklenburg-Western Pomerania",
        "Mecklembourg-Poméranie-Occidentale",
        &[since(2023, K::WomensDay), always(K::ReformationDay)],
    ),
    state(
        "DE-NI",
        "Lower Saxony",
        "Basse-Saxe",
        &[since(2018, K::ReformationDay)],
    ),
    state(
        "DE-NW",
        "North Rhine-Westphalia",
        "Rhénanie-du-Nord-Westphalie",
        &[always(K::CorpusChristi), always(K::AllSaints)],
    ),
    state(
        "DE-RP",
        "Rhineland-Palatinate",
        "Rhénanie-Palatinat",
        &[always(K::CorpusChristi), always(K::AllSaints)],
    ),
    state(
        "DE-SH",
        "Schleswig-Holstein",
        "Schleswig-Holstein",
        &[since(2018, K::ReformationDay)],
    ),
    state(
        "DE-SL",
        "Saarland",
        "Sarre",
        &[
            always(K::CorpusChristi),
            always(K::Assumption),
            always(K::AllSaints),
        ],
    ),
    state(
        "DE-SN",
        "Saxony",
        "Saxe",
        &[always(K::ReformationDay), since(1995, K::RepentanceDay)],
    ),
    state(
        "DE-ST",
        "Saxony-Anhalt",
        "Saxe-Anhalt",
        &[always(K::Epiphany), always(K::ReformationDay)],
    ),
    state(
        "DE-TH",
        "Thuringia",
        "Thuringe",
        &[since(2019, K::WorldChildrensDay), always(K::ReformationDay)],
    ),
    Region {
        code: "FR",
        name_en: "France",
        name_fr: "France",
        shared: &[],
        own: &[
            always(K::NewYear),
            always(K::EasterMonday),
            always(K::LabourDay),
            always(K::VictoryDay),
            always(K::Ascension),
            always(K::WhitMonday),
            always(K::BastilleDay),
            always(K::Assumption),
            always(K::AllSaints),
            always(K::ArmisticeDay),
            always(K::Christmas),
        ],
    },
    Region {
        code: "IT",
        name_en: "Italy",
        name_fr: "Italie",
        shared: &[],
        own: &[
            always(K::NewYear),
            always(K::Epiphany),
            always(K::EasterSunday),
            always(K::EasterMonday),
            always(K::LiberationDay),
            always(K::LabourDay),
            always(K::ItalianRepublicDay),
            always(K::Assumption),
            since(2026, K::SaintFrancis),
            always(K::AllSaints),
            always(K::ImmaculateConception),
            always(K::Christmas),
            always(K::SaintStephen),
        ],
    },
];
