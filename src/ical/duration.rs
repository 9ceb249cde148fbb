//! RFC 5545 §3.3.6 DURATION values in seconds, read from the text of a stored line (for
//! alarm TRIGGERs and free-busy periods, where calcard's typed values are not at hand).

/// Seconds in a day: weeks and days count as exact multiples of it, as in UTC arithmetic.
const DAY: i64 = 86_400;

/// A dur-value (`P1W`, `-PT15M`, `+P1DT2H`) in seconds; `None` when malformed.
pub(super) fn seconds(text: &str) -> Option<i64> {
    let text = text.trim();
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let (mut total, mut number, mut in_time, mut any) = (0i64, None::<i64>, false, false);
    for c in rest.chars() {
        if let Some(d) = c.to_digit(10) {
            number = Some(
                number
                    .unwrap_or(0)
                    .checked_mul(10)?
                    .checked_add(i64::from(d))?,
            );
            continue;
        }
        let unit = match c.to_ascii_uppercase() {
            'T' if number.is_none() && !in_time => {
                in_time = true;
                continue;
            }
            'W' if !in_time => 7 * DAY,
            'D' if !in_time => DAY,
            'H' if in_time => 3_600,
            'M' if in_time => 60,
            'S' if in_time => 1,
            _ => return None,
        };
        total = total.checked_add(number.take()?.checked_mul(unit)?)?;
        any = true;
    }
    (any && number.is_none()).then_some(sign * total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(seconds("PT15M"), Some(900));
        assert_eq!(seconds("-PT15M"), Some(-900));
        assert_eq!(seconds(" +P1DT1H "), Some(DAY + 3600));
        assert_eq!(seconds("P2W"), Some(14 * DAY));
        assert_eq!(
            seconds("-P1W2DT3H4M5S"),
            Some(-(9 * DAY + 3 * 3600 + 4 * 60 + 5))
        );
        assert_eq!(seconds("PT0S"), Some(0));
        for bad in [
            "P",
            "PT",
            "P1H",
            "P5",
            "PT1HT2M",
            "xyz",
            "",
            "P99999999999999999999D",
        ] {
            assert_eq!(seconds(bad), None, "{bad}");
        }
    }
}
