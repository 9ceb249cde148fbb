//! The countries the personal offers are sold in (Europe and the OECD, with the French overseas
//! territories), as ISO 3166-1 alpha-2 codes with the names the offer lists them under.

/// Supported countries: (ISO 3166-1 alpha-2 code, name in the published offer), by name.
pub const SUPPORTED: [(&str, &str); 51] = [
    ("DE", "Allemagne"),
    ("AU", "Australie"),
    ("AT", "Autriche"),
    ("BE", "Belgique"),
    ("CA", "Canada"),
    ("CL", "Chili"),
    ("CO", "Colombie"),
    ("KR", "Corée du Sud"),
    ("CR", "Costa Rica"),
    ("DK", "Danemark"),
    ("ES", "Espagne"),
    ("EE", "Estonie"),
    ("US", "États-Unis"),
    ("FI", "Finlande"),
    ("FR", "France"),
    ("GR", "Grèce"),
    ("GP", "Guadeloupe"),
    ("GF", "Guyane française"),
    ("HU", "Hongrie"),
    ("IE", "Irlande"),
    ("IS", "Islande"),
    ("IL", "Israël"),
    ("IT", "Italie"),
    ("JP", "Japon"),
    ("LV", "Lettonie"),
    ("LT", "Lituanie"),
    ("LU", "Luxembourg"),
    ("MQ", "Martinique"),
    ("YT", "Mayotte"),
    ("MX", "Mexique"),
    ("MC", "Monaco"),
    ("NC", "Nouvelle-Calédonie"),
    ("NZ", "Nouvelle-Zélande"),
    ("NO", "Norvège"),
    ("NL", "Pays-Bas"),
    ("PL", "Pologne"),
    ("PF", "Polynésie française"),
    ("PT", "Portugal"),
    ("CZ", "République tchèque"),
    ("RE", "Réunion"),
    ("GB", "Royaume-Uni"),
    ("BL", "Saint-Barthélemy"),
    ("MF", "Saint-Martin"),
    ("PM", "Saint-Pierre-et-Miquelon"),
    ("SK", "Slovaquie"),
    ("SI", "Slovénie"),
    ("SE", "Suède"),
    ("CH", "Suisse"),
    ("TF", "Territoires français du Sud"),
    ("TR", "Turquie"),
    ("WF", "Wallis-et-Futuna"),
];

/// The supported country with this code (case-insensitive), as its upper-case code.
pub fn supported(code: &str) -> Option<&'static str> {
    SUPPORTED
        .iter()
        .map(|(c, _)| *c)
        .find(|c| c.eq_ignore_ascii_case(code.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_upper_case_pairs() {
        let mut codes: Vec<&str> = SUPPORTED.iter().map(|(c, _)| *c).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), SUPPORTED.len());
    }

    #[test]
    fn lookup_is_case_insensitive_and_refuses_the_rest() {
        assert_eq!(supported("fr"), Some("FR"));
        assert_eq!(supported(" CH "), Some("CH"));
        assert_eq!(
            supported("GP"),
            Some("GP"),
            "overseas territories have their own codes"
        );
        for outside in ["CN", "BR", "RU", "IN", "ZA", "", "FRA", "France"] {
            assert_eq!(supported(outside), None, "{outside}");
        }
    }
}
