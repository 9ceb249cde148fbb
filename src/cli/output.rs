//! Printing results: one line per item for people, or the JSON API's shapes with `--json`.

use std::io::Write;

use serde::Serialize;

use super::Format;
use crate::api::views::{MemberView, OrgDetailView, OrgView, TeamView, to_json};
use crate::store::{Member, Org, Team};

/// `--json` of the commands that take accounts or members away: who is gone.
#[derive(Serialize)]
pub struct Removed<'a> {
    /// Their logins.
    pub removed: &'a [String],
}

impl Format {
    /// Prints `view` as JSON, or the text `human` builds.
    pub fn emit<V: Serialize>(self, view: &V, human: impl FnOnce() -> String) {
        let mut out = std::io::stdout().lock();
        let _ = if self.json {
            out.write_all(&to_json(view))
                .and_then(|()| out.write_all(b"\n"))
        } else {
            writeln!(out, "{}", human())
        };
    }

    /// One organisation.
    pub fn org(self, org: &Org) {
        self.emit(&OrgView::from(org), || org_line(org));
    }

    /// Organisations, one per line.
    pub fn orgs(self, orgs: &[Org]) {
        let views: Vec<OrgView> = orgs.iter().map(OrgView::from).collect();
        self.emit(&views, || lines(orgs.iter().map(org_line)));
    }

    /// An organisation with its members and teams.
    pub fn org_detail(self, org: &Org, members: &[Member], teams: &[Team]) {
        let view = OrgDetailView {
            org: org.into(),
            members: members.iter().map(MemberView::from).collect(),
            teams: teams.iter().map(TeamView::from).collect(),
        };
        self.emit(&view, || {
            let c = &org.contact;
            let mut text = format!(
                "{}\naddress: {}\nphone: {}\ne-mail: {}\ncountry: {}\nmembers:",
                org_line(org),
                c.address.as_deref().unwrap_or("-"),
                c.phone.as_deref().unwrap_or("-"),
                c.email.as_deref().unwrap_or("-"),
                c.country.as_deref().unwrap_or("-"),
            );
            for m in members {
                text.push_str(&format!("\n  {}", member_line(m)));
            }
            text.push_str("\nteams:");
            for t in teams {
                text.push_str(&format!("\n  {}", team_line(t)));
            }
            text
        });
    }

    /// One member.
    pub fn member(self, member: &Member) {
        self.emit(&MemberView::from(member), || member_line(member));
    }

    /// One team.
    pub fn team(self, team: &Team) {
        self.emit(&TeamView::from(team), || team_line(team));
    }

    /// Teams, one per line.
    pub fn teams(self, teams: &[Team]) {
        let views: Vec<TeamView> = teams.iter().map(TeamView::from).collect();
        self.emit(&views, || lines(teams.iter().map(team_line)));
    }
}

fn lines(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join("\n")
}

fn org_line(org: &Org) -> String {
    format!("{}\tplan {}\tid {}", org.name, org.plan, org.id)
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn member_line(m: &Member) -> String {
    let n = m.notices;
    let notices: Vec<&str> = [
        (n.billing, "billing"),
        (n.technical, "technical"),
        (n.security, "security"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    format!(
        "{}\t{}\tcalendar {}\tcontacts {}\tnotices {}",
        m.login,
        m.role.as_str(),
        on_off(m.access.calendar),
        on_off(m.access.contacts),
        if notices.is_empty() {
            "none".to_owned()
        } else {
            notices.join(",")
        }
    )
}

fn team_line(t: &Team) -> String {
    format!("{}\t{}", t.name, t.members.join(","))
}
