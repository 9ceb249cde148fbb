//! Every holiday the region table uses: its date in a given year, its names and the slug its
//! calendar UIDs are made of.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::Lang;

/// One holiday, whatever region keeps it: the table of regions lists these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HolidayKind {
    /// 1 January.
    NewYear,
    /// 2 January, Saint Berchtold (Swiss cantons).
    Berchtold,
    /// 6 January.
    Epiphany,
    /// 1 March: the Republic of Neuchâtel, 1848.
    NeuchatelRepublic,
    /// 8 March (Berlin, Mecklenburg-Western Pomerania).
    WomensDay,
    /// 19 March.
    SaintJoseph,
    /// First Thursday of April, a week later when that is Maundy Thursday (Glarus: the battle
    /// of Näfels, 1388).
    NafelserFahrt,
    /// Easter Sunday − 2.
    GoodFriday,
    /// Easter Sunday.
    EasterSunday,
    /// Easter Sunday + 1.
    EasterMonday,
    /// 25 April (Italy).
    LiberationDay,
    /// 1 May.
    LabourDay,
    /// 8 May (France).
    VictoryDay,
    /// Easter Sunday + 39.
    Ascension,
    /// Easter Sunday + 49.
    WhitSunday,
    /// Easter Sunday + 50.
    WhitMonday,
    /// Easter Sunday + 60.
    CorpusChristi,
    /// 2 June (Italy).
    ItalianRepublicDay,
    /// 23 June: the Jura plebiscite of 1974.
    JuraIndependence,
    /// 29 June.
    PeterAndPaul,
    /// 14 July (France).
    BastilleDay,
    /// 21 July (Belgium).
    BelgianNationalDay,
    /// 1 August (Switzerland).
    SwissNationalDay,
    /// 15 August.
    Assumption,
    /// The Thursday after the first Sunday of September (Geneva).
    JeuneGenevois,
    /// The third Sunday of September (Switzerland but Geneva).
    FederalFast,
    /// The Monday after the third Sunday of September (Vaud).
    FederalFastMonday,
    /// 20 September (Thuringia).
    WorldChildrensDay,
    /// 25 September: Brother Klaus (Obwalden).
    NicholasOfFlue,
    /// 3 October (Germany).
    GermanUnityDay,
    /// 4 October (Italy, since 2026).
    SaintFrancis,
    /// 26 October (Austria).
    AustrianNationalDay,
    /// 31 October.
    ReformationDay,
    /// 1 November.
    AllSaints,
    /// 11 November (France, Belgium).
    ArmisticeDay,
    /// The Wednesday before 23 November (Saxony).
    RepentanceDay,
    /// 8 December.
    ImmaculateConception,
    /// 25 December.
    Christmas,
    /// 26 December.
    SaintStephen,
    /// 31 December: the Restoration of the Republic of Geneva, 1813.
    GenevaRestoration,
}

/// The date `days` after (or, negative, before) `date`.
fn shift(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    let magnitude = Days::new(days.unsigned_abs());
    if days < 0 {
        date.checked_sub_days(magnitude)
    } else {
        date.checked_add_days(magnitude)
    }
}

/// The first `weekday` on or after `date`.
fn first_on_or_after(date: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let ahead = (7 + i64::from(weekday.num_days_from_monday())
        - i64::from(date.weekday().num_days_from_monday()))
        % 7;
    shift(date, ahead)
}

impl HolidayKind {
    /// Its date in `year`, whose Easter Sunday is `easter`; `None` only where chrono has no
    /// such date.
    pub(super) fn date(self, year: i32, easter: NaiveDate) -> Option<NaiveDate> {
        use HolidayKind as K;
        let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
        let september_sunday = |nth: i64| {
            let first = first_on_or_after(fixed(9, 1)?, Weekday::Sun)?;
            shift(first, 7 * (nth - 1))
        };
        match self {
            K::NewYear => fixed(1, 1),
            K::Berchtold => fixed(1, 2),
            K::Epiphany => fixed(1, 6),
            K::NeuchatelRepublic => fixed(3, 1),
            K::WomensDay => fixed(3, 8),
            K::SaintJoseph => fixed(3, 19),
            K::NafelserFahrt => {
                let thursday = first_on_or_after(fixed(4, 1)?, Weekday::Thu)?;
                if Some(thursday) == shift(easter, -3) {
                    shift(thursday, 7)
                } else {
                    Some(thursday)
                }
            }
            K::GoodFriday => shift(easter, -2),
            K::EasterSunday => Some(easter),
            K::EasterMonday => shift(easter, 1),
            K::LiberationDay => fixed(4, 25),
            K::LabourDay => fixed(5, 1),
            K::VictoryDay => fixed(5, 8),
            K::Ascension => shift(easter, 39),
            K::WhitSunday => shift(easter, 49),
            K::WhitMonday => shift(easter, 50),
            K::CorpusChristi => shift(easter, 60),
            K::ItalianRepublicDay => fixed(6, 2),
            K::JuraIndependence => fixed(6, 23),
            K::PeterAndPaul => fixed(6, 29),
            K::BastilleDay => fixed(7, 14),
            K::BelgianNationalDay => fixed(7, 21),
            K::SwissNationalDay => fixed(8, 1),
            K::Assumption => fixed(8, 15),
            K::JeuneGenevois => shift(september_sunday(1)?, 4),
            K::FederalFast => september_sunday(3),
            K::FederalFastMonday => shift(september_sunday(3)?, 1),
            K::WorldChildrensDay => fixed(9, 20),
            K::NicholasOfFlue => fixed(9, 25),
            K::GermanUnityDay => fixed(10, 3),
            K::SaintFrancis => fixed(10, 4),
            K::AustrianNationalDay => fixed(10, 26),
            K::ReformationDay => fixed(10, 31),
            K::AllSaints => fixed(11, 1),
            K::ArmisticeDay => fixed(11, 11),
            // The last Wednesday before the last Sunday of the church year (16-22 November).
            K::RepentanceDay => first_on_or_after(fixed(11, 16)?, Weekday::Wed),
            K::ImmaculateConception => fixed(12, 8),
            K::Christmas => fixed(12, 25),
            K::SaintStephen => fixed(12, 26),
            K::GenevaRestoration => fixed(12, 31),
        }
    }

    /// Its name in `lang`, as the calendar shows it.
    #[must_use]
    pub fn name(self, lang: Lang) -> &'static str {
        let (en, fr) = self.names();
        match lang {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }

    /// The English and French names.
    fn names(self) -> (&'static str, &'static str) {
        use HolidayKind as K;
        match self {
            K::NewYear => ("New Year's Day", "Nouvel An"),
            K::Berchtold => ("Berchtold's Day", "Saint-Berthold"),
            K::Epiphany => ("Epiphany", "Épiphanie"),
            K::NeuchatelRepublic => ("Republic Day (Neuchâtel)", "Instauration de la République"),
            K::WomensDay => (
                "International Women's Day",
                "Journée internationale des droits des femmes",
            ),
            K::SaintJoseph => ("Saint Joseph's Day", "Saint-Joseph"),
            K::NafelserFahrt => ("Näfelser Fahrt", "Näfelser Fahrt"),
            K::GoodFriday => ("Good Friday", "Vendredi saint"),
            K::EasterSunday => ("Easter Sunday", "Pâques"),
            K::EasterMonday => ("Easter Monday", "Lundi de Pâques"),
            K::LiberationDay => ("Liberation Day", "Fête de la Libération"),
            K::LabourDay => ("Labour Day", "Fête du Travail"),
            K::VictoryDay => ("Victory in Europe Day", "Victoire 1945"),
            K::Ascension => ("Ascension Day", "Ascension"),
            K::WhitSunday => ("Whit Sunday", "Pentecôte"),
            K::WhitMonday => ("Whit Monday", "Lundi de Pentecôte"),
            K::CorpusChristi => ("Corpus Christi", "Fête-Dieu"),
            K::ItalianRepublicDay => ("Republic Day", "Fête de la République"),
            K::JuraIndependence => (
                "Jura Independence Day",
                "Fête de l'indépendance jurassienne",
            ),
            K::PeterAndPaul => ("Saints Peter and Paul", "Saints Pierre et Paul"),
            K::BastilleDay => ("Bastille Day", "Fête nationale"),
            K::BelgianNationalDay => ("Belgian National Day", "Fête nationale"),
            K::SwissNationalDay => ("Swiss National Day", "Fête nationale"),
            K::Assumption => ("Assumption Day", "Assomption"),
            K::JeuneGenevois => ("Geneva Fast", "Jeûne genevois"),
            K::FederalFast => (
                "Federal Day of Thanksgiving, Repentance and Prayer",
                "Jeûne fédéral",
            ),
            K::FederalFastMonday => ("Federal Fast Monday", "Lundi du Jeûne fédéral"),
            K::WorldChildrensDay => ("World Children's Day", "Journée mondiale de l'enfance"),
            K::NicholasOfFlue => ("Saint Nicholas of Flüe", "Saint Nicolas de Flüe"),
            K::GermanUnityDay => ("German Unity Day", "Jour de l'unité allemande"),
            K::SaintFrancis => ("Saint Francis of Assisi", "Saint François d'Assise"),
            K::AustrianNationalDay => ("Austrian National Day", "Fête nationale"),
            K::ReformationDay => ("Reformation Day", "Jour de la Réforme"),
            K::AllSaints => ("All Saints' Day", "Toussaint"),
            K::ArmisticeDay => ("Armistice Day", "Armistice 1918"),
            K::RepentanceDay => (
                "Day of Repentance and Prayer",
                "Jour de pénitence et de prière",
            ),
            K::ImmaculateConception => ("Immaculate Conception", "Immaculée Conception"),
            K::Christmas => ("Christmas Day", "Noël"),
            K::SaintStephen => ("Saint Stephen's Day", "Saint-Étienne"),
            K::GenevaRestoration => (
                "Restoration of the Republic (Geneva)",
                "Restauration de la République",
            ),
        }
    }

    /// A short ASCII name, the same in every language: part of the calendar UID, so a
    /// subscriber's copy of a holiday stays the same event whatever language it reads.
    #[must_use]
    pub fn slug(self) -> &'static str {
        use HolidayKind as K;
        match self {
            K::NewYear => "new-year",
            K::Berchtold => "berchtold",
            K::Epiphany => "epiphany",
            K::NeuchatelRepublic => "neuchatel-republic",
            K::WomensDay => "womens-day",
            K::SaintJoseph => "saint-joseph",
            K::NafelserFahrt => "nafelser-fahrt",
            K::GoodFriday => "good-friday",
            K::EasterSunday => "easter-sunday",
            K::EasterMonday => "easter-monday",
            K::LiberationDay => "liberation-day",
            K::LabourDay => "labour-day",
            K::VictoryDay => "victory-day",
            K::Ascension => "ascension",
            K::WhitSunday => "whit-sunday",
            K::WhitMonday => "whit-monday",
            K::CorpusChristi => "corpus-christi",
            K::ItalianRepublicDay => "italian-republic-day",
            K::JuraIndependence => "jura-independence",
            K::PeterAndPaul => "peter-and-paul",
            K::BastilleDay => "bastille-day",
            K::BelgianNationalDay => "belgian-national-day",
            K::SwissNationalDay => "swiss-national-day",
            K::Assumption => "assumption",
            K::JeuneGenevois => "jeune-genevois",
            K::FederalFast => "federal-fast",
            K::FederalFastMonday => "federal-fast-monday",
            K::WorldChildrensDay => "world-childrens-day",
            K::NicholasOfFlue => "nicholas-of-flue",
            K::GermanUnityDay => "german-unity-day",
            K::SaintFrancis => "saint-francis",
            K::AustrianNationalDay => "austrian-national-day",
            K::ReformationDay => "reformation-day",
            K::AllSaints => "all-saints",
            K::ArmisticeDay => "armistice-day",
            K::RepentanceDay => "repentance-day",
            K::ImmaculateConception => "immaculate-conception",
            K::Christmas => "christmas",
            K::SaintStephen => "saint-stephen",
            K::GenevaRestoration => "geneva-restoration",
        }
    }
}
