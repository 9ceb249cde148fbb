//! Shaping of CALDAV:calendar-data (RFC 4791 §9.6): partial retrieval (`comp`/`prop`),
//! `expand`, `limit-recurrence-set` and `limit-freebusy-set`.
//!
//! The work happens on the unfolded content lines of the stored text, like [`super::tree`]
//! reads them, never through calcard's writer (which normalises): a property the shaping does
//! not touch goes out byte for byte as stored, only re-folded at 75 octets (never inside a
//! UTF-8 sequence) with CRLF line ends. A spec that asks for nothing is the caller's business:
//! it must send the stored bytes and not come here.
//!
//! Expansion uses [`super::recur::instances`] (the one override merge of the crate). Its
//! conventions carry over: a DATE value stays a DATE (RFC 4791 §9.6.5 speaks of date-time
//! values; a DATE has no time to convert, and turning it into a UTC midnight would move an
//! all-day event for every client east or west of Greenwich), and a floating DATE-TIME stays
//! floating (it has no zone to be converted from until the request's or the collection's
//! time zone is applied; `recur` reads it as UTC, so its local value is kept as written).
//! Every other DATE-TIME of an expanded instance is written in UTC, and VTIMEZONEs are
//! dropped unless a property that could not be converted (an unknown TZID) still names one.

use std::borrow::Cow;
use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use super::duration;
use super::lines::{Format, unfold};
use super::recur;
use super::write::fold_into;

/// Most instances one expanded object yields; a rule without end over a wide range stops here
/// rather than building an answer no client can use.
pub const EXPAND_CAP: usize = 5000;

/// One property named in a `comp` selection (RFC 4791 §9.6.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectProp {
    /// Property name, upper case.
    pub name: String,
    /// Return the name and parameters with an empty value.
    pub novalue: bool,
}

/// Which properties and sub-components of a component to return (RFC 4791 §9.6.1). Kept
/// apart from the request types because `ical` imports nothing from the crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Select {
    /// Component name, upper case.
    pub name: String,
    /// The properties to keep; None keeps all.
    pub props: Option<Vec<SelectProp>>,
    /// The sub-components to keep, each with its own selection; None keeps all, whole.
    pub comps: Option<Vec<Select>>,
}

/// Everything a calendar-data element can ask for. Ranges are `[start, end)` in Unix seconds
/// UTC.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shape {
    /// Partial retrieval, applied last (after expansion).
    pub select: Option<Select>,
    /// Expand the recurrence set into its instances overlapping the range (§9.6.5).
    pub expand: Option<(i64, i64)>,
    /// Keep the master and the overrides that matter to the range (§9.6.6); ignored with
    /// `expand`, which the RFC's DTD makes exclusive with it.
    pub limit_recurrence_set: Option<(i64, i64)>,
    /// Keep only the FREEBUSY periods of VFREEBUSY components overlapping the range (§9.6.7).
    pub limit_freebusy_set: Option<(i64, i64)>,
}

impl Shape {
    /// True when nothing is asked for: the stored bytes are the answer.
    pub fn is_identity(&self) -> bool {
        self.select.is_none()
            && self.expand.is_none()
            && self.limit_recurrence_set.is_none()
            && self.limit_freebusy_set.is_none()
    }
}

/// The calendar-data of the stored object `body` as `shape` asks. The stored bytes when
/// nothing is asked or when the body cannot be read as one VCALENDAR (stored objects were
/// validated at PUT, so that only happens to data written before a rule existed; better the
/// object as stored than nothing). Never panics.
pub fn calendar_data<'b>(body: &'b [u8], shape: &Shape) -> Cow<'b, [u8]> {
    if shape.is_identity() {
        return Cow::Borrowed(body);
    }
    let Some(mut root) = parse(body) else {
        return Cow::Borrowed(body);
    };
    if root.name != "VCALENDAR" {
        return Cow::Borrowed(body);
    }
    if let Some((start, end)) = shape.expand {
        root = expand(&root, body, start, end);
    } else if let Some((start, end)) = shape.limit_recurrence_set {
        root = limit_recurrence_set(&root, body, start, end);
    }
    if let Some((start, end)) = shape.limit_freebusy_set {
        limit_freebusy_set(&mut root, start, end);
    }
    if let Some(select) = &shape.select {
        root = if root.name == select.name {
            apply_select(&root, select)
        } else {
            Comp {
                items: Vec::new(),
                ..root
            }
        };
    }
    let mut out = String::with_capacity(body.len());
    write(&root, &mut out);
    Cow::Owned(out.into_bytes())
}

/// One unfolded content line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    /// The line as stored, unfolded, without its line break.
    text: String,
    /// Upper-case property name without group prefix.
    name: String,
    /// Byte offset of the end of the name (the first `;` or `:`).
    name_end: usize,
    /// Byte offset of the colon that starts the value (`text.len()` when there is none).
    colon: usize,
}

impl Line {
    /// Splits a content line; lenient, like [`super::tree`]: a line without a colon keeps its
    /// text and an empty value.
    fn new(text: String) -> Line {
        let name_end = text.find([';', ':']).unwrap_or(text.len());
        let mut in_quotes = false;
        let colon = text[name_end..]
            .char_indices()
            .find_map(|(i, c)| match c {
                '"' => {
                    in_quotes = !in_quotes;
                    None
                }
                ':' if !in_quotes => Some(name_end + i),
                _ => None,
            })
            .unwrap_or(text.len());
        let full = text[..name_end].trim();
        let name = full.rsplit('.').next().unwrap_or(full).to_ascii_uppercase();
        Line {
            text,
            name,
            name_end,
            colon,
        }
    }

    /// The value as written.
    fn value(&self) -> &str {
        self.text.get(self.colon + 1..).unwrap_or_default()
    }

    /// The parameters as written, each `NAME=VALUE` (quotes kept).
    fn params(&self) -> Vec<&str> {
        let raw = self.text.get(self.name_end..self.colon).unwrap_or_default();
        let mut out = Vec::new();
        let (mut in_quotes, mut start) = (false, 0);
        for (i, c) in raw.char_indices() {
            match c {
                '"' => in_quotes = !in_quotes,
                ';' if !in_quotes => {
                    out.push(&raw[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        out.push(&raw[start..]);
        out.into_iter().filter(|p| !p.trim().is_empty()).collect()
    }

    /// The value of parameter `name` (upper case), quotes removed.
    fn param(&self, name: &str) -> Option<&str> {
        self.params().into_iter().find_map(|p| {
            let (n, v) = p.split_once('=')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().trim_matches('"'))
        })
    }

    /// The line with a new value and its parameters, minus `drop` (upper case), plus `add`.
    fn rebuilt(&self, drop: &[&str], add: Option<&str>, value: &str) -> String {
        let mut out = self.text[..self.name_end].to_owned();
        for p in self.params() {
            let n = p.split_once('=').map_or(p, |(n, _)| n).trim();
            if !drop.iter().any(|d| n.eq_ignore_ascii_case(d)) {
                out.push(';');
                out.push_str(p);
            }
        }
        if let Some(add) = add {
            out.push(';');
            out.push_str(add);
        }
        out.push(':');
        out.push_str(value);
        out
    }

    /// The name and parameters with an empty value (`novalue="yes"`).
    fn without_value(&self) -> String {
        let mut out = self.text.get(..self.colon).unwrap_or(&self.text).to_owned();
        out.push(':');
        out
    }
}

/// A property line or a sub-component, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// A property.
    Prop(Line),
    /// A sub-component.
    Comp(Comp),
}

/// A component: its BEGIN and END lines as stored, and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Comp {
    /// Upper-case component name.
    name: String,
    /// The BEGIN line as stored.
    begin: String,
    /// The END line as stored.
    end: String,
    /// Properties and sub-components in document order.
    items: Vec<Item>,
}

impl Comp {
    /// The properties.
    fn props(&self) -> impl Iterator<Item = &Line> {
        self.items.iter().filter_map(|i| match i {
            Item::Prop(l) => Some(l),
            Item::Comp(_) => None,
        })
    }

    /// The first property named `name`.
    fn prop(&self, name: &str) -> Option<&Line> {
        self.props().find(|l| l.name == name)
    }

    /// The sub-components.
    fn comps(&self) -> impl Iterator<Item = &Comp> {
        self.items.iter().filter_map(|i| match i {
            Item::Comp(c) => Some(c),
            Item::Prop(_) => None,
        })
    }
}

/// Reads the root component of a stored object; None when it is not UTF-8 or its BEGIN/END
/// lines do not balance.
fn parse(body: &[u8]) -> Option<Comp> {
    let text = std::str::from_utf8(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)).ok()?;
    let lines = unfold(text, Format::ICalendar).ok()?;
    let mut stack: Vec<Comp> = Vec::new();
    for raw in lines {
        let line = Line::new(raw.text);
        match line.name.as_str() {
            "BEGIN" => stack.push(Comp {
                name: line.value().trim().to_ascii_uppercase(),
                begin: line.text,
                end: String::new(),
                items: Vec::new(),
            }),
            "END" => {
                let mut done = stack.pop()?;
                if !line.value().trim().eq_ignore_ascii_case(&done.name) {
                    return None;
                }
                done.end = line.text;
                match stack.last_mut() {
                    Some(parent) => parent.items.push(Item::Comp(done)),
                    None => return Some(done),
                }
            }
            _ => stack.last_mut()?.items.push(Item::Prop(line)),
        }
    }
    None
}

/// Writes a component, each line folded at 75 octets with CRLF.
fn write(comp: &Comp, out: &mut String) {
    fold_into(out, &comp.begin);
    for item in &comp.items {
        match item {
            Item::Prop(line) => fold_into(out, &line.text),
            Item::Comp(c) => write(c, out),
        }
    }
    fold_into(out, &comp.end);
}

/// Partial retrieval of one component (RFC 4791 §9.6.1).
fn apply_select(comp: &Comp, select: &Select) -> Comp {
    let mut items = Vec::new();
    for item in &comp.items {
        match item {
            Item::Prop(line) => match &select.props {
                None => items.push(item.clone()),
                Some(wanted) => {
                    if let Some(p) = wanted.iter().find(|p| p.name == line.name) {
                        items.push(if p.novalue {
                            Item::Prop(Line::new(line.without_value()))
                        } else {
                            item.clone()
                        });
                    }
                }
            },
            Item::Comp(sub) => match &select.comps {
                None => items.push(item.clone()),
                Some(wanted) => {
                    if let Some(s) = wanted.iter().find(|s| s.name == sub.name) {
                        items.push(Item::Comp(apply_select(sub, s)));
                    }
                }
            },
        }
    }
    Comp {
        items,
        ..comp.clone()
    }
}

/// How a date or date-time value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A DATE.
    Date,
    /// A floating DATE-TIME.
    Floating,
    /// A UTC DATE-TIME or one with a TZID.
    Absolute,
}

/// The form of a date property's (first) value.
fn form(line: &Line) -> Form {
    let value = line.value().split(',').next().unwrap_or_default().trim();
    if line
        .param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
        || (value.len() == 8 && !value.contains('T'))
    {
        Form::Date
    } else if value.ends_with(['Z', 'z']) || line.param("TZID").is_some() {
        Form::Absolute
    } else {
        Form::Floating
    }
}

/// `ts` written in `form`; None when out of chrono's range.
fn format_ts(ts: i64, form: Form) -> Option<String> {
    let dt = DateTime::from_timestamp(ts, 0)?;
    Some(match form {
        Form::Date => dt.format("%Y%m%d").to_string(),
        Form::Floating => dt.format("%Y%m%dT%H%M%S").to_string(),
        Form::Absolute => dt.format("%Y%m%dT%H%M%SZ").to_string(),
    })
}

/// `line` with its value replaced by `ts` in `form` (TZID removed, VALUE=DATE for a date);
/// the line unchanged when `ts` cannot be written.
fn date_line(line: &Line, ts: i64, form: Form) -> Line {
    let Some(value) = format_ts(ts, form) else {
        return line.clone();
    };
    let add = (form == Form::Date).then_some("VALUE=DATE");
    Line::new(line.rebuilt(&["TZID", "VALUE"], add, &value))
}

/// A RECURRENCE-ID line for an instance whose original start is `ts`.
fn recurrence_id_line(ts: i64, form: Form) -> Option<Line> {
    let value = format_ts(ts, form)?;
    Some(Line::new(if form == Form::Date {
        format!("RECURRENCE-ID;VALUE=DATE:{value}")
    } else {
        format!("RECURRENCE-ID:{value}")
    }))
}

/// The zone a TZID names, for the IANA names chrono-tz knows (also with a prefix such as
/// `/mozilla.org/20050126_1/Europe/Berlin`).
fn zone(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim();
    if let Ok(tz) = tzid.parse::<Tz>() {
        return Some(tz);
    }
    tzid.match_indices('/')
        .find_map(|(i, _)| tzid[i + 1..].parse::<Tz>().ok())
}

/// Unix seconds of a local date-time in `tz`; a time in a DST gap moves one hour on, an
/// ambiguous one takes the earlier instant (as `recur` does).
fn local_to_utc(tz: Tz, local: NaiveDateTime) -> Option<i64> {
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|dt| dt.timestamp())
}

/// Reads a DATE-TIME (`20240101T100000`, optionally with `Z`).
fn naive(value: &str) -> Option<(NaiveDateTime, bool)> {
    let value = value.trim();
    let (v, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(v) => (v, true),
        None => (value, false),
    };
    NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S")
        .ok()
        .map(|dt| (dt, utc))
}

/// Unix seconds of a DATE or DATE-TIME value: with a `Z` in UTC, otherwise in `tz` (UTC for
/// floating and DATE values, as `recur` reads them).
fn instant(value: &str, tz: Option<Tz>) -> Option<i64> {
    if let Some((dt, utc)) = naive(value) {
        return match (utc, tz) {
            (false, Some(tz)) => local_to_utc(tz, dt),
            _ => Some(dt.and_utc().timestamp()),
        };
    }
    let date = NaiveDate::parse_from_str(value.trim(), "%Y%m%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

/// A property with a TZID converted to UTC, when the zone is known and every value is a
/// DATE-TIME; None otherwise (the line is then kept, and its VTIMEZONE with it).
fn to_utc(line: &Line) -> Option<Line> {
    let tz = zone(line.param("TZID")?)?;
    let values: Option<Vec<String>> = line
        .value()
        .split(',')
        .map(|v| {
            let (dt, utc) = naive(v)?;
            let ts = if utc {
                dt.and_utc().timestamp()
            } else {
                local_to_utc(tz, dt)?
            };
            format_ts(ts, Form::Absolute)
        })
        .collect();
    Some(Line::new(line.rebuilt(&["TZID"], None, &values?.join(","))))
}

/// The components instances are listed for.
fn has_instances(name: &str) -> bool {
    matches!(name, "VEVENT" | "VTODO" | "VJOURNAL")
}

/// One instance written out as its own component (RFC 4791 §9.6.5): no RRULE, RDATE,
/// EXRULE or EXDATE; DTSTART, DTEND / DUE and RECURRENCE-ID those of the instance; other
/// zoned DATE-TIMEs in UTC. Sub-components (VALARM) are kept as written.
fn instance_comp(comp: &Comp, inst: &recur::Instance) -> Comp {
    let has_dtstart = comp.prop("DTSTART").is_some();
    let rid_form = comp
        .prop("RECURRENCE-ID")
        .or_else(|| comp.prop("DTSTART"))
        .map_or(Form::Absolute, form);
    let rid_line = inst
        .recurrence_id
        .and_then(|rid| recurrence_id_line(rid, rid_form));
    let mut rid_pending = rid_line.is_some();
    let mut items = Vec::with_capacity(comp.items.len() + 1);
    for item in &comp.items {
        let line = match item {
            Item::Comp(_) => {
                items.push(item.clone());
                continue;
            }
            Item::Prop(line) => line,
        };
        match line.name.as_str() {
            "RRULE" | "RDATE" | "EXRULE" | "EXDATE" | "RECURRENCE-ID" => {}
            "DTSTART" => {
                items.push(Item::Prop(date_line(line, inst.start, form(line))));
                if let Some(rid) = rid_line.clone().filter(|_| rid_pending) {
                    items.push(Item::Prop(rid));
                    rid_pending = false;
                }
            }
            "DTEND" => items.push(Item::Prop(date_line(line, inst.end, form(line)))),
            "DUE" => {
                let ts = if has_dtstart { inst.end } else { inst.start };
                items.push(Item::Prop(date_line(line, ts, form(line))));
            }
            _ => items.push(Item::Prop(to_utc(line).unwrap_or_else(|| line.clone()))),
        }
    }
    if let Some(rid) = rid_line.filter(|_| rid_pending) {
        let at = items
            .iter()
            .position(|i| matches!(i, Item::Comp(_)))
            .unwrap_or(items.len());
        items.insert(at, Item::Prop(rid));
    }
    Comp {
        items,
        ..comp.clone()
    }
}

/// The TZIDs the properties of `comp` and its sub-components still name.
fn tzids_named(comp: &Comp, into: &mut HashSet<String>) {
    for item in &comp.items {
        match item {
            Item::Prop(line) => {
                if let Some(tzid) = line.param("TZID") {
                    into.insert(tzid.to_owned());
                }
            }
            Item::Comp(c) => tzids_named(c, into),
        }
    }
}

/// CALDAV:expand (RFC 4791 §9.6.5): the VCALENDAR's properties, then one component per
/// instance overlapping `[start, end)`, then the components no instances are listed for
/// (VFREEBUSY, ...), kept whole.
fn expand(root: &Comp, body: &[u8], start: i64, end: i64) -> Comp {
    let children: Vec<&Comp> = root.comps().collect();
    let instances = recur::instances(body, start, end, EXPAND_CAP, None);
    let mut produced: Vec<Comp> = instances
        .iter()
        .filter_map(|inst| {
            let comp = children
                .get(inst.component_index)
                .filter(|c| has_instances(&c.name))?;
            Some(instance_comp(comp, inst))
        })
        .collect();
    produced.extend(
        children
            .iter()
            .filter(|c| c.name != "VTIMEZONE" && !has_instances(&c.name))
            .map(|c| (*c).clone()),
    );
    let mut tzids = HashSet::new();
    for c in &produced {
        tzids_named(c, &mut tzids);
    }
    let mut items: Vec<Item> = root.props().cloned().map(Item::Prop).collect();
    items.extend(
        children
            .iter()
            .filter(|c| {
                c.name == "VTIMEZONE"
                    && c.prop("TZID")
                        .is_some_and(|t| tzids.contains(t.value().trim()))
            })
            .map(|c| Item::Comp((*c).clone())),
    );
    items.extend(produced.into_iter().map(Item::Comp));
    Comp {
        items,
        ..root.clone()
    }
}

/// CALDAV:limit-recurrence-set (RFC 4791 §9.6.6): every component but the overrides that do
/// not matter to `[start, end)`. An override is kept when one of the instances overlapping
/// the range is its own, when its RECURRENCE-ID (the slot it replaces) lies in the range, when
/// it is a RANGE=THISANDFUTURE override before the range's end (it changes later instances),
/// or when its RECURRENCE-ID cannot be read (keeping one too many is harmless).
fn limit_recurrence_set(root: &Comp, body: &[u8], start: i64, end: i64) -> Comp {
    let used: HashSet<usize> = recur::instances(body, start, end, EXPAND_CAP, None)
        .iter()
        .map(|i| i.component_index)
        .collect();
    // A RECURRENCE-ID without TZID or `Z` is read in the zone of the master's DTSTART.
    let master_zone = root
        .comps()
        .filter(|c| has_instances(&c.name) && c.prop("RECURRENCE-ID").is_none())
        .find_map(|c| zone(c.prop("DTSTART")?.param("TZID")?));
    let mut index = 0;
    let mut items = Vec::with_capacity(root.items.len());
    for item in &root.items {
        let Item::Comp(comp) = item else {
            items.push(item.clone());
            continue;
        };
        let position = index;
        index += 1;
        let keep = match comp.prop("RECURRENCE-ID") {
            None => true,
            Some(_) if used.contains(&position) => true,
            Some(rid) => {
                let tz = match rid.param("TZID") {
                    Some(tzid) => zone(tzid),
                    None => master_zone.or(Some(Tz::UTC)),
                };
                let future = rid
                    .param("RANGE")
                    .is_some_and(|r| r.eq_ignore_ascii_case("THISANDFUTURE"));
                match tz.and_then(|tz| instant(rid.value(), Some(tz))) {
                    None => true,
                    Some(at) if future => at < end,
                    Some(at) => start <= at && at < end,
                }
            }
        };
        if keep {
            items.push(item.clone());
        }
    }
    Comp {
        items,
        ..root.clone()
    }
}

/// The `[start, end)` of a free-busy PERIOD (`start/end` or `start/duration`, UTC).
fn period(value: &str) -> Option<(i64, i64)> {
    let (a, b) = value.split_once('/')?;
    let start = instant(a, None)?;
    let end = match naive(b) {
        Some(_) => instant(b, None)?,
        None => start.checked_add(duration::seconds(b)?)?,
    };
    Some((start, end))
}

/// CALDAV:limit-freebusy-set (RFC 4791 §9.6.7): in each VFREEBUSY, only the FREEBUSY periods
/// overlapping `[start, end)`; a FREEBUSY property left without periods is dropped. A period
/// that cannot be read is kept.
fn limit_freebusy_set(root: &mut Comp, start: i64, end: i64) {
    for item in &mut root.items {
        let Item::Comp(comp) = item else { continue };
        if comp.name != "VFREEBUSY" {
            continue;
        }
        let mut items = Vec::with_capacity(comp.items.len());
        for item in std::mem::take(&mut comp.items) {
            let line = match &item {
                Item::Prop(line) if line.name == "FREEBUSY" => line,
                _ => {
                    items.push(item);
                    continue;
                }
            };
            let periods: Vec<&str> = line.value().split(',').collect();
            let kept: Vec<&str> = periods
                .iter()
                .copied()
                .filter(|p| period(p).is_none_or(|(s, e)| s < end && e > start))
                .collect();
            if kept.len() == periods.len() {
                items.push(item);
            } else if !kept.is_empty() {
                let text = format!("{}:{}", &line.text[..line.colon], kept.join(","));
                items.push(Item::Prop(Line::new(text)));
            }
        }
        comp.items = items;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        naive(s).map(|(dt, _)| dt.and_utc().timestamp()).unwrap()
    }

    fn shaped(body: &str, shape: &Shape) -> String {
        let out = calendar_data(body.as_bytes(), shape);
        let text = String::from_utf8(out.into_owned()).unwrap();
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert!(text.ends_with("\r\n"));
        text.replace("\r\n ", "")
    }

    fn vevents(text: &str) -> Vec<String> {
        text.split("BEGIN:VEVENT\r\n")
            .skip(1)
            .map(|s| s.split("END:VEVENT").next().unwrap_or_default().to_owned())
            .collect()
    }

    const BERLIN: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

    /// Weekly in Berlin across the spring DST change, one EXDATE, one override moved to
    /// the next day with a higher SEQUENCE, one override in place.
    fn weekly() -> String {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{BERLIN}\
BEGIN:VEVENT\r\nUID:weekly@test\r\nDTSTAMP:20240101T000000Z\r\nSEQUENCE:0\r\n\
DTSTART;TZID=Europe/Berlin:20240318T100000\r\nDTEND;TZID=Europe/Berlin:20240318T110000\r\n\
RRULE:FREQ=WEEKLY;COUNT=6\r\nEXDATE;TZID=Europe/Berlin:20240325T100000\r\n\
SUMMARY:Weekly with a long summary that certainly needs folding when written out again ✓✓\r\n\
BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:weekly@test\r\nDTSTAMP:20240101T000000Z\r\nSEQUENCE:2\r\n\
RECURRENCE-ID;TZID=Europe/Berlin:20240401T100000\r\n\
DTSTART;TZID=Europe/Berlin:20240402T140000\r\nDTEND;TZID=Europe/Berlin:20240402T150000\r\n\
SUMMARY:Moved\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:weekly@test\r\nDTSTAMP:20240101T000000Z\r\nSEQUENCE:1\r\n\
RECURRENCE-ID;TZID=Europe/Berlin:20240422T100000\r\n\
DTSTART;TZID=Europe/Berlin:20240422T100000\r\nDTEND;TZID=Europe/Berlin:20240422T120000\r\n\
SUMMARY:Longer\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    }

    fn range(a: &str, b: &str) -> Option<(i64, i64)> {
        Some((utc(a), utc(b)))
    }

    #[test]
    fn identity_and_unreadable_bodies_are_the_stored_bytes() {
        let body = weekly();
        assert!(matches!(
            calendar_data(body.as_bytes(), &Shape::default()),
            Cow::Borrowed(_)
        ));
        let shape = Shape {
            expand: range("20240101T000000Z", "20250101T000000Z"),
            ..Shape::default()
        };
        for bad in [
            &b"\xff\xfe"[..],
            b"",
            b"BEGIN:VCALENDAR\r\n",
            b"BEGIN:VCARD\r\nEND:VCARD\r\n",
        ] {
            assert_eq!(&*calendar_data(bad, &shape), bad);
        }
    }

    #[test]
    fn partial_retrieval_props_novalue_and_valarm() {
        let body = weekly();
        let select = |comps: Option<Vec<Select>>| Shape {
            select: Some(Select {
                name: "VCALENDAR".into(),
                props: Some(vec![SelectProp {
                    name: "VERSION".into(),
                    novalue: false,
                }]),
                comps: Some(vec![Select {
                    name: "VEVENT".into(),
                    props: Some(vec![
                        SelectProp {
                            name: "UID".into(),
                            novalue: false,
                        },
                        SelectProp {
                            name: "DTSTART".into(),
                            novalue: true,
                        },
                    ]),
                    comps,
                }]),
            }),
            ..Shape::default()
        };
        let out = shaped(&body, &select(None));
        assert!(out.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"));
        assert!(!out.contains("PRODID") && !out.contains("VTIMEZONE"));
        assert!(out.contains("\r\nDTSTART;TZID=Europe/Berlin:\r\n"));
        assert!(!out.contains("SUMMARY") && !out.contains("RRULE"));
        assert_eq!(out.matches("BEGIN:VEVENT").count(), 3);
        assert_eq!(out.matches("BEGIN:VALARM\r\nACTION:DISPLAY").count(), 1);
        // `allcomp` left out with some props named: no VALARM.
        let out = shaped(&body, &select(Some(Vec::new())));
        assert!(!out.contains("VALARM"));
        // Only named components.
        let shape = Shape {
            select: Some(Select {
                name: "VCALENDAR".into(),
                props: None,
                comps: Some(vec![Select {
                    name: "VTIMEZONE".into(),
                    props: None,
                    comps: None,
                }]),
            }),
            ..Shape::default()
        };
        let out = shaped(&body, &shape);
        assert!(out.contains(BERLIN) && !out.contains("VEVENT") && out.contains("PRODID"));
        // A root that does not match selects nothing.
        let shape = Shape {
            select: Some(Select {
                name: "VCARD".into(),
                props: None,
                comps: None,
            }),
            ..Shape::default()
        };
        assert_eq!(
            shaped(&body, &shape),
            "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
        );
    }

    #[test]
    fn untouched_lines_keep_their_bytes_and_long_lines_fold_on_char_boundaries() {
        let body = weekly();
        let shape = Shape {
            select: Some(Select {
                name: "VCALENDAR".into(),
                props: None,
                comps: None,
            }),
            ..Shape::default()
        };
        let raw = String::from_utf8(calendar_data(body.as_bytes(), &shape).into_owned()).unwrap();
        assert!(raw.contains("\r\n "), "the long SUMMARY is folded");
        assert_eq!(raw.replace("\r\n ", ""), body);
    }

    #[test]
    fn expand_weekly_berlin_series_with_exdate_and_moved_override() {
        let shape = Shape {
            expand: range("20240301T000000Z", "20240420T000000Z"),
            ..Shape::default()
        };
        let out = shaped(&weekly(), &shape);
        assert!(!out.contains("VTIMEZONE") && !out.contains("TZID"));
        assert!(!out.contains("RRULE") && !out.contains("EXDATE"));
        assert!(out.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"));
        let events = vevents(&out);
        let got: Vec<(String, String, String, bool)> = events
            .iter()
            .map(|e| {
                let get = |name: &str| {
                    e.lines()
                        .find_map(|l| l.strip_prefix(name))
                        .unwrap_or_default()
                        .to_owned()
                };
                (
                    get("DTSTART:"),
                    get("DTEND:"),
                    get("RECURRENCE-ID:"),
                    e.contains("SEQUENCE:2") && e.contains("SUMMARY:Moved"),
                )
            })
            .collect();
        let want = [
            (
                "20240318T090000Z",
                "20240318T100000Z",
                "20240318T090000Z",
                false,
            ),
            (
                "20240402T120000Z",
                "20240402T130000Z",
                "20240401T080000Z",
                true,
            ),
            (
                "20240408T080000Z",
                "20240408T090000Z",
                "20240408T080000Z",
                false,
            ),
            (
                "20240415T080000Z",
                "20240415T090000Z",
                "20240415T080000Z",
                false,
            ),
        ];
        assert_eq!(
            got,
            want.map(|(a, b, c, d)| (a.to_owned(), b.to_owned(), c.to_owned(), d))
        );
        // The master's VALARM goes with each of its instances.
        assert_eq!(out.matches("BEGIN:VALARM").count(), 3);
        // The RECURRENCE-ID follows DTSTART.
        assert!(events[0].contains("DTSTART:20240318T090000Z\r\nRECURRENCE-ID:"));
    }

    #[test]
    fn expand_all_day_series_keeps_dates() {
        let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\n\
DTSTAMP:20240101T000000Z\r\nDTSTART;VALUE=DATE:20240101\r\nDTEND;VALUE=DATE:20240102\r\n\
RRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;VALUE=DATE:20240103\r\nSUMMARY:All day\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
        let shape = Shape {
            expand: range("20240102T000000Z", "20240105T000000Z"),
            ..Shape::default()
        };
        let out = shaped(body, &shape);
        let events = vevents(&out);
        assert_eq!(events.len(), 2, "{out}");
        assert!(
            events[0]
                .contains("DTSTART;VALUE=DATE:20240102\r\nRECURRENCE-ID;VALUE=DATE:20240102\r\n")
        );
        assert!(events[0].contains("DTEND;VALUE=DATE:20240103\r\n"));
        assert!(events[1].contains("DTSTART;VALUE=DATE:20240104\r\n"));
    }

    #[test]
    fn expand_single_event_converts_to_utc_and_keeps_floating() {
        let body = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{BERLIN}BEGIN:VEVENT\r\nUID:a\r\n\
DTSTAMP:20240101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20240701T100000\r\nDURATION:PT1H\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        let shape = Shape {
            expand: range("20240701T000000Z", "20240702T000000Z"),
            ..Shape::default()
        };
        let out = shaped(&body, &shape);
        assert!(
            out.contains("DTSTART:20240701T080000Z\r\nDURATION:PT1H\r\n"),
            "{out}"
        );
        assert!(!out.contains("RECURRENCE-ID") && !out.contains("VTIMEZONE"));
        let floating = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\n\
DTSTAMP:20240101T000000Z\r\nDTSTART:20240701T100000\r\nDTEND:20240701T110000\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n";
        let out = shaped(floating, &shape);
        assert!(
            out.contains("DTSTART:20240701T100000\r\nDTEND:20240701T110000\r\n"),
            "{out}"
        );
        // Outside the range: no instance.
        let shape = Shape {
            expand: range("20250101T000000Z", "20250102T000000Z"),
            ..Shape::default()
        };
        assert!(!shaped(floating, &shape).contains("VEVENT"));
    }

    #[test]
    fn expand_keeps_the_vtimezone_an_unconvertible_property_names() {
        let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Custom\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nDTSTART:19700101T000000\r\n\
END:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20240101T000000Z\r\n\
DTSTART:20240701T100000Z\r\nX-WHEN;TZID=Custom:20240701T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let shape = Shape {
            expand: range("20240701T000000Z", "20240702T000000Z"),
            ..Shape::default()
        };
        let out = shaped(body, &shape);
        assert!(out.contains("TZID:Custom\r\n") && out.contains("X-WHEN;TZID=Custom:"));
    }

    #[test]
    fn limit_recurrence_set_keeps_master_and_the_overrides_that_matter() {
        let shape = |a, b| Shape {
            limit_recurrence_set: range(a, b),
            ..Shape::default()
        };
        let out = shaped(&weekly(), &shape("20240405T000000Z", "20240430T000000Z"));
        assert!(out.contains("BEGIN:VTIMEZONE") && out.contains("RRULE:"));
        assert!(!out.contains("SUMMARY:Moved") && out.contains("SUMMARY:Longer"));
        // The moved override's slot (1 April) is in this range, its instance (2 April) too.
        let out = shaped(&weekly(), &shape("20240331T000000Z", "20240402T000000Z"));
        assert!(out.contains("SUMMARY:Moved") && !out.contains("SUMMARY:Longer"));
        // Only its new slot.
        let out = shaped(&weekly(), &shape("20240402T000000Z", "20240403T000000Z"));
        assert!(out.contains("SUMMARY:Moved"));
        // Nothing: the master alone.
        let out = shaped(&weekly(), &shape("20300101T000000Z", "20300102T000000Z"));
        assert_eq!(vevents(&out).len(), 1);
    }

    #[test]
    fn limit_freebusy_set_keeps_overlapping_periods() {
        let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VFREEBUSY\r\nUID:f\r\n\
DTSTAMP:20240101T000000Z\r\nDTSTART:20240101T000000Z\r\nDTEND:20240301T000000Z\r\n\
FREEBUSY:20240101T100000Z/20240101T110000Z,20240105T100000Z/PT1H\r\n\
FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240201T100000Z/20240201T110000Z\r\n\
FREEBUSY;FBTYPE=BUSY:20240104T230000Z/P1D\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";
        let shape = Shape {
            limit_freebusy_set: range("20240104T000000Z", "20240106T000000Z"),
            ..Shape::default()
        };
        let out = shaped(body, &shape);
        assert!(
            out.contains("\r\nFREEBUSY:20240105T100000Z/PT1H\r\n"),
            "{out}"
        );
        assert!(!out.contains("BUSY-TENTATIVE"));
        assert!(out.contains("FREEBUSY;FBTYPE=BUSY:20240104T230000Z/P1D\r\n"));
    }

    #[test]
    fn no_fixture_makes_any_shape_panic() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ical");
        let all = Select {
            name: "VCALENDAR".into(),
            props: Some(vec![SelectProp {
                name: "VERSION".into(),
                novalue: true,
            }]),
            comps: Some(vec![Select {
                name: "VEVENT".into(),
                props: None,
                comps: Some(Vec::new()),
            }]),
        };
        let r = range("19700101T000000Z", "20400101T000000Z");
        let shapes = [
            Shape {
                expand: r,
                ..Shape::default()
            },
            Shape {
                limit_recurrence_set: r,
                limit_freebusy_set: r,
                select: Some(all.clone()),
                ..Shape::default()
            },
            Shape {
                expand: r,
                select: Some(all),
                ..Shape::default()
            },
        ];
        let mut count = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let body = std::fs::read(entry.unwrap().path()).unwrap();
            for shape in &shapes {
                let _ = calendar_data(&body, shape);
            }
            count += 1;
        }
        assert!(count > 10);
    }
}
