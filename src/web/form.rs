//! Reading what browsers send: `application/x-www-form-urlencoded` bodies and query strings,
//! and the `Cookie` header.

use percent_encoding::percent_decode_str;

/// The fields of a form or query string, in order (a name may repeat, as for check boxes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form(Vec<(String, String)>);

impl Form {
    /// Parses `a=1&b=x+y` text; pairs that are not valid UTF-8 once decoded are dropped.
    pub fn parse(text: &str) -> Form {
        let decode = |s: &str| {
            percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .ok()
                .map(|c| c.into_owned())
        };
        Form(
            text.split('&')
                .filter(|pair| !pair.is_empty())
                .filter_map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    Some((decode(name)?, decode(value)?))
                })
                .collect(),
        )
    }

    /// Parses a request body (a body that is not UTF-8 has no fields).
    pub fn parse_body(body: &[u8]) -> Form {
        std::str::from_utf8(body)
            .map(Form::parse)
            .unwrap_or_default()
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: Option<&'a str>, name: &str) -> Option<&'a str> {
    header?.split(';').find_map(|pair| {
        let (n, v) = pair.trim().split_once('=')?;
        (n == name).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_plus_percent_and_repeats() {
        let f = Form::parse("login=a%40b&x=1+2&c=on&c=off&empty=&flag");
        assert_eq!(f.get("login"), Some("a@b"));
        assert_eq!(f.get("x"), Some("1 2"));
        assert_eq!(f.all("c").collect::<Vec<_>>(), ["on", "off"]);
        assert_eq!(f.get("empty"), Some(""));
        assert_eq!(f.get("flag"), Some(""));
        assert_eq!(f.get("missing"), None);
    }

    #[test]
    fn bad_encodings_are_dropped_not_fatal() {
        let f = Form::parse("a=%FF%FE&b=%zz&c=ok");
        assert_eq!(f.get("a"), None);
        assert_eq!(f.get("b"), Some("%zz"));
        assert_eq!(f.get("c"), Some("ok"));
        assert_eq!(Form::parse_body(&[0xff, b'=', b'1']), Form::default());
    }

    #[test]
    fn cookies_are_found_by_name() {
        let h = Some("a=1; davsuite_session=tok; b=");
        assert_eq!(cookie(h, "davsuite_session"), Some("tok"));
        assert_eq!(cookie(h, "b"), Some(""));
        assert_eq!(cookie(h, "c"), None);
        assert_eq!(cookie(None, "a"), None);
    }
}
