//! The events a calendar page shows: for each calendar shown, one indexed query of the store
//! (`find_candidates` over the page's time range: the span index leaves out, unread, every
//! object that cannot meet it), then each candidate's instances from `ical::recur` (the
//! expansion and override merge calendar-query and `CALDAV:expand` use: RRULE, RDATE, EXDATE,
//! overrides), in the reader's time zone, which is also the zone DATE values and floating
//! times are read in, so all-day and floating events stay on their dates.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};

use crate::ical::recur::{self, Zone};
use crate::ical::tree::{self, Component};
use crate::store::{Candidate, ObjectFilter, StoreResult};

/// Most instances of one object a page lists (a minutely series stops there).
const INSTANCES_PER_OBJECT: usize = 500;

/// One instance of an event, in the reader's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Index of its calendar in the list the page was given.
    pub cal: usize,
    /// The object's member name (the event page's `obj=`).
    pub object: String,
    /// SUMMARY, if any.
    pub summary: Option<String>,
    /// LOCATION, if any.
    pub location: Option<String>,
    /// Local start.
    pub start: NaiveDateTime,
    /// Local end (exclusive), never before `start`.
    pub end: NaiveDateTime,
    /// A DATE event (no time of day).
    pub all_day: bool,
    /// STATUS:CANCELLED.
    pub cancelled: bool,
}

impl Occurrence {
    /// The first day it covers.
    pub fn first_day(&self) -> NaiveDate {
        self.start.date()
    }

    /// The last day it covers: an event ending at midnight does not reach the next day.
    pub fn last_day(&self) -> NaiveDate {
        if self.end > self.start && self.end.time() == NaiveTime::MIN {
            self.end.date() - Days::new(1)
        } else {
            self.end.date()
        }
    }

    /// True when it covers day `d`.
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.first_day() <= d && d <= self.last_day()
    }

    /// True when it belongs in an all-day row: a DATE event, or one lasting a day or more.
    pub fn spans_days(&self) -> bool {
        self.all_day || self.end - self.start >= chrono::TimeDelta::days(1)
    }
}

/// The calendars' events overlapping `[from, to)` (local days in `zone`), sorted by start
/// (longer first at the same start). `calendars` pairs each calendar's index (echoed in
/// [`Occurrence::cal`]) with its store id; `candidates` is the store's
/// [`find_candidates`](crate::store::Store::find_candidates), called once per calendar.
pub fn read(
    calendars: &[(usize, i64)],
    from: NaiveDate,
    to: NaiveDate,
    zone: Zone,
    candidates: &mut dyn FnMut(i64, &ObjectFilter) -> StoreResult<Vec<Candidate>>,
) -> StoreResult<Vec<Occurrence>> {
    let start = zone.instant(from.and_time(NaiveTime::MIN));
    let end = zone.instant(to.and_time(NaiveTime::MIN));
    let filter = ObjectFilter {
        components: vec!["VEVENT".to_owned()],
        start: Some(start),
        end: Some(end),
        bodies: true,
    };
    let mut out = Vec::new();
    for &(cal, id) in calendars {
        for candidate in candidates(id, &filter)? {
            let Some(body) = candidate.body.as_deref() else {
                continue;
            };
            out.extend(occurrences(
                cal,
                &candidate.meta.name,
                body,
                start,
                end,
                zone,
            ));
        }
    }
    out.sort_by(|a, b| {
        (a.start, std::cmp::Reverse(a.end), &a.summary).cmp(&(
            b.start,
            std::cmp::Reverse(b.end),
            &b.summary,
        ))
    });
    Ok(out)
}

/// The instances of one stored object in `[start, end)`.
fn occurrences(
    cal: usize,
    object: &str,
    body: &[u8],
    start: i64,
    end: i64,
    zone: Zone,
) -> Vec<Occurrence> {
    let instances = recur::instances(body, start, end, INSTANCES_PER_OBJECT, Some(zone));
    if instances.is_empty() {
        return Vec::new();
    }
    let Some(root) = tree::parse(body) else {
        return Vec::new();
    };
    instances
        .iter()
        .filter_map(|i| {
            let comp = root.components.get(i.component_index)?;
            let local_start = zone.local_at(i.start)?;
            let local_end = zone.local_at(i.end)?.max(local_start);
            Some(Occurrence {
                cal,
                object: object.to_owned(),
                summary: text(comp, "SUMMARY"),
                location: text(comp, "LOCATION"),
                start: local_start,
                end: local_end,
                all_day: is_date(comp),
                cancelled: text(comp, "STATUS")
                    .is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED")),
            })
        })
        .collect()
}

/// The text of the first property `name`, unless empty.
fn text(comp: &Component, name: &str) -> Option<String> {
    comp.properties_named(name)
        .next()
        .map(|p| p.text().trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// True when DTSTART is a DATE (`VALUE=DATE`, or a value without a time).
fn is_date(comp: &Component) -> bool {
    comp.properties_named("DTSTART").next().is_some_and(|p| {
        p.param("VALUE")
            .is_some_and(|v| v.iter().any(|v| v.eq_ignore_ascii_case("DATE")))
            || !p.value.contains('T')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::transfer::import::import;
    use crate::transfer::testing::{place, store};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    /// A calendar file of `events` (UID, DTSTART in UTC, extra lines).
    fn file(events: &[(String, String, &str)]) -> Vec<u8> {
        let mut text = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n");
        for (uid, start, extra) in events {
            text.push_str(&format!(
                "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:{start}\r\n\
                 DURATION:PT1H\r\nSUMMARY:{uid}\r\n{extra}END:VEVENT\r\n"
            ));
        }
        text.push_str("END:VCALENDAR\r\n");
        text.into_bytes()
    }

    #[test]
    fn a_month_costs_one_indexed_query_per_calendar_whatever_it_holds() {
        let (_dir, store) = store();
        let cal = place(&store, "calendars/al/cal");
        let mut events = Vec::new();
        for d in 1..=28 {
            for h in 8..18 {
                events.push((
                    format!("march-{d}-{h}"),
                    format!("202503{d:02}T{h:02}0000Z"),
                    "",
                ));
            }
        }
        for d in 1..=28 {
            for h in 8..18 {
                events.push((
                    format!("july-{d}-{h}"),
                    format!("202507{d:02}T{h:02}0000Z"),
                    "",
                ));
            }
        }
        events.push((
            "weekly".into(),
            "20240101T060000Z".into(),
            "RRULE:FREQ=WEEKLY\r\n",
        ));
        import(&store, &cal, &file(&events), &mut |_| {}).expect("import");

        let zone = Zone::named("Europe/Zurich").expect("zone");
        let (mut calls, mut candidates) = (0, 0);
        let found = read(
            &[(3, cal.collection.id)],
            day(2025, 3, 1),
            day(2025, 4, 1),
            zone,
            &mut |id, filter| {
                calls += 1;
                let found = store.find_candidates(id, filter)?;
                candidates += found.len();
                Ok(found)
            },
        )
        .expect("read");
        assert_eq!(calls, 1, "one query for the calendar");
        // March's 280 events and the series: July's are left out by the index, unread.
        assert_eq!(candidates, 281);
        assert_eq!(
            found
                .iter()
                .filter(|o| o.object.starts_with("march-"))
                .count(),
            280
        );
        // The series on the five Mondays of March 2025, at 07:00 in Zurich (06:00 UTC).
        let weekly: Vec<NaiveDateTime> = found
            .iter()
            .filter(|o| o.summary.as_deref() == Some("weekly"))
            .map(|o| o.start)
            .collect();
        assert_eq!(weekly.len(), 5);
        assert_eq!(
            weekly[0],
            day(2025, 3, 3).and_hms_opt(7, 0, 0).expect("time")
        );
        assert!(found.iter().all(|o| o.cal == 3));
        assert!(found.windows(2).all(|w| w[0].start <= w[1].start), "sorted");
    }

    #[test]
    fn all_day_events_cover_their_dates_and_end_at_midnight() {
        let (_dir, store) = store();
        let cal = place(&store, "calendars/al/cal");
        let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a\r\n\
                    DTSTAMP:20250101T000000Z\r\nDTSTART;VALUE=DATE:20250310\r\n\
                    DTEND;VALUE=DATE:20250312\r\nSUMMARY:Trip\r\nSTATUS:CANCELLED\r\n\
                    END:VEVENT\r\nEND:VCALENDAR\r\n";
        import(&store, &cal, body.as_bytes(), &mut |_| {}).expect("import");
        for zone in ["Pacific/Auckland", "America/Los_Angeles"] {
            let zone = Zone::named(zone).expect("zone");
            let found = read(
                &[(0, cal.collection.id)],
                day(2025, 3, 1),
                day(2025, 4, 1),
                zone,
                &mut |id, f| store.find_candidates(id, f),
            )
            .expect("read");
            let [trip] = found.as_slice() else {
                panic!("{found:?}")
            };
            assert!(trip.all_day && trip.cancelled && trip.spans_days());
            assert_eq!(
                (trip.first_day(), trip.last_day()),
                (day(2025, 3, 10), day(2025, 3, 11))
            );
            assert!(trip.covers(day(2025, 3, 11)) && !trip.covers(day(2025, 3, 12)));
        }
    }
}
